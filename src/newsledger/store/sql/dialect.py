"""What differs between SQLite and PostgreSQL, and nowhere else.

Statements are written once, in SQL that SQLite and PostgreSQL share (the other modules of this
package), and rendered for a `Dialect`: the parameter marker, the surrogate key column, the JSON
and float column types, the connection settings, how a write transaction takes its lock, how
tables are listed, the case-insensitive LIKE, and the full-text index (FTS5 on SQLite; a tsvector
column and a GIN index on PostgreSQL). The PostgreSQL backend is the second `Dialect` value
(`POSTGRESQL`) plus a connection function (`store/postgres.py`), not a second set of statements.

Statements are run by sqlite3 ("?" markers) and psycopg ("%s" markers). psycopg reads `%` in a
statement as the start of a marker: write a literal percent sign as a bound value, never in the SQL.

Two kinds of template: schema templates fill {id}, {json}, {float} (`render`); statement
templates fill {p} (the parameter marker), {like} and {article_match} (`render_query`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str  # the engine's name in messages
    param: str  # the parameter marker: "?" (sqlite3), "%s" (psycopg)
    id_column: str  # a surrogate key filled in by the database
    json_type: str  # JSON stored as text here; JSONB on PostgreSQL
    float_type: str
    connect: tuple[str, ...]  # run once on every new connection
    connect_read_only: tuple[str, ...]  # instead, on a read-only one (open_ledger's read_only)
    begin_write: str  # start a transaction that holds the write lock from the start
    migration_lock: str  # run after begin_write by migrations: one migrating process at a time
    list_tables: str  # names of the user tables, one per row
    full_text_index: tuple[str, ...]  # create the article text index and keep it in sync
    search: str  # params: query, limit; columns: SEARCH_COLUMNS
    search_words: str  # param: query -> how many terms it has (0: nothing to search for); or ""
    article_match: str  # read filter template: article `a` matches the words bound at {p}
    # a statement whose one value changes whenever another connection commits to the database,
    # or "" where row ids are never reused (`Ledger.data_version`)
    data_version: str = ""


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
    # the file is opened with mode=ro; query_only refuses writes on it before SQLite tries
    connect_read_only=(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}", "PRAGMA query_only = ON"),
    begin_write="BEGIN IMMEDIATE",
    migration_lock="",  # BEGIN IMMEDIATE already holds the database's one write lock
    data_version="PRAGMA data_version",
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
    connect_read_only=(
        "SET client_min_messages = warning",
        "SET TIME ZONE 'UTC'",
        "SET default_transaction_read_only = on",  # each statement's transaction is READ ONLY
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

LIKE_OPERATOR = {"sqlite": "LIKE", "postgresql": "ILIKE"}


def render(template: str, dialect: Dialect) -> str:
    """Fill a schema template's {id}, {json} and {float} for the dialect."""
    return template.format(id=dialect.id_column, json=dialect.json_type, float=dialect.float_type)


def render_query(template: str, dialect: Dialect) -> str:
    """Fill a read template's {article_match}, {p} and {like} for the dialect (other braces
    stay)."""
    return (
        template.replace("{article_match}", dialect.article_match)
        .replace("{p}", dialect.param)
        .replace("{like}", LIKE_OPERATOR[dialect.name])
    )


def quoted(columns: tuple[str, ...]) -> str:
    """Column names as a quoted, comma-separated list."""
    return ", ".join(f'"{c}"' for c in columns)
