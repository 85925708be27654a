"""Anchored patterns: a regular expression with the literal words any match must contain.

The lexicons compile hundreds of case-insensitive patterns (event cues, actor names), and a
pattern that starts with `\\b` or a look-behind makes Python's engine try it at every offset of
the text. Most of them cannot match a given report: none of their words occur in it. An
`Anchored` pattern carries the words one of which every match holds (read from the parsed
pattern, not written by hand), so `finditer` skips the scan when none is in the text. Matches
are exactly those of the bare pattern; patterns without a usable anchor are always scanned.

A pattern is compiled when a text first holds one of its anchors (`lazily`): a report needs few
of the lexicons' patterns, and compiling all of them took a quarter of a second in every process
that loads the lexicons. Finding the anchors means parsing each pattern (a tenth of a second for
the event rules and actors): an `AnchorMemo` keeps them in a JSON file in the cache folder, by
pattern, so that later processes read them instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

MIN_ANCHOR = 3  # shorter anchors ("of", "s") are in every text and filter nothing

Anchors = frozenset[str] | None


@dataclass(frozen=True)
class Anchored:
    pattern: str
    flags: int
    anchors: Anchors  # casefolded words one of which every match contains; None: scan always

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (compiled on first use)."""
        return re.compile(self.pattern, self.flags)

    def may_match(self, folded: str) -> bool:
        """Whether a text, casefolded, can hold a match."""
        return self.anchors is None or any(map(folded.__contains__, self.anchors))

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The pattern's matches in `text` (`folded` is `text.casefold()`, if already made)."""
        if self.may_match(text.casefold() if folded is None else folded):
            yield from self.regex.finditer(text)


def anchored(regex: re.Pattern[str]) -> Anchored:
    """A compiled pattern with its anchors."""
    found = Anchored(regex.pattern, regex.flags, required_words(regex.pattern, regex.flags))
    found.__dict__["regex"] = regex  # compiled already (what `cached_property` would keep)
    return found


def lazily(pattern: str, flags: int = 0, memo: AnchorMemo | None = None) -> Anchored:
    """A pattern with its anchors (from `memo` when it knows them), compiled when first used."""
    found = memo.anchors(pattern, flags) if memo is not None else required_words(pattern, flags)
    return Anchored(pattern, flags, found)


@dataclass
class AnchorMemo:
    """The anchors of patterns seen before, kept in `path` (JSON: "FLAGS PATTERN" -> the sorted
    anchors, or null) between processes. The file's name carries a hash of this module's code,
    so a change to how anchors are found starts a new file; `save` writes it when it learnt a
    pattern (atomically: processes that load the lexicons at once do not clash)."""

    path: Path | None
    known: dict[str, list[str] | None] = field(default_factory=dict)
    learnt: bool = False

    @classmethod
    def open(cls, folder: Path | None) -> AnchorMemo:
        """The memo kept in `folder` (None: kept nowhere); a file that does not read as one is
        replaced when saved."""
        if folder is None:
            return cls(None)
        path = folder / f"anchors-{_code_hash()}.json"
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            warnings.warn(f"anchor cache {path} unreadable ({exc}); rebuilding it", stacklevel=2)
            return cls(path, learnt=True)
        if not isinstance(known, dict):
            return cls(path, learnt=True)
        return cls(path, known)

    def anchors(self, pattern: str, flags: int) -> Anchors:
        key = f"{flags} {pattern}"
        if key in self.known:
            words = self.known[key]
            return None if words is None else frozenset(words)
        found = required_words(pattern, flags)
        self.known[key] = None if found is None else sorted(found)
        self.learnt = True
        return found

    def save(self) -> None:
        if self.path is None or not self.learnt:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.known, handle, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:
            warnings.warn(
                f"could not write the anchor cache to {self.path} ({exc}); set NEWSLEDGER_CACHE "
                "to a writable folder to make later loads fast",
                stacklevel=2,
            )
        self.learnt = False


def _code_hash() -> str:
    """A hash of this module's code and `MIN_ANCHOR`: what decides the anchors of a pattern."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(str(MIN_ANCHOR).encode())
    return digest.hexdigest()[:16]


def required_words(pattern: str, flags: int = 0) -> Anchors:
    """Casefolded literals one of which every match of `pattern` contains, or None."""
    found = _anchors(P.parse(pattern, flags))
    if found is None or min(len(a) for a in found) < MIN_ANCHOR:
        return None
    return frozenset(a.casefold() for a in found)


def _better(a: Anchors, b: Anchors) -> Anchors:
    """The more selective of two anchor sets: longer shortest word, then fewer words."""
    if a is None or not a:
        return b
    if b is None or not b:
        return a
    key_a = (min(map(len, a)), -len(a))
    key_b = (min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _anchors(sequence: P.SubPattern | list[tuple[object, object]]) -> Anchors:
    """The best anchor set of a parsed sequence: any mandatory literal run or mandatory part
    whose every alternative has its own anchors."""
    best: Anchors = None
    run: list[str] = []
    for op, av in sequence:
        if op is C.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        part: Anchors = None
        if op is C.SUBPATTERN:
            part = _anchors(av[3])  # type: ignore[index]
        elif op is C.BRANCH:
            options = [_anchors(alt) for alt in av[1]]  # type: ignore[index]
            if all(o for o in options):
                part = frozenset().union(*options)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, inner = av  # type: ignore[misc]
            if low >= 1:
                part = _anchors(inner)
        elif op is C.ATOMIC_GROUP:
            part = _anchors(av)
        best = _better(best, part)
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best
