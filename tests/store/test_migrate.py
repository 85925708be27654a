"""Upgrades: a ledger written by the first schema (migration 1: articles only) and one written by
the first schema with records (migration 2) migrate to the current schema, whatever its latest
step is, without losing or changing a row, on SQLite and PostgreSQL.

The rows are written with the columns those versions had (tests/helpers/old_ledgers.py), by plain
INSERTs on a connection migrated only that far.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsledger.records import StoreResult
from newsledger.store import GazetteerUse, open_ledger, schema
from newsledger.store.reextract import replace_extraction
from newsledger.store.sql import dialect as sql_dialect
from newsledger.store.sql import tables
from newsledger.track import load_tracker, track_article
from tests.helpers.factories import article, extraction
from tests.helpers.old_ledgers import (
    FIRST_ARTICLES,
    FIRST_MENTIONS,
    FIRST_RECORDS,
    old_ledger,
    raw_connection,
)


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


OLD_DATA = ("bundled: GeoNames cities1000 and countries (made-up older data)",)
NEW_DATA = (*OLD_DATA, "imported: villages.csv (csv, 12 rows, 2026-01-02T03:04:05+00:00)")


def test_migration_15_records_the_gazetteer_each_article_was_extracted_with(
    backend: str, ledger_url: str
) -> None:
    old_ledger(ledger_url, backend, 2)
    with open_ledger(ledger_url) as ledger:
        # the old articles' gazetteer is unknown, and not counted as other data
        assert ledger.stats().gazetteers == (GazetteerUse(None, None, 2),)
        assert ledger.stats().other_gazetteer(NEW_DATA) == 0
        for name, data in (("a", OLD_DATA), ("b", NEW_DATA), ("c", NEW_DATA)):
            made = replace(extraction(article(f"new-{name}", f"Report {name}.")), gazetteer=data)
            assert ledger.store(made) is StoreResult.STORED
        stats = ledger.stats()
        assert [(u.sources, u.articles) for u in stats.gazetteers] == [
            (None, 2),
            (OLD_DATA, 1),
            (NEW_DATA, 2),
        ]
        assert all(u.first_used for u in stats.gazetteers[1:])
        assert stats.other_gazetteer(NEW_DATA) == 1  # new-a; the unknown ones are counted apart
        assert stats.other_gazetteer(OLD_DATA) == 2
        as_json = stats.to_dict(NEW_DATA)
        assert [g["configured"] for g in as_json["gazetteers"]] == [None, False, True]
        assert as_json["other_gazetteer"] == 1
        # each description is kept once, with its first use
        assert ledger.query("SELECT COUNT(*) FROM gazetteers")[0][0] == 2
        # re-extracting an article records the gazetteer of the new extraction
        again = replace(extraction(article("new-a", "Report a.")), gazetteer=NEW_DATA)
        replace_extraction(ledger, again, "new-a")
        replace_extraction(ledger, replace(again, article=article("old-1", "Again.")), "old-1")
        stats = ledger.stats()
        assert [(u.sources, u.articles) for u in stats.gazetteers] == [(None, 1), (NEW_DATA, 4)]
        assert stats.other_gazetteer(NEW_DATA) == 0
        # exports do not carry the column: the articles' JSON is as before
        assert "gazetteer" not in next(ledger.iter_rows("articles"))


def schema_of(url: str, backend: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the migrations create, read from the database's catalogue, and the steps it
    records (without their times); on PostgreSQL the ledger's own schema name left out."""
    conn = raw_connection(url, backend)
    try:
        steps = list(conn.execute("SELECT number, description FROM schema_migrations ORDER BY 1"))
        if backend == "sqlite":
            objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            return {"objects": sorted(objects), "steps": steps}
        here = conn.execute("SELECT current_schema()").fetchone()[0]
        catalogue = {
            "columns": "SELECT table_name, column_name, ordinal_position, data_type, "
            "column_default, is_nullable, is_identity, is_generated, generation_expression "
            "FROM information_schema.columns WHERE table_schema = current_schema()",
            "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema()",
            "constraints": "SELECT conrelid::regclass::text, conname, contype, "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace",
            "triggers": "SELECT tgrelid::regclass::text, tgname FROM pg_trigger t JOIN pg_class c "
            "ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace "
            "AND NOT t.tgisinternal",
            "functions": "SELECT proname FROM pg_proc "
            "WHERE pronamespace = current_schema()::regnamespace",
        }
        found = {
            name: sorted(
                tuple(str(v).replace(f"{here}.", "") if v is not None else None for v in row)
                for row in conn.execute(query)
            )
            for name, query in catalogue.items()
        }
        return {**found, "steps": steps}
    finally:
        conn.close()


def test_a_new_ledger_has_the_schema_of_one_migrated_step_by_step(
    backend: str, ledger_urls: Callable[[str], str]
) -> None:
    """A new ledger gets every step in one transaction (one commit); the result is the schema
    that applying the steps one by one, each in its own transaction, gives."""
    at_once, by_steps = ledger_urls("at_once.db"), ledger_urls("by_steps.db")
    with open_ledger(at_once):
        pass
    old_ledger(by_steps, backend, 1)  # the first step alone, on a new ledger
    with open_ledger(by_steps):  # then every other step, one transaction each
        pass
    fresh, stepped = schema_of(at_once, backend), schema_of(by_steps, backend)
    assert [number for number, _ in fresh["steps"]] == [m.number for m in schema.MIGRATIONS]
    assert fresh == stepped
    assert sum(len(rows) for rows in fresh.values()) > 100  # the catalogue was read


def test_a_new_ledger_migrates_in_one_transaction(tmp_path: Path) -> None:
    """One commit for a new ledger; an existing one short of steps gets one per step."""
    statements = tables.build(sql_dialect.SQLITE)
    commits: list[str] = []
    for name, first in (("new.db", ()), ("old.db", schema.MIGRATIONS[:1])):
        conn = raw_connection(str(tmp_path / name), "sqlite")
        try:
            if first:
                assert schema.migrate(conn, statements, name, first) == [1]
            conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
            done = schema.migrate(conn, statements, name)
        finally:
            conn.close()
        assert done == [m.number for m in schema.MIGRATIONS[len(first) :]]
        assert len(commits) == (1 if not first else len(done)), name
        commits.clear()
