"""The four change kinds on articles written for the tests, tracked incrementally."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.records import Claim
from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from newsledger.track.changes import load_stance_lexicon, stance_of
from newsledger.track.views import list_changes
from tests.helpers.track_articles import deadline, person, quote, store

SPEAKER = "Lina Marwadi"
TITLE = "port authority director"


def test_stance_cues_and_negation() -> None:
    lex = load_stance_lexicon()
    assert stance_of("The schedule is fixed", lex)["settled"][0] == 1
    assert stance_of("the plans are still not final", lex)["settled"][0] == -1
    assert stance_of("we reject the proposal", lex)["support"][0] == -1
    assert stance_of("the ferry timetable", lex) == {}


def _ledger_with_changes(tmp_path: Path) -> str:
    db = str(tmp_path / "l.db")
    tracker = load_tracker()
    with open_ledger(db) as ledger:
        text1 = (
            "Director Lina Marwadi said the harbour dredging plan stays on course. "
            "The dredging timetable for the northern harbour has been agreed with contractors. "
            "Our schedule is unchanged, she said."
        )
        store(
            ledger,
            "c1",
            "2024-01-10",
            text=text1,
            entities=(person(SPEAKER, TITLE),),
            quotes=(
                quote(
                    SPEAKER,
                    "Our schedule is unchanged",
                    TITLE,
                    "Our schedule is unchanged, she said.",
                    text1.index("Our"),
                ),
            ),
            deadlines=(
                deadline(
                    "completion of the northern harbour dredging",
                    "2025-06",
                    sentence="Dredging of the northern harbour will be complete by June 2025.",
                ),
            ),
            claims=(
                Claim(
                    400.0, "dock workers", "employed at the northern harbour", None, Span_(text1)
                ),
            ),
        )
        text2 = (
            "Lina Marwadi, the port authority director, said the harbour dredging timetable "
            "for the northern harbour is not final."
        )
        store(
            ledger,
            "c2",
            "2024-03-02",
            text=text2,
            entities=(person(SPEAKER, TITLE),),
            quotes=(
                quote(
                    SPEAKER,
                    "the harbour dredging timetable for the northern harbour is not final",
                    TITLE,
                    text2,
                ),
            ),
            deadlines=(
                deadline(
                    "completion of the northern harbour dredging",
                    "2026-01",
                    sentence="Dredging of the northern harbour will be complete by January 2026.",
                ),
            ),
            claims=(
                Claim(
                    650.0, "dock workers", "employed at the northern harbour", None, Span_(text2)
                ),
            ),
        )
        text3 = (
            "Harbour engineer Omar Telli said the dredging timelines for the northern "
            "harbour are fixed."
        )
        store(
            ledger,
            "c3",
            "2024-04-01",
            text=text3,
            entities=(person("Omar Telli", "engineer"),),
            quotes=(
                quote(
                    "Omar Telli",
                    "the dredging timelines for the northern harbour are fixed",
                    "engineer",
                    text3,
                ),
            ),
        )
        for article in ("c1", "c2", "c3"):
            track_article(ledger, article, tracker)
        assert track_article(ledger, "c3", tracker).already_tracked
    return db


def Span_(text: str):  # type: ignore[no-untyped-def]  # the whole text as evidence
    from newsledger.records import Evidence

    return Evidence(0, len(text), text)


def test_each_kind_of_change(tmp_path: Path) -> None:
    db = _ledger_with_changes(tmp_path)
    with open_ledger(db) as ledger:
        changes = list_changes(ledger)
    kinds = {(c["kind"], c["earlier"]["article"], c["later"]["article"]) for c in changes}
    assert ("stance changed", "c1", "c2") in kinds
    assert ("deadline differs", "c1", "c2") in kinds
    assert ("figure differs", "c1", "c2") in kinds
    assert ("reaffirmed", "c1", "c3") in kinds
    assert not any(k == "stance changed" and b == "c3" for k, _, b in kinds)
    stance = next(c for c in changes if c["kind"] == "stance changed")
    assert stance["speaker"] == SPEAKER
    assert "unchanged" in stance["why"] and "not final" in stance["why"]
    assert stance["earlier"]["record"]["evidence"]["text"]
    assert stance["later"]["record"]["evidence"]["text"]


def test_changes_and_person_commands(tmp_path: Path) -> None:
    db = _ledger_with_changes(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["changes", "--db", db])
    assert result.exit_code == 0, result.output
    assert "stance changed" in result.output and "deadline differs" in result.output
    since = runner.invoke(
        main, ["changes", "--db", db, "--since", "2024-03-15", "--format", "json"]
    )
    assert since.exit_code == 0, since.output
    assert '"stance changed"' not in since.output and '"reaffirmed"' in since.output
    mine = runner.invoke(main, ["changes", "--db", db, "--person", "Marwadi"])
    assert "stance changed" in mine.output and "Omar Telli restates" in mine.output
    page = runner.invoke(main, ["person", "Lina Marwadi", "--db", db])
    assert page.exit_code == 0, page.output
    assert "2024-01-10" in page.output and "2024-03-02" in page.output
    missing = runner.invoke(main, ["person", "Nobody Here", "--db", db])
    assert missing.exit_code != 0


def test_noisy_cues_and_bounded_figures() -> None:
    from newsledger.track.changes import Statement, bound, find_changes, same_sentence
    from newsledger.track.topics import load_topics

    lex = load_stance_lexicon()
    assert "threat" not in stance_of("the militia is defeated and no longer a threat", lex)
    assert stance_of("an insurgency against the state", lex) == {}

    def claim(article: str, value: float, sentence: str) -> Statement:
        record = {
            "value": value,
            "unit": "dock workers",
            "subject": "at the northern harbour",
            "evidence": {"text": sentence},
        }
        topic = "dock workers employed at the northern harbour"
        return Statement(article, "claim", 0, article, "Test Wire", None, None, topic, {}, record)

    a = claim("2024-01-01", 46, "About 46 dock workers are employed at the northern harbour.")
    b = claim("2024-02-01", 40, "More than 40 dock workers are employed at the northern harbour.")
    c = claim("2024-03-01", 90, "About 90 dock workers are employed at the northern harbour.")
    assert bound(b) == 1 and bound(a) == 0 and not same_sentence(a, b)
    topics = load_topics()
    assert find_changes([b], [a], topics) == []  # "more than 40" allows 46
    assert [x.kind for x in find_changes([c], [a], topics)] == ["figure differs"]
    reprint = claim("2024-04-01", 90, "About 46 dock workers are employed at the northern harbour.")
    assert same_sentence(a, reprint) and find_changes([reprint], [a], topics) == []


@pytest.mark.parametrize(
    ("value", "sentence", "side"),
    [
        (40, "More than 40 dock workers", 1),
        (40, "more than  400 dock workers", 0),  # another figure
        (400, "More than 40 dock workers", 0),
        (1000, "Over 1,000 dock workers and up to 9 cranes", 1),
        (1000, "over 1000 dock workers", 1),
        (9, "Over 1,000 dock workers and UP TO 9 cranes", -1),
        (2.5, "nearly 2.5 tonnes", -1),
        (40, "nearly 40.5 tonnes", -1),  # the figure as written, then no word character
        (40, "nearly 40s tonnes", 0),
        (40, "moreover 40 dock workers", 0),  # "over" only as a word
        (40, "at least\n40 dock workers", 1),
        (40, "at least40 dock workers", 0),
        (40, "about 40, more than 40 dock workers", 1),
        (40, "below 30 and above 40", 1),
    ],
)
def test_a_bound_is_a_phrase_right_before_the_figure(
    value: float, sentence: str, side: int
) -> None:
    from newsledger.track.changes import Statement, bound

    record = {"value": value, "unit": "x", "evidence": {"text": sentence}}
    s = Statement("a", "claim", 0, "2024-01-01", None, None, None, "", {}, record)
    assert bound(s) == side
