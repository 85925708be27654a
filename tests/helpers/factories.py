"""Records for tests, with defaults for every field a test does not care about.

Each factory takes what makes its record distinct and keyword arguments for the rest, so a test
names only the fields it checks:

    event(evidence(TEXT, "Gunmen attacked a checkpoint."), location="Tikrit", fatalities=2)
    quote("We will stay", speaker="Salim Haddad", evidence=evidence(TEXT, sentence))

`evidence(text, fragment)` and `mention(text, words)` find the fragment in the text, so their
offsets are right by construction. The people, places and sentences are made up by each test.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from newsledger.records import (
    Article,
    Claim,
    Deadline,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Quote,
    SpeakerKind,
)


def evidence(text: str, fragment: str | None = None, *, start: int | None = None) -> Evidence:
    """`fragment` where it first occurs in `text` (or at `start`); the whole text without one."""
    fragment = text if fragment is None else fragment
    if start is None:
        start = text.index(fragment)
    return Evidence(start, start + len(fragment), fragment)


def mention(text: str, words: str) -> Mention:
    """`words` where they first occur in `text`."""
    start = text.index(words)
    return Mention(start, start + len(words), words)


def article(
    id_: str = "art-1",
    text: str = "Made-up report.",
    *,
    source: str | None = "Test Wire",
    published: str | None = "2024-01-01T00:00:00",
    url: str | None = None,
    title: str | None = None,
    raw_text: str | None = None,
    **changes: Any,
) -> Article:
    """An article whose raw text is its clean text unless given."""
    made = Article(
        id=id_,
        source=source,
        published=published,
        url=url,
        title=title,
        text=text,
        raw_text=text if raw_text is None else raw_text,
    )
    return replace(made, **changes) if changes else made


def event(found: Evidence, **fields: Any) -> Event:
    """An event taken from `found`: an armed clash with no date, actor or place unless given;
    notes default to the evidence's text."""
    values: dict[str, Any] = {
        "event_date": None,
        "time_precision": None,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": None,
        "assoc_actor_1": None,
        "actor2": None,
        "assoc_actor_2": None,
        "location": None,
        "admin1": None,
        "admin2": None,
        "country": None,
        "latitude": None,
        "longitude": None,
        "geo_precision": None,
        "fatalities": 0,
        "notes": found.text,
        "evidence": found,
        "confidence": 0.8,
        "more_evidence": (),
    }
    unknown = set(fields) - set(values)
    if unknown:
        raise TypeError(f"Event has no field {sorted(unknown)}")
    values.update(fields)
    return Event(**values)


def quote(
    text: str,
    found: Evidence,
    *,
    speaker: str | None = None,
    title: str | None = None,
    kind: Literal["direct", "indirect"] = "direct",
    cue: str | None = "said",
    speaker_kind: SpeakerKind = "unknown",
) -> Quote:
    return Quote(speaker, title, text, kind, cue, found, speaker_kind)


def claim(
    value: float,
    unit: str,
    found: Evidence,
    *,
    subject: str | None = None,
    claimed_by: str | None = None,
) -> Claim:
    return Claim(value, unit, subject, claimed_by, found)


def deadline(
    subject: str,
    when: str,
    found: Evidence,
    *,
    relation: str = "by",
    stated_by: str | None = None,
) -> Deadline:
    """A deadline whose precision follows from `when` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    precision: Literal["day", "month", "year"] = (
        "day" if len(when) == 10 else "month" if len(when) == 7 else "year"
    )
    return Deadline(subject, when, precision, relation, stated_by, found)


def person(name: str, *mentions: Mention, title: str | None = None) -> Entity:
    return Entity(kind="person", name=name, mentions=mentions, title=title)


def place(name: str, *mentions: Mention, **where: Any) -> Entity:
    """A place; `where`: latitude, longitude, admin1, country, geonameid, title."""
    return Entity(kind="place", name=name, mentions=mentions, **where)


def extraction(of: Article, **records: tuple[Any, ...]) -> Extraction:
    """An extraction of `of` with the given records (events=(...), quotes=(...), ...)."""
    return Extraction(of, **records)
