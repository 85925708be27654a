"""Ledger rows as the API's items: a record with its article (`article`: id, title, source,
published, url) and evidence span (`evidence`: start, end, text), a change with the articles of
both its statements; record ids are stable, `<article id>-<place in the article, from 1>`, as in
export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsledger.store.rows import change_dict
from newsledger.store.sql.tables import EVIDENCED_KINDS, RECORD_FIELDS

SINGULAR = {kind: kind.removesuffix("s") for kind in EVIDENCED_KINDS}


def article_ref(row: Mapping[str, Any], article_id: str) -> dict[str, Any]:
    return {
        "id": article_id,
        "title": row["article_title"],
        "source": row["article_source"],
        "published": row["article_published"],
        "published_precision": row["article_published_precision"],
        "url": row["article_url"],
    }


def record_id(article_id: str, ordinal: int) -> str:
    return f"{article_id}-{ordinal + 1}"


def _record(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": record_id(row["article_id"], row["ordinal"]),
        "record_type": SINGULAR[kind],
    }
    for name in RECORD_FIELDS[kind]:
        if not name.startswith("evidence_"):
            item[name] = row[name]
    item["evidence"] = {
        "start": row["evidence_start"],
        "end": row["evidence_end"],
        "text": row["evidence_text"],
    }
    item["article"] = article_ref(row, row["article_id"])
    return item


def _change(row: dict[str, Any]) -> dict[str, Any]:
    later = article_ref(row, row["article_id"])
    earlier = {
        "id": row["earlier_article_id"],
        "title": row["earlier_title"],
        "published": row["earlier_published"],
        "published_precision": row["earlier_published_precision"],
        "source": row["earlier_source"],
    }
    item = {
        "id": row["row_id"],
        **change_dict(row, {"earlier": {"article": earlier}, "later": {"article": later}}),
    }
    record = item["later"]["record"]
    item["article"] = later
    item["evidence"] = record.get("evidence") if isinstance(record, dict) else None
    return item


def item(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    if kind in EVIDENCED_KINDS:
        return _record(kind, row)
    if kind == "changes":
        return _change(row)
    return row
