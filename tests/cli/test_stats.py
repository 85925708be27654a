"""`newsledger stats` says which gazetteer data each article was extracted with (migration 15),
and when the data configured now differs from it (those articles are to be `--reextract`ed)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.geo import gazetteer_sources
from newsledger.store import open_ledger
from tests.helpers.factories import article, extraction
from tests.helpers.paths import REPO

SAMPLE = REPO / "src" / "newsledger" / "samples" / "002_syria_desk.jsonl"  # 3 articles
OTHER_DATA = ("bundled: GeoNames cities1000 and countries (made-up older data)",)


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A gazetteer configuration of this test's own: no imports yet, its own cache."""
    values = {
        "NEWSLEDGER_GAZETTEER": str(tmp_path / "imports"),
        "NEWSLEDGER_CACHE": str(tmp_path / "cache"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def test_stats_names_the_gazetteer_of_each_article_and_what_differs(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ledger.db")
    configured = gazetteer_sources()
    with open_ledger(db) as ledger:
        ledger.store(replace(extraction(article("now-1", "One.")), gazetteer=configured))
        ledger.store(replace(extraction(article("now-2", "Two.")), gazetteer=configured))
        ledger.store(replace(extraction(article("old-1", "Three.")), gazetteer=OTHER_DATA))
        ledger.store(extraction(article("unknown-1", "Four.")))  # a gazetteer naming no data
    runner = CliRunner()
    result = runner.invoke(main, ["stats", "--db", db, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gazetteer"] == list(configured)
    assert [(g["sources"], g["articles"], g["configured"]) for g in data["gazetteers"]] == [
        (None, 1, None),
        *sorted([(list(configured), 2, True), (list(OTHER_DATA), 1, False)], key=lambda g: g[0]),
    ]
    assert data["other_gazetteer"] == 1
    table = runner.invoke(main, ["stats", "--db", db], env=env)
    assert table.exit_code == 0, table.output
    assert "built with, 2 articles" in table.output and "configured now" in table.output
    assert "made-up older data" in table.output and "unknown" in table.output
    assert "1 article was extracted with other gazetteer data" in table.output
    assert f"newsledger ingest --reextract --db {db} PATHS" in table.output


@pytest.mark.slow
def test_an_import_makes_the_ledger_out_of_date_until_it_is_reextracted(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ledger.db")
    runner = CliRunner()

    def stats() -> dict[str, Any]:
        result = runner.invoke(main, ["stats", "--db", db, "--format", "json"], env=env)
        assert result.exit_code == 0, result.output
        found: dict[str, Any] = json.loads(result.output)
        return found

    ingested = runner.invoke(main, ["ingest", "--quiet", "--db", db, str(SAMPLE)], env=env)
    assert ingested.exit_code == 0, ingested.output
    before = stats()
    assert before["gazetteers"] == [
        {
            "sources": before["gazetteer"],
            "first_used": before["gazetteers"][0]["first_used"],
            "articles": 3,
            "configured": True,
        }
    ]
    assert before["other_gazetteer"] == 0
    places = tmp_path / "villages.csv"
    places.write_text(
        "name,alternate_names,latitude,longitude,country_code,admin1,kind\n"
        "Invented Hamlet,,35.1,40.2,SY,Deir ez-Zor,village\n",
        encoding="utf-8",
    )
    imported = runner.invoke(main, ["gazetteer", "import", str(places)], env=env)
    assert imported.exit_code == 0, imported.output
    after = stats()
    assert after["gazetteer"] != before["gazetteer"] and after["other_gazetteer"] == 3
    table = runner.invoke(main, ["stats", "--db", db], env=env)
    assert "3 articles were extracted with other gazetteer data" in table.output
    again = runner.invoke(
        main, ["ingest", "--reextract", "--workers", "0", "--db", db, str(SAMPLE)], env=env
    )
    assert again.exit_code == 0, again.output
    done = stats()
    assert done["other_gazetteer"] == 0
    assert [(g["articles"], g["configured"]) for g in done["gazetteers"]] == [(3, True)]
