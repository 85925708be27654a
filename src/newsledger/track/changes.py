"""The four kinds of change between reports, each with both pieces of evidence and a reason.

- `stance changed`: the same speaker, on the same topic, takes the other side of a stance
  dimension (data/track_stance.json: "settled" - unchanged, fixed, final vs not final, under
  review; "support"; "presence" - troops stay vs leave), a negator flipping a cue ("not
  final"). One speaker's statements are on the same topic when their topic texts or their
  own words are alike.
- `reaffirmed`: the same side of the same dimension on the same topic, later (by the same
  speaker, or by another one when the topics agree closely); or, with no stance cue, the same
  speaker saying again in other words what an earlier report quoted (`_restated_pair`); shown
  quietly. One utterance quoted twice (the same words, or one speaker's reports within
  `RESTATE_MIN_DAYS`) is not a restatement.
- `deadline differs`: two reports give different dates for the same commitment (dates compared
  at the coarser precision: 2025-09 agrees with 2025-09-30).
- `figure differs`: the same quantity (unit and subject) with values more than 10% apart.

A later statement whose sentence retells what was said before ("said last month that") is no
new position of its speaker; a cue inside a question asserts nothing.

"Same topic" is a `TopicSimilarity` over each statement's topic text (the record's words plus
its sentence, and the sentence before when the statement opens with "these", "it", ...).
A statement is paired at most once per kind and article pair: the best-scoring pair wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from newsledger.records import Change, RecordRef
from newsledger.track.stance import (  # the stance of a statement (and its old home here)
    NO_RULES,
    Stance,
    StanceCue,
    StanceLexicon,
    _phrase_at,
    load_stance_lexicon,
    stance_cues,
    stance_of,
)
from newsledger.track.topics import TopicSimilarity, word_tuple, words

__all__ = [
    "NO_RULES",
    "Candidate",
    "Stance",
    "StanceCue",
    "StanceLexicon",
    "Statement",
    "find_changes",
    "load_stance_lexicon",
    "stance_cues",
    "stance_of",
]

STANCE_TOPIC = 0.2  # same speaker, opposite sides: topic similarity needed
REAFFIRM_SAME_SPEAKER = 0.3
REAFFIRM_OTHER_SPEAKER = 0.15  # and the cue is said of the same thing ("timelines")
BOUNDS = (
    (1, ("more than", "over", "at least", "upwards of", "in excess of", "above")),
    (-1, ("fewer than", "less than", "under", "up to", "at most", "nearly", "almost", "below")),
)
# a restatement without a stance cue: the same speaker says again, in other words, what they
# said in an earlier report (the quotes' own words alike, their topics alike); quotes with the
# same words are one utterance reported twice, and reports close in time mostly quote one
# utterance in different excerpts
RESTATE_OWN = 0.45
RESTATE_TOPIC = 0.25
REPRINT_OVERLAP = 0.8
QUOTED_RUN = 6
RESTATE_MIN_DAYS = 2
DEADLINE_TOPIC = 0.3
FIGURE_TOPIC = 0.5
FIGURE_TOLERANCE = 0.10


_NON_WORDS = re.compile(r"\W+")


@dataclass(frozen=True)
class Statement:
    """One stored quote, deadline or claim as tracking sees it."""

    article: str
    kind: str  # quote, deadline, claim (RecordRef.kind)
    ordinal: int
    published: str
    source: str | None
    speaker_key: str | None
    speaker: str | None  # canonical
    topic: str
    stance: Stance
    record: dict[str, Any]

    @property
    def order(self) -> tuple[str, str, int]:
        return (self.published, self.article, self.ordinal)

    @property
    def ref(self) -> RecordRef:
        return RecordRef(article=self.article, kind=self.kind, record=self.record)


def _day(published: str) -> str:
    return published[:10] if published else "undated"


def _q(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(topics: TopicSimilarity, a: Statement, b: Statement) -> str:
    terms = [t.strip("[]") for t in topics.shared_terms(a.topic, b.topic)]
    return ", ".join(terms[:4]) if terms else "?"


def _by_time(a: Statement, b: Statement) -> tuple[Statement, Statement]:
    return (a, b) if a.order <= b.order else (b, a)


@dataclass(frozen=True)
class Candidate:
    score: float
    change: Change
    earlier: Statement
    later: Statement


def has_phrase(text: str, phrases: Sequence[Sequence[str]]) -> bool:
    if isinstance(phrases, tuple):  # the lexicon's: a statement is asked for every pair
        return _has_phrase(text, phrases)
    ws = words(text)
    return any(_phrase_at(ws, i, p) for p in phrases for i in range(len(ws)))


@functools.lru_cache(maxsize=1 << 13)  # pure
def _has_phrase(text: str, phrases: tuple[Sequence[str], ...]) -> bool:
    ws = words(text)
    return any(_phrase_at(ws, i, p) for p in phrases for i in range(len(ws)))


def tells_before(s: Statement, lex: StanceLexicon) -> bool:
    """Whether a statement's sentence tells what was said before ("said last month that")."""
    return has_phrase(str((s.record.get("evidence") or {}).get("text") or ""), lex.back_references)


