"""Worker processes for `newsledger ingest --workers N`: one spaCy pipeline per process.

The parent reads the inputs, skips articles already in the ledger, and sends the rest in small
batches to N worker processes (`process.py`'s children). Each worker loads the `Resources` once,
runs repair -> annotate -> extract on each batch and sends the `Extraction` records back. The
parent puts them back into input order and stores each article in its own transaction: it alone
owns the ledger.

A worker that fails on an article sends back an `ExtractionError` naming that article; the parent
raises it (the articles before it are stored). A worker that dies (killed, out of memory) is
reported with the articles it was working on.
"""

from __future__ import annotations

import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import TracebackType
from typing import Any

from newsledger.errors import ExtractionError
from newsledger.pipeline.core import Resources, extract_articles, load_resources
from newsledger.pipeline.parallel.process import (
    ChildProcesses,
    TaskFailed,
    first_failure,
    serve,
    stop_with_parent,
)
from newsledger.records import Article, Extraction

WORKER_BATCH = 4  # articles per task: small, so the workers stay evenly loaded


def extract_batch(articles: list[Article], res: Resources) -> list[Extraction]:
    """The pipeline over one batch; a failure is raised as ExtractionError naming the article.

    On an error the batch is run again one article at a time, to name the one that fails.
    """
    try:
        return list(extract_articles(articles, res))
    except Exception as batch_exc:  # raised again below as an ExtractionError naming the article
        found = first_failure(articles, lambda article: list(extract_articles([article], res)))
        if found is not None:
            position, message = found
            article = articles[position]
            raise ExtractionError(
                f"extraction failed on article {article.id} "
                f"({article.origin or 'no origin'}): {message}"
            ) from batch_exc
        origins = ", ".join(a.origin or a.id for a in articles)
        raise ExtractionError(
            f"extraction failed on the batch {origins}: {type(batch_exc).__name__}: {batch_exc}\n"
            f"{traceback.format_exc()}"
        ) from batch_exc


def _worker_main(tasks: Any, results: Any, parent: int) -> None:
    """A worker process: load the pipeline once, then extract batches until told to stop."""
    stop_with_parent(parent)
    res = load_resources()
    serve(tasks, results, parent, lambda articles: _extract_or_fail(articles, res))


def _extract_or_fail(articles: list[Article], res: Resources) -> list[Extraction]:
    try:
        return extract_batch(articles, res)
    except ExtractionError as exc:  # sent to the parent, which raises it
        raise TaskFailed(str(exc)) from exc


@dataclass
class ProcessExtractor:
    """An `Extractor` (see `newsledger.pipeline.core`) that runs the pipeline in N worker
    processes.

    Use as a context manager: the workers start (and load their models) on entry, while the
    parent reads, and stop on exit.
    """

    workers: int
    batch_size: int = WORKER_BATCH
    peak_rss_mb: list[float] = field(default_factory=list)  # each worker's, read as it stops
    children: ChildProcesses | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")
        self.children = ChildProcesses(
            _worker_main, self.workers, "newsledger-worker", "worker process {name}", "extracted"
        )

    def __enter__(self) -> ProcessExtractor:
        assert self.children is not None
        self.children.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.children is not None
        self.children.stop(at_once=exc_type is not None)
        self.peak_rss_mb = list(self.children.peak_rss_mb)

    @property
    def ready_seconds(self) -> float | None:
        """From start until every worker had loaded its model."""
        return self.children.ready_seconds if self.children is not None else None

    @property
    def pids(self) -> tuple[int, ...]:
        return self.children.pids if self.children is not None else ()

    def cpu_seconds(self) -> float:
        return self.children.cpu_seconds() if self.children is not None else 0.0

    def _batches(self, articles: Iterable[Article]) -> Iterator[list[Article]]:
        """`batch_size` articles at a time, and the last `workers * batch_size` one at a time
        (the input read that far ahead to see its end), so that the workers finish together:
        with whole batches to the end, one worker extracted the last batch alone while the
        others waited (docs/speed.md, "Fourth pass")."""
        it = iter(articles)
        tail = self.workers * self.batch_size
        ahead: deque[Article] = deque(islice(it, tail))
        for article in it:
            ahead.append(article)
            if len(ahead) == tail + self.batch_size:
                yield [ahead.popleft() for _ in range(self.batch_size)]
        while ahead:
            yield [ahead.popleft()]

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        children = self.children
        if children is None or not children.processes:
            raise RuntimeError("ProcessExtractor is used outside its `with` block")
        batches = self._batches(articles)
        in_flight: dict[int, list[Article]] = {}
        finished: dict[int, list[Extraction]] = {}
        sent = next_out = 0
        most = 2 * self.workers + 1  # batches queued at once: enough to keep every worker busy
        exhausted = False

        def busy() -> str:
            return ", ".join(a.origin or a.id for batch in in_flight.values() for a in batch)

        while True:
            while not exhausted and len(in_flight) + len(finished) < most:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                children.send(sent, batch)
                in_flight[sent] = batch
                sent += 1
            while next_out in finished:
                yield from finished.pop(next_out)
                next_out += 1
            if not in_flight:
                if exhausted:
                    return
                continue  # everything sent has been yielded: send more before waiting
            message = children.receive(True, busy)
            assert message is not None  # waiting gives a message or raises
            kind, index, payload = message
            if kind == "error":
                raise ExtractionError(payload)
            if kind == "done":
                in_flight.pop(index)
                finished[index] = payload
