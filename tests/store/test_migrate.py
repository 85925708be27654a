"""Upgrades: a ledger written by the first schema (migration 1: articles only) and one written by
the first schema with records (migration 2) migrate to the current schema, whatever its latest
step is, without losing or changing a row, on SQLite and PostgreSQL.

The rows are written with the columns those versions had (tests/helpers/old_ledgers.py), by plain
INSERTs on a connection migrated only that far.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from newsledger.records import StoreResult
from newsledger.store import GazetteerUse, open_ledger, schema
from newsledger.store.reextract import replace_extraction
from newsledger.store.sql import tables
from newsledger.track import load_tracker, track_article
from tests.helpers.factories import article, extraction
from tests.helpers.old_ledgers import FIRST_ARTICLES, FIRST_MENTIONS, FIRST_RECORDS, old_ledger


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
