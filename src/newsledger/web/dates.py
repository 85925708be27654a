"""An article's publication date as precise as it is known (`Article.published_precision`).

A date read from a free-form value (readers/dates.py) is stored as a day standing for what was
read: "December 2019" as 2019-12-15, "2019" as 2019-07-01, "Monday" as the last Monday before
the file's other articles. Shown as that day, it would claim more than the input said; shown
here, it says what is known:

| precision | stored                | shown                         |
|-----------|-----------------------|-------------------------------|
| (none)    | 2019-12-09T07:58:00   | 2019-12-09 (the time with `full`) |
| day       | 2019-12-09            | 2019-12-09                    |
| week      | 2019-12-09            | week of 2019-12-09            |
| month     | 2019-12-15            | December 2019                 |
| year      | 2019-07-01            | 2019                          |
| (no date) | None                  | the `missing` text            |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsledger.datafiles import full_names, month_numbers

MONTH_NAMES = tuple(name.capitalize() for name in full_names(month_numbers()))


def published_text(
    published: str | None, precision: str | None, *, full: bool = False, missing: str = ""
) -> str:
    """The date as known: an exact one as its day (the whole value when `full`), a wider one as
    its week, month or year; `missing` when there is none."""
    if not published:
        return missing
    day = published[:10]
    if precision is None:
        return published if full else day
    if precision == "week":
        return f"week of {day}"
    if precision == "month" and len(day) >= 7 and day[5:7].isdigit():
        month = int(day[5:7])
        if 1 <= month <= 12:
            return f"{MONTH_NAMES[month - 1]} {day[:4]}"
    if precision == "year":
        return day[:4]
    return day


def article_date(article: Mapping[str, Any], *, full: bool = False, missing: str = "") -> str:
    """`published_text` of an article dict (the API's `article`: published, published_precision)."""
    return published_text(
        article.get("published"), article.get("published_precision"), full=full, missing=missing
    )
