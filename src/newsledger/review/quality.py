"""The desk's own quality figures from its reviews, and its reviews as a gold file.

A reviewed record (accepted or corrected) says, field by field, whether the machine had it right:
a field is right when no review changed it (a place: when the reviewed point is within 25 km of
the machine's). A rejected record counts against `kept` (the share of reviewed records that were
real records). Each share comes with the count behind it and a 95 % Wilson score interval, overall,
by source and by country (events: the reviewed country; other kinds: none).

`write_gold` writes the accepted, corrected and added events in ACLED's CSV columns with the
evidence sentence as `notes`: `newsledger eval` reads it as an ACLED export (the first event
extracted from each note is scored against the reviewed coding), so a desk's corrections become a
regression test of the next version.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from newsledger.geo import haversine_km
from newsledger.store import Ledger, reviews
from newsledger.store import queries as q
from newsledger.store.export import EVENT_CSV_COLUMNS, acled_row, country_codes
from newsledger.store.items import record_id

PLACE_KM = 25.0
Z95 = 1.959964
FIELDS: Mapping[str, tuple[str, ...]] = {
    "events": ("event_type", "sub_event_type", "place", "actor1", "fatalities"),
    "quotes": ("speaker", "kind"),
    "claims": ("value", "unit", "subject"),
    "deadlines": ("deadline", "relation", "subject"),
}
"""The fields scored per kind (`place`: the event's point within PLACE_KM)."""
JUDGED = ("accepted", "corrected", "rejected")


def wilson(right: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of right/n ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = right / n
    centre = p + Z95**2 / (2 * n)
    spread = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n))
    scale = 1 + Z95**2 / n
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


@dataclass
class Tally:
    right: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.n += 1

    def to_dict(self) -> dict[str, Any]:
        low, high = wilson(self.right, self.n)
        return {
            "right": self.right,
            "n": self.n,
            "share": round(self.right / self.n, 4) if self.n else None,
            "low": round(low, 4),
            "high": round(high, 4),
        }


def machine_values(saves: list[dict[str, Any]]) -> dict[str, Any]:
    """field -> the machine's value, for every field a review changed (the first old value)."""
    out: dict[str, Any] = {}
    for save in saves:
        for change in save["changes"]:
            out.setdefault(change["field"], change["old"])
    return out


def _right(kind: str, field: str, item: Mapping[str, Any], machine: Mapping[str, Any]) -> bool:
    if field == "place":
        if not {"latitude", "longitude"} & set(machine):
            return True
        before = (
            machine.get("latitude", item["latitude"]),
            machine.get("longitude", item["longitude"]),
        )
        after = (item["latitude"], item["longitude"])
        if None in before or None in after:
            return before == after
        return haversine_km(*before, *after) <= PLACE_KM
    return field not in machine or machine[field] == item[field]


def _judged(ledger: Ledger) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(kind, current item, machine values changed) of every accepted, corrected or rejected
    record that still has its record."""
    for kind, article_id, ordinal in sorted(reviews.reviewed_keys(ledger, JUDGED)):
        if ordinal >= reviews.ADDED_BASE:
            continue  # a reviewer's own record, or a review whose record is gone
        item = q.get_record(ledger, kind, record_id(article_id, ordinal))
        if item is None:
            continue
        saves = reviews.history(ledger, kind, article_id, ordinal)
        yield kind, item, machine_values(saves)


def quality(ledger: Ledger) -> dict[str, Any]:
    """Share right per field with its interval and count, overall, by source and by country."""
    overall: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_source: dict[str, dict[tuple[str, str], Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_country: dict[str, dict[tuple[str, str], Tally]] = defaultdict(lambda: defaultdict(Tally))
    for kind, item, machine in _judged(ledger):
        groups = [overall, by_source[item["article"]["source"] or ""]]
        if kind == "events":
            groups.append(by_country[item["country"] or ""])
        kept = item["review_status"] != "rejected"
        for group in groups:
            group[(kind, "kept")].add(kept)
        if not kept:
            continue
        for field in FIELDS[kind]:
            ok = _right(kind, field, item, machine)
            for group in groups:
                group[(kind, field)].add(ok)

    def rows(tallies: Mapping[tuple[str, str], Tally]) -> list[dict[str, Any]]:
        return [
            {"kind": kind, "field": field, **tally.to_dict()}
            for (kind, field), tally in sorted(tallies.items())
        ]

    return {
        "fields": rows(overall),
        "by_source": {name: rows(t) for name, t in sorted(by_source.items())},
        "by_country": {name: rows(t) for name, t in sorted(by_country.items())},
        "place_km": PLACE_KM,
    }


def write_gold(ledger: Ledger, out: TextIO) -> int:
    """The reviewed events (accepted, corrected, added) as an ACLED CSV gold file; rows written."""
    codes = country_codes()
    writer = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for kind, article_id, ordinal in sorted(reviews.reviewed_keys(ledger, reviews.REVIEWED)):
        if kind != "events":
            continue
        item = q.get_record(ledger, kind, record_id(article_id, ordinal))
        if item is None or not item["event_date"]:
            continue  # ACLED's rows are dated; an undated event cannot be scored
        row = acled_row(
            {
                **item,
                "article_id": article_id,
                "ordinal": ordinal,
                "source": item["article"]["source"],
            },
            codes,
        )
        row["notes"] = " ".join(str(item["evidence"]["text"]).split())
        writer.writerow(row)
        n += 1
    return n
