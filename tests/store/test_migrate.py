"""Upgrades: a ledger written by the first schema (migration 1: articles only) and one written by
the first schema with records (migration 2) migrate to the current schema, whatever its latest
step is, without losing or changing a row, on SQLite and PostgreSQL.

The rows are written with the columns those versions had (spelled out here, as the first
release wrote them), by plain INSERTs on a connection migrated only that far.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from newsledger.store import open_ledger, schema
from newsledger.store.connection import Connection
from newsledger.store.sql import dialect as sql_dialect
from newsledger.store.sql import tables
from newsledger.track import load_tracker, track_article

TEXT = (
    "Gunmen attacked a checkpoint near Tikrit on Monday, killing three guards. "
    '"We will rebuild it within a month," said Salim Haddad, the district mayor.'
)
FIRST_ARTICLES = {  # version 1: the articles table as the first release wrote it
    "columns": (
        "id", "source", "published", "url", "title", "text", "raw_text", "offsets", "origin",
        "text_hash", "ingested_at",
    ),
    "rows": [
        ("old-1", "Invented Wire", "2024-05-06T07:08:09", "https://example.org/old-1",
         "Checkpoint attacked near Tikrit", TEXT, TEXT, json.dumps({"kind": "identity"}),
         "reports/old.jsonl:1", "a" * 64, "2024-05-06T08:00:00+00:00"),
        ("old-2", None, None, None, None, "A second, shorter made-up report about Baiji.",
         "A second, shorter made-up report about Baiji.", json.dumps({"kind": "identity"}), "",
         "b" * 64, "2024-05-07T08:00:00+00:00"),
    ],
}  # fmt: skip
SAID = TEXT.index('"We')
FIRST_RECORDS = {  # version 2: the record tables as they first were
    "events": (
        (
            "article_id", "ordinal", "event_date", "time_precision", "event_type",
            "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "location",
            "admin1", "admin2", "country", "latitude", "longitude", "geo_precision", "fatalities",
            "notes", "evidence_start", "evidence_end", "evidence_text", "confidence",
        ),
        [("old-1", 0, "2024-05-06", 1, "Violence against civilians", "Attack",
          "Unidentified Armed Group (Iraq)", None, "Police Forces of Iraq", None, "Tikrit",
          "Salah ad Din", None, "Iraq", 34.6071, 43.6782, 1, 3, "Gunmen killed three guards.",
          0, SAID - 1, TEXT[: SAID - 1], 0.8)],
    ),
    "quotes": (
        ("article_id", "ordinal", "speaker", "speaker_title", "text", "kind", "cue",
         "evidence_start", "evidence_end", "evidence_text"),
        [("old-1", 0, "Salim Haddad", "district mayor", "We will rebuild it within a month",
          "direct", "said", SAID, len(TEXT), TEXT[SAID:])],
    ),
    "claims": (
        ("article_id", "ordinal", "value", "unit", "subject", "claimed_by", "evidence_start",
         "evidence_end", "evidence_text"),
        [("old-1", 0, 3.0, "guards", "killed", None, 0, SAID - 1, TEXT[: SAID - 1])],
    ),
    "deadlines": (
        ("article_id", "ordinal", "subject", "deadline", "precision", "relation", "stated_by",
         "evidence_start", "evidence_end", "evidence_text"),
        [("old-1", 0, "rebuild the checkpoint", "2024-06", "month", "within", "Salim Haddad",
          SAID, len(TEXT), TEXT[SAID:])],
    ),
    "entities": (
        ("article_id", "ordinal", "kind", "name", "title", "latitude", "longitude", "admin1",
         "country", "geonameid"),
        [("old-1", 0, "place", "Tikrit", None, 34.6071, 43.6782, "Salah ad Din", "Iraq", 91700),
         ("old-1", 1, "person", "Salim Haddad", "district mayor", None, None, None, None, None)],
    ),
}  # fmt: skip
FIRST_MENTIONS = [  # (article id, entity ordinal, mention ordinal, start, end, text)
    ("old-1", 0, 0, TEXT.index("Tikrit"), TEXT.index("Tikrit") + 6, "Tikrit"),
    ("old-1", 1, 0, TEXT.index("Salim"), TEXT.index("Salim") + 12, "Salim Haddad"),
]


def raw_connection(url: str, backend: str) -> Connection:
    if backend == "postgresql":
        from newsledger.store import postgres

        return postgres.connect(url, url)
    conn = sqlite3.connect(url, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def insert(conn: Connection, p: str, table: str, columns: tuple[str, ...], rows: list[Any]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(p for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def old_ledger(url: str, backend: str, version: int) -> None:
    """A ledger migrated up to `version` (1 or 2), holding rows written with its columns."""
    dialect = sql_dialect.POSTGRESQL if backend == "postgresql" else sql_dialect.SQLITE
    statements = tables.build(dialect)
    conn = raw_connection(url, backend)
    try:
        done = schema.migrate(conn, statements, url, schema.MIGRATIONS[:version])
        assert done == list(range(1, version + 1))
        p = dialect.param
        conn.execute(statements.begin_write)
        insert(conn, p, "articles", FIRST_ARTICLES["columns"], FIRST_ARTICLES["rows"])
        if version >= 2:
            for table, (columns, rows) in FIRST_RECORDS.items():
                insert(conn, p, table, columns, rows)
            for article_id, entity, ordinal, start, end, text in FIRST_MENTIONS:
                conn.execute(
                    'INSERT INTO entity_mentions (entity_id, article_id, ordinal, "start", "end", '
                    f'"text") VALUES ((SELECT id FROM entities WHERE article_id = {p} AND '
                    f"ordinal = {p}), {p}, {p}, {p}, {p}, {p})",
                    (article_id, entity, article_id, ordinal, start, end, text),
                )
        conn.execute(statements.commit)
    finally:
        conn.close()


def expected(row: tuple[Any, ...], columns: tuple[str, ...]) -> dict[str, Any]:
    values = dict(zip(columns, row, strict=True))
    if "evidence_start" in values:
        values["evidence"] = {
            "start": values.pop("evidence_start"),
            "end": values.pop("evidence_end"),
            "text": values.pop("evidence_text"),
        }
    return values


def same(stored: dict[str, Any], written: dict[str, Any]) -> None:
    """Every value written is read back unchanged (columns added later may sit beside them)."""
    for column, value in written.items():
        if column == "offsets":
            value = json.loads(value)
        assert stored[column] == value, (column, stored[column], value)


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_ledger_migrates_to_the_latest_schema_without_losing_a_row(
    backend: str, ledger_url: str, version: int
) -> None:
    old_ledger(ledger_url, backend, version)
    latest = schema.latest_version()
    assert latest > version
    with open_ledger(ledger_url) as ledger:  # opening applies the pending steps
        applied = ledger.query(tables.build(ledger.dialect).applied_migrations)
        assert [row[0] for row in applied] == [m.number for m in schema.MIGRATIONS]
        articles = list(ledger.iter_rows("articles"))
        assert [a["id"] for a in articles] == ["old-1", "old-2"]
        for stored, row in zip(articles, FIRST_ARTICLES["rows"], strict=True):
            same(stored, expected(row, FIRST_ARTICLES["columns"]))
        counts = ledger.stats().counts
        for table, (columns, rows) in FIRST_RECORDS.items():
            got = list(ledger.iter_rows(table))
            assert len(got) == (len(rows) if version >= 2 else 0), table
            for stored, row in zip(got, rows, strict=False):
                same(stored, expected(row, columns))
        if version >= 2:
            mentions = [m for e in ledger.iter_rows("entities") for m in e["mentions"]]
            assert mentions == [dict(zip(("start", "end", "text"), m[3:], strict=True))
                                for m in FIRST_MENTIONS]  # fmt: skip
            assert counts["entity_mentions"] == len(FIRST_MENTIONS)
        # the steps added since work on the old rows: the text index and tracking
        assert [hit["article_id"] for hit in ledger.search("checkpoint")] == ["old-1"]
        report = track_article(ledger, "old-1", load_tracker())
        assert report.entities == (2 if version >= 2 else 0)
