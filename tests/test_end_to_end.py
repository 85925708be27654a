"""The foundation's acceptance run on the shared corpora: 251 articles, then none again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main

pytestmark = pytest.mark.slow


def test_ingest_seeds_and_guardian_twice(shared: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    inputs = [str(shared / "corpus" / "seeds"), str(shared / "corpus" / "guardian_sdf.jsonl")]
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--no-track", "--db", db, *inputs])
    assert first.exit_code == 0, first.output
    assert "stored 251, already there 0, rejected 0" in first.output

    again = runner.invoke(main, ["ingest", "--no-track", "--db", db, *inputs])
    assert again.exit_code == 0, again.output
    assert "stored 0, already there 251, rejected 0" in again.output

    stats = json.loads(runner.invoke(main, ["stats", "--db", db, "--format", "json"]).output)
    assert stats["sources"] == {"Guardian": 249, "Shafaq News": 2}

    exported = runner.invoke(main, ["export", "articles", "--format", "jsonl", "--db", db])
    articles = {a["published"]: a for a in map(json.loads, exported.output.splitlines())}
    seeds = [a for a in articles.values() if a["source"] == "Shafaq News"]
    gold = json.loads((shared / "eval" / "seeds.gold.json").read_text(encoding="utf-8"))
    for glued in gold["glued"]:
        raw_in = [a for a in seeds if glued["raw"] in a["raw_text"]]
        assert raw_in, glued
        assert all(glued["fixed"] in a["text"] for a in raw_in), glued
