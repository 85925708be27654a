"""Inputs with a messy `published` date are read, not rejected (issue 13, item 4).

The fixtures (tests/readers/fixtures/messy_dates) are written for the project: invented places and
forces. What is read of each value, its precision, the one warning per file, the store, and the
wider precision of dates resolved against such a publication date.
"""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.errors import Rejection
from newsledger.extract.deadlines import extract_deadlines
from newsledger.extract.events.dates import resolve_event_date
from newsledger.extract.lexicons import AttributionLexicon, DeadlineLexicon
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import extract_quotes
from newsledger.readers import read_inputs
from newsledger.readers.dates import MessyDateWarning, read_messy, resolve
from newsledger.records import Article, Extraction
from newsledger.store import open_ledger

FIXTURES = Path(__file__).parent / "fixtures" / "messy_dates"
REFERENCE = date(2031, 12, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("value", "published", "precision"),
    [
        ("December 9", "2031-12-09", "day"),
        ("9 Dec. 2019", "2019-12-09", "day"),
        ("Thursday, Dec. 11, 2031 at 7:58 p.m. ET", "2031-12-11", "day"),
        ("January 3", "2032-01-03", "day"),  # the year that puts it nearest the reference
        ("Monday", "2031-12-08", "week"),
        ("Wednesday", "2031-12-10", "week"),
        ("December 2019", "2019-12-15", "month"),
        ("2019-12", "2019-12-15", "month"),
        ("2019", "2019-07-01", "year"),
        ("7:58 AM ET", None, None),  # a time alone: the day stays unknown
        ("yesterday", None, None),
    ],
)
def test_what_is_read_of_a_messy_value(value: str, published: str | None, precision: str) -> None:
    partial = read_messy(value)
    assert partial is not None
    reading = resolve(partial, REFERENCE)
    assert (reading.published, reading.precision) == (published, precision)


@pytest.mark.parametrize("value", ["December 9", "Monday", "December"])
def test_no_year_or_week_is_guessed_without_a_reference(value: str) -> None:
    partial = read_messy(value)
    assert partial is not None
    reading = resolve(partial, None)
    assert (reading.published, reading.precision) == (None, None)


@pytest.mark.parametrize("value", ["99999-01-01", "0000", "Mon, 01 Jan 10000 10:00:00 GMT", "12"])
def test_numbers_that_cannot_be_a_date_are_not_read(value: str) -> None:
    assert read_messy(value) is None


def read_all(path: Path) -> tuple[list[Article | Rejection], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = list(read_inputs([str(path)]))
    return items, [str(w.message) for w in caught if issubclass(w.category, MessyDateWarning)]


def test_jsonl_articles_are_kept_with_their_precision_and_one_warning() -> None:
    items, warned = read_all(FIXTURES / "desk.jsonl")
    articles = {a.id: a for a in items if isinstance(a, Article)}
    dated = {k: (a.published, a.published_precision) for k, a in articles.items()}
    assert dated == {
        "messy-001": ("2031-12-10T08:00:00", None),  # exact: as given, no precision
        "messy-002": ("2031-12-09", "day"),  # the year of the file's other article
        "messy-003": ("2031-12-09", "day"),
        "messy-004": (None, None),
        "messy-005": ("2031-12-08", "week"),
        "messy-007": ("2031-12-15", "month"),
    }
    reasons = [r.reason for r in items if isinstance(r, Rejection)]
    assert len(reasons) == 2  # still refused: an impossible date, a line without text
    assert any("impossible date '2031-13-45'" in r for r in reasons)
    assert any("no 'text' field" in r for r in reasons)
    assert len(warned) == 1
    assert warned[0].startswith(f"{FIXTURES / 'desk.jsonl'}: 5 articles")
    assert "2 day, 1 week, 1 month, 1 unknown" in warned[0]


def test_feed_entries_take_the_year_and_week_of_the_feed() -> None:
    items, warned = read_all(FIXTURES / "wire.rss")
    dated = [(a.title, a.published, a.published_precision) for a in items if isinstance(a, Article)]
    assert dated == [
        ("Bridge", "2031-06-09", "day"),  # lastBuildDate 2031-06-11
        ("Market", "2031-06-09", "week"),  # the Monday before the feed's Wednesday
        ("Council", None, None),
    ]
    assert len(warned) == 1 and ": 3 articles" in warned[0]


def test_text_header_with_a_free_form_date() -> None:
    (alone,), warned = read_all(FIXTURES / "header.txt")
    assert isinstance(alone, Article)
    assert (alone.source, alone.published, alone.published_precision) == (
        "Example Wire",
        None,  # one article in the file: no year to take
        None,
    )
    assert alone.text.startswith("The invented Harbor Guard")
    assert len(warned) == 1
    (full,), _ = read_all(FIXTURES / "header_full.txt")
    assert isinstance(full, Article)
    assert (full.published, full.published_precision) == ("2031-12-09", "day")


def test_a_first_line_that_only_starts_with_date_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "date of the meeting - From: the ministry of the invented Port Quill\n\nBody.\n"
    )
    (item,), warned = read_all(path)
    assert isinstance(item, Article) and item.text.startswith("date of the meeting")
    assert not warned


