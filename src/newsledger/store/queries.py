"""Filtered, paginated reads over the ledger, for the web app and the API.

Every list is one statement composed from the templates in `store/sql/reads.py`: the list's
SELECT, the conditions of the filters given, keyset pagination (records and changes: newest first
by their date, then id) or offset pagination (people and places, which are aggregated), and a
LIMIT; `Ledger.query` renders it for the ledger's database. All values are bound parameters.
Rows become items (plain dicts with their article and evidence span, stable record ids) in
`store/items.py`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from newsledger.store import reviews
from newsledger.store.items import article_ref, item, record_id
from newsledger.store.ledger import Ledger
from newsledger.store.sql import people as people_sql
from newsledger.store.sql import places as places_sql
from newsledger.store.sql import reads
from newsledger.store.sql.tables import EVENT_NAME_FIELDS, EVIDENCED_KINDS

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
EXPORT_LIMIT = 1_000_000
"""Lists ask for at most MAX_LIMIT items a page; exports (CSV, GeoJSON) for up to EXPORT_LIMIT."""

RECORD_KINDS = EVIDENCED_KINDS
LIST_KINDS = (*RECORD_KINDS, "changes", "people", "places", "articles")
STATEMENT_KINDS = tuple(kind for kind in RECORD_KINDS if kind != "events")
"""The records someone states (quotes, claims, deadlines): a person's page lists them."""


class QueryError(ValueError):
    """A filter, cursor or id the ledger cannot be asked with; the message says what to give."""


@dataclass(frozen=True)
class Filters:
    """What a user can filter by (None: not filtered). Each kind takes the ones in KIND_FILTERS."""

    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    date_to: str | None = None
    event_type: str | None = None  # ACLED event type or sub-event type
    actor: str | None = None  # part of an actor's name
    place: str | None = None  # part of a location, admin1, admin2 or country name
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    speaker: str | None = None  # part of a speaker's name or title
    topic: str | None = None  # words in the article title or the record's subject
    q: str | None = None  # words in the record's text
    article: str | None = None  # an article id
    change_kind: str | None = None  # stance changed, deadline differs, ...
    source: str | None = None  # an article source
    review_status: tuple[str, ...] | None = None  # records: five statuses (parse_status)

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


FILTER_NAMES = tuple(f.name for f in fields(Filters))
KIND_FILTERS: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in FILTER_NAMES if name in reads.READ_LISTS[kind].filters)
    for kind in LIST_KINDS
}
"""The filters each list kind takes."""

SPARSE_EVENTS = 5_000
MAX_NAMES = 500
"""A `place` or `actor` part reads the events holding its names (at most MAX_NAMES) through
their indexes (reads.EVENT_NAMES_DDL) when a `bbox` is given (checked in those indexes) or at most
SPARSE_EVENTS events hold them (they are all read and sorted); otherwise the list walks the
events newest first, where common names match soon (README "Measured > Web app")."""
SPARSE_SUB_TYPE = 2_000
SPARSE_SUB_TYPE_NARROWED = 20_000
"""A `type` naming a sub-event type reads its events in the list's dates through their index
(reads.SUB_TYPE_ARM) when at most SPARSE_SUB_TYPE events hold it there, or at most
SPARSE_SUB_TYPE_NARROWED when a place, actor, box or text filter narrows the list too (their
table rows are read to check it, about 1.7 us each: 34 ms for 20,000 on the 1,000,000-event
ledger); otherwise the list walks the events newest first (about 0.17 us an event passed),
where a common sub-type matches soon but one in a small country over two years passed up to
350,000 events (60 ms)."""

QUERY_NAMES = {
    "date_from": "from",
    "date_to": "to",
    "event_type": "type",
    "change_kind": "kind",
    "review_status": "status",
}
"""Filter name -> its name in a URL query (the others are the same)."""


def _public(names: Sequence[str]) -> str:
    return ", ".join(QUERY_NAMES.get(n, n) for n in names)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next: str | None  # the cursor of the next page; None on the last

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next}


