"""Deadlines on made-up sentences, resolved against a publication date."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.deadlines import extract_deadlines
from newsledger.extract.lexicons import (
    AttributionLexicon,
    load_deadline_lexicon,
)
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import extract_quotes
from newsledger.records import Deadline

PUBLISHED = "2024-11-05T09:00:00"


def deadlines_of(
    nlp: Language, lex: AttributionLexicon, text: str, published: str | None = PUBLISHED
) -> list[Deadline]:
    doc = nlp(text)
    people = extract_people(doc, lex)
    quotes = extract_quotes(doc, people, lex)
    return extract_deadlines(doc, published, quotes, people, load_deadline_lexicon())


CASES = [
    # (text, deadline, precision, relation, subject)
    (
        "The closure of the northern base by October 2025 was agreed.",
        "2025-10",
        "month",
        "by",
        "closure of the northern base",
    ),
    (
        "The mission will end no later than the end of March 2026.",
        "2026-03-31",
        "day",
        "no later than",
        "The mission will end",
    ),
    (
        "Foreign troops will stay until August 2026.",
        "2026-08",
        "month",
        "until",
        "Foreign troops will stay",
    ),
    (
        "The vote is scheduled for March 2026.",
        "2026-03",
        "month",
        "scheduled for",
        "The vote is scheduled",
    ),
    ("The withdrawal must happen within two years.", "2026-11", "month", "within", None),
    ("The prisoners will be released within 30 days.", "2024-12-05", "day", "within", None),
    ("A new constitution will be drafted by 2027.", "2027-12", "year", "by", None),
    ("The ceasefire must hold until the end of 2025.", "2025-12-31", "day", "until", None),
    ("The airport will reopen by March 15, 2025.", "2025-03-15", "day", "by", None),
    ("The envoy will report by 1 February 2025.", "2025-02-01", "day", "by", None),
    ("The first elections are set for June.", "2025-06", "month", "scheduled for", None),
    ("The new budget is due by next year.", "2025-12", "year", "by", None),
    ("The bridge will be rebuilt by mid-2026.", "2026-06", "month", "by", None),
    (
        "In October 2024, the adviser met the envoy. "
        "He outlined a three-year transition period to rebuild the army.",
        "2027-10",
        "month",
        "period",
        "three-year transition period to rebuild the army",
    ),
]


@pytest.mark.parametrize(("text", "deadline", "precision", "relation", "subject"), CASES)
def test_deadlines(
    nlp: Language,
    lex: AttributionLexicon,
    text: str,
    deadline: str,
    precision: str,
    relation: str,
    subject: str | None,
) -> None:
    found = deadlines_of(nlp, lex, text)
    assert [(d.deadline, d.precision, d.relation) for d in found] == [
        (deadline, precision, relation)
    ]
    if subject is not None:
        assert found[0].subject == subject
    assert found[0].evidence.text in text
    assert found[0].stated_by is None


@pytest.mark.parametrize(
    "text",
    [
        "Until 2014, the group held the city.",  # history, not a deadline
        "The convoy was stopped by the army near the border.",
        "The talks went on until late at night.",
    ],
)
def test_not_deadlines(nlp: Language, lex: AttributionLexicon, text: str) -> None:
    assert deadlines_of(nlp, lex, text) == []


def test_relative_dates_need_a_publication_date(nlp: Language, lex: AttributionLexicon) -> None:
    text = "The withdrawal must happen within two years."
    assert deadlines_of(nlp, lex, text, published=None) == []
    found = deadlines_of(nlp, lex, "The base will close by October 2025.", published=None)
    assert [d.deadline for d in found] == ["2025-10"]


def test_stated_by_the_speaker_of_the_quote(nlp: Language, lex: AttributionLexicon) -> None:
    text = "“We will hand over the airport by June 2025,” the spokesman, Adel Nouri, said."
    found = deadlines_of(nlp, lex, text)
    assert [(d.deadline, d.relation, d.stated_by) for d in found] == [
        ("2025-06", "by", "Adel Nouri")
    ]
    promised = deadlines_of(nlp, lex, "The parties promised a new constitution by 2027.")
    assert [(d.deadline, d.stated_by) for d in promised] == [("2027-12", "parties")]


def test_two_deadlines_in_one_sentence(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "The plan contains the closure of the river base by May 2025 "
        "and the hill base by July 2026."
    )
    found = deadlines_of(nlp, lex, text)
    assert [d.deadline for d in found] == ["2025-05", "2026-07"]
    assert found[0].subject == "closure of the river base"
