"""An article's date shown as precise as it is known (`published_precision`, readers/dates.py):
the API carries the precision, and the pages say "December 2019", not a made-up 15 December."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsledger.store import open_ledger
from newsledger.web.app import create_app
from newsledger.web.dates import published_text
from tests.helpers.browser import WAIT_MS, serve_app
from tests.helpers.factories import article, evidence, extraction, quote

TEXT = '"We will hold the crossing," said Rami Tawil, a made-up commander, on the bridge.'
SAID = '"We will hold the crossing," said Rami Tawil'
# (id, published as stored, precision): what a messy input leaves (readers/dates.py)
DATED = (
    ("exact", "2019-12-09T07:58:00", None),
    ("by-day", "2019-12-09", "day"),
    ("by-week", "2019-12-09", "week"),
    ("by-month", "2019-12-15", "month"),
    ("by-year", "2019-07-01", "year"),
)


@pytest.mark.parametrize(
    ("published", "precision", "full", "shown"),
    [
        ("2019-12-09T07:58:00", None, False, "2019-12-09"),
        ("2019-12-09T07:58:00", None, True, "2019-12-09T07:58:00"),
        ("2019-12-09", "day", True, "2019-12-09"),
        ("2019-12-09", "week", False, "week of 2019-12-09"),
        ("2019-12-15", "month", False, "December 2019"),
        ("2019-01-15", "month", True, "January 2019"),
        ("2019-07-01", "year", False, "2019"),
        (None, None, False, ""),
        (None, "month", False, ""),
    ],
)
def test_the_date_says_what_is_known(
    published: str | None, precision: str | None, full: bool, shown: str
) -> None:
    assert published_text(published, precision, full=full) == shown
    assert published_text(None, None, missing="undated") == "undated"


def build(db: str) -> None:
    with open_ledger(db) as ledger:
        for n, (ref, published, precision) in enumerate(DATED):
            made = article(
                ref,
                TEXT.replace("bridge", f"bridge number {n}"),
                title=f"Report {ref}",
                published=published,
                published_precision=precision,
            )
            said = quote(
                "We will hold the crossing", evidence(made.text, SAID), speaker="Rami Tawil"
            )
            ledger.store(extraction(made, quotes=(said,)))


@pytest.fixture()
def client(backend: str, ledger_url: str) -> TestClient:
    build(ledger_url)
    return TestClient(create_app(ledger_url, today=lambda: date(2026, 1, 1)))


def test_the_api_carries_the_precision(client: TestClient) -> None:
    for ref, published, precision in DATED:
        body = client.get(f"/api/articles/{ref}").json()
        assert (body["article"]["published"], body["article"]["published_precision"]) == (
            published,
            precision,
        )
    listed = {
        a["id"]: a["published_precision"] for a in client.get("/api/articles").json()["items"]
    }
    assert listed == {ref: precision for ref, _, precision in DATED}
    quotes = client.get("/api/quotes").json()["items"]
    assert {q["article"]["id"]: q["article"]["published_precision"] for q in quotes} == listed


def test_the_pages_show_the_date_as_known(client: TestClient) -> None:
    page = client.get("/articles/by-month").text
    assert ">December 2019</time>" in page and "· 2019-12-15" not in page
    assert "the input gave the date to the month only" in page
    assert ">2019-12-09T07:58:00</time>" in client.get("/articles/exact").text
    listing = client.get("/articles").text
    for shown in (
        "<td>2019-12-09</td>",
        "<td>week of 2019-12-09</td>",
        "<td>December 2019</td>",
        "<td>2019</td>",
    ):
        assert shown in listing, shown
    assert "2019-07-01" not in listing and "2019-12-15" not in listing
    quotes = client.get("/quotes").text
    assert "Test Wire, December 2019" in quotes and "Test Wire, 2019: Report by-year" in quotes


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("dates") / "dates.db"
    build(str(db))
    with serve_app(create_app(str(db), today=lambda: date(2026, 1, 1))) as url:
        yield url


def test_a_browser_reads_the_month_and_the_year(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{base_url}/articles/by-month")
        shown = page.locator("time.published")
        assert shown.inner_text() == "December 2019"
        assert shown.get_attribute("datetime") == "2019-12-15"
        page.goto(f"{base_url}/articles")
        cells = page.locator("table td:first-child").all_inner_texts()
        assert sorted(cells) == sorted(
            ["2019-12-09", "2019-12-09", "week of 2019-12-09", "December 2019", "2019"]
        )
    finally:
        context.close()
