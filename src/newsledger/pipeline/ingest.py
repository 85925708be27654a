"""Ingest: read every input, run the pipeline, store each article and track it; and
`extract_paths`, the pipeline without storing (`newsledger extract`).

The ledger and the tracking come in from above (`newsledger.store`, `newsledger.track` are
higher stages): `ingest` needs of the ledger only `stored_id` and `store` (`ArticleSink`), and
of tracking a function that tracks one stored article and says how many changes it flagged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from newsledger.errors import Rejection
from newsledger.pipeline.core import Extractor, Resources, StageTimer, extract_articles, stage
from newsledger.pipeline.interrupts import checked_signals
from newsledger.readers import read_inputs
from newsledger.records import Article, Extraction, StoreResult


class ArticleSink(Protocol):
    """What ingest needs of a ledger (`newsledger.store.Ledger`)."""

    def stored_id(self, article_id: str, raw_text: str) -> str | None: ...

    def store(self, extraction: Extraction) -> StoreResult: ...


Track = Callable[[str], int]
"""Tracks the stored article with this id against the ledger; returns the changes it flagged
(`newsledger.track.track_article(ledger, article_id, tracker).changes`)."""


@dataclass
class IngestReport:
    """What one ingest run did; `rejected` keeps each rejection with its reason."""

    stored: int = 0
    duplicates: int = 0
    changes: int = 0  # flagged by tracking
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "changes": self.changes,
            "rejected": [str(r) for r in self.rejected],
            "seconds": round(self.seconds, 3),
        }


Progress = Callable[[str, str], None]
"""Called as progress(outcome, origin) with outcome "stored", "duplicate" or "rejected"."""


def _noop(outcome: str, origin: str) -> None:
    return None


def ingest(
    paths: Iterable[str],
    ledger: ArticleSink,
    res: Resources | None,
    progress: Progress = _noop,
    stdin: Any = None,
    *,
    timer: StageTimer | None = None,
    extractor: Extractor | None = None,
    limit: int | None = None,
    track: Track | None = None,
) -> IngestReport:
    """Read every input, run the pipeline and store each article in its own transaction.

    Articles already in the ledger (same id or same text) are counted as duplicates before any
    annotation is spent on them. Bad inputs are collected as rejections; the rest go on.

    Reading and storing happen here; `extractor` (default: `extract_articles` with `res`, in
    this process) does repair, annotate and extract, for instance in worker processes
    (`newsledger.pipeline.parallel.workers`) or on a Dask cluster
    (`newsledger.pipeline.parallel.dask_cluster`). `limit` stops after
    that many inputs read; `timer` counts time as the stages `read`, `store` and those of
    `extract_articles`. With `track`, each stored article is tracked against the ledger
    (`newsledger.track`: entities merged, repeated events merged, changes flagged) as stage
    `track`; the tracking of one article touches only the records it shares a key with. An
    input already stored but not yet tracked (a run killed between the two) is tracked then.
    """
    if extractor is None:
        if res is None:
            raise ValueError("ingest needs the loaded Resources or an extractor")
        loaded = res

        def extractor(articles: Iterable[Article]) -> Iterator[Extraction]:
            return extract_articles(articles, loaded, timer)

    items: Iterable[Article | Rejection] = read_inputs(list(paths), stdin=stdin)
    if limit is not None:
        items = islice(items, limit)
    return ingest_articles(items, ledger, extractor, progress, timer=timer, track=track)


def ingest_articles(
    items: Iterable[Article | Rejection],
    ledger: ArticleSink,
    extractor: Extractor,
    progress: Progress = _noop,
    *,
    timer: StageTimer | None = None,
    track: Track | None = None,
) -> IngestReport:
    """`ingest` for articles already read (by `read_inputs`, or fetched by `newsledger.watch`):
    rejections are counted, known articles skipped, the others extracted, stored and tracked.

    A Ctrl+C or SIGTERM stops the run before the next article even if Python swallowed the
    handler's exception (`interrupts.checked_signals`)."""
    with checked_signals() as signals:
        return _ingest_articles(items, ledger, extractor, progress, timer, track, signals.check)


def _ingest_articles(
    items: Iterable[Article | Rejection],
    ledger: ArticleSink,
    extractor: Extractor,
    progress: Progress,
    timer: StageTimer | None,
    track: Track | None,
    check_signals: Callable[[], None],
) -> IngestReport:
    report = IngestReport()
    started = time.perf_counter()

    if timer is not None:
        items = timer.timed("read", items)

    def fresh_articles() -> Iterator[Article]:
        for item in items:
            check_signals()
            if isinstance(item, Rejection):
                report.rejected.append(item)
                progress("rejected", item.origin)
                continue
            with stage(timer, "store"):
                known = ledger.stored_id(item.id, item.raw_text)
            if known is None:
                yield item
                continue
            if track is not None:  # a run killed after storing it may not have tracked it
                with stage(timer, "track"):
                    report.changes += track(known)
            report.duplicates += 1
            progress("duplicate", item.origin)

    for extraction in extractor(fresh_articles()):
        check_signals()
        with stage(timer, "store"):
            stored = ledger.store(extraction) is StoreResult.STORED
        if stored:
            report.stored += 1
            if track is not None:
                with stage(timer, "track"):
                    report.changes += track(extraction.article.id)
            progress("stored", extraction.article.origin)
        else:  # the same text twice within one run
            report.duplicates += 1
            progress("duplicate", extraction.article.origin)
    report.seconds = time.perf_counter() - started
    return report


def extract_paths(
    paths: Iterable[str], res: Resources, stdin: Any = None
) -> Iterator[Extraction | Rejection]:
    """`newsledger extract`: the pipeline without storing, rejections in input order."""
    pending: list[Rejection] = []

    def articles() -> Iterator[Article]:
        for item in read_inputs(list(paths), stdin=stdin):
            if isinstance(item, Rejection):
                pending.append(item)
            else:
                yield item

    for extraction in extract_articles(articles(), res):
        yield from pending
        pending.clear()
        yield extraction
    yield from pending
