"""`newsledger ingest` leaves no child process behind: not when it finishes, not when it fails,
not on Ctrl+C (SIGINT) or SIGTERM, and not when it is killed outright (SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsledger.pipeline.runners import default_workers
from tests.helpers.reliability import start_ingest

pytestmark = pytest.mark.slow

REPORT = "Gunmen killed {n} people at a checkpoint near Kirkuk on Monday, police said. " * 20


def _inputs(path: Path, count: int) -> Path:
    with path.open("w") as out:
        for n in range(count):
            text = REPORT.format(n=n + 2)
            out.write(json.dumps({"id": f"o{n}", "source": "T", "text": text}) + "\n")
    return path


def _children(pid: int) -> list[int]:
    """The process's children and their descendants (Linux /proc)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            listed = task / "children"
            if listed.is_file():
                kids = [int(k) for k in listed.read_text().split()]
                found.extend(kids)
                todo.extend(kids)
    return found


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        lines = status.read_text().splitlines()
    except OSError:
        return False
    state = next(line for line in lines if line.startswith("State:"))
    return "Z" not in state  # a zombie has stopped; only its exit status is left


def _wait_for_children(proc: subprocess.Popen[str], count: int) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        kids = _children(proc.pid)
        if len(kids) >= count:
            return kids
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError(f"ingest did not start {count} children in 120 s")


def _gone(pids: list[int], seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _running(p)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_child_outlives_an_interrupted_ingest(tmp_path: Path, how: signal.Signals) -> None:
    inputs = _inputs(tmp_path / "in.jsonl", 200)
    proc = start_ingest(str(tmp_path / "l.db"), inputs, "--workers", "2")
    kids = _wait_for_children(proc, 2)
    time.sleep(1.0)  # the workers are loading or working: either way they must go
    os.kill(proc.pid, how)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert not _gone(kids), f"children alive after {how.name}: {kids}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.skipif(default_workers() < 2, reason="the default runs in one process here")
def test_no_child_outlives_a_finished_or_failed_ingest(tmp_path: Path) -> None:
    """The default on 10 new articles: as many workers as cores (at least 2 here)."""
    inputs = _inputs(tmp_path / "in.jsonl", 10)
    done = start_ingest(str(tmp_path / "l.db"), inputs)
    kids = _wait_for_children(done, 2)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert "stored 10" in out
    assert not _gone(kids)
    # a ledger that cannot be written fails the run after the workers started
    bad = tmp_path / "missing" / "l.db"
    failed = start_ingest(str(bad), inputs, "--workers", "2")
    failed.communicate(timeout=300)
    assert failed.returncode != 0
    assert not _children(failed.pid)
