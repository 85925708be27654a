"""`newsledger watch` against real servers on 127.0.0.1: a news site (feeds, a sitemap, pages,
robots.txt, 304s, 500s, a slow page, a huge page, a redirect loop), a webhook receiver and an
SMTP server (aiosmtpd). The articles are invented; the spaCy pipeline loads once for the module.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsledger.cli import main
from newsledger.pipeline.core import Resources, extract_articles, load_resources
from newsledger.records import Extraction
from newsledger.store import Ledger, open_ledger
from newsledger.track import load_tracker
from newsledger.watch import state
from newsledger.watch.config import WatchConfig, load_config
from newsledger.watch.fetch import Fetcher
from newsledger.watch.run import Watcher, backoff
from newsledger.web.app import create_app

START = 1_773_144_000.0  # 2026-03-10 12:00:00 UTC
AIRSTRIKE = (
    "Iraqi F-16 jets struck an Islamic State hideout near Hawija in Kirkuk governorate on Sunday, "
    "killing four militants, the Joint Operations Command said.",
    "Defence Minister Khalid Nouri al-Hashimi said the withdrawal of coalition forces from Iraq "
    "would be completed by September 2026.",
    "Farmers in the nearby villages said the strike was heard before dawn.",
)
DEADLINE_MOVED = (
    "Defence Minister Khalid Nouri al-Hashimi said on Sunday that the withdrawal of coalition "
    "forces from Iraq would be completed by the end of 2027.",
    "Salim Haddad, a member of parliament, said lawmakers would debate the timetable next week.",
)
MARKET = (
    "Traders in Basra said the price of flour rose by a fifth in February.",
    "Salim Haddad said the provincial council would discuss subsidies next month.",
)
FLAKY = (
    "Police in Mosul said a roadside bomb wounded two soldiers on the old bridge road on Friday.",
    "The governor ordered the road closed until engineers had checked it.",
)
SITEMAP_PAGE = (
    "The Ministry of Water Resources said on Monday that the Mosul dam reservoir had risen "
    "after heavy rain in the north.",
    "Engineers said the level remained within safe limits.",
)


def page(title: str, published: str, paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><title>{title}</title><meta property="article:published_time" '
        f'content="{published}"></head><body><nav><a href="/">Home</a></nav><article>{body}'
        "</article><footer>Tigris Wire</footer></body></html>"
    ).encode()


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """items: (title, link, RFC 822 date, description or "")."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<description>{desc}</description></item>"
        for t, link, d, desc in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>http://example.org/</link>{entries}</channel></rss>"
    ).encode()


