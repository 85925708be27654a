"""The review queue (issue 14): the records not reviewed yet, or to review again after
re-extraction, found through indexes; and the suggestions the edit form offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsledger.store.reviews import KINDS, Ledger, ReviewError


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is filtered by (None: not filtered); events take all, the others source
    and dates (of publication)."""

    event_type: str | None = None  # an event type or sub-event type
    place: str | None = None  # part of the location, admin1 or admin2
    country: str | None = None  # exactly
    source: str | None = None  # the article's source, exactly
    date_from: str | None = None  # YYYY-MM-DD: event date (events), publication date (others)
    date_to: str | None = None
    max_confidence: float | None = None  # events at or below this confidence


QUEUE_ORDERS = ("confidence", "date")
_DATES = {
    "events": "r.event_date",
    "quotes": "substr(a.published, 1, 10)",
    "claims": "substr(a.published, 1, 10)",
    "deadlines": "substr(a.published, 1, 10)",
}
QUEUE_FROM = (
    "FROM {table} AS r JOIN articles AS a ON a.id = r.article_id "
    "LEFT JOIN review_state AS s ON s.kind = '{table}' AND s.article_id = r.article_id "
    "AND s.ordinal = r.ordinal WHERE (s.status IS NULL OR s.rereview IS NOT NULL)"
)


QUEUE_ARTICLE = " JOIN articles AS a ON a.id = r.article_id"
QUEUE_ALL = "FROM {table} AS r" + QUEUE_ARTICLE + " WHERE 1 = 1"
QUEUE_DONE = (
    "FROM review_state AS s JOIN {table} AS r ON r.article_id = s.article_id "
    "AND r.ordinal = s.ordinal" + QUEUE_ARTICLE + " WHERE s.kind = '{table}' AND s.rereview IS NULL"
)
QUEUE_SORT = {
    "confidence": "r.confidence, r.id",  # events_confidence (migration 11)
    "events": "r.event_date DESC, r.id DESC",  # events_event_date
    "quotes": "a.published DESC, r.id DESC",
    "claims": "a.published DESC, r.id DESC",
    "deadlines": "a.published DESC, r.id DESC",
}
"""The queue's orders: walked through an index and stopped at the page (not a sort of all)."""


def _like(value: str) -> str:
    escaped = value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _queue_where(kind: str, flt: QueueFilters, by_confidence: bool) -> tuple[str, list[Any]]:
    if kind not in KINDS:
        raise ReviewError(f"kind {kind!r}: choose one of {', '.join(KINDS)}")
    events_only = {
        "type": flt.event_type,
        "place": flt.place,
        "country": flt.country,
        "confidence": flt.max_confidence,
    }
    given = [name for name, value in events_only.items() if value not in (None, "")]
    if kind != "events" and given:
        raise ReviewError(f"{kind} cannot be filtered by {', '.join(given)} (events only)")
    parts: list[str] = []
    params: list[Any] = []
    if flt.event_type:
        parts.append("AND (r.event_type = {p} OR r.sub_event_type = {p})")
        params += [flt.event_type, flt.event_type]
    if flt.place:
        parts.append(
            "AND (r.location {like} {p} ESCAPE '\\' OR r.admin1 {like} {p} ESCAPE '\\' "
            "OR r.admin2 {like} {p} ESCAPE '\\')"
        )
        params += [_like(flt.place)] * 3
    if flt.country:
        # by confidence: `+` keeps SQLite walking events_confidence and checking the country
        # (a common country: 0.1 ms) rather than sorting all its events (400 ms at 200,000)
        parts.append("AND +r.country = {p}" if by_confidence else "AND r.country = {p}")
        params.append(flt.country)
    if flt.max_confidence is not None:
        parts.append("AND r.confidence <= {p}")
        params.append(flt.max_confidence)
    if flt.source:
        parts.append("AND a.source = {p}")
        params.append(flt.source)
    if flt.date_from:
        parts.append(f"AND {_DATES[kind]} >= {{p}}")
        params.append(flt.date_from)
    if flt.date_to:
        parts.append(f"AND {_DATES[kind]} <= {{p}}")
        params.append(flt.date_to)
    return " ".join(parts), params


def queue(
    ledger: Ledger,
    kind: str,
    flt: QueueFilters = QueueFilters(),
    order: str = "confidence",
    offset: int = 0,
    limit: int = 1,
) -> tuple[list[tuple[str, int]], int]:
    """(article id, ordinal) of `limit` records of the queue from `offset`, and how many are
    left in it. `order`: confidence (events: lowest first; the others by date) or date (newest
    first)."""
    if order not in QUEUE_ORDERS:
        raise ReviewError(f"order {order!r}: choose {' or '.join(QUEUE_ORDERS)}")
    by_confidence = order == "confidence" and kind == "events"
    conditions, params = _queue_where(kind, flt, by_confidence)

    def source(template: str, count: bool = False) -> str:
        if count and "a." not in conditions:  # a count needs the article for its source or date
            template = template.replace(QUEUE_ARTICLE, "")
        return f"{template.replace('{table}', kind)} {conditions}"

    sort = QUEUE_SORT["confidence" if by_confidence else kind]
    rows = ledger.query(
        f"SELECT r.article_id, r.ordinal {source(QUEUE_FROM)} ORDER BY {sort} "
        "LIMIT {p} OFFSET {p}",
        [*params, limit, offset],
    )
    # what is left: the matching records less those reviewed and not to be reviewed again
    # (two counts through indexes, not a count of the join)
    (total,) = ledger.query(f"SELECT COUNT(*) {source(QUEUE_ALL, count=True)}", params)[0]
    (reviewed,) = ledger.query(f"SELECT COUNT(*) {source(QUEUE_DONE, count=True)}", params)[0]
    return [(str(a), int(o)) for a, o in rows], int(total) - int(reviewed)


ACTOR_NAMES = (
    "SELECT name FROM event_names WHERE field IN ('actor1', 'assoc_actor_1', 'actor2', "
    "'assoc_actor_2') AND name {like} {p} ESCAPE '\\' GROUP BY name "
    "ORDER BY SUM(events) DESC, name LIMIT {p}"
)
PEOPLE_OF_ARTICLE = (
    "SELECT name FROM entities WHERE article_id = {p} AND kind = 'person' ORDER BY ordinal"
)


def actor_names(ledger: Ledger, part: str, limit: int = 20) -> list[str]:
    """Actors already in the ledger whose name holds `part`, most used first."""
    return [str(r[0]) for r in ledger.query(ACTOR_NAMES, [_like(part), limit])]


def people_of_article(ledger: Ledger, article_id: str) -> list[str]:
    return list(dict.fromkeys(str(r[0]) for r in ledger.query(PEOPLE_OF_ARTICLE, [article_id])))
