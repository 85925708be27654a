"""Event dates resolved against a fixed publication date (Thursday 19 December 2024)."""

from __future__ import annotations

import pytest

from newsledger.extract.events.dates import parse_published, resolve_event_date

PUBLISHED = "2024-12-19T13:05:28"

CASES = [
    # (text, expected date, expected ACLED time precision)
    ("On 9 May 2020, protesters gathered in the square.", "2020-05-09", 1),
    ("On May 9, 2020 gunmen attacked a bus.", "2020-05-09", 1),
    ("Around 9 May 2020 (as reported), a body was found.", "2020-05-09", 2),
    ("As reported on 28 April 2020, militants seized a truck.", "2020-04-28", 2),
    ("Around 2 May 2020 (from 2 - 4 May), residents rioted.", "2020-05-02", 2),
    ("At a meeting on November 23, the minister warned.", "2024-11-23", 1),
    ("The attack on 23rd November killed two.", "2024-11-23", 1),
    ("Fighting broke out on December 25.", "2023-12-25", 1),  # after publication: last year
    ("Last week, jets struck hideouts in the mountains.", "2024-12-12", 2),
    ("A week ago militants raided the village.", "2024-12-12", 2),
    ("Two weeks ago troops entered the town.", "2024-12-05", 2),
    ("Earlier this week police arrested five men.", "2024-12-19", 2),
    ("Yesterday a roadside bomb exploded.", "2024-12-18", 1),
    ("Last night rockets hit the base.", "2024-12-18", 1),
    ("The day before yesterday gunmen killed a farmer.", "2024-12-17", 1),
    ("Three days ago a drone struck a car.", "2024-12-16", 1),
    ("Today protesters blocked the road.", "2024-12-19", 1),
    ("On Monday, gunmen attacked a checkpoint.", "2024-12-16", 1),
    ("On Thursday, gunmen attacked a checkpoint.", "2024-12-19", 1),  # the publication day
    ("Late Sunday, a blast shook the city.", "2024-12-15", 1),
    ("The group recently executed 12 prisoners.", "2024-12-15", 3),
    ("Earlier this month, militants burned crops.", "2024-12-15", 3),
    ("Last month, the army retook the village.", "2024-11-15", 3),
    ("In November 2024, officials met in Baghdad.", "2024-11-15", 3),
    ("In early March, rebels shelled the town.", "2024-03-15", 3),
]


@pytest.mark.parametrize(("text", "day", "precision"), CASES)
def test_resolves_against_publication(text: str, day: str, precision: int) -> None:
    assert resolve_event_date(text, PUBLISHED) == (day, precision)


@pytest.mark.parametrize(
    "text",
    [
        "Militants may attack prisons, officials said.",  # "may" the verb, not the month
        "The attack was condemned by the government.",
        "In 2024 the group lost much of its strength.",  # a year alone is no event date
        "",
    ],
)
def test_no_date_expression(text: str) -> None:
    assert resolve_event_date(text, PUBLISHED) == (None, None)


def test_same_week_refers_back_to_the_previous_event() -> None:
    context = ("2024-12-12", 2)
    assert resolve_event_date("In the same week, jets struck.", PUBLISHED, context) == context
    assert resolve_event_date("Meanwhile, police arrested two.", PUBLISHED, context) == context
    assert resolve_event_date("In the same week, jets struck.", PUBLISHED) == (None, None)


def test_explicit_year_needs_no_publication_date() -> None:
    assert resolve_event_date("On 3 May 2020, police fired.", None) == ("2020-05-03", 1)
    assert resolve_event_date("Yesterday police fired.", None) == (None, None)


def test_month_precision_never_after_publication() -> None:
    # published on the 5th: "recently" is the publication day, not the 15th still to come
    assert resolve_event_date("Rebels recently took the town.", "2024-12-05") == (
        "2024-12-05",
        3,
    )


def test_bad_publication_date_names_the_value() -> None:
    with pytest.raises(ValueError, match="19/12/2024"):
        parse_published("19/12/2024")
