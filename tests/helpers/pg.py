"""A throwaway PostgreSQL server for the storage tests, and fixtures to run them on both backends.

tests/conftest.py registers its fixtures for every test (`pytest_plugins`):

- `backend` is "sqlite" or "postgresql" (every test that uses it runs on both);
- `ledger_urls(name)` gives a new, empty ledger URL on that backend (a file `name` in tmp_path on
  SQLite; a fresh schema of the test server on PostgreSQL);
- `ledger_url` is one such URL;
- `pg_server` is the session's server (initdb and pg_ctl on a temporary directory, 127.0.0.1 on a
  free port, fsync off), stopped and removed at the end of the session.

PostgreSQL tests skip, saying why, when initdb and pg_ctl are absent (Debian's `postgresql`
package puts them in /usr/lib/postgresql/<version>/bin; .ci/run installs it). As root, initdb
refuses to run, so the server runs as the `postgres` user the package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")
DATABASE = "newsledger_test"


def find_binaries() -> tuple[Path, Path] | str:
    """(initdb, pg_ctl), or why they cannot be used."""
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if on_path[0] and on_path[1]:
        return Path(on_path[0]), Path(on_path[1])
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        initdb, pg_ctl = Path(folder, "initdb"), Path(folder, "pg_ctl")
        if initdb.is_file() and pg_ctl.is_file():
            return initdb, pg_ctl
    return (
        "PostgreSQL's initdb and pg_ctl were not found on PATH or in /usr/lib/postgresql/*/bin "
        "(apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PgServer:
    folder: Path
    port: int
    pg_ctl: Path
    as_user: tuple[str, ...]  # the command prefix that runs a server binary as its owner
    schemas: Iterator[int] = field(default_factory=lambda: count(1))

    def url(self, schema: str | None = None) -> str:
        base = f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"
        return f"{base}?options=-csearch_path%3D{schema}" if schema else base

    def new_schema(self) -> str:
        """A URL whose tables live in a new, empty schema (one per ledger in the tests)."""
        import psycopg

        name = f"t{next(self.schemas)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(name)

    def run(self, *args: str | Path) -> None:
        subprocess.run(
            [*self.as_user, *map(str, args)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )


def _start(folder: Path, initdb: Path, pg_ctl: Path) -> PgServer:
    as_user: tuple[str, ...] = ()
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        if runuser is None:
            pytest.skip("running as root and runuser is missing: cannot run PostgreSQL")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = (runuser, "-u", "postgres", "--")
    server = PgServer(folder, _free_port(), pg_ctl, as_user)
    data = folder / "data"
    server.run(
        initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale",
        "--no-sync",
    )  # fmt: skip
    options = (
        f"-h 127.0.0.1 -p {server.port} -k {folder} -F "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    server.run(pg_ctl, "-D", data, "-o", options, "-l", folder / "log", "-w", "-t", "30", "start")
    import psycopg

    with psycopg.connect(server.url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    found = find_binaries()
    if isinstance(found, str):
        pytest.skip(found)
    initdb, pg_ctl = found
    folder = Path(tempfile.mkdtemp(prefix="newsledger-pg-"))
    try:
        try:
            server = _start(folder, initdb, pg_ctl)
        except subprocess.CalledProcessError as exc:
            log = folder / "log"
            raise RuntimeError(
                f"the test PostgreSQL server did not start: {exc}: {exc.stderr.decode()} "
                f"{log.read_text() if log.exists() else ''}"
            ) from exc
        try:
            yield server
        finally:
            server.run(pg_ctl, "-D", folder / "data", "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def ledger_urls(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """name -> the URL of a new, empty ledger on the test's backend."""
    if backend == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        return lambda name: server.new_schema()
    return lambda name: str(tmp_path / name)


@pytest.fixture
def ledger_url(ledger_urls: Callable[[str], str]) -> str:
    return ledger_urls("ledger.db")


# --- concurrency: run in spawned processes (importable by name) ------------------------------


def store_all(url: str, extractions: Sequence[Any], start: Any, results: Any) -> None:
    """Open the ledger at url, wait at the `start` barrier for the other processes, store each
    extraction; put [(article id, "stored" or "duplicate"), ...] on the `results` queue."""
    from newsledger.store import open_ledger

    done: list[tuple[str, str]] = []
    with open_ledger(url) as ledger:
        start.wait(timeout=60)
        for extraction in extractions:
            done.append((extraction.article.id, ledger.store(extraction).value))
    results.put(done)
