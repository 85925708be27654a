"""Tracking's fast paths give what the plain forms give."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest

from newsledger.records import Change
from newsledger.track import _kept_statement, _parse_statement, _statement, changes, stance
from newsledger.track.changes import (
    REAFFIRM_OTHER_SPEAKER,
    REAFFIRM_SAME_SPEAKER,
    RESTATE_MIN_DAYS,
    STANCE_TOPIC,
    Candidate,
    StanceLexicon,
    Statement,
    _by_time,
    _day,
    _label,
    days_apart,
    find_changes,
    load_stance_lexicon,
    same_utterance,
    tells_before,
)
from newsledger.track.topics import (
    LexicalTopics,
    TopicSimilarity,
    load_topic_lexicon,
    load_topics,
    stem,
    word_tuple,
    words,
)


def _row(
    ordinal: int, text: str, stance: dict[str, list[object]] | None = None
) -> tuple[object, ...]:
    record = {"ordinal": ordinal, "text": text, "evidence": {"text": text, "start": 0}}
    return (
        "art-1",
        "quote",
        ordinal,
        "2024-01-01T00:00:00",
        "Test Wire",
        "person:1",
        "Lina Marwadi",
        text,
        json.dumps(stance or {}),
        json.dumps(record),
    )


def test_a_stored_statement_parsed_once_equals_its_plain_parse() -> None:
    row = _row(1, "The schedule is fixed", {"settled": [1, "fixed", "the schedule", ""]})
    first, again = _statement(row), _statement(tuple(row))
    assert first == _parse_statement(row)
    assert again is first  # the same row: its parse kept
    assert first.stance == {"settled": (1, "fixed", "the schedule", "")}


def test_a_statement_filed_again_with_other_values_is_parsed_again() -> None:
    before = _statement(_row(2, "The schedule is fixed"))
    after = _statement(_row(2, "The plans are not final"))
    assert before.record["text"] == "The schedule is fixed"
    assert after.record["text"] == "The plans are not final"


def test_rows_with_decoded_json_are_parsed_without_keeping() -> None:
    """psycopg gives JSONB columns decoded (dicts, which cannot key a cache)."""
    row = list(_row(3, "We reject the proposal"))
    row[8], row[9] = json.loads(str(row[8])), json.loads(str(row[9]))
    hits = _kept_statement.cache_info().hits
    assert _statement(row) == _parse_statement(_row(3, "We reject the proposal"))
    assert _kept_statement.cache_info().hits == hits


def _quote(article: str, ordinal: int, stance: int | None, published: str) -> Statement:
    row = list(_row(ordinal, "The ferry schedule", None))
    row[0], row[3] = article, published
    s = _parse_statement(row)
    if stance is None:
        return s
    return Statement(**{**s.__dict__, "stance": {"settled": (stance, "fixed", "schedule", "")}})


def test_find_changes_compares_only_candidates_of_the_same_kind_in_order() -> None:
    """Candidates of other kinds and of the same article in between change nothing."""
    topics = load_topics("lexical")
    new = [_quote("art-9", 1, -1, "2024-02-01")]
    old = _quote("art-2", 1, 1, "2024-01-01")
    other_kind = Statement(**{**old.__dict__, "kind": "claim", "article": "art-3"})
    same_article = _quote("art-9", 2, 1, "2024-02-01")
    plain = find_changes(new, [old], topics)
    mixed = find_changes(new, [other_kind, same_article, old], topics)
    assert mixed == plain
    assert [c.kind for c in plain] == ["stance changed"]


STANCE_TEXTS = (
    "The schedule is fixed",
    "The plans are still not final",
    "We reject the proposal and will not withdraw our troops",
    "Why are we staying? The troops will stay until the job is done.",
    "Our forces are withdrawing; the timeline is no longer final, and we don't support it.",
    "The ferry timetable",
    "",
    "They haven't agreed, nor have they rejected the deal. Is the plan final?",
)


def test_stance_cues_tried_by_first_word_equal_every_cue_tried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_possible` leaves out only cues whose first word is nowhere in the statement."""
    lex = load_stance_lexicon()
    fast = [stance.stance_cues(t, lex) for t in STANCE_TEXTS]
    monkeypatch.setattr(stance, "_possible", lambda lex, at: list(lex.cues))
    plain = [stance.stance_cues(t, lex) for t in STANCE_TEXTS]
    assert fast == plain
    assert sum(map(len, plain)) >= 8  # the texts hold cues of several kinds, negated or not
    assert any(c.sign == -1 for cues in plain for c in cues)


