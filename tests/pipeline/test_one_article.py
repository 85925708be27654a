"""A short `newsledger ingest` (one article into a new ledger) runs in this process and imports only
what it runs: no worker or Dask runner, no feed reader, no mojibake fixer for a text without
mojibake, no web stack (docs/speed.md, "Start-up")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

NOT_ON_THE_PATH = (
    "newsledger.pipeline.parallel",  # worker processes, the annotation process, Dask
    "multiprocessing.pool",
    "dask",
    "distributed",
    "feedparser",  # RSS and Atom only
    "ftfy",  # only for a text that may hold mojibake
    "wordninja",  # only for a glued lower-case run
    "trafilatura",
    "fastapi",
    "uvicorn",
    "newsledger.web",
)

_RUN = """
import json, sys
from newsledger.cli import main
try:
    main(["ingest", "--quiet", "--db", sys.argv[1], sys.argv[2]])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.slow
def test_one_article_is_ingested_here_loading_only_what_it_runs(tmp_path: Path) -> None:
    article = {
        "id": "one",
        "published": "2024-03-02",
        "source": "Test Wire",
        "title": "Two killed in a roadside bomb near Kirkuk",
        "text": "KIRKUK, Iraq - A roadside bomb killed two soldiers near Kirkuk on Saturday, "
        "the Iraqi army said. Officials said the attack happened south of the city.",
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(tmp_path / "ledger.db"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert "stored 1," in done.stdout
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "spacy" in loaded and "newsledger.extract.events.coder" in loaded  # it did extract
    assert sorted(m for m in loaded if m.startswith(NOT_ON_THE_PATH)) == []