def _stance_pairs(
    new: Statement, old: Statement, topics: TopicSimilarity, lex: StanceLexicon
) -> Iterable[Candidate]:
    shared = set(new.stance) & set(old.stance)
    if not shared:
        return
    same_speaker = new.speaker_key is not None and new.speaker_key == old.speaker_key
    earlier, later = _by_time(new, old)
    if same_speaker and tells_before(later, lex):
        return  # the later report retells an earlier statement: nothing new was said
    a, b = str(new.record.get("text") or ""), str(old.record.get("text") or "")
    # the topic similarity and whether the two quotes are one utterance are worked out when a
    # rule first needs them (profiled: asked for every pair, they were most of this function)
    sim: float | None = None
    restated: bool | None = None
    for dimension in sorted(shared):
        e_side, e_cue, e_of, e_after = earlier.stance[dimension]
        l_side, l_cue, l_of, l_after = later.stance[dimension]
        if dimension in lex.said_of_required and not topics.shared_terms(
            f"{e_of} {e_after}", f"{l_of} {l_after}"
        ):
            continue
        if e_side != l_side:
            if not same_speaker:
                continue
            if sim is None:
                sim = _quote_similarity(new, old, a, b, same_speaker, topics)
            if sim < STANCE_TOPIC:
                continue
            why = f"{later.speaker} no longer holds the position ({dimension}) on "
            kind = "stance changed"
        else:
            # another speaker restates a position only when the cue is said of the same thing,
            # and not of the earlier speaker ("reports that the council has agreed" reports the
            # council's position rather than restating it)
            others_may = (
                dimension in lex.restated_by_others
                and bool(topics.shared_terms(e_of, l_of))
                and set(word_tuple(earlier.speaker or "")).isdisjoint(word_tuple(l_of))
            )
            if not (same_speaker or others_may):
                continue
            if restated is None:
                # a position restated, not one utterance quoted twice (nor, by one speaker,
                # within days)
                gap = days_apart(new.published, old.published)
                restated = (
                    not same_speaker or (gap is not None and gap >= RESTATE_MIN_DAYS)
                ) and not same_utterance(a, b)
            if not restated:
                continue
            if sim is None:
                sim = _quote_similarity(new, old, a, b, same_speaker, topics)
            if not (
                (same_speaker and sim >= REAFFIRM_SAME_SPEAKER)
                or (others_may and sim >= REAFFIRM_OTHER_SPEAKER)
            ):
                continue
            why = f"{later.speaker or 'a later report'} restates the position ({dimension}) on "
            kind = "reaffirmed"
        label = _label(topics, earlier, later)
        when = f"{_day(earlier.published)}: “{e_cue}”; {_day(later.published)}: “{l_cue}”"
        yield Candidate(
            sim,
            Change(
                kind=kind,  # type: ignore[arg-type]
                speaker=later.speaker if same_speaker else None,
                topic=label,
                earlier=earlier.ref,
                later=later.ref,
                why=f"{why}{label}: {when}",
            ),
            earlier,
            later,
        )


