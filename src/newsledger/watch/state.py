"""What watching remembers, in the ledger (migration 7; statements `store.sql.watch`): each
source's state, the items seen, the articles waiting to be matched, the alerts and their
deliveries."""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from typing import Any

from newsledger.store import Ledger
from newsledger.store.rows import from_json
from newsledger.store.sql import watch as watch_sql


def iso(seconds: float) -> str:
    """A clock reading as ISO 8601 UTC text."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


@dataclass
class SourceState:
    """One source's row of `watch_sources` (columns `watch_sql.WATCH_SOURCE_COLUMNS`)."""

    name: str
    kind: str
    location: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None
    last_ok: str | None = None
    last_error: str | None = None
    failures: int = 0
    next_try: float = 0.0
    articles: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = dict(zip(watch_sql.WATCH_SOURCE_COLUMNS, astuple(self), strict=True))
        out["next_try"] = iso(self.next_try) if self.next_try else None
        return out


@dataclass(frozen=True)
class Pending:
    """A delivery due: its id, the output's name, attempts so far, the alert's day and JSON."""

    id: int
    output: str
    attempts: int
    day: str
    alert: dict[str, Any]


def source_state(ledger: Ledger, name: str, kind: str, location: str) -> SourceState:
    """The stored state of a source, registered (or its kind and location updated) first."""
    with ledger.transaction("the watch source") as run:
        run(watch_sql.WATCH_ADD_SOURCE, (name, kind, location))
    (row,) = ledger.query(watch_sql.WATCH_SOURCE, (name,))
    return SourceState(*row)


def save_source(ledger: Ledger, state: SourceState) -> None:
    values = astuple(state)[3:]
    with ledger.transaction(f"the state of source {state.name}") as run:
        run(watch_sql.WATCH_UPDATE_SOURCE, (*values, state.name))


def all_sources(ledger: Ledger) -> list[SourceState]:
    return [SourceState(*row) for row in ledger.query(watch_sql.WATCH_SOURCES)]


def has_article_id(ledger: Ledger, article_id: str) -> bool:
    return bool(ledger.query(watch_sql.WATCH_HAS_ARTICLE, (article_id,)))


def is_seen(ledger: Ledger, source: str, item: str) -> bool:
    return bool(ledger.query(watch_sql.WATCH_IS_SEEN, (source, item)))


def mark_seen(
    ledger: Ledger, source: str, item: str, outcome: str, article_ids: list[str], now: float
) -> None:
    """Remember an item as handled, and queue the articles it gave for matching (one
    transaction: a crash before it leaves the item unseen, to be read again)."""
    with ledger.transaction(f"item {item} of source {source}") as run:
        run(watch_sql.WATCH_MARK_SEEN, (source, item, outcome, iso(now)))
        for article_id in article_ids:
            run(watch_sql.WATCH_ENQUEUE, (article_id, source))


def unmatched(ledger: Ledger) -> list[str]:
    return [row[0] for row in ledger.query(watch_sql.WATCH_UNMATCHED)]


def record_matches(
    ledger: Ledger,
    article_id: str,
    alerts: list[tuple[str, str, str, dict[str, Any]]],
    outputs: list[str],
    now: float,
) -> int:
    """Store the alerts of one article (rule, record kind, record id, alert) with a pending
    delivery to each output, and mark the article matched; returns the alerts that are new."""
    new = 0
    with ledger.transaction(f"the alerts of article {article_id}") as run:
        for rule, kind, record_id, alert in alerts:
            made = run(
                watch_sql.WATCH_INSERT_ALERT,
                (
                    rule,
                    kind,
                    record_id,
                    article_id,
                    iso(now)[:10],
                    iso(now),
                    json.dumps(alert, ensure_ascii=False),
                ),
            )
            for (alert_id,) in made:
                new += 1
                for output in outputs:
                    run(watch_sql.WATCH_INSERT_DELIVERY, (alert_id, output))
        run(watch_sql.WATCH_MARK_MATCHED, (article_id,))
    return new


def pending(ledger: Ledger, now: float) -> list[Pending]:
    return [
        Pending(id_, output, attempts, day, from_json(alert))
        for id_, output, attempts, day, alert in ledger.query(watch_sql.WATCH_PENDING, (now,))
    ]


def mark_sent(ledger: Ledger, delivery_ids: list[int], now: float) -> None:
    with ledger.transaction("the delivery") as run:
        for delivery_id in delivery_ids:
            run(watch_sql.WATCH_SENT, (iso(now), delivery_id))


def mark_failed(ledger: Ledger, delivery_ids: list[int], error: str, retry_at: float) -> None:
    with ledger.transaction("the failed delivery") as run:
        for delivery_id in delivery_ids:
            run(watch_sql.WATCH_FAILED, (error, retry_at, delivery_id))


def alert_history(ledger: Ledger, limit: int = 200) -> list[dict[str, Any]]:
    """The newest alerts first, each with its deliveries (output, status, attempts, error)."""
    alerts: dict[int, dict[str, Any]] = {}
    width = len(watch_sql.WATCH_ALERT_COLUMNS)
    for row in ledger.query(watch_sql.WATCH_ALERTS, (limit,)):
        head, alert, delivery = row[:width], row[width], row[width + 1 :]
        item = alerts.get(head[0])
        if item is None:
            item = dict(zip(watch_sql.WATCH_ALERT_COLUMNS, head, strict=True))
            item["alert"] = from_json(alert)
            item["deliveries"] = []
            alerts[head[0]] = item
        if delivery[0] is not None:
            item["deliveries"].append(
                dict(zip(watch_sql.WATCH_DELIVERY_COLUMNS, delivery, strict=True))
            )
    return list(alerts.values())
