"""The review path in Debian's chromium: log in as a reviewer, work the queue with the keyboard,
correct an event's place by a map click and a quote's speaker, reject one, add a missed quote and a
missed event by selecting their words, undo, and see the history (and undo any save there); a
viewer's keys write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsledger.review import accounts
from newsledger.store import open_ledger
from newsledger.store import queries as q
from tests.helpers.browser import CHROMIUM, serve_app
from tests.helpers.web_ledger import build_ledger

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

from newsledger.web.app import create_app

WAIT_MS = 15_000
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
"""The queue's screenshot lands here (docs/review.png is a copy of it)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, Any]]]:
    db = str(tmp_path_factory.mktemp("review") / "review.db")
    build_ledger(db)  # type: ignore[arg-type]
    with open_ledger(db) as ledger:
        made = {r: accounts.add_user(ledger, f"{r}1", r) for r in ("reviewer", "viewer")}
    with serve_app(create_app(db)) as url:
        yield url, db, made


def new_page(browser: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def log_in(page: Any, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/login?next=/review")
    page.fill('input[name="name"]', name)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{url}/review")
    assert page.text_content("#who") == name


def press(page: Any, key: str, expect: str) -> None:
    """Press a key on the page and wait for the status line to say `expect`."""
    page.keyboard.press(key)
    page.wait_for_function(
        "text => (document.getElementById('review-status').textContent || '').includes(text)",
        arg=expect,
    )


def record(db: str, kind: str, ref: str) -> dict[str, Any]:
    with open_ledger(db) as ledger:
        item = q.get_record(ledger, kind, ref)
    assert item is not None
    return item


def test_review_path_with_the_keyboard(
    browser: Any, served: tuple[str, str, dict[str, Any]]
) -> None:
    url, db, made = served
    context, page, errors = new_page(browser)
    log_in(page, url, "reviewer1", made["reviewer"].password)
    left = int(page.get_attribute("#review", "data-left"))
    assert left >= 4 and page.is_visible("#keys")

    # accept the first with `a`; the counter goes down by one
    first = page.get_attribute("#review", "data-id")
    press(page, "a", "Accepted")
    assert int(page.get_attribute("#review", "data-left")) == left - 1
    assert record(db, "events", first)["review_status"] == "accepted"

    # next and previous
    shown = page.get_attribute("#review", "data-id")
    page.keyboard.press("j")
    page.wait_for_url("**i=1")
    assert page.get_attribute("#review", "data-id") != shown
    page.keyboard.press("k")
    page.wait_for_url("**i=0")
    assert page.get_attribute("#review", "data-id") == shown

    # correct the place by a click on the map, then save with Enter
    page.wait_for_selector("#review-map.leaflet-container")
    machine = record(db, "events", shown)
    page.click("#review-map", position={"x": 120, "y": 90})
    assert page.input_value('[name="geo_precision"]') == "1"
    lat = float(page.input_value('[name="latitude"]'))
    assert lat != machine["latitude"]
    page.fill('[name="location"]', "Clicked place")
    page.focus('[name="location"]')
    press(page, "Enter", "Corrected")
    corrected = record(db, "events", shown)
    assert corrected["review_status"] == "corrected" and corrected["reviewed_by"] == "reviewer1"
    assert (corrected["latitude"], corrected["geo_precision"]) == (lat, 1)
    assert corrected["location"] == "Clicked place"

    # reject the next one with `x`
    rejected = page.get_attribute("#review", "data-id")
    press(page, "x", "Rejected")
    assert record(db, "events", rejected)["review_status"] == "rejected"

    # a quote's speaker: `e` focuses the first field (the speaker), Enter saves
    page.goto(f"{url}/review?kind=quotes")
    quote = page.get_attribute("#review", "data-id")
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.name") == "speaker"
    page.keyboard.press("Control+A")
    page.keyboard.type("Corrected Speaker")
    press(page, "Enter", "Corrected")
    assert record(db, "quotes", quote)["speaker"] == "Corrected Speaker"

    # a missed quote: select words of the paragraph, `q`, the speaker, Enter
    paragraph_start = int(page.get_attribute("#paragraph mark", "data-start"))
    words = page.evaluate(
        """() => {
        const mark = document.querySelector('#paragraph mark');
        const node = mark.firstChild;
        const range = document.createRange();
        range.setStart(node, 1); range.setEnd(node, 12);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        return range.toString();
    }"""
    )
    page.keyboard.press("q")
    page.wait_for_selector("#add-record:not([hidden])")
    assert page.text_content("#add-words") == words
    page.keyboard.type("A Missed Speaker")
    press(page, "Enter", "Added quote")
    with open_ledger(db) as ledger:
        added = q.list_items(ledger, "quotes", q.Filters(review_status=q.parse_status("added")))
    (item,) = added.items
    assert item["speaker"] == "A Missed Speaker" and item["reviewed_by"] == "reviewer1"
    assert item["evidence"]["start"] == paragraph_start + 1 and item["evidence"]["text"] == words

    # a missed event on the events queue: select, `n`, its type, date, Enter
    page.goto(f"{url}/review")
    page.evaluate(
        """() => {
        const node = document.querySelector('#paragraph mark').firstChild;
        const range = document.createRange();
        range.setStart(node, 0); range.setEnd(node, 20);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }"""
    )
    page.keyboard.press("n")
    page.wait_for_selector('#add-record fieldset[data-for="events"]:not([hidden])')
    page.select_option('#add-record [name="event_type"]', "Protests")
    assert page.input_value('#add-record [name="sub_event_type"]') == "Peaceful protest"
    page.fill('#add-record [name="event_date"]', "2024-12-16")
    page.focus('#add-record [name="event_date"]')
    press(page, "Enter", "Added event")
    with open_ledger(db) as ledger:
        flt = q.Filters(review_status=q.parse_status("added"))
        (event,) = q.list_items(ledger, "events", flt).items
    assert (event["event_type"], event["event_date"]) == ("Protests", "2024-12-16")

    # undo: the last save, adding the event, is withdrawn; the history of the corrected quote
    page.goto(f"{url}/review?kind=quotes")
    press(page, "u", "Undid")
    assert record(db, "events", event["id"])["review_status"] == "rejected"
    assert record(db, "quotes", item["id"])["review_status"] == "added"
    page.goto(f"{url}/review/quotes/{quote}")
    history = page.text_content("#history")
    assert "v1 corrected" in history and "reviewer1" in history and "Corrected Speaker" in history
    # any save can be undone from the record's page
    page.click('.undo-version[data-version="1"]')
    page.wait_for_function(
        "() => document.getElementById('review-status').textContent.includes('Undid v1')"
    )
    assert record(db, "quotes", quote)["speaker"] != "Corrected Speaker"
    assert "undoes v1" in page.text_content("#history")
    page.goto(f"{url}/review")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "review.png"), full_page=False)
    context.close()
    assert not errors, errors


def test_viewer_keys_write_nothing(browser: Any, served: tuple[str, str, dict[str, Any]]) -> None:
    url, db, made = served
    context, page, errors = new_page(browser)
    log_in(page, url, "viewer1", made["viewer"].password)
    shown = page.get_attribute("#review", "data-id")
    press(page, "a", "writing needs a reviewer")
    assert record(db, "events", shown)["review_status"] == "unreviewed"
    context.close()
    assert not errors, errors
