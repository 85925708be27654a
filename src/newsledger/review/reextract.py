"""`ingest --reextract`: run the pipeline again over articles already in the ledger (a new
version of newsledger) and carry each review to the new record (store/reextract.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from newsledger.errors import Rejection
from newsledger.pipeline.core import Extractor
from newsledger.readers import read_inputs
from newsledger.records import Article
from newsledger.store import Ledger
from newsledger.store.reextract import Carried, replace_extraction
from newsledger.track import Tracker, track_article


@dataclass
class ReextractReport:
    articles: int = 0  # re-extracted
    not_stored: int = 0  # inputs not in the ledger (ingest them first)
    rejected: list[Rejection] = field(default_factory=list)
    kept: int = 0  # reviews carried to a record that fits
    rereview: list[dict[str, Any]] = field(default_factory=list)
    changes: int = 0  # flagged when the articles were tracked again

    def add(self, carried: Carried) -> None:
        self.articles += 1
        self.kept += carried.kept
        self.rereview += carried.rereview


def reextract(
    paths: Iterable[str],
    ledger: Ledger,
    extractor: Extractor,
    stdin: Any = None,
    tracker: Tracker | None = None,
) -> ReextractReport:
    """Extract the inputs already stored again, replacing their machine records and carrying
    their reviews; inputs not in the ledger are counted, not stored. With a `tracker`, each
    article is tracked again from its reviewed records."""
    report = ReextractReport()
    ids: dict[str, str] = {}  # the input's id -> the stored article's id

    def stored() -> Iterator[Article]:
        for item in read_inputs(list(paths), stdin=stdin):
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            known = ledger.stored_id(item.id, item.raw_text)
            if known is None:
                report.not_stored += 1
                continue
            ids[item.id] = known
            yield item

    for extraction in extractor(stored()):
        known = ids[extraction.article.id]
        article = replace(extraction.article, id=known)
        report.add(replace_extraction(ledger, replace(extraction, article=article), known))
        if tracker is not None:  # again, on the new records with their reviewed values
            report.changes += track_article(ledger, known, tracker).changes
    return report
