"""Benchmark the briefing (`newsledger report`) on the synthetic ledger of bench_web.py (not a
timed test).

    .venv/bin/python scripts/bench_report.py [--events 1000000] [--db /tmp/newsledger-bench-1m.db]
                                             [--country Iraq] [--month 2024-06] [--runs 5]
                                             [--format text|json]

Builds the ledger with bench_web.py's `build` when the file does not exist (minutes for a
million events), then times the briefing of one country over one month (with the month before
for comparison), `--runs` times: reading the records (report.data.gather, through the store's
event list and its indexes), the figures (report.figures.build), and the HTML file
(report.render.to_html, charts and map drawn; the templates compiled and the world outlines read
once, as the web app does: a one-off command adds about 0.3 s for them); the median and the
slowest of each. The target (issue 15): the HTML of a month of one country under 2 s on
1,000,000 events.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_web.py beside this script

import bench_web

from newsledger.report import maps, render
from newsledger.report.data import gather
from newsledger.report.figures import build
from newsledger.report.period import Request
from newsledger.store import open_ledger


def month_range(month: str) -> tuple[str, str]:
    first = date.fromisoformat(f"{month}-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first.isoformat(), last.isoformat()


def bench(db: Path, country: str, month: str, runs: int) -> dict[str, Any]:
    start, end = month_range(month)
    request = Request(start, end, country=country)
    times: dict[str, list[float]] = {"gather": [], "figures": [], "html": [], "total": []}
    sizes: dict[str, int] = {}
    env, world = render.environment(), maps.load_world()  # once, as the web app does
    with open_ledger(db) as ledger:
        for _ in range(runs):
            t0 = time.perf_counter()
            data = gather(ledger, request, date.today())
            t1 = time.perf_counter()
            b = build(data, datetime.now(UTC).isoformat(timespec="minutes"))
            t2 = time.perf_counter()
            html = render.to_html(b, env=env, world=world)
            t3 = time.perf_counter()
            for name, value in (
                ("gather", t1 - t0),
                ("figures", t2 - t1),
                ("html", t3 - t2),
                ("total", t3 - t0),
            ):
                times[name].append(value)
            sizes = {
                "events": len(data.events),
                "previous_events": len(data.previous_events),
                "quotes": len(data.quotes),
                "articles_cited": len(b["sources"]),
                "html_bytes": len(html.encode("utf-8")),
            }
    return {
        "ledger": str(db),
        "country": country,
        "period": [start, end],
        "runs": runs,
        "sizes": sizes,
        "seconds": {
            k: {"median": round(statistics.median(v), 3), "max": round(max(v), 3)}
            for k, v in times.items()
        },
    }


def text(result: dict[str, Any]) -> str:
    lines = [
        f"briefing of {result['country']} {result['period'][0]} to {result['period'][1]} on "
        f"{result['ledger']} ({result['runs']} runs)",
        "  " + ", ".join(f"{k} {v:,}" for k, v in result["sizes"].items()),
    ]
    for name, s in result["seconds"].items():
        lines.append(f"  {name:8} median {s['median']:.3f} s, slowest {s['max']:.3f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/newsledger-bench-1m.db"))
    parser.add_argument("--country", default="Iraq")
    parser.add_argument("--month", default="2024-06", help="YYYY-MM (bench_web: 2017 to 2025)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        articles = bench_web.build(args.db, bench_web.towns(), args.events)
        print(
            f"built {args.events} events in {articles} articles in "
            f"{time.perf_counter() - started:.1f} s: {args.db}",
            file=sys.stderr,
        )
    result = bench(args.db, args.country, args.month, args.runs)
    print(json.dumps(result, indent=2) if args.format == "json" else text(result))


if __name__ == "__main__":
    main()
