"""`newsledger backup`: SQLite's online backup and pg_dump, restored and compared row by row."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.errors import LedgerError
from newsledger.store import KINDS, open_ledger
from newsledger.store.backup import backup, pg_dump_command
from tests.helpers.web_ledger import build_ledger


def rows(url: str | Path) -> dict[str, list[dict[str, object]]]:
    with open_ledger(url) as ledger:
        return {kind: list(ledger.iter_rows(kind)) for kind in KINDS}


def test_backup_copies_every_row_and_passes_integrity_check(tmp_path: Path) -> None:
    source = tmp_path / "ledger.db"
    build_ledger(source, with_change=True)
    copy = tmp_path / "copy.db"
    result = CliRunner().invoke(main, ["backup", str(copy), "--db", str(source)])
    assert result.exit_code == 0, result.output
    assert f"backed up {source} to {copy}" in result.output
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    original = rows(source)
    assert all(original[kind] for kind in ("articles", "events", "quotes", "changes"))
    assert rows(copy) == original
    assert not list(tmp_path.glob("*.partial")), "the staging file is left behind"


def test_backup_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    source = tmp_path / "ledger.db"
    build_ledger(source)
    copy = tmp_path / "copy.db"
    copy.write_text("precious")
    refused = CliRunner().invoke(main, ["backup", str(copy), "--db", str(source)])
    assert refused.exit_code == 1
    assert str(copy) in refused.output and "--force" in refused.output
    assert copy.read_text() == "precious"
    forced = CliRunner().invoke(main, ["backup", str(copy), "--db", str(source), "--force"])
    assert forced.exit_code == 0, forced.output
    assert rows(copy) == rows(source)


def test_backup_errors_name_the_paths(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(LedgerError, match=f"{missing}.*does not exist"):
        backup(missing, tmp_path / "copy.db")
    assert not missing.exists(), "backing up a missing ledger must not create it"
    source = tmp_path / "ledger.db"
    build_ledger(source)
    nowhere = tmp_path / "no" / "copy.db"
    with pytest.raises(LedgerError, match=f"{nowhere}.*folder {nowhere.parent} does not exist"):
        backup(source, nowhere)
    with pytest.raises(LedgerError, match="onto itself"):
        backup(source, source, force=True)
    with pytest.raises(LedgerError, match="is a folder"):
        backup(source, tmp_path)


def test_backup_of_a_ledger_being_written(tmp_path: Path) -> None:
    """The copy is a consistent snapshot while a connection holds a write transaction."""
    source = tmp_path / "ledger.db"
    build_ledger(source)
    before = rows(source)
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM quotes")
        backup(source, tmp_path / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert rows(tmp_path / "copy.db") == before


def test_pg_dump_password_stays_off_the_command_line(tmp_path: Path) -> None:
    url = "postgresql://analyst:pa%24%24word@db.example.org:5433/ledger?options=-csearch_path%3Dt7"
    command, env = pg_dump_command(url, Path("/usr/bin/pg_dump"), tmp_path / "dump.sql")
    assert env == {"PGPASSWORD": "pa$$word"}
    assert not any("pa$$word" in part or "pa%24%24word" in part for part in command)
    assert "--schema=t7" in command
    dbname = next(part for part in command if part.startswith("--dbname="))
    for piece in ("host=db.example.org", "port=5433", "user=analyst", "dbname=ledger"):
        assert piece in dbname


def test_pg_dump_absent_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("newsledger.store.backup.glob.glob", lambda pattern: [])
    with pytest.raises(LedgerError, match="pg_dump was not found") as error:
        backup("postgresql://analyst:secret@127.0.0.1:1/ledger", tmp_path / "dump.sql")
    assert "secret" not in str(error.value)


def test_postgresql_backup_restores_with_the_same_rows(pg_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.new_schema()
    build_ledger(url, with_change=True)  # type: ignore[arg-type]
    dump = tmp_path / "ledger.sql"
    result = CliRunner().invoke(main, ["backup", str(dump), "--db", url])
    assert result.exit_code == 0, result.output
    assert "pg_dump SQL script" in result.output
    psql = pg_server.pg_ctl.resolve().parent / "psql"
    if not psql.is_file():
        pytest.skip(f"psql not found beside {pg_server.pg_ctl.resolve()}")
    admin = pg_server.url().rsplit("/", 1)[0] + "/postgres"
    restored_db = f"restored_{tmp_path.name.lower().replace('-', '_')}"[:60]
    subprocess.run([psql, admin, "-c", f"CREATE DATABASE {restored_db}"], check=True, timeout=60)
    restored = pg_server.url().rsplit("/", 1)[0] + f"/{restored_db}"
    subprocess.run(
        [psql, restored, "-v", "ON_ERROR_STOP=1", "-q", "-f", dump],
        check=True,
        timeout=120,
        capture_output=True,
    )
    schema = url.rsplit("%3D", 1)[1]
    assert rows(f"{restored}?options=-csearch_path%3D{schema}") == rows(url)
