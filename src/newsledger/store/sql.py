"""Every SQL statement the ledger runs, in one place.

Statements are written once, in SQL that SQLite and PostgreSQL share, and rendered for a `Dialect`
by `build`. What differs between the two databases is kept in the `Dialect` record and nowhere
else: the parameter marker, the surrogate key column, the JSON and float column types, the
connection settings, how a write transaction takes its lock, how tables are listed, and the
full-text index (FTS5 here; a tsvector column and a GIN index on PostgreSQL). The PostgreSQL
backend is the second `Dialect` value (`POSTGRESQL`) plus a connection function
(`store/postgres.py`), not a second set of statements.

Statements are run by sqlite3 ("?" markers) and psycopg ("%s" markers). psycopg reads `%` in a
statement as the start of a marker: write a literal percent sign as a bound value, never in the SQL.

Column names are the record field names of `newsledger.records` (DESIGN.md); a record's `evidence`
span is stored as `evidence_start`, `evidence_end`, `evidence_text`. `ordinal` is the record's
position in its article's extraction: `(article_id, ordinal)` identifies a record stably.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# ---------------------------------------------------------------------------------------------
# What differs between database engines


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str  # the engine's name in messages
    param: str  # the parameter marker: "?" (sqlite3), "%s" (psycopg)
    id_column: str  # a surrogate key filled in by the database
    json_type: str  # JSON stored as text here; JSONB on PostgreSQL
    float_type: str
    connect: tuple[str, ...]  # run once on every new connection
    begin_write: str  # start a transaction that holds the write lock from the start
    migration_lock: str  # run after begin_write by migrations: one migrating process at a time
    list_tables: str  # names of the user tables, one per row
    full_text_index: tuple[str, ...]  # create the article text index and keep it in sync
    search: str  # params: query, limit; columns: SEARCH_COLUMNS
    search_words: str  # param: query -> how many terms it has (0: nothing to search for); or ""
    article_match: str  # read filter template: article `a` matches the words bound at {p}


SEARCH_COLUMNS = ("article_id", "title", "source", "published", "url", "snippet", "rank")

BUSY_TIMEOUT_MS = 5000

SQLITE = Dialect(
    name="sqlite",
    title="SQLite",
    param="?",
    # INTEGER PRIMARY KEY is SQLite's rowid: filled in on insert, never reused while the row
    # exists; AUTOINCREMENT is not needed (ids of deleted rows may be reused, nothing refers to
    # them). PostgreSQL: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY".
    id_column="INTEGER PRIMARY KEY",
    json_type="TEXT",
    float_type="REAL",
    connect=(
        "PRAGMA foreign_keys = ON",
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
    ),
    begin_write="BEGIN IMMEDIATE",
    migration_lock="",  # BEGIN IMMEDIATE already holds the database's one write lock
    list_tables=(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ),
    # An external-content FTS5 table over articles (title, text): the text is not stored twice.
    # It is keyed by articles.seq, an INTEGER PRIMARY KEY, which (unlike an implicit rowid)
    # VACUUM never renumbers. Triggers keep it in step with every insert, delete and update.
    full_text_index=(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, text, content='articles', content_rowid='seq', "
        "tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text); "
        "END",
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); "
        "END",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); "
        "INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text); "
        "END",
        # index whatever articles are already there
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    ),
    search=(
        "SELECT a.id, a.title, a.source, a.published, a.url, "
        "snippet(articles_fts, 1, '[', ']', '…', 16), bm25(articles_fts) AS rank "
        "FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY rank, a.seq LIMIT ?"
    ),
    search_words="",  # FTS5 refuses a query without terms itself
    article_match="a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH {p})",
)

TEXT_SEARCH_CONFIG = "english"
"""PostgreSQL's text search configuration for article titles and texts (stemmed English)."""

MIGRATION_LOCK_KEY = 0x6E6C  # "nl": with the schema's name, the advisory lock migrations hold

POSTGRESQL = Dialect(
    name="postgresql",
    title="PostgreSQL",
    param="%s",
    id_column="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    json_type="JSONB",
    float_type="DOUBLE PRECISION",
    connect=(
        "SET client_min_messages = warning",  # not "relation already exists, skipping"
        "SET TIME ZONE 'UTC'",
    ),
    # READ COMMITTED: concurrent writers of different articles do not wait for each other; the
    # unique constraints on articles (id, text_hash) with INSERT ... ON CONFLICT DO NOTHING make
    # the second of two writers of one article wait for the first and then find it stored.
    begin_write="BEGIN",
    # held until the migration step's transaction ends; per schema, so ledgers in different
    # schemas of one database migrate independently
    migration_lock=(
        f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY}, hashtext(current_schema()))"
    ),
    list_tables=(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
        "ORDER BY table_name"
    ),
    # A stored generated tsvector (title weighted above text), filled in for the articles already
    # there when the column is added and kept in step by PostgreSQL on every write; a GIN index.
    full_text_index=(
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', text), 'B')) STORED",
        "CREATE INDEX articles_search ON articles USING GIN (search)",
    ),
    # websearch_to_tsquery: words, "phrases", OR, -not; it never fails on the user's syntax.
    # rank: lower is better, as bm25 in SQLite.
    search=(
        "SELECT a.id, a.title, a.source, a.published, a.url, "
        f"ts_headline('{TEXT_SEARCH_CONFIG}', a.text, query, "
        "'StartSel=[, StopSel=], MaxWords=16, MinWords=6, MaxFragments=1, "
        "FragmentDelimiter=…'), "
        "-ts_rank_cd(a.search, query) AS rank "
        f"FROM articles AS a, websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', %s) AS query "
        "WHERE a.search @@ query ORDER BY rank, a.seq LIMIT %s"
    ),
    search_words=f"SELECT numnode(websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', %s))",
    article_match=f"a.search @@ websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', {{p}})",
)

