"""The review web app and API without a browser: login, sessions, CSRF, roles, tokens,
throttling, private mode, the queue and saves with conflicts (tests/test_review_browser.py walks
the same in chromium)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsledger.review import accounts
from newsledger.store import accounts as store_accounts
from newsledger.store import open_ledger
from newsledger.store.export import export
from newsledger.store.reextract import replace_extraction
from newsledger.web.app import create_app
from tests.helpers.web_ledger import build_ledger, extractions


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "review.db")
    build_ledger(path)  # type: ignore[arg-type]
    return path


def users(db: str) -> dict[str, accounts.Credentials]:
    with open_ledger(db) as ledger:
        return {
            role: accounts.add_user(ledger, f"{role}1", role)
            for role in ("viewer", "reviewer", "admin")
        }


def login(client: TestClient, name: str, password: str) -> str:
    """Log in through the form; the session's CSRF token (from the queue page)."""
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    done = client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf[1], "next": "/review"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    page = client.get("/review")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert token is not None
    return token[1]


ACCEPT = {"action": "accept", "version": 0}


def test_writes_need_a_reviewer_with_csrf_or_token(db: str) -> None:
    closed = TestClient(create_app(db))
    assert closed.post("/api/review/events/a1-1", json=ACCEPT).status_code == 403
    made = users(db)
    client = TestClient(create_app(db))
    # anonymous: no session, no token
    assert client.post("/api/review/events/a1-1", json=ACCEPT).status_code == 401
    # a viewer's token reads but cannot write
    viewer = {"Authorization": f"Bearer {made['viewer'].token}"}
    assert client.get("/api/review/queue", headers=viewer).status_code == 200
    refused = client.post("/api/review/events/a1-1", json=ACCEPT, headers=viewer)
    assert refused.status_code == 403 and "viewer" in refused.json()["detail"]
    # a reviewer's session without the CSRF token is refused; with it, the save is recorded
    csrf = login(client, "reviewer1", made["reviewer"].password)
    assert client.post("/api/review/events/a1-1", json=ACCEPT).status_code == 403
    bad = client.post("/api/review/events/a1-1", json=ACCEPT, headers={"X-CSRF-Token": "x" + csrf})
    assert bad.status_code == 403
    ok = client.post("/api/review/events/a1-1", json=ACCEPT, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text
    item = ok.json()["item"]
    assert (item["review_status"], item["reviewed_by"]) == ("accepted", "reviewer1")
    # the second saver from version 0 gets both versions
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}
    late = client.post(
        "/api/review/events/a1-1", json=ACCEPT | {"action": "reject"}, headers=reviewer
    )
    assert late.status_code == 409
    body = late.json()
    assert body["theirs"]["review_status"] == "accepted" and body["yours"]["action"] == "reject"
    # the API lists carry the review, and ?status= filters by it
    listed = client.get("/api/events", params={"status": "accepted"}).json()["items"]
    assert [i["id"] for i in listed] == ["a1-1"] and listed[0]["reviewed_by"] == "reviewer1"
    assert client.get("/api/events", params={"status": "maybe"}).status_code == 400
    # the operator's $NEWSLEDGER_TOKEN is an admin token
    operator = TestClient(create_app(db, token="s3cret"))
    done = operator.post(
        "/api/review/events/a1-2", json=ACCEPT, headers={"Authorization": "Bearer s3cret"}
    )
    assert done.status_code == 200 and done.json()["item"]["reviewed_by"] == "operator"
    # logging out ends the session
    page = client.get("/review")
    out = re.search(r'action="/logout".*?name="csrf" value="([^"]+)"', page.text, re.S)
    assert out is not None
    assert client.post("/logout", data={"csrf": out[1]}, follow_redirects=False).status_code == 303
    assert client.get("/api/me").status_code == 401


