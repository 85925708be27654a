"""Numeric claims on made-up sentences: values, units, what is not a count, who claims it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.claims import extract_claims, parse_number
from newsledger.extract.lexicons import (
    AttributionLexicon,
    NumberLexicon,
    load_number_lexicon,
)
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import extract_quotes
from newsledger.records import Claim


def claims_of(nlp: Language, lex: AttributionLexicon, text: str) -> list[Claim]:
    doc = nlp(text)
    people = extract_people(doc, lex)
    return extract_claims(doc, extract_quotes(doc, people, lex), people, load_number_lexicon())


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["2,500"], 2500.0),
        (["1.5", "million"], 1_500_000.0),
        (["two", "thousand"], 2000.0),
        (["twenty", "-", "five"], 25.0),
        (["three", "hundred", "and", "forty"], 340.0),
        (["a", "dozen"], 12.0),
        (["eight"], 8.0),
        (["many"], None),
    ],
)
def test_parse_number(numbers: NumberLexicon, words: list[str], value: float | None) -> None:
    assert parse_number(words, numbers) == value


COUNTS = [
    # (text, value, unit, subject, claimed by)
    (
        "Around 1,800 soldiers remain in the country.",
        1800.0,
        "soldiers",
        "remain in the country",
        None,
    ),
    (
        "About 3,400 fighters and their relatives live in the camp.",
        3400.0,
        "fighters and their relatives",
        "live in the camp",
        None,
    ),
    (
        "Some 1.5 million people have fled the region.",
        1_500_000.0,
        "people",
        "have fled the region",
        None,
    ),
    ("Two thousand families returned last month.", 2000.0, "families", "returned last month", None),
    ("The jets struck eight hideouts near the river.", 8.0, "hideouts", "struck by jets", None),
    (
        "Nearly 40 percent of voters backed the plan.",
        40.0,
        "percent of voters",
        "backed the plan",
        None,
    ),
    (  # a pledge is the donors' statement
        "The donors pledged $250 million for the rebuilding.",
        250_000_000.0,
        "US dollars",
        None,
        "donors",
    ),
]


@pytest.mark.parametrize(("text", "value", "unit", "subject", "claimed_by"), COUNTS)
def test_counts(
    nlp: Language,
    lex: AttributionLexicon,
    text: str,
    value: float,
    unit: str,
    subject: str | None,
    claimed_by: str | None,
) -> None:
    claims = claims_of(nlp, lex, text)
    assert [(c.value, c.unit) for c in claims] == [(value, unit)]
    if subject is not None:
        assert claims[0].subject == subject
    assert claims[0].evidence.text == text
    assert claims[0].claimed_by == claimed_by


@pytest.mark.parametrize(
    "text",
    [
        "The group was founded in 2014 and grew quickly.",
        "The village lies 45 kilometers from the city.",
        "They agreed on a 12-month deadline for the talks.",
        "Two F-16 jets flew over the hills.",
        "Dozens of militants were arrested on Tuesday.",
        "The first convoy left at 8:30 in the morning.",
        "A 43-year-old man was wounded.",
        "One of the reasons is the drought.",
        "The talks lasted three days.",
    ],
)
def test_not_counts(nlp: Language, lex: AttributionLexicon, text: str) -> None:
    values = [c.value for c in claims_of(nlp, lex, text)]
    if text.startswith("Two F-16"):
        assert values == [2.0]  # the jets are counted, the model name is not
    else:
        assert values == []


def test_claimed_by_the_speaker_of_the_quote(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "Security analyst Omar Khalil spoke to reporters. "
        "“The camp holds 12,000 people and nobody guards it,” Khalil said."
    )
    claims = claims_of(nlp, lex, text)
    assert [(c.value, c.unit, c.claimed_by) for c in claims] == [(12000.0, "people", "Omar Khalil")]


def test_indirect_claim_and_organisation_source(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Figures from the Kurdistan Monitoring Network showed that 37 detainees escaped."
    claims = claims_of(nlp, lex, text)
    assert [(c.value, c.unit, c.claimed_by) for c in claims] == [
        (37.0, "detainees", "Kurdistan Monitoring Network")
    ]
