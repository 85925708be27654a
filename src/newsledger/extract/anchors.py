"""Anchored patterns: a regular expression with the literal words any match must contain.

The lexicons compile hundreds of case-insensitive patterns (event cues, actor names), and a
pattern that starts with `\\b` or a look-behind makes Python's engine try it at every offset of
the text. Most of them cannot match a given report: none of their words occur in it. An
`Anchored` pattern carries the words one of which every match holds (read from the parsed
pattern, not written by hand: runs of literals, with the alternatives and small classes in them
spelt out), so `finditer` skips the scan when none is in the text. The words are casefolded and
looked for in the casefolded text, but those the pattern matches case-sensitively (`(?-i:IS)`)
are looked for as written. Matches are exactly those of the bare pattern; patterns without a
usable anchor, and texts holding a letter that casefolding would hide (`UNFOLDABLE`), are
always scanned.

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
MIN_EXACT = 2  # a case-sensitive anchor ("IS", "AA": written in `(?-i:...)`) from two letters
MAX_SPELLINGS = 32  # how many spellings a run of literals, alternatives and classes may take
GOOD_ANCHOR = 4  # past this length a word is rare enough: fewer words are then worth more
MAX_CLASS = 4  # a class of at most this many characters ("[iy]", "[sz]") is spelt out

# "İ" and "ı" match "i" when case is ignored but casefold to something else ("i̇", "ı"): the only
# such characters (tests/extract/test_anchors.py checks it), so a text holding one is scanned
UNFOLDABLE = ("\u0130", "\u0131")

Anchors = frozenset[str] | None
Word = tuple[str, bool]  # a literal a match holds, and whether it is matched case-sensitively
Words = frozenset[Word] | None
Reach = tuple[int, int] | None  # (fixed, per_space): at most fixed + per_space * r characters


@dataclass(frozen=True)
class Anchored:
    pattern: str
    flags: int
    anchors: Anchors  # casefolded words one of which every match contains; None: scan always
    reach: Reach = None  # how far a match reaches (`reach_of`); None: not known, scan it all
    exact: frozenset[str] = frozenset()  # words a match may contain instead, as written (`IS`)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (compiled on first use)."""
        return re.compile(self.pattern, self.flags)

    @cached_property
    def keys(self) -> frozenset[tuple[str, bool]] | None:
        """The anchors as (word, exact) pairs; None: scan always."""
        if self.anchors is None:
            return None
        return frozenset([*((a, False) for a in self.anchors), *((a, True) for a in self.exact)])

    def may_match(self, folded: str, text: str | None = None) -> bool:
        """Whether a text (`folded`: casefolded) can hold a match; its `exact` words are looked
        for in `text` (not given: taken as there, and the casefold as one to trust)."""
        if self.anchors is None or any(map(folded.__contains__, self.anchors)):
            return True
        if text is not None and not folds_safely(text):
            return True
        if not self.exact:
            return False
        return text is None or any(map(text.__contains__, self.exact))

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The pattern's matches in `text` (`folded` is `text.casefold()`, if already made)."""
        if self.may_match(text.casefold() if folded is None else folded, text):
            yield from self.regex.finditer(text)

    def matches(
        self, text: str, folded: str, space_run: int, safe: bool | None = None
    ) -> list[re.Match[str]]:
        """The matches `finditer` finds, looked for only near the anchors' occurrences when the
        pattern's reach is known (`space_run`: the longest run of whitespace in `text`; `safe`:
        `folds_safely(text)`, found here if not given).

        Every match holds an anchor and reaches at most `reach_of`'s bound, so it starts within
        that distance before an anchor's occurrence: only those stretches are searched (with
        `pos`, which lets a look-behind see what precedes, and an `endpos` past what any try
        from the stretch reads), in order and without overlaps, as `finditer` would.
        """
        if self.reach is None or self.anchors is None or len(folded) != len(text):
            return list(self.finditer(text, folded))  # a casefold that changed lengths, too
        if not (folds_safely(text) if safe is None else safe):
            return list(self.regex.finditer(text))
        bound = self.reach[0] + self.reach[1] * space_run + 2
        windows: list[tuple[int, int]] = []
        for anchor, exact in self.keys or ():
            within = text if exact else folded
            at = within.find(anchor)
            while at >= 0:
                windows.append((max(0, at + len(anchor) - bound), at))
                at = within.find(anchor, at + 1)
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