DIALECTS = {d.name: d for d in (SQLITE, POSTGRESQL)}

# ---------------------------------------------------------------------------------------------
# Columns (in record field order; the ledger builds rows and dicts from these tuples)

ARTICLE_COLUMNS = (
    "id",
    "source",
    "published",
    "url",
    "title",
    "text",
    "raw_text",
    "offsets",
    "origin",
    "text_hash",
    "ingested_at",
)
EVIDENCE = ("evidence_start", "evidence_end", "evidence_text")
EVENT_FIELDS = (
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "location",
    "admin1",
    "admin2",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
    *EVIDENCE,
    "confidence",
)
QUOTE_FIELDS = (
    "speaker",
    "speaker_title",
    "text",
    "kind",
    "cue",
    *EVIDENCE,
    "speaker_kind",
    "notes",
)
CLAIM_FIELDS = ("value", "unit", "subject", "claimed_by", *EVIDENCE, "speaker_kind")
DEADLINE_FIELDS = ("subject", "deadline", "precision", "relation", "stated_by", *EVIDENCE)
ENTITY_FIELDS = (
    "kind",
    "name",
    "title",
    "latitude",
    "longitude",
    "admin1",
    "country",
    "geonameid",
)
MENTION_FIELDS = ("start", "end", "text")
CHANGE_COLUMNS = (
    "article_id",  # the later article: the report in which the change shows
    "earlier_article_id",
    "kind",
    "speaker",
    "topic",
    "earlier_kind",
    "earlier_record",
    "later_kind",
    "later_record",
    "why",
    "change_hash",
    "recorded_at",
)

RECORD_FIELDS = {
    "events": EVENT_FIELDS,
    "quotes": QUOTE_FIELDS,
    "claims": CLAIM_FIELDS,
    "deadlines": DEADLINE_FIELDS,
    "entities": ENTITY_FIELDS,
}
"""The record tables and their record columns (each also has id, article_id, ordinal)."""

COUNTED_TABLES = (
    "articles",
    "events",
    "quotes",
    "claims",
    "deadlines",
    "entities",
    "entity_mentions",
    "changes",
)

# ---------------------------------------------------------------------------------------------
# Schema (templates: {id}, {json}, {float} are filled in from the dialect)

MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "number INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
)

ARTICLES_DDL = (
    """CREATE TABLE articles (
    seq {id},
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    published TEXT,
    url TEXT,
    title TEXT,
    text TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    offsets {json} NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    text_hash TEXT NOT NULL UNIQUE,
    ingested_at TEXT NOT NULL
)""",
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX articles_source ON articles (source)",
)

_RECORD_KEY = (
    "id {id},\n"
    "    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,\n"
    "    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),"
)
_EVIDENCE_COLUMNS = (
    "evidence_start INTEGER NOT NULL CHECK (evidence_start >= 0),\n"
    "    evidence_end INTEGER NOT NULL CHECK (evidence_end >= evidence_start),\n"
    "    evidence_text TEXT NOT NULL,"
)

