"""The one list of calendar words (data/months.json) and the readers built on it."""

from __future__ import annotations

from datetime import date

from newsledger import datafiles
from newsledger.extract.events import dates as event_dates
from newsledger.readers import dates as reader_dates
from newsledger.report.wording import month_names
from newsledger.watch.config import WEEKDAYS


def test_every_month_and_weekday_has_one_full_name_first() -> None:
    months = datafiles.month_numbers()
    weekdays = datafiles.weekday_numbers()
    assert datafiles.full_names(months)[0] == "january"
    assert datafiles.full_names(months)[-1] == "december"
    assert len(datafiles.full_names(months)) == 12
    assert datafiles.full_names(weekdays) == (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    )
    assert months["sept"] == months["september"] == 9
    assert weekdays["thurs"] == weekdays["thursday"] == date(2026, 12, 3).weekday()


def test_every_stage_reads_the_same_calendar_words() -> None:
    assert reader_dates.MONTHS == event_dates.MONTHS == datafiles.month_numbers()
    assert reader_dates.WEEKDAYS["sun"] == 6
    assert WEEKDAYS == event_dates.WEEKDAYS == datafiles.full_names(datafiles.weekday_numbers())
    assert month_names()[4] == "May"