def folds_safely(text: str) -> bool:
    """Whether a match in `text` holds its casefolded anchors in `text.casefold()`."""
    return UNFOLDABLE[0] not in text and UNFOLDABLE[1] not in text


def anchored(regex: re.Pattern[str]) -> Anchored:
    """A compiled pattern with its anchors."""
    words, exact = anchor_words(regex.pattern, regex.flags)
    found = Anchored(regex.pattern, regex.flags, words, exact=exact)
    found.__dict__["regex"] = regex  # compiled already (what `cached_property` would keep)
    return found


def lazily(
    pattern: str, flags: int = 0, memo: AnchorMemo | None = None, reach: bool = False
) -> Anchored:
    """A pattern with its anchors (from `memo` when it knows them), compiled when first used;
    with `reach`, how far its matches reach too (for `Anchored.matches`)."""
    if memo is not None:
        words, exact = memo.anchors(pattern, flags)
    else:
        words, exact = anchor_words(pattern, flags)
    if not reach:
        return Anchored(pattern, flags, words, exact=exact)
    far = memo.reach(pattern, flags) if memo is not None else reach_of(pattern, flags)
    return Anchored(pattern, flags, words, far, exact)


@dataclass
class AnchorMemo:
    """The anchors of patterns seen before, kept in `path` (JSON: "FLAGS PATTERN" -> the sorted
    casefolded anchors and the sorted exact ones, or null) between processes. The file's name
    carries a hash of this module's code, so a change to how anchors are found starts a new
    file; `save` writes it when it learnt a pattern (atomically: processes that load the
    lexicons at once do not clash)."""

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

    def anchors(self, pattern: str, flags: int) -> tuple[Anchors, frozenset[str]]:
        key = f"{flags} {pattern}"
        if key in self.known:
            known = self.known[key]
            if known is None:
                return None, frozenset()
            return frozenset(known[0]), frozenset(known[1])
        words, exact = anchor_words(pattern, flags)
        self.known[key] = None if words is None else [sorted(words), sorted(exact)]
        self.learnt = True
        return words, exact

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
    """Casefolded literals one of which every match of `pattern` contains (or one of the exact
    words of `anchor_words`), or None."""
    return anchor_words(pattern, flags)[0]


def anchor_words(pattern: str, flags: int = 0) -> tuple[Anchors, frozenset[str]]:
    """The anchors of `pattern`: casefolded literals (looked for in the casefolded text) and
    case-sensitive ones (in the text as it is) one of which every match contains; (None, {})
    when there are none long enough to filter anything."""
    parsed = P.parse(pattern, flags)
    found = _anchors(parsed, bool(parsed.state.flags & C.SRE_FLAG_IGNORECASE))
    if not found:
        return None, frozenset()
    words = frozenset(w.casefold() for w, exact in found if not exact)
    exact = frozenset(w for w, is_exact in found if is_exact)
    if any(len(w) < MIN_ANCHOR for w in words) or any(len(w) < MIN_EXACT for w in exact):
        return None, frozenset()
    return words, exact


def _key(words: frozenset[Word]) -> tuple[int, int, int]:
    """How selective a set of words is: its shortest word (a case-sensitive one counts a letter
    more) up to `GOOD_ANCHOR`, then fewer words, then the shortest word."""
    shortest = min(len(w) + exact for w, exact in words)
    return min(shortest, GOOD_ANCHOR), -len(words), shortest


def _better(a: Words, b: Words) -> Words:
    """The more selective of two anchor sets: longer shortest word, then fewer words."""
    if a is None or not a:
        return b
    if b is None or not b:
        return a
    return a if _key(a) >= _key(b) else b