def _quote_similarity(
    new: Statement, old: Statement, a: str, b: str, same_speaker: bool, topics: TopicSimilarity
) -> float:
    """How alike two quotes' topics are; for one speaker, the more alike of their topics and
    their own words `a`, `b` (one speaker's own words alike are on one topic, whatever the
    context)."""
    sim = topics.similarity(new.topic, old.topic)
    if same_speaker:
        sim = max(sim, topics.similarity(a, b))
    return sim


def same_utterance(a: str, b: str) -> bool:
    """Whether two quotes are one utterance quoted twice: most of the shorter one's words are
    in the other, or they share a run of `QUOTED_RUN` words."""
    sa, runs_a = _word_set_and_runs(a)
    sb, runs_b = _word_set_and_runs(b)
    if len(sa & sb) >= REPRINT_OVERLAP * max(1, min(len(sa), len(sb))):
        return True
    return not runs_a.isdisjoint(runs_b)


@functools.lru_cache(maxsize=1 << 13)  # pure; a quote is compared with hundreds of others
def _word_set_and_runs(text: str) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """A text's words, and its runs of `QUOTED_RUN` words."""
    ws = words(text)
    runs = frozenset(tuple(ws[i : i + QUOTED_RUN]) for i in range(len(ws) - QUOTED_RUN + 1))
    return frozenset(ws), runs


def days_apart(a: str, b: str) -> int | None:
    """Days between two ISO dates (None when either is missing or not a date)."""
    day_a, day_b = _ordinal_day(a[:10]), _ordinal_day(b[:10])
    if day_a is None or day_b is None:
        return None
    return abs(day_a - day_b)


@functools.lru_cache(maxsize=1 << 12)  # pure; asked for every pair of quotes
def _ordinal_day(text: str) -> int | None:
    """An ISO date's day number (`date.toordinal`), or None when it is not a date."""
    try:
        return date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def _restated_pair(
    new: Statement,
    old: Statement,
    topics: TopicSimilarity,
    counts: frozenset[str],
    lex: StanceLexicon,
) -> Candidate | None:
    """The same speaker saying again, in other words and on another day, what an earlier
    report quoted: `reaffirmed` without a stance cue. Quotes reporting a toll (killed, died)
    are news of different events, not a position."""
    if not lex.restatements or new.speaker_key is None or new.speaker_key != old.speaker_key:
        return None
    if {d: v[0] for d, v in new.stance.items()} != {d: v[0] for d, v in old.stance.items()}:
        return None  # a cue on one side only, or opposite sides: not one position restated
    a, b = str(new.record.get("text") or ""), str(old.record.get("text") or "")
    gap = days_apart(new.published, old.published)
    if gap is None or gap < RESTATE_MIN_DAYS or same_utterance(a, b):
        return None
    if not counts.isdisjoint(word_tuple(a)) or not counts.isdisjoint(word_tuple(b)):
        return None  # (the words of "a b" are a's then b's)
    own = topics.similarity(a, b)
    if own < RESTATE_OWN or topics.similarity(new.topic, old.topic) < RESTATE_TOPIC:
        return None
    earlier, later = _by_time(new, old)
    if tells_before(later, lex):
        return None
    label = ", ".join(t.strip("[]") for t in topics.shared_terms(a, b)[:4]) or "?"
    why = (
        f"{later.speaker} says again on {_day(later.published)} what they said on "
        f"{_day(earlier.published)}, in other words ({label})"
    )
    change = Change(
        kind="reaffirmed",
        speaker=later.speaker,
        topic=label,
        earlier=earlier.ref,
        later=later.ref,
        why=why,
    )
    return Candidate(own, change, earlier, later)


def _coarse(a: str, b: str) -> tuple[str, str]:
    n = min(len(a), len(b))
    return a[:n], b[:n]


def same_sentence(a: Statement, b: Statement) -> bool:
    """Both records rest on the same sentence (a paragraph reprinted in another report): their
    dates or figures can differ only by how they were read, not by what was said."""
    ea = _bare_lower(str((a.record.get("evidence") or {}).get("text") or ""))
    eb = _bare_lower(str((b.record.get("evidence") or {}).get("text") or ""))
    return bool(ea) and ea == eb


