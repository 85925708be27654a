"""Readers while a writer writes (SQLite WAL): the web app, served on loopback, is asked again
and again for the article list and each article's records while `newsledger ingest` (another
process) stores invented reports. Every article a reader sees must already have every record a
clean run stores for it, when it first shows and at the end: a reader never sees half an
article."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsledger.store import open_ledger
from newsledger.web.app import create_app
from tests.helpers.browser import serve_app
from tests.helpers.reliability import ARTICLES, START_S, Snapshot, start_ingest

pytestmark = pytest.mark.slow  # spawns processes


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """An empty SQLite ledger and the base URL of the web app serving it (uvicorn, a thread)."""
    db = tmp_path / "ledger.db"
    open_ledger(db).close()
    with serve_app(create_app(str(db))) as base:
        yield db, base


def counts(view: dict[str, Any]) -> Counter[str]:
    """Records of each kind in an /api/articles/{id} answer (as `reliability.snapshot` counts)."""
    records = view["records"]
    found = Counter({kind: len(records[kind]) for kind in records if records[kind]})
    mentions = sum(len(entity["mentions"]) for entity in records["entities"])
    if mentions:
        found["mentions"] = mentions
    return found


def test_readers_never_see_half_an_article(
    served: tuple[Path, str], reports: Path, clean: tuple[Path, Snapshot]
) -> None:
    db, base = served
    expected = clean[1].records
    writer = start_ingest(str(db), reports)
    seen_counts: list[int] = []
    whole: set[str] = set()
    with httpx.Client(base_url=base, timeout=30) as client:
        deadline = time.monotonic() + START_S + 120
        while True:
            running = writer.poll() is None
            listed = client.get("/api/articles", params={"limit": 100})
            assert listed.status_code == 200, listed.text
            ids = [item["id"] for item in listed.json()["items"]]
            seen_counts.append(len(ids))
            # an article is checked as soon as it shows: half stored, it would show half
            for article_id in (a for a in ids if a not in whole or not running):
                view = client.get(f"/api/articles/{article_id}")
                assert view.status_code == 200, view.text
                assert counts(view.json()) == expected[article_id], article_id
                whole.add(article_id)
            if not running:
                break
            assert time.monotonic() < deadline, "ingest did not finish in time"
            time.sleep(0.02)
    _, err = writer.communicate()
    assert writer.returncode == 0, err
    assert seen_counts[-1] == ARTICLES
    during = sorted(set(seen_counts[:-1]) - {0, ARTICLES})
    assert len(during) >= 3, f"the readers saw too little of the writing: {seen_counts}"
    print(f"{len(seen_counts)} reads while ingest wrote, all whole; article counts seen: {during}")


def test_counts_notice_a_partial_article(tmp_path: Path, clean: tuple[Path, Snapshot]) -> None:
    """The control: the same comparison fails for an article missing its quotes."""
    db = Path(shutil.copy(clean[0], tmp_path / "partial.db"))
    article_id = next(a for a, found in clean[1].records.items() if found["quotes"])
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    conn.commit()
    conn.close()
    view = TestClient(create_app(str(db))).get(f"/api/articles/{article_id}").json()
    assert counts(view) != clean[1].records[article_id]
    assert counts(view) == clean[1].records[article_id] - Counter(quotes=99)
