"""The coder: an Event assembled from each group of sentences (type, actors, place, date,
fatalities, evidence)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from newsledger.extract.events.actors import find_actor_mentions, resolve_back_references
from newsledger.extract.events.dates import resolve_event_date
from newsledger.extract.events.fatalities import count_fatalities
from newsledger.extract.events.grouping import group_sentences, paragraph_starts
from newsledger.extract.events.locating import (
    agreeing_place,
    choose_country,
    country_votes,
    geo_precision,
    locate,
    place_country,
)
from newsledger.extract.events.roles import choose_actors, final_actors, lead_in_actors
from newsledger.extract.events.rules import EventRules, classify
from newsledger.records import Entity, Event, Evidence


def _summary(text: str) -> str:
    return " ".join(text.split())


def extract_events(
    doc: Doc,
    published: str | None,
    places: Sequence[Entity],
    rules: EventRules,
    published_precision: str | None = None,
) -> list[Event]:
    """One Event per event-reporting sentence (with the sentences that continue it);
    `published_precision` widens dates resolved against a free-form publication date."""
    groups = group_sentences(doc, places, rules)
    if not groups:
        return []
    doc_text = doc.text  # spaCy joins every token again on each access
    all_mentions = resolve_back_references(find_actor_mentions(doc_text, rules.actors))
    starts = paragraph_starts(doc_text)
    events: list[Event] = []
    context: tuple[str, int] | None = None
    for group in groups:
        first = group.sentences[0]
        start, end = first.start_char, first.end_char
        group_end = group.sentences[-1].end_char
        text = doc_text[start:group_end]
        mentions = [m for m in all_mentions if start <= m.start and m.end <= end]
        if not any(m.armed for m in mentions):
            lead = starts[group.paragraph]
            mentions = lead_in_actors(all_mentions, lead, start, doc) + mentions
        place, offset = locate(first, group.place, starts[group.paragraph], places, rules)
        votes = country_votes(place, (start, group_end), doc_text, places, mentions, rules)
        country = choose_country(votes, place, rules)
        if place is not None and country is not None and place_country(place, rules) != country:
            better = agreeing_place(first, country, places, rules)
            if better is not None:
                place = better
                offset = min(m.start for m in better.mentions)
        found = choose_actors(mentions, doc, country, rules)
        later = [m for m in all_mentions if end <= m.start and m.end <= group_end]
        civilian = found.civilian or any(m.kind == "civilians" for m in later)
        coded = classify(group.hits, found.armed, civilian, found.actor1_kind, rules)
        if coded is None:
            continue
        event_type, sub, index = coded
        actor1, actor2 = final_actors(sub, found, mentions + later, country, rules)
        date, precision = resolve_event_date(first.text, published, context, published_precision)
        if date is None:
            date, precision = (
                context
                if context
                else resolve_event_date("today", published, None, published_precision)
            )
            if date is not None and not context:
                precision = 2
        if date is not None and precision is not None:
            context = (date, precision)
        deaths = count_fatalities(text, rules.counts)
        confidence = 0.45 + 0.25 * (1 - index / len(rules.rules))
        confidence += 0.15 * found.named + 0.15 * (place is not None)
        events.append(
            Event(
                event_date=date,
                time_precision=precision,
                event_type=event_type,
                sub_event_type=sub,
                actor1=actor1 or None,
                assoc_actor_1=None,
                actor2=actor2 or None,
                assoc_actor_2=None,
                location=place.name if place is not None else None,
                admin1=place.admin1 if place is not None else None,
                admin2=None,
                country=country,
                latitude=place.latitude if place is not None else None,
                longitude=place.longitude if place is not None else None,
                geo_precision=(
                    geo_precision(place, offset, doc_text, rules) if place is not None else None
                ),
                fatalities=deaths or 0,
                notes=_summary(first.text),
                evidence=Evidence(start, end, doc_text[start:end]),
                confidence=round(min(1.0, confidence), 3),
            )
        )
    return events
