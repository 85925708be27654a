"""The review commands: user add/list/disable, quality figures from reviews, and the reviews as a
gold file that `newsledger eval` reads back (the round trip loads the spaCy model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsledger.cli import main
from newsledger.review.quality import wilson
from newsledger.store import open_ledger, reviews
from newsledger.store.reviews import Save
from newsledger.web.app import create_app
from tests.helpers.web_ledger import build_ledger


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "quality.db")
    build_ledger(path)  # type: ignore[arg-type]
    return path


def test_user_commands_print_credentials_once_and_disable(db: str) -> None:
    runner = CliRunner()
    added = runner.invoke(main, ["user", "add", "rana", "--role", "reviewer", "--db", db])
    assert added.exit_code == 0, added.output
    assert "password: " in added.output and "token:    nl_" in added.output
    again = runner.invoke(main, ["user", "add", "rana", "--db", db])
    assert again.exit_code == 1 and "already exists" in again.output
    wrong = runner.invoke(main, ["user", "add", "omar", "--role", "boss", "--db", db])
    assert wrong.exit_code == 2
    listed = runner.invoke(main, ["user", "list", "--format", "json", "--db", db])
    (account,) = json.loads(listed.output)
    assert (account["name"], account["role"], account["disabled"]) == ("rana", "reviewer", False)
    assert runner.invoke(main, ["user", "disable", "rana", "--db", db]).exit_code == 0
    listed = runner.invoke(main, ["user", "list", "--format", "json", "--db", db])
    assert json.loads(listed.output)[0]["disabled"] is True
    missing = runner.invoke(main, ["user", "disable", "nobody", "--db", db])
    assert missing.exit_code == 1 and "no account named" in missing.output
    log = runner.invoke(main, ["user", "log", "--format", "json", "--db", db])
    actions = [(line["action"], line["detail"]) for line in json.loads(log.output)]
    assert actions == [("user disable", "rana"), ("user add", "rana as reviewer")]


def test_wilson_interval() -> None:
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)


def review_some(db: str) -> None:
    with open_ledger(db) as ledger:
        for save in (
            Save("events", "a1", 0, 0, "accepted", {}, "rana"),
            # Mosul -> Erbil: about 80 km, the place was wrong
            Save(
                "events", "a1", 1, 0, "corrected",
                {"latitude": (36.34, 36.19), "longitude": (43.13, 44.01), "fatalities": (0, 2)},
                "rana",
            ),
            Save("events", "b2", 0, 0, "rejected", {}, "rana"),
            Save("quotes", "a1", 0, 0, "corrected", {"speaker": ("A", "B")}, "rana"),
        ):  # fmt: skip
            reviews.save_review(ledger, save)


def test_quality_figures_from_reviews(db: str) -> None:
    review_some(db)
    result = CliRunner().invoke(main, ["quality", "--format", "json", "--db", db])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    got = {(r["kind"], r["field"]): (r["right"], r["n"]) for r in figures["fields"]}
    assert got[("events", "kept")] == (2, 3)
    assert got[("events", "place")] == (1, 2)
    assert got[("events", "fatalities")] == (1, 2)
    assert got[("events", "event_type")] == (2, 2)
    assert got[("quotes", "speaker")] == (0, 1)
    assert figures["by_source"]["Levant Monitor"]
    assert "Iraq" in figures["by_country"]
    table = CliRunner().invoke(main, ["quality", "--by", "country", "--db", db])
    assert table.exit_code == 0 and "Iraq" in table.output


@pytest.mark.slow
def test_gold_export_round_trips_through_eval(db: str, tmp_path: Path) -> None:
    review_some(db)
    gold = tmp_path / "gold.csv"
    runner = CliRunner()
    done = runner.invoke(
        main, ["export", "reviews", "--format", "gold", "-o", str(gold), "--db", db]
    )
    assert done.exit_code == 0, done.output
    assert "wrote 2 reviews" in done.output
    refused = runner.invoke(main, ["export", "events", "--format", "gold", "--db", db])
    assert refused.exit_code == 2
    scored = runner.invoke(main, ["eval", str(gold), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    (result,) = json.loads(scored.output)
    assert result["kind"] == "acled" and result["scores"]["rows"] == 2


def test_quality_page_and_api(db: str) -> None:
    client = TestClient(create_app(db))
    assert "No reviewed records yet" in client.get("/quality").text
    review_some(db)
    figures = client.get("/api/quality").json()
    assert {"kind": "events", "field": "place", "right": 1, "n": 2}.items() <= next(
        r for r in figures["fields"] if r["field"] == "place"
    ).items()
    page = client.get("/quality")
    assert page.status_code == 200 and "By country" in page.text and "Iraq" in page.text
