"""Tracking's fast paths give what the plain forms give."""

from __future__ import annotations

import json

import pytest

from newsledger.track import _kept_statement, _parse_statement, _statement, changes
from newsledger.track.changes import Statement, find_changes, load_stance_lexicon
from newsledger.track.topics import LexicalTopics, load_topic_lexicon, load_topics, stem, words


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
    fast = [changes.stance_cues(t, lex) for t in STANCE_TEXTS]
    monkeypatch.setattr(changes, "_possible", lambda lex, at: list(lex.cues))
    plain = [changes.stance_cues(t, lex) for t in STANCE_TEXTS]
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
