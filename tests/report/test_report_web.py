"""The briefing in a browser: /report for a filter, the self-contained HTML file opened offline,
and a PDF page rendered with pdftoppm; screenshots of each go to screenshots/ (README)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import CHROMIUM, serve_app
from tests.helpers.paths import REPO
from tests.helpers.report_ledger import END, START, build

SHOTS = REPO / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

from newsledger.report import render  # noqa: E402
from newsledger.report.build import briefing  # noqa: E402
from newsledger.report.period import Request  # noqa: E402
from newsledger.store import open_ledger  # noqa: E402
from newsledger.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("report-web") / "ledger.db")


@pytest.fixture(scope="module")
def base_url(db: Path) -> Iterator[str]:
    with serve_app(create_app(str(db), today=lambda: date(2025, 2, 14))) as url:
        yield url


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_report_page_for_a_filter(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/report?from={START}&to={END}&country=Iraq")
    assert page.locator("h1").inner_text().startswith("Iraq: 8 February 2025")
    assert page.locator("article.briefing svg").count() == 4
    headline = page.locator("#brief-summary li").nth(1).inner_text()
    assert headline.startswith("Fatalities rose from 12 to 31; 26 of them in Diyala.")
    page.locator("#brief-summary li").nth(1).locator("sup a").first.click()
    assert page.url.endswith("#note-1")
    assert "Clashes near Baqubah" in page.locator("#note-1").inner_text()
    assert page.locator("#note-1 a").get_attribute("href") == "/articles/a1"
    shot(page, "report")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("form.filters").is_hidden()
    page.emulate_media(media="screen")


def test_brief_me_links_from_map_and_timeline(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/?from={START}&to={END}&place=Iraq")
    page.get_by_role("link", name="Brief me on this view").click()
    page.wait_for_url("**/report?**")
    assert "country = Iraq" in page.locator(".briefing-head .meta").inner_text()
    img = page.locator("figure.mini-chart img")
    page.goto(f"{base_url}/?from={START}&to={END}&place=Iraq")
    img = page.locator("figure.mini-chart img")
    img.scroll_into_view_if_needed()
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    page.goto(f"{base_url}/timeline?from={START}&to={END}")
    chart = page.locator("figure.mini-chart img")
    chart.scroll_into_view_if_needed()
    assert chart.evaluate("i => i.complete && i.naturalWidth > 0")
    assert "concluded:" in page.locator("ol.timeline").inner_text()  # not the lemma
    shot(page, "timeline-chart")
    page.goto(f"{base_url}/changes")
    sides = page.locator(".change-side blockquote")
    assert sides.count() == 2 and "not fight" in sides.nth(0).inner_text()
    assert "Fighting in Diyala" in page.locator(".change-side").nth(0).inner_text()
    shot(page, "changes")


def test_html_file_opens_offline(browser: Any, db: Path, tmp_path: Path) -> None:
    with open_ledger(db) as ledger:
        b = briefing(ledger, Request(START, END, country="Iraq"))
    path = tmp_path / "briefing.html"
    path.write_text(render.to_html(b), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1100, "height": 900}, offline=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(path.as_uri())
    assert page.locator("article.briefing svg").count() == 4
    assert page.locator("#brief-map svg path").count() >= 1  # the country outlines
    assert requested == [path.as_uri()]  # nothing else was loaded
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "report-file.png"), full_page=True)
    context.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_pdf_page_image(db: Path, tmp_path: Path) -> None:
    with open_ledger(db) as ledger:
        b = briefing(ledger, Request(START, END, country="Iraq"))
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(render.to_pdf(b))
    SHOTS.mkdir(exist_ok=True)
    prefix = SHOTS / "report-pdf"
    for stale in SHOTS.glob("report-pdf-*.png"):
        stale.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", str(pdf), str(prefix)], check=True
    )
    pages = sorted(SHOTS.glob("report-pdf-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 10_000 for p in pages)
