"""Articles and records written for the tracking tests (made-up people and statements)."""

from __future__ import annotations

from newsledger.records import (
    Article,
    Deadline,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Quote,
)
from newsledger.store import Ledger


def span(text: str, start: int = 0) -> Evidence:
    return Evidence(start, start + len(text), text)


def person(name: str, title: str | None = None, *mentions: str) -> Entity:
    return Entity(
        kind="person",
        name=name,
        mentions=tuple(Mention(0, len(m), m) for m in (name, *mentions)),
        title=title,
    )


def place(name: str) -> Entity:
    return Entity(kind="place", name=name, mentions=(Mention(0, len(name), name),))


def quote(
    speaker: str, text: str, title: str | None = None, sentence: str | None = None, start: int = 0
) -> Quote:
    return Quote(speaker, title, text, "direct", "said", span(sentence or text, start))


def deadline(
    subject: str, when: str, relation: str = "by", sentence: str | None = None
) -> Deadline:
    precision = "day" if len(when) == 10 else "month"
    return Deadline(
        subject,
        when,
        precision,
        relation,
        None,  # type: ignore[arg-type]
        span(sentence or subject),
    )


def event(
    day: str,
    location: str,
    lat: float,
    lon: float,
    actor1: str | None,
    actor2: str | None,
    precision: int = 1,
) -> Event:
    return Event(
        day,
        precision,
        "Battles",
        "Armed clash",
        actor1,
        None,
        actor2,
        None,
        location,
        None,
        None,
        "Testland",
        lat,
        lon,
        1,
        0,
        "made up",
        span("made up"),
        0.9,
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
    article = Article(article_id, source, published, None, None, text, text)
    ledger.store(Extraction(article, **records))  # type: ignore[arg-type]
    return article_id
