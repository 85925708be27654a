"""Read queries for the web app and API (composed by `store/queries.py`; every value is bound),
and the indexes they read through (migrations 5, 8, 9 and 10).

A list is a SELECT without WHERE, a sort key and a unique id (the keyset for pagination), and
named filter conditions. Templates use {p} for the parameter marker and {like} for the
case-insensitive LIKE operator; `dialect.render_query` fills them in for a dialect (`Ledger.query`
does). The select's last two columns are always the sort key and the id (queries.py strips them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsledger.store.sql import people
from newsledger.store.sql.tables import (
    CHANGE_COLUMNS,
    CLAIM_FIELDS,
    DEADLINE_FIELDS,
    EVENT_FIELDS,
    EVENT_NAME_FIELDS,
    QUOTE_FIELDS,
)


@dataclass(frozen=True)
class ReadFilter:
    """One filter condition. `value` says how queries.py turns the user's value into parameters:
    exact (the value, once per {p}), like (a %substring% pattern, once per {p}), bbox (south,
    north, west, east), words (an FTS query of the quoted words)."""

    sql: str
    value: str = "exact"


@dataclass(frozen=True)
class ReadList:
    select: str  # SELECT <columns>, <key>, <id> FROM ... (no WHERE)
    columns: tuple[str, ...]  # names of the selected columns before key and id
    key: str  # the sort key (may be NULL)
    id: str  # unique, breaks ties in the sort
    filters: dict[str, ReadFilter]
    group_by: str = ""  # aggregated lists: paged by offset, ordered by `order`
    order: str = ""
    count_select: str = ""  # what `count` counts when not `select` (its filters name it only)
    articles_first: str = ""  # SQLite: `select` reading the newest articles first (see below)


_ESC = "ESCAPE '\\'"

ARTICLE_REF_COLUMNS = (
    "article_title",
    "article_source",
    "article_published",
    "article_url",
    "article_published_precision",
)
_ARTICLE_REF = "a.title, a.source, a.published, a.url, a.published_precision"
_ARTICLE_JOIN = "JOIN articles AS a ON a.id = r.article_id"


def _like_any(*columns: str) -> ReadFilter:
    conditions = " OR ".join(f"{c} {{like}} {{p}} {_ESC}" for c in columns)
    return ReadFilter(f"({conditions})", "like")


REVIEW_STATUS_IN = (
    "COALESCE((SELECT s.status FROM review_state AS s WHERE s.kind = '{table}' "
    "AND s.article_id = r.article_id AND s.ordinal = r.ordinal), 'unreviewed') "
    "IN ({p}, {p}, {p}, {p}, {p})"
)
"""A record's review status (store/reviews.py) is one of five values (repeated to fill)."""
REVIEWED_IN = (
    "r.id IN (SELECT e.id FROM review_state AS s JOIN {table} AS e "
    "ON e.article_id = s.article_id AND e.ordinal = s.ordinal "
    "WHERE s.kind = '{table}' AND s.status IN ({p}, {p}, {p}, {p}, {p}))"
)
"""The same when `unreviewed` is not among them: the reviewed records are found from
review_state (and read by id), not by checking every record (550 ms -> 15 ms at 200,000 events)."""


ARTICLES_FIRST_FILTERS = frozenset({"date_from", "date_to", "topic", "q"})
"""The filters with which a list ordered by its article's publication (quotes, claims) is read
articles first on SQLite (`ReadList.articles_first`): each is checked on the rows as they come,
so walking the newest articles and their records finds a page soon. The others are read as
before: an article, a record, a person or a review status through their own indexes, and a
speaker (usually a rare name: walking every article to find none took twice as long as
reading every quote, 0.5 against 0.24 ms for the claims of a name no claim holds)."""


