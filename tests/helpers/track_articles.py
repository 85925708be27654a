"""Articles and records written for the tracking tests (made-up people and statements).

Every record's evidence starts at the beginning of the article unless a start is given; the
tracking rules read the records, not their offsets.
"""

from __future__ import annotations

from newsledger.records import Deadline, Entity, Event, Evidence, Mention, Quote
from newsledger.store import Ledger
from tests.helpers import factories


def span(text: str, start: int = 0) -> Evidence:
    return factories.evidence(text, start=start)


def person(name: str, title: str | None = None, *mentions: str) -> Entity:
    return factories.person(name, *(Mention(0, len(m), m) for m in (name, *mentions)), title=title)


def place(name: str) -> Entity:
    return factories.place(name, Mention(0, len(name), name))


def quote(
    speaker: str, text: str, title: str | None = None, sentence: str | None = None, start: int = 0
) -> Quote:
    return factories.quote(text, span(sentence or text, start), speaker=speaker, title=title)


def deadline(
    subject: str, when: str, relation: str = "by", sentence: str | None = None
) -> Deadline:
    return factories.deadline(subject, when, span(sentence or subject), relation=relation)


def event(
    day: str,
    location: str,
    lat: float,
    lon: float,
    actor1: str | None,
    actor2: str | None,
    precision: int = 1,
) -> Event:
    return factories.event(
        span("made up"),
        event_date=day,
        time_precision=precision,
        actor1=actor1,
        actor2=actor2,
        location=location,
        country="Testland",
        latitude=lat,
        longitude=lon,
        geo_precision=1,
        confidence=0.9,
    )


def store(
    ledger: Ledger,
    article_id: str,
    published: str,
    text: str = "",
    source: str = "Test Wire",
    **records: tuple[object, ...],
) -> str:
    text = text or f"Made-up report {article_id}."
    article = factories.article(article_id, text, source=source, published=published)
    ledger.store(factories.extraction(article, **records))
    return article_id
