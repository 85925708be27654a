"""Crash safety: `newsledger ingest` (a real process) killed with SIGKILL at random points while it
writes, three times, then run once more to the end (in this process, whose model is loaded),
on SQLite and on PostgreSQL, with tracking on.

After every kill the ledger must pass SQLite's `PRAGMA integrity_check` and
`PRAGMA foreign_key_check` (on PostgreSQL: every record's article is there) and hold only whole
articles (each stored article with every record a clean run stores for it). After the last run it
must equal a clean run: every article exactly once, the same records per article, the same
changes flagged and every article tracked.

Seeded: `NEWSLEDGER_CRASH_SEED` (default below) picks when to kill; `NEWSLEDGER_CRASH_KILLS` how
many kills per backend (default 3).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsledger.pipeline.core import Resources
from newsledger.pipeline.ingest import ingest
from newsledger.store import open_ledger
from newsledger.track import load_tracker, tracking
from tests.helpers.reliability import ARTICLES, START_S, Snapshot, check_whole, start_ingest

pytestmark = pytest.mark.slow  # spawns processes

SEED = int(os.environ.get("NEWSLEDGER_CRASH_SEED", "20261123"))
KILLS = int(os.environ.get("NEWSLEDGER_CRASH_KILLS", "3"))


def stored_articles(url: str) -> int:
    with open_ledger(url) as ledger:
        return int(ledger.stats().counts["articles"])


LEFT = 6  # articles the last kill leaves unwritten at least, so no run ends before its kill


def kill_while_writing(url: str, inputs: Path, target: int, pause: float) -> tuple[bool, int]:
    """Start an ingest, wait until it has stored `target` articles in all, then SIGKILL it after
    `pause` seconds (while it writes the next); (whether it was still running, articles seen)."""
    proc = start_ingest(url, inputs)
    deadline = time.monotonic() + START_S
    try:
        while (seen := stored_articles(url)) < target:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended (exit {proc.returncode}) before writing: {out}{err}")
            assert time.monotonic() < deadline, "ingest stored nothing in time"
            time.sleep(0.005)
        time.sleep(pause)
        alive = proc.poll() is None
    finally:
        proc.kill()  # SIGKILL
        proc.communicate()
    return alive, seen


def test_sigkill_during_ingest_then_rerun_loses_nothing(
    backend: str,
    ledger_urls: Callable[[str], str],
    reports: Path,
    resources: Resources,
    clean: tuple[Path, Snapshot],
) -> None:
    expected = clean[1]
    assert len(expected.changes) > 10 and all(sum(c.values()) for c in expected.records.values())
    url = ledger_urls("crashed.db")
    rng = random.Random(f"{SEED}-{backend}")
    survived = []
    before = 0
    for n in range(KILLS):
        # a random number of articles more, spread so the last kill still leaves LEFT unwritten
        room = (ARTICLES - LEFT - before) // (KILLS - n)
        target = before + rng.randint(1, max(1, room))
        alive, seen = kill_while_writing(url, reports, target, rng.uniform(0.0, 0.03))
        now = check_whole(url, backend, expected)
        survived.append((alive, seen, len(now.articles)))
        before = len(now.articles)
        assert before < ARTICLES, f"the run finished before kill {len(survived)}: {survived}"
    assert all(alive for alive, _, _ in survived), survived
    with open_ledger(url) as ledger:  # the last run in this process: its model is loaded
        report = ingest([str(reports)], ledger, resources, track=tracking(ledger, load_tracker()))
    assert (report.stored, report.duplicates) == (ARTICLES - before, before), report.to_dict()
    after = check_whole(url, backend, expected)
    assert after.articles == expected.articles
    assert after.records == expected.records
    assert after.tracked == frozenset(expected.articles), "articles left untracked by a kill"
    lost = sorted(set(expected.changes) - set(after.changes))
    added = sorted(set(after.changes) - set(expected.changes))
    assert after.changes == expected.changes, f"kills {survived}; lost {lost}; added {added}"
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


def test_an_article_is_marked_tracked_only_with_its_changes(
    tmp_path: Path, resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the kill test: tracking marked an article done in one transaction and stored
    its changes in the next, so a kill between them lost the changes for good."""
    from newsledger.store import Ledger
    from newsledger.store.sql import track as track_sql
    from newsledger.track import track_article
    from tests.helpers.reliability import write_articles

    inputs = write_articles(tmp_path / "in.jsonl", 16)
    url = str(tmp_path / "t.db")
    tracker = load_tracker()
    with open_ledger(url) as ledger:
        ingest([str(inputs)], ledger, resources)  # stored, not tracked
        for n in range(15):
            track_article(ledger, f"gen-{n:04d}", tracker)

        def fail(self: Ledger, changes: object) -> int:
            raise RuntimeError("the process dies here")

        with monkeypatch.context() as patched:
            patched.setattr(Ledger, "insert_changes", fail)
            with pytest.raises(RuntimeError, match="dies here"):
                track_article(ledger, "gen-0015", tracker)
        assert not ledger.query(track_sql.TRACK_IS_DONE, ("gen-0015",))
        report = track_article(ledger, "gen-0015", tracker)
    assert report.changes >= 2  # its deadlines against two earlier reports' (see reliability)
