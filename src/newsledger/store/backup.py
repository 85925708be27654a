"""Backups of a ledger: a consistent copy while others may be writing to it.

`backup(db, target)` copies the ledger at `db` to the file `target`:

- SQLite: with SQLite's online backup API (`sqlite3.Connection.backup`), page by page, into a
  temporary file beside `target` that is checked (``PRAGMA integrity_check``) and then renamed to
  `target`; the copy is a SQLite ledger `open_ledger` opens as it is;
- PostgreSQL: with `pg_dump` (found on PATH or in /usr/lib/postgresql/*/bin) as a plain SQL
  script (restore with ``psql -f target``), only the ledger's schema when the URL names one with
  ``options=-csearch_path=...``. The connection parameters come from the URL; the password goes
  to pg_dump in the environment (PGPASSWORD), never on its command line.

An existing `target` is refused unless `force` is given; errors (`LedgerError`) name the ledger
(a PostgreSQL URL with its password hidden) and the target.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsledger.errors import LedgerError
from newsledger.store.location import is_postgres_url, redact, sqlite_target

PAGES_PER_STEP = 1024
"""SQLite pages copied per step of the online backup (writers may go on between steps)."""

_SEARCH_PATH = re.compile(r"search_path\s*=\s*([^\s,]+)")


@dataclass(frozen=True)
class BackupResult:
    source: str  # the ledger, as named in messages (password hidden)
    target: Path
    kind: str  # "sqlite" (a ledger file) or "pg_dump" (a plain SQL script)
    bytes: int


def backup(
    db: str | os.PathLike[str], target: str | os.PathLike[str], *, force: bool = False
) -> BackupResult:
    """Copy the ledger at `db` (path, sqlite:/// or postgresql:// URL) to the file `target`."""
    url = os.fspath(db)
    name = redact(url)
    path = Path(target)
    _check_target(path, name, force)
    if is_postgres_url(url):
        _pg_dump(url, name, path)
        kind = "pg_dump"
    else:
        _sqlite_backup(url, name, path)
        kind = "sqlite"
    return BackupResult(name, path, kind, path.stat().st_size)


def _check_target(path: Path, name: str, force: bool) -> None:
    if path.is_dir():
        raise LedgerError(f"cannot back up {name} to {path}: it is a folder; give a file path")
    if path.exists() and not force:
        raise LedgerError(
            f"cannot back up {name} to {path}: the file already exists "
            "(give --force to overwrite it)"
        )
    if not path.parent.is_dir():
        raise LedgerError(
            f"cannot back up {name} to {path}: the folder {path.parent} does not exist"
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise LedgerError(
            f"cannot back up {name} to {path}: the folder {path.parent} is not writable"
        )


@dataclass
class _Staging:
    """A temporary file beside the target, renamed onto it when complete, removed otherwise."""

    target: Path
    path: Path | None = None

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".partial", dir=self.target.parent
        )
        os.close(handle)
        self.path = Path(name)
        return self.path

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.path is not None
        if exc_type is None:
            os.replace(self.path, self.target)
        else:
            self.path.unlink(missing_ok=True)


def _sqlite_backup(url: str, name: str, target: Path) -> None:
    source_path = sqlite_target(url)
    if source_path == ":memory:":
        raise LedgerError(f"cannot back up {name}: an in-memory ledger has nothing on disk")
    source_file = Path(source_path)
    if not source_file.is_file():
        raise LedgerError(
            f"cannot back up {name} to {target}: the ledger {source_file} does not exist"
        )
    if source_file.resolve() == target.resolve():
        raise LedgerError(f"cannot back up {name} onto itself ({target})")
    try:
        source = sqlite3.connect(f"{source_file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot back up {name}: cannot open the ledger: {exc}") from exc
    try:
        with _Staging(target) as staging:
            copy = sqlite3.connect(staging)
            try:
                source.backup(copy, pages=PAGES_PER_STEP)
                result = copy.execute("PRAGMA integrity_check").fetchall()
            finally:
                copy.close()
            if result != [("ok",)]:
                problems = "; ".join(str(row[0]) for row in result[:5])
                raise LedgerError(
                    f"backup of {name} to {target} failed its integrity check: {problems}"
                )
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot back up {name} to {target}: {exc}") from exc
    except OSError as exc:
        raise LedgerError(f"cannot back up {name} to {target}: {exc.strerror or exc}") from exc
    finally:
        source.close()


def find_pg_dump() -> Path | None:
    """pg_dump on PATH, else the newest in /usr/lib/postgresql/*/bin (Debian's layout)."""
    on_path = shutil.which("pg_dump")
    if on_path:
        return Path(on_path)
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        candidate = Path(folder, "pg_dump")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def pg_dump_command(url: str, pg_dump: Path, target: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump command line and the environment additions for the ledger at `url`.

    The password (from the URL) is only in the environment; the rest of the connection
    parameters go to ``--dbname`` as a libpq connection string.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from newsledger.store.postgres import libpq_url

    try:
        params = conninfo_to_dict(libpq_url(url))
    except psycopg.Error as exc:  # the URL does not parse
        raise LedgerError(f"{redact(url)}: not a PostgreSQL URL libpq can read: {exc}") from exc
    password = params.pop("password", None)
    command = [str(pg_dump), "--format=plain", "--no-owner", "--no-privileges", f"--file={target}"]
    schema = _SEARCH_PATH.search(str(params.get("options") or ""))
    if schema:
        command.append(f"--schema={schema.group(1)}")
    command.append(f"--dbname={make_conninfo(**{k: str(v) for k, v in params.items()})}")
    env = {"PGPASSWORD": str(password)} if password is not None else {}
    return command, env


def _pg_dump(url: str, name: str, target: Path) -> None:
    pg_dump = find_pg_dump()
    if pg_dump is None:
        raise LedgerError(
            f"cannot back up {name}: pg_dump was not found on PATH or in "
            "/usr/lib/postgresql/*/bin (apt-get install postgresql-client)"
        )
    with _Staging(target) as staging:
        command, extra = pg_dump_command(url, pg_dump, staging)
        try:
            done = subprocess.run(
                command,
                env={**os.environ, **extra},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise LedgerError(f"cannot back up {name}: cannot run {pg_dump}: {exc}") from exc
        if done.returncode != 0:
            message = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
            raise LedgerError(f"cannot back up {name} to {target}: pg_dump failed: {message}")