def _record_list(
    table: str,
    fields: tuple[str, ...],
    key: str,
    filters: dict[str, ReadFilter],
    by_article: bool = False,
) -> ReadList:
    """A record kind's list; `by_article`: ordered by its article's publication."""
    columns = ("row_id", "article_id", "ordinal", *fields, *ARTICLE_REF_COLUMNS)
    selected = ", ".join(f'r."{c}"' for c in fields)
    head = f"SELECT r.id, r.article_id, r.ordinal, {selected}, {_ARTICLE_REF}, {key}, r.id "
    # SQLite joins records to articles from the records (every quote read, joined and sorted
    # for a page of 50: 3.6 to 6.8 ms for the quotes list of the seeds + Guardian ledger); CROSS
    # JOIN makes it walk articles_published newest first and read each article's records through
    # their (article_id, ...) index, sorting only within a publication date. PostgreSQL (which
    # has no CROSS JOIN ... ON) does so by itself through articles_newest (migration 16).
    articles_first = f"{head}FROM articles AS a CROSS JOIN {table} AS r ON a.id = r.article_id"
    return ReadList(
        select=f"{head}FROM {table} AS r {_ARTICLE_JOIN}",
        articles_first=articles_first if by_article else "",
        columns=columns,
        key=key,
        id="r.id",
        filters={
            "article": ReadFilter("r.article_id = {p}"),
            "record": ReadFilter("r.article_id = {p} AND r.ordinal = {p}"),
            "review_status": ReadFilter(REVIEW_STATUS_IN.replace("{table}", table)),
            "reviewed_status": ReadFilter(REVIEWED_IN.replace("{table}", table)),
            **filters,
        },
    )


_PUBLISHED_RANGE = {
    # published is ISO 8601 with a time; compare its date part
    "date_from": ReadFilter("substr(a.published, 1, 10) >= {p}"),
    "date_to": ReadFilter("substr(a.published, 1, 10) <= {p}"),
}

