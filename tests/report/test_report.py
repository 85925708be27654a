"""The briefing (`newsledger report`): its figures against a ledger built here, and its formats:
self-contained HTML, PDF read back with pdftotext, Markdown and JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsledger.cli import main
from newsledger.report import render
from newsledger.report.build import briefing
from newsledger.report.period import Request
from newsledger.report.wording import cue_as_written
from newsledger.store import open_ledger
from newsledger.store import queries as q
from newsledger.web.app import create_app
from tests.helpers.report_ledger import END, START, build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("report") / "ledger.db")


def make(db: Path, **kw: Any) -> dict[str, Any]:
    with open_ledger(db) as ledger:
        return briefing(ledger, Request(**{"date_from": START, "date_to": END, **kw}))


@pytest.fixture(scope="module")
def iraq(db: Path) -> dict[str, Any]:
    return make(db, country="Iraq")


def test_headline_figures_and_previous_period_in_words(iraq: dict[str, Any]) -> None:
    f = iraq["figures"]
    assert (f["events"], f["previous_events"]) == (4, 1)
    assert (f["fatalities"], f["previous_fatalities"]) == (31, 12)
    assert iraq["previous"] == {"from": "2025-02-01", "to": "2025-02-07"}
    texts = [s["text"] for s in iraq["headline"]]
    assert texts[0].startswith("Events rose from 1 to 4 in the 7 days to 2025-02-14")
    assert texts[1] == "Fatalities rose from 12 to 31; 26 of them in Diyala."
    assert "Battles stayed at 1" in texts[2] and "Protests rose from 0 to 1" in texts[2]
    by_type = {t["event_type"]: (t["events"], t["previous_events"]) for t in f["by_type"]}
    assert by_type["Battles"] == (1, 1) and by_type["Violence against civilians"] == (1, 0)


def test_country_filter_is_exact_and_scopes_statements(db: Path, iraq: dict[str, Any]) -> None:
    everywhere = make(db)
    assert (everywhere["figures"]["events"], everywhere["figures"]["previous_events"]) == (5, 2)
    assert everywhere["figures"]["fatalities"] == 33
    speakers = [s["speaker"] for s in everywhere["statements"]]
    assert "Omar Said" in speakers  # his report is on Syria only: not in Iraq's briefing
    assert [s["speaker"] for s in iraq["statements"]] == ["Ali Hamid", "Sara Khan"]
    assert make(db, country="Ira")["figures"]["events"] == 0  # a part of a name is not a country


def test_charts_data(iraq: dict[str, Any]) -> None:
    over_time = iraq["charts"]["events_over_time"]
    assert over_time["bucket"] == "day" and len(over_time["buckets"]) == 7
    assert sum(sum(s["values"]) for s in over_time["series"]) == 4
    provinces = iraq["charts"]["fatalities_by_province"]["bars"]
    assert [(b["label"], b["value"]) for b in provinces] == [("Diyala", 26), ("Kirkuk", 5)]
    actors = {b["label"]: b["value"] for b in iraq["charts"]["actors"]["bars"]}
    assert actors["Islamic State (Iraq)"] == 2 and "" not in actors
    assert len(iraq["map"]["points"]) == 4


def test_top_speakers_their_words_as_written(iraq: dict[str, Any]) -> None:
    hamid = iraq["statements"][0]
    assert (hamid["speaker"], hamid["title"], hamid["statements"]) == ("Ali Hamid", "governor", 3)
    verbs = [s["verb"] for s in hamid["said"]]
    assert verbs == ["said", "concluded", "told"]  # not the lemmas "conclude", "tell"
    claim = iraq["statements"][1]["said"][-1]
    assert claim["kind"] == "claim" and claim["text"] == "3000 families returned"
    assert all(s["source"] and s["date"] and s["notes"] for s in hamid["said"])


def test_deadline_windows(iraq: dict[str, Any]) -> None:
    d = iraq["deadlines"]
    assert [x["deadline"] for x in d["due"]] == ["2025-03-15", "2025-05"]
    assert [x["deadline"] for x in d["passed"]] == ["2025-02-01"]
    assert (d["due_until"], d["passed_since"]) == ("2025-05-15", "2025-01-16")


def test_changes_carry_both_sentences(iraq: dict[str, Any]) -> None:
    (change,) = iraq["changes"]
    assert change["kind"] == "stance changed"
    assert "not fight" in change["earlier"]["evidence"]
    assert "pushed them back" in change["later"]["evidence"]
    assert change["earlier"]["date"] == "2025-02-04" and change["later"]["source"] == "Agency A"


def test_every_footnote_is_an_article_in_the_ledger(db: Path, iraq: dict[str, Any]) -> None:
    numbers = {s["n"] for s in iraq["sources"]}
    assert numbers == set(range(1, len(numbers) + 1))
    cited: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            cited.update(value.get("notes", []))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(iraq)
    assert cited == numbers
    with open_ledger(db) as ledger:
        for source in iraq["sources"]:
            article = q.get_article(ledger, source["id"])
            assert article is not None and article["source"] == source["source"]
    untitled = next(s for s in iraq["sources"] if s["id"] == "a2")
    assert untitled["label"].startswith("Hundreds protested in Baghdad")  # not its id


def test_compare_none_and_empty_sections(db: Path) -> None:
    b = make(db, country="Iraq", compare="none")
    assert b["previous"] is None and b["figures"]["previous_events"] is None
    assert b["headline"][0]["text"].startswith("Events: 4 in the 7 days")
    empty = make(db, date_from="2020-01-01", date_to="2020-01-31")
    assert empty["figures"]["events"] == 0
    assert set(empty["omitted"]) >= {"charts", "map", "statements", "changes", "deadlines"}
    html = render.to_html(empty)
    assert "Omitted: no events match in the period." in html


def test_default_period_is_the_last_week_of_the_ledger(db: Path) -> None:
    with open_ledger(db) as ledger:
        b = briefing(ledger, Request(country="Iraq"))
    assert b["period"] == {"from": "2025-02-07", "to": "2025-02-13"}


def test_cue_as_written() -> None:
    assert cue_as_written("conclude", "the report, he concluded on Monday.") == "concluded"
    assert cue_as_written("say", "“No,” she said.") == "said"
    assert cue_as_written("warn", "no form of it here") == "warned"
    assert cue_as_written(None, "anything") == "said"
    assert cue_as_written("say", '"Quiet," Omar Said told us.') == "said"  # a name, not the verb


def test_html_is_self_contained_and_its_notes_resolve(iraq: dict[str, Any]) -> None:
    html = render.to_html(iraq)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|srcset)\s*=|url\(\s*['"]?(https?:)?//""", html)
    article_urls = {s["url"] for s in iraq["sources"] if s["url"]}
    outside = set(re.findall(r"""https?://[^\s"'<>)]+""", html))
    outside -= {"http://www.w3.org/2000/svg"}  # the SVG namespace, not a resource
    assert outside == article_urls  # only the footnotes' links to the source articles
    targets = set(re.findall(r'href="#(note-\d+)"', html))
    ids = set(re.findall(r'id="(note-\d+)"', html))
    assert targets and targets <= ids
    assert html.count("<svg") == 4  # three charts and the map
    assert "url(#c1-battles)" in html  # the stacked bars' pattern fills


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@needs_poppler
def test_pdf_pages_headings_and_a_footnoted_sentence(iraq: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(render.render(iraq, "pdf"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    assert pages >= 3
    assert "A4" in info.stdout or "595.2" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for heading in (
        "Contents",
        "Summary",
        "Charts",
        "Map",
        "Key statements",
        "Deadlines",
        "Sources",
        "Method",
    ):
        assert heading in flat
    assert "Fatalities rose from 12 to 31; 26 of them in Diyala.[1–3]" in flat
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert re.search(r"Sources \.[ .]*\d", flat)  # the contents give each section's page


def test_markdown_and_json(iraq: dict[str, Any]) -> None:
    md = render.to_markdown(iraq)
    assert "- Fatalities rose from 12 to 31; 26 of them in Diyala. [1–3]" in md
    assert "1. Clashes near Baqubah. Agency A, 2025-02-11. <https://example.org/a1> (a1)" in md
    data = json.loads(render.to_json(iraq))
    assert data["charts"]["fatalities_by_province"]["bars"][0]["value"] == 26


def test_cli_report(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "b.json"
    args = ["report", "--db", str(db), "--from", START, "--to", END, "--country", "Iraq"]
    result = runner.invoke(main, [*args, "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["figures"]["events"] == 4
    result = runner.invoke(main, [*args, "--format", "md"])
    assert result.exit_code == 0 and "## Sources" in result.output
    bad = runner.invoke(main, ["report", "--db", str(db), "--from", "2025-13-01"])
    assert bad.exit_code == 2 and "from='2025-13-01'" in bad.output
    swapped = runner.invoke(main, ["report", "--db", str(db), "--from", END, "--to", START])
    assert swapped.exit_code == 1 and "is after" in swapped.output


def test_web_report_downloads_and_small_charts(db: Path) -> None:
    client = TestClient(create_app(str(db)))
    got = client.get(f"/report.json?from={START}&to={END}&place=Iraq")  # the map's place
    assert got.status_code == 200 and got.json()["filters"]["country"] == "Iraq"
    assert got.json()["figures"]["fatalities"] == 31
    page = client.get(f"/report?from={START}&to={END}&place=Diyala&type=Battles")
    assert page.status_code == 200 and "admin1 = Diyala" in page.text
    assert "type filter is not applied to briefings" in page.text
    pdf = client.get(f"/report.pdf?from={START}&to={END}")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    assert client.get("/report.docx").status_code == 400
    chart = client.get(f"/report/charts/types.svg?from={START}&to={END}&place=Iraq")
    assert chart.headers["content-type"] == "image/svg+xml" and chart.text.count("<rect") >= 4
    assert "Diyala" in client.get("/report/charts/provinces.svg").text
    changes = client.get("/changes").text
    assert "We will not fight in the hills" in changes and "pushed them back" in changes
    assert "Fighting in Diyala" in changes and "Agency A, 2025-02-04" in changes