def test_exact_dates_give_the_same_article_json_as_before() -> None:
    (item,), _ = read_all(FIXTURES / "header_full.txt")
    assert isinstance(item, Article)
    assert item.to_dict()["published_precision"] == "day"
    exact = Article("a", None, "2031-12-09", None, None, "x", "x")
    assert "published_precision" not in exact.to_dict()


def test_an_article_with_a_messy_date_is_stored_with_its_precision(
    ledger_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "m1", "published": "December 9", "text": "Invented."}) + "\n")
    (article,), warned = read_all(path)
    assert isinstance(article, Article) and len(warned) == 1
    with open_ledger(ledger_url) as ledger:
        ledger.store(Extraction(article=article))
        (row,) = ledger.iter_rows("articles")
    assert (row["published"], row["published_precision"]) == (None, None)  # no other article
    path.write_text(
        json.dumps({"id": "m0", "published": "2031-12-20", "text": "Invented too."})
        + "\n"
        + json.dumps({"id": "m2", "published": "December 9", "text": "Invented again."})
        + "\n"
    )
    items, _ = read_all(path)
    with open_ledger(ledger_url) as ledger:
        for item in items:
            assert isinstance(item, Article)
            ledger.store(Extraction(article=item))
        stored = {
            r["id"]: (r["published"], r["published_precision"])
            for r in ledger.iter_rows("articles")
        }
    assert stored["m2"] == ("2031-12-09", "day")
    assert stored["m0"] == ("2031-12-20", None)


@pytest.mark.parametrize(
    ("text", "precision", "expected"),
    [
        ("Gunmen attacked a patrol yesterday.", None, ("2031-12-14", 1)),
        ("Gunmen attacked a patrol yesterday.", "day", ("2031-12-14", 1)),
        ("Gunmen attacked a patrol yesterday.", "week", ("2031-12-14", 2)),
        ("Gunmen attacked a patrol yesterday.", "month", ("2031-12-14", 3)),
        ("Gunmen attacked a patrol yesterday.", "year", (None, None)),
        # an explicit date does not depend on the publication date
        ("Gunmen attacked a patrol on 9 May 2031.", "month", ("2031-05-09", 1)),
    ],
)
def test_relative_event_dates_take_the_wider_precision(
    text: str, precision: str | None, expected: tuple[str | None, int | None]
) -> None:
    assert resolve_event_date(text, "2031-12-15", None, precision) == expected


def test_relative_deadlines_take_the_wider_precision(
    nlp: Language, lex: AttributionLexicon, deadline_lexicon: DeadlineLexicon
) -> None:
    def deadlines(precision: str | None) -> list[tuple[str, str]]:
        doc = nlp(
            "The ministry said the road would reopen within 90 days. Talks end by March 2032."
        )
        people = extract_people(doc, lex)
        quotes = extract_quotes(doc, people, lex)
        found = extract_deadlines(doc, "2031-12-15", quotes, people, deadline_lexicon, precision)
        return [(d.deadline, d.precision) for d in found]

    assert deadlines(None) == [("2032-03-14", "day"), ("2032-03", "month")]
    assert deadlines("month") == [("2032-03-14", "month"), ("2032-03", "month")]
    assert deadlines("year") == [("2032-03-14", "year"), ("2032-03", "month")]
