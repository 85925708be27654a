"""The load test script (scripts/load_test.py) run briefly against a real `newsledger serve`
process on loopback: 50 concurrent clients for a few seconds over every API endpoint, zero
errors, latency percentiles reported. The README's figures are its 30-second run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO
from tests.helpers.web_ledger import build_ledger

pytestmark = pytest.mark.slow  # spawns processes

SCRIPT = REPO / "scripts" / "load_test.py"
CLIENTS = 50
SECONDS = 4


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, sys.path))}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_50_clients_against_newsledger_serve_get_no_errors(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    build_ledger(db, with_change=True)
    run = run_script("--db", str(db), "--clients", str(CLIENTS), "--seconds", str(SECONDS))
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["errors"] == 0, result["error_examples"]
    assert result["clients"] == CLIENTS
    assert result["requests"] >= CLIENTS, result
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["client_cpu_ms_per_request"] > 0
    if sys.platform.startswith("linux"):  # serve's processes, read from /proc
        assert result["server_cpu_ms_per_request"] > 0
    endpoints = set(result["by_endpoint"])
    assert {"/api/events", "/api/quotes", "/api/changes", "/api/events.csv"} <= endpoints
    assert {"/api/articles/{id}", "/api/events/{id}"} <= endpoints
    print(
        f"{CLIENTS} clients, {SECONDS} s: {result['requests']} requests, {result['errors']} "
        f"errors, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms"
    )


def test_the_script_counts_errors() -> None:
    """The control: with no server listening every request fails, and the script says so."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        run = run_script("--url", f"http://127.0.0.1:{port}", "--clients", "3", "--seconds", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["errors"] >= 1 and "127.0.0.1" in result["error_examples"][0]
