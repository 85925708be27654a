"""Load test of the JSON API on loopback: N concurrent clients for S seconds (not a timed test).

    .venv/bin/python scripts/load_test.py --db LEDGER [--clients 50] [--seconds 30] [--format json]
    .venv/bin/python scripts/load_test.py --db LEDGER --workers 2 ...
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8000 ...

With --db (a SQLite file or a postgresql:// URL) it starts `newsledger serve --db LEDGER` on a free
port of 127.0.0.1 (with `--workers N` when given; else serve's default, the machine's cores) and
stops it at the end; with --url it uses a server already running. The clients run in this one
process. Each client (one keep-alive HTTP/1.1 connection, opened before the clock starts) asks,
one request after another, for a random API endpoint with random filters: the lists
(/api/events, quotes, claims, deadlines, changes, people, places, articles), the CSV and GeoJSON
exports, the timeline, the deadlines board, and single events and articles by id. A request is
an error unless its answer is 200 and arrives whole (the body read to its Content-Length, or to
the last chunk of a chunked one) within 30 s; a failed or closed connection is an error too (and
is opened again). Prints requests, errors, requests per second and latency p50 / p95 / p99 / max
(ms), the CPU time a request cost the server (with --db, on Linux: all serve's processes) and
the clients, and p50 / p95 / max per endpoint; exits 1 when there was an error.

Why a client of its own (`Connection`: asyncio streams, a few lines of HTTP/1.1) and not httpx:
the clients share the machine with the server, and with httpx's AsyncClient they cost more CPU a
request than the server did (3.7 to 5.2 ms against 2.5 to 2.7 ms on an idle 2-core machine), so
they, not the server, set the latency tail the test reports. The requests, their mix and what
counts as an error are the same; this client costs about a quarter of that CPU (docs/web.md,
"The load test's own cost"). It runs on uvloop when that is installed (serve's dependency).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from newsledger.store.queries import KIND_FILTERS, QUERY_NAMES

LISTS = ("events", "quotes", "claims", "deadlines", "changes", "people", "places", "articles")
OTHERS = {  # endpoint -> the list whose filters it takes
    "/api/events.csv": "events",
    "/api/events.geojson": "events",
    "/api/timeline": "events",
    "/api/board/deadlines": "deadlines",
}
VALUES = {  # filter (as in the URL) -> values to pick from
    "type": ("Battles", "Protests", "Explosions/Remote violence"),
    "place": ("Kirkuk", "Mosul", "Raqqa", "Deir ez-Zor"),
    "actor": ("Islamic State", "Military Forces"),
    "from": ("2024-01-01", "2025-01-01", "2025-06-01"),
    "to": ("2025-06-15", "2026-01-01"),
    "speaker": ("al-Hashimi", "Haddad"),
    "topic": ("coalition", "withdrawal"),
    "q": ("coalition", "attack"),
}
START_S = 120.0
SETTLE_S = 30.0
TIMEOUT_S = 30.0
RUN_CLI = "import newsledger.cli as cli; cli.main()"


@dataclass
class Result:
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    server_cpu_ms_per_request: float | None = None  # with --db, on Linux: serve's processes
    client_cpu_ms_per_request: float | None = None  # this process (the clients)
    by_endpoint: dict[str, int] = field(default_factory=dict)
    endpoint_latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # p50 p95 max
    error_examples: list[str] = field(default_factory=list)


class HTTPFailure(Exception):
    """An answer that is not a whole HTTP/1.1 response (the connection is then closed)."""


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads each answer whole: the
    status, the headers, and the body to its Content-Length or through its chunks (a body
    without either, which only a closed connection could end, is an HTTPFailure)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\nAccept: */*\r\n\r\n".encode("ascii")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, target: str) -> tuple[int, int]:
        """GET `target` (path and query); the status and the body's length in bytes."""
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(b"GET " + target.encode("ascii") + b" HTTP/1.1\r\n" + self.head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise HTTPFailure(f"not an HTTP/1.x status line: {lines[0]!r}")
        length, chunked, closing = -1, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                closing = b"close" in value.lower()
        if chunked:
            size = await self._chunks()
        elif length >= 0:
            await self.reader.readexactly(length)
            size = length
        else:
            raise HTTPFailure("an answer with neither Content-Length nor chunked encoding")
        if closing:
            self.close()
        return int(parts[1]), size

    async def _chunks(self) -> int:
        assert self.reader is not None
        total = 0
        while True:
            line = await self.reader.readuntil(b"\r\n")
            size = int(line.split(b";", 1)[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return total
            chunk = await self.reader.readexactly(size + 2)
            if not chunk.endswith(b"\r\n"):
                raise HTTPFailure("a chunk not ended by CRLF")
            total += size


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process and all its descendants so far; None where /proc
    does not say (not Linux) or when the process is gone."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, pending = 0, [pid]
    try:
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, IndexError, ValueError):
        return None
    return total / ticks


def settle(pid: int, most: float = SETTLE_S) -> None:
    """Wait (at most `most` seconds) until the server's processes are idle, so that workers
    still starting do not run inside the timed window: under a fifth of a core for half a
    second."""
    deadline = time.monotonic() + most
    before = cpu_seconds(pid)
    while before is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now is None or now - before < 0.1:
            return
        before = now


def fetch_json(url: str, timeout: float = TIMEOUT_S) -> object:
    """GET a JSON answer (outside the timed window); OSError (URLError, HTTPError) when none."""
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return json.load(answer)


@contextmanager
def served(db: str, workers: int | None = None) -> Iterator[tuple[str, int]]:
    """`newsledger serve --db DB [--workers N]` on a free loopback port; its base URL and
    process id while it runs (once it answers and its processes have settled)."""
    port = free_port()
    command = Path(sys.executable).with_name("newsledger")
    argv = [str(command)] if command.exists() else [sys.executable, "-c", RUN_CLI]
    processes = ["--workers", str(workers)] if workers else []
    server = subprocess.Popen(
        [*argv, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), *processes],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NEWSLEDGER_TOKEN": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while True:
            if server.poll() is not None:
                raise SystemExit(f"newsledger serve ended: {server.communicate()[1].decode()}")
            try:
                fetch_json(url + "/api/articles?limit=1", timeout=2)
                break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"newsledger serve did not answer on {url} in {START_S:.0f} s")
            time.sleep(0.1)
        settle(server.pid)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def targets(base: str) -> dict[str, tuple[str, ...]]:
    """Paths worth asking for, each with the filters it takes: the lists and exports, plus some
    events and articles by id (no filters)."""
    paths: dict[str, tuple[str, ...]] = {}
    for path, kind in [*((f"/api/{k}", k) for k in LISTS), *OTHERS.items()]:
        names = (QUERY_NAMES.get(name, name) for name in KIND_FILTERS[kind])
        paths[path] = tuple(name for name in names if name in VALUES)
    for kind in ("events", "articles"):
        page = fetch_json(f"{base}/api/{kind}?limit=20")
        assert isinstance(page, dict)
        paths.update((f"/api/{kind}/{item['id']}", ()) for item in page["items"])
    return paths


def request_for(
    rng: random.Random, paths: dict[str, tuple[str, ...]]
) -> tuple[str, dict[str, str]]:
    path = rng.choice(sorted(paths))
    names = paths[path]
    chosen = rng.sample(names, min(len(names), rng.randint(0, 2)))
    return path, {name: rng.choice(VALUES[name]) for name in chosen}


def endpoint_of(path: str) -> str:
    """A path as its endpoint: the lists and exports as they are, single items as {id}."""
    return path if path.count("/") == 2 or path in OTHERS else path.rsplit("/", 1)[0] + "/{id}"


async def client_loop(
    connection: Connection,
    paths: dict[str, tuple[str, ...]],
    until: float,
    seed: int,
    latencies: dict[str, list[float]],
    result: Result,
) -> None:
    """One client: a request, its whole answer read, then the next, until `until`."""
    rng = random.Random(seed)
    while time.perf_counter() < until:
        path, params = request_for(rng, paths)
        target = f"{path}?{urlencode(params)}" if params else path
        started = time.perf_counter()
        try:
            async with asyncio.timeout(TIMEOUT_S):
                status, _ = await connection.get(target)
            ok = status == 200
            what = f"{status} {path} {params}"
        except (OSError, EOFError, ValueError, HTTPFailure, TimeoutError) as exc:
            # EOFError: asyncio.IncompleteReadError (the connection closed mid-answer);
            # ValueError: a bad length or chunk size, or LimitOverrunError
            connection.close()
            ok, what = False, f"{type(exc).__name__} {path} {params}: {exc}"
        latencies[endpoint_of(path)].append(time.perf_counter() - started)
        if not ok:
            result.errors += 1
            if len(result.error_examples) < 5:
                result.error_examples.append(what)


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in ms (inclusive method; one value: itself)."""
    if len(seconds) < 2:
        value = round(1000 * seconds[0], 1) if seconds else 0.0
        return value, value, value
    cuts = statistics.quantiles((1000 * s for s in seconds), n=100, method="inclusive")
    p50, p95, p99 = (round(cuts[i], 1) for i in (49, 94, 98))
    return p50, p95, p99


async def load(
    base: str, clients: int, seconds: float, seed: int, server: int | None = None
) -> Result:
    """The clients' run against `base`; with `server` (its process id) the CPU time its
    processes spent in the timed window too."""
    result = Result(clients, seconds)
    try:
        paths = targets(base)
        where = urlsplit(base)
        host, port = where.hostname or "127.0.0.1", where.port or 80
        connections = [Connection(host, port) for _ in range(clients)]
        # one connection per client, all made before the clock starts
        await asyncio.gather(*(c.open() for c in connections))
    except OSError as exc:
        result.errors, result.error_examples = 1, [f"{base}: {exc}"]
        return result
    latencies: dict[str, list[float]] = defaultdict(list)
    server_cpu = cpu_seconds(server) if server else None
    client_cpu = time.process_time()
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(
            client_loop(connection, paths, until, seed + n, latencies, result)
            for n, connection in enumerate(connections)
        )
    )
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    if server and server_cpu is not None and (after := cpu_seconds(server)) is not None:
        server_cpu = after - server_cpu
    else:
        server_cpu = None
    for connection in connections:
        connection.close()
    every = [s for values in latencies.values() for s in values]
    result.requests = len(every)
    if every:
        result.client_cpu_ms_per_request = round(1000 * client_cpu / len(every), 2)
        if server_cpu is not None:
            result.server_cpu_ms_per_request = round(1000 * server_cpu / len(every), 2)
        result.max_ms = round(1000 * max(every), 1)
    result.requests_per_s = round(len(every) / elapsed, 1)
    result.by_endpoint = {name: len(latencies[name]) for name in sorted(latencies)}
    for name in sorted(latencies):
        p50, p95, _ = percentiles(latencies[name])
        most = round(1000 * max(latencies[name]), 1)
        result.endpoint_latency_ms[name] = {"p50": p50, "p95": p95, "max": most}
    if len(every) >= 2:
        result.p50_ms, result.p95_ms, result.p99_ms = percentiles(every)
    return result


def run(clients: Coroutine[Any, Any, Result]) -> Result:
    """Run the clients' loop, on uvloop when it is installed (cheaper a request)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(clients)
    return uvloop.run(clients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--db", help="serve this ledger (a file or postgresql:// URL) with `newsledger serve`"
    )
    where.add_argument("--url", help="a server already running, e.g. http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=None, help="with --db: serve's --workers (default: its own)"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients must be at least 1 and --seconds more than 0")
    if args.workers is not None and (args.workers < 1 or args.db is None):
        parser.error("--workers takes 1 or more, and only with --db")
    if args.db is not None:
        if not args.db.startswith("postgresql") and not Path(args.db).is_file():
            parser.error(f"--db {args.db}: no such ledger file")
        with served(args.db, args.workers) as (base, pid):
            result = run(load(base, args.clients, args.seconds, args.seed, pid))
    else:
        result = run(load(args.url, args.clients, args.seconds, args.seed))
    if args.format == "json":
        print(json.dumps(asdict(result), indent=2))
    else:
        print(
            f"{result.clients} clients for {result.seconds:g} s: {result.requests:,} requests, "
            f"{result.errors} errors, {result.requests_per_s:,} requests/s; latency p50 "
            f"{result.p50_ms} ms, p95 {result.p95_ms} ms, p99 {result.p99_ms} ms, "
            f"max {result.max_ms} ms"
        )
        if result.client_cpu_ms_per_request is not None:
            server = result.server_cpu_ms_per_request
            print(
                f"CPU a request: server {'?' if server is None else server} ms, "
                f"clients {result.client_cpu_ms_per_request} ms"
            )
        slowest = sorted(result.endpoint_latency_ms.items(), key=lambda kv: -kv[1]["p95"])
        for name, cut in slowest:
            print(
                f"  {name:<24} {result.by_endpoint[name]:>6,} requests  p50 {cut['p50']:>7} ms"
                f"  p95 {cut['p95']:>7} ms  max {cut['max']:>7} ms"
            )
        for example in result.error_examples:
            print(f"  error: {example}")
    sys.exit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
