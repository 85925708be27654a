"""The ledger's own tables: articles, their records (events, quotes, claims, deadlines,
entities and mentions) and the changes across articles; their columns, their schema (migrations
1, 2 and 4) and the statements the `Ledger` runs to write them, list them for export and count
them (`Statements`, rendered for a dialect by `build`).

Column names are the record field names of `newsledger.records` (DESIGN.md); a record's `evidence`
is stored as `evidence_start`, `evidence_end`, `evidence_text`. `ordinal` is the record's
position in its article's extraction: `(article_id, ordinal)` identifies a record stably.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsledger.records import RECORD_KINDS
from newsledger.store.sql.dialect import Dialect, quoted, render_query

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
    "published_precision",  # migration 11
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
    "more_evidence",  # migration 14: JSON, [{"start", "end", "text"}, ...]
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

RECORD_FIELDS = dict(
    zip(
        RECORD_KINDS,
        (EVENT_FIELDS, QUOTE_FIELDS, CLAIM_FIELDS, DEADLINE_FIELDS, ENTITY_FIELDS),
        strict=True,
    )
)
"""The record tables (`records.RECORD_KINDS`) and their record columns (each also has id,
article_id, ordinal)."""

EVIDENCED_KINDS = tuple(kind for kind in RECORD_KINDS if kind != "entities")
"""The record kinds with one evidence span each (entities have their mentions instead)."""

COUNTED_TABLES = ("articles", *RECORD_KINDS, "entity_mentions", "changes")

EVENT_NAME_FIELDS = {
    "place": ("location", "admin1", "admin2", "country"),
    "actor": ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"),
}
"""The event columns a `place` or `actor` filter matches a part of (their names: event_names,
migration 9, in `sql.reads`; `Ledger.store` counts an article's events there)."""

EVENT_NAMES_ADD = (
    "INSERT INTO event_names (field, name, events) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (field, name) DO UPDATE SET events = event_names.events + excluded.events"
)
"""Count an article's events under their names (field, name, how many events)."""

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

PUBLISHED_PRECISION_DDL = (
    # None: `published` is exact as given; else it was read from a free-form value ("December
    # 9", "Monday": readers/dates.py) and is known to that precision only
    "ALTER TABLE articles ADD COLUMN published_precision TEXT "
    "CHECK (published_precision IN ('day', 'week', 'month', 'year'))",
)
"""How much of an article's publication date its input gave (migration 11)."""

GAZETTEERS_DDL = (
    """CREATE TABLE gazetteers (
    id TEXT PRIMARY KEY,
    sources TEXT NOT NULL,
    first_used TEXT NOT NULL
)""",
    "ALTER TABLE articles ADD COLUMN gazetteer TEXT REFERENCES gazetteers (id)",
    "CREATE INDEX articles_gazetteer ON articles (gazetteer)",
)
"""Migration 15: the gazetteer data each article was extracted with. `gazetteers` holds each
distinct description once (`sources`: geo's source lines, one a line; `id`: a digest of them,
rows.gazetteer_id); an article's `gazetteer` names its row, NULL when unknown (stored before
migration 15, or extracted with a gazetteer that names no sources). On the 1M-event SQLite
ledger (117,371 articles) the step takes 0.36 s, most of it the index; `stats` reads the counts
in 0.09 s with the rest."""

GAZETTEER_ADD = (
    "INSERT INTO gazetteers (id, sources, first_used) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (id) DO NOTHING"
)
"""A gazetteer description, kept once (the first use stays)."""
GAZETTEER_SET = "UPDATE articles SET gazetteer = {p} WHERE id = {p}"
"""The gazetteer an article was (re-)extracted with."""
GAZETTEER_USES = (
    "SELECT g.sources, g.first_used, u.n FROM "
    "(SELECT gazetteer, COUNT(*) AS n FROM articles GROUP BY gazetteer) AS u "
    "LEFT JOIN gazetteers AS g ON g.id = u.gazetteer "
    "ORDER BY g.first_used NULLS FIRST, g.sources"
)
"""sources (NULL: unknown), first_used, articles: the articles of each gazetteer."""

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
    insert_article: str  # ARTICLE_COLUMNS, gazetteer; nothing when the id or text_hash is there
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
    add_gazetteer: str  # GAZETTEER_ADD: id, sources, first_used
    gazetteer_uses: str  # GAZETTEER_USES -> sources, first_used, articles
    search: str
    search_words: str
    add_event_names: str  # field, name, events: EVENT_NAMES_ADD


def _insert(dialect: Dialect, table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join(dialect.param for _ in columns)
    return f"INSERT INTO {table} ({quoted(columns)}) VALUES ({marks})"


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
        insert_article=_insert(dialect, "articles", (*ARTICLE_COLUMNS, "gazetteer"))
        + " ON CONFLICT DO NOTHING",
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
        select_articles=f"SELECT {quoted(ARTICLE_COLUMNS)} FROM articles ORDER BY seq",
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
        select_changes=f"SELECT {quoted(CHANGE_COLUMNS)} FROM changes ORDER BY id",
        count={table: f"SELECT COUNT(*) FROM {table}" for table in COUNTED_TABLES},
        sources=(
            "SELECT source, COUNT(*) AS n FROM articles GROUP BY source "
            "ORDER BY n DESC, source NULLS FIRST"
        ),
        published_range="SELECT MIN(published), MAX(published) FROM articles",
        add_gazetteer=render_query(GAZETTEER_ADD, dialect),
        gazetteer_uses=GAZETTEER_USES,
        search=dialect.search,
        search_words=dialect.search_words,
        add_event_names=render_query(EVENT_NAMES_ADD, dialect),
    )