_EVENTS = _record_list(
    "events",
    EVENT_FIELDS,
    "r.event_date",
    {
        "date_from": ReadFilter("r.event_date >= {p}"),
        "date_to": ReadFilter("r.event_date <= {p}"),
        "event_type": ReadFilter("(r.event_type = {p} OR r.sub_event_type = {p})"),
        "actor": _like_any("r.actor1", "r.assoc_actor_1", "r.actor2", "r.assoc_actor_2"),
        "place": _like_any("r.location", "r.admin1", "r.admin2", "r.country"),
        # `+` keeps SQLite from answering with a latitude range and sorting every event in
        # the band by date (9 s for a 4-degree box in 1,000,000 events): the newest-first
        # scan of events_date_filters (migration 8) checks the box in the index (26 ms).
        "bbox": ReadFilter(
            "+r.latitude BETWEEN {p} AND {p} AND +r.longitude BETWEEN {p} AND {p}", "bbox"
        ),
        "q": _like_any("r.notes", "r.evidence_text"),
        # internal (no user filter): a country or province exactly as the ledger holds it (the
        # briefing's, `queries.held_names`), read through events_country_date / _admin1_date
        "country": ReadFilter("r.country = {p}"),
        "admin1": ReadFilter("r.admin1 = {p}"),
    },
)
_CHANGE_READ = tuple(c for c in CHANGE_COLUMNS if c != "change_hash")
READ_LISTS: dict[str, ReadList] = {
    # Every event filter names only the event (r): counting them needs no article, which makes
    # the map page's count of 1,000,000 events 818 -> 24 ms.
    "events": replace(_EVENTS, count_select="SELECT r.id FROM events AS r"),
    "quotes": _record_list(
        "quotes",
        QUOTE_FIELDS,
        "a.published",
        {
            **_PUBLISHED_RANGE,
            "speaker": _like_any("r.speaker", "r.speaker_title"),
            "person": ReadFilter("r.speaker = {p}"),
            "topic": _like_any("a.title", "r.evidence_text"),
            "q": _like_any("r.text", "r.evidence_text"),
        },
        by_article=True,
    ),
    "claims": _record_list(
        "claims",
        CLAIM_FIELDS,
        "a.published",
        {
            **_PUBLISHED_RANGE,
            "speaker": _like_any("r.claimed_by"),
            "person": ReadFilter("r.claimed_by = {p}"),
            "topic": _like_any("a.title", "r.subject"),
            "q": _like_any("r.subject", "r.unit", "r.evidence_text"),
        },
        by_article=True,
    ),
    "deadlines": _record_list(
        "deadlines",
        DEADLINE_FIELDS,
        "r.deadline",
        {
            "date_from": ReadFilter("r.deadline >= {p}"),
            "date_to": ReadFilter("r.deadline <= {p}"),
            "speaker": _like_any("r.stated_by"),
            "person": ReadFilter("r.stated_by = {p}"),
            "topic": _like_any("a.title", "r.subject"),
            "q": _like_any("r.subject", "r.evidence_text"),
        },
    ),
    "changes": ReadList(
        select=(
            f"SELECT r.id, {', '.join('r.' + c for c in _CHANGE_READ)}, "
            f"{_ARTICLE_REF}, b.title, b.published, b.source, b.published_precision, r.id, r.id "
            f"FROM changes AS r {_ARTICLE_JOIN} JOIN articles AS b ON b.id = r.earlier_article_id"
        ),
        columns=(
            "row_id",
            *_CHANGE_READ,
            *ARTICLE_REF_COLUMNS,
            "earlier_title",
            "earlier_published",
            "earlier_source",
            "earlier_published_precision",
        ),
        key="r.id",
        id="r.id",
        filters={
            **_PUBLISHED_RANGE,
            "change_kind": ReadFilter("r.kind = {p}"),
            "speaker": _like_any("r.speaker"),
            "topic": _like_any("r.topic"),
            "article": ReadFilter("(r.article_id = {p} OR r.earlier_article_id = {p})"),
            "q": _like_any("r.why", "r.topic", "r.speaker"),
        },
    ),
    "articles": ReadList(
        select=(
            "SELECT a.id, a.source, a.published, a.url, a.title, "
            "(SELECT COUNT(*) FROM events AS e WHERE e.article_id = a.id), "
            "(SELECT COUNT(*) FROM quotes AS q WHERE q.article_id = a.id), "
            "a.published_precision, a.published, a.seq FROM articles AS a"
        ),
        columns=(
            "id",
            "source",
            "published",
            "url",
            "title",
            "events",
            "quotes",
            "published_precision",
        ),
        key="a.published",
        id="a.seq",
        filters={
            **_PUBLISHED_RANGE,
            "source": ReadFilter("a.source = {p}"),
            "article": ReadFilter("a.id = {p}"),
            "q": ReadFilter("{article_match}", "words"),
        },
    ),
    "people": ReadList(
        # without a filter the page is read from the stored tally (queries.list_items)
        select=people.READ_PEOPLE_SELECT,
        columns=("name", "title", "articles", "quotes", "first_seen", "last_seen"),
        key="",
        id="",
        filters={"q": _like_any("p.name", "p.title")},
        group_by="GROUP BY p.name",
        order="ORDER BY SUM(p.statements) DESC, COUNT(DISTINCT p.article_id) DESC, p.name",
    ),
    "places": ReadList(
        select=(
            "SELECT r.name, MAX(r.latitude), MAX(r.longitude), MAX(r.admin1), MAX(r.country), "
            "MAX(r.geonameid), COUNT(DISTINCT r.article_id), NULL, NULL "
            "FROM entities AS r"
        ),
        columns=(
            "name",
            "latitude",
            "longitude",
            "admin1",
            "country",
            "geonameid",
            "articles",
        ),
        key="",
        id="",
        filters={
            "kind": ReadFilter("r.kind = {p}"),
            "q": _like_any("r.name", "r.admin1", "r.country"),
            "bbox": ReadFilter(
                "r.latitude BETWEEN {p} AND {p} AND r.longitude BETWEEN {p} AND {p}", "bbox"
            ),
            "article": ReadFilter("r.article_id = {p}"),
        },
        group_by="GROUP BY r.name",
        order="ORDER BY COUNT(DISTINCT r.article_id) DESC, r.name",
    ),
}
"""The read lists by name (records and changes page by keyset; people and places by offset)."""

