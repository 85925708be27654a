"""Crash safety: `newsledger ingest` (a real process) killed with SIGKILL at random points while it
writes, then run again until it finishes, on SQLite and on PostgreSQL, with tracking on.

After every kill the ledger must pass SQLite's `PRAGMA integrity_check` and
`PRAGMA foreign_key_check` (on PostgreSQL: every record's article is there) and hold only whole
articles (each stored article with every record a clean run stores for it). After the last run it
must equal a clean run: every article exactly once, the same records per article, the same
changes flagged and every article tracked.

Seeded: `NEWSLEDGER_CRASH_SEED` (default below) picks when to kill; `NEWSLEDGER_CRASH_KILLS` how
many kills per backend (default 3).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generated_articles import write_articles
from newsledger.pipeline import ingest, load_resources
from newsledger.store import open_ledger, sql
from newsledger.track import load_tracker

pytest_plugins = ("pg",)

SEED = int(os.environ.get("NEWSLEDGER_CRASH_SEED", "20261123"))
KILLS = int(os.environ.get("NEWSLEDGER_CRASH_KILLS", "3"))
ARTICLES = 24
RECORD_KINDS = ("events", "quotes", "claims", "deadlines", "entities")
START_S = 120.0  # a run loads the spaCy model first: slow on a busy 2-core machine
SCRIPT = Path(sys.executable).with_name("newsledger")  # the installed command, beside python
NEWSLEDGER = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [sys.executable, "-c", "import newsledger.cli as c; c.main()"]
)


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
        tracked = frozenset(a for a in articles if ledger.track_query(sql.TRACK_IS_DONE, (a,)))
    return Snapshot(articles, records, tuple(sorted(changes)), tracked)


def check_sqlite_file(url: str) -> None:
    conn = sqlite3.connect(url)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("crash") / "reports.jsonl", ARTICLES)


@pytest.fixture(scope="module")
def clean(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Snapshot]:
    """A clean run (in this process, SQLite): its ledger file and snapshot. PostgreSQL stores
    and tracks the same articles the same way, so one clean run serves both backends."""
    path = tmp_path_factory.mktemp("clean") / "clean.db"
    with open_ledger(path) as ledger:
        report = ingest([str(inputs)], ledger, load_resources(), tracker=load_tracker())
    assert report.stored == ARTICLES and report.ok, report.to_dict()
    return path, snapshot(str(path))


def start_ingest(url: str, inputs: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, sys.path))}
    return subprocess.Popen(
        [*NEWSLEDGER, "ingest", "--quiet", "--db", url, str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stored_articles(url: str) -> int:
    with open_ledger(url) as ledger:
        return int(ledger.stats().counts["articles"])


def kill_while_writing(url: str, inputs: Path, rng: random.Random, before: int) -> tuple[bool, int]:
    """Start an ingest, wait until it has stored an article more, then SIGKILL it after a random
    pause; (whether it was still running when killed, articles stored before the pause)."""
    proc = start_ingest(url, inputs)
    deadline = time.monotonic() + START_S
    try:
        while (seen := stored_articles(url)) <= before:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended (exit {proc.returncode}) before writing: {out}{err}")
            assert time.monotonic() < deadline, "ingest stored nothing in time"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.5))
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    return alive, seen


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


def test_sigkill_during_ingest_then_rerun_loses_nothing(
    backend: str,
    ledger_urls: Callable[[str], str],
    inputs: Path,
    clean: tuple[Path, Snapshot],
) -> None:
    expected = clean[1]
    assert len(expected.changes) > 10 and all(sum(c.values()) for c in expected.records.values())
    url = ledger_urls("crashed.db")
    rng = random.Random(f"{SEED}-{backend}")
    survived = []
    before = 0
    for _ in range(KILLS):
        alive, seen = kill_while_writing(url, inputs, rng, before)
        now = check_whole(url, backend, expected)
        survived.append((alive, seen, len(now.articles)))
        before = len(now.articles)
        assert before < ARTICLES, f"the run finished before kill {len(survived)}: {survived}"
    assert all(alive for alive, _, _ in survived), survived
    final = start_ingest(url, inputs)
    out, err = final.communicate(timeout=START_S + 120)
    assert final.returncode == 0, err
    assert f"stored {ARTICLES - before}, already there {before}, rejected 0" in out, out
    after = check_whole(url, backend, expected)
    assert after.articles == expected.articles
    assert after.records == expected.records
    assert after.tracked == frozenset(expected.articles), "articles left untracked by a kill"
    assert after.changes == expected.changes
    print(f"{backend}: {len(survived)} kills survived (stored when killed: {survived})")


def test_check_notices_a_partial_article(tmp_path: Path, clean: tuple[Path, Snapshot]) -> None:
    """The control: an article missing one record fails the whole-article check."""
    url = str(shutil.copy(clean[0], tmp_path / "partial.db"))
    conn = sqlite3.connect(url)
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (clean[1].articles[0],))
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError):
        check_whole(url, "sqlite", clean[1])
