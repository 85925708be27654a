"""Load test of the JSON API on loopback: N concurrent clients for S seconds (not a timed test).

    .venv/bin/python scripts/load_test.py --db LEDGER [--clients 50] [--seconds 30] [--format json]
    .venv/bin/python scripts/load_test.py --db LEDGER --workers 2 ...
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8000 ...

With --db (a SQLite file or a postgresql:// URL) it starts `newsledger serve --db LEDGER` on a free
port of 127.0.0.1 (with `--workers N` when given; else serve's default, the machine's cores) and
stops it at the end; with --url it uses a server already running. The clients run in this one
process. Each client (asyncio + httpx, one connection each) asks, one request after another, for a
random API endpoint with random filters: the lists (/api/events, quotes, claims, deadlines, changes,
people, places, articles), the CSV and GeoJSON exports, the timeline, the deadlines board, and
single events and articles by id. Any answer other than 200, or any failed connection, is an error.
Prints requests, errors, requests per second and latency p50 / p95 / p99 / max (ms); exits 1 when
there was an error.
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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

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
    error_examples: list[str] = field(default_factory=list)


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
                if httpx.get(url + "/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
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
    with httpx.Client(base_url=base, timeout=30) as client:
        for kind in ("events", "articles"):
            response = client.get(f"/api/{kind}", params={"limit": 20})
            response.raise_for_status()
            paths.update((f"/api/{kind}/{item['id']}", ()) for item in response.json()["items"])
    return paths


def request_for(
    rng: random.Random, paths: dict[str, tuple[str, ...]]
) -> tuple[str, dict[str, str]]:
    path = rng.choice(sorted(paths))
    names = paths[path]
    chosen = rng.sample(names, min(len(names), rng.randint(0, 2)))
    return path, {name: rng.choice(VALUES[name]) for name in chosen}


async def client_loop(
    client: httpx.AsyncClient,
    paths: dict[str, tuple[str, ...]],
    until: float,
    seed: int,
    latencies: list[float],
    result: Result,
    hits: Counter[str],
) -> None:
    """One client: a request, its whole answer read, then the next, until `until`."""
    rng = random.Random(seed)
    while time.perf_counter() < until:
        path, params = request_for(rng, paths)
        endpoint = (
            path if path.count("/") == 2 or path in OTHERS else path.rsplit("/", 1)[0] + "/{id}"
        )
        started = time.perf_counter()
        try:
            response = await client.get(path, params=params)
            ok = response.status_code == 200
            what = f"{response.status_code} {path} {params}"
        except httpx.HTTPError as exc:
            ok, what = False, f"{type(exc).__name__} {path} {params}: {exc}"
        latencies.append(time.perf_counter() - started)
        hits[endpoint] += 1
        if not ok:
            result.errors += 1
            if len(result.error_examples) < 5:
                result.error_examples.append(what)


async def load(
    base: str, clients: int, seconds: float, seed: int, server: int | None = None
) -> Result:
    """The clients' run against `base`; with `server` (its process id) the CPU time its
    processes spent in the timed window too."""
    result = Result(clients, seconds)
    try:
        paths = targets(base)
    except httpx.HTTPError as exc:
        result.errors, result.error_examples = 1, [f"{base}: {exc}"]
        return result
    latencies: list[float] = []
    hits: Counter[str] = Counter()
    # one connection per client, all made before the clock starts
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        server_cpu = cpu_seconds(server) if server else None
        client_cpu = time.process_time()
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(
                client_loop(client, paths, until, seed + n, latencies, result, hits)
                for n in range(clients)
            )
        )
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        if server and server_cpu is not None and (after := cpu_seconds(server)) is not None:
            server_cpu = after - server_cpu
        else:
            server_cpu = None
    result.requests = len(latencies)
    if latencies:
        result.client_cpu_ms_per_request = round(1000 * client_cpu / len(latencies), 2)
        if server_cpu is not None:
            result.server_cpu_ms_per_request = round(1000 * server_cpu / len(latencies), 2)
    result.requests_per_s = round(len(latencies) / elapsed, 1)
    result.by_endpoint = dict(sorted(hits.items()))
    if len(latencies) >= 2:
        cuts = statistics.quantiles((1000 * s for s in latencies), n=100, method="inclusive")
        result.p50_ms, result.p95_ms, result.p99_ms = (round(cuts[i], 1) for i in (49, 94, 98))
        result.max_ms = round(1000 * max(latencies), 1)
    return result


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
            result = asyncio.run(load(base, args.clients, args.seconds, args.seed, pid))
    else:
        result = asyncio.run(load(args.url, args.clients, args.seconds, args.seed))
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
        for example in result.error_examples:
            print(f"  error: {example}")
    sys.exit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
