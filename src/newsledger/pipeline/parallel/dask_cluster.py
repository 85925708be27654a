"""`newsledger ingest --dask tcp://HOST:8786`: the pipeline on a Dask cluster.

The client (the `ingest` process) reads the inputs, skips articles already in the ledger and
submits the rest in batches; each Dask worker runs repair -> annotate -> extract and returns the
`Extraction` records; the client stores them in input order, one transaction per article, in
whichever ledger `--db` names (SQLite or PostgreSQL).

Each worker process loads the spaCy pipeline once, on its first batch, and keeps it as an
attribute of its `distributed.Worker` (one per worker thread: spaCy pipelines are not shared
between threads). Start workers with `--nthreads 1` and as many processes as cores.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import Any

from newsledger.errors import NewsledgerError
from newsledger.pipeline.core import load_resources
from newsledger.pipeline.parallel.workers import WORKER_BATCH, extract_batch
from newsledger.records import Article, Extraction

RESOURCES_ATTRIBUTE = "newsledger_resources"  # on each distributed.Worker: thread id -> Resources


def _resources_on_worker() -> Any:
    """This worker thread's Resources, loaded on first use and kept on the Dask worker."""
    from distributed import get_worker  # Dask loads only on a Dask worker or for `--dask`

    worker = get_worker()
    cache: dict[int, Any] = worker.__dict__.setdefault(RESOURCES_ATTRIBUTE, {})
    key = threading.get_ident()
    if key not in cache:
        cache[key] = load_resources()
    return cache[key]


def extract_on_worker(articles: list[Article]) -> list[Extraction]:
    """The Dask task: extract one batch on a worker (errors name the article)."""
    return extract_batch(articles, _resources_on_worker())


class DaskExtractor:
    """An `Extractor` (see `newsledger.pipeline.core`) that runs on the Dask scheduler at `address`.

    Use as a context manager (connects on entry, disconnects on exit). At most `in_flight`
    batches are on the cluster at once, so a large input never sits in memory whole.
    """

    def __init__(
        self,
        address: str,
        batch_size: int = WORKER_BATCH,
        in_flight: int | None = None,
        timeout: str = "20s",
    ) -> None:
        self.address = address
        self.timeout = timeout
        self.batch_size = batch_size
        self.in_flight = in_flight
        self._client: Any = None

    def __enter__(self) -> DaskExtractor:
        from distributed import Client  # heavy: loaded only when a cluster is used

        try:
            self._client = Client(self.address, timeout=self.timeout)
        except OSError as exc:
            raise NewsledgerError(
                f"cannot reach the Dask scheduler at {self.address}: {exc} "
                "(start one with `dask scheduler` and workers with `dask worker ADDRESS`)"
            ) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __call__(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        client = self._client
        if client is None:
            raise RuntimeError("DaskExtractor is used outside its `with` block")
        most = self.in_flight
        if most is None:
            threads = sum(client.nthreads().values())
            most = 2 * max(threads, 1) + 1
        it = iter(articles)
        pending: deque[Any] = deque()
        while True:
            while len(pending) < most:
                batch = list(islice(it, self.batch_size))
                if not batch:
                    break
                pending.append(client.submit(extract_on_worker, batch, pure=False))
            if not pending:
                return
            extractions: list[Extraction] = pending.popleft().result()
            yield from extractions