def _pruned(words: frozenset[Word]) -> frozenset[Word]:
    """The words without those that hold another word of the same kind (a match holding
    "ISIS" holds "IS")."""
    return frozenset(
        (w, e) for w, e in words if not any(e == f and v != w and v in w for v, f in words)
    )


def _join(before: frozenset[Word], after: frozenset[Word]) -> frozenset[Word] | None:
    """Every spelling of `before` followed by one of `after` (None: too many); a case-sensitive
    part joined to a case-insensitive one makes a case-insensitive word."""
    if len(before) * len(after) > MAX_SPELLINGS:
        return None
    return frozenset((v + w, e and f) for v, e in before for w, f in after)


EMPTY: frozenset[Word] = frozenset({("", True)})


def _ignoring(ignore: bool, av: Any) -> bool:
    """Whether a group's content ignores case (its flags add or remove `re.I`)."""
    if av[1] & C.SRE_FLAG_IGNORECASE:
        return True
    return False if av[2] & C.SRE_FLAG_IGNORECASE else ignore


def _lead(op: object, av: Any, ignore: bool) -> tuple[frozenset[Word], bool]:
    """The words every match of one item starts with, and whether it matches nothing more
    (the whole item is one of them). A zero-width item (``\\b``, a look-around) is the empty
    word: the literals on either side of it are adjacent in the text."""
    if op is C.LITERAL:
        return frozenset({(chr(av), not ignore)}), True
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return EMPTY, True
    if op is C.IN and len(av) <= MAX_CLASS and all(kind is C.LITERAL for kind, _ in av):
        return frozenset((chr(c), not ignore) for _, c in av), True
    if op is C.SUBPATTERN:
        return _sequence_lead(av[3], _ignoring(ignore, av))
    if op is C.BRANCH:
        leads = [_sequence_lead(alt, ignore) for alt in av[1]]
        words = frozenset().union(*(lead for lead, _ in leads))
        if len(words) > MAX_SPELLINGS:
            return EMPTY, False
        return words, all(whole for _, whole in leads)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] == av[1] == 1:
        return _sequence_lead(av[2], ignore)
    return EMPTY, False


def _sequence_lead(sequence: Any, ignore: bool) -> tuple[frozenset[Word], bool]:
    run = EMPTY
    for op, av in sequence:
        lead, whole = _lead(op, av, ignore)
        joined = _join(run, lead)
        if joined is None:
            return run, False
        run = joined
        if not whole:
            return run, False
    return run, True


def _anchors(sequence: Any, ignore: bool) -> Words:
    """The best anchor set of a parsed sequence: a mandatory run of literals (with the
    alternatives and small classes in it spelt out), or a mandatory part whose every
    alternative has its own anchors."""
    best: Words = None
    run = tail = EMPTY  # the literals before this item; those since the last spelt-out item
    for op, av in sequence:
        lead, whole = _lead(op, av, ignore)
        if len(lead) > 1:  # the run so far before it branches into spellings, and those alone
            best = _better(_better(_better(best, _pruned(run)), tail), _pruned(lead))
            tail = EMPTY
        joined = _join(run, lead)
        if joined is not None:
            run = joined
            if whole:
                if len(lead) == 1:
                    tail = _join(tail, lead) or EMPTY
                continue
        best = _better(_better(best, _pruned(run)), tail)
        run = tail = EMPTY
        part: Words = None
        if op is C.SUBPATTERN:
            part = _anchors(av[3], _ignoring(ignore, av))
        elif op is C.BRANCH:
            options = [_anchors(alt, ignore) for alt in av[1]]
            if all(o for o in options):
                part = _pruned(frozenset().union(*options))  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, inner = av
            if low >= 1:
                part = _anchors(inner, ignore)
        elif op is C.ATOMIC_GROUP:
            part = _anchors(av, ignore)
        best = _better(best, part)
    return _better(_better(best, _pruned(run)), tail)


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
