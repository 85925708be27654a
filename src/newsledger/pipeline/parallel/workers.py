"""Worker processes for `newsledger ingest --workers N`: one spaCy pipeline per process.

The parent reads the inputs, skips articles already in the ledger, and sends the rest in small
batches to N worker processes (multiprocessing, spawn start method). Each worker loads the
`Resources` once, runs repair -> annotate -> extract on each batch and sends the `Extraction`
records back. The parent puts them back into input order and stores each article in its own
transaction: it alone owns the ledger.

A worker that fails on an article sends back an `ExtractionError` naming that article; the parent
raises it (the articles before it are stored). A worker that dies (killed, out of memory) is
reported with the articles it was working on.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from newsledger.errors import NewsledgerError
from newsledger.records import Article, Extraction

WORKER_BATCH = 4  # articles per task: small, so the workers stay evenly loaded
POLL_SECONDS = 1.0  # how often the parent checks that its workers are alive while it waits


class ExtractionError(NewsledgerError):
    """Extraction failed on one article (in a worker process or on a Dask worker)."""


def extract_batch(articles: list[Article], res: Any) -> list[Extraction]:
    """The pipeline over one batch; a failure is raised as ExtractionError naming the article.

    On an error the batch is run again one article at a time, to name the one that fails.
    """
    from newsledger.pipeline import extract_articles

    try:
        return list(extract_articles(articles, res))
    except Exception as batch_exc:  # raised again below as an ExtractionError naming the article
        for article in articles:
            try:
                list(extract_articles([article], res))
            except Exception as exc:  # raised again, naming the article, with the worker's trace
                raise ExtractionError(
                    f"extraction failed on article {article.id} "
                    f"({article.origin or 'no origin'}): {type(exc).__name__}: {exc}\n"
                    f"worker traceback:\n{traceback.format_exc()}"
                ) from exc
        origins = ", ".join(a.origin or a.id for a in articles)
        raise ExtractionError(
            f"extraction failed on the batch {origins}: {type(batch_exc).__name__}: {batch_exc}"
        ) from batch_exc


def next_task(tasks: Any, parent: int) -> Any:
    """The next task from `tasks`, or None once told to stop or once the parent process `parent`
    is gone (killed: a child waiting on its queue would otherwise live on, holding its model)."""
    while True:
        try:
            return tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def _worker_main(tasks: Any, results: Any, parent: int) -> None:
    """A worker process: load the pipeline once, then extract batches until told to stop."""
    from newsledger.pipeline import load_resources

    res = load_resources()
    results.put(("ready", multiprocessing.current_process().pid, None))
    while (task := next_task(tasks, parent)) is not None:
        index, articles = task
        try:
            results.put(("done", index, extract_batch(articles, res)))
        except ExtractionError as exc:
            results.put(("error", index, str(exc)))
    results.cancel_join_thread()  # results no one reads (a dead parent) must not keep it alive


def process_cpu_seconds(pid: int) -> float | None:
    """A live process's CPU time so far (user + system, from /proc); None where /proc does not
    tell."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.is_file():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command name
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def process_peak_rss_mb(pid: int) -> float | None:
    """A live process's peak resident memory (Linux's VmHWM, which starts afresh at exec, unlike
    getrusage's figure for children); None where /proc does not tell."""
    status = Path(f"/proc/{pid}/status")
    if not status.is_file():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return None


@dataclass
class ProcessExtractor:
    """An `Extractor` (see `newsledger.pipeline`) that runs the pipeline in N worker processes.

    Use as a context manager: the workers start (and load their models) on entry, while the
    parent reads, and stop on exit.
    """

    workers: int
    batch_size: int = WORKER_BATCH
    started: float = 0.0
    ready_seconds: float | None = None  # from start until every worker had loaded its model
    peak_rss_mb: list[float] = field(default_factory=list)  # each worker's, read as it stops
    _procs: list[BaseProcess] = field(default_factory=list)
    _tasks: Any = None
    _results: Any = None
    _ready: int = 0

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")

    def __enter__(self) -> ProcessExtractor:
        ctx = multiprocessing.get_context("spawn")
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self.started = time.perf_counter()
        for n in range(self.workers):
            proc = ctx.Process(
                target=_worker_main,
                args=(self._tasks, self._results, os.getpid()),
                name=f"newsledger-worker-{n + 1}",
                daemon=True,
            )
            proc.start()
            self._procs.append(proc)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        peaks = (process_peak_rss_mb(proc.pid) for proc in self._procs if proc.pid is not None)
        self.peak_rss_mb = [mb for mb in peaks if mb is not None]
        for proc in self._procs:
            if proc.is_alive():
                self._tasks.put(None)
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        self._procs.clear()
        self._tasks.cancel_join_thread()  # never wait on a dead worker's pipe at exit
        self._tasks.close()
        self._results.close()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        if not self._procs:
            raise RuntimeError("ProcessExtractor is used outside its `with` block")
        it = iter(articles)
        batches = iter(lambda: list(islice(it, self.batch_size)), [])
        in_flight: dict[int, list[Article]] = {}
        finished: dict[int, list[Extraction]] = {}
        sent = next_out = 0
        most = 2 * self.workers + 1  # batches queued at once: enough to keep every worker busy
        exhausted = False
        while True:
            while not exhausted and len(in_flight) + len(finished) < most:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                self._tasks.put((sent, batch))
                in_flight[sent] = batch
                sent += 1
            while next_out in finished:
                yield from finished.pop(next_out)
                next_out += 1
            if not in_flight:
                if exhausted:
                    return
                continue  # everything sent has been yielded: send more before waiting
            kind, index, payload = self._next_result(in_flight)
            if kind == "ready":
                self._ready += 1
                if self._ready == self.workers:
                    self.ready_seconds = time.perf_counter() - self.started
            elif kind == "error":
                raise ExtractionError(payload)
            else:
                in_flight.pop(index)
                finished[index] = payload

    def _next_result(self, in_flight: dict[int, list[Article]]) -> tuple[str, int, Any]:
        while True:
            try:
                result: tuple[str, int, Any] = self._results.get(timeout=POLL_SECONDS)
                return result
            except queue.Empty:
                dead = [p for p in self._procs if not p.is_alive()]
                if dead:
                    pending = [a.origin or a.id for batch in in_flight.values() for a in batch]
                    raise ExtractionError(
                        f"worker process {dead[0].name} stopped (exit code {dead[0].exitcode}) "
                        f"while these articles were being extracted: {', '.join(pending)}"
                    ) from None
