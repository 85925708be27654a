"""The briefing's period and its filters, and the period before it of the same length."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from newsledger.report.choices import COMPARE
from newsledger.store.queries import QueryError, check_date

DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def words(self) -> str:
        """'the 7 days to 2025-02-14' (how the headline sentences name it)."""
        return f"the {self.days} day{'s' if self.days != 1 else ''} to {self.end.isoformat()}"


@dataclass(frozen=True)
class Request:
    """What a briefing is asked for (None: not filtered; dates as YYYY[-MM[-DD]])."""

    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None  # exactly, any case
    admin1: str | None = None  # a province, exactly, any case
    actor: str | None = None  # part of an actor's name
    compare: str = "previous"

    def __post_init__(self) -> None:
        if self.compare not in COMPARE:
            raise QueryError(f"compare={self.compare!r}: choose {' or '.join(COMPARE)}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                check_date(value, name.replace("date_", ""), end=name == "date_to")

    def place(self) -> str | None:
        """The place filter of the store's event list (the most specific given)."""
        return self.admin1 or self.country

    def filters(self) -> dict[str, str]:
        """The filters given, by their names in URLs and on the command line."""
        values = {
            "from": self.date_from,
            "to": self.date_to,
            "country": self.country,
            "admin1": self.admin1,
            "actor": self.actor,
        }
        return {k: v for k, v in values.items() if v}


def _last_day(value: str) -> date:
    """The last day a `--to` names ('2024-06' -> 2024-06-30; check_date gives a month's end as
    its 31st, which sorts right as text but is not a date in a shorter month)."""
    year, month, day = (int(part) for part in check_date(value, "to", end=True).split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def resolve(request: Request, newest: date | None, today: date) -> Period:
    """The period asked for: `--from`/`--to` as given; a missing end is the newest event's date
    (`newest`, else `today`); a missing start makes the period DEFAULT_DAYS long."""
    end = _last_day(request.date_to) if request.date_to else newest or today
    if request.date_from:
        start = date.fromisoformat(check_date(request.date_from, "from"))
    else:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise QueryError(f"from={start.isoformat()} is after to={end.isoformat()}: swap them")
    return Period(start, end)
