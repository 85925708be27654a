"""Benchmark the web app on a synthetic ledger of 100,000 events (not a timed test).

    .venv/bin/python scripts/bench_web.py [--events 100000] [--db /tmp/bench.db] [--queries 200]

Builds the ledger once (reused when the file exists), then times with FastAPI's TestClient:
the map page and the event list page (first render, server side), and filtered API queries
(p50 / p95 over --queries requests with random filters).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from newsledger.records import Article, Event, Extraction, Span
from newsledger.store import open_ledger
from newsledger.web.app import create_app

PLACES = [
    ("Kirkuk", "Kirkuk", "Iraq", 35.4681, 44.3922),
    ("Mosul", "Nineveh", "Iraq", 36.335, 43.1189),
    ("Baghdad", "Baghdad", "Iraq", 33.3152, 44.3661),
    ("Tikrit", "Salah al-Din", "Iraq", 34.6071, 43.6782),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", 35.3359, 40.1408),
    ("Raqqa", "Ar-Raqqa", "Syria", 35.9528, 39.0079),
    ("Hasakah", "Al-Hasakah", "Syria", 36.5024, 40.7477),
    ("Palmyra", "Homs", "Syria", 34.5503, 38.2691),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Arrests"),
]
ACTORS = [
    "Islamic State (Iraq)",
    "Islamic State (Syria)",
    "SDF: Syrian Democratic Forces",
    "Military Forces of Iraq (2022-)",
    "Popular Mobilization Forces",
]
PER_ARTICLE = 10


def build(path: Path, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open_ledger(path) as ledger:
        for a in range(events // PER_ARTICLE):
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            sentences, records = [], []
            offset = 0
            for _ in range(PER_ARTICLE):
                place = rng.choice(PLACES)
                type_, sub = rng.choice(TYPES)
                actor = rng.choice(ACTORS)
                text = f"{actor} were involved in {type_.lower()} near {place[0]} on {day}."
                span = Span(offset, offset + len(text), text)
                offset += len(text) + 1
                sentences.append(text)
                records.append(
                    Event(
                        event_date=day,
                        time_precision=1,
                        event_type=type_,
                        sub_event_type=sub,
                        actor1=actor,
                        assoc_actor_1=None,
                        actor2=rng.choice(ACTORS),
                        assoc_actor_2=None,
                        location=place[0],
                        admin1=place[1],
                        admin2=None,
                        country=place[2],
                        latitude=place[3] + rng.uniform(-0.3, 0.3),
                        longitude=place[4] + rng.uniform(-0.3, 0.3),
                        geo_precision=1,
                        fatalities=rng.choice([0, 0, 0, 1, 2, 5, 12]),
                        notes=text,
                        evidence=span,
                        confidence=0.7,
                    )
                )
            body = " ".join(sentences)
            article = Article(
                id=f"bench{a}",
                source=rng.choice(["Levant Monitor", "Syria Desk"]),
                published=f"{day}T12:00:00",
                url=None,
                title=f"Report {a}",
                text=body,
                raw_text=body,
            )
            ledger.store(Extraction(article=article, events=tuple(records)))


def timed(client: TestClient, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/newsledger-bench.db"))
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        build(args.db, args.events)
        print(f"built {args.events} events in {time.perf_counter() - started:.1f} s: {args.db}")
    client = TestClient(create_app(str(args.db)))
    timed(client, "/api/events?limit=1")  # open the thread's connection, warm the cache
    for name, url in [
        ("map page /", "/"),
        ("map markers (2000) geojson", "/api/events.geojson?limit=2000"),
        ("timeline page", "/timeline"),
        ("event list /api/events", "/api/events"),
    ]:
        runs = [timed(client, url) for _ in range(5)]
        print(
            f"{name:32s} first {runs[0] * 1000:7.1f} ms, "
            f"median {statistics.median(runs) * 1000:7.1f} ms"
        )
    rng = random.Random(1)
    samples = []
    for _ in range(args.queries):
        month = rng.randint(1, 12)
        filters = [f"from=2024-{month:02d}-01", f"to=2024-{month:02d}-28"]
        filters.append(
            rng.choice(
                [
                    f"type={TYPES[rng.randrange(5)][0]}",
                    f"actor={rng.choice(['islamic', 'SDF', 'popular'])}",
                    f"place={rng.choice(PLACES)[0]}",
                    "bbox=43,35,45,36.5",
                    "q=clash",
                ]
            )
        )
        samples.append(timed(client, "/api/events?" + "&".join(filters).replace(" ", "%20")))
    samples.sort()
    p50 = samples[len(samples) // 2] * 1000
    p95 = samples[int(len(samples) * 0.95) - 1] * 1000
    print(
        f"filtered /api/events x{len(samples)}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {samples[-1] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