# ---------------------------------------------------------------------------------------------
# Values -> parameters

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: str, name: str, end: bool = False) -> str:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a full date (a range's end: the last day)."""
    m = _DATE.match(value.strip())
    if not m:
        raise QueryError(f"{name}={value!r}: give a date as YYYY-MM-DD (or YYYY-MM, YYYY)")
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), int(m[3] or 0)
    try:
        if day:
            return date(year, month, day).isoformat()
        date(year, month, 1)
    except ValueError as exc:
        raise QueryError(f"{name}={value!r}: not a real date ({exc})") from exc
    return f"{year:04d}-{month:02d}-{31 if end else 1:02d}"


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees -> a tuple; QueryError saying what is wrong."""
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise QueryError(
            f"bbox={value!r}: give four numbers west,south,east,north (e.g. 38,32,46,37.5)"
        ) from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise QueryError(
            f"bbox={value!r}: need -180 <= west <= east <= 180 and -90 <= south <= north <= 90"
        )
    return west, south, east, north


def _like(value: str) -> str:
    escaped = value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _words(value: str) -> str:
    """Free text as an FTS query: every word must occur (each quoted, so no syntax errors)."""
    words = [w.replace('"', '""') for w in value.split()]
    return " ".join(f'"{w}"' for w in words)


def _params(flt: reads.ReadFilter, value: Any) -> list[Any]:
    arity = flt.sql.count("{p}")
    if flt.value == "bbox":
        west, south, east, north = value
        return [south, north, west, east]
    if flt.value == "like":
        return [_like(str(value))] * arity
    if flt.value == "words":
        return [_words(str(value))]
    if isinstance(value, tuple):
        return list(value)
    return [value] * arity


def parse_status(value: str) -> tuple[str, ...]:
    """`?status=`: statuses separated by commas (`reviewed`: accepted, corrected and added) as
    the five values the filter binds."""
    wanted: list[str] = []
    for part in (p.strip() for p in value.split(",") if p.strip()):
        names = reviews.REVIEWED if part == "reviewed" else (part,)
        if any(n not in reviews.STATUSES for n in names):
            raise QueryError(
                f"status={value!r}: give {', '.join(reviews.STATUSES)} or reviewed "
                "(several separated by commas)"
            )
        wanted += [n for n in names if n not in wanted]
    if not wanted:
        raise QueryError(f"status={value!r}: give a review status")
    return tuple(wanted + [wanted[-1]] * (len(reviews.STATUSES) - len(wanted)))


# ---------------------------------------------------------------------------------------------
# Cursors


def _encode_cursor(value: list[Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str, offset: bool) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise QueryError(f"cursor={cursor!r}: not a cursor from this API's 'next'") from exc
    ok = isinstance(value, list) and (
        (offset and len(value) == 1 and isinstance(value[0], int) and value[0] >= 0)
        or (
            not offset
            and len(value) == 2
            and isinstance(value[0], str | int | float | type(None))
            and isinstance(value[1], int)
        )
    )
    if not ok:
        raise QueryError(f"cursor={cursor!r}: not a cursor from this API's 'next'")
    return value


# ---------------------------------------------------------------------------------------------
# Rows -> items


def split_record_id(ref: str) -> tuple[str, int]:
    """'<article id>-<n>' -> (article id, ordinal); QueryError when it is not one."""
    article_id, sep, number = ref.rpartition("-")
    if not sep or not article_id or not number.isdigit() or int(number) < 1:
        raise QueryError(f"{ref!r} is not a record id (they look like <article id>-<n>, n from 1)")
    return article_id, int(number) - 1


# ---------------------------------------------------------------------------------------------
# Queries


Arms = list[tuple[str, list[Any]]]
"""A filter read through indexes, one arm each: a place or actor part as the exact names of each
field holding them, or a sub-event type under each event type holding it (condition, values)."""


def _named_events(ledger: Ledger, name: str, value: str, in_box: bool) -> tuple[Arms, int] | None:
    """The names of an events `place` or `actor` filter's fields that contain the part (no arms:
    none do), and how many events hold them; None when the substring filter, checked walking by
    date, is faster."""
    fields_ = EVENT_NAME_FIELDS[name]
    rows = ledger.query(reads.EVENT_NAMES_MATCHING, [*fields_, _like(value)])
    held = sum(int(r[2]) for r in rows)
    if len(rows) > MAX_NAMES or (held > SPARSE_EVENTS and not in_box):
        return None
    names: dict[str, list[Any]] = {}
    for field, found, _ in rows:
        names.setdefault(str(field), []).append(str(found))
    return [(reads.name_in(field, len(values)), values) for field, values in names.items()], held


def _sub_type_events(
    ledger: Ledger, value: str, dates: Mapping[str, str], narrowed: bool
) -> tuple[Arms, int] | None:
    """An events `type` filter as one arm per event type holding `value` as its sub-type (no
    arms: none does), and how many events hold it in the `dates` (date_from, date_to); None when
    it is better checked walking by date: `value` is an event type, or more events hold it
    there than SPARSE_SUB_TYPE(_NARROWED)."""
    most = SPARSE_SUB_TYPE_NARROWED if narrowed else SPARSE_SUB_TYPE
    within = "".join(f" AND {reads.READ_LISTS['events'].filters[name].sql}" for name in dates)
    statement = reads.SUB_TYPE_HELD.replace("{dates}", within)
    rows = [
        (str(t), int(n)) for t, n in ledger.query(statement, [value, *dates.values(), most + 1])
    ]
    held = sum(n for _, n in rows)
    if held > most or any(t == value for t, _ in rows):
        return None
    return [(reads.SUB_TYPE_ARM, [t, value]) for t, n in rows if n], held


def _either(arms: Arms) -> tuple[str, list[Any]]:
    """Arms as one condition: the event holds one of the names in one of the fields."""
    if not arms:
        return reads.NO_EVENTS, []
    return "(" + " OR ".join(c for c, _ in arms) + ")", [v for _, names in arms for v in names]


_NAMED = {("events", name) for name in EVENT_NAME_FIELDS}
_NARROWING = ("place", "actor", "bbox", "q")
"""Event filters that a walk by date checks without being able to stop early on them."""


def _where(
    ledger: Ledger, kind: str, filters: Filters, internal: Mapping[str, Any]
) -> tuple[list[str], list[Any], Arms]:
    """The conditions and their parameters, and the arms of the filter read through an index
    that holds the fewest events (empty when none is: reads.EVENT_ARM)."""
    spec = reads.READ_LISTS[kind]
    conditions: list[str] = []
    params: list[Any] = []
    arms: Arms = []
    given = filters.given()
    unknown = sorted(set(given) - set(KIND_FILTERS[kind]))
    if unknown:
        raise QueryError(
            f"{kind} cannot be filtered by {_public(unknown)}; "
            f"they take {_public(KIND_FILTERS[kind])}"
        )
    dates: dict[str, str] = {
        name: check_date(str(given[name]), name, end=name == "date_to")
        for name in ("date_from", "date_to")
        if name in given
    }
    indexed: list[tuple[Arms, int]] = []
    for name, value in (*given.items(), *internal.items()):
        value = dates.get(name, value)
        if name == "review_status" and "unreviewed" not in value:
            name = "reviewed_status"  # read from review_state, not checked on every record
        read = None
        if (kind, name) in _NAMED:
            read = _named_events(ledger, name, str(value), in_box="bbox" in given)
        elif (kind, name) == ("events", "event_type"):
            narrowed = any(n in given for n in _NARROWING)
            read = _sub_type_events(ledger, str(value), dates, narrowed)
        if read is not None:
            indexed.append(read)
            continue
        flt = spec.filters[name]
        conditions.append(flt.sql)
        params += _params(flt, value)
    indexed.sort(key=lambda read: read[1])  # the fewest events first
    if indexed and indexed[0][0]:
        arms = indexed.pop(0)[0]
    for others, _ in indexed:
        condition, values = _either(others)
        conditions.append(condition)
        params += values
    return conditions, params, arms


def _statement(parts: Sequence[str]) -> str:
    return " ".join(p for p in parts if p)


def _keyset_rows(
    ledger: Ledger,
    spec: reads.ReadList,
    select: str,
    conditions: list[str],
    params: list[Any],
    order: str,
    wanted: int,
    cursor: str | None,
    arms: Arms,
) -> list[Sequence[Any]]:
    """Up to `wanted` rows in the list's order after the cursor (NULL keys last); with arms, the
    rows' ids are found first, one arm a field (reads.EVENT_ARM)."""

    def fill(template: str) -> str:
        return template.replace("{k}", spec.key).replace("{id}", spec.id)

    def read(extra: str | None, values: list[Any], count: int) -> list[Sequence[Any]]:
        parts = [*conditions, *([extra] if extra else [])]
        tail = [fill(reads.ORDER[order]), reads.LIMIT]
        if not arms:
            where = " AND ".join(parts)
            statement = _statement([select, f"WHERE {where}" if where else "", *tail])
            return ledger.query(statement, [*params, *values, count])
        union = " UNION ".join(
            reads.EVENT_ARM.replace("{where}", " AND ".join([condition, *parts]))
            for condition, _ in arms
        )
        order_ids = reads.ORDER[order].replace("{k}", "m.k").replace("{id}", "m.id")
        ids = reads.EVENT_IDS.replace("{arms}", union).replace("{order}", order_ids)
        statement = _statement([select, f"WHERE {ids}", *tail])
        arm_params = [v for _, names in arms for v in (*names, *params, *values)]
        return ledger.query(statement, [*arm_params, count, count])

    if not cursor:
        return read(None, [], wanted)
    key, row_id = _decode_cursor(cursor, offset=False)
    if key is None:
        return read(fill(reads.KEYSET[(order, True)]), [row_id], wanted)
    rows = read(fill(reads.KEYSET[(order, False)]), [key, row_id], wanted)
    if len(rows) < wanted:  # the keyed rows ran out: the rows without a key follow
        rows += read(fill(reads.KEYSET_NULL_KEYS), [], wanted - len(rows))
    return rows