# Keyset pagination: rows after the cursor (key, id), NULL keys last in either direction. After
# a cursor with a key: the rows with a key after it (a row-value comparison, which both engines
# answer by seeking in an index that starts with the key, instead of scanning from the first
# page: 0.4 ms instead of 534 ms for a page deep in 1,000,000 events), then, when those run
# out, the rows without a key (KEYSET_NULL_KEYS). After a cursor without a key: the rest of those.
KEYSET = {
    ("desc", False): "({k}, {id}) < ({p}, {p})",
    ("desc", True): "({k} IS NULL AND {id} < {p})",
    ("asc", False): "({k}, {id}) > ({p}, {p})",
    ("asc", True): "({k} IS NULL AND {id} > {p})",
}
KEYSET_NULL_KEYS = "{k} IS NULL"
ORDER = {
    "desc": "ORDER BY {k} DESC NULLS LAST, {id} DESC",
    "asc": "ORDER BY {k} ASC NULLS LAST, {id} ASC",
}
LIMIT = "LIMIT {p}"
LIMIT_OFFSET = "LIMIT {p} OFFSET {p}"

READ_ARTICLE = (
    "SELECT id, source, published, url, title, text, origin, ingested_at, published_precision "
    "FROM articles WHERE id = {p}"
)
READ_ARTICLE_COLUMNS = (
    "id",
    "source",
    "published",
    "url",
    "title",
    "text",
    "origin",
    "ingested",
    "published_precision",  # None: exact as given; else day, week, month or year (migration 11)
)
READ_ARTICLE_ENTITIES = (
    "SELECT e.ordinal, e.kind, e.name, e.title, e.latitude, e.longitude, e.admin1, e.country, "
    'm."start", m."end", m."text" FROM entities AS e '
    "LEFT JOIN entity_mentions AS m ON m.entity_id = e.id "
    "WHERE e.article_id = {p} ORDER BY e.ordinal, m.ordinal"
)
READ_HAS_ARTICLES = "SELECT 1 FROM articles LIMIT 1"
READ_EVENT_TYPES = "SELECT event_type, COUNT(*) FROM events GROUP BY event_type ORDER BY event_type"
READ_COUNT = "SELECT COUNT(*) FROM ({select}) AS matched"
EVENT_TALLY = (
    "SELECT r.event_type, COUNT(*), SUM(r.fatalities) FROM events AS r {where} "
    "GROUP BY r.event_type"
)
"""Events and fatalities by type, of the events matching {where} (an events list's conditions)."""
EVENT_FIRST_ARTICLES = (
    f"SELECT f.article_id, {_ARTICLE_REF} FROM (SELECT r.article_id, r.event_date AS k, r.id, "
    "ROW_NUMBER() OVER (PARTITION BY r.article_id ORDER BY r.event_date, r.id) AS n "
    "FROM events AS r {where}) AS f JOIN articles AS a ON a.id = f.article_id WHERE f.n = 1 "
    "ORDER BY f.k, f.id"
)
"""The articles of the events matching {where}, each once, in the order of its first event
(the events list's oldest-first order: event date, then id; {where} gives them dates)."""
EVENT_NAMES_OF_FIELD = "SELECT name FROM event_names WHERE field = {p}"

READ_INDEXES_DDL = (
    "CREATE INDEX events_latitude_longitude ON events (latitude, longitude)",
    "CREATE INDEX quotes_article_published ON quotes (article_id, speaker)",
)
"""Indexes for the read queries (migration 5): bounding boxes, quotes by article and speaker."""

