"""Locating: which place entity is the event's, its geo precision, and the event's country."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Span as SpacySpan

from newsledger.extract.doctext import doc_text
from newsledger.extract.events.actors import ActorMention, country_name, find_countries
from newsledger.extract.events.incidents import IncidentFrames
from newsledger.extract.events.rules import EventRules
from newsledger.geo import haversine_km
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


NAME_GOES_ON = re.compile(r"\s+[A-Z]")


def event_places(text: str, places: Sequence[Entity], frames: IncidentFrames) -> list[Entity]:
    """The places with the mentions that can be an event's place: not an origin ("a man from
    Leeds"), a person's constituency, an outlet ("the Washington Post"), a base of operations
    ("the Baghdad-based coalition"), a capital speaking or acting for its government ("Moscow
    said", "Washington, which fired"), a nationality word ("British militants")."""
    kept: list[Entity] = []
    for place in places:
        mentions = tuple(
            m
            for m in place.mentions
            if (
                NAME_GOES_ON.match(text, m.end)  # "from the Syrian Observatory": a name's word
                or not any(
                    p.search(text[max(0, m.start - 40) : m.start]) for p in frames.place_not_before
                )
            )
            and not any(p.search(text[m.end : m.end + 40]) for p in frames.place_not_after)
            and not (m.text != place.name and frames.place_adjective.match(m.text))
        )
        if mentions:
            kept.append(replace(place, mentions=mentions))
    return kept


def is_country(place: Entity, rules: EventRules) -> bool:
    return place.name in rules.actors.by_alias and place.admin1 is None


# a name the words after it qualify: "At Turbah area (Ash Shamayatayn, Taizz)", "Hays district in
# western Yemen (Al Hudaydah)", "Al Khattabiyah area of Lahij (Tur Al Bahah, Lahij)": the report
# says where it lies, as it does for the place of its incident
_AREA_NOUNS = (
    r"(?:area|village|town|city|district|sub-?district|neighbou?rhood|region|front|frontline|"
    r"camp|base|airbase|mountain|port|market|square|checkpoint)s?"
)
AREA_BEFORE_PAREN = re.compile(rf"\b{_AREA_NOUNS}\s*\($")
_DIRECTION = r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?"
QUALIFIED_AFTER = re.compile(
    rf"(?:\s+{_AREA_NOUNS})*(?:\s+in\s+(?:the\s+)?{_DIRECTION}\s+(?:part\s+of\s+)?"
    r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})?\s*\(\s*[A-Z]"
)
# a name that qualifies the town written just before it: "Rampur, Jaunpur", "Samana subdivision
# of Patiala district"
QUALIFIER_BEFORE = re.compile(
    r"(?:,|\s+(?:area|village|town|neighbou?rhood|sub-?division|sub-?district|district|taluka|"
    r"tehsil|locality|suburb)\s+of)\s+(?:the\s+)?$"
)
# between a town and the parenthesis that qualifies it: a few lower-case words ("Bir Basha area",
# "Hays district in western Yemen", "Msallata causing heavy damages to civilian buildings")
HEAD_GAP = re.compile(r"(?:\s+(?:[a-z][\w'-]*|in\s+[A-Z][\w'-]*)){0,7}\s*")
# a place named as a landmark the incident is placed from ("west of Marib city"), or an origin
LANDMARK_BEFORE = re.compile(
    rf"(?:\b{_DIRECTION}\s+(?:of|part of|outskirts of)|\bfrom)\s+(?:the\s+)?$", re.IGNORECASE
)
NEAR_QUALIFIER_KM = 50.0  # a qualifier farther than this from the town before it: a namesake
PAREN_NAMES = re.compile(r"\([^()]*$")
IN_A_NAME_AFTER = re.compile(
    r"\s+(?!(?:Province|Governorate|State|Region|District|City)\b)[A-Z][a-z]"
)


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def is_province(place: Entity) -> bool:
    """A province (a division of the gazetteer, not a town named like its province: "Puebla,
    Puebla" is the city): the wider of the names a note gives when it names a town too."""
    return (
        place.geonameid is None
        and place.admin1 is not None
        and _key(place.name) == _key(place.admin1)
    )