def _plain_terms(topics: LexicalTopics, text: str, exclude: tuple[str, ...]) -> frozenset[str]:
    """`LexicalTopics.terms` as it was written before a word's term was remembered."""
    skip = {w.lower() for w in exclude}
    out = set()
    for word in words(text):
        if word in topics.lexicon.stopwords or word in skip or len(word) < 2:
            continue
        if word[0].isdigit() or word.split("-")[0].isdigit():
            continue
        cls = topics.lexicon.classes.get(word)
        if cls is None:
            for part in word.split("-"):
                cls = topics.lexicon.classes.get(part)
                if cls:
                    break
        out.add(f"[{cls}]" if cls else stem(word, topics.lexicon.min_stem))
    return frozenset(out)


def test_remembered_word_terms_equal_the_plain_terms() -> None:
    topics = LexicalTopics(load_topic_lexicon(), cache_size=2)  # let go every 8 words
    texts = [*STANCE_TEXTS, "US troops' withdrawal from 3 bases", "Ceasefire talks in Doha-based"]
    for exclude in ((), ("Marwadi", "troops"), ("schedule",)):
        for text in texts * 2:
            assert topics.terms(text, exclude) == _plain_terms(topics, text, exclude)


# `changes._stance_pairs` as it was written before its rules asked for the topic similarity
# and same_utterance only when needed: the plain form the fast one is compared with
def _plain_stance_pairs(
    new: Statement, old: Statement, topics: TopicSimilarity, lex: StanceLexicon
) -> Iterable[Candidate]:
    shared = set(new.stance) & set(old.stance)
    if not shared:
        return
    same_speaker = new.speaker_key is not None and new.speaker_key == old.speaker_key
    sim = topics.similarity(new.topic, old.topic)
    a, b = str(new.record.get("text") or ""), str(old.record.get("text") or "")
    if same_speaker:  # one speaker's own words alike are on one topic, whatever the context
        sim = max(sim, topics.similarity(a, b))
    # a position restated, not one utterance quoted twice (nor, by one speaker, within days)
    gap = days_apart(new.published, old.published)
    restated = not same_utterance(a, b) and (
        not same_speaker or (gap is not None and gap >= RESTATE_MIN_DAYS)
    )
    earlier, later = _by_time(new, old)
    if same_speaker and tells_before(later, lex):
        return  # the later report retells an earlier statement: nothing new was said
    for dimension in sorted(shared):
        e_side, e_cue, e_of, e_after = earlier.stance[dimension]
        l_side, l_cue, l_of, l_after = later.stance[dimension]
        # another speaker restates a position only when the cue is said of the same thing, and
        # not of the earlier speaker ("reports that the council has agreed" reports the
        # council's position rather than restating it)
        reported = not set(word_tuple(earlier.speaker or "")).isdisjoint(word_tuple(l_of))
        said_of_same = bool(topics.shared_terms(e_of, l_of))
        around = bool(topics.shared_terms(f"{e_of} {e_after}", f"{l_of} {l_after}"))
        if dimension in lex.said_of_required and not around:
            continue
        others_may = dimension in lex.restated_by_others and said_of_same and not reported
        label = _label(topics, earlier, later)
        when = f"{_day(earlier.published)}: “{e_cue}”; {_day(later.published)}: “{l_cue}”"
        if e_side != l_side and same_speaker and sim >= STANCE_TOPIC:
            why = f"{later.speaker} no longer holds the position ({dimension}) on {label}: {when}"
            kind = "stance changed"
        elif (e_side == l_side and restated) and (
            (same_speaker and sim >= REAFFIRM_SAME_SPEAKER)
            or (others_may and sim >= REAFFIRM_OTHER_SPEAKER)
        ):
            who = later.speaker or "a later report"
            why = f"{who} restates the position ({dimension}) on {label}: {when}"
            kind = "reaffirmed"
        else:
            continue
        yield Candidate(
            sim,
            Change(
                kind=kind,  # type: ignore[arg-type]
                speaker=later.speaker if same_speaker else None,
                topic=label,
                earlier=earlier.ref,
                later=later.ref,
                why=why,
            ),
            earlier,
            later,
        )