def _aggregated_rows(
    ledger: Ledger,
    kind: str,
    filters: Filters,
    conditions: list[str],
    params: list[Any],
    wanted: int,
    offset: int,
    place_entities: bool = False,
) -> list[Sequence[Any]]:
    """Up to `wanted` rows of an aggregated list (people, places) from `offset`. Without a
    filter the people and places lists are read from their stored tallies; with `q` only the
    rows of the names that can match are read (store/sql/people.py, places.py)."""
    spec = reads.READ_LISTS[kind]
    select, head = spec.select, []
    if kind == "people":
        if not conditions:
            return ledger.query(people_sql.READ_PEOPLE, [wanted, offset])
        if filters.q:
            select, head = people_sql.READ_PEOPLE_MATCHING_SELECT, [_like(filters.q)] * 4
    elif kind == "places" and place_entities:
        if conditions == [spec.filters["kind"].sql]:  # the places' own filter only
            return ledger.query(places_sql.READ_PLACES, [wanted, offset])
        if filters.q:
            conditions = [*conditions, places_sql.PLACES_MATCHING]
            params = [*params, *[_like(filters.q)] * 3]
    where = "WHERE " + " AND ".join(conditions) if conditions else ""
    statement = _statement([select, where, spec.group_by, spec.order, reads.LIMIT_OFFSET])
    return ledger.query(statement, [*head, *params, wanted, offset])


