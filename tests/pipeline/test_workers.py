"""`newsledger ingest --workers 2` stores exactly what one process stores, and names failures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.errors import ExtractionError
from newsledger.pipeline.parallel.workers import ProcessExtractor, extract_batch
from newsledger.records import Article
from newsledger.store import open_ledger
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.slow


def ledger_rows(db: Path) -> tuple[list[str], dict[str, int]]:
    """The stored article ids in order, and the record counts."""
    with open_ledger(db) as ledger:
        ids = [row["id"] for row in ledger.iter_rows("articles")]
        counts = dict(ledger.stats().counts)
    return ids, counts


def test_two_workers_store_what_one_stores(tmp_path: Path) -> None:
    """The default (annotation in a process of its own), one worker and two: the same ledger."""
    runner = CliRunner()
    outputs = {}
    for workers in ("default", "1", "2"):
        db = tmp_path / f"w{workers}.db"
        option = [] if workers == "default" else ["--workers", workers]
        result = runner.invoke(main, ["ingest", "--db", str(db), *option, str(SAMPLES)])
        assert result.exit_code == 0, result.output
        assert re.search(r"stored 7, already there 0, rejected 0", result.output), result.output
        outputs[workers] = ledger_rows(db)
    assert outputs["1"][0] and outputs["1"][0] == outputs["2"][0] == outputs["default"][0]
    assert outputs["1"][1] == outputs["2"][1] == outputs["default"][1]
    assert outputs["1"][1]["events"] > 0 and outputs["1"][1]["quotes"] > 0


class Broken:
    """Stands in for Resources: fails on any article, as a bug in an extractor would."""

    repairer = None


def test_a_failing_article_is_named() -> None:
    article = Article(
        id="art-9",
        source=None,
        published=None,
        url=None,
        title=None,
        text="x",
        raw_text="x",
        origin="feed.jsonl:9",
    )
    with pytest.raises(ExtractionError, match=r"article art-9 \(feed.jsonl:9\)"):
        extract_batch([article], Broken())


def test_workers_keep_input_order_and_stop(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": f"a{i}",
                "published": "2025-01-02",
                "source": "T",
                "text": f"Police arrested {i + 2} men in Basra on Monday.",
            }
        )
        for i in range(9)
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    from newsledger.readers import read_inputs

    articles = [a for a in read_inputs([str(tmp_path / "in.jsonl")]) if isinstance(a, Article)]
    with ProcessExtractor(2, batch_size=2) as extractor:
        out = [x.article.id for x in extractor(articles)]
        assert extractor.children is not None
        procs = list(extractor.children.processes)
    assert out == [f"a{i}" for i in range(9)]
    assert not any(p.is_alive() for p in procs)
    # each worker's own peak memory, read before it stopped: a loaded spaCy model, not the
    # parent's figure (this test process holds no model)
    assert len(extractor.peak_rss_mb) == 2
    assert all(100 < mb < 1500 for mb in extractor.peak_rss_mb), extractor.peak_rss_mb
