"""Event dates: a date expression in a sentence, resolved against the publication date.

`resolve_event_date(text, published)` returns `(YYYY-MM-DD, time_precision)` with ACLED's
precision codes (1 the day is known, 2 the week, 3 the month), or `(None, None)` when the text
holds no date expression it can resolve. The rules (plain patterns, no dateparser: they are
faster and every case is written down here):

| expression                                   | date                               | prec. |
|----------------------------------------------|------------------------------------|-------|
| "on 9 May 2020", "May 9, 2020", "2020-05-09" | that day                           | 1     |
| "on November 23", "23 November"             | that day in the publication year,  | 1     |
|                                              | the year before if it would fall   |       |
|                                              | after publication                  |       |
| "around / as reported on / week of <date>"   | that day                           | 2     |
| "between 2 and 4 May", "from 2 - 4 May"      | the first day (precision 3 if the  | 2     |
|                                              | span exceeds a week)               |       |
| "today", "this morning", "tonight"           | publication day                    | 1     |
| "yesterday", "last night"                    | publication day - 1                | 1     |
| "the day before yesterday", "N days ago"     | publication day - 2 / - N          | 1     |
| "on Monday" (any weekday)                    | the last such day on or before     | 1     |
|                                              | publication (an article of a       |       |
|                                              | Monday says "on Monday" of today)  |       |
| "last week", "a week ago"                    | publication day - 7                | 2     |
| "N weeks ago"                                | publication day - 7N               | 2     |
| "this week", "earlier this week"             | publication day                    | 2     |
| "recently", "earlier this month", "this month" | the 15th of the publication month | 3     |
|                                              | (the publication day if earlier)   |       |
| "last month"                                 | the 15th of the month before       | 3     |
| "in November (2024)", "early/late November"  | the 15th of that month (year as    | 3     |
|                                              | for days)                          |       |

ACLED codes a month-precision date at the middle of the month and a week-precision date at a day
inside that week; "publication day - 7" always falls inside the previous week.
"in the same week", "the same day", "meanwhile" refer back: they resolve to `context` (the date of
the event reported before), and to nothing without one. Years alone are not event dates.

A publication date read from a free-form value is known to a precision only (`published_precision`:
"week", "month", "year"; readers/dates.py): a date resolved against it takes the wider precision
(2 for a week, 3 for a month), and none against a year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsledger.datafiles import full_names, month_numbers, weekday_numbers

MONTHS = month_numbers()
WEEKDAYS = full_names(weekday_numbers())
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

# Month names must be capitalised ("May" the month, not "may" the verb); "(?i:...)" is not used.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FUZZY = r"(?P<fuzzy>\b(?:[Aa]round|[Aa]bout|[Aa]s reported on|[Rr]eported on|[Ww]eek of)\s+)?"

DAY_MONTH = re.compile(
    _FUZZY + r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b"
)
MONTH_DAY = re.compile(_FUZZY + r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r")?")
PUBLISHED = re.compile(r"\s*(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)")
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
DAY_RANGE = re.compile(
    r"\b(?:[Bb]etween|[Ff]rom)\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:"
    + _MONTH.replace("month", "month1")
    + r")?\s*(?:-|–|and|to|until)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+"
    + _MONTH.replace("month", "month2")
    + r"(?:,?\s+"
    + _YEAR
    + r")?"
)
MONTH_ONLY = re.compile(
    r"\b(?:(?P<last>[Ll]ast|[Tt]his)|[Ii]n|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]nd of|"
    r"[Bb]eginning of|[Ss]ince)\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b"
)
WEEKDAY = re.compile(
    r"\b(?:on|late|early|last|this|since)?\s*(?P<weekday>"
    + "|".join(d.capitalize() for d in WEEKDAYS)
    + r")\b"
)
AGO = re.compile(
    r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>days?|weeks?|months?)\s+ago\b",
    re.IGNORECASE,
)
RELATIVE = [  # (pattern, kind); checked in this order, the earliest match in the text wins
    (re.compile(r"\bthe day before yesterday\b", re.I), "day-2"),
    (re.compile(r"\b(?:yesterday|last night)\b", re.I), "day-1"),
    (re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.I), "day0"),
    (
        re.compile(r"\b(?:in )?the same (?:week|day|time)\b|\bmeanwhile\b|\bthat day\b", re.I),
        "same",
    ),
    (re.compile(r"\b(?:last|past|previous) week(?:end)?\b", re.I), "week-1"),
    (re.compile(r"\b(?:earlier )?this week(?:end)?\b", re.I), "week0"),
    (re.compile(r"\b(?:last|past|previous) month\b", re.I), "month-1"),
    (
        re.compile(
            r"\b(?:earlier )?this month\b|\brecently\b|\blately\b|\bin recent (?:days|weeks)\b",
            re.I,
        ),
        "month0",
    ),
    (re.compile(r"\bearlier this year\b", re.I), "year0"),
]
# when something was said or reported is not when the event happened ("the Sun reported on
# Wednesday that ... was killed in June")
SPEECH_DATE = re.compile(
    r"\b(?:said|says|reported|announced|told|confirmed|claimed|stated|tweeted|added|wrote)\s+"
    r"(?:\w+\s+)?(?:on|late on|early on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)\b|\b(?:said|says|reported|announced|told|confirmed|claimed|stated)\s+"
    r"(?:today|yesterday|this week|last week)\b"
)
# a year alone ("in 2013", "last year", "in early 2014"): the middle of the year, precision 3
BARE_YEAR = re.compile(
    r"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Bb]y|[Oo]f)\s+(?:(?:early|late|mid)[- ])?"
    r"(?P<year>(?:19|20)\d\d)\b(?![-–/]\d)|\b(?P<last>[Ll]ast year)\b"
)


def parse_published(published: str | None) -> date | None:
    """The day of an ISO 8601 publication stamp ("2024-12-19T13:05:28" or "2024-12-19")."""
    if not published:
        return None
    match = PUBLISHED.match(published)
    if match is None:
        raise ValueError(f"publication date {published!r} is not ISO 8601 (YYYY-MM-DD...)")
    return date(int(match["year"]), int(match["month"]), int(match["day"]))


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(month: int, day: int, year: str | None, pub: date | None) -> date | None:
    """A day and month, in the given year, else in the publication year (or the year before)."""
    if year is not None:
        return _safe_date(int(year), month, day)
    if pub is None:
        return None
    found = _safe_date(pub.year, month, day)
    if found is not None and found > pub:
        found = _safe_date(pub.year - 1, month, day)
    return found


def _mid_month(year: int, month: int, pub: date | None) -> date:
    mid = date(year, month, 15)
    return pub if pub is not None and pub < mid else mid


def _iso(day: date | None, precision: int) -> tuple[str | None, int | None]:
    return (day.isoformat(), precision) if day is not None else (None, None)


def _absolute(text: str, pub: date | None) -> tuple[int, date, int] | None:
    """The earliest explicit calendar date in the text: (position, day, precision)."""
    found: list[tuple[int, date, int]] = []
    for match in DAY_RANGE.finditer(text):
        month = _month_number(match["month2"])
        first_month = _month_number(match["month1"]) if match["month1"] else month
        start = _with_year(first_month, int(match["day"]), match["year"], pub)
        end = _with_year(month, int(match["day2"]), match["year"], pub)
        if start is not None:
            span = (end - start).days if end is not None else 0
            found.append((match.start(), start, 2 if span <= 7 else 3))
    for pattern in (DAY_MONTH, MONTH_DAY):
        for match in pattern.finditer(text):
            day = _with_year(_month_number(match["month"]), int(match["day"]), match["year"], pub)
            if day is not None:
                found.append((match.start(), day, 2 if match["fuzzy"] else 1))
    for match in ISO_DATE.finditer(text):
        day = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day is not None:
            found.append((match.start(), day, 1))
    for match in MONTH_ONLY.finditer(text):
        month = _month_number(match["month"])
        if match["year"] is not None:
            found.append((match.start(), _mid_month(int(match["year"]), month, None), 3))
        elif pub is not None:
            year = pub.year if month <= pub.month else pub.year - 1
            if match["last"] is not None and match["last"].lower() == "last" and month == pub.month:
                year -= 1  # "last April" written in April is a year ago
            found.append((match.start(), _mid_month(year, month, pub), 3))
    if not found:
        return None
    # the earliest match; at one position the most precise reading (a range before its day)
    return min(found, key=lambda f: (f[0], -_span_rank(f[2])))


def _span_rank(precision: int) -> int:
    return {2: 2, 1: 1, 3: 0}.get(precision, 0)


def _relative(
    text: str, pub: date, context: tuple[str, int] | None
) -> tuple[int, date, int] | None:
    found: list[tuple[int, date, int]] = []
    for pattern, kind in RELATIVE:
        match = pattern.search(text)
        if match is None:
            continue
        resolved = _resolve_kind(kind, pub, context)
        if resolved is not None:
            found.append((match.start(), *resolved))
    match = AGO.search(text)
    if match is not None:
        n = int(match["n"]) if match["n"].isdigit() else NUMBER_WORDS[match["n"].lower()]
        if match["unit"].lower().startswith("month"):
            back = pub.month - 1 - n
            year, month = pub.year + back // 12, back % 12 + 1
            found.append((match.start(), _safe_date(year, month, min(pub.day, 28)) or pub, 3))
        elif match["unit"].lower().startswith("week"):
            found.append((match.start(), pub - timedelta(days=7 * n), 2))
        else:
            found.append((match.start(), pub - timedelta(days=n), 1))
    match = WEEKDAY.search(text)
    if match is not None:
        weekday = WEEKDAYS.index(match["weekday"].lower())
        back = (pub.weekday() - weekday) % 7
        found.append((match.start(), pub - timedelta(days=back), 1))
    return min(found, key=lambda f: f[0]) if found else None


def _resolve_kind(kind: str, pub: date, context: tuple[str, int] | None) -> tuple[date, int] | None:
    if kind == "day-2":
        return pub - timedelta(days=2), 1
    if kind == "day-1":
        return pub - timedelta(days=1), 1
    if kind == "day0":
        return pub, 1
    if kind == "week-1":
        return pub - timedelta(days=7), 2
    if kind == "week0":
        return pub, 2
    if kind == "month-1":
        first = pub.replace(day=1) - timedelta(days=1)
        return date(first.year, first.month, 15), 3
    if kind == "month0":
        return _mid_month(pub.year, pub.month, pub), 3
    if kind == "year0":  # "earlier this year": the middle of January to publication
        return _mid_month(pub.year, (1 + pub.month) // 2, pub), 3
    if kind == "same" and context is not None:
        return date.fromisoformat(context[0]), context[1]
    return None


WIDER = {"day": 1, "week": 2, "month": 3}
"""The ACLED time precision of a publication date known to a day, week or month."""


def has_own_date(text: str, said: bool = True) -> bool:
    """Whether the text holds a date expression of its own (not one referring back, such as
    "meanwhile" or "the same day"); with `said` False, not one of when something was said."""
    if not said:
        text = SPEECH_DATE.sub(lambda m: " " * len(m.group(0)), text)
    return resolve_event_date(text, "2000-01-01") != (None, None)


def bare_year(text: str, published: str | None) -> tuple[str, int] | None:
    """The date of a year named alone ("in 2013", "last year"): 1 July, precision 3."""
    match = BARE_YEAR.search(text)
    if match is None:
        return None
    if match["year"] is not None:
        return date(int(match["year"]), 7, 1).isoformat(), 3
    pub = parse_published(published)
    return (date(pub.year - 1, 7, 1).isoformat(), 3) if pub is not None else None


def resolve_event_date(
    text: str | None,
    published: str | None,
    context: tuple[str, int] | None = None,
    published_precision: str | None = None,
) -> tuple[str | None, int | None]:
    """The date a sentence gives its event, as (YYYY-MM-DD, ACLED time precision).

    `published` is the article's ISO 8601 publication date; `context` the (date, precision) of
    the event reported just before, which "in the same week" or "meanwhile" refer to. Returns
    (None, None) when the text has no date expression that can be resolved.
    """
    if not text:
        return None, None
    pub = parse_published(published)
    masked = SPEECH_DATE.sub(lambda m: " " * len(m.group(0)), text)
    found = _resolve(masked, pub, context, published_precision)
    if found == (None, None) and masked != text:
        return _resolve(
            text, pub, context, published_precision
        )  # the day it was said is the best left
    return found


def _resolve(
    text: str,
    pub: date | None,
    context: tuple[str, int] | None,
    published_precision: str | None = None,
) -> tuple[str | None, int | None]:
    absolute = _absolute(text, pub)
    relative = _relative(text, pub, context) if pub is not None else None
    candidates = [c for c in (absolute, relative) if c is not None]
    if not candidates:
        return None, None
    chosen = min(candidates, key=lambda c: c[0])
    _, day, precision = chosen
    if published_precision is not None and chosen is relative:
        if published_precision not in WIDER:
            return None, None  # a year: "yesterday" says nothing
        precision = max(precision, WIDER[published_precision])
    return _iso(day, precision)