@dataclass
class Site:
    """What the news server serves; tests change it between cycles."""

    base: str = ""
    flaky_failures: int = 1  # /news/flaky.html answers 500 this many times, then the page
    down: bool = True  # /down.xml answers 500 while this is set
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.hits if p == path)

    def respond(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.hits.append((path, headers))
        b = self.base
        if path == "/robots.txt":
            return 200, {}, b"User-agent: *\nDisallow: /private/\n"
        if path == "/news.xml":
            etag = '"news-1"'
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            feed = rss(
                "Tigris Wire",
                [
                    (
                        "Airstrike in Hawija",
                        f"{b}/news/1.html",
                        "Mon, 02 Mar 2026 08:00:00 GMT",
                        "",
                    ),
                    ("Timetable", f"{b}/news/2.html", "Mon, 09 Mar 2026 08:00:00 GMT", ""),
                    ("Bridge road", f"{b}/news/flaky.html", "Fri, 06 Mar 2026 08:00:00 GMT", ""),
                    ("Private", f"{b}/private/x.html", "Fri, 06 Mar 2026 08:00:00 GMT", ""),
                ],
            )
            return 200, {"ETag": etag, "Content-Type": "application/rss+xml"}, feed
        if path == "/wire.xml":
            text = " ".join(MARKET)
            feed = rss(
                "Basra Ledger",
                [("Flour prices", f"{b}/wire/flour", "Sat, 07 Mar 2026 09:00:00 GMT", text)],
            )
            return 200, {"Last-Modified": "Sat, 07 Mar 2026 09:00:00 GMT"}, feed
        if path == "/down.xml":
            if self.down:
                return 500, {}, b"internal error"
            return 200, {}, rss("Down", [])
        if path == "/sitemap.xml":
            locs = "".join(
                f"<url><loc>{b}{p}</loc></url>"
                for p in ("/news/3.html", "/slow.html", "/huge.html", "/loop")
            )
            sitemap = (
                '<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            )
            return 200, {}, sitemap.encode()
        if path == "/news/1.html":
            return 200, {}, page("Airstrike in Hawija", "2026-03-02", AIRSTRIKE)
        if path == "/news/2.html":
            return 200, {}, page("Timetable", "2026-03-09", DEADLINE_MOVED)
        if path == "/news/3.html":
            return 200, {}, page("Dam level", "2026-03-03", SITEMAP_PAGE)
        if path == "/news/flaky.html":
            if self.flaky_failures > 0:
                self.flaky_failures -= 1
                return 500, {}, b"try later"
            return 200, {}, page("Bridge road", "2026-03-06", FLAKY)
        if path == "/slow.html":
            time.sleep(1.5)
            return 200, {}, page("Slow", "2026-03-06", FLAKY)
        if path == "/huge.html":
            return 200, {}, b"<html><body><p>" + b"x" * 300_000 + b"</p></body></html>"
        if path == "/loop":
            return 302, {"Location": f"{b}/loop"}, b""
        return 404, {}, b"not found"


def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def site() -> Iterator[Site]:
    current = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = current.respond(self.path, headers)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # the client may give up on purpose (over the size limit, or timed out)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    for base in serve(Handler):
        current.base = base
        yield current


@dataclass
class Hook:
    url: str = ""
    fail: int = 1  # answer 500 to this many posts first
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture()
def hook() -> Iterator[Hook]:
    current = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if current.fail > 0:
                current.fail -= 1
                self.send_response(500)
            else:
                current.received.append(json.loads(body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    for base in serve(Handler):
        current.url = f"{base}/hook"
        yield current


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture()
def smtp() -> Iterator[tuple[int, Mailbox]]:
    box = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it is up by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def res() -> Resources:
    return load_resources()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def write_config(
    path: Path, site: Site, hook: Hook, smtp_port: int, folder: Path, alerts: Path
) -> WatchConfig:
    path.write_text(
        f"""
web_url = "http://ledger.example.org"
interval = 600

[http]
user_agent = "newsledger-watch-test/1.0"
timeout = 0.5
max_bytes = 200000
max_redirects = 3
host_interval = 0
backoff = 1000
backoff_max = 10000

[[source]]
name = "tigris"
feed = "{site.base}/news.xml"
pages = true

[[source]]
name = "basra"
feed = "{site.base}/wire.xml"

[[source]]
name = "sitemap"
sitemap = "{site.base}/sitemap.xml"

[[source]]
name = "down"
feed = "{site.base}/down.xml"

[[source]]
name = "inbox"
folder = "{folder}"

[[rule]]
name = "kirkuk-airstrikes"
event_type = "Air/drone strike"
place = "Kirkuk"

[[rule]]
name = "deadline-moved"
change = ["deadline differs"]

[[output]]
type = "terminal"

[[output]]
type = "jsonl"
path = "{alerts}"

[[output]]
name = "daily"
type = "jsonl"
path = "{alerts}.digest"
digest = true

[[output]]
type = "webhook"
url = "{hook.url}"

[[output]]
type = "email"
port = {smtp_port}
sender = "watch@example.org"
to = ["analyst@example.org"]
""",
        encoding="utf-8",
    )
    return load_config(path)


def make_watcher(
    config: WatchConfig, db: str, res: Resources, clock: Clock, printed: list[str]
) -> tuple[Watcher, Ledger]:
    ledger = open_ledger(db)

    def extractor(articles: Any) -> Iterator[Extraction]:
        return extract_articles(articles, res)

    fetcher = Fetcher(config.http, clock=clock, sleep=lambda s: None)
    watcher = Watcher(config, ledger, extractor, load_tracker(), fetcher, clock, printed.append)
    return watcher, ledger


def test_watch_ingests_once_backs_off_recovers_and_alerts_once_per_output(
    tmp_path: Path, site: Site, hook: Hook, smtp: tuple[int, Mailbox], res: Resources
) -> None:
    smtp_port, mailbox = smtp
    folder = tmp_path / "inbox"
    folder.mkdir()
    alerts_file = tmp_path / "alerts.jsonl"
    config = write_config(tmp_path / "watch.toml", site, hook, smtp_port, folder, alerts_file)
    db = str(tmp_path / "ledger.db")
    clock = Clock()
    printed: list[str] = []

    # first run ---------------------------------------------------------------------------
    watcher, ledger = make_watcher(config, db, res, clock, printed)
    first = watcher.cycle()
    assert first.polled == 5
    assert first.stored == 4, first  # pages 1, 2, 3 and the wire entry
    errors = "\n".join(first.errors)
    assert "flaky.html: HTTP 500" in errors
    assert "private/x.html: robots.txt disallows it" in errors
    assert "slow.html: timed out" in errors
    assert re.search(r"huge.html: body of [\d,]+ bytes is over the 200,000-byte limit", errors)
    assert "loop: more than 3 redirects" in errors
    assert "down: " in errors and "down.xml: HTTP 500" in errors
    assert site.count("/private/x.html") == 0
    assert all(h.get("user-agent") == "newsledger-watch-test/1.0" for _, h in site.hits)

    assert first.alerts == 2  # the Kirkuk airstrike, and the deadline that moved
    kinds = sorted(json.loads(line)["rule"] for line in alerts_file.read_text().splitlines())
    assert kinds == ["deadline-moved", "kirkuk-airstrikes"]
    strike = next(
        json.loads(line) for line in alerts_file.read_text().splitlines() if "kirkuk" in line
    )
    assert strike["record"]["sub_event_type"] == "Air/drone strike"
    assert strike["record"]["admin1"] == "Kirkuk"
    assert strike["evidence"].startswith("Iraqi F-16 jets struck an Islamic State hideout")
    assert strike["record"]["fatalities"] == 4
    assert strike["link"] == f"http://ledger.example.org/events/{strike['record']['id']}"
    moved = next(
        json.loads(line) for line in alerts_file.read_text().splitlines() if "deadline" in line
    )
    assert moved["record"]["kind"] == "deadline differs"
    assert "end of 2027" in moved["evidence"]
    assert len(printed) == 2 and "[kirkuk-airstrikes]" in "".join(printed)
    assert len(mailbox.messages) == 2
    assert {m["To"] for m in mailbox.messages} == {"analyst@example.org"}
    assert len(hook.received) == 1  # the first post got a 500
    webhook = [
        d for a in state.alert_history(ledger) for d in a["deliveries"] if d["output"] == "webhook"
    ]
    assert sorted(d["status"] for d in webhook) == ["pending", "sent"]
    assert "HTTP 500" in next(d["last_error"] for d in webhook if d["status"] == "pending")
    assert not (tmp_path / "alerts.jsonl.digest").exists()  # the day is not over
    down = next(s for s in state.all_sources(ledger) if s.name == "down")
    assert down.failures == 1 and down.next_try == START + backoff(1, 1000, 10_000) == START + 1000
    ledger.close()

    # restart: a new process, later ---------------------------------------------------------
    (folder / "report.txt").write_text(
        " date 2026-03-10 2026-03-10 09:00:00 - From: Inbox\n\n" + " ".join(MARKET[1:]) + "\n"
    )
    clock.now = START + 500
    watcher, ledger = make_watcher(config, db, res, clock, printed)
    assert watcher.cycle().polled == 0  # nothing due yet
    assert site.count("/down.xml") == 1
    clock.now = START + 1100
    second = watcher.cycle()
    assert second.stored == 2, second  # the flaky page, now served, and the file
    assert second.alerts == 0
    down = next(s for s in state.all_sources(ledger) if s.name == "down")
    assert site.count("/down.xml") == 2
    assert down.failures == 2 and down.next_try == START + 1100 + 2000  # the wait doubled
    assert site.count("/news/1.html") == 1  # seen pages are not fetched again
    assert len(printed) == 2 and len(mailbox.messages) == 2
    assert len(hook.received) == 2  # the failed post was retried
    assert sorted(a["rule"] for a in hook.received) == ["deadline-moved", "kirkuk-airstrikes"]

    # the feed is unchanged now: a conditional request gets a 304; down.xml recovers
    site.down = False
    clock.now = START + 3200
    third = watcher.cycle()
    assert third.polled == 5
    assert third.errors and all(
        any(w in e for w in ("slow", "huge", "loop")) for e in third.errors
    ), third.errors
    news = [h for p, h in site.hits if p == "/news.xml"]
    assert news[-1].get("if-none-match") == '"news-1"'
    wire = [h for p, h in site.hits if p == "/wire.xml"]
    assert wire[-1].get("if-modified-since") == "Sat, 07 Mar 2026 09:00:00 GMT"
    down = next(s for s in state.all_sources(ledger) if s.name == "down")
    assert down.failures == 0 and down.last_error is None and down.last_ok is not None
    assert third.stored == 0 and third.alerts == 0

    # the next day: the digest output sends yesterday's alerts in one message
    clock.now = START + 86_400
    watcher.cycle()
    digests = [json.loads(x) for x in (tmp_path / "alerts.jsonl.digest").read_text().splitlines()]
    assert [d["digest"] for d in digests] == ["2026-03-10"]
    assert sorted(a["rule"] for a in digests[0]["alerts"]) == [
        "deadline-moved",
        "kirkuk-airstrikes",
    ]
    ledger.close()

    # a third process: nothing is delivered twice, nothing is stored twice
    clock.now = START + 2 * 86_400
    watcher, ledger = make_watcher(config, db, res, clock, printed)
    last = watcher.cycle()
    assert last.stored == 0 and last.alerts == 0 and last.sent == 0
    assert len(alerts_file.read_text().splitlines()) == 2
    assert len((tmp_path / "alerts.jsonl.digest").read_text().splitlines()) == 1
    assert len(hook.received) == 2 and len(mailbox.messages) == 2 and len(printed) == 2
    assert ledger.stats().counts["articles"] == 6
    ledger.close()

    # the web app shows the sources and the alert history
    client = TestClient(create_app(db))
    status = client.get("/api/watch").json()
    by_name = {s["name"]: s for s in status["sources"]}
    assert by_name["tigris"]["articles"] == 3 and by_name["down"]["failures"] == 0
    assert len(status["alerts"]) == 2
    assert {d["status"] for a in status["alerts"] for d in a["deliveries"]} == {"sent"}
    html = client.get("/watch").text
    assert "kirkuk-airstrikes" in html and "tigris" in html


def test_watch_once_from_the_command_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "flour.txt").write_text(
        " date 2026-03-10 2026-03-10 09:00:00 - From: Basra Ledger\n\n" + " ".join(MARKET) + "\n"
    )
    alerts = tmp_path / "alerts.jsonl"
    config = tmp_path / "watch.toml"
    config.write_text(
        f'[[source]]\nname = "inbox"\nfolder = "{inbox}"\n\n'
        '[[rule]]\nname = "subsidies"\nkeyword = "subsidies"\n\n'
        f'[[output]]\ntype = "terminal"\n\n[[output]]\ntype = "jsonl"\npath = "{alerts}"\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "ledger.db")
    runner = CliRunner()
    first = runner.invoke(main, ["watch", str(config), "--db", db, "--once"])
    assert first.exit_code == 0, first.output
    assert "[subsidies]" in first.output and "provincial council" in first.output
    assert "stored 1, already there 0, rejected 0, alerts 1, delivered 2" in first.output
    (alert,) = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert alert["rule"] == "subsidies" and alert["kind"] == "quote"
    again = runner.invoke(main, ["watch", str(config), "--db", db, "--once"])
    assert again.exit_code == 0, again.output
    assert "stored 0, already there 0, rejected 0, alerts 0, delivered 0" in again.output
    assert len(alerts.read_text().splitlines()) == 1

    config.write_text('[[source]]\nname = "inbox"\n', encoding="utf-8")
    bad = runner.invoke(main, ["watch", str(config), "--db", db, "--once"])
    assert bad.exit_code == 1
    assert f"{config}: [[source]] #1: give exactly one of feed, sitemap, folder" in bad.output
