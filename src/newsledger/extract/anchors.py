"""Anchored patterns: a regular expression with the literal words any match must contain.

The lexicons compile hundreds of case-insensitive patterns (event cues, actor names), and a
pattern that starts with `\\b` or a look-behind makes Python's engine try it at every offset of
the text. Most of them cannot match a given report: none of their words occur in it. An
`Anchored` pattern carries the words one of which every match holds (read from the parsed
pattern, not written by hand), so `finditer` skips the scan when none is in the text. Matches
are exactly those of the bare pattern; patterns without a usable anchor are always scanned.

A pattern is compiled when a text first holds one of its anchors (`lazily`): a report needs few
of the lexicons' patterns, and compiling all of them took a quarter of a second in every process
that loads the lexicons.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
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
        return self.anchors is None or any(a in folded for a in self.anchors)

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The pattern's matches in `text` (`folded` is `text.casefold()`, if already made)."""
        if self.may_match(text.casefold() if folded is None else folded):
            yield from self.regex.finditer(text)


def anchored(regex: re.Pattern[str]) -> Anchored:
    """A compiled pattern with its anchors."""
    found = Anchored(regex.pattern, regex.flags, required_words(regex.pattern, regex.flags))
    found.__dict__["regex"] = regex  # compiled already (what `cached_property` would keep)
    return found


def lazily(pattern: str, flags: int = 0) -> Anchored:
    """A pattern with its anchors, compiled when it is first used."""
    return Anchored(pattern, flags, required_words(pattern, flags))


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