RECORDS_DDL = (
    f"""CREATE TABLE events (
    {_RECORD_KEY}
    event_date TEXT,
    time_precision INTEGER CHECK (time_precision IN (1, 2, 3)),
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    actor1 TEXT,
    assoc_actor_1 TEXT,
    actor2 TEXT,
    assoc_actor_2 TEXT,
    location TEXT,
    admin1 TEXT,
    admin2 TEXT,
    country TEXT,
    latitude {{float}} CHECK (latitude BETWEEN -90 AND 90),
    longitude {{float}} CHECK (longitude BETWEEN -180 AND 180),
    geo_precision INTEGER CHECK (geo_precision IN (1, 2, 3)),
    fatalities INTEGER NOT NULL CHECK (fatalities >= 0),
    notes TEXT NOT NULL,
    {_EVIDENCE_COLUMNS}
    confidence {{float}} NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX events_event_date ON events (event_date)",
    "CREATE INDEX events_event_type ON events (event_type, sub_event_type)",
    "CREATE INDEX events_country ON events (country, admin1)",
    "CREATE INDEX events_actor1 ON events (actor1)",
    f"""CREATE TABLE quotes (
    {_RECORD_KEY}
    speaker TEXT,
    speaker_title TEXT,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
    cue TEXT,
    {_EVIDENCE_COLUMNS}
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX quotes_speaker ON quotes (speaker)",
    f"""CREATE TABLE claims (
    {_RECORD_KEY}
    value {{float}} NOT NULL,
    unit TEXT NOT NULL,
    subject TEXT,
    claimed_by TEXT,
    {_EVIDENCE_COLUMNS}
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX claims_subject ON claims (subject)",
    "CREATE INDEX claims_claimed_by ON claims (claimed_by)",
    f"""CREATE TABLE deadlines (
    {_RECORD_KEY}
    subject TEXT NOT NULL,
    deadline TEXT NOT NULL,
    precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    relation TEXT NOT NULL,
    stated_by TEXT,
    {_EVIDENCE_COLUMNS}
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX deadlines_deadline ON deadlines (deadline)",
    "CREATE INDEX deadlines_stated_by ON deadlines (stated_by)",
    f"""CREATE TABLE entities (
    {_RECORD_KEY}
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place')),
    name TEXT NOT NULL,
    title TEXT,
    latitude {{float}} CHECK (latitude BETWEEN -90 AND 90),
    longitude {{float}} CHECK (longitude BETWEEN -180 AND 180),
    admin1 TEXT,
    country TEXT,
    geonameid INTEGER,
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX entities_kind_name ON entities (kind, name)",
    """CREATE TABLE entity_mentions (
    id {id},
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    "start" INTEGER NOT NULL CHECK ("start" >= 0),
    "end" INTEGER NOT NULL CHECK ("end" >= "start"),
    "text" TEXT NOT NULL,
    UNIQUE (entity_id, ordinal)
)""",
    "CREATE INDEX entity_mentions_article ON entity_mentions (article_id)",
)

CHANGES_DDL = (
    """CREATE TABLE changes (
    id {id},
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    earlier_article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN
        ('stance changed', 'deadline differs', 'figure differs', 'reaffirmed')),
    speaker TEXT,
    topic TEXT,
    earlier_kind TEXT NOT NULL,
    earlier_record {json} NOT NULL,
    later_kind TEXT NOT NULL,
    later_record {json} NOT NULL,
    why TEXT NOT NULL,
    change_hash TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL
)""",
    "CREATE INDEX changes_article ON changes (article_id)",
    "CREATE INDEX changes_earlier_article ON changes (earlier_article_id)",
    "CREATE INDEX changes_kind ON changes (kind)",
    "CREATE INDEX changes_speaker ON changes (speaker)",
)


def render(template: str, dialect: Dialect) -> str:
    """Fill a schema template's {id}, {json} and {float} for the dialect."""
    return template.format(id=dialect.id_column, json=dialect.json_type, float=dialect.float_type)


# ---------------------------------------------------------------------------------------------
# Statements


@dataclass(frozen=True)
class Statements:
    """Every statement the ledger runs, rendered for one dialect."""

    dialect: Dialect
    begin_write: str
    begin_migration: tuple[str, ...]  # begin a migration step's transaction and take its lock
    commit: str
    rollback: str
    migrations_table: tuple[str, ...]
    applied_migrations: str  # -> number
    record_migration: str  # number, description, applied_at
    list_tables: str
    article_exists: str  # id, text_hash -> the stored article's id
    article_id_exists: str  # id -> 1
    insert_article: str  # ARTICLE_COLUMNS; inserts nothing when the id or text_hash is there
    insert_records: dict[str, str]  # kind -> (article_id, ordinal, *RECORD_FIELDS[kind])
    insert_mention: str  # article_id, entity ordinal, article_id, ordinal, start, end, text
    insert_change: str  # CHANGE_COLUMNS; a change already there is skipped
    select_articles: str  # ARTICLE_COLUMNS
    select_records: dict[str, str]  # article_id, ordinal, source, published, *fields
    select_entities: str  # id, article_id, ordinal, source, published, *ENTITY_FIELDS,
    #                       mention ordinal, *MENTION_FIELDS (NULL when it has none)
    select_changes: str  # CHANGE_COLUMNS
    count: dict[str, str]  # table -> count
    sources: str  # source, count
    published_range: str  # min, max
    search: str
    search_words: str
    add_event_names: str  # field, name, events: EVENT_NAMES_ADD


def _quoted(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _insert(dialect: Dialect, table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join(dialect.param for _ in columns)
    return f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({marks})"


def _select_records(table: str, fields: tuple[str, ...]) -> str:
    columns = ", ".join(f'r."{c}"' for c in fields)
    return (
        f"SELECT r.article_id, r.ordinal, a.source, a.published, {columns} "
        f"FROM {table} AS r JOIN articles AS a ON a.id = r.article_id "
        "ORDER BY a.seq, r.ordinal"
    )


def build(dialect: Dialect) -> Statements:
    p = dialect.param
    entity_columns = ", ".join(f'e."{c}"' for c in ENTITY_FIELDS)
    mention_columns = ", ".join(f'm."{c}"' for c in MENTION_FIELDS)
    return Statements(
        dialect=dialect,
        begin_write=dialect.begin_write,
        begin_migration=tuple(s for s in (dialect.begin_write, dialect.migration_lock) if s),
        commit="COMMIT",
        rollback="ROLLBACK",
        migrations_table=MIGRATIONS_TABLE,
        applied_migrations="SELECT number FROM schema_migrations ORDER BY number",
        record_migration=(
            "INSERT INTO schema_migrations (number, description, applied_at) "
            f"VALUES ({p}, {p}, {p})"
        ),
        list_tables=dialect.list_tables,
        article_exists=f"SELECT id FROM articles WHERE id = {p} OR text_hash = {p} LIMIT 1",
        article_id_exists=f"SELECT 1 FROM articles WHERE id = {p}",
        # no conflict target: any of the unique id, text_hash (and seq) makes it a duplicate; the
        # row count says whether it was inserted (0: another writer stored it first)
        insert_article=_insert(dialect, "articles", ARTICLE_COLUMNS) + " ON CONFLICT DO NOTHING",
        insert_records={
            kind: _insert(dialect, kind, ("article_id", "ordinal", *fields))
            for kind, fields in RECORD_FIELDS.items()
        },
        insert_mention=(
            'INSERT INTO entity_mentions (entity_id, article_id, ordinal, "start", "end", "text") '
            f"VALUES ((SELECT id FROM entities WHERE article_id = {p} AND ordinal = {p}), "
            f"{p}, {p}, {p}, {p}, {p})"
        ),
        insert_change=_insert(dialect, "changes", CHANGE_COLUMNS)
        + " ON CONFLICT (change_hash) DO NOTHING",
        select_articles=f"SELECT {_quoted(ARTICLE_COLUMNS)} FROM articles ORDER BY seq",
        select_records={
            kind: _select_records(kind, fields)
            for kind, fields in RECORD_FIELDS.items()
            if kind != "entities"
        },
        select_entities=(
            f"SELECT e.id, e.article_id, e.ordinal, a.source, a.published, {entity_columns}, "
            f"m.ordinal, {mention_columns} "
            "FROM entities AS e JOIN articles AS a ON a.id = e.article_id "
            "LEFT JOIN entity_mentions AS m ON m.entity_id = e.id "
            "ORDER BY a.seq, e.ordinal, m.ordinal"
        ),
        select_changes=f"SELECT {_quoted(CHANGE_COLUMNS)} FROM changes ORDER BY id",
        count={table: f"SELECT COUNT(*) FROM {table}" for table in COUNTED_TABLES},
        sources=(
            "SELECT source, COUNT(*) AS n FROM articles GROUP BY source "
            "ORDER BY n DESC, source NULLS FIRST"
        ),
        published_range="SELECT MIN(published), MAX(published) FROM articles",
        search=dialect.search,
        search_words=dialect.search_words,
        add_event_names=render_query(EVENT_NAMES_ADD, dialect),
    )


# =============================================================================================
# Read queries for the web app and API (composed by `store/queries.py`; every value is bound)
#
# A list is a SELECT without WHERE, a sort key and a unique id (the keyset for pagination), and
# named filter conditions. Templates use {p} for the parameter marker and {like} for the
# case-insensitive LIKE operator; `render_query` fills them in for a dialect. The select's last
# two columns are always the sort key and the id (queries.py strips them).


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


LIKE_OPERATOR = {"sqlite": "LIKE", "postgresql": "ILIKE"}
_ESC = "ESCAPE '\\'"

ARTICLE_REF_COLUMNS = ("article_title", "article_source", "article_published", "article_url")
_ARTICLE_REF = "a.title, a.source, a.published, a.url"
_ARTICLE_JOIN = "JOIN articles AS a ON a.id = r.article_id"


def _like_any(*columns: str) -> ReadFilter:
    conditions = " OR ".join(f"{c} {{like}} {{p}} {_ESC}" for c in columns)
    return ReadFilter(f"({conditions})", "like")


def _record_list(
    table: str, fields: tuple[str, ...], key: str, filters: dict[str, ReadFilter]
) -> ReadList:
    columns = ("row_id", "article_id", "ordinal", *fields, *ARTICLE_REF_COLUMNS)
    selected = ", ".join(f'r."{c}"' for c in fields)
    return ReadList(
        select=(
            f"SELECT r.id, r.article_id, r.ordinal, {selected}, {_ARTICLE_REF}, {key}, r.id "
            f"FROM {table} AS r {_ARTICLE_JOIN}"
        ),
        columns=columns,
        key=key,
        id="r.id",
        filters={
            "article": ReadFilter("r.article_id = {p}"),
            "record": ReadFilter("r.article_id = {p} AND r.ordinal = {p}"),
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
    },
)
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
            "SELECT r.id, r.article_id, r.earlier_article_id, r.kind, r.speaker, r.topic, "
            "r.earlier_kind, r.earlier_record, r.later_kind, r.later_record, r.why, "
            f"r.recorded_at, {_ARTICLE_REF}, b.title, b.published, r.id, r.id "
            f"FROM changes AS r {_ARTICLE_JOIN} JOIN articles AS b ON b.id = r.earlier_article_id"
        ),
        columns=(
            "row_id",
            "article_id",
            "earlier_article_id",
            "kind",
            "speaker",
            "topic",
            "earlier_kind",
            "earlier_record",
            "later_kind",
            "later_record",
            "why",
            "recorded_at",
            *ARTICLE_REF_COLUMNS,
            "earlier_title",
            "earlier_published",
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
            "a.published, a.seq FROM articles AS a"
        ),
        columns=("id", "source", "published", "url", "title", "events", "quotes"),
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
        select=(
            "SELECT p.name, MAX(p.title), COUNT(DISTINCT p.article_id), SUM(p.statements), "
            "MIN(a.published), MAX(a.published), NULL, NULL "
            "FROM (SELECT name, title, article_id, 0 AS statements FROM entities "
            "WHERE kind = 'person' UNION ALL "
            "SELECT speaker, speaker_title, article_id, 1 FROM quotes WHERE speaker IS NOT NULL) "
            "AS p JOIN articles AS a ON a.id = p.article_id"
        ),
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
    "SELECT id, source, published, url, title, text, origin, ingested_at "
    "FROM articles WHERE id = {p}"
)
READ_ARTICLE_COLUMNS = ("id", "source", "published", "url", "title", "text", "origin", "ingested")
READ_ARTICLE_ENTITIES = (
    "SELECT e.ordinal, e.kind, e.name, e.title, e.latitude, e.longitude, e.admin1, e.country, "
    'm."start", m."end", m."text" FROM entities AS e '
    "LEFT JOIN entity_mentions AS m ON m.entity_id = e.id "
    "WHERE e.article_id = {p} ORDER BY e.ordinal, m.ordinal"
)
READ_HAS_ARTICLES = "SELECT 1 FROM articles LIMIT 1"
READ_EVENT_TYPES = "SELECT event_type, COUNT(*) FROM events GROUP BY event_type ORDER BY event_type"
READ_COUNT = "SELECT COUNT(*) FROM ({select}) AS matched"


def render_query(template: str, dialect: Dialect) -> str:
    """Fill a read template's {article_match}, {p} and {like} for the dialect (other braces
    stay)."""
    return (
        template.replace("{article_match}", dialect.article_match)
        .replace("{p}", dialect.param)
        .replace("{like}", LIKE_OPERATOR[dialect.name])
    )


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

EVENT_NAME_FIELDS = {
    "place": ("location", "admin1", "admin2", "country"),
    "actor": ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"),
}
"""The event columns a `place` or `actor` filter matches a part of (their names: event_names)."""
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

EVENT_NAMES_ADD = (
    "INSERT INTO event_names (field, name, events) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (field, name) DO UPDATE SET events = event_names.events + excluded.events"
)
"""Count an article's events under their names (field, name, how many events)."""

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


# =============================================================================================
# Tracking across articles (migration 6; used by `newsledger.track`)
#
# Canonical entities with their aliases and the reason each alias was merged; the titles a
# person is given, report by report; event clusters (one ledger event reported by several
# articles) with their member events and why each joined or was split off; lookup keys that
# let tracking one new article fetch only the records it could relate to; a log of decisions.
# Templates use {p} for the parameter marker (filled by `render_query`) and plain SQL that SQLite
# and PostgreSQL share. Inserts that need the new row's id use RETURNING (both engines).

TRACK_DDL = (
    """CREATE TABLE track_entities (
    id {id},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    family_key TEXT NOT NULL,
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX track_entities_family ON track_entities (kind, family_key)",
    """CREATE TABLE track_aliases (
    id {id},
    entity_id INTEGER NOT NULL REFERENCES track_entities (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    UNIQUE (entity_id, alias, article_id)
)""",
    "CREATE INDEX track_aliases_key ON track_aliases (alias_key)",
    "CREATE INDEX track_aliases_article ON track_aliases (article_id)",
    """CREATE TABLE track_titles (
    id {id},
    entity_id INTEGER NOT NULL REFERENCES track_entities (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    published TEXT,
    title TEXT NOT NULL,
    UNIQUE (entity_id, article_id, title)
)""",
    "CREATE INDEX track_titles_entity ON track_titles (entity_id, published)",
    """CREATE TABLE track_event_clusters (
    id {id},
    event_type TEXT NOT NULL,
    date_min TEXT,
    date_max TEXT,
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX track_event_clusters_type_date ON track_event_clusters (event_type, date_min)",
    """CREATE TABLE track_event_members (
    id {id},
    cluster_id INTEGER NOT NULL REFERENCES track_event_clusters (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX track_event_members_cluster ON track_event_members (cluster_id)",
    """CREATE TABLE track_keys (
    id {id},
    key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    published TEXT,
    UNIQUE (key, article_id, kind, ordinal)
)""",
    "CREATE INDEX track_keys_key ON track_keys (key, published)",
    "CREATE INDEX track_keys_article ON track_keys (article_id)",
    """CREATE TABLE track_statements (
    id {id},
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    published TEXT,
    source TEXT,
    speaker_key TEXT,
    speaker TEXT,
    topic TEXT NOT NULL,
    stance {json} NOT NULL,
    record {json} NOT NULL,
    UNIQUE (article_id, kind, ordinal)
)""",
    "CREATE INDEX track_statements_speaker ON track_statements (speaker_key, published)",
    """CREATE TABLE track_log (
    id {id},
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
)""",
    "CREATE INDEX track_log_article ON track_log (article_id)",
    """CREATE TABLE track_done (
    article_id TEXT NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    tracked_at TEXT NOT NULL
)""",
)
"""Tables for tracking across articles (migration 6)."""

TRACK_RECORD_FIELDS = {
    "quotes": QUOTE_FIELDS,
    "claims": CLAIM_FIELDS,
    "deadlines": DEADLINE_FIELDS,
    "events": EVENT_FIELDS,
}
TRACK_ARTICLE = "SELECT id, source, published, title, text FROM articles WHERE id = {p}"
TRACK_ARTICLE_RECORDS = {
    kind: f"SELECT ordinal, {_quoted(fields)} FROM {kind} WHERE article_id = {{p}} ORDER BY ordinal"
    for kind, fields in TRACK_RECORD_FIELDS.items()
}
"""One article's records of a kind: ordinal, *fields."""
TRACK_ARTICLE_ENTITIES = (
    'SELECT e.ordinal, e.kind, e.name, e.title, m."text" FROM entities AS e '
    "LEFT JOIN entity_mentions AS m ON m.entity_id = e.id "
    "WHERE e.article_id = {p} ORDER BY e.ordinal, m.ordinal"
)
TRACK_IS_DONE = "SELECT 1 FROM track_done WHERE article_id = {p}"
TRACK_MARK_DONE = "INSERT INTO track_done (article_id, tracked_at) VALUES ({p}, {p})"
TRACK_ALIASES_BY_KEY = (
    "SELECT al.entity_id, e.kind, e.name, al.alias, al.article_id FROM track_aliases AS al "
    "JOIN track_entities AS e ON e.id = al.entity_id WHERE al.alias_key = {p} AND e.kind = {p}"
)
TRACK_ENTITIES_BY_FAMILY = (
    "SELECT id, name FROM track_entities WHERE kind = {p} AND family_key = {p} ORDER BY id"
)
TRACK_ENTITY_ALIASES = (
    "SELECT alias, article_id, reason FROM track_aliases WHERE entity_id = {p} ORDER BY id"
)
TRACK_ENTITY_ALIAS_NAMES = "SELECT DISTINCT alias FROM track_aliases WHERE entity_id = {p}"
TRACK_ENTITY_TITLES = (
    "SELECT published, title, article_id FROM track_titles WHERE entity_id = {p} "
    "ORDER BY published, id"
)
TRACK_ENTITY = "SELECT id, kind, name FROM track_entities WHERE id = {p}"
TRACK_INSERT_ENTITY = (
    "INSERT INTO track_entities (kind, name, family_key, created_at) "
    "VALUES ({p}, {p}, {p}, {p}) RETURNING id"
)
TRACK_INSERT_ALIAS = (
    "INSERT INTO track_aliases (entity_id, alias, alias_key, article_id, reason) "
    "VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
TRACK_INSERT_TITLE = (
    "INSERT INTO track_titles (entity_id, article_id, published, title) "
    "VALUES ({p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
TRACK_INSERT_KEY = (
    "INSERT INTO track_keys (key, article_id, kind, ordinal, published) "
    "VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
STATEMENT_COLUMNS = (
    "article_id",
    "kind",
    "ordinal",
    "published",
    "source",
    "speaker_key",
    "speaker",
    "topic",
    "stance",
    "record",
)
TRACK_INSERT_STATEMENT = (
    f"INSERT INTO track_statements ({_quoted(STATEMENT_COLUMNS)}) VALUES "
    f"({', '.join('{p}' for _ in STATEMENT_COLUMNS)}) ON CONFLICT DO NOTHING"
)
TRACK_KEY_RECORDS = (
    f"SELECT {', '.join('s.' + c for c in STATEMENT_COLUMNS)} FROM track_keys AS k "
    "JOIN track_statements AS s ON s.article_id = k.article_id AND s.kind = k.kind "
    "AND s.ordinal = k.ordinal WHERE k.key = {p} AND k.article_id <> {p} "
    "ORDER BY k.published DESC, k.id DESC LIMIT {p}"
)
"""Statements (STATEMENT_COLUMNS) of other articles under one key, newest first (the cap
bounds the work of tracking one article in a large ledger)."""
TRACK_SPEAKER_STATEMENTS = (
    f"SELECT {', '.join('s.' + c for c in STATEMENT_COLUMNS)} FROM track_statements AS s "
    "WHERE s.speaker_key = {p} ORDER BY s.published, s.article_id, s.ordinal"
)
TRACK_RENAME_ENTITY = "UPDATE track_entities SET name = {p} WHERE id = {p}"
TRACK_ENTITIES_BY_ALIAS = (
    "SELECT DISTINCT e.id, e.name FROM track_aliases AS al JOIN track_entities AS e "
    "ON e.id = al.entity_id WHERE e.kind = {p} AND (al.alias = {p} OR e.name = {p}) ORDER BY e.id"
)
"""Records of other articles under one key, newest first (the candidate cap bounds the work)."""
TRACK_INSERT_LOG = (
    "INSERT INTO track_log (article_id, what, reason, recorded_at) VALUES ({p}, {p}, {p}, {p})"
)
TRACK_LOG = "SELECT article_id, what, reason, recorded_at FROM track_log ORDER BY id"
TRACK_CLUSTER_CANDIDATES = (
    "SELECT id FROM track_event_clusters WHERE event_type = {p} "
    "AND date_min <= {p} AND date_max >= {p} ORDER BY id"
)
TRACK_CLUSTER_MEMBERS = (
    "SELECT m.article_id, m.ordinal, m.reason, a.source, a.published FROM track_event_members "
    "AS m JOIN articles AS a ON a.id = m.article_id WHERE m.cluster_id = {p} ORDER BY m.id"
)
TRACK_EVENT = (
    f"SELECT {_quoted(EVENT_FIELDS)} FROM events WHERE article_id = {{p}} AND ordinal = {{p}}"
)
TRACK_INSERT_CLUSTER = (
    "INSERT INTO track_event_clusters (event_type, date_min, date_max, created_at) "
    "VALUES ({p}, {p}, {p}, {p}) RETURNING id"
)
TRACK_UPDATE_CLUSTER = (
    "UPDATE track_event_clusters SET date_min = {p}, date_max = {p} WHERE id = {p}"
)
TRACK_DELETE_CLUSTER = "DELETE FROM track_event_clusters WHERE id = {p}"
TRACK_DELETE_MEMBERS = "DELETE FROM track_event_members WHERE cluster_id = {p}"
TRACK_INSERT_MEMBER = (
    "INSERT INTO track_event_members (cluster_id, article_id, ordinal, reason) "
    "VALUES ({p}, {p}, {p}, {p})"
)
TRACK_CLUSTERS = (
    "SELECT c.id, c.event_type, c.date_min, c.date_max, COUNT(m.id) FROM track_event_clusters "
    "AS c JOIN track_event_members AS m ON m.cluster_id = c.id "
    "GROUP BY c.id, c.event_type, c.date_min, c.date_max ORDER BY c.date_min, c.id"
)
TRACK_ARTICLE_CHANGES = "SELECT id FROM changes WHERE article_id = {p} OR earlier_article_id = {p}"
TRACK_CHANGES = (
    "SELECT c.kind, c.speaker, c.topic, c.earlier_article_id, c.earlier_kind, c.earlier_record, "
    "c.article_id, c.later_kind, c.later_record, c.why, b.published, a.published, b.source, "
    "a.source FROM changes AS c JOIN articles AS a ON a.id = c.article_id "
    "JOIN articles AS b ON b.id = c.earlier_article_id ORDER BY a.published, c.id"
)
"""Every change with both articles' dates and sources, in the later article's date order."""
TRACK_PERSON_TITLES = (
    "SELECT t.published, t.title, t.article_id, a.source FROM track_titles AS t "
    "JOIN articles AS a ON a.id = t.article_id WHERE t.entity_id = {p} ORDER BY t.published, t.id"
)


# =============================================================================================
# Watching sources and alerting (migration 7; used by `newsledger.watch`)
#
# Each source's state (conditional-request validators, last fetch, errors, backoff); every item
# seen from a source (a feed entry, a page URL, a file), so a restart neither misses nor repeats
# one; the articles waiting to be matched against the alert rules; the alerts (one per rule and
# record) and their deliveries (one per alert and output: pending until sent, with the last error
# and when to try again). Times a loop compares (`next_try`) are seconds since the epoch; the
# others are ISO 8601 UTC text.

WATCH_DDL = (
    """CREATE TABLE watch_sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_ok TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    next_try {float} NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE watch_seen (
    id {id},
    source TEXT NOT NULL,
    item TEXT NOT NULL,
    outcome TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    UNIQUE (source, item)
)""",
    """CREATE TABLE watch_queue (
    seq {id},
    article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    matched INTEGER NOT NULL DEFAULT 0 CHECK (matched IN (0, 1))
)""",
    "CREATE INDEX watch_queue_matched ON watch_queue (matched, seq)",
    """CREATE TABLE watch_alerts (
    id {id},
    rule TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL,
    alert {json} NOT NULL,
    UNIQUE (rule, record_id)
)""",
    """CREATE TABLE watch_deliveries (
    id {id},
    alert_id INTEGER NOT NULL REFERENCES watch_alerts (id) ON DELETE CASCADE,
    output TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try {float} NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    UNIQUE (alert_id, output)
)""",
    "CREATE INDEX watch_deliveries_pending ON watch_deliveries (status, next_try)",
)
"""Tables for watching sources and delivering alerts (migration 7)."""

WATCH_SOURCE_COLUMNS = (
    "name",
    "kind",
    "location",
    "etag",
    "last_modified",
    "last_fetch",
    "last_ok",
    "last_error",
    "failures",
    "next_try",
    "articles",
)
WATCH_ADD_SOURCE = (
    "INSERT INTO watch_sources (name, kind, location) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, location = excluded.location"
)
WATCH_SOURCE = f"SELECT {_quoted(WATCH_SOURCE_COLUMNS)} FROM watch_sources WHERE name = {{p}}"
WATCH_SOURCES = f"SELECT {_quoted(WATCH_SOURCE_COLUMNS)} FROM watch_sources ORDER BY name"
WATCH_UPDATE_SOURCE = (
    "UPDATE watch_sources SET "
    + ", ".join(f'"{c}" = {{p}}' for c in WATCH_SOURCE_COLUMNS[3:])
    + " WHERE name = {p}"
)
"""Params: the columns after name, kind, location, in order, then the name."""
WATCH_HAS_ARTICLE = "SELECT 1 FROM articles WHERE id = {p}"
WATCH_IS_SEEN = "SELECT 1 FROM watch_seen WHERE source = {p} AND item = {p}"
WATCH_MARK_SEEN = (
    "INSERT INTO watch_seen (source, item, outcome, seen_at) VALUES ({p}, {p}, {p}, {p}) "
    "ON CONFLICT (source, item) DO NOTHING"
)
WATCH_ENQUEUE = (
    "INSERT INTO watch_queue (article_id, source) VALUES ({p}, {p}) "
    "ON CONFLICT (article_id) DO NOTHING"
)
WATCH_UNMATCHED = "SELECT article_id FROM watch_queue WHERE matched = 0 ORDER BY seq"
WATCH_MARK_MATCHED = "UPDATE watch_queue SET matched = 1 WHERE article_id = {p}"
WATCH_INSERT_ALERT = (
    "INSERT INTO watch_alerts (rule, record_kind, record_id, article_id, day, created_at, alert) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (rule, record_id) DO NOTHING "
    "RETURNING id"
)
WATCH_INSERT_DELIVERY = (
    "INSERT INTO watch_deliveries (alert_id, output, status) VALUES ({p}, {p}, 'pending') "
    "ON CONFLICT (alert_id, output) DO NOTHING"
)
WATCH_PENDING = (
    "SELECT d.id, d.output, d.attempts, a.day, a.alert FROM watch_deliveries AS d "
    "JOIN watch_alerts AS a ON a.id = d.alert_id "
    "WHERE d.status = 'pending' AND d.next_try <= {p} ORDER BY a.id, d.id"
)
"""Deliveries due at a time: id, output, attempts, the alert's day and JSON."""
WATCH_SENT = (
    "UPDATE watch_deliveries SET status = 'sent', sent_at = {p}, attempts = attempts + 1, "
    "last_error = NULL WHERE id = {p} AND status = 'pending'"
)
WATCH_FAILED = (
    "UPDATE watch_deliveries SET attempts = attempts + 1, last_error = {p}, next_try = {p} "
    "WHERE id = {p}"
)
WATCH_ALERT_COLUMNS = ("id", "rule", "record_kind", "record_id", "article_id", "created_at")
WATCH_DELIVERY_COLUMNS = ("output", "status", "attempts", "last_error", "sent_at")
WATCH_ALERTS = (
    "SELECT a.id, a.rule, a.record_kind, a.record_id, a.article_id, a.created_at, a.alert, "
    "d.output, d.status, d.attempts, d.last_error, d.sent_at FROM watch_alerts AS a "
    "LEFT JOIN watch_deliveries AS d ON d.alert_id = a.id "
    "WHERE a.id IN (SELECT id FROM watch_alerts ORDER BY id DESC LIMIT {p}) "
    "ORDER BY a.id DESC, d.output"
)
"""The newest alerts (at most the limit), each with one row per delivery: WATCH_ALERT_COLUMNS,
the alert's JSON, WATCH_DELIVERY_COLUMNS (NULL when it has none)."""
