"""The web app under attack: SQL injection in every filter, path traversal on /static, the ingest
token, the request body limit, security headers, CORS, stored strings escaped in pages, and (in
Debian's chromium) scripts stored in articles and records never running on any page."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsledger.pipeline.core import Resources
from newsledger.records import Claim, Deadline, Extraction, Quote
from newsledger.store import open_ledger
from newsledger.store import queries as q
from newsledger.web import app as web_app
from newsledger.web.app import MAX_BODY_BYTES, create_app
from tests.helpers.browser import serve_app
from tests.helpers.web_ledger import article, build_ledger, event, span

INJECTIONS = (
    "' OR 1=1 --",
    '"; DROP TABLE events; --',
    "1'); DELETE FROM articles; SELECT ('",
    "%' OR '%'='",
    "x' UNION SELECT name, name, name FROM sqlite_master --",
)
LISTS = [f"/api/{kind}" for kind in q.LIST_KINDS] + [
    "/api/events.csv",
    "/api/events.geojson",
    "/api/timeline",
    "/api/board/deadlines",
]
FILTERS = ("from", "to", "type", "actor", "place", "bbox", "speaker", "topic", "q", "article")
FILTERS_MORE = (*FILTERS, "kind", "source", "cursor", "limit")
HEADERS = ("x-content-type-options", "content-security-policy", "referrer-policy")
XSS = "<script>alert(1)</script>"


@pytest.fixture()
def ledger(ledger_urls: Callable[[str], str]) -> str:
    url = ledger_urls("web.db")
    build_ledger(url, with_change=True)  # type: ignore[arg-type]
    return url


def counts(url: str) -> dict[str, int]:
    with open_ledger(url) as opened:
        return dict(opened.stats().counts)


def listed(response: Any) -> set[str]:
    """The ids (or the whole rows) a list answer holds."""
    kind = response.headers["content-type"]
    if "csv" in kind:
        return set(response.text.splitlines()[1:])
    body = response.json()
    items = body.get("items") or body.get("features") or body.get("days") or []
    return {str(item.get("id", item)) if isinstance(item, dict) else str(item) for item in items}


def test_sql_injection_in_every_filter_of_every_list(ledger: str) -> None:
    client = TestClient(create_app(ledger))
    before = counts(ledger)
    baseline = {path: listed(client.get(path)) for path in LISTS}
    for path in LISTS:
        for name in FILTERS_MORE:
            for attack in INJECTIONS[:3]:
                response = client.get(path, params={name: attack})
                assert response.status_code in (200, 400, 422), (path, name, attack, response.text)
                if response.status_code == 200:
                    extra = listed(response) - baseline[path]
                    assert not extra, (path, name, attack, extra)
                else:
                    assert "detail" in response.json()
    for ref in ("/api/events/", "/api/quotes/", "/api/articles/", "/api/people/"):
        for attack in INJECTIONS:
            assert client.get(ref + attack.replace("/", " ")).status_code in (400, 404)
    assert counts(ledger) == before, "an injection changed the ledger"


def test_injection_text_is_a_literal_search(ledger: str) -> None:
    """`' OR 1=1 --` matches nothing (it is searched for, not run), while a real word does."""
    client = TestClient(create_app(ledger))
    assert client.get("/api/events", params={"actor": "Islamic"}).json()["items"]
    for name in ("actor", "place", "q", "type", "article"):
        body = client.get("/api/events", params={name: "' OR 1=1 --"}).json()
        assert body["items"] == [], name
    assert client.get("/api/quotes", params={"speaker": "' OR ''='"}).json()["items"] == []


def raw_get(app: FastAPI, path: bytes) -> tuple[int, bytes]:
    """GET `path` exactly as given (no client-side normalisation of ``..``)."""
    messages: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the response is sent
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path.decode("latin-1"),
        "raw_path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, body


def test_static_never_serves_a_file_outside_its_folder(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "ledger.db"))
    status, body = raw_get(app, b"/static/app.js")
    assert status == 200 and body  # the control: a file inside is served
    app_source = Path(web_app.__file__).read_bytes()[:200]
    for path in (
        b"/static/../../../../../../etc/passwd",
        b"/static/../app.py",
        b"/static/%2e%2e/app.py",
        b"/static/%2e%2e%2fapp.py",
        b"/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        b"/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        b"/static//etc/passwd",
        b"/static/vendor/../../app.py",
        b"/static/..\\app.py",
    ):
        status, body = raw_get(app, path)
        assert status in (400, 404), (path, status)
        assert b"root:x:0:0" not in body and app_source not in body, path
    client = TestClient(app)
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py"):
        response = client.get(path)
        assert b"root:x:0:0" not in response.content
        assert "def create_app" not in response.text, path


class Reached(Exception):
    """The ingest endpoint ran (the token was accepted)."""


def reached() -> Resources:
    raise Reached


def test_token_is_compared_in_constant_time_and_required(tmp_path: Path) -> None:
    source = inspect.getsource(web_app)
    assert "hmac.compare_digest(" in source
    assert not re.search(r"(==|!=)\s*token\b|\btoken\s*(==|!=)", source), "plain comparison"
    client = TestClient(create_app(str(tmp_path / "l.db"), token="s3cret", resources=reached))
    article_ = {"text": "Nothing happened."}
    for headers in (
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer s3cre"},
        {"Authorization": "Basic s3cret"},
        {"Authorization": "Bearer S3CRET"},
    ):
        response = client.post("/api/articles", json=article_, headers=headers)
        assert response.status_code in (401, 403), (headers, response.status_code)
    with pytest.raises(Reached):
        client.post("/api/articles", json=article_, headers={"Authorization": "Bearer s3cret"})
    closed = TestClient(create_app(str(tmp_path / "l.db"), resources=reached))
    response = closed.post("/api/articles", json=article_, headers={"Authorization": "Bearer "})
    assert response.status_code == 403


def chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    yield b'{"text": "'
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size
    yield b'"}'


def test_request_body_limit(tmp_path: Path) -> None:
    client = TestClient(create_app(str(tmp_path / "l.db"), token="s3cret", resources=reached))
    auth = {"Authorization": "Bearer s3cret", "Content-Type": "application/json"}
    big = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
    declared = client.post("/api/articles", content=big, headers=auth)
    assert declared.status_code == 413
    assert "too large" in declared.json()["detail"] and "16 MiB" in declared.json()["detail"]
    streamed = client.post("/api/articles", content=chunks(MAX_BODY_BYTES), headers=auth)
    assert streamed.status_code == 413, streamed.text
    assert "too large" in streamed.json()["detail"]
    no_token = client.post("/api/articles", content=chunks(MAX_BODY_BYTES))
    assert no_token.status_code == 413
    with pytest.raises(Reached):  # just under the limit is read
        client.post("/api/articles", content=big[: MAX_BODY_BYTES - 2] + b'"}', headers=auth)


def test_security_headers_everywhere_and_no_cors(ledger: str) -> None:
    client = TestClient(create_app(ledger))
    origin = {"Origin": "https://evil.example"}
    for path in ("/", "/articles/a1", "/api/events", "/static/app.js", "/nowhere", "/api/x"):
        response = client.get(path, headers=origin)
        for header in HEADERS:
            assert header in response.headers, (path, header)
        assert response.headers["x-content-type-options"] == "nosniff"
        framing = response.headers.get("x-frame-options", "").upper() == "DENY"
        assert framing or "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-eval" not in response.headers["content-security-policy"]
        assert not any(h.startswith("access-control-") for h in response.headers), path
    preflight = client.options(
        "/api/articles",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def hostile_extraction() -> Extraction:
    text = f"The envoy {XSS} said: {XSS} would never happen.\n\nNothing else {XSS}."
    sentence = f"The envoy {XSS} said: {XSS} would never happen."
    return Extraction(
        article=article("x1", f"Wire {XSS}", "2025-01-02T03:04:05", f"Title {XSS}", text),
        quotes=(
            Quote(
                speaker=f"Envoy {XSS}",
                speaker_title=f"Minister {XSS}",
                text=f"{XSS} would never happen",
                kind="direct",
                cue="said",
                evidence=span(text, sentence),
            ),
        ),
    )


def test_pages_escape_stored_strings(ledger_urls: Callable[[str], str]) -> None:
    url = ledger_urls("xss.db")
    with open_ledger(url) as opened:
        opened.store(hostile_extraction())
    client = TestClient(create_app(url))
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    person = client.get("/api/people").json()["items"][0]
    assert XSS in str(person)  # stored as given; only the HTML escapes it
    pages = {
        "article": "/articles/x1",
        "person": "/people/" + quote(f"Envoy {XSS}", safe=""),
        "quotes": "/quotes",
        "articles": "/articles",
        "search": f"/quotes?q={XSS}",
    }
    for what, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (what, response.status_code)
        assert "<script>alert" not in response.text, what
        if what != "search":
            assert escaped in response.text, what


# --- in the browser: stored scripts never run ----------------------------------------------------

PAYLOADS = (
    "<script>window.__xss = 1</script>",
    '<img src="x" onerror="window.__xss = 2">',
    '"><svg onload="window.__xss = 3">',
)
HOSTILE = " ".join(PAYLOADS)
TOKEN = "t0ken-for-the-test"
INJECTED = """() => ({
    ran: window.__xss === undefined ? null : window.__xss,
    elements: document.querySelectorAll('img[src="x"], [onerror], [onload]').length,
    inline: [...document.scripts].filter((s) => !s.src).length,
    text: document.body.innerText,
})"""


def hostile_records() -> Extraction:
    """An article whose text, title, source, speaker, event, claim and deadline hold scripts."""
    said = f"{HOSTILE} Salim Haddad said the road to Kirkuk would reopen by May 2026."
    attack = f"Gunmen {HOSTILE} attacked a checkpoint near Kirkuk, killing two guards."
    text = f"{attack}\n\n{said}"
    return Extraction(
        article=article("hx", f"Wire {HOSTILE}", "2025-02-03T04:05:06", f"T {HOSTILE}", text),
        events=(
            event(
                text,
                attack,
                date="2025-02-02",
                type_="Battles",
                sub="Armed clash",
                actor1=f"Gunmen {HOSTILE}",
                location=f"Kirkuk {HOSTILE}",
                admin1="Kirkuk",
                country="Iraq",
                lat=35.4681,
                lon=44.3922,
                fatalities=2,
            ),
        ),
        quotes=(
            Quote(
                f"Salim Haddad {HOSTILE}",
                f"mayor {HOSTILE}",
                said,
                "indirect",
                "said",
                span(text, said),
            ),
        ),
        claims=(Claim(2, f"guards {HOSTILE}", None, f"Haddad {HOSTILE}", span(text, attack)),),
        deadlines=(
            Deadline(
                f"reopening {HOSTILE}",
                "2026-05",
                "month",
                "by",
                f"Haddad {HOSTILE}",
                span(text, said),
            ),
        ),
    )


def test_stored_scripts_never_run_in_the_browser(
    tmp_path: Path, browser: Any, resources: Resources
) -> None:
    db = str(tmp_path / "hostile.db")
    with open_ledger(db) as opened:
        opened.store(hostile_records())
    app = create_app(db, token=TOKEN, resources=lambda: resources)
    with serve_app(app) as base:
        posted = httpx.post(  # through the whole pipeline, as a client of the API would
            f"{base}/api/articles",
            json={"id": "hp", "source": f"Desk {HOSTILE}", "title": f"Piped {HOSTILE}",
                  "text": f'Khalid Nouri al-Hashimi said: "{HOSTILE} we will hold the line." '
                          f"Nothing {HOSTILE} else happened in Mosul on Monday."},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=120,
        )  # fmt: skip
        assert posted.status_code == 201, posted.text
        person = quote(f"Salim Haddad {HOSTILE}", safe="")
        pages = (
            "/", "/articles", "/articles/hx", "/articles/hp", "/quotes", "/quotes?q=script",
            "/people", f"/people/{person}", "/timeline", "/deadlines", "/events/hx-1",
            "/changes", f"/articles?q={quote(HOSTILE)}",
        )  # fmt: skip
        context = browser.new_context()
        dialogs: list[str] = []
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in pages:
                page.goto(base + path)
                if path == "/":
                    page.wait_for_selector("#map[data-loaded=true]")
                    page.click(".ev-marker")  # the popup is built from stored strings too
                    page.wait_for_selector(".leaflet-popup-content")
                found = page.evaluate(INJECTED)
                assert found["ran"] is None, (path, found["ran"])
                assert found["elements"] == 0, path
                assert found["inline"] == 0, path
                if path in ("/articles/hx", "/articles/hp", "/quotes", "/deadlines"):
                    assert "<script>window.__xss = 1</script>" in found["text"], path
        finally:
            context.close()
        assert not dialogs