def _mention_end(place: Entity, start: int) -> int:
    return next((m.end for m in place.mentions if m.start == start), start)


def _km(a: Entity, b: Entity) -> float:
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _rank(start: int, place: Entity, candidates: Sequence[tuple[int, Entity]], text: str) -> int:
    """0: a town the text qualifies ("X (District, Province)", "X area in western Yemen
    (District, Province)"); 1: another town or district; 2: a province, or a name that
    qualifies a town named just before it and near it ("(District, Province)", "Samana
    subdivision of Patiala district"), or a word of a longer name ("Kerman Coal Mine
    Company"). A landmark the incident is placed from ("west of Marib
    city (Marib)") or an origin ("from Sanhan district (Sanaa)") is no qualified town."""
    towns = [
        (s, _mention_end(p, s), p)
        for s, p in candidates
        if p.latitude is not None and not is_province(p) and p is not place
    ]
    before = text[max(0, start - 100) : start]
    offset = start - len(before)
    opened = PAREN_NAMES.search(before)
    if opened is not None:
        paren = offset + opened.start()
        if _names_itself(text, paren) and not text[paren + 1 : start].strip():
            return 0  # "Al Qarn area of Lahij (Tur Al Bahah, Lahij)": the district
        if (
            is_province(place)
            or any(HEAD_GAP.fullmatch(text, end, paren) for _, end, _ in towns)
            or any(
                HEAD_GAP.fullmatch(text, _mention_end(place, s), paren)
                for s, p in candidates
                if p is place and s < paren
            )
        ):
            return 2
        # the first name of the parenthesis after a port, a camp, a village the gazetteer lacks:
        # "arrived at Socotra port (Hidaybu, Suqutra)"
        return 0 if AREA_BEFORE_PAREN.search(text, max(0, paren - 40), paren + 1) else 1
    qualifier = QUALIFIER_BEFORE.search(before)
    if qualifier is not None and any(
        end == offset + qualifier.start() and _km(town, place) <= NEAR_QUALIFIER_KM
        for _, end, town in towns
    ):
        return 2
    if is_province(place):
        return 2
    end = _mention_end(place, start)
    paren_after = text.find("(", end, end + 3)
    if paren_after >= 0 and _names_itself(text, paren_after):
        return 2  # "the northeast of Sanaa (Nihm, Sanaa)": the province, named again after
    if LANDMARK_BEFORE.search(before):
        return 1
    if QUALIFIED_AFTER.match(text, end):
        return 0
    # a word of a longer name ("Luhansk People's Militia", "Kerman Coal Mine Company")
    return 2 if IN_A_NAME_AFTER.match(text, end) else 1


