"""A reviewer's action on a record -> a checked `Save`: accept, reject, correct (field values
coerced and checked against ACLED's lists), add a missed record, undo.

The web router and scripts call these; the store appends what they return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsledger.datafiles import read_json
from newsledger.store import Ledger, reviews
from newsledger.store import queries as q
from newsledger.store.items import SINGULAR, record_id
from newsledger.store.reviews import ReviewError, Save

ACTIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}

INTEGERS = frozenset(
    {"time_precision", "geo_precision", "fatalities", "evidence_start", "evidence_end"}
)
FLOATS = frozenset({"latitude", "longitude", "value"})
_SPAN = frozenset({"evidence_start", "evidence_end", "evidence_text"})
REQUIRED: Mapping[str, frozenset[str]] = {
    "events": _SPAN | {"event_type", "sub_event_type", "fatalities", "notes"},
    "quotes": _SPAN | {"text", "kind", "speaker_kind"},
    "claims": _SPAN | {"value", "unit", "subject", "speaker_kind"},
    "deadlines": _SPAN | {"subject", "deadline", "precision", "relation"},
}
"""Fields the record tables require (NOT NULL), per kind: a correction cannot empty them."""
CHOICES: Mapping[str, tuple[Any, ...]] = {
    "time_precision": (1, 2, 3),
    "geo_precision": (1, 2, 3),
    "kind": ("direct", "indirect"),
    "precision": ("day", "month", "year"),
}
RANGES = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0), "fatalities": (0, 10**6)}


@dataclass(frozen=True)
class Acled:
    """ACLED's event types and sub-event types (sub-type -> its type), from event_rules.json."""

    sub_types: Mapping[str, str]

    @property
    def types(self) -> list[str]:
        return list(dict.fromkeys(self.sub_types.values()))

    def of_type(self, event_type: str) -> list[str]:
        return [s for s, t in self.sub_types.items() if t == event_type]


def load_acled() -> Acled:
    return Acled(dict(read_json("event_rules.json")["types"]))


DATES = {"event_date": ("%Y-%m-%d",), "deadline": ("%Y-%m-%d", "%Y-%m", "%Y")}
"""Date fields and the forms they take (an event's day; a deadline's day, month or year)."""


def _check_date(field: str, value: str) -> None:
    for form in DATES[field]:
        try:
            datetime.strptime(value, form)
        except ValueError:
            continue
        if len(value) == len(datetime(2000, 1, 1).strftime(form)):
            return
    shapes = ", ".join(
        f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in DATES[field]
    )
    raise ReviewError(f"{field}={value!r}: give a real date as {shapes}")


def coerce(kind: str, field: str, value: Any) -> Any:
    """A field's value as the ledger stores it; ReviewError saying what is wrong."""
    if field not in reviews.EDITABLE[kind]:
        raise ReviewError(
            f"{kind} have no editable field {field!r}; they have "
            f"{', '.join(reviews.EDITABLE[kind])}"
        )
    if isinstance(value, str):
        value = value.strip()
    if value in ("", None):
        if field in REQUIRED.get(kind, frozenset()):
            raise ReviewError(f"{field} cannot be empty")
        return None
    try:
        if field in INTEGERS:
            value = int(value)
        elif field in FLOATS:
            value = float(value)
        else:
            value = str(value)
    except (TypeError, ValueError) as exc:
        raise ReviewError(f"{field}={value!r}: give a number") from exc
    if field in DATES:
        _check_date(field, str(value))
    if field in CHOICES and value not in CHOICES[field]:
        raise ReviewError(f"{field}={value!r}: choose one of {', '.join(map(str, CHOICES[field]))}")
    if field in RANGES and not RANGES[field][0] <= value <= RANGES[field][1]:
        low, high = RANGES[field]
        raise ReviewError(f"{field}={value!r}: give a value from {low} to {high}")
    return value


def _check_event(values: Mapping[str, Any], acled: Acled) -> None:
    sub, kind = values.get("sub_event_type"), values.get("event_type")
    if kind not in acled.types:
        raise ReviewError(f"event_type={kind!r}: choose one of ACLED's {', '.join(acled.types)}")
    if acled.sub_types.get(str(sub)) != kind:
        raise ReviewError(
            f"sub_event_type={sub!r} is not a sub-type of {kind}; choose one of "
            f"{', '.join(acled.of_type(str(kind)))}"
        )


def current_value(item: Mapping[str, Any], field: str) -> Any:
    if field.startswith("evidence_"):
        return item["evidence"][field.removeprefix("evidence_")]
    return item.get(field)


