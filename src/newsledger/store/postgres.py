"""PostgreSQL connections for the ledger (psycopg 3), adapted to `store.connection.Connection`.

`connect` opens an autocommit connection from a postgresql:// URL (libpq's URL syntax; the
SQLAlchemy spelling postgresql+psycopg:// is accepted too). The ledger begins and ends its own
transactions with explicit statements, as it does on SQLite.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import pq

from newsledger.errors import LedgerError
from newsledger.store.connection import Cursor

ERRORS: tuple[type[Exception], ...] = (psycopg.Error,)
"""The exceptions a PostgreSQL statement raises (the ledger turns them into LedgerError)."""

CONNECT_TIMEOUT_S = 10


def libpq_url(url: str) -> str:
    """The URL as libpq takes it: postgresql+driver:// becomes postgresql://."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if "+" in scheme else url


def _message(exc: BaseException) -> str:
    return " ".join(str(exc).split())  # libpq's messages run over several indented lines


class PgConnection:
    """A psycopg connection (autocommit) with the sqlite3-like surface the ledger uses."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._cursor_names = itertools.count(1)

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Cursor:
        # no parameters: None, so that psycopg does not look for markers in the statement
        return self._conn.execute(sql, parameters or None)

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor:
        cursor = self._conn.cursor()
        cursor.executemany(sql, parameters)  # rowcount: the sum over every row of parameters
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self._conn.close()

    @property
    def closed(self) -> bool:
        return self._conn.closed

    def stream(self, sql: str, parameters: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
        """Rows fetched `size` at a time from a server-side cursor. WITH HOLD: it outlives the
        transaction it was declared in, so other statements (and transactions) can run on this
        connection between fetches."""
        name = f"newsledger_stream_{next(self._cursor_names)}"
        with self._conn.cursor(name, withhold=True) as cursor:
            cursor.execute(sql, parameters or None)
            while batch := cursor.fetchmany(size):
                yield from batch


def connect(url: str, name: str) -> PgConnection:
    """An autocommit connection to the database at `url`; LedgerError naming `name` (the URL
    without its password) with the server's reason when it cannot connect."""
    try:
        conn = psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise LedgerError(
            f"{name}: cannot connect to the PostgreSQL ledger: {_message(exc)}"
        ) from exc
    return PgConnection(conn)
