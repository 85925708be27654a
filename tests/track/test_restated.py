"""Restatements, organisation speakers and the presence dimension, on articles written for the
tests (made-up people and places; general actors such as governments are real names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from newsledger.track.changes import load_stance_lexicon, same_utterance, stance_of
from newsledger.track.identities import load_org_lexicon, speaker_org
from newsledger.track.views import list_changes
from tests.helpers.track_articles import person, quote, store

SPEAKER = "Salim Haddad"
TITLE = "harbour minister"


def test_organisation_forms_name_one_speaker() -> None:
    orgs = load_org_lexicon()
    for form in ("Ankara", "Turkey’s foreign ministry", "the Turkish government", "Turkey"):
        assert speaker_org(form, orgs) == "Turkey", form
    assert speaker_org("Kremlin spokesman", orgs) == "Russia"
    assert speaker_org("Downing Street", orgs) == "United Kingdom"
    # a group or another body is not the government
    assert speaker_org("Turkish journalists", orgs) is None
    assert speaker_org("Syrian Observatory for Human Rights", orgs) is None


def test_presence_cues_questions_and_reprints() -> None:
    lex = load_stance_lexicon()
    assert stance_of("the troops will stay for months", lex)["presence"][0] == 1
    assert stance_of("our soldiers will leave the valley soon", lex)["presence"][0] == -1
    assert stance_of("we will not withdraw from the valley", lex)["presence"][0] == 1
    assert "presence" not in stance_of("Why are we staying in the valley?", lex)
    assert stance_of("we are providing support to the families", lex) == {}
    assert same_utterance(
        "the bridge tolls will be cut for every farmer in the valley",
        "he said the bridge tolls will be cut for every farmer in the valley next year",
    )
    assert not same_utterance(
        "the bridge tolls will be cut for farmers", "farmers will pay lower tolls on the bridge"
    )


def _track(db: Path, articles: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    """Store and track articles (id, published, speaker, quote, sentence); a speaker with a
    given name is a person entity of its article, any other an organisation."""
    tracker = load_tracker()
    with open_ledger(db) as ledger:
        for article_id, published, speaker, said, sentence in articles:
            people = (person(speaker, TITLE),) if speaker.startswith(("Salim", "Haddad")) else ()
            store(
                ledger,
                article_id,
                published,
                text=f"{sentence} Report {article_id}.",
                entities=people,
                quotes=(quote(speaker, said, TITLE, sentence),),
            )
        for article_id, *_ in articles:
            track_article(ledger, article_id, tracker)
        return list_changes(ledger)


def test_the_same_position_in_other_words_is_reaffirmed(tmp_path: Path) -> None:
    changes = _track(
        tmp_path / "l.db",
        [
            (
                "r1",
                "2024-05-01",
                SPEAKER,
                "the bridge tolls will be cut for every farmer in the valley",
                "Salim Haddad said the bridge tolls will be cut for every farmer in the valley.",
            ),
            (
                "r2",
                "2024-06-12",
                SPEAKER,
                "valley farmers will see the tolls on the bridge cut this summer",
                "Haddad told reporters valley farmers will see the tolls on the bridge cut "
                "this summer.",
            ),
            # the first report's words reprinted: one utterance, not a restatement of it
            (
                "r3",
                "2024-06-19",
                SPEAKER,
                "the bridge tolls will be cut for every farmer in the valley",
                "Salim Haddad said the bridge tolls will be cut for every farmer in the valley.",
            ),
            # a report retelling what he said before is no new statement
            (
                "r4",
                "2024-07-30",
                SPEAKER,
                "bridge tolls for valley farmers would be cut",
                "Haddad said last month that bridge tolls for valley farmers would be cut.",
            ),
        ],
    )
    pairs = {(c["kind"], c["earlier"]["article"], c["later"]["article"]) for c in changes}
    assert ("reaffirmed", "r1", "r2") in pairs
    assert ("reaffirmed", "r1", "r3") not in pairs  # the same words: one utterance
    assert not any(later == "r4" for _k, _e, later in pairs), pairs
    again = next(c for c in changes if c["later"]["article"] == "r2")
    assert again["speaker"] == SPEAKER and "says again" in again["why"]


def test_reports_a_day_apart_quote_one_utterance(tmp_path: Path) -> None:
    changes = _track(
        tmp_path / "l.db",
        [
            (
                "d1",
                "2024-05-01",
                SPEAKER,
                "the bridge tolls will be cut for every farmer in the valley",
                "Salim Haddad said the bridge tolls will be cut for every farmer in the valley.",
            ),
            (
                "d2",
                "2024-05-02",
                SPEAKER,
                "valley farmers will see the tolls on the bridge cut this summer",
                "Haddad said valley farmers will see the tolls on the bridge cut this summer.",
            ),
        ],
    )
    assert changes == []


def test_a_government_and_its_ministry_are_one_speaker(tmp_path: Path) -> None:
    changes = _track(
        tmp_path / "l.db",
        [
            (
                "g1",
                "2024-02-01",
                "Turkey’s defence ministry",
                "the troops will stay in the border valley until the spring",
                "Turkey’s defence ministry said the troops will stay in the border valley "
                "until the spring.",
            ),
            (
                "g2",
                "2024-03-20",
                "Ankara",
                "the troops will leave the border valley next week",
                "Ankara said the troops will leave the border valley next week.",
            ),
        ],
    )
    assert [(c["kind"], c["speaker"]) for c in changes] == [("stance changed", "Turkey")]
    assert "stay" in changes[0]["why"] and "leave" in changes[0]["why"]


def test_leaving_something_else_is_no_change_of_presence(tmp_path: Path) -> None:
    changes = _track(
        tmp_path / "l.db",
        [
            (
                "p1",
                "2024-02-01",
                SPEAKER,
                "the troops will stay in the border valley",
                "Salim Haddad said the troops will stay in the border valley.",
            ),
            (
                "p2",
                "2024-03-20",
                SPEAKER,
                "the union should leave the trade pact",
                "Salim Haddad said the union should leave the trade pact.",
            ),
        ],
    )
    assert changes == []


def test_statements_stored_before_the_words_after_a_cue_still_load() -> None:
    import json

    from newsledger.track import _statement

    row = (
        "x1",
        "quote",
        0,
        "2024-01-01",
        "Test Wire",
        "person:1",
        SPEAKER,
        "harbour plan",
        json.dumps({"settled": [1, "fixed", "the plan is"]}),
        json.dumps({"text": "the plan is fixed"}),
    )
    assert _statement(row).stance == {"settled": (1, "fixed", "the plan is", "")}
