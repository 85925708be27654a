"""Session fixtures for the reliability tests (registered for every test in tests/conftest.py).

- `reports`: a JSON Lines file of `ARTICLES` invented reports (`reliability.article`);
- `resources`: the pipeline's resources, loaded once;
- `clean`: (ledger file, `Snapshot`) of one clean in-process ingest of them, tracking on, that
  the other tests compare their ledgers with (PostgreSQL stores and tracks them identically).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.pipeline.core import Resources, load_resources
from newsledger.pipeline.ingest import ingest
from newsledger.store import open_ledger
from newsledger.track import load_tracker, tracking
from tests.helpers.reliability import ARTICLES, Snapshot, snapshot, write_articles


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("reports") / "reports.jsonl", ARTICLES)


@pytest.fixture(scope="session")
def resources() -> Resources:
    return load_resources()


@pytest.fixture(scope="session")
def clean(
    reports: Path, resources: Resources, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Snapshot]:
    """A clean run (in this process, SQLite, tracking on): its ledger file and snapshot."""
    path = tmp_path_factory.mktemp("clean") / "clean.db"
    with open_ledger(path) as ledger:
        report = ingest([str(reports)], ledger, resources, track=tracking(ledger, load_tracker()))
    assert report.stored == ARTICLES and report.ok, report.to_dict()
    return path, snapshot(str(path))
