"""The pipeline's core: what it loads once (`Resources`), one article's extractors
(`extract_from_doc`), a stream of articles repaired, annotated and extracted
(`extract_articles`), and the stage timer.

`Resources` holds everything loaded once (the spaCy pipeline, the repair lexicons, ...) and is
passed explicitly; nothing here is global.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from newsledger.records import Article, Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsledger.annotate.annotator import Annotator
    from newsledger.extract.events.rules import EventRules
    from newsledger.extract.lexicons import AttributionLexicon, DeadlineLexicon, NumberLexicon
    from newsledger.geo import Gazetteer
    from newsledger.repair import Repairer

# The stages (spaCy, the extractors, the gazetteer) are imported by the functions that run
# them: a process that only reads, stores and tracks while worker processes extract (the
# parent of `ingest --workers N`, the default on many articles) never imports spaCy
# (a second of CPU and a hundred MB less; docs/speed.md).

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


def stage(timer: StageTimer | None, name: str) -> AbstractContextManager[None]:
    return timer.stage(name) if timer is not None else nullcontext()


class AnnotatesApart(Protocol):
    """Annotation elsewhere (`parallel.annotator.AnnotatorProcess`): `local.pipe`'s Docs, in
    order, in `local`'s vocabulary."""

    def pipe(
        self, items: Iterable[tuple[str, Article]], local: Annotator, batch_size: int
    ) -> Iterator[tuple[Doc, Article]]: ...


@dataclass(frozen=True)
class Resources:
    """What the pipeline loads once and hands to every stage."""

    nlp: Language
    annotator: Annotator  # the same model, its attribute ruler indexed (annotate/ruler.py)
    repairer: Repairer
    gazetteer: Gazetteer
    event_rules: EventRules
    attribution: AttributionLexicon
    numbers: NumberLexicon
    deadlines: DeadlineLexicon


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic garbage collection inside the block (threshold 0; a library that disables
    and re-enables the collector itself, as srsly's msgpack does while spaCy loads, does not
    turn it back on), the thresholds restored after it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(0)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def load_resources() -> Resources:
    """Import the stages and load what they use, once per process.

    The garbage collector does not run while they load (`collector_paused`: hundreds of
    collections otherwise walk the half-built model, a tenth of a second of a one-article
    ingest; docs/speed.md, "Start-up")."""
    with collector_paused():
        return _load_resources()


def _load_resources() -> Resources:
    from newsledger.annotate.annotator import load_annotator
    from newsledger.annotate.model import load_nlp
    from newsledger.extract.events.rules import load_event_rules
    from newsledger.extract.lexicons import (
        load_attribution_lexicon,
        load_deadline_lexicon,
        load_number_lexicon,
    )
    from newsledger.geo import load_gazetteer
    from newsledger.repair import load_repairer

    nlp = load_nlp()
    numbers = load_number_lexicon()
    return Resources(
        nlp=nlp,
        annotator=load_annotator(nlp),
        repairer=load_repairer(),
        gazetteer=load_gazetteer(),
        event_rules=load_event_rules(),
        attribution=load_attribution_lexicon(),
        numbers=numbers,
        deadlines=load_deadline_lexicon(numbers),
    )


def extract_from_doc(
    article: Article, doc: Doc, res: Resources, timer: StageTimer | None = None
) -> Extraction:
    """Run every extractor over one annotated article, each fed what it builds on.

    With a `timer`, each extractor's time is counted as stage `extract.NAME`.
    """
    from newsledger.extract.claims import extract_claims
    from newsledger.extract.deadlines import extract_deadlines
    from newsledger.extract.doctext import doc_text
    from newsledger.extract.events.actors import find_actor_mentions
    from newsledger.extract.events.coder import extract_events
    from newsledger.extract.people import extract_people
    from newsledger.extract.places import extract_places
    from newsledger.extract.quotes import extract_quotes

    lex = res.attribution
    actors = res.event_rules.actors
    with stage(timer, "extract.places"):
        # the actor mentions are found once: places and events both read them
        actor_mentions = find_actor_mentions(doc_text(doc), actors)
        places = extract_places(doc, res.gazetteer, actors=actors, actor_mentions=actor_mentions)
    with stage(timer, "extract.people"):
        people = extract_people(doc, lex)
    with stage(timer, "extract.quotes"):
        quotes = extract_quotes(doc, people, lex)
    with stage(timer, "extract.events"):
        events = tuple(
            extract_events(
                doc,
                article.published,
                places,
                res.event_rules,
                article.published_precision,
                actor_mentions,
            )
        )
    with stage(timer, "extract.claims"):
        claims = tuple(extract_claims(doc, quotes, people, res.numbers))
    with stage(timer, "extract.deadlines"):
        deadlines = tuple(
            extract_deadlines(
                doc, article.published, quotes, people, res.deadlines, article.published_precision
            )
        )
    return Extraction(
        article=article,
        events=events,
        quotes=tuple(quotes),
        claims=claims,
        deadlines=deadlines,
        entities=(*places, *people),
        gazetteer=res.gazetteer.sources,
    )


def extract_articles(
    articles: Iterable[Article],
    res: Resources,
    timer: StageTimer | None = None,
    apart: AnnotatesApart | None = None,
) -> Iterator[Extraction]:
    """Repair, annotate (batched) and extract a stream of articles, keeping their order.

    With `apart` (an `AnnotatorProcess`, see `parallel/annotator.py`), that process annotates
    while this one extracts (and annotates when it would wait).
    With a `timer`, time goes to the stages `repair`, `annotate` (with `apart`: waiting for its
    Docs and annotating here) and `extract.*`.
    """

    from newsledger.repair import repair_article

    def repaired() -> Iterator[tuple[str, Article]]:
        for a in articles:
            with stage(timer, "repair"):
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