def list_items(
    ledger: Ledger,
    kind: str,
    filters: Filters = Filters(),
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    order: str = "desc",
    internal: Mapping[str, Any] | None = None,
) -> Page:
    """One page of a list kind (LIST_KINDS) matching the filters, and the next page's cursor.

    `order` is "desc" (newest first) or "asc"; `internal` adds filters the API does not offer
    directly (person: an exact speaker; record: (article id, ordinal); kind for places).
    """
    if kind not in reads.READ_LISTS:
        raise QueryError(f"unknown list {kind!r}; choose one of {', '.join(LIST_KINDS)}")
    if not 1 <= limit <= EXPORT_LIMIT:
        raise QueryError(f"limit={limit}: give 1 to {EXPORT_LIMIT}")
    if order not in reads.ORDER:
        raise QueryError(f"order={order!r}: choose asc or desc")
    spec = reads.READ_LISTS[kind]
    extra = dict(internal or {})
    if kind == "places":
        extra.setdefault("kind", "place")
    conditions, params, arms = _where(ledger, kind, filters, extra)
    aggregated = bool(spec.group_by)
    offset = 0
    if aggregated:
        if cursor:
            offset = _decode_cursor(cursor, offset=True)[0]
        places = extra.get("kind") == "place"  # the tally holds place entities only
        rows = _aggregated_rows(
            ledger, kind, filters, conditions, params, limit + 1, offset, places
        )
    else:
        select = spec.select
        walked = {*filters.given(), *extra} <= reads.ARTICLES_FIRST_FILTERS
        if spec.articles_first and ledger.dialect.name == "sqlite" and walked:
            select = spec.articles_first
        rows = _keyset_rows(
            ledger, spec, select, conditions, params, order, limit + 1, cursor, arms
        )
    width = len(spec.columns)
    items = [item(kind, dict(zip(spec.columns, r[:width], strict=True))) for r in rows[:limit]]
    if kind in RECORD_KINDS:
        items = reviews.overlay(ledger, kind, items)
    following: str | None = None
    if len(rows) > limit:
        if aggregated:
            following = _encode_cursor([offset + limit])
        else:
            last = rows[limit - 1]
            following = _encode_cursor([last[width], last[width + 1]])
    return Page(items, following)


