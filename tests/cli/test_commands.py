"""The CLI through click's test runner: ingest, extract, export, stats, and bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.store.export import ACLED_COLUMNS
from tests.helpers.paths import REPO

SAMPLES = REPO / "src" / "newsledger" / "samples"
SAMPLE_ARTICLES = 7  # 1 text + 3 JSONL lines + 2 feed entries + 1 HTML page


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.db")


def counts(output: str) -> tuple[int, int, int]:
    m = re.search(r"stored (\d+), already there (\d+), rejected (\d+)", output)
    assert m, output
    return int(m[1]), int(m[2]), int(m[3])


def test_ingest_samples_then_again_is_idempotent(runner: CliRunner, db: str) -> None:
    first = runner.invoke(main, ["ingest", "--db", db, str(SAMPLES)])
    assert first.exit_code == 0, first.output
    assert counts(first.output) == (SAMPLE_ARTICLES, 0, 0)
    second = runner.invoke(main, ["ingest", "--db", db, str(SAMPLES)])
    assert second.exit_code == 0, second.output
    assert counts(second.output) == (0, SAMPLE_ARTICLES, 0)

    stats = runner.invoke(main, ["stats", "--db", db, "--format", "json"])
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    assert data["counts"]["articles"] == SAMPLE_ARTICLES
    assert data["sources"]["Levant Monitor"] == 3

    table = runner.invoke(main, ["stats", "--db", db])
    assert "articles" in table.output and str(SAMPLE_ARTICLES) in table.output


def test_bad_input_is_named_and_the_rest_is_stored(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    bad = tmp_path / "inputs"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (bad / "feed.jsonl").write_text(
        '{"id": "ok-1", "published": "2025-01-02", "source": "Test",'
        ' "text": "Police arrested two men in Basra."}\n'
        "this is not json\n"
        '{"id": "no-text"}\n'
    )
    result = runner.invoke(main, ["ingest", "--db", db, str(bad)])
    assert result.exit_code == 1
    assert counts(result.output) == (1, 0, 4)
    assert "empty.txt" in result.output
    assert "binary.txt" in result.output
    assert "feed.jsonl:2" in result.output
    assert "feed.jsonl:3" in result.output


def test_extract_prints_one_object_per_article(runner: CliRunner) -> None:
    result = runner.invoke(main, ["extract", str(SAMPLES / "002_syria_desk.jsonl")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [o["article"]["id"] for o in lines][:2] == ["sample-syria-0001", "sample-syria-0002"]
    for obj in lines:
        assert set(obj) == {"article", "events", "quotes", "claims", "deadlines", "entities"}


def test_extract_repairs_glued_words(runner: CliRunner) -> None:
    result = runner.invoke(main, ["extract", str(SAMPLES / "001_kirkuk_operations.txt")])
    assert result.exit_code == 0, result.output
    article = json.loads(result.output)["article"]
    assert article["source"] == "Tigris Wire"
    assert article["published"] == "2025-03-14T09:41:12"
    assert "near the Hamrin Mountains" in article["text"]
    assert "nearthe Hamrin" in article["raw_text"]
    assert not article["text"].startswith("Tigris Wire/")


def test_export_articles_and_events_csv(runner: CliRunner, db: str) -> None:
    runner.invoke(main, ["ingest", "--db", db, str(SAMPLES)])
    result = runner.invoke(main, ["export", "articles", "--format", "jsonl", "--db", db])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == SAMPLE_ARTICLES
    events = runner.invoke(main, ["export", "events", "--format", "csv", "--db", db])
    assert events.exit_code == 0, events.output
    header = next(csv.reader(io.StringIO(events.output)))
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert "event_date" in header and "sub_event_type" in header


def test_missing_ledger_folder_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "nowhere" / "ledger.db")
    result = runner.invoke(main, ["stats", "--db", db])
    assert result.exit_code != 0
    assert "nowhere" in result.output


def test_readme_documents_every_command_and_option() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"newsledger {name}" in readme, f"README lacks the command {name}"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in readme, f"README lacks {opt} of {name}"
