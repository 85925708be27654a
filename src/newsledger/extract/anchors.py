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
from typing import Any

MIN_ANCHOR = 3  # shorter anchors ("of", "s") are in every text and filter nothing

Anchors = frozenset[str] | None
Reach = tuple[int, int] | None  # (fixed, per_space): at most fixed + per_space * r characters


@dataclass(frozen=True)
class Anchored:
    pattern: str
    flags: int
    anchors: Anchors  # casefolded words one of which every match contains; None: scan always
    reach: Reach = None  # how far a match reaches (`reach_of`); None: not known, scan it all

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

    def matches(self, text: str, folded: str, space_run: int) -> list[re.Match[str]]:
        """The matches `finditer` finds, looked for only near the anchors' occurrences when the
        pattern's reach is known (`space_run`: the longest run of whitespace in `text`).

        Every match holds an anchor and reaches at most `reach_of`'s bound, so it starts within
        that distance before an anchor's occurrence: only those stretches are searched (with
        `pos`, which lets a look-behind see what precedes, and an `endpos` past what any try
        from the stretch reads), in order and without overlaps, as `finditer` would.
        """
        if self.reach is None or self.anchors is None or len(folded) != len(text):
            return list(self.finditer(text, folded))  # a casefold that changed lengths, too
        bound = self.reach[0] + self.reach[1] * space_run + 2
        windows: list[tuple[int, int]] = []
        for anchor in self.anchors:
            at = folded.find(anchor)
            while at >= 0:
                windows.append((max(0, at + len(anchor) - bound), at))
                at = folded.find(anchor, at + 1)
        if not windows:
            return []
        windows.sort()
        regex = self.regex
        found: list[re.Match[str]] = []
        pos = 0
        lo, hi = windows[0]
        for next_lo, next_hi in [*windows[1:], (len(text) + bound + 1, 0)]:
            if next_lo <= hi + 1:
                hi = max(hi, next_hi)
                continue
            at = max(lo, pos)
            while at <= hi:
                match = regex.search(text, at, hi + bound)
                if match is None or match.start() > hi:
                    break
                if match.end() == match.start():
                    return list(regex.finditer(text))  # empty matches: leave it to finditer
                found.append(match)
                at = pos = match.end()
            lo, hi = next_lo, next_hi
        return found


def anchored(regex: re.Pattern[str]) -> Anchored:
    """A compiled pattern with its anchors."""
    found = Anchored(regex.pattern, regex.flags, required_words(regex.pattern, regex.flags))
    found.__dict__["regex"] = regex  # compiled already (what `cached_property` would keep)
    return found


def lazily(
    pattern: str, flags: int = 0, memo: AnchorMemo | None = None, reach: bool = False
) -> Anchored:
    """A pattern with its anchors (from `memo` when it knows them), compiled when first used;
    with `reach`, how far its matches reach too (for `Anchored.matches`)."""
    found = memo.anchors(pattern, flags) if memo is not None else required_words(pattern, flags)
    if not reach:
        return Anchored(pattern, flags, found)
    far = memo.reach(pattern, flags) if memo is not None else reach_of(pattern, flags)
    return Anchored(pattern, flags, found, far)


@dataclass
class AnchorMemo:
    """The anchors of patterns seen before, kept in `path` (JSON: "FLAGS PATTERN" -> the sorted
    anchors, or null) between processes. The file's name carries a hash of this module's code,
    so a change to how anchors are found starts a new file; `save` writes it when it learnt a
    pattern (atomically: processes that load the lexicons at once do not clash)."""

    path: Path | None
    known: dict[str, list[Any] | None] = field(default_factory=dict)  # anchors, reaches
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

    def reach(self, pattern: str, flags: int) -> Reach:
        key = f"reach {flags} {pattern}"
        if key in self.known:
            known = self.known[key]
            return None if known is None else (int(known[0]), int(known[1]))
        found = reach_of(pattern, flags)
        self.known[key] = None if found is None else list(found)
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


def reach_of(pattern: str, flags: int = 0) -> Reach:
    """How far a match of `pattern` reaches from its start, counting what its look-aheads read:
    (fixed, per_space) for at most fixed + per_space * r characters, r the longest run of
    whitespace in the text (what an unbounded ``\\s*`` can take); None when unbounded."""
    return _reach(P.parse(pattern, flags))


def _reach(sequence: P.SubPattern | list[tuple[object, object]]) -> Reach:
    fixed = per_space = 0
    for op, av in sequence:
        part: Reach
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            part = (1, 0)
        elif op is C.AT:
            part = (0, 0)
        elif op is C.SUBPATTERN:
            part = _reach(av[3])  # type: ignore[index]
        elif op is C.ATOMIC_GROUP:
            part = _reach(av)
        elif op is C.BRANCH:
            options = [_reach(alt) for alt in av[1]]  # type: ignore[index]
            if any(o is None for o in options):
                return None
            part = (max(o[0] for o in options), max(o[1] for o in options))  # type: ignore[index]
        elif op in (C.ASSERT, C.ASSERT_NOT):
            direction, inner = av  # type: ignore[misc]
            part = _reach(inner) if direction == 1 else (0, 0)  # a look-behind reads behind
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _low, high, inner = av  # type: ignore[misc]
            if high == C.MAXREPEAT:
                if not _is_space(inner):
                    return None
                part = (0, 1)  # a run of whitespace: at most the text's longest
            else:
                each = _reach(inner)
                if each is None:
                    return None
                part = (high * each[0], high * each[1])
        else:
            return None  # back-references and the like: no bound known
        if part is None:
            return None
        fixed += part[0]
        per_space += part[1]
    return fixed, per_space


def _is_space(sequence: P.SubPattern) -> bool:
    """One character that only whitespace matches (``\\s``, a space)."""
    items = list(sequence)
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is C.LITERAL:
        return chr(av).isspace()
    if op is C.IN:
        return all(
            (kind is C.CATEGORY and value is C.CATEGORY_SPACE)
            or (kind is C.LITERAL and chr(value).isspace())
            for kind, value in av
        )
    return False


SPACE_RUN = re.compile(r"\s+")


def longest_space_run(text: str) -> int:
    """The longest run of whitespace in `text` (what `Anchored.matches` needs)."""
    return max((m.end() - m.start() for m in SPACE_RUN.finditer(text)), default=0)
