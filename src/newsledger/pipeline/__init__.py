"""The pipeline: read -> repair -> annotate -> extract -> resolve -> store.

`Resources` holds everything loaded once (the spaCy pipeline, the repair lexicons, ...) and is
passed explicitly; nothing here is global.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.annotate import Annotator, load_annotator, load_nlp
from newsledger.errors import Rejection
from newsledger.extract.claims import extract_claims
from newsledger.extract.deadlines import extract_deadlines
from newsledger.extract.events import EventRules, extract_events, load_event_rules
from newsledger.extract.people import AttributionLexicon, extract_people, load_attribution_lexicon
from newsledger.extract.places import extract_places
from newsledger.extract.quotes import extract_quotes
from newsledger.geo import Gazetteer, load_gazetteer
from newsledger.pipeline.parallel.annotator import AnnotatorProcess
from newsledger.readers import read_inputs
from newsledger.records import Article, Extraction
from newsledger.repair import Repairer, load_repairer, repair_article
from newsledger.store import Ledger, StoreResult
from newsledger.track import Tracker, track_article

BATCH_SIZE = 12  # texts per spaCy batch: as fast as 32 on news reports, with half the peak memory

T = TypeVar("T")


class StageTimer:
    """Accumulates wall time per pipeline stage (`perf_counter`), exclusive of nested stages.

    Stages nest because the pipeline is lazy: pulling the next annotated Doc pulls the next
    repaired article, which pulls the next article read. Time spent in an inner stage is counted
    there and not in the outer one, so the stages add up to the wall time they cover.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[Any]] = []  # [stage name, when it last started counting]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        now = time.perf_counter()
        if self._stack:
            outer = self._stack[-1]
            self.seconds[outer[0]] = self.seconds.get(outer[0], 0.0) + now - outer[1]
        self._stack.append([name, now])
        try:
            yield
        finally:
            now = time.perf_counter()
            _, started = self._stack.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + now - started
            if self._stack:
                self._stack[-1][1] = now

    def timed(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the time spent producing each one counted as stage `name`."""
        it = iter(items)
        while True:
            with self.stage(name):
                item = next(it, _END)
            if item is _END:
                return
            yield item


_END: Any = object()


def _stage(timer: StageTimer | None, name: str) -> AbstractContextManager[None]:
    return timer.stage(name) if timer is not None else nullcontext()


@dataclass(frozen=True)
class Resources:
    """What the pipeline loads once and hands to every stage."""

    nlp: Language
    annotator: Annotator  # the same model, its attribute ruler indexed (see annotate/)
    repairer: Repairer
    gazetteer: Gazetteer
    event_rules: EventRules
    attribution: AttributionLexicon


def load_resources() -> Resources:
    nlp = load_nlp()
    return Resources(
        nlp=nlp,
        annotator=load_annotator(nlp),
        repairer=load_repairer(),
        gazetteer=load_gazetteer(),
        event_rules=load_event_rules(),
        attribution=load_attribution_lexicon(),
    )


def extract_from_doc(
    article: Article, doc: Doc, res: Resources, timer: StageTimer | None = None
) -> Extraction:
    """Run every extractor over one annotated article, each fed what it builds on.

    With a `timer`, each extractor's time is counted as stage `extract.NAME`.
    """
    lex = res.attribution
    with _stage(timer, "extract.places"):
        places = extract_places(doc, res.gazetteer)
    with _stage(timer, "extract.people"):
        people = extract_people(doc, lex)
    with _stage(timer, "extract.quotes"):
        quotes = extract_quotes(doc, people, lex)
    with _stage(timer, "extract.events"):
        events = tuple(extract_events(doc, article.published, places, res.event_rules))
    with _stage(timer, "extract.claims"):
        claims = tuple(extract_claims(doc, quotes, people, lex))
    with _stage(timer, "extract.deadlines"):
        deadlines = tuple(extract_deadlines(doc, article.published, quotes, people, lex))
    return Extraction(
        article=article,
        events=events,
        quotes=tuple(quotes),
        claims=claims,
        deadlines=deadlines,
        entities=(*places, *people),
    )


def extract_articles(
    articles: Iterable[Article],
    res: Resources,
    timer: StageTimer | None = None,
    apart: AnnotatorProcess | None = None,
) -> Iterator[Extraction]:
    """Repair, annotate (batched) and extract a stream of articles, keeping their order.

    With `apart`, that process annotates while this one extracts (and annotates when it would
    wait; see parallel/annotator.py).
    With a `timer`, time goes to the stages `repair`, `annotate` (with `apart`: waiting for its
    Docs and annotating here) and `extract.*`.
    """

    def repaired() -> Iterator[tuple[str, Article]]:
        for a in articles:
            with _stage(timer, "repair"):
                fixed = repair_article(res.repairer, a)
            yield fixed.text, fixed

    pairs: Iterable[tuple[Doc, Article]]
    if apart is not None:
        pairs = apart.pipe(repaired(), res.annotator, BATCH_SIZE)
    else:
        pairs = res.annotator.pipe(repaired(), BATCH_SIZE)
    if timer is not None:
        pairs = timer.timed("annotate", pairs)
    for doc, article in pairs:
        yield extract_from_doc(article, doc, res, timer)


Extractor = Callable[[Iterable[Article]], Iterator[Extraction]]
"""Turns a stream of read articles into their extractions, in the same order (in this process,
in worker processes, or on a Dask cluster)."""


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
    ledger: Ledger,
    res: Resources | None,
    progress: Progress = _noop,
    stdin: Any = None,
    *,
    timer: StageTimer | None = None,
    extractor: Extractor | None = None,
    limit: int | None = None,
    tracker: Tracker | None = None,
) -> IngestReport:
    """Read every input, run the pipeline and store each article in its own transaction.

    Articles already in the ledger (same id or same text) are counted as duplicates before any
    annotation is spent on them. Bad inputs are collected as rejections; the rest go on.

    Reading and storing happen here; `extractor` (default: `extract_articles` with `res`, in
    this process) does repair, annotate and extract, for instance in worker processes
    (`newsledger.pipeline.parallel.workers`) or on a Dask cluster
    (`newsledger.pipeline.parallel.dask_cluster`). `limit` stops after
    that many inputs read; `timer` counts time as the stages `read`, `store` and those of
    `extract_articles`. With a `tracker`, each stored article is tracked against the ledger
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
    return ingest_articles(items, ledger, extractor, progress, timer=timer, tracker=tracker)


def ingest_articles(
    items: Iterable[Article | Rejection],
    ledger: Ledger,
    extractor: Extractor,
    progress: Progress = _noop,
    *,
    timer: StageTimer | None = None,
    tracker: Tracker | None = None,
) -> IngestReport:
    """`ingest` for articles already read (by `read_inputs`, or fetched by `newsledger.watch`):
    rejections are counted, known articles skipped, the others extracted, stored and tracked."""
    report = IngestReport()
    started = time.perf_counter()

    if timer is not None:
        items = timer.timed("read", items)

    def fresh_articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                progress("rejected", item.origin)
                continue
            with _stage(timer, "store"):
                known = ledger.stored_id(item.id, item.raw_text)
            if known is None:
                yield item
                continue
            if tracker is not None:  # a run killed after storing it may not have tracked it
                with _stage(timer, "track"):
                    report.changes += track_article(ledger, known, tracker).changes
            report.duplicates += 1
            progress("duplicate", item.origin)

    for extraction in extractor(fresh_articles()):
        with _stage(timer, "store"):
            stored = ledger.store(extraction) is StoreResult.STORED
        if stored:
            report.stored += 1
            if tracker is not None:
                with _stage(timer, "track"):
                    report.changes += track_article(ledger, extraction.article.id, tracker).changes
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
