"""The watch page in Debian's headless chromium (Playwright, as tests/web/test_web.py): the sources
with their errors and the alert history, reached from the nav; an alert opens its record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newsledger.store import open_ledger
from newsledger.watch import state
from newsledger.watch.config import Rule
from newsledger.watch.rules import alerts_for, article_items
from tests.helpers.browser import WAIT_MS, run_server, shot
from tests.helpers.web_ledger import build_ledger

START = 1_773_144_000.0  # 2026-03-10 12:00:00 UTC


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web_watch") / "web.db"
    built = build_ledger(db)
    with open_ledger(db) as ledger:
        ok = state.source_state(ledger, "tigris", "feed", "https://tigris.example.org/rss")
        ok.last_fetch = ok.last_ok = state.iso(START)
        ok.articles, ok.next_try = 3, START + 900
        state.save_source(ledger, ok)
        down = state.source_state(ledger, "down", "feed", "https://down.example.org/rss")
        down.last_fetch, down.failures, down.next_try = state.iso(START), 2, START + 240
        down.last_error = "https://down.example.org/rss: HTTP 500 Internal Server Error"
        state.save_source(ledger, down)
        rule = Rule("kirkuk-events", ("event",), place="Kirkuk")
        for extraction in built.extractions:
            article_id = extraction.article.id
            items = article_items(ledger, article_id)
            alerts = alerts_for((rule,), items, "http://127.0.0.1:8000")
            state.record_matches(ledger, article_id, alerts, ["jsonl", "hook"], START)
        due = state.pending(ledger, START)
        assert due, "the test ledger has no event in Kirkuk"
        state.mark_sent(ledger, [d.id for d in due if d.output == "jsonl"], START)
        state.mark_failed(ledger, [d.id for d in due if d.output == "hook"], "HTTP 502", START)
    yield from run_server(db)


def test_watch_page_shows_sources_errors_and_alerts(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/changes")
    page.click("nav >> text=Watch")
    page.wait_for_url("**/watch")
    assert page.locator("tr[data-source]").count() == 2
    failing = page.inner_text("tr.failing")
    assert "down" in failing and "HTTP 500" in failing
    alerts = page.locator(".alert-item")
    assert alerts.count() >= 1
    first = alerts.first.inner_text().lower()
    assert "kirkuk-events" in first and "jsonl: sent" in first and "hook: pending" in first
    assert "http 502" in first
    shot(page, "watch")
    alerts.first.locator("a").first.click()
    page.wait_for_url("**/events/**")
    assert "Kirkuk" in page.inner_text("main")
    context.close()
    assert not errors, errors
