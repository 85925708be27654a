"""Helpers for the reliability tests (crash, full disk, concurrent readers); their session
fixtures are in `reliability_fixtures` (registered in tests/conftest.py).

- `article(n)`, `write_articles(path, count)`: invented reports, a few made-up sentences about
  invented people at real places, varied by n, so each has its own text and its own mix of
  events, quotes, claims and deadlines; nothing comes from a real report;
- `snapshot(url)`, `check_whole(url, backend, clean)`: a ledger's articles, records per article,
  changes and tracked articles; the integrity checks plus "every stored article is whole";
- `start_ingest(url, inputs)`: the real `newsledger ingest` command in a subprocess;
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsledger.store import open_ledger
from newsledger.store.sql import track as track_sql

ARTICLES = 24
RECORD_KINDS = ("events", "quotes", "claims", "deadlines", "entities")
START_S = 120.0  # a run loads the spaCy model first: slow on a busy 2-core machine
SCRIPT = Path(sys.executable).with_name("newsledger")  # the installed command, beside python
NEWSLEDGER = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [sys.executable, "-c", "import newsledger.cli as c; c.main()"]
)


PEOPLE = (
    ("Khalid Nouri al-Hashimi", "the governor of the province"),
    ("Salim Haddad", "a spokesman for the Joint Operations Command"),
    ("Rana Aziz al-Tamimi", "the deputy health minister"),
    ("Omar Faris Jubouri", "a tribal leader"),
    ("Layla Sarraf", "the head of the provincial council"),
)
PLACES = ("Kirkuk", "Mosul", "Tikrit", "Ramadi", "Baiji", "Hawija", "Deir ez-Zor", "Raqqa")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "March", "May", "July", "September", "November")
SENTENCES = (
    "Gunmen attacked an army checkpoint near {place} on {weekday}, killing {n} soldiers.",
    "A roadside bomb exploded on the road to {place} on {weekday}, wounding {n} civilians.",
    '"The situation around {place} is under control and the roads are open," said {person}, '
    "{title}.",
    "{person} said that {big} families had returned to their homes in {place} this month.",
    "{person}, {title}, warned that the attacks would continue unless the patrols were doubled.",
    "The handover of the {place} airbase is scheduled for {month} {year}, {person} said.",
    "Hundreds of residents protested in {place} on {weekday} against the shortage of power.",
    "Officials said the new bridge in {place} would be finished by {month} {year}.",
)


def article(number: int) -> dict[str, str]:
    """The invented report `number` (the same for the same number, every time)."""
    rng = random.Random(number)
    sentences = rng.sample(SENTENCES, rng.randint(3, 6))
    paragraphs = []
    for template in sentences:
        person, title = rng.choice(PEOPLE)
        paragraphs.append(
            template.format(
                place=rng.choice(PLACES),
                weekday=rng.choice(WEEKDAYS),
                n=rng.randint(2, 19),
                big=rng.randint(2, 90) * 100,
                person=person,
                title=title,
                month=rng.choice(MONTHS),
                year=rng.choice((2026, 2027, 2028)),
            )
        )
    paragraphs.append(f"This is report number {number} of the day.")
    day = 1 + number % 28
    return {
        "id": f"gen-{number:04d}",
        "published": f"2025-06-{day:02d}T{number % 24:02d}:15:00",
        "source": rng.choice(("Invented Wire", "Made-up Daily", "Sample Monitor")),
        "title": f"Made-up report {number}",
        "text": "\n\n".join(paragraphs),
    }


def write_articles(path: Path, count: int, first: int = 0) -> Path:
    """A JSON Lines file of the invented reports first .. first + count - 1."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(first, first + count):
            out.write(json.dumps(article(number), ensure_ascii=False) + "\n")
    return path


@dataclass(frozen=True)
class Snapshot:
    articles: tuple[str, ...]  # ids in stored order
    records: dict[str, Counter[str]]  # article id -> kind (and "mentions") -> rows
    changes: tuple[str, ...]  # each change as sorted JSON without its recording time
    tracked: frozenset[str]  # articles tracking has finished with


def snapshot(url: str) -> Snapshot:
    with open_ledger(url) as ledger:
        articles = tuple(row["id"] for row in ledger.iter_rows("articles"))
        records: dict[str, Counter[str]] = {a: Counter() for a in articles}
        for kind in RECORD_KINDS:
            for row in ledger.iter_rows(kind):
                assert row["article_id"] in records, f"{kind} of a missing article: {row}"
                records[row["article_id"]][kind] += 1
                if kind == "entities":
                    records[row["article_id"]]["mentions"] += len(row["mentions"])
        changes = []
        for change in ledger.iter_rows("changes"):
            change.pop("recorded_at")
            assert {change["earlier"]["article"], change["later"]["article"]} <= set(articles)
            changes.append(json.dumps(change, sort_keys=True))
        tracked = frozenset(a for a in articles if ledger.query(track_sql.TRACK_IS_DONE, (a,)))
    return Snapshot(articles, records, tuple(sorted(changes)), tracked)


def check_sqlite_file(url: str) -> None:
    conn = sqlite3.connect(url)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def check_whole(url: str, backend: str, clean: Snapshot) -> Snapshot:
    """The ledger is intact and every article in it is whole; its snapshot."""
    if backend == "sqlite":
        check_sqlite_file(url)
    now = snapshot(url)
    assert len(set(now.articles)) == len(now.articles)
    assert set(now.articles) <= set(clean.articles)
    for article_id in now.articles:
        assert now.records[article_id] == clean.records[article_id], article_id
    return now


def start_ingest(url: str, inputs: Path, *options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, sys.path))}
    return subprocess.Popen(
        [*NEWSLEDGER, "ingest", "--quiet", *options, "--db", url, str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
