"""`newsledger serve --workers 2`: two server processes answer, and none outlives SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from newsledger.store import open_ledger
from tests.helpers.reliability import NEWSLEDGER

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in listed.read_text().split()] if listed.is_file() else []


def _running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_server_processes_answer_and_stop(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    open_ledger(str(db)).close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = [*NEWSLEDGER, "serve", "--db", str(db), "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events", timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the server did not answer in 120 s"
                time.sleep(0.2)
        assert isinstance(body, dict)
        workers = _children(proc.pid)
        assert len(workers) >= 2  # uvicorn's two workers (and its resource tracker)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert b"2 processes" in out
    time.sleep(1)
    assert not [p for p in workers if _running(p)]


@pytest.mark.parametrize("workers", [1, 2])
def test_idle_connections_are_kept_longer_than_uvicorns_five_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """A client that asks again a few seconds after an answer finds its connection still open
    (with uvicorn's 5 s, a slow client's next request could meet the server closing it)."""
    from newsledger.web import server

    db = tmp_path / "l.db"
    open_ledger(str(db)).close()
    for name in (server.DB_ENV, server.PRIVATE_ENV):  # serve sets them: restored after
        monkeypatch.setenv(name, "")
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda *args, **options: calls.append(options))
    server.serve(str(db), port=_free_port(), workers=workers)
    assert calls and calls[0]["timeout_keep_alive"] == server.KEEP_ALIVE_S >= 30
