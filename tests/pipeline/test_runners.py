"""How the pipeline runs (`newsledger.pipeline.runners`): the default chooses from the input and
the machine, `--workers` overrides, and every way gives the same records."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.pipeline.core import extract_articles, load_resources
from newsledger.pipeline.runners import (
    AutoExtractor,
    Runner,
    choose_runner,
    default_workers,
    open_runner,
)
from newsledger.readers import read_inputs
from newsledger.records import Article
from tests.helpers.factories import article
from tests.helpers.paths import SAMPLES


def test_default_workers_are_the_cores_the_memory_holds() -> None:
    assert default_workers(cores=4, memory_mb=16_000) == 4
    assert default_workers(cores=8, memory_mb=1_500) == 2  # 700 MB a worker
    assert default_workers(cores=4, memory_mb=100) == 1
    assert default_workers(cores=1, memory_mb=16_000) == 1


def test_choose_runner() -> None:
    assert choose_runner(cores=1) == Runner("here")
    auto = choose_runner(cores=2)
    assert auto.mode in ("auto", "here")  # "here" when this machine's memory holds one worker
    if auto.mode == "auto":
        assert auto.workers == 2 and auto.processes == 2
    assert choose_runner(0) == Runner("here")
    assert choose_runner(3) == Runner("workers", workers=3)
    assert choose_runner(dask="tcp://h:1") == Runner("dask", address="tcp://h:1")
    with pytest.raises(ValueError, match="--workers and --dask"):
        choose_runner(2, "tcp://h:1")
    with pytest.raises(ValueError):
        Runner("workers", workers=0)


@pytest.mark.slow
def test_auto_runs_a_few_articles_here_and_many_in_workers_with_the_same_records() -> None:
    articles = [a for a in read_inputs([str(SAMPLES)]) if isinstance(a, Article)]
    assert len(articles) == 7
    res = load_resources()
    expected = list(extract_articles(articles, res))
    with AutoExtractor(workers=2, small=8, res=res) as few:
        assert list(few(articles)) == expected
        assert few.children is None  # 7 < 8: in this process, no worker started
    with AutoExtractor(workers=2, small=3) as many:
        assert list(many(articles)) == expected
        assert many.children is not None and len(many.pids) == 2
        pids = many.pids
    assert all(not Path(f"/proc/{pid}/status").exists() or _zombie(pid) for pid in pids)
    with open_runner(Runner("auto", workers=2)) as running:
        assert list(running.extractor([])) == []  # nothing new: no model loaded, no worker
        assert running.pids == () and running.resources is None


def _zombie(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" in status


def test_auto_freezes_what_it_loads_while_it_runs_and_unfreezes_it_on_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The resources of a short run are loaded with the collector paused and frozen out of its
    reach while the runner is open; closing it unfreezes them (their cycles can be collected)."""
    import gc

    import newsledger.pipeline.runners as runners

    seen: dict[str, object] = {}

    def load() -> object:
        seen["threshold while loading"] = gc.get_threshold()[0]
        return [["loaded"] for _ in range(100)]  # tracked objects to freeze

    def extract(articles: object, res: object, timer: object) -> list[str]:
        seen["frozen while extracting"] = gc.get_freeze_count()
        return ["extracted"]

    monkeypatch.setattr(runners, "load_resources", load)
    monkeypatch.setattr(runners, "extract_articles", extract)
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        with AutoExtractor(workers=2) as auto:
            assert list(auto([article("a", "x")])) == ["extracted"]
            assert gc.get_threshold() == thresholds
        assert seen["threshold while loading"] == 0
        assert isinstance(seen["frozen while extracting"], int)
        assert seen["frozen while extracting"] >= 100
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
