"""Messy publication dates: what can be read of a `published` value that is not ISO 8601 or RFC 822.

Real feeds and scraped collections carry values like ``December 9``, ``9 Dec. 2019``,
``Monday, 7:58 AM ET``, ``December 2019`` or ``Monday``. Such an article is kept: its date is read
as far as it goes and marked with the precision of what was read (`Article.published_precision`):

| given                                 | published                        | precision |
|---------------------------------------|----------------------------------|-----------|
| ``9 Dec. 2019``, ``December 9, 2019`` | 2019-12-09                       | day       |
| ``December 9`` (no year)              | 12-09 in the year that puts it   | day       |
|                                       | nearest the file's reference day |           |
| ``December 2019``, ``2019-12``        | 2019-12-15 (mid-month, as ACLED) | month     |
| ``2019``                              | 2019-07-01                       | year      |
| ``Monday`` (a weekday alone)          | the last Monday on or before the | week      |
|                                       | reference day                    |           |
| ``7:58 AM ET`` (a time alone), other  | none (the day stays unknown)     | (none)    |

The reference day of a file is the latest exact date among its other articles (JSON Lines, a
feed's entries), else the feed's own date; a single-article file (text, HTML) has none, so a day
without a year or a weekday there stays unknown. A year is never guessed without a reference.
Dates that look exact but cannot exist (2024-13-45, year 0) are still refused by the readers.

`FileDates` keeps one file's reference and its messy readings, and warns once per file with a
count (`MessyDateWarning`).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from newsledger.datafiles import month_numbers, weekday_numbers

PRECISIONS = ("day", "week", "month", "year")
"""`Article.published_precision`, finest first; None means the date is exact as given."""

MONTHS = month_numbers()
WEEKDAYS = weekday_numbers()
_WORD = re.compile(r"[A-Za-z]+\.?|[0-9]+(?:st|nd|rd|th)?|\S")
_TIME = re.compile(
    r"\b[0-9]{1,2}(?::[0-9]{2}){1,2}\s*(?:[ap]\.?m\.?)?|\b[0-9]{1,2}\s*[ap]\.?m\.?", re.I
)
_ISO_DAY = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
_YEAR_MONTH = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})\s*")
_EXAMPLES = 3


class MessyDateWarning(UserWarning):
    """A file's articles whose `published` was read at a wider precision, or not at all."""


@dataclass(frozen=True)
class Partial:
    """What a messy value says: any of year, month, day, weekday (0 Monday)."""

    given: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None

    @property
    def says_nothing(self) -> bool:
        """No year, month, day or weekday (a time alone, or only words)."""
        return self.year is None and self.month is None and self.weekday is None


@dataclass(frozen=True)
class Reading:
    """A messy value resolved: the ISO date (None: the day stays unknown) and its precision."""

    published: str | None
    precision: str | None


def read_messy(value: str) -> Partial | None:
    """The parts of a date a free-form value holds (times and zone names are skipped); None
    when it cannot be a date: a number that is no year, month or day (``99999-01-01``,
    ``0000``), or digits alone that say nothing (a reader refuses those as before)."""
    text = _TIME.sub(" ", value)
    numbers = re.findall(r"[0-9]+", text)
    if any(len(n) > 4 or (len(n) >= 3 and not 1000 <= int(n) <= 9999) for n in numbers):
        return None
    iso = _ISO_DAY.search(text)
    if iso:
        return Partial(value, year=int(iso[1]), month=int(iso[2]), day=int(iso[3]))
    numeric = _YEAR_MONTH.fullmatch(text)
    if numeric and 1 <= int(numeric[2]) <= 12:
        return Partial(value, year=int(numeric[1]), month=int(numeric[2]))
    year = month = day = weekday = None
    for token in _WORD.findall(text):
        word = token.lower().rstrip(".")
        if word in MONTHS and month is None:
            month = MONTHS[word]
        elif word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif (digits := re.match(r"[0-9]+", word)) is not None:
            number = int(digits[0])
            if len(word.rstrip("stndrh")) == 4 and 1000 <= number <= 9999 and year is None:
                year = number
            elif 1 <= number <= 31 and day is None and len(word.rstrip("stndrh")) <= 2:
                day = number
    if month is None:
        day = None  # "9" alone is not a day of any month
    partial = Partial(value, year, month, day, weekday)
    if partial.says_nothing and not re.search(r"[A-Za-z]", text):
        return None
    return partial


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(partial: Partial, reference: date | None) -> Reading:
    """A partial date as a day and precision, a missing year taken from `reference` (the year
    that puts the day nearest to it), a weekday alone as the last such day on or before it."""
    p = partial
    if p.month is not None and p.day is not None:
        if p.year is not None:
            found = _safe(p.year, p.month, p.day)
            return Reading(found.isoformat(), "day") if found else Reading(None, None)
        if reference is None:
            return Reading(None, None)
        candidates = [
            d
            for y in (reference.year - 1, reference.year, reference.year + 1)
            if (d := _safe(y, p.month, p.day)) is not None
        ]
        if not candidates:
            return Reading(None, None)
        nearest = min(candidates, key=lambda d: abs((d - reference).days))
        return Reading(nearest.isoformat(), "day")
    if p.month is not None:
        if p.year is not None:
            return Reading(date(p.year, p.month, 15).isoformat(), "month")
        if reference is None:
            return Reading(None, None)
        middles = [date(y, p.month, 15) for y in (reference.year - 1, reference.year)]
        nearest = min(middles, key=lambda d: abs((d - reference).days))
        return Reading(nearest.isoformat(), "month")
    if p.year is not None:
        return Reading(date(p.year, 7, 1).isoformat(), "year")
    if p.weekday is not None and reference is not None:
        back = (reference.weekday() - p.weekday) % 7
        return Reading((reference - timedelta(days=back)).isoformat(), "week")
    return Reading(None, None)


@dataclass
class FileDates:
    """One file's dates: the reference day (the latest exact date of its articles, else the
    feed's own date) and the messy values read, warned about once (`warn`)."""

    origin: str
    feed_date: date | None = None
    latest: date | None = None
    counts: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def exact(self, published: str | None) -> None:
        """Note an article's exact ISO 8601 date (the reference is the latest of them)."""
        if published and re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", published):
            day = date.fromisoformat(published[:10])
            self.latest = day if self.latest is None else max(self.latest, day)

    @property
    def reference(self) -> date | None:
        return self.latest or self.feed_date

    def read(self, value: str) -> Reading:
        """A messy value resolved against the file's reference, and counted for the warning."""
        partial = read_messy(value)
        reading = resolve(partial, self.reference) if partial else Reading(None, None)
        self.counts[reading.precision or "unknown"] += 1
        if len(self.examples) < _EXAMPLES and value not in self.examples:
            self.examples.append(value)
        return reading

    def warn(self) -> None:
        """One warning for the file, if any value was messy: how many, at which precision."""
        total = sum(self.counts.values())
        if not total:
            return
        by = ", ".join(f"{n} {p}" for p, n in sorted(self.counts.items(), key=_order))
        examples = ", ".join(repr(e) for e in self.examples)
        warnings.warn(
            MessyDateWarning(
                f"{self.origin}: {total} article{'s' if total > 1 else ''} with a 'published' "
                f"date not in ISO 8601 ({examples}{', ...' if total > len(self.examples) else ''})"
                f" kept, the date read at a wider precision: {by}"
            ),
            stacklevel=2,
        )


def _order(item: tuple[str, int]) -> int:
    name = item[0]
    return PRECISIONS.index(name) if name in PRECISIONS else len(PRECISIONS)
