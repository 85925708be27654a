"""A statement's stance: the cues of data/track_stance.json ("final", "not final", "support",
"withdraw*") found in its words, each with its side after negation ("not final") and the words
around it, by dimension ("settled", "support", "presence"). `newsledger.track.changes` compares
the stances of two reports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsledger.datafiles import read_json
from newsledger.track.topics import words


@dataclass(frozen=True)
class StanceLexicon:
    negators: tuple[tuple[str, ...], ...]
    window: int
    cues: tuple[tuple[str, int, tuple[str, ...]], ...]  # (dimension, +1/-1, words)
    # dimensions another speaker can reaffirm (about a thing, not the speaker's attitude)
    restated_by_others: frozenset[str] = frozenset()
    # dimensions whose cues are common verbs of many senses ("leave", "exit"): two statements
    # compare only when their cues are said of the same thing
    said_of_required: frozenset[str] = frozenset()
    # words by which a report tells what was said before ("last month"): such a statement is
    # no new position of its speaker
    back_references: tuple[tuple[str, ...], ...] = ()
    # whether one speaker's restatement in other words, with no stance cue, is `reaffirmed`
    restatements: bool = False
    # the cues by their first word (`_first_words`): made from `cues`, not compared
    starting: dict[str, tuple[int, ...]] = field(
        init=False, compare=False, repr=False, default_factory=dict
    )
    prefixed: tuple[tuple[str, tuple[int, ...]], ...] = field(
        init=False, compare=False, repr=False, default=()
    )
    always: tuple[int, ...] = field(init=False, compare=False, repr=False, default=())

    def __post_init__(self) -> None:
        starting, prefixed, always = _first_words(self.cues)
        object.__setattr__(self, "starting", starting)
        object.__setattr__(self, "prefixed", prefixed)
        object.__setattr__(self, "always", always)


def _first_words(
    cues: Sequence[tuple[str, int, tuple[str, ...]]],
) -> tuple[dict[str, tuple[int, ...]], tuple[tuple[str, tuple[int, ...]], ...], tuple[int, ...]]:
    """Where each cue (by its index) can start: the cues whose first word is a word, by that
    word; those whose first word is a prefix (`"withdr*"`), by the prefix; those with no word."""
    starting: dict[str, list[int]] = {}
    prefixed: dict[str, list[int]] = {}
    always: list[int] = []
    for i, (_dimension, _sign, phrase) in enumerate(cues):
        if not phrase:
            always.append(i)
        elif phrase[0].endswith("*"):
            prefixed.setdefault(phrase[0][:-1], []).append(i)
        else:
            starting.setdefault(phrase[0], []).append(i)
    return (
        {w: tuple(ids) for w, ids in starting.items()},
        tuple((p, tuple(ids)) for p, ids in prefixed.items()),
        tuple(always),
    )


def load_stance_lexicon() -> StanceLexicon:
    data = read_json("track_stance.json")
    cues = []
    for dimension, sides in data["dimensions"].items():
        for side, sign in (("positive", 1), ("negative", -1)):
            for phrase in sides[side]:
                cues.append((dimension, sign, tuple(phrase.lower().split())))
    cues.sort(key=lambda c: -len(c[2]))  # longest phrases first
    return StanceLexicon(
        negators=tuple(tuple(n.split()) for n in data["negators"]),
        window=int(data["negation_window"]),
        cues=tuple(cues),
        restated_by_others=frozenset(data.get("restated_by_others", ())),
        said_of_required=frozenset(data.get("said_of_required", ())),
        back_references=tuple(tuple(b.lower().split()) for b in data.get("back_references", ())),
        restatements=bool(data.get("restatements", False)),
    )


NO_RULES = StanceLexicon((), 0, ())
"""No stance cues and no extra rules (comparing deadlines and figures needs none)."""


def _word_match(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _phrase_at(ws: Sequence[str], i: int, phrase: Sequence[str]) -> bool:
    if i + len(phrase) > len(ws):
        return False
    return all(_word_match(p, ws[i + k]) for k, p in enumerate(phrase))


@dataclass(frozen=True)
class StanceCue:
    dimension: str
    sign: int
    text: str  # the words as matched, negator included
    before: str  # up to six words before it: what the cue is said of ("these timelines")
    after: str  # up to six words after it ("leave Syria")


QUESTION = re.compile(r"[^.!?]*\?")


def stance_cues(text: str, lex: StanceLexicon) -> list[StanceCue]:
    """The stance cues in a statement, each with its side after negation. A question ("why
    are we staying?") asserts no position: its words are left out."""
    if "?" in text:  # (profiled: the pattern tries every offset of a text with no question)
        text = QUESTION.sub(" ", text)
    ws = [w.replace("n't", " n't").split()[-1] if w.endswith("n't") else w for w in words(text)]
    taken: set[int] = set()
    found: list[StanceCue] = []
    starts: dict[str, list[int]] = {}  # a phrase's first pattern -> where it matches, in order
    at: dict[str, list[int]] = {}  # each word -> where it is, in order
    for i, w in enumerate(ws):
        at.setdefault(w, []).append(i)
    for dimension, sign, phrase in _possible(lex, at):
        # only the positions where its first word matches can start a phrase (profiled: trying
        # every position for every cue was most of tracking's time)
        first = phrase[0] if phrase else None
        if first is not None and first not in starts:
            if first.endswith("*"):  # a prefix (`_word_match`)
                prefix = first[:-1]
                starts[first] = [i for i, w in enumerate(ws) if w.startswith(prefix)]
            else:
                starts[first] = at.get(first, [])
        for i in starts[first] if first is not None else range(len(ws)):
            if any(j in taken for j in range(i, i + len(phrase))):
                continue
            if not _phrase_at(ws, i, phrase):
                continue
            taken.update(range(i, i + len(phrase)))
            start = i
            flipped = False
            for j in range(max(0, i - lex.window), i):
                if any(_phrase_at(ws, j, n) for n in lex.negators):
                    flipped, start = True, j
                    break
            words_ = " ".join(ws[start : i + len(phrase)])
            end = i + len(phrase)
            before = " ".join(ws[max(0, start - 6) : start])
            after = " ".join(ws[end : end + 6])
            found.append(StanceCue(dimension, -sign if flipped else sign, words_, before, after))
    return found


def _possible(
    lex: StanceLexicon, at: dict[str, list[int]]
) -> list[tuple[str, int, tuple[str, ...]]]:
    """The cues whose first word is among a statement's words (`at`), in the lexicon's order:
    the others match nowhere (profiled: going through all of them for every quote was most of
    `stance_of`)."""
    found = set(lex.always)
    for word in at:
        found.update(lex.starting.get(word, ()))
    if lex.prefixed and at:
        joined = " " + " ".join(at)  # (the words have no spaces)
        for prefix, ids in lex.prefixed:
            if " " + prefix in joined:  # a word starts with it
                found.update(ids)
    return [lex.cues[i] for i in sorted(found)]


Stance = dict[str, tuple[int, str, str, str]]
"""dimension -> (side, cue words, the words before the cue, the words after it)."""


def stance_of(text: str, lex: StanceLexicon) -> Stance:
    """A statement's stance by dimension; a dimension with cues on both sides is left out."""
    sides: dict[str, set[int]] = {}
    first: dict[str, StanceCue] = {}
    for cue in stance_cues(text, lex):
        sides.setdefault(cue.dimension, set()).add(cue.sign)
        first.setdefault(cue.dimension, cue)
    return {
        d: (next(iter(s)), first[d].text, first[d].before, first[d].after)
        for d, s in sides.items()
        if len(s) == 1
    }
