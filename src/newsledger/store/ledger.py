"""The ledger: articles and their records in SQLite (stdlib sqlite3, WAL, foreign keys on) or
PostgreSQL (psycopg 3).

`open_ledger` takes a file path, a `sqlite:///path` URL, ":memory:" or a `postgresql://` URL,
applies pending schema migrations and returns a `Ledger`. `Ledger.store` writes one article and all
its records in one transaction: stored whole or not at all. An article whose id or raw text is
already in the ledger is a duplicate and writes nothing, also when several processes store the same
article at once (the unique id and text_hash decide which one stores it).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsledger.errors import LedgerError
from newsledger.records import Article, Change, Extraction, StoreResult
from newsledger.store import schema, sql
from newsledger.store.connection import Connection, stream
from newsledger.store.sql import Statements

KINDS = ("articles", "events", "quotes", "claims", "deadlines", "entities", "changes")
"""What `Ledger.iter_rows` (and export) can list."""

FETCH_SIZE = 500


@dataclass(frozen=True)
class LedgerStats:
    counts: Mapping[str, int]  # table -> rows
    sources: Mapping[str, int]  # article source -> articles, most first ("" for no source)
    first_published: str | None
    last_published: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "sources": dict(self.sources),
            "first_published": self.first_published,
            "last_published": self.last_published,
        }


def text_hash(raw_text: str) -> str:
    """The article's identity by content: sha256 (hex) of its raw text in UTF-8."""
    return hashlib.sha256(raw_text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Opening


def _redact(url: str) -> str:
    """The URL without its password, to name it in an error."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "password" for key, _ in query):
        hidden = [(key, "***" if key == "password" else value) for key, value in query]
        parts = parts._replace(query=urlencode(hidden, safe="*"))
    if parts.password is not None:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        parts = parts._replace(netloc=netloc)
    return parts.geturl()


def _sqlite_target(url: str) -> str:
    """The file to open (or ":memory:") for a path or URL; LedgerError for other databases.

    URLs follow SQLAlchemy: sqlite:///relative/path, sqlite:////absolute/path, sqlite:// (memory).
    """
    if url == ":memory:":
        return url
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.replace("+", "").isalpha() or len(scheme) < 2:
        return url  # a path (a one-letter "scheme" is a Windows drive)
    scheme = scheme.lower()
    if scheme != "sqlite":
        raise LedgerError(
            f"{_redact(url)}: unknown ledger URL scheme {scheme!r}; "
            "give a file path, sqlite:///path, :memory: or postgresql://user@host/database"
        )
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    if not rest.startswith("/"):
        raise LedgerError(
            f"{url}: a SQLite URL has three slashes before the path "
            "(sqlite:///relative/path, sqlite:////absolute/path)"
        )
    return rest[1:]


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise LedgerError(f"{path}: is a directory; give the path of a ledger file")
    folder = path.parent
    if not folder.is_dir():
        raise LedgerError(f"{path}: the folder {folder} does not exist; create it first")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise LedgerError(f"{path}: the ledger file is not readable and writable")
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise LedgerError(f"{path}: cannot create the ledger, the folder {folder} is not writable")


def _is_postgres_url(url: str) -> bool:
    scheme, sep, _ = url.partition("://")
    return bool(sep) and scheme.lower().split("+")[0] in ("postgresql", "postgres")


def _prepare(
    conn: Any,
    statements: Statements,
    name: str,
    errors: tuple[type[BaseException], ...],
    backend: str,
) -> None:
    """Set the connection up and apply pending migrations; close it on any failure."""
    try:
        for statement in statements.dialect.connect:
            conn.execute(statement)
        schema.migrate(conn, statements, name)
    except errors as exc:
        conn.close()
        raise LedgerError(f"{name}: cannot open as a {backend} ledger: {exc}") from exc
    except BaseException:
        conn.close()
        raise


def _open_postgresql(url: str) -> Ledger:
    # psycopg loads only for PostgreSQL ledgers
    from newsledger.store import postgres

    name = _redact(url)
    conn = postgres.connect(url, name)
    statements = sql.build(sql.POSTGRESQL)
    _prepare(conn, statements, name, postgres.ERRORS, "PostgreSQL")
    return Ledger(conn, statements, name, errors=postgres.ERRORS)


def open_ledger(url: str | os.PathLike[str]) -> Ledger:
    """Open (creating and migrating as needed) the ledger at a path, sqlite:/// URL, :memory:
    or postgresql://user:password@host:port/database URL (libpq's URL syntax)."""
    name = os.fspath(url)
    if _is_postgres_url(name):
        return _open_postgresql(name)
    target = _sqlite_target(name)
    if target != ":memory:":
        _check_path(Path(target))
    statements = sql.build(sql.SQLITE)
    try:
        conn = sqlite3.connect(target, timeout=sql.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise LedgerError(f"{name}: cannot open the ledger: {exc}") from exc
    _prepare(conn, statements, name, (sqlite3.DatabaseError,), "SQLite")
    return Ledger(conn, statements, name)


# ---------------------------------------------------------------------------------------------
# Records <-> rows


def _evidence_row(span: Any) -> tuple[int, int, str]:
    return (span.start, span.end, span.text)


def _record_row(
    article_id: str, ordinal: int, record: Any, columns: Sequence[str]
) -> tuple[Any, ...]:
    """The values for `columns` of a record (evidence flattened), after article_id and ordinal."""
    values: dict[str, Any] = {f.name: getattr(record, f.name) for f in fields(record)}
    evidence = values.pop("evidence", None)
    if evidence is not None:
        values.update(zip(sql.EVIDENCE, _evidence_row(evidence), strict=True))
    return (article_id, ordinal, *(values[c] for c in columns))


def _record_dict(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """A row as a plain dict in column order, evidence_* folded into "evidence"."""
    out: dict[str, Any] = {}
    for column, value in zip(columns, values, strict=True):
        if column == "evidence_start":
            out["evidence"] = {"start": value}
        elif column == "evidence_end":
            out["evidence"]["end"] = value
        elif column == "evidence_text":
            out["evidence"]["text"] = value
        else:
            out[column] = value
    return out


def _json_default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} in a change record: {value!r}")


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


def _from_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _change_row(change: Change, recorded_at: str) -> tuple[Any, ...]:
    earlier, later = _to_json(change.earlier.record), _to_json(change.later.record)
    identity = _to_json(
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
    return tuple(values[c] for c in sql.CHANGE_COLUMNS)


def _change_dict(values: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(sql.CHANGE_COLUMNS, values, strict=True))
    return {
        "kind": row["kind"],
        "speaker": row["speaker"],
        "topic": row["topic"],
        "earlier": {
            "article": row["earlier_article_id"],
            "kind": row["earlier_kind"],
            "record": _from_json(row["earlier_record"]),
        },
        "later": {
            "article": row["article_id"],
            "kind": row["later_kind"],
            "record": _from_json(row["later_record"]),
        },
        "why": row["why"],
        "recorded_at": row["recorded_at"],
    }


def event_names(events: Iterable[Any]) -> list[tuple[str, str, int]]:
    """(field, name, how many of the events hold it there) for the place and actor fields, in
    one order (concurrent PostgreSQL writers then lock the names they share in the same order)."""
    counts = Counter(
        (field, value)
        for event in events
        for columns in sql.EVENT_NAME_FIELDS.values()
        for field in columns
        if (value := getattr(event, field)) is not None
    )
    return sorted((field, name, n) for (field, name), n in counts.items())


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
    ) -> None:
        """`name` is named in errors (a PostgreSQL URL without its password); `errors` are the
        exceptions the connection's statements raise."""
        self._conn = conn
        self._sql = statements
        self._errors = errors
        self.name = name

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
        digest = text_hash(article.raw_text)
        conn = self._conn
        conn.execute(self._sql.begin_write)
        try:
            if conn.execute(self._sql.article_exists, (article.id, digest)).fetchone():
                conn.execute(self._sql.rollback)
                return StoreResult.DUPLICATE
            row = self._article_row(article, digest)
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

    def _article_row(self, article: Article, digest: str) -> tuple[Any, ...]:
        values = {
            **article.to_dict(),
            "offsets": json.dumps(article.offsets.to_json()),
            "origin": article.origin,
            "text_hash": digest,
            "ingested_at": _now(),
        }
        return tuple(values[c] for c in sql.ARTICLE_COLUMNS)

    def _insert_records(self, extraction: Extraction) -> None:
        article_id = extraction.article.id
        conn = self._conn
        for kind, fields_ in sql.RECORD_FIELDS.items():
            records = getattr(extraction, kind)
            rows = [_record_row(article_id, i, r, fields_) for i, r in enumerate(records)]
            _insert_many(conn, self._sql.insert_records[kind], rows)
        mentions = [
            (article_id, i, article_id, j, m.start, m.end, m.text)
            for i, entity in enumerate(extraction.entities)
            for j, m in enumerate(entity.mentions)
        ]
        _insert_many(conn, self._sql.insert_mention, mentions)
        _insert_many(conn, self._sql.add_event_names, event_names(extraction.events))

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
            rows.append(_change_row(change, recorded_at))
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
                row = dict(zip(sql.ARTICLE_COLUMNS, values, strict=True))
                row["offsets"] = _from_json(row["offsets"])
                yield row
        elif kind == "changes":
            for values in self._stream(self._sql.select_changes):
                yield _change_dict(values)
        elif kind == "entities":
            yield from self._iter_entities()
        else:
            columns = ("article_id", "ordinal", "source", "published", *sql.RECORD_FIELDS[kind])
            for values in self._stream(self._sql.select_records[kind]):
                yield _record_dict(columns, values)

    def _iter_entities(self) -> Iterator[dict[str, Any]]:
        columns = ("article_id", "ordinal", "source", "published", *sql.ENTITY_FIELDS)
        width = len(columns)
        for _, group in groupby(self._stream(self._sql.select_entities), key=lambda v: v[0]):
            rows = list(group)
            entity = dict(zip(columns, rows[0][1 : width + 1], strict=True))
            entity["mentions"] = [
                dict(zip(sql.MENTION_FIELDS, r[width + 2 :], strict=True))
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
        return LedgerStats(MappingProxyType(counts), MappingProxyType(sources), first, last)

    @property
    def dialect(self) -> sql.Dialect:
        """The database engine's dialect (store.queries renders its statements for it)."""
        return self._sql.dialect

    def read(self, statement: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """All rows of one read statement from `sql` (used by store.queries)."""
        return self._conn.execute(statement, params).fetchall()

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
        return [dict(zip(sql.SEARCH_COLUMNS, values, strict=True)) for values in found]

    # statements from `sql` templates ({p} markers): tracking (sql.TRACK_*), watch (sql.WATCH_*)

    def query(self, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """All rows of one read template from `sql`, rendered for this ledger's dialect."""
        return self.read(sql.render_query(template, self._sql.dialect), params)

    @contextmanager
    def transaction(self, what: str) -> Iterator[Callable[..., list[Sequence[Any]]]]:
        """One write transaction; yields `run(template, params) -> rows` (templates from `sql`).
        Committed on success, rolled back on any error; database errors are raised as
        LedgerError saying `what` was not stored."""
        conn = self._conn
        dialect = self._sql.dialect

        def run(template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
            cursor = conn.execute(sql.render_query(template, dialect), params)
            return cursor.fetchall() if cursor.description is not None else []

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

    def track_query(self, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        """All rows of one `sql.TRACK_*` read template, rendered for this ledger's dialect."""
        return self.query(template, params)

    def track_transaction(self) -> AbstractContextManager[Callable[..., list[Sequence[Any]]]]:
        """One write transaction for the tracking step (see `transaction`)."""
        return self.transaction("tracking")
