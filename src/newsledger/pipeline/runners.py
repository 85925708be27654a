"""How to run the pipeline, chosen in one place: `choose_runner` says how, `open_runner` starts
it and gives the `Extractor` that `ingest` (and `bench`) feed articles through.

- "auto" (`newsledger ingest`'s default): a handful of articles in this process, more in as many
  worker processes as the machine has cores (fewer if its memory would not hold them). It
  decides on the articles themselves, after the ones already stored are skipped: it looks at
  the first `SMALL_INPUT` new ones, so an input of nothing new loads no model at all;
- "here": repair, annotate and extract in this process, in turn;
- "annotator": a child process annotates while this one extracts (`parallel/annotator.py`);
- "workers": N worker processes each run the whole pipeline (`parallel/workers.py`);
- "dask": the pipeline on a Dask cluster (`parallel/dask_cluster.py`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from newsledger.pipeline.core import (
    Extractor,
    Resources,
    StageTimer,
    collector_paused,
    extract_articles,
    load_resources,
)
from newsledger.records import Article, Extraction

if TYPE_CHECKING:
    from newsledger.pipeline.parallel.annotator import AnnotatorProcess
    from newsledger.pipeline.parallel.workers import ProcessExtractor

Mode = Literal["auto", "here", "annotator", "workers", "dask"]

SMALL_INPUT = 8  # new articles: fewer are extracted in this process (docs/speed.md)
WORKER_MB = 700  # a worker's peak resident memory, about (its model, lexicons and Docs)


def machine_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def available_mb() -> float | None:
    """The memory available to new processes (Linux's MemAvailable); None where unknown."""
    meminfo = Path("/proc/meminfo")
    if not meminfo.is_file():
        return None
    for line in meminfo.read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return None


def default_workers(cores: int | None = None, memory_mb: float | None = None) -> int:
    """As many worker processes as cores, fewer when the memory available would not hold them
    (`WORKER_MB` each)."""
    count = cores if cores is not None else machine_cores()
    memory = memory_mb if memory_mb is not None else available_mb()
    if memory is not None:
        count = min(count, int(memory // WORKER_MB))
    return max(count, 1)


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
        """The processes that annotate, at most (Dask: none here; auto: its workers)."""
        return {"here": 1, "annotator": 2, "dask": 0}.get(self.mode, self.workers)

    def __str__(self) -> str:
        if self.mode == "auto":
            return f"this process for a few articles, else {self.workers} worker processes"
        if self.mode == "workers":
            return f"{self.workers} worker process" + ("es" if self.workers > 1 else "")
        if self.mode == "dask":
            return f"Dask at {self.address}"
        return {"here": "this process", "annotator": "an annotation process"}[self.mode]


def choose_runner(
    workers: int | None = None, dask: str | None = None, cores: int | None = None
) -> Runner:
    """The runner for `newsledger ingest`: `--dask ADDRESS` on that cluster, `--workers N` in N
    worker processes (0: in this process), else "auto" with `default_workers(cores)` (one
    core: in this process)."""
    if dask is not None and workers is not None:
        raise ValueError("--workers and --dask do not go together (Dask has its own)")
    if dask is not None:
        return Runner("dask", address=dask)
    if workers == 0:
        return Runner("here")
    if workers is not None:
        return Runner("workers", workers=workers)
    count = default_workers(cores)
    return Runner("auto", workers=count) if count > 1 else Runner("here")


@dataclass
class AutoExtractor:
    """The "auto" runner: fewer than `small` new articles are extracted in this process (its
    `Resources` loaded on the first one), more in `workers` worker processes, started on the
    first input that has that many. A context manager: the workers stop on exit."""

    workers: int
    small: int = SMALL_INPUT
    res: Resources | None = None
    timer: StageTimer | None = None
    children: ProcessExtractor | None = None
    _stack: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> AutoExtractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.__exit__(exc_type, exc, tb)

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        it = iter(articles)
        head = list(islice(it, self.small))
        if not head:
            return
        if self.children is None and (len(head) < self.small or self.workers < 2):
            if self.res is None:
                self.res = self._load()
            yield from extract_articles(chain(head, it), self.res, self.timer)
            return
        if self.children is None:
            from newsledger.pipeline.parallel.workers import ProcessExtractor

            self.children = self._stack.enter_context(ProcessExtractor(self.workers))
        yield from self.children(chain(head, it))

    def _load(self) -> Resources:
        """This runner's resources, kept until it closes: loaded with the collector paused and
        then frozen out of its reach (`gc.freeze`; the collections of the run need not walk the
        model again: a tenth of a second of a one-article ingest), unfrozen when it closes (what
        they hold in cycles can be collected then)."""
        with collector_paused():
            res = load_resources()
            gc.freeze()  # inside the pause: before a collection walks what was just loaded
        self._stack.callback(gc.unfreeze)
        return res

    @property
    def pids(self) -> tuple[int, ...]:
        return self.children.pids if self.children is not None else ()

    def cpu_seconds(self) -> float:
        return self.children.cpu_seconds() if self.children is not None else 0.0


@dataclass(frozen=True)
class Running:
    """A started runner: its `extractor`, the `resources` loaded in this process (None for
    workers and Dask) and its child processes (`pids`, `cpu_seconds`, `ready_seconds`)."""

    runner: Runner
    extractor: Extractor
    resources: Resources | None = None
    children: AnnotatorProcess | ProcessExtractor | AutoExtractor | None = None

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
    if runner.mode == "auto":
        with AutoExtractor(runner.workers, res=res, timer=timer) as auto:
            yield Running(runner, auto, res, auto)
    elif runner.mode == "dask":
        from newsledger.pipeline.parallel.dask_cluster import DaskExtractor

        assert runner.address is not None
        with DaskExtractor(runner.address) as on_cluster:
            yield Running(runner, on_cluster)
    elif runner.mode == "workers":
        from newsledger.pipeline.parallel.workers import ProcessExtractor

        with ProcessExtractor(runner.workers) as in_processes:
            yield Running(runner, in_processes, children=in_processes)
    elif runner.mode == "annotator":
        # imports spaCy (it reads Docs back): only for this runner (see core.py)
        from newsledger.pipeline.parallel.annotator import AnnotatorProcess

        with AnnotatorProcess() as apart:
            loaded = res or load_resources()
            extractor = partial(extract_articles, res=loaded, timer=timer, apart=apart)
            yield Running(runner, extractor, loaded, apart)
    else:
        loaded = res or load_resources()
        yield Running(runner, partial(extract_articles, res=loaded, timer=timer), loaded)
