"""`open_ledger(url, read_only=True)`, what the web server's reads use: it reads what a writer
stored, refuses every write, creates nothing and migrates nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.errors import LedgerError
from newsledger.store import open_ledger, schema
from tests.helpers import factories
from tests.helpers.old_ledgers import old_ledger

TEXT = "Protesters gathered in Kirkuk on Monday."


def stored_ledger(url: str) -> None:
    article = factories.article("ro-1", TEXT)
    found = factories.evidence(TEXT)
    with open_ledger(url) as ledger:
        ledger.store(factories.extraction(article, events=(factories.event(found),)))


def test_reads_what_was_stored_and_refuses_every_write(ledger_url: str) -> None:
    stored_ledger(ledger_url)
    with open_ledger(ledger_url, read_only=True) as reader:
        assert reader.read_only
        assert reader.query("SELECT id FROM articles") == [("ro-1",)]
        again = factories.extraction(factories.article("ro-2", "Another report."))
        with pytest.raises(LedgerError, match="ro-2"):
            reader.store(again)
        with pytest.raises(LedgerError, match="not stored"), reader.transaction("a delete") as run:
            run("DELETE FROM events")
        # and the connection itself: SQLite's mode=ro, PostgreSQL's READ ONLY transactions
        with pytest.raises(Exception, match=r"read-?only") as refused:
            reader.query("DELETE FROM events")
        assert not isinstance(refused.value, LedgerError)
    with open_ledger(ledger_url) as writer:
        assert not writer.read_only
        assert writer.query("SELECT id FROM articles") == [("ro-1",)]
        assert writer.query("SELECT COUNT(*) FROM events") == [(1,)]


def test_a_ledger_behind_the_schema_is_not_migrated_by_a_reader(
    backend: str, ledger_url: str
) -> None:
    old_ledger(ledger_url, backend, 1)
    with pytest.raises(LedgerError, match="cannot migrate"):
        open_ledger(ledger_url, read_only=True)
    with open_ledger(ledger_url) as writer:  # the writer migrates it; then a reader opens
        assert writer.query("SELECT MAX(number) FROM schema_migrations") == [
            (schema.latest_version(),)
        ]
    open_ledger(ledger_url, read_only=True).close()


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(LedgerError, match="no such ledger file"):
        open_ledger(missing, read_only=True)
    assert not missing.exists()