@functools.lru_cache(maxsize=1 << 13)  # pure; a record is compared in hundreds of pairs
def _bare_lower(text: str) -> str:
    """The words of a sentence, lower-cased, one space between them."""
    return _NON_WORDS.sub(" ", text).strip().lower()


def bound(s: Statement) -> int:
    """Whether a claim's figure is a bound in its sentence: +1 "more than 40" (a floor), -1
    "up to 40" / "nearly 40" (a ceiling), 0 a plain figure: a phrase of `BOUNDS`, white space,
    the figure as written (`40`, `1,000`, `2.5`) and no word character after it."""
    text = str((s.record.get("evidence") or {}).get("text") or "")
    value = float(s.record["value"])
    shown = (f"{value:g}", f"{value:,.0f}") if value == int(value) else (f"{value:g}",)
    return _bound(text, shown)


@functools.lru_cache(maxsize=1 << 14)  # pure; asked for each pair a claim is compared in
def _bound(sentence: str, shown: tuple[str, ...]) -> int:
    text = sentence.lower()
    for sign, phrases in _BOUND_PHRASES:
        for match in phrases.finditer(text):
            after = match.end()
            for number in shown:
                end = after + len(number)
                if text.startswith(number, after) and not _WORD.match(text, end):
                    return sign
    return 0


# each side's phrases, then white space: no phrase can begin inside another's match, so the
# matches `finditer` gives are every place a phrase is followed by white space
_BOUND_PHRASES = tuple(
    (sign, re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in phrases)})\s+"))
    for sign, phrases in BOUNDS
)
_WORD = re.compile(r"\w")


def _consistent(a: Statement, b: Statement) -> bool:
    """Two figures that a bound allows ("more than 40" and 46)."""
    va, vb = float(a.record["value"]), float(b.record["value"])
    for x, vx, vy in ((a, va, vb), (b, vb, va)):
        side = bound(x)
        if (side == 1 and vy >= vx) or (side == -1 and vy <= vx):
            return True
    return False


def _deadline_pair(new: Statement, old: Statement, topics: TopicSimilarity) -> Candidate | None:
    a, b = new.record, old.record
    if same_sentence(new, old):
        return None
    if (a.get("relation") == "period") != (b.get("relation") == "period"):
        return None  # a period and a date are different commitments
    da, db = _coarse(str(a["deadline"]), str(b["deadline"]))
    if da == db:
        return None
    sim = _on_topic(new, old, topics, DEADLINE_TOPIC)
    if sim is None:
        return None
    return _differs("deadline differs", sim, new, old, _deadline_state, _deadline_topic, named=True)


def _deadline_state(r: dict[str, Any]) -> str:
    return f"{r['relation']} {r['deadline']}"


def _deadline_topic(r: dict[str, Any]) -> str:
    return _q(str(r["subject"]))


def _on_topic(
    new: Statement, old: Statement, topics: TopicSimilarity, floor: float
) -> float | None:
    """Two statements' topic similarity when it reaches `floor` and their shared terms include a
    specific word (not only topic classes); None otherwise."""
    sim = topics.similarity(new.topic, old.topic)
    if sim < floor or not specific(topics.shared_terms(new.topic, old.topic)):
        return None
    return sim


def _differs(
    kind: Literal["deadline differs", "figure differs"],
    sim: float,
    new: Statement,
    old: Statement,
    state: Callable[[dict[str, Any]], str],
    topic: Callable[[dict[str, Any]], str],
    named: bool = False,
) -> Candidate:
    """A deadline or figure that differs between two reports, earlier and later by publication:
    why = "<earlier state> (<day>) against <later state> (<day>)", with " for “<topic>”" when
    `named`; the topic is the later record's."""
    earlier, later = _by_time(new, old)
    subject = topic(later.record)
    why = " against ".join(f"{state(s.record)} ({_day(s.published)})" for s in (earlier, later))
    if named:
        why += f" for “{subject}”"
    change = Change(
        kind=kind,
        speaker=None,
        topic=subject,
        earlier=earlier.ref,
        later=later.ref,
        why=why,
    )
    return Candidate(sim, change, earlier, later)


def specific(terms: Sequence[str]) -> bool:
    """Whether shared topic terms include a specific word, not only topic classes."""
    return any(not t.startswith("[") for t in terms)