def test_disabled_token_stops_and_logins_are_throttled(db: str) -> None:
    made = users(db)
    client = TestClient(create_app(db))
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}
    assert client.get("/api/me", headers=reviewer).json()["role"] == "reviewer"
    with open_ledger(db) as ledger:
        store_accounts.set_disabled(ledger, "reviewer1")
    assert client.get("/api/me", headers=reviewer).status_code == 401
    assert client.post("/api/review/events/a1-1", json=ACCEPT, headers=reviewer).status_code == 401
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    wrong = {"name": "admin1", "password": "nope", "csrf": csrf[1]}
    codes = [client.post("/login", data=wrong).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    right = wrong | {"password": made["admin"].password}
    throttled = client.post("/login", data=right, follow_redirects=False)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    with open_ledger(db) as ledger:
        logged = [(line["account"], line["action"]) for line in store_accounts.audit_log(ledger, 6)]
    assert logged == [("admin1", "login failed")] * 5 + [("(command line)", "user disable")]
    # a login form posted without its CSRF cookie pair is refused
    fresh = TestClient(create_app(db))
    forged = fresh.post("/login", data=right | {"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403


def test_private_app_needs_a_login_to_read(db: str) -> None:
    made = users(db)
    client = TestClient(create_app(db, private=True))
    assert client.get("/api/events").status_code == 401
    page = client.get("/quotes", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    viewer = {"Authorization": f"Bearer {made['viewer'].token}"}
    assert client.get("/api/events", headers=viewer).status_code == 200
    open_app = TestClient(create_app(db))
    assert open_app.get("/api/events").status_code == 200


def test_queue_page_lists_keys_counter_and_evidence(db: str) -> None:
    made = users(db)
    client = TestClient(create_app(db))
    page = client.get("/review")
    assert page.status_code == 200
    assert "events left" in page.text and "<kbd>a</kbd>" in page.text
    assert 'class="hl hl-review sel"' in page.text
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}
    first = client.get("/api/review/queue", params={"limit": 50}).json()
    assert first["left"] == len(first["items"]) > 1
    confidences = [i["confidence"] for i in first["items"]]
    assert confidences == sorted(confidences)
    ref = first["items"][0]["id"]
    correct = {
        "action": "correct",
        "version": 0,
        "changes": {"event_type": "Battles", "sub_event_type": "Grenade"},
    }
    wrong = client.post(f"/api/review/events/{ref}", json=correct, headers=reviewer)
    assert wrong.status_code == 422 and "not a sub-type of Battles" in wrong.json()["detail"]
    correct["changes"] = {"fatalities": "7", "location": "Hawija", "latitude": "35.33"}
    done = client.post(f"/api/review/events/{ref}", json=correct, headers=reviewer)
    assert done.status_code == 200, done.text
    assert done.json()["item"]["fatalities"] == 7
    after = client.get("/api/review/queue", params={"limit": 50}).json()
    assert after["left"] == first["left"] - 1
    history = client.get(f"/api/review/events/{ref}/history").json()["history"]
    assert history[0]["status"] == "corrected"
    assert {c["field"] for c in history[0]["changes"]} == {"fatalities", "location", "latitude"}
    undone = client.post(f"/api/review/events/{ref}/undo", json={}, headers=reviewer)
    assert undone.status_code == 200 and undone.json()["item"]["review_status"] == "unreviewed"
    record = client.get(f"/review/events/{ref}")
    assert record.status_code == 200 and "undoes v1" in record.text
    assert client.get("/review", params={"kind": "quotes", "country": "Iraq"}).status_code == 400


def test_merge_and_split_events(db: str) -> None:
    made = users(db)
    client = TestClient(create_app(db))
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}

    def save(ref: str, body: dict[str, object]) -> Any:
        return client.post(f"/api/review/events/{ref}", json=body, headers=reviewer)

    assert save("a1-1", ACCEPT).status_code == 200
    merge = {"action": "correct", "version": 0, "changes": {"same_as": "a1-1"}}
    assert "itself" in save("a1-1", merge | {"version": 1}).json()["detail"]
    assert (
        "no such event" in save("b2-1", merge | {"changes": {"same_as": "zz-9"}}).json()["detail"]
    )
    merged = save("b2-1", merge)
    assert merged.status_code == 200 and merged.json()["item"]["same_as"] == "a1-1"
    chained = save("b2-2", merge | {"changes": {"same_as": "b2-1"}})
    assert "merge into that one" in chained.json()["detail"]
    published = client.get("/api/events", params={"status": "reviewed"}).json()["items"]
    assert {i["id"] for i in published} == {"a1-1", "b2-1"}
    with open_ledger(db) as ledger:
        out = io.StringIO()
        export(ledger, "events", "jsonl", out, reviewed_only=True)
        assert [json.loads(line)["ordinal"] for line in out.getvalue().splitlines()] == [0]
    split = save("b2-1", {"action": "correct", "version": 1, "changes": {"same_as": ""}})
    assert split.status_code == 200 and split.json()["item"]["same_as"] is None
    with open_ledger(db) as ledger:
        out = io.StringIO()
        assert export(ledger, "events", "jsonl", out, reviewed_only=True) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_date": "2024-13-01"}, "give a real date as YYYY-MM-DD"),
        ({"latitude": "95"}, "from -90.0 to 90.0"),
        ({"geo_precision": "4"}, "choose one of 1, 2, 3"),
        ({"fatalities": "many"}, "give a number"),
        ({"notes": ""}, "notes cannot be empty"),
        ({"confidence": "1"}, "no editable field 'confidence'"),
        ({"actor1": "Islamic State (Iraq)"}, "nothing was changed"),
    ],
)
def test_corrections_are_checked(db: str, changes: dict[str, str], message: str) -> None:
    made = users(db)
    client = TestClient(create_app(db))
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}
    body = {"action": "correct", "version": 0, "changes": changes}
    refused = client.post("/api/review/events/a1-1", json=body, headers=reviewer)
    assert refused.status_code == 422 and message in refused.json()["detail"]
    assert client.get("/api/events/a1-1").json()["event"]["review_status"] == "unreviewed"


