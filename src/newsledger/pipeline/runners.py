"""How to run the pipeline, chosen in one place: `choose_runner` says how, `open_runner` starts
it and gives the `Extractor` that `ingest` (and `bench`) feed articles through.

- "here": repair, annotate and extract in this process, in turn;
- "annotator": a child process annotates while this one extracts (`parallel/annotator.py`);
- "workers": N worker processes each run the whole pipeline (`parallel/workers.py`);
- "dask": the pipeline on a Dask cluster (`parallel/dask_cluster.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Literal

from newsledger.pipeline.core import (
    Extractor,
    Resources,
    StageTimer,
    extract_articles,
    load_resources,
)
from newsledger.pipeline.parallel.annotator import AnnotatorProcess
from newsledger.pipeline.parallel.dask_cluster import DaskExtractor
from newsledger.pipeline.parallel.workers import ProcessExtractor

Mode = Literal["here", "annotator", "workers", "dask"]


@dataclass(frozen=True)
class Runner:
    """How the pipeline runs: `mode`, with `workers` processes or the Dask scheduler `address`."""

    mode: Mode
    workers: int = 0
    address: str | None = None

    def __post_init__(self) -> None:
        if self.mode == "workers" and self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")
        if self.mode == "dask" and not self.address:
            raise ValueError("the Dask runner needs the scheduler's address")

    @property
    def processes(self) -> int:
        """The processes it runs the pipeline in, this one included (Dask: this one only)."""
        return {"here": 1, "annotator": 2, "workers": self.workers + 1, "dask": 1}[self.mode]

    def __str__(self) -> str:
        if self.mode == "workers":
            return f"{self.workers} worker process" + ("es" if self.workers > 1 else "")
        if self.mode == "dask":
            return f"Dask at {self.address}"
        return {"here": "this process", "annotator": "an annotation process"}[self.mode]


def choose_runner(workers: int | None = None, dask: str | None = None) -> Runner:
    """The runner for `newsledger ingest`: `--dask ADDRESS` on that cluster, `--workers N` in N
    worker processes, else annotation in a process of its own."""
    if dask is not None and workers is not None:
        raise ValueError("--workers and --dask do not go together (Dask has its own)")
    if dask is not None:
        return Runner("dask", address=dask)
    if workers is not None:
        return Runner("workers", workers=workers)
    return Runner("annotator")


@dataclass(frozen=True)
class Running:
    """A started runner: its `extractor`, the `resources` loaded in this process (None for
    workers and Dask) and its child processes (`pids`, `cpu_seconds`, `ready_seconds`)."""

    runner: Runner
    extractor: Extractor
    resources: Resources | None = None
    children: AnnotatorProcess | ProcessExtractor | None = None

    @property
    def pids(self) -> tuple[int, ...]:
        return self.children.pids if self.children is not None else ()

    def cpu_seconds(self) -> float:
        """The child processes' CPU time so far."""
        return self.children.cpu_seconds() if self.children is not None else 0.0


@contextmanager
def open_runner(
    runner: Runner, res: Resources | None = None, timer: StageTimer | None = None
) -> Iterator[Running]:
    """Start `runner` (child processes start first and load their models while this process
    loads its own `Resources`, or uses `res`), yield it, and stop it on exit. `timer` counts
    the stages of the runs in this process."""
    if runner.mode == "dask":
        assert runner.address is not None
        with DaskExtractor(runner.address) as on_cluster:
            yield Running(runner, on_cluster)
    elif runner.mode == "workers":
        with ProcessExtractor(runner.workers) as in_processes:
            yield Running(runner, in_processes, children=in_processes)
    elif runner.mode == "annotator":
        with AnnotatorProcess() as apart:
            loaded = res or load_resources()
            extractor = partial(extract_articles, res=loaded, timer=timer, apart=apart)
            yield Running(runner, extractor, loaded, apart)
    else:
        loaded = res or load_resources()
        yield Running(runner, partial(extract_articles, res=loaded, timer=timer), loaded)
