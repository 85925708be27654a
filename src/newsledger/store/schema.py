"""The ledger's schema as registered, numbered migration steps.

A step is either SQL (a tuple of schema templates from `store.sql`, rendered for the dialect) or a
function of the connection and the statements. `schema_migrations` records every step applied;
`migrate` applies the pending ones in order, each in its own write transaction (all of them in
one on a new ledger), and refuses a ledger that has steps this code does not know (it was
written by a newer newsledger).

Append new steps at the end with the next number; never change a step that has been released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsledger.errors import LedgerError
from newsledger.store import accounts, reviews
from newsledger.store.connection import Connection
from newsledger.store.sql import people, places, reads, tables, track, watch
from newsledger.store.sql.dialect import render
from newsledger.store.sql.tables import Statements

StepFunction = Callable[[Connection, Statements], None]


@dataclass(frozen=True)
class Migration:
    number: int
    description: str
    step: tuple[str, ...] | StepFunction


def _full_text_index(conn: Connection, statements: Statements) -> None:
    """The article text index differs most between engines: the dialect supplies it whole."""
    for statement in statements.dialect.full_text_index:
        conn.execute(statement)


SPEAKER_KINDS_DDL = (
    "ALTER TABLE quotes ADD COLUMN speaker_kind TEXT NOT NULL DEFAULT 'unknown'",
    "ALTER TABLE quotes ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE claims ADD COLUMN speaker_kind TEXT NOT NULL DEFAULT 'unknown'",
)
"""Migration 13: the kind of source a quote's or claim's speaker is (records.SpeakerKind), and a
quote's notes (the candidates of a refused speaker). Rows written before read 'unknown' and ''."""

MORE_EVIDENCE_DDL = ("ALTER TABLE events ADD COLUMN more_evidence TEXT NOT NULL DEFAULT '[]'",)
"""Migration 14: the other sentences of an article that tell the same incident (records.Event
.more_evidence), as a JSON list of {"start", "end", "text"}. Rows written before read []."""


def _newest_first_indexes(conn: Connection, statements: Statements) -> None:
    """Migration 16: PostgreSQL only (reads.NEWEST_FIRST_POSTGRESQL_DDL says why)."""
    if statements.dialect.name != "postgresql":
        return
    for template in reads.NEWEST_FIRST_POSTGRESQL_DDL:
        conn.execute(render(template, statements.dialect))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles", tables.ARTICLES_DDL),
    Migration(
        2, "events, quotes, claims, deadlines, entities and their mentions", tables.RECORDS_DDL
    ),
    Migration(3, "full-text index over article title and text", _full_text_index),
    Migration(4, "changes across articles", tables.CHANGES_DDL),
    Migration(5, "indexes for the web app's read queries", reads.READ_INDEXES_DDL),
    Migration(6, "tracking across articles: entities, titles, event clusters", track.TRACK_DDL),
    Migration(
        7, "watching sources: their state, items seen, alerts and deliveries", watch.WATCH_DDL
    ),
    Migration(8, "the event list's filters in one date-ordered index", reads.READ_INDEXES_1M_DDL),
    Migration(
        9, "the events' place and actor names, an index per name field", reads.EVENT_NAMES_DDL
    ),
    Migration(10, "the events of a sub-event type by date", reads.SUB_TYPE_INDEX_DDL),
    Migration(
        11,
        "the precision of a publication date read from a free-form value",
        tables.PUBLISHED_PRECISION_DDL,
    ),
    Migration(
        12,
        "accounts, sessions, the audit log and the review trail",
        (*accounts.ACCOUNTS_DDL, *reviews.REVIEWS_DDL),
    ),
    Migration(13, "the kind of source of quotes and claims; quote notes", SPEAKER_KINDS_DDL),
    Migration(14, "the other sentences that tell an event", MORE_EVIDENCE_DDL),
    Migration(15, "the gazetteer data each article was extracted with", tables.GAZETTEERS_DDL),
    Migration(16, "newest-first indexes for PostgreSQL's lists", _newest_first_indexes),
    Migration(
        17,
        "the people and places lists' stored tallies and names",
        (*people.PEOPLE_DDL, *places.PLACES_DDL),
    ),
)


def latest_version(migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    return max((m.number for m in migrations), default=0)


def applied(conn: Connection, statements: Statements) -> list[int]:
    """The numbers of the steps applied to this ledger (the migrations table must exist)."""
    return [row[0] for row in conn.execute(statements.applied_migrations)]


def _up_to_date(conn: Connection, statements: Statements, numbers: list[int]) -> bool:
    """Whether exactly these steps are applied, read without the write lock: a ledger that
    another process is writing opens at once instead of waiting for the lock between its writes."""
    tables = {row[0] for row in conn.execute(statements.list_tables)}
    return "schema_migrations" in tables and applied(conn, statements) == numbers


def up_to_date(
    conn: Connection, statements: Statements, migrations: tuple[Migration, ...] = MIGRATIONS
) -> bool:
    """Whether every step, and no other, is applied (read without a lock or a write)."""
    return _up_to_date(conn, statements, [m.number for m in migrations])


def _run(conn: Connection, statements: Statements, migration: Migration) -> None:
    if callable(migration.step):
        migration.step(conn, statements)
    else:
        for template in migration.step:
            conn.execute(render(template, statements.dialect))
    conn.execute(
        statements.record_migration,
        (
            migration.number,
            migration.description,
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )


def migrate(
    conn: Connection,
    statements: Statements,
    name: str,
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> list[int]:
    """Apply the pending steps in order; returns the numbers applied (empty when up to date).

    `name` (the database path or URL) is named in errors. The connection must be in autocommit
    mode (transactions are begun here explicitly). Each step runs in a transaction holding the
    write lock (SQLite) or the migration advisory lock (PostgreSQL), so two processes opening a
    new ledger at once apply each step once; on a new ledger (no tables yet) every step runs in
    the first such transaction. An up-to-date ledger is checked without a lock.
    """
    numbers = [m.number for m in migrations]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"migration steps must have distinct, increasing numbers: {numbers}")
    if _up_to_date(conn, statements, numbers):
        return []
    known = latest_version(migrations)
    done: list[int] = []
    while True:
        for statement in statements.begin_migration:
            conn.execute(statement)
        try:
            tables = {row[0] for row in conn.execute(statements.list_tables)}
            if tables and "schema_migrations" not in tables:
                raise LedgerError(
                    f"{name}: this {statements.dialect.title} database is not a newsledger "
                    f"ledger (it has tables {', '.join(sorted(tables))} but no "
                    "schema_migrations); "
                    "give a new file or an existing ledger"
                )
            for statement in statements.migrations_table:
                conn.execute(statement)
            have = applied(conn, statements)
            newest = max(have, default=0)
            if newest > known:
                raise LedgerError(
                    f"{name}: the ledger's schema is version {newest}, newer than this newsledger "
                    f"knows (version {known}); upgrade newsledger to open it"
                )
            pending = [m for m in migrations if m.number not in have]
            # a new ledger gets every step in this one transaction: one commit
            # instead of one per step, and the same schema (tests/store/test_migrate.py)
            batch = pending if not tables else pending[:1]
            for migration in batch:
                _run(conn, statements, migration)
                done.append(migration.number)
            conn.execute(statements.commit)
        except BaseException:
            if conn.in_transaction:
                conn.execute(statements.rollback)
            raise
        if len(batch) == len(pending):
            return done
