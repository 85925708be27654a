"""`newsledger ingest --dask` on a two-process LocalCluster on loopback stores what a plain
ingest stores, into SQLite and into a shared PostgreSQL ledger."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.errors import NewsledgerError
from newsledger.pipeline.parallel.dask_cluster import DaskExtractor
from newsledger.store import open_ledger
from tests.helpers.paths import SAMPLES

distributed = pytest.importorskip("distributed")


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


def stored(url: str) -> tuple[list[str], dict[str, int]]:
    with open_ledger(url) as ledger:
        ids = sorted(r["id"] for r in ledger.iter_rows("articles"))
        return ids, dict(ledger.stats().counts)


def test_dask_ingest_stores_what_a_plain_ingest_stores(
    cluster: Any, ledger_urls: Callable[[str], str]
) -> None:
    runner = CliRunner()
    plain, on_dask = ledger_urls("plain.db"), ledger_urls("dask.db")
    first = runner.invoke(main, ["ingest", "--db", plain, str(SAMPLES)])
    assert first.exit_code == 0, first.output
    result = runner.invoke(
        main, ["ingest", "--db", on_dask, "--dask", cluster.scheduler_address, str(SAMPLES)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"stored 7, already there 0, rejected 0", result.output), result.output
    assert stored(plain) == stored(on_dask)

    again = runner.invoke(
        main, ["ingest", "--db", on_dask, "--dask", cluster.scheduler_address, str(SAMPLES)]
    )
    assert again.exit_code == 0, again.output
    assert "stored 0, already there 7" in again.output


def test_unreachable_scheduler_is_named() -> None:
    with (
        pytest.raises(NewsledgerError, match=r"tcp://127\.0\.0\.1:9"),
        DaskExtractor("tcp://127.0.0.1:9", timeout="1s"),
    ):
        pass


def test_workers_and_dask_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["ingest", "--db", str(tmp_path / "x.db"), "--workers", "2", "--dask", "tcp://x:1", "-"],
    )
    assert result.exit_code == 2
    assert "--workers and --dask" in result.output