def count(ledger: Ledger, kind: str, filters: Filters = Filters()) -> int:
    """How many items of a list kind match the filters."""
    spec = reads.READ_LISTS[kind]
    internal = {"kind": "place"} if kind == "places" else {}
    conditions, params, arms = _where(ledger, kind, filters, internal)
    if arms:
        condition, values = _either(arms)
        conditions.append(condition)
        params += values
    where = "WHERE " + " AND ".join(conditions) if conditions else ""
    inner = " ".join(p for p in (spec.count_select or spec.select, where, spec.group_by) if p)
    statement = reads.READ_COUNT.replace("{select}", inner)
    return int(ledger.query(statement, params)[0][0])


def get_record(ledger: Ledger, kind: str, ref: str) -> dict[str, Any] | None:
    """One event, quote, claim or deadline by its id (<article id>-<n>); None if not there."""
    if kind not in RECORD_KINDS:
        raise QueryError(f"unknown record kind {kind!r}; choose one of {', '.join(RECORD_KINDS)}")
    page = list_items(ledger, kind, limit=1, internal={"record": split_record_id(ref)})
    return page.items[0] if page.items else None


def get_article(ledger: Ledger, article_id: str) -> dict[str, Any] | None:
    rows = ledger.query(reads.READ_ARTICLE, [article_id])
    if not rows:
        return None
    return dict(zip(reads.READ_ARTICLE_COLUMNS, rows[0], strict=True))


def article_records(ledger: Ledger, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every record of one article in its order: events, quotes, claims, deadlines, entities."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in RECORD_KINDS:
        page = list_items(
            ledger, kind, limit=EXPORT_LIMIT, order="asc", internal={"article": article_id}
        )
        out[kind] = sorted(page.items, key=lambda item: int(item["id"].rpartition("-")[2]))
    entities: dict[int, dict[str, Any]] = {}
    for row in ledger.query(reads.READ_ARTICLE_ENTITIES, [article_id]):
        ordinal, kind, name, title, lat, lon, admin1, country, start, end, text = row
        entity = entities.setdefault(
            ordinal,
            {
                "id": record_id(article_id, ordinal),
                "kind": kind,
                "name": name,
                "title": title,
                "latitude": lat,
                "longitude": lon,
                "admin1": admin1,
                "country": country,
                "mentions": [],
            },
        )
        if start is not None:
            entity["mentions"].append({"start": start, "end": end, "text": text})
    out["entities"] = list(entities.values())
    return out


def has_articles(ledger: Ledger) -> bool:
    return bool(ledger.query(reads.READ_HAS_ARTICLES))


def event_types(ledger: Ledger) -> list[tuple[str, int]]:
    """The event types in the ledger with how many events each has."""
    rows = ledger.query(reads.READ_EVENT_TYPES)
    return [(str(t), int(n)) for t, n in rows]


def held_names(ledger: Ledger, field: str, name: str) -> list[str]:
    """The names the ledger's events hold in a place or actor column (`field`: country, admin1,
    location, ...) that are `name` in any case (casefold), from event_names."""
    wanted = name.casefold()
    rows = ledger.query(reads.EVENT_NAMES_OF_FIELD, [field])
    return sorted(str(n) for (n,) in rows if str(n).casefold() == wanted)


def tally_events(
    ledger: Ledger, filters: Filters, internal: Mapping[str, Any] | None = None
) -> tuple[list[tuple[str, int, int]], list[dict[str, Any]]]:
    """The events matching the filters, counted in the ledger without reading them: (event
    type, events, fatalities) per type, and the articles reporting them (id, title, source,
    published, url), each once, in the order of its first event oldest first (as `list_items`
    with order="asc" gives the events; the filters should bound the dates)."""
    conditions, params, arms = _where(ledger, "events", filters, dict(internal or {}))
    if arms:
        condition, values = _either(arms)
        conditions.append(condition)
        params += values
    where = "WHERE " + " AND ".join(conditions) if conditions else ""
    types = [
        (str(t), int(n), int(dead or 0))
        for t, n, dead in ledger.query(reads.EVENT_TALLY.replace("{where}", where), params)
    ]
    articles = [
        article_ref(dict(zip(reads.ARTICLE_REF_COLUMNS, row[1:], strict=True)), str(row[0]))
        for row in ledger.query(reads.EVENT_FIRST_ARTICLES.replace("{where}", where), params)
    ]
    return types, articles