READ_INDEXES_1M_DDL = (
    # Every /api/events list is newest first (ORDER BY event_date DESC, id DESC LIMIT n) and its
    # filters (type, place, actor, bbox) are not selective enough, or not indexable (LIKE
    # '%part%'), to be answered another way; so the list walks events in date order and keeps the
    # rows that match. This index holds the date, the id (the order's tie-break) and every
    # filtered column but the free text, so the walk checks the filters in the index and reads
    # only the matching table rows. Measured on the 1,000,000-event ledger of
    # scripts/bench_web.py, one query each (ms, before -> after): rare sub-type 234 -> 45,
    # admin1 76 -> 17, a rare town 1,698 -> 412, sub-type + country + two years 1,149 -> 350.
    "CREATE INDEX events_date_filters ON events (event_date, id, event_type, sub_event_type, "
    "country, admin1, admin2, location, actor1, actor2, assoc_actor_1, assoc_actor_2, "
    "latitude, longitude)",
    # Replaced by events_date_filters, which starts with the same column: while it is there,
    # SQLite's planner takes the narrower index and reads every scanned event's table row.
    "DROP INDEX events_event_date",
    # The events bbox filter no longer uses a latitude range (see READ_LISTS), nothing else
    # reads this index; dropping it saves its upkeep on every insert.
    "DROP INDEX events_latitude_longitude",
)
"""Indexes for the event list on a large ledger (migration 8)."""

_NAMED_FIELDS = tuple(c for columns in EVENT_NAME_FIELDS.values() for c in columns)

EVENT_NAMES_DDL = (
    # The distinct names in the events' place and actor columns, with how many events hold each
    # there (`Ledger.store` adds to it in the event's transaction; names of deleted events may
    # stay, which only costs a lookup). A `place` or `actor` filter, a part of a name, is first
    # turned into the names that contain it (a scan of a few thousand rows, not of the events).
    """CREATE TABLE event_names (
    field TEXT NOT NULL,
    name TEXT NOT NULL,
    events INTEGER NOT NULL CHECK (events >= 0),
    PRIMARY KEY (field, name)
)""",
    "INSERT INTO event_names (field, name, events) SELECT field, name, COUNT(*) FROM ("
    + " UNION ALL ".join(
        f"SELECT '{c}' AS field, {c} AS name FROM events WHERE {c} IS NOT NULL"
        for c in _NAMED_FIELDS
    )
    + ") AS named GROUP BY field, name",
    # Then the events holding those names are read through these indexes, one per field
    # (queries._named_events says when; sql.EVENT_ARM how): (value, date) finds a name's events
    # in date order, and the position lets a `bbox` be checked in the index, so only the events
    # of the page are read. Measured on the 1,000,000-event ledger, one query each (ms,
    # migration 8 -> 9): a town's newest page (171 events) 231 -> 4, a name in no event
    # 450 -> 0.5, the most common actor in a box holding none of its events 981 -> 29. They
    # replace events_actor1 (actor1) and events_country (country, admin1), which nothing reads.
    # Cost: the migration took 35.6 s on that ledger, and the file grew from 1.24 to 1.50 GB.
    "DROP INDEX events_actor1",
    "DROP INDEX events_country",
    *(
        f"CREATE INDEX events_{c}_date ON events ({c}, event_date, latitude, longitude)"
        for c in _NAMED_FIELDS
    ),
)
"""The place and actor names of the events, and an index per named column (migration 9)."""

EVENT_NAMES_MATCHING = (
    "SELECT field, name, events FROM event_names WHERE field IN ({p}, {p}, {p}, {p}) "
    f"AND name {{like}} {{p}} {_ESC} ORDER BY field, name"
)
"""The names in four fields (a kind's EVENT_NAME_FIELDS) that contain a LIKE pattern."""


def name_in(field: str, count: int) -> str:
    """Read filter template: an event holds one of `count` names in its `field`."""
    return f"r.{field} IN ({', '.join('{p}' for _ in range(count))})"