def check_same_as(ledger: Ledger, item: Mapping[str, Any], target: str | None) -> None:
    """A merge names another event in the ledger, not itself nor one merged into it."""
    if target is None:
        return
    if target == item["id"]:
        raise ReviewError(f"same_as={target!r}: an event cannot be merged into itself")
    other = q.get_record(ledger, "events", target)
    if other is None:
        raise ReviewError(f"same_as={target!r}: no such event in the ledger (give <article>-<n>)")
    if other.get("same_as"):
        raise ReviewError(
            f"same_as={target!r}: that event is itself merged into {other['same_as']}; "
            "merge into that one"
        )


def build_save(
    kind: str,
    item: Mapping[str, Any],
    action: str,
    version: int,
    changes: Mapping[str, Any],
    account: str,
    note: str | None,
    acled: Acled,
) -> Save:
    """The save of `action` on the current (reviewed) record `item`, started from `version`."""
    if action not in ACTIONS:
        raise ReviewError(f"action {action!r}: choose one of {', '.join(ACTIONS)}")
    if action != "correct" and changes:
        raise ReviewError(f"{action} takes no changed fields; use correct")
    diff: dict[str, tuple[Any, Any]] = {}
    for field, raw in changes.items():
        new = coerce(kind, field, raw)
        old = current_value(item, field)
        if new != old:
            diff[field] = (old, new)
    if action == "correct" and not diff:
        raise ReviewError("nothing was changed: accept the record instead")
    if kind == "events" and {"event_type", "sub_event_type"} & set(diff):
        merged = {f: diff[f][1] if f in diff else item[f] for f in ("event_type", "sub_event_type")}
        _check_event(merged, acled)
    article_id, ordinal = q.split_record_id(str(item["id"]))
    evidence = (int(item["evidence"]["start"]), int(item["evidence"]["end"]))
    status = ACTIONS[action]
    if item.get("review_status") == "added" and action == "correct":
        status = "added"  # a reviewer's own record stays `added` when corrected
    return Save(
        kind, article_id, ordinal, version, status, diff, account, note or None, None, evidence
    )


def added_values(
    kind: str, text: str, start: int, end: int, fields: Mapping[str, Any], acled: Acled
) -> dict[str, Any]:
    """The values of a record added from the words text[start:end] of its article."""
    if not 0 <= start < end <= len(text):
        raise ReviewError(
            f"the selection {start}..{end} is not within the article (0..{len(text)})"
        )
    words = text[start:end]
    values: dict[str, Any] = {c: None for c in reviews.EDITABLE[kind]}
    defaults: dict[str, dict[str, Any]] = {
        "quotes": {"text": words.strip().strip("\"“”'"), "kind": "direct"},
        "events": {"fatalities": 0, "notes": words.strip(), "confidence": 1.0},
        "claims": {"subject": None},
        "deadlines": {"precision": "day", "relation": "by"},
    }
    values.update(reviews.ADDED_DEFAULTS.get(kind, {}))
    values.update(defaults[kind])
    for field, raw in fields.items():
        if field.startswith("evidence_"):
            continue
        values[field] = coerce(kind, field, raw)
    values.update(evidence_start=start, evidence_end=end, evidence_text=words)
    if kind == "events":
        values["confidence"] = 1.0
        _check_event(values, acled)
    missing = sorted(
        f for f in REQUIRED.get(kind, frozenset()) & set(values) if values[f] in (None, "")
    )
    if missing:
        raise ReviewError(f"an added {SINGULAR[kind]} needs {', '.join(missing)}")
    return values


def add_from_selection(
    ledger: Ledger,
    kind: str,
    article_id: str,
    start: int,
    end: int,
    fields: Mapping[str, Any],
    account: str,
    note: str | None,
    acled: Acled,
) -> str:
    """Store a missed record from selected words of an article; its id."""
    article = q.get_article(ledger, article_id)
    if article is None:
        raise ReviewError(f"article {article_id} is not in the ledger")
    values = added_values(kind, str(article["text"]), start, end, fields, acled)
    ordinal = reviews.add_record(ledger, kind, article_id, values, account, note or "added")
    return record_id(article_id, ordinal)


def paragraph(text: str, start: int, end: int) -> dict[str, Any]:
    """The paragraph around text[start:end] cut into before, evidence, after (and where it
    starts in the article, for selections)."""
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    return {
        "start": begin,
        "before": text[begin:start],
        "evidence": text[start:end],
        "evidence_start": start,
        "after": text[end:stop],
        "after_start": end,
    }
