"""What the ledger needs of a database connection: sqlite3's, or psycopg's behind a thin adapter.

`sqlite3.Connection` (opened with isolation_level=None) satisfies `Connection` as it is;
`store.postgres.PgConnection` adapts a psycopg connection (autocommit) to it. Transactions are
begun and ended with explicit statements (`Statements.begin_write`, `commit`, `rollback`) on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...  # None for a statement that returns no rows

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int = ..., /) -> list[Any]: ...

    def fetchall(self) -> list[Any]: ...

    def close(self) -> None: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection in autocommit mode: every statement outside BEGIN ... COMMIT is its own."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor: ...

    @property
    def in_transaction(self) -> bool: ...

    def close(self) -> None: ...


@runtime_checkable
class Streaming(Protocol):
    """A connection that streams a large result itself (PostgreSQL: a server-side cursor)."""

    def stream(self, sql: str, parameters: Sequence[Any], size: int) -> Iterator[Sequence[Any]]: ...


def stream(
    conn: Connection, sql: str, parameters: Sequence[Any], size: int
) -> Iterator[Sequence[Any]]:
    """The rows of one statement, fetched `size` at a time (other statements may run between)."""
    if isinstance(conn, Streaming):
        yield from conn.stream(sql, parameters, size)
        return
    cursor = conn.execute(sql, parameters)
    try:
        while batch := cursor.fetchmany(size):
            yield from batch
    finally:
        cursor.close()
