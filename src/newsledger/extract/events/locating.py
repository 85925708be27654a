"""Locating: which place entity is the event's, its geo precision, and the event's country."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Span as SpacySpan

from newsledger.extract.events.actors import ActorMention, country_name, find_countries
from newsledger.extract.events.rules import EventRules
from newsledger.records import Entity

NEAR_WORDS = re.compile(
    r"\b(?:near|outskirts|vicinity|around|between|area|areas|surroundings|(?:north|south|east|west|"
    r"northeast|northwest|southeast|southwest)(?:ern)? (?:of|part)|km|kilomet(?:er|re)s)\W*$",
    re.IGNORECASE,
)
AREA_AFTER = re.compile(
    r"^\W{0,2}(?:area|areas|district|outskirts|countryside|mountains?|valley|desert|frontline|"
    r"front|region of|border|sector|base|camp|forest|hills?)\b",
    re.IGNORECASE,
)
REGION_AFTER = re.compile(
    r"^\W{0,2}(?:province|governorate|region|state|oblast|department|prefecture)\b", re.IGNORECASE
)
AREA_NAME = re.compile(
    r"\b(?:mountains?|hills?|valley|wadi|desert|base|camp|airport|prison|border|crossing|"
    r"district|region|forest|river|lake|sea|frontline|front)\b",
    re.IGNORECASE,
)


def places_in(start: int, end: int, places: Sequence[Entity]) -> list[tuple[int, Entity]]:
    found = [
        (m.start, place)
        for place in places
        for m in place.mentions
        if start <= m.start and m.end <= end
    ]
    return sorted(found, key=lambda f: f[0])


def is_country(place: Entity, rules: EventRules) -> bool:
    return place.name in rules.actors.by_alias and place.admin1 is None


def pick_place(candidates: Sequence[tuple[int, Entity]], rules: EventRules) -> Entity | None:
    """The first place below country level, one with coordinates if there is one."""
    below = [p for _, p in candidates if not is_country(p, rules)]
    located = [p for p in below if p.latitude is not None]
    for group in (located, below, [p for _, p in candidates]):
        if group:
            return group[0]
    return None


def locate(
    first: SpacySpan,
    own: Entity | None,
    para_start: int,
    places: Sequence[Entity],
    rules: EventRules,
) -> tuple[Entity | None, int | None]:
    """The event's place and its mention offset: the place of its first sentence (`own`), one
    named before it in its paragraph (from `para_start`), or the article's main place."""
    doc = first.doc
    if own is not None:
        mention = min(
            (m.start for m in own.mentions if first.start_char <= m.start),
            default=None,
        )
        return own, mention
    before = [
        (m.start, p)
        for p in places
        for m in p.mentions
        if para_start <= m.start < first.start_char and not is_country(p, rules)
    ]
    if before:
        # the closest earlier sentence that names a place, and in it the place an event of its
        # own would take (the town, not the district and province that qualify it)
        last, _ = max(before, key=lambda b: b[0])
        token = doc.char_span(last, last + 1, alignment_mode="expand")
        lo = token.sent.start_char if token is not None else last
        sentence = sorted((b for b in before if b[0] >= lo), key=lambda b: b[0])
        chosen = pick_place(sentence, rules)
        offset = min(o for o, p in before if p is chosen and o >= lo)
        return chosen, offset
    if places:
        main = max(places, key=lambda p: (len(p.mentions), -min(m.start for m in p.mentions)))
        return main, None
    return None, None


def geo_precision(place: Entity, offset: int | None, text: str, rules: EventRules) -> int:
    if is_country(place, rules):
        return 3
    if offset is None:
        return 2
    mention = next((m for m in place.mentions if m.start == offset), None)
    end = mention.end if mention is not None else offset
    before = text[max(0, offset - 30) : offset]
    after = text[end : end + 20]
    if REGION_AFTER.search(after) or (
        place.admin1
        and place.name == place.admin1
        and re.search(r"\bprovince|governorate", after, re.I)
    ):
        return 3
    if NEAR_WORDS.search(before) or AREA_AFTER.search(after) or AREA_NAME.search(place.name):
        return 2
    return 1


def place_country(place: Entity, rules: EventRules) -> str | None:
    return country_name(place.country, rules.actors) or country_name(place.name, rules.actors)


def country_votes(
    place: Entity | None,
    span: tuple[int, int],
    doc_text: str,
    places: Sequence[Entity],
    mentions: Sequence[ActorMention],
    rules: EventRules,
) -> Counter[str]:
    """Evidence for the event's country: its place, the other places named in the event and
    in the article, country names and demonyms in the event, the home of named actors."""
    votes: Counter[str] = Counter()
    if place is not None and (own := place_country(place, rules)):
        votes[own] += 3
    start, end = span
    for other in places:
        country = place_country(other, rules)
        inside = any(start <= m.start < end for m in other.mentions)
        if country is not None and other is not place and inside:
            votes[country] += 2
    counted = [(m.start, m.end) for m in mentions]
    counted += [(m.start, m.end) for other in places if other is not place for m in other.mentions]
    for offset, country in find_countries(doc_text[start:end], rules.actors):
        # "Saudi-led coalition", "Israeli forces": armed forces act abroad, their flag is no place;
        # a country the place entities name has its vote already
        at = start + offset
        if not any(lo <= at < hi for lo, hi in counted):
            votes[country] += 2
    for mention in mentions:
        if mention.country and "{" not in mention.template:
            votes[mention.country] += 1
    if not votes:  # nothing in the event itself: the places of the whole article
        for other in places:
            if (country := place_country(other, rules)) is not None:
                votes[country] += len(other.mentions)
    return votes


def choose_country(votes: Counter[str], place: Entity | None, rules: EventRules) -> str | None:
    if not votes:
        return None
    best = max(votes.values())
    own = place_country(place, rules) if place is not None else None
    if own is not None and votes[own] == best:
        return own
    return max(votes, key=lambda c: votes[c])


def agreeing_place(
    first: SpacySpan, country: str | None, places: Sequence[Entity], rules: EventRules
) -> Entity | None:
    """A place of the event's sentence in the voted country, when the first one is elsewhere."""
    inside = places_in(first.start_char, first.end_char, places)
    return pick_place([(i, p) for i, p in inside if place_country(p, rules) == country], rules)
