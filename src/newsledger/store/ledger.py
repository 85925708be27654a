"""The ledger: articles and their records in SQLite (stdlib sqlite3, WAL, foreign keys on) or
PostgreSQL (psycopg 3).

`open_ledger` takes a file path, a `sqlite:///path` URL, ":memory:" or a `postgresql://` URL,
applies pending schema migrations and returns a `Ledger`. `Ledger.store` writes one article and all
its records in one transaction: stored whole or not at all. An article whose id or raw text is
already in the ledger is a duplicate and writes nothing, also when several processes store the same
article at once (the unique id and text_hash decide which one stores it).

Every other statement (the web app's lists, tracking, watching) is a template of `store.sql` run
through one read API, `Ledger.query`, and one write API, `Ledger.transaction`, which render it
for the ledger's database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from newsledger.errors import LedgerError
from newsledger.records import RECORD_KINDS, Change, Extraction, StoreResult
from newsledger.store import schema, tallies
from newsledger.store.connection import Connection, stream
from newsledger.store.location import check_path, is_postgres_url, redact, sqlite_target
from newsledger.store.rows import (
    article_row,
    change_dict,
    change_row,
    event_names,
    from_json,
    gazetteer_id,
    record_dict,
    record_row,
)
from newsledger.store.sql import dialect as sql_dialect
from newsledger.store.sql import tables
from newsledger.store.sql.dialect import Dialect, render_query
from newsledger.store.sql.tables import Statements

KINDS = ("articles", *RECORD_KINDS, "changes")
"""What `Ledger.iter_rows` (and export) can list."""

FETCH_SIZE = 500


@dataclass(frozen=True)
class GazetteerUse:
    """The articles of the ledger extracted with one gazetteer (migration 15)."""

    sources: tuple[str, ...] | None  # what it was built from, one line each; None: not recorded
    first_used: str | None
    articles: int

    def to_dict(self, configured: Sequence[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sources": None if self.sources is None else list(self.sources),
            "first_used": self.first_used,
            "articles": self.articles,
        }
        if configured is not None:
            out["configured"] = self.is_configured(configured)
        return out

    def is_configured(self, configured: Sequence[str]) -> bool | None:
        """Whether this is the data `configured` now (None: not known)."""
        return None if self.sources is None else self.sources == tuple(configured)


@dataclass(frozen=True)
class LedgerStats:
    counts: Mapping[str, int]  # table -> rows
    sources: Mapping[str, int]  # article source -> articles, most first ("" for no source)
    first_published: str | None
    last_published: str | None
    gazetteers: tuple[GazetteerUse, ...] = ()  # unknown first, then by first use

    def other_gazetteer(self, configured: Sequence[str]) -> int:
        """How many articles were extracted with other gazetteer data than `configured` (to be
        re-extracted: `ingest --reextract`); articles of an unknown gazetteer are not counted."""
        return sum(u.articles for u in self.gazetteers if u.is_configured(configured) is False)

    def to_dict(self, configured: Sequence[str] | None = None) -> dict[str, Any]:
        """The figures as JSON; with `configured` (the gazetteer's source lines now), each
        gazetteer says whether it is that one, and `other_gazetteer` counts the articles that
        are not."""
        out: dict[str, Any] = {
            "counts": dict(self.counts),
            "sources": dict(self.sources),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "gazetteers": [u.to_dict(configured) for u in self.gazetteers],
        }
        if configured is not None:
            out["other_gazetteer"] = self.other_gazetteer(configured)
        return out


def text_hash(raw_text: str) -> str:
    """The article's identity by content: sha256 (hex) of its raw text in UTF-8."""
    return hashlib.sha256(raw_text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Opening


def _prepare(
    conn: Any,
    statements: Statements,
    name: str,
    errors: tuple[type[BaseException], ...],
    backend: str,
    read_only: bool,
) -> None:
    """Set the connection up and apply pending migrations, or, read-only, check that the ledger
    needs none (one that does is opened for writing first); close it on any failure."""
    dialect = statements.dialect
    try:
        for statement in dialect.connect_read_only if read_only else dialect.connect:
            conn.execute(statement)
        if not read_only:
            schema.migrate(conn, statements, name)
        elif not schema.up_to_date(conn, statements):
            raise LedgerError(
                f"{name}: the ledger is not at this newsledger's schema (version "
                f"{schema.latest_version()}) and a read-only connection cannot migrate it; "
                "open it for writing once (e.g. newsledger stats --db ...)"
            )
    except errors as exc:
        conn.close()
        raise LedgerError(f"{name}: cannot open as a {backend} ledger: {exc}") from exc
    except BaseException:
        conn.close()
        raise


def _open_postgresql(url: str, read_only: bool) -> Ledger:
    # psycopg loads only for PostgreSQL ledgers
    from newsledger.store import postgres

    name = redact(url)
    conn = postgres.connect(url, name)
    statements = tables.build(sql_dialect.POSTGRESQL)
    _prepare(conn, statements, name, postgres.ERRORS, "PostgreSQL", read_only)
    return Ledger(conn, statements, name, errors=postgres.ERRORS, read_only=read_only)


def _sqlite_read_only_uri(target: str) -> str:
    """A file: URI that opens `target` read-only (mode=ro: SQLite refuses every write)."""
    return f"{Path(target).resolve().as_uri()}?mode=ro"


def open_ledger(url: str | os.PathLike[str], *, read_only: bool = False) -> Ledger:
    """Open (creating and migrating as needed) the ledger at a path, sqlite:/// URL, :memory:
    or postgresql://user:password@host:port/database URL (libpq's URL syntax).

    `read_only`: a connection that cannot write (SQLite: the file opened with mode=ro and
    query_only; PostgreSQL: every transaction READ ONLY) to a ledger that must exist and be
    up to date (nothing is created or migrated); the web server's reads use one. A :memory:
    ledger is always opened for writing (a new one is empty).
    """
    name = os.fspath(url)
    if is_postgres_url(name):
        return _open_postgresql(name, read_only)
    target = sqlite_target(name)
    read_only = read_only and target != ":memory:"
    if read_only and not Path(target).is_file():
        raise LedgerError(f"{name}: no such ledger file (a read-only ledger must exist)")
    if target != ":memory:" and not read_only:
        check_path(Path(target))
    statements = tables.build(sql_dialect.SQLITE)
    try:
        conn = sqlite3.connect(
            _sqlite_read_only_uri(target) if read_only else target,
            timeout=sql_dialect.BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            uri=read_only,
        )
    except sqlite3.Error as exc:
        raise LedgerError(f"{name}: cannot open the ledger: {exc}") from exc
    _prepare(conn, statements, name, (sqlite3.DatabaseError,), "SQLite", read_only)
    return Ledger(conn, statements, name, read_only=read_only)


def _insert_many(conn: Connection, statement: str, rows: list[tuple[Any, ...]]) -> int:
    """One batch insert (the seam tests use to make a store fail half way); rows inserted."""
    if not rows:
        return 0
    return conn.executemany(statement, rows).rowcount


# ---------------------------------------------------------------------------------------------
# The ledger


class Ledger:
    """An open ledger. Use as a context manager, or call close()."""

    def __init__(
        self,
        conn: Connection,
        statements: Statements,
        name: str,
        errors: tuple[type[Exception], ...] = (sqlite3.Error,),
        read_only: bool = False,
    ) -> None:
        """`name` is named in errors (a PostgreSQL URL without its password); `errors` are the
        exceptions the connection's statements raise; `read_only`: the connection cannot
        write (open_ledger's read_only)."""
        self._conn = conn
        self._sql = statements
        self._errors = errors
        self.name = name
        self.read_only = read_only

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.name!r})"

    def close(self) -> None:
        self._conn.close()

    # writing ------------------------------------------------------------------------------

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise LedgerError(f"{self.name}: {what} was not stored: the ledger is open read-only")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute(self._sql.rollback)

    def has_article(self, article_id: str, raw_text: str) -> bool:
        """Whether an article with this id, or with this raw text, is already stored."""
        return self.stored_id(article_id, raw_text) is not None

    def stored_id(self, article_id: str, raw_text: str) -> str | None:
        """The id of the stored article with this id or this raw text, or None."""
        found = self._conn.execute(self._sql.article_exists, (article_id, text_hash(raw_text)))
        row = found.fetchone()
        return None if row is None else str(row[0])

    def store(self, extraction: Extraction) -> StoreResult:
        """Store an article and its records in one transaction (all or nothing).

        Returns DUPLICATE, writing nothing, when the article's id or raw text is already there.
        On any error the transaction is rolled back and the error raised again (database errors
        as LedgerError naming the ledger and the article).
        """
        article = extraction.article
        self._writable(f"article {article.id}")
        digest = text_hash(article.raw_text)
        conn = self._conn
        conn.execute(self._sql.begin_write)
        try:
            if conn.execute(self._sql.article_exists, (article.id, digest)).fetchone():
                conn.execute(self._sql.rollback)
                return StoreResult.DUPLICATE
            now = _now()
            gazetteer = None
            if extraction.gazetteer:
                gazetteer = gazetteer_id(extraction.gazetteer)
                sources = "\n".join(extraction.gazetteer)
                conn.execute(self._sql.add_gazetteer, (gazetteer, sources, now))
            row = article_row(article, digest, now, gazetteer)
            if conn.execute(self._sql.insert_article, row).rowcount == 0:
                # another process stored the same id or text since the check (PostgreSQL)
                conn.execute(self._sql.rollback)
                return StoreResult.DUPLICATE
            self._insert_records(extraction)
            conn.execute(self._sql.commit)
        except self._errors as exc:
            self._rollback()
            raise LedgerError(
                f"{self.name}: article {article.id} ({article.origin or 'no origin'}) "
                f"was not stored: {exc}"
            ) from exc
        except BaseException:
            self._rollback()
            raise
        return StoreResult.STORED

    def _insert_records(self, extraction: Extraction) -> None:
        article_id = extraction.article.id
        conn = self._conn
        for kind, fields_ in tables.RECORD_FIELDS.items():
            records = getattr(extraction, kind)
            rows = [record_row(article_id, i, r, fields_) for i, r in enumerate(records)]
            _insert_many(conn, self._sql.insert_records[kind], rows)
        mentions = [
            (article_id, i, article_id, j, m.start, m.end, m.text)
            for i, entity in enumerate(extraction.entities)
            for j, m in enumerate(entity.mentions)
        ]
        _insert_many(conn, self._sql.insert_mention, mentions)
        _insert_many(conn, self._sql.add_event_names, event_names(extraction.events))
        tallies.add_article(self._run, article_id)

    def _run(self, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """One statement template in the transaction already open (rendered for the dialect)."""
        cursor = self._conn.execute(render_query(template, self._sql.dialect), params)
        return cursor.fetchall() if cursor.description is not None else []

    def store_changes(self, changes: Iterable[Change]) -> int:
        """Store changes in one transaction; returns how many were new (repeats are skipped).

        Both articles of every change must be in the ledger (LedgerError names those missing).
        """
        rows = list(changes)
        if not rows:
            return 0
        with self.transaction("changes"):
            return self.insert_changes(rows)

    def insert_changes(self, changes: Iterable[Change]) -> int:
        """`store_changes` within a transaction already open (`transaction`), so the changes
        commit with the rest of it (tracking marks an article done in the same one)."""
        recorded_at = _now()
        rows: list[tuple[Any, ...]] = []
        articles: set[str] = set()
        for change in changes:
            rows.append(change_row(change, recorded_at))
            articles.update((change.earlier.article, change.later.article))
        if not rows:
            return 0
        conn = self._conn
        missing = sorted(
            a
            for a in articles
            if conn.execute(self._sql.article_id_exists, (a,)).fetchone() is None
        )
        if missing:
            raise LedgerError(
                f"{self.name}: changes refer to articles not in the ledger: "
                f"{', '.join(missing)}; store the articles first"
            )
        return _insert_many(conn, self._sql.insert_change, rows)

    # reading ------------------------------------------------------------------------------

    def _stream(self, statement: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
        return stream(self._conn, statement, params, FETCH_SIZE)

    def iter_rows(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every stored row of a kind as a plain dict, in a stable order (articles as stored,
        records in article order then their order in the article).

        Records carry their fields (evidence as {"start", "end", "text"}; entities a "mentions"
        list) plus article_id, ordinal, and the article's source and published.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        if kind == "articles":
            for values in self._stream(self._sql.select_articles):
                row = dict(zip(tables.ARTICLE_COLUMNS, values, strict=True))
                row["offsets"] = from_json(row["offsets"])
                yield row
        elif kind == "changes":
            for values in self._stream(self._sql.select_changes):
                yield change_dict(dict(zip(tables.CHANGE_COLUMNS, values, strict=True)))
        elif kind == "entities":
            yield from self._iter_entities()
        else:
            columns = ("article_id", "ordinal", "source", "published", *tables.RECORD_FIELDS[kind])
            for values in self._stream(self._sql.select_records[kind]):
                yield record_dict(columns, values)

    def _iter_entities(self) -> Iterator[dict[str, Any]]:
        columns = ("article_id", "ordinal", "source", "published", *tables.ENTITY_FIELDS)
        width = len(columns)
        for _, group in groupby(self._stream(self._sql.select_entities), key=lambda v: v[0]):
            rows = list(group)
            entity = dict(zip(columns, rows[0][1 : width + 1], strict=True))
            entity["mentions"] = [
                dict(zip(tables.MENTION_FIELDS, r[width + 2 :], strict=True))
                for r in rows
                if r[width + 1] is not None
            ]
            yield entity

    def stats(self) -> LedgerStats:
        counts = {
            table: self._conn.execute(statement).fetchone()[0]
            for table, statement in self._sql.count.items()
        }
        sources = {
            (s if s is not None else ""): n for s, n in self._conn.execute(self._sql.sources)
        }
        first, last = self._conn.execute(self._sql.published_range).fetchone()
        gazetteers = tuple(
            GazetteerUse(None if lines is None else tuple(lines.split("\n")), used, n)
            for lines, used, n in self._conn.execute(self._sql.gazetteer_uses)
        )
        return LedgerStats(
            MappingProxyType(counts), MappingProxyType(sources), first, last, gazetteers
        )

    def data_version(self) -> int | None:
        """A number that differs from the last one this connection got whenever another
        connection (of this process or another) committed a change since (SQLite's
        `PRAGMA data_version`); None on PostgreSQL, whose row ids are never reused, so that
        what was read by row id stays what that id names for as long as the row exists.
        A reader that keeps rows by id (tracking's `KeptStatements`) forgets them when it
        changes; this connection's own writes do not change it."""
        if not self._sql.dialect.data_version:
            return None
        return int(self._conn.execute(self._sql.dialect.data_version).fetchone()[0])

    @property
    def dialect(self) -> Dialect:
        """The database engine's dialect."""
        return self._sql.dialect

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching a query, best first: SQLite's FTS5 syntax (words, "phrases",
        AND/OR/NOT, prefix*) or PostgreSQL's websearch_to_tsquery (words, "phrases", OR, -word)."""
        if limit < 1:
            raise ValueError(f"search limit must be at least 1, not {limit}")
        if not query.strip():
            raise LedgerError(f"{self.name}: empty search query {query!r}; give words to find")
        try:
            if self._sql.search_words:
                (terms,) = self._conn.execute(self._sql.search_words, (query,)).fetchone()
                if not terms:
                    raise LedgerError(
                        f"{self.name}: nothing to search for in {query!r} (only common words "
                        "or punctuation); give words to find"
                    )
            found = self._conn.execute(self._sql.search, (query, limit)).fetchall()
        except self._errors as exc:
            raise LedgerError(
                f"{self.name}: cannot search for {query!r}: {exc} "
                '(put words with punctuation in double quotes: "al-Hol")'
            ) from exc
        return [dict(zip(sql_dialect.SEARCH_COLUMNS, values, strict=True)) for values in found]

    # one query API and one transaction API, for every statement template of `store.sql`

    def query(self, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """All rows of one read statement: a template of `store.sql` ({p} markers, {like},
        {article_match}) rendered for this ledger's dialect, or plain SQL both engines share."""
        return self._conn.execute(render_query(template, self._sql.dialect), params).fetchall()

    @contextmanager
    def transaction(self, what: str) -> Iterator[Callable[..., list[Sequence[Any]]]]:
        """One write transaction; yields `run(template, params) -> rows` (templates as `query`
        takes them). Committed on success, rolled back on any error; database errors are raised
        as LedgerError saying `what` was not stored."""
        conn = self._conn
        dialect = self._sql.dialect

        def run(template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
            cursor = conn.execute(render_query(template, dialect), params)
            return cursor.fetchall() if cursor.description is not None else []

        self._writable(what)
        conn.execute(self._sql.begin_write)
        try:
            yield run
            conn.execute(self._sql.commit)
        except self._errors as exc:
            self._rollback()
            raise LedgerError(f"{self.name}: {what} was not stored: {exc}") from exc
        except BaseException:
            self._rollback()
            raise