QUOTE_TEXTS = (
    "The timetable for the harbour dredging is final",
    "The harbour dredging timetable is not final and remains under review",
    "We will keep our troops in the harbour town",
    "Our troops will leave the harbour town",
    "The ceasefire deal is fixed, we support it",
    "Dredging will keep to its timetable, the plan is final",
)


def _stance_statement(
    article: str,
    published: str,
    speaker: str,
    text: str,
    stance: dict[str, tuple[int, str, str, str]],
) -> Statement:
    told = ", she said last week" if published == "2024-01-02" else ", she said"
    record = {"text": text, "evidence": {"text": f"{text}{told}", "start": 0}}
    return Statement(
        article,
        "quote",
        1,
        published,
        "Test Wire",
        f"person:{speaker}",
        speaker,
        text,
        stance,
        record,
    )


def test_stance_pairs_asked_when_needed_equal_the_plain_ones() -> None:
    """Every combination of speakers, sides, dimensions, dates and texts: the same candidates."""
    topics = load_topics("lexical")
    lex = load_stance_lexicon()
    sides = (
        {"settled": (1, "final", "the timetable", "and")},
        {"settled": (-1, "not final", "timetable", "remains")},
        {"presence": (1, "keep", "we will", "our troops"), "support": (1, "support", "we", "it")},
        {"presence": (-1, "leave", "troops will", "the harbour town")},
        {"settled": (1, "fixed", "the ceasefire deal", ""), "support": (-1, "reject", "", "")},
        {"settled": (1, "final", "harbour dredging timetable", "and will")},
    )
    statements = [
        _stance_statement(f"a{n}", published, speaker, text, stance)
        for n, (published, speaker, text, stance) in enumerate(
            (p, sp, t, st)
            for p in ("2024-01-01", "2024-01-02", "2024-03-01", "")
            for sp in ("Lina Marwadi", "Omar Sfeir")
            for t, st in zip(QUOTE_TEXTS, sides, strict=True)
        )
    ]
    found = plain = 0
    for new in statements:
        for old in statements:
            fast_pairs = list(changes._stance_pairs(new, old, topics, lex))
            plain_pairs = list(_plain_stance_pairs(new, old, topics, lex))
            assert fast_pairs == plain_pairs
            found += len(fast_pairs)
            plain += any(c.change.kind == "reaffirmed" for c in plain_pairs)
    assert found > 50 and plain > 5  # both kinds of change among them


def test_days_apart_from_remembered_day_numbers() -> None:
    pairs = [
        ("2024-01-01", "2024-03-01T10:00:00"),
        ("2024-03-01", "2024-01-01"),
        ("", "2024-01-01"),
    ]
    pairs += [("2024-02-30", "2024-01-01"), ("2023-12-31T23:59", "2024-01-01")]
    expected = [60, 60, None, None, 1]
    assert [days_apart(a, b) for a, b in pairs] == expected
    assert [days_apart(a, b) for a, b in pairs] == expected  # remembered