def event_toll(s: Statement, counts: frozenset[str]) -> bool:
    """A claim counting an event's dead or wounded (a tally of that event, not a quantity)."""
    text = f"{s.record.get('unit') or ''} {s.record.get('subject') or ''}"
    return not counts.isdisjoint(word_tuple(text))


def _figure_pair(
    new: Statement, old: Statement, topics: TopicSimilarity, counts: frozenset[str]
) -> Candidate | None:
    va, vb = float(new.record["value"]), float(old.record["value"])
    if max(va, vb) <= 0 or abs(va - vb) / max(va, vb) <= FIGURE_TOLERANCE:
        return None
    if unit_head(str(new.record["unit"])) != unit_head(str(old.record["unit"])):
        return None
    if event_toll(new, counts) or event_toll(old, counts):
        return None
    if same_sentence(new, old) or _consistent(new, old):
        return None
    sim = _on_topic(new, old, topics, FIGURE_TOPIC)
    if sim is None:
        return None
    return _differs("figure differs", sim, new, old, _figure_state, _figure_topic)


def _figure_state(r: dict[str, Any]) -> str:
    return f"{r['value']:g} {r['unit']}"


def _figure_topic(r: dict[str, Any]) -> str:
    return _q(f"{r['unit']} {r.get('subject') or ''}")


@functools.lru_cache(maxsize=1 << 12)  # pure; asked twice for every pair of claims
def unit_head(unit: str) -> str:
    """The counted noun of a claim's unit ("US troops" -> "troop")."""
    ws = [w for w in words(unit) if not w.isdigit()]
    if not ws:
        return ""
    head = ws[-1]
    return head[:-1] if head.endswith("s") and len(head) > 3 else head


def find_changes(
    new: Sequence[Statement],
    candidates: Sequence[Statement],
    topics: TopicSimilarity,
    event_counts: frozenset[str] = frozenset(),
    stance: StanceLexicon = NO_RULES,
) -> list[Change]:
    """The changes between one article's statements and candidate statements of other
    articles (each statement used at most once per kind and article pair, best score first;
    a new statement changes or reaffirms at most one earlier one). Another speaker reaffirms
    only in the `stance.restated_by_others` dimensions."""
    found: list[Candidate] = []
    of_kind: dict[str, list[Statement]] = {}  # the candidates of each kind, in their order
    for c in candidates:
        of_kind.setdefault(c.kind, []).append(c)
    for s in new:
        for c in of_kind.get(s.kind, ()):
            if c.article == s.article:
                continue
            if s.kind == "quote":
                if s.stance and c.stance:  # else no dimension is shared: no pair
                    found.extend(_stance_pairs(s, c, topics, stance))
                again = _restated_pair(s, c, topics, event_counts, stance)
                if again:
                    found.append(again)
            elif s.kind == "deadline":
                cand = _deadline_pair(s, c, topics)
                if cand:
                    found.append(cand)
            elif s.kind == "claim":
                cand = _figure_pair(s, c, topics, event_counts)
                if cand:
                    found.append(cand)
    found.sort(key=lambda c: c.earlier.order, reverse=True)  # ties: the most recent first
    found.sort(key=lambda c: -c.score)
    new_article = new[0].article if new else ""
    used: set[tuple[str, str, str, int, str]] = set()
    kept: list[Change] = []
    for cand in found:
        kind = cand.change.kind
        pair = f"{cand.earlier.article}|{cand.later.article}"
        keys = [
            (kind, pair, "e", cand.earlier.ordinal, ""),
            (kind, pair, "l", cand.later.ordinal, ""),
        ]
        if kind == "stance changed":  # one stance change per speaker and article pair
            keys.append((kind, pair, "speaker", 0, cand.change.speaker or ""))
        if kind in ("stance changed", "reaffirmed"):
            # a new statement changes or restates one earlier position: its closest match
            mine = cand.later if cand.later.article == new_article else cand.earlier
            keys.append((kind, "new", "n", mine.ordinal, ""))
        if any(k in used for k in keys):
            continue
        used.update(keys)
        kept.append(cand.change)
    return kept
