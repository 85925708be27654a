"""Records <-> rows: how the ledger's records, changes and JSON columns become table rows and
plain dicts again. The one place that decodes a JSON column (`from_json`) and turns a stored
change into a dict (`change_dict`), for export, the API, tracking and watching alike.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from newsledger.records import Article, Change
from newsledger.store.sql.tables import (
    ARTICLE_COLUMNS,
    CHANGE_COLUMNS,
    EVENT_NAME_FIELDS,
    EVIDENCE,
)


def from_json(value: Any) -> Any:
    """A JSON column's value: SQLite returns its text, psycopg (JSONB) the value decoded."""
    return json.loads(value) if isinstance(value, str) else value


def _json_default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} in a change record: {value!r}")


def to_json(value: Any) -> str:
    """A change record as stored: keys sorted, so that equal records are equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


# ---------------------------------------------------------------------------------------------
# Records


def gazetteer_id(sources: Sequence[str]) -> str:
    """The id of a gazetteer description in `gazetteers` (migration 15): a digest of its lines."""
    return hashlib.sha256("\n".join(sources).encode("utf-8")).hexdigest()[:16]


def article_row(
    article: Article, text_hash: str, ingested_at: str, gazetteer: str | None = None
) -> tuple[Any, ...]:
    """An article's row in the order of ARTICLE_COLUMNS, then the id of the gazetteer it was
    extracted with (`gazetteer_id`; None: unknown)."""
    values = {
        **article.to_dict(),
        "offsets": json.dumps(article.offsets.to_json()),
        "origin": article.origin,
        "text_hash": text_hash,
        "ingested_at": ingested_at,
        "published_precision": article.published_precision,
    }
    return (*(values[c] for c in ARTICLE_COLUMNS), gazetteer)


def record_row(
    article_id: str, ordinal: int, record: Any, columns: Sequence[str]
) -> tuple[Any, ...]:
    """The values for `columns` of a record (evidence flattened), after article_id and ordinal."""
    values: dict[str, Any] = {f.name: getattr(record, f.name) for f in fields(record)}
    evidence = values.pop("evidence", None)
    if evidence is not None:
        values.update(zip(EVIDENCE, (evidence.start, evidence.end, evidence.text), strict=True))
    if "more_evidence" in values:
        values["more_evidence"] = json.dumps([asdict(e) for e in values["more_evidence"]])
    return (article_id, ordinal, *(values[c] for c in columns))


def record_dict(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """A row as a plain dict in column order, evidence_* folded into "evidence"."""
    out: dict[str, Any] = {}
    for column, value in zip(columns, values, strict=True):
        if column == "evidence_start":
            out["evidence"] = {"start": value}
        elif column == "evidence_end":
            out["evidence"]["end"] = value
        elif column == "evidence_text":
            out["evidence"]["text"] = value
        elif column == "more_evidence":
            out[column] = from_json(value)
        else:
            out[column] = value
    return out


def event_names(events: Iterable[Any]) -> list[tuple[str, str, int]]:
    """(field, name, how many of the events hold it there) for the place and actor fields, in
    one order (concurrent PostgreSQL writers then lock the names they share in the same order)."""
    counts = Counter(
        (field, value)
        for event in events
        for columns in EVENT_NAME_FIELDS.values()
        for field in columns
        if (value := getattr(event, field)) is not None
    )
    return sorted((field, name, n) for (field, name), n in counts.items())


# ---------------------------------------------------------------------------------------------
# Changes


def change_row(change: Change, recorded_at: str) -> tuple[Any, ...]:
    """A change's values for `CHANGE_COLUMNS`; its hash (the unique key) covers all but when."""
    earlier, later = to_json(change.earlier.record), to_json(change.later.record)
    identity = to_json(
        [
            change.kind,
            change.speaker,
            change.topic,
            change.earlier.article,
            change.earlier.kind,
            earlier,
            change.later.article,
            change.later.kind,
            later,
            change.why,
        ]
    )
    values = {
        "article_id": change.later.article,
        "earlier_article_id": change.earlier.article,
        "kind": change.kind,
        "speaker": change.speaker,
        "topic": change.topic,
        "earlier_kind": change.earlier.kind,
        "earlier_record": earlier,
        "later_kind": change.later.kind,
        "later_record": later,
        "why": change.why,
        "change_hash": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
        "recorded_at": recorded_at,
    }
    return tuple(values[c] for c in CHANGE_COLUMNS)


CHANGE_SIDES = {
    "earlier": ("earlier_article_id", "earlier_kind", "earlier_record"),
    "later": ("article_id", "later_kind", "later_record"),
}
"""Each side of a change: its article, record kind and record columns."""


def change_dict(
    row: Mapping[str, Any], sides: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A stored change (a row by `CHANGE_COLUMNS` names) as a plain dict: kind, speaker, topic,
    earlier and later (each: article id, kind, record), why, and recorded_at when the row has it.

    `sides` adds to a side what the reader needs ({"earlier": {"published": ...}}), placed after
    its "article", which it may replace (the API gives the article as an object)."""
    out: dict[str, Any] = {"kind": row["kind"], "speaker": row["speaker"], "topic": row["topic"]}
    for side, (article, kind, record) in CHANGE_SIDES.items():
        out[side] = {
            "article": row[article],
            **(sides or {}).get(side, {}),
            "kind": row[kind],
            "record": from_json(row[record]),
        }
    out["why"] = row["why"]
    if "recorded_at" in row:
        out["recorded_at"] = row["recorded_at"]
    return out
