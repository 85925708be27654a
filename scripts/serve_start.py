"""How long `newsledger serve` takes from its start to its first answer (docs/speed.md).

    python scripts/serve_start.py --db LEDGER [--workers N] [--repeats R]

Starts `newsledger serve` on a free port, polls GET /api/events every 50 ms until it answers,
prints the seconds, stops the server with SIGTERM and checks that none of its processes is left.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def children(pid: int) -> list[int]:
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in listed.read_text().split()] if listed.is_file() else []


def running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def first_answer(db: str, workers: int | None) -> tuple[float, list[int]]:
    """Seconds from start to the first answer, and the server's children still running after
    SIGTERM."""
    port = free_port()
    command = [sys.executable, "-c", "from newsledger.cli import main; main()", "serve"]
    command += ["--db", db, "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events", timeout=5) as r:
                r.read()
            break
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server stopped (exit code {proc.returncode})") from None
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    kids = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(1)
    return seconds, [k for k in kids if running(k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.repeats):
        seconds, left = first_answer(args.db, args.workers)
        print(f"first answer after {seconds:.2f} s; processes left after SIGTERM: {left or 'none'}")


if __name__ == "__main__":
    main()