def test_edit_suggestions_actors_and_gazetteer_places(db: str) -> None:
    client = TestClient(create_app(db))
    actors = client.get("/api/review/suggest/actors", params={"q": "islamic"}).json()
    assert actors[0] == "Islamic State (Iraq)"
    places = client.get("/api/review/suggest/places", params={"q": "Kirkuk"}).json()
    kirkuk = places[0]
    assert (kirkuk["name"], kirkuk["country"], kirkuk["geo_precision"]) == ("Kirkuk", "Iraq", 1)
    assert abs(kirkuk["latitude"] - 35.47) < 0.1 and abs(kirkuk["longitude"] - 44.39) < 0.1
    assert client.get("/api/review/suggest/places", params={"q": "K"}).status_code == 422


def test_reviews_to_look_at_again_after_reextraction(db: str) -> None:
    made = users(db)
    client = TestClient(create_app(db))
    reviewer = {"Authorization": f"Bearer {made['reviewer'].token}"}
    fix = {"action": "correct", "version": 0, "changes": {"speaker": "Someone Else"}}
    assert client.post("/api/review/quotes/a1-1", json=fix, headers=reviewer).status_code == 200
    a1 = extractions()[0]
    with open_ledger(db) as ledger:
        carried = replace_extraction(ledger, replace(a1, quotes=()), "a1")  # the quote is gone
    (gone,) = carried.rereview
    again = client.get("/api/review/again").json()
    assert again == [{"kind": "quotes", "id": gone["id"], "why": gone["why"], "gone": True}]
    assert gone["id"] in client.get("/review").text
    page = client.get(f"/review/quotes/{gone['id']}")
    assert page.status_code == 200 and "Someone Else" in page.text and 'id="gone"' in page.text
    history = client.get(f"/api/review/quotes/{gone['id']}/history").json()
    assert history["item"] is None and history["history"][0]["status"] == "corrected"
    assert client.post(f"/api/review/quotes/{gone['id']}/dismiss").status_code == 401
    done = client.post(f"/api/review/quotes/{gone['id']}/dismiss", headers=reviewer)
    assert done.status_code == 200 and client.get("/api/review/again").json() == []
    saves = client.get(f"/api/review/quotes/{gone['id']}/history").json()["history"]
    assert saves[-1]["note"].startswith("seen after re-extraction")
    again = client.post(f"/api/review/quotes/{gone['id']}/dismiss", headers=reviewer)
    assert again.status_code == 422