_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$")
_NAME_BEFORE_PAREN = re.compile(r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\s*$")


def _names_itself(text: str, paren: int) -> bool:
    """Whether the parenthesis opened at `paren` ends with the name written just before it, a
    name that places something else ("area of Lahij (Tur Al Bahah, Lahij)", "the northeast of
    Sanaa (Nihm, Sanaa)"): a province, then a district of it. (A town named like its province,
    "in Kasserine (Ezzouhour, Kasserine)", is the town.)"""
    close = text.find(")", paren, paren + 120)
    head = _NAME_BEFORE_PAREN.search(text, max(0, paren - 40), paren)
    if close < 0 or head is None or "," not in text[paren:close]:
        return False
    if not _OF_BEFORE.search(text, max(0, head.start() - 20), head.start()):
        return False
    last = text[paren + 1 : close].rsplit(",", 1)[1]
    return _key(last) == _key(head.group(1))


def pick_place(
    candidates: Sequence[tuple[int, Entity]], rules: EventRules, text: str | None = None
) -> Entity | None:
    """The first place below country level, one with coordinates if there is one. With the
    `text` the candidates' offsets point into, a place the text qualifies comes first, then other
    towns and districts, then provinces (see `_rank`)."""
    below = [(s, p) for s, p in candidates if not is_country(p, rules)]
    located = [(s, p) for s, p in below if p.latitude is not None]
    if text is not None and len(located) > 1:
        located = sorted(located, key=lambda sp: (_rank(sp[0], sp[1], candidates, text), sp[0]))
    for group in (located, below, list(candidates)):
        if group:
            return group[0][1]
    return None


def nearest_place(
    sentence: SpacySpan, places: Sequence[Entity], anchors: Sequence[int], rules: EventRules
) -> Entity | None:
    """Of the places below country level a sentence names, the one nearest to where its event
    is told (`anchors`: offsets of its trigger words): "people gathered in London to mourn a man
    killed in Raqqa" is an event in Raqqa."""
    inside = [
        (start, p)
        for start, p in places_in(sentence.start_char, sentence.end_char, places)
        if not is_country(p, rules) and p.latitude is not None
    ]
    if len({p.name for _, p in inside}) < 2 or not anchors:
        return None
    _, best = min(inside, key=lambda sp: (min(abs(sp[0] - a) for a in anchors), sp[0]))
    return best


def locate(
    first: SpacySpan,
    own: Entity | None,
    para_start: int,
    places: Sequence[Entity],
    rules: EventRules,
    group_end: int | None = None,
) -> tuple[Entity | None, int | None]:
    """The event's place and its mention offset: the place of its first sentence (`own`), one
    named before it in its paragraph (from `para_start`), or the article's main place. When the
    first sentence names only a country or a place the gazetteer lacks ("a Saudi-led airstrike
    was reported on"), a town the sentences that continue it name (up to `group_end`: "[...]
    (Mukayras, Al Bayda)") comes first."""
    doc = first.doc
    if group_end is not None and (own is None or own.latitude is None or is_country(own, rules)):
        later = places_in(first.end_char, group_end, places)
        chosen = pick_place(later, rules, doc_text(doc)) if later else None
        if chosen is not None and chosen.latitude is not None and not is_country(chosen, rules):
            own_first = own is not None or not any(
                para_start <= m.start < first.start_char and not is_country(p, rules)
                for p in places
                for m in p.mentions
            )
            if own_first:
                return chosen, min(m.start for m in chosen.mentions if m.start >= first.end_char)
    if own is not None and not (
        is_country(own, rules)
        and _by_demonym_only(own, first)
        and _town_before(para_start, first, places, rules, own)
    ):
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
        chosen = pick_place(sentence, rules, doc_text(doc))
        offset = min(o for o, p in before if p is chosen and o >= lo)
        return chosen, offset
    if places:
        main = max(places, key=lambda p: (len(p.mentions), -min(m.start for m in p.mentions)))
        return main, None
    return None, None


def _by_demonym_only(country: Entity, sentence: SpacySpan) -> bool:
    """Whether the sentence names the country only by its adjective ("in several Croatian
    cities"), as a report does when it sums up what it told before."""
    inside = [m for m in country.mentions if sentence.start_char <= m.start < sentence.end_char]
    return bool(inside) and all(_key(m.text) != _key(country.name) for m in inside)


def _town_before(
    para_start: int, first: SpacySpan, places: Sequence[Entity], rules: EventRules, country: Entity
) -> bool:
    """Whether the paragraph names a place of the `country` below country level (with
    coordinates) before the event's sentence, which names only that country: "[...] in Osijek,
    Croatia. This was a protest in several Croatian cities" is the protest in Osijek, not one
    in Croatia."""
    return any(
        para_start <= m.start < first.start_char
        and not is_country(p, rules)
        and p.latitude is not None
        and p.country == country.name
        for p in places
        for m in p.mentions
    )


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
