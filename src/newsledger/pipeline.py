"""The pipeline: read -> repair -> annotate -> extract -> resolve -> store.

`Resources` holds everything loaded once (the spaCy pipeline, the repair lexicons, ...) and is
passed explicitly; nothing here is global.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.annotate import load_nlp
from newsledger.errors import Rejection
from newsledger.extract.claims import extract_claims
from newsledger.extract.deadlines import extract_deadlines
from newsledger.extract.events import EventRules, extract_events, load_event_rules
from newsledger.extract.people import AttributionLexicon, extract_people, load_attribution_lexicon
from newsledger.extract.places import extract_places
from newsledger.extract.quotes import extract_quotes
from newsledger.gazetteer import Gazetteer, load_gazetteer
from newsledger.readers import read_inputs
from newsledger.records import Article, Extraction
from newsledger.repair import Repairer, load_repairer, repair_article
from newsledger.store import Ledger, StoreResult

BATCH_SIZE = 32


@dataclass(frozen=True)
class Resources:
    """What the pipeline loads once and hands to every stage."""

    nlp: Language
    repairer: Repairer
    gazetteer: Gazetteer
    event_rules: EventRules
    attribution: AttributionLexicon


def load_resources() -> Resources:
    return Resources(
        nlp=load_nlp(),
        repairer=load_repairer(),
        gazetteer=load_gazetteer(),
        event_rules=load_event_rules(),
        attribution=load_attribution_lexicon(),
    )


def extract_from_doc(article: Article, doc: Doc, res: Resources) -> Extraction:
    """Run every extractor over one annotated article, each fed what it builds on."""
    lex = res.attribution
    places = extract_places(doc, res.gazetteer)
    people = extract_people(doc, lex)
    quotes = extract_quotes(doc, people, lex)
    return Extraction(
        article=article,
        events=tuple(extract_events(doc, article.published, places, res.event_rules)),
        quotes=tuple(quotes),
        claims=tuple(extract_claims(doc, quotes, people, lex)),
        deadlines=tuple(extract_deadlines(doc, article.published, quotes, people, lex)),
        entities=(*places, *people),
    )


def extract_articles(articles: Iterable[Article], res: Resources) -> Iterator[Extraction]:
    """Repair, annotate (batched) and extract a stream of articles, keeping their order."""
    repaired = (repair_article(res.repairer, a) for a in articles)
    pairs = res.nlp.pipe(((a.text, a) for a in repaired), as_tuples=True, batch_size=BATCH_SIZE)
    for doc, article in pairs:
        yield extract_from_doc(article, doc, res)


@dataclass
class IngestReport:
    """What one ingest run did; `rejected` keeps each rejection with its reason."""

    stored: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
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
    res: Resources,
    progress: Progress = _noop,
    stdin: Any = None,
) -> IngestReport:
    """Read every input, run the pipeline and store each article in its own transaction.

    Articles already in the ledger (same id or same text) are counted as duplicates before any
    annotation is spent on them. Bad inputs are collected as rejections; the rest go on.
    """
    report = IngestReport()
    started = time.perf_counter()

    def fresh_articles() -> Iterator[Article]:
        for item in read_inputs(list(paths), stdin=stdin):
            if isinstance(item, Rejection):
                report.rejected.append(item)
                progress("rejected", item.origin)
            elif ledger.has_article(item.id, item.raw_text):
                report.duplicates += 1
                progress("duplicate", item.origin)
            else:
                yield item

    for extraction in extract_articles(fresh_articles(), res):
        if ledger.store(extraction) is StoreResult.STORED:
            report.stored += 1
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
