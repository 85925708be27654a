"""Event coding scored against ACLED's own coding of its notes.

Each row of an ACLED export (31 columns) gives a `notes` text and the coding ACLED made of it. The
note is the article, its `event_date` the publication date, and the first event extracted from it
is compared with the row:

- event_type, sub_event_type: exact;
- actor1: equal after `normalise_actor` (case and spacing folded, government-period year ranges
  such as "(2014-)" dropped, since this project does not track governments; sub-units such as
  "... Supreme Political Council" must match);
- fatalities: exact;
- place: the event's coordinates within 25 km of ACLED's (only when a place extractor is given);
- date: the same day; time_precision: the same code.

A note from which no event is extracted counts as wrong on every field. The misses of place and
actor1 are listed (row, gold, predicted; for a place also the distance), to study them by class.
"""

from __future__ import annotations

import csv
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract.events.actors import normalise_actor
from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.rules import EventRules
from newsledger.records import Entity, Event

PLACE_TOLERANCE_KM = 25.0
FIELDS = ("event_type", "sub_event_type", "actor1", "fatalities", "place", "date", "precision")


@dataclass(frozen=True)
class AcledMiss:
    row: int  # 0-based, in file order
    field: str  # "place" or "actor1"
    gold: str
    predicted: str | None
    distance_km: float | None = None  # place: from the predicted point to ACLED's


@dataclass(frozen=True)
class AcledScore:
    rows: int
    with_event: int  # rows from whose note at least one event was extracted
    event_type: float
    sub_event_type: float
    actor1: float
    fatalities: float
    place: float | None  # None when no place extractor was given
    date: float
    time_precision: float
    confusions: tuple[tuple[str, str, int], ...]  # (gold, predicted, count), worst first
    seconds: float
    misses: tuple[AcledMiss, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "with_event": self.with_event,
            "event_type": round(self.event_type, 4),
            "sub_event_type": round(self.sub_event_type, 4),
            "actor1": round(self.actor1, 4),
            "fatalities": round(self.fatalities, 4),
            "place": None if self.place is None else round(self.place, 4),
            "date": round(self.date, 4),
            "time_precision": round(self.time_precision, 4),
            "confusions": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions],
            "seconds": round(self.seconds, 2),
            "misses": [asdict(m) for m in self.misses],
        }


def acled_date(value: str) -> str:
    """ACLED's export dates ("9-May-20", "09 May 2020", "2020-05-09") as YYYY-MM-DD."""
    for form in ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d", "%d-%B-%Y"):
        try:
            return datetime.strptime(value.strip(), form).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"unrecognised ACLED event_date {value!r} (expected e.g. 9-May-20)")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    """The rows of an ACLED export (the first `limit` when given)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows: list[dict[str, str]] = []
        for row in csv.DictReader(handle):
            if limit is not None and len(rows) >= limit:
                break
            if "notes" not in row or "event_date" not in row:
                raise ValueError(f"{path}: not an ACLED export (no notes/event_date columns)")
            rows.append(row)
    return rows


def _place_right(event: Event, row: dict[str, str]) -> bool:
    if event.latitude is None or event.longitude is None:
        return False
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (KeyError, ValueError):
        return False
    return distance_km(event.latitude, event.longitude, lat, lon) <= PLACE_TOLERANCE_KM


def _fatalities(row: dict[str, str]) -> int:
    value = row.get("fatalities", "").strip()
    return int(value) if value else 0


def _misses(
    index: int, event: Event | None, row: dict[str, str], right: dict[str, bool]
) -> list[AcledMiss]:
    found: list[AcledMiss] = []
    if "place" in right and not right["place"]:
        distance = None
        if event is not None and event.latitude is not None and event.longitude is not None:
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
                distance = round(distance_km(event.latitude, event.longitude, lat, lon), 1)
            except (KeyError, ValueError):
                distance = None  # ACLED gave no point: nothing to measure against
        where = ", ".join(v for v in (row.get("location"), row.get("country")) if v)
        found.append(AcledMiss(index, "place", where, event.location if event else None, distance))
    if not right["actor1"]:
        found.append(AcledMiss(index, "actor1", row["actor1"], event.actor1 if event else None))
    return found


def score_event(event: Event | None, row: dict[str, str], with_places: bool) -> dict[str, bool]:
    """Which fields of one predicted event match the ACLED row."""
    if event is None:
        return dict.fromkeys(FIELDS, False)
    return {
        "event_type": event.event_type == row["event_type"],
        "sub_event_type": event.sub_event_type == row["sub_event_type"],
        "actor1": normalise_actor(event.actor1) == normalise_actor(row["actor1"]),
        "fatalities": event.fatalities == _fatalities(row),
        "place": with_places and _place_right(event, row),
        "date": event.event_date == acled_date(row["event_date"]),
        "precision": str(event.time_precision) == row.get("time_precision", "").strip(),
    }


def predict(
    rows: list[dict[str, str]],
    nlp: Language,
    rules: EventRules,
    places_fn: Callable[[Doc], list[Entity]] | None = None,
) -> Iterator[tuple[dict[str, str], Event | None]]:
    """Each row with the main (first) event extracted from its note."""
    docs = nlp.pipe((row["notes"] for row in rows), batch_size=64)
    for row, doc in zip(rows, docs, strict=True):
        places = places_fn(doc) if places_fn is not None else []
        events = extract_events(doc, acled_date(row["event_date"]), places, rules)
        yield row, (events[0] if events else None)


def evaluate_acled(
    path: Path,
    nlp: Language,
    rules: EventRules,
    places_fn: Callable[[Doc], list[Entity]] | None = None,
    limit: int | None = None,
) -> AcledScore:
    """Per-field accuracy of the first event of each note against ACLED's coding."""
    started = time.perf_counter()
    rows = read_rows(path, limit)
    right: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    with_event = 0
    misses: list[AcledMiss] = []
    for index, (row, event) in enumerate(predict(rows, nlp, rules, places_fn)):
        with_event += event is not None
        scored = score_event(event, row, places_fn is not None)
        for name, ok in scored.items():
            right[name] += ok
        if places_fn is None:
            scored.pop("place")
        misses.extend(_misses(index, event, row, scored))
        gold = f"{row['event_type']}/{row['sub_event_type']}"
        got = f"{event.event_type}/{event.sub_event_type}" if event is not None else "(none)"
        if gold != got:
            confusions[(gold, got)] += 1
    total = max(1, len(rows))
    return AcledScore(
        rows=len(rows),
        with_event=with_event,
        event_type=right["event_type"] / total,
        sub_event_type=right["sub_event_type"] / total,
        actor1=right["actor1"] / total,
        fatalities=right["fatalities"] / total,
        place=right["place"] / total if places_fn is not None else None,
        date=right["date"] / total,
        time_precision=right["precision"] / total,
        confusions=tuple((g, p, n) for (g, p), n in confusions.most_common(15)),
        seconds=time.perf_counter() - started,
        misses=tuple(misses),
    )
