"""What the place tests ask of a text: where its first event stands."""

from __future__ import annotations

from spacy.language import Language

from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.rules import EventRules
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer


def event_place(nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str) -> str:
    """The place of the first event coded from `text` (published 2021-06-10)."""
    doc = nlp(text)
    events = extract_events(
        doc, "2021-06-10", extract_places(doc, gazetteer, actors=rules.actors), rules
    )
    assert events, text
    return str(events[0].location)
