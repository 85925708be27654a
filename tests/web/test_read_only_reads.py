"""The server reads through read-only connections: every page and API read opens the ledger
read-only (`open_ledger(..., read_only=True)`), and only logins, reviews and ingest open one
that writes; a review saved through the writer is read back by the readers at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsledger.review import accounts
from newsledger.store import Ledger, open_ledger
from newsledger.web import app as web_app
from tests.helpers.web_ledger import build_ledger

READS = (
    "/api/events",
    "/api/events/a1-1",
    "/api/articles/a1",
    "/api/quotes",
    "/api/people",
    "/api/places",
    "/api/timeline",
    "/api/board/deadlines",
    "/api/events.csv",
    "/api/events.geojson",
    "/",
    "/articles/a1",
    "/timeline",
)


@pytest.fixture()
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Ledger]:
    """Every ledger the app opens, in order."""
    seen: list[Ledger] = []

    def spy(url: str, **options: Any) -> Ledger:
        ledger = open_ledger(url, **options)
        seen.append(ledger)
        return ledger

    monkeypatch.setattr(web_app, "open_ledger", spy)
    return seen


def test_pages_and_api_reads_open_the_ledger_read_only(
    tmp_path: Path, opened: list[Ledger]
) -> None:
    db = tmp_path / "l.db"
    build_ledger(db, with_change=True)
    client = TestClient(web_app.create_app(str(db)))
    checked = len(opened)  # create_app's own check, which may migrate: a writer
    for path in READS:
        assert client.get(path).status_code == 200, path
    readers = opened[checked:]
    assert readers, "no ledger was opened for the reads"
    assert all(ledger.read_only for ledger in readers)


def test_writes_go_through_a_writer_and_readers_see_them(
    tmp_path: Path, opened: list[Ledger]
) -> None:
    db = tmp_path / "l.db"
    build_ledger(db)
    with open_ledger(db) as ledger:
        admin = accounts.add_user(ledger, "admin1", "admin")
    client = TestClient(web_app.create_app(str(db)))
    token = {"Authorization": f"Bearer {admin.token}"}
    saved = client.post(
        "/api/review/events/a1-1", json={"action": "reject", "version": 0}, headers=token
    )
    assert saved.status_code == 200, saved.text
    assert any(not ledger.read_only for ledger in opened[1:])
    event = client.get("/api/events/a1-1").json()["event"]
    assert event["review_status"] == "rejected"


def test_who_a_token_belongs_to_is_read_through_the_read_only_connection(
    tmp_path: Path, opened: list[Ledger]
) -> None:
    """A logged-in reader's every request looks its token or session up: that needs no writer
    (a second connection in every thread: twice the connections on PostgreSQL)."""
    db = tmp_path / "l.db"
    build_ledger(db)
    with open_ledger(db) as ledger:
        viewer = accounts.add_user(ledger, "viewer1", "viewer")
    client = TestClient(web_app.create_app(str(db), private=True))
    checked = len(opened)
    token = {"Authorization": f"Bearer {viewer.token}"}
    assert client.get("/api/events").status_code == 401  # private: the lookup found no one
    for path in ("/api/events", "/api/articles/a1", "/"):
        assert client.get(path, headers=token).status_code == 200, path
    assert opened[checked:] and all(ledger.read_only for ledger in opened[checked:])