NO_EVENTS = "1 = 0"
"""Read filter template: no event (a place or actor part that no name contains)."""

# An events page through a place or actor filter's names: one arm per field holding those names
# (its `name_in` and every other condition), each answered by that field's index alone and
# checking the box there, then their union's newest ids, and only those rows read and joined.
# 8 ms instead of 198 ms for the newest events of a common actor in a box (one OR over the two
# fields reads every matching event's row); see README "Measured > Web app".
EVENT_ARM = "SELECT r.id AS id, r.event_date AS k FROM events AS r WHERE {where}"
EVENT_IDS = "r.id IN (SELECT m.id FROM ({arms}) AS m {order} LIMIT {p})"

# A `type` filter that names a sub-event type held by few events in the list's dates reads them
# through events_type_date (migration 10) as an arm of its own, which needs the type above it:
# SUB_TYPE_HELD finds the ledger's event types (one index seek each, the recursive MIN walk) and
# how many events of each hold the sub-type in the dates ({dates}: the events list's date
# filters given), counting at most {p} (a bounded read of that index alone).
SUB_TYPE_HELD = (
    "WITH RECURSIVE types(t) AS (SELECT MIN(event_type) FROM events UNION ALL "
    "SELECT (SELECT MIN(event_type) FROM events WHERE event_type > types.t) FROM types "
    "WHERE types.t IS NOT NULL) "
    "SELECT t, (SELECT COUNT(*) FROM (SELECT 1 FROM events AS r WHERE r.event_type = types.t "
    "AND r.sub_event_type = {p}{dates} LIMIT {p}) AS held) FROM types WHERE t IS NOT NULL"
)
SUB_TYPE_ARM = "(r.event_type = {p} AND r.sub_event_type = {p})"


SUB_TYPE_INDEX_DDL = (
    # A sub-event type's events in a date range, newest first, from the index alone: the arm of
    # a `type` filter naming a rare sub-type (sql.SUB_TYPE_ARM; queries._sub_type_events says
    # when) reads only the range's table rows, to check the other filters. Replaces
    # events_event_type (event_type, sub_event_type), its prefix. Measured on the
    # 1,000,000-event ledger of scripts/bench_web.py: created in 2.6 s, the file grew by 7 MB;
    # the newest page of a sub-type of 20,219 events in a small country over two years took
    # 33 ms through events_event_type (every event of the sub-type read) or 35 ms walking by
    # date, and takes 10 to 15 ms through this index (the 6,000 of those two years read).
    "DROP INDEX events_event_type",
    "CREATE INDEX events_type_date ON events (event_type, sub_event_type, event_date)",
)
"""The events of a sub-event type by date (migration 10)."""


NEWEST_FIRST_POSTGRESQL_DDL = (
    # Lists are newest first with rows without a date last (ORDER BY key DESC NULLS LAST, id
    # DESC). SQLite sorts NULL lowest, so a plain index read backwards gives that order; on
    # PostgreSQL (NULL highest) the same index read backwards puts NULLs first and is not used:
    # every list sorted all its rows (the quotes list of the seeds + Guardian ledger read and
    # joined all 4,458 quotes and their articles to keep 51: 9.7 ms). These indexes hold the
    # order itself. Articles by publication also drive the quotes and claims lists (newest by
    # their article's publication: the newest articles' quotes read through quotes(article_id),
    # then sorted within the date): 9.7 -> 0.3 ms; the events list 0.9 -> 0.3 ms (EXPLAIN
    # ANALYZE, one query each; tests/store/test_newest_first_indexes.py checks the plans).
    "CREATE INDEX articles_newest ON articles (published DESC NULLS LAST, seq DESC)",
    "CREATE INDEX events_newest ON events (event_date DESC NULLS LAST, id DESC)",
)
"""Newest-first indexes for PostgreSQL (migration 16; nothing on SQLite, which needs none)."""
