"""scripts/bench_web.py, tiny: it builds a synthetic ledger, serves it on loopback and reports
p50 / p95 / max for every kind of filtered query (the figures, not the machine's speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsledger.store import open_ledger
from tests.helpers.paths import SCRIPTS

pytestmark = pytest.mark.slow  # spawns processes

SCRIPT = SCRIPTS / "bench_web.py"
KINDS = {
    "newest (no filter)",
    "type",
    "sub-type",
    "country",
    "admin1",
    "place",
    "actor (full name)",
    "actor (words)",
    "date range (month)",
    "date range (year)",
    "bbox",
    "q (text)",
    "type + place + month",
    "actor + bbox",
    "sub-type + country + year",
    "deep page (keyset)",
    "deep page + type",
}


def test_bench_web_builds_a_spread_ledger_and_reports_every_query_kind(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    command = [sys.executable, str(SCRIPT), "--events", "2000", "--db", str(db)]
    run = subprocess.run(
        [*command, "--queries", "3", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "built 2000 events in" in run.stderr
    result = json.loads(run.stdout)

    assert result["events"] == 2000
    assert set(result["queries"]) == KINDS
    for name, figures in [*result["queries"].items(), ("overall", result["overall"])]:
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"], name
    assert all(figures["n"] == 3 for figures in result["queries"].values())
    assert result["overall"]["n"] == 3 * len(KINDS)
    assert set(result["pages"]) == {
        "map page /",
        "map markers (2000) geojson",
        "timeline page",
        "event list /api/events",
    }

    with open_ledger(db) as ledger:
        assert ledger.stats().counts["events"] == 2000
        spread = ledger.query(
            "SELECT COUNT(DISTINCT country), COUNT(DISTINCT admin1), COUNT(DISTINCT location), "
            "COUNT(DISTINCT actor1), COUNT(DISTINCT sub_event_type), COUNT(DISTINCT article_id), "
            "MIN(event_date), MAX(event_date) FROM events"
        )[0]
        named = ledger.query("SELECT field, SUM(events) FROM event_names GROUP BY field")
    assert dict(named)["location"] == dict(named)["actor1"] == 2000  # counted as Ledger.store does
    countries, admin1, places, actors, sub_types, articles, first, last = spread
    assert countries == 5 and admin1 >= 20 and places >= 200 and actors >= 20
    assert sub_types >= 15 and 100 <= articles <= 1000
    assert first[:4] == "2017" and last[:4] == "2025"
