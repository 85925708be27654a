"""Places an article names, resolved to the gazetteer, with every mention.

`extract_places(doc, gazetteer)` returns one `Entity` (kind "place") per place: its canonical
name, coordinates, admin1, country and geonameid, and every mention with character offsets into
`doc.text`. Mentions come from spaCy's named entities (GPE, LOC, FAC; NORP when it is a
nationality: "Iraqi" is a mention of Iraq) and from the gazetteer's phrase list (countries,
demonyms, US states with AP abbreviations, Iraq/Syria bases, camps, mountains and spellings that
the small model misses), and from capitalised names the gazetteer knows where the words around
them say they are places ("near Marinka", "Mamou town", "Goma (Goma, Nord-Kivu)"). A name and the
names that qualify it ("Town (District, Province)", "Town, Province") are resolved together, in one
country. Names are resolved in the document's context: the countries it names,
and the provinces its other places lie in ("Alexandria" next to "La." is Louisiana's).

For the event extractor: `find_place_mentions` returns the resolved `PlaceMention`s (each with its
`Place`, so `geo_precision` applies), and `places_in(entities, start, end)` picks the places
mentioned inside a sentence's span.

The rules that weigh the report's countries where names are romanized from Arabic script are in
`place_context.py`. (This module is past 600 lines: the mention finders and the resolution in
context share the `_Candidate` type and its helpers.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsledger.datafiles import full_names, month_numbers, weekday_numbers
from newsledger.extract.doctext import doc_text
from newsledger.extract.events.actors import BACKER_AFTER, CURRENCY_AFTER, ActorLexicon
from newsledger.extract.place_actors import country_codes, report_actors
from newsledger.extract.place_context import (
    arabic_countries,
    district_pairs,
    implies_country,
    paren_countries,
    province_countries,
    stray,
)
from newsledger.geo import Gazetteer, Place, haversine_km, name_key
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES
from newsledger.records import Entity, Mention

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NEAR_KM = 100.0
WEAK_SOURCES = frozenset({"ORG", "PERSON"})  # names found inside other kinds of entity
_LARGE = frozenset({"country", "admin1", "region", "desert"})
MIN_POPULATION_IN_NAME = 5000  # a one-word town inside an organisation's name
_LEADING = frozenset({"the", "The", "THE"})
QUALIFIED_BONUS = 3.0  # a candidate lying in the province that the text names beside it
MIN_ALIAS_POPULATION = 20000  # a name known only as another spelling: a town this large
_CAP = r"[A-Z\u00C0-\u00DE][\w'’]*(?:-[\w'’]+)*"
_PARTICLE = r"(?:de|del|de la|da|do|dos|das|di|du|des|la|las|los|le|el|al|ul|e|y|sur|am|an|im)"
_NAME = re.compile(rf"(?<![\w-]){_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP})*")
_WORD = re.compile(rf"{_CAP}")
_PLACE_NOUNS = (
    r"(?:town|village|city|district|province|region|state|municipality|county|township|"
    r"department|governorate|oblast|prefecture|commune|locality|settlement|neighbou?rhood|"
    r"sub-?county|sub-?district|division|tehsil|upazila|area|camp|island|LGA)"
)
# "in central Van", "near downtown Beirut": a part of the town is the town
_PART_OF_TOWN = r"(?:(?:[Cc]entral|[Dd]owntown|northern|southern|eastern|western)\s+)?"
_STRONG_LOCATIVE = re.compile(
    rf"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Aa]round|outskirts of|vicinity of|{_PLACE_NOUNS} of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest) of)\s+"
    rf"{_PART_OF_TOWN}$"
)
# a name the text places ("in the area of Shakhta Trudovskaya, ", "near Novoselivka Druha, ")
# before a comma, known or not: the province written after it qualifies it
_PLACED_BEFORE_COMMA = re.compile(
    rf"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Aa]round|outskirts of|vicinity of|{_PLACE_NOUNS} of)\s+"
    rf"(?:the\s+)?{_CAP}(?:[\s-]+{_CAP}){{0,3}}\s*,\s*$"
)
_QUALIFYING_GAP = re.compile(rf"(?:\s+{_PLACE_NOUNS})?\s*[,(]\s*(?:the\s+)?$")
# the last names of a parenthesis after a place, past names the gazetteer lacks:
# "Bamenda town (Mezam, " before "Nord-Ouest)"
_PAREN_QUALIFYING = re.compile(
    rf"(?:\s+{_PLACE_NOUNS})?\s*\(\s*(?:{_CAP}(?:[\s-]+{_CAP}){{0,3}}\s*,\s*){{1,2}}$"
)
# a parenthesis of names after a name, as reports qualify a village the gazetteer may lack:
# "Kafr Tala area (Khadra, Sanaa)"; the names in it are places
_PAREN_LIST = re.compile(
    rf"{_CAP}(?:\s+{_PLACE_NOUNS})?\s*\(\s*(?:{_CAP}(?:[\s-]+{_CAP}){{0,3}}\s*,\s*){{0,2}}$"
)
_PAREN_LIST_END = re.compile(r"\s*[,)]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*)$")
# an Arabic article or a joining word after a name: the name goes on ("Wadi al-Rabi")
_NAME_GOES_ON = re.compile(
    r"[\s-](?:al|el|ad|ar|as|ash|at|ath|az|adh|an|ed|er|es|et|ez|ul|wa|bin|ibn)[\s-]\w",
)
_GOVERNS_AFTER = re.compile(
    r"\s+(?:Governor(?:'s|’s)?|Governorship|Governorate|Municipality|Municipal|Mayor(?:'s|’s)?|"
    r"Mayoralty|Prefecture|Provincial|City\s+Council|City\s+Hall)\b"
)
# the Arabic articles a romanized name may begin with ("Al Karaa", "El Bouni", "As Sawadiyah")
ARABIC_ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "at", "ath", "az", "adh", "an", "ed", "er", "es", "et"}
)
# between a place and the country a parenthesis of its district and province follows:
# "Al Jarr area in northwestern Yemen (Abs, Hajjah)"
_IN_COUNTRY_GAP = re.compile(
    rf"(?:\s+{_PLACE_NOUNS})?\s+in\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?"
    r"(?:part\s+of\s+)?"
)
_STREET_AFTER = re.compile(
    r"\s+(?:streets?|roads?|avenues?|drives?|lanes?|boulevard|highway|bridge|school|church)\b"
)
# a road, a roundabout or a bridge named after the town it is in or leads to, where reports
# from countries whose names are romanized from Arabic script place a roadblock ("blocked the
# Halba highway", "the Zahle roundabout"); elsewhere it is a street's name ("the Lincoln
# Highway"), so such a name is kept only when it resolves in one of those countries
_ROAD_AFTER = re.compile(r"\s+(?:highway|roundabout|road|intersection|junction|bridge)\b")
_ROAD_BEFORE = re.compile(r"\b(?:the|an?)\s+$")
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "at",
        "near",
        "on",
        "from",
        "to",
        "of",
        "and",
        "or",
        "for",
        "with",
        "by",
        "during",
        "around",
        "outside",
        "inside",
        "between",
        "this",
        "that",
        "these",
        "those",
        "many",
        "any",
        "some",
        "all",
        "when",
        "while",
        "after",
        "before",
        "since",
        "as",
        "if",
        "but",
    ]
)
_PLACE_WORD_AFTER = re.compile(rf"\s+(?:{_PLACE_NOUNS}|camps)\b")  # "Tindouf camps"
_REGION_AFTER = re.compile(r"\s+(?:province|state|region|governorate|oblast|department)\b(?!\s+of)")
_QUALIFIER_JOIN = re.compile(
    rf"(?:\s+{_PLACE_NOUNS})?\s*(?:,|\(|\s-)\s*(?:the\s+)?(?:{_PLACE_NOUNS}\s+of\s+)?"
    r"|\s+(?:area|village|neighbou?rhood|quarter|locality|district|sub-?district)\s+(?:of|in)\s+"
    r"(?:the\s+)?"
)
_CALENDAR = frozenset(
    name.capitalize() for name in full_names(month_numbers()) + full_names(weekday_numbers())
)
_TRAILING = frozenset({"'s", "’s", "'", "’"})


@dataclass(frozen=True)
class PlaceMention:
    """A stretch of the text that names a place; `place` is None when the gazetteer has no
    entry for it (a place spaCy found that cannot be put on a map)."""

    start: int
    end: int
    text: str
    place: Place | None
    source: str  # the spaCy label (GPE, LOC, FAC, NORP) or "LEXICON"


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    source: str


def find_place_mentions(
    doc: Doc,
    gazetteer: Gazetteer,
    context_countries: Sequence[str] = (),
    actors: ActorLexicon | None = None,
) -> list[PlaceMention]:
    """Every place mention in the document, in text order, resolved in its context. With the
    `actors` lexicon, the armed groups the text names are no places, and their countries are
    the report's when it names none (see `place_actors.py`)."""
    text = doc_text(doc)
    named_actors = report_actors(text, actors)
    candidates = _spacy_candidates(doc, text, gazetteer) + _lexicon_candidates(doc, text, gazetteer)
    candidates += _pattern_candidates(text, gazetteer, candidates, doc.ents)
    candidates = [
        c
        for c in candidates
        if not CURRENCY_AFTER.match(text, c.end)
        # "according to Taliban": a named armed group, not the village known so by another name
        and not (named_actors.names_group(c.start, c.end) and _other_name_only(gazetteer, c.text))
    ]
    chosen = _non_overlapping(candidates, gazetteer)
    if not chosen:
        return []

    # the countries the document is about: named ones, nationalities, curated Iraq/Syria names
    countries = [c for c in (gazetteer.country_code(n) for n in context_countries) if c]
    # "Saudi-led coalition", "Turkish-backed rebels": the backer's country is not the report's
    backers = {c for c in chosen if BACKER_AFTER.match(text, c.end)}
    for c in chosen:
        if c in backers:
            continue
        code = gazetteer.country_code(c.text)
        if code:
            countries.append(code)
        elif c.source == "LEXICON":
            place = gazetteer.resolve(c.text)
            if place and place.country_code:
                countries.append(place.country_code)

    # "(District, Province)" of an Arabic-script country: its country ("(Hidaybu, Suqutra)")
    countries += paren_countries(text, gazetteer, _NAME)
    # the countries of the armed groups it names: "pro-Houthi forces [...] over Al Jawf
    # governorate" is Yemen's Al Jawf, "Hamas [...] Gaza city" Palestine's Gaza
    countries += country_codes(named_actors.countries, actors)
    named = tuple(countries)  # the countries the text names (resolved provinces join below)
    implied_by: dict[str, set[str]] = {}  # country -> the names that placed the text there
    first = _resolve_each(chosen, gazetteer, countries)
    # provinces and counties named (or implied by an unambiguous province) join the context,
    # and so does the one country of a name that no other country has ("Marib", "Hodeidah"),
    # where names are romanized from Arabic script (in English-speaking countries a town's
    # name is shared with a hundred others, and one the gazetteer lacks is no evidence)
    for c, place in first.items():
        if place is None or not place.country_code or c in backers:
            continue
        implied = c.source not in WEAK_SOURCES and implies_country(place, gazetteer, c.text)
        if place.feature in ("admin1", "admin2") or implied:
            countries.append(place.country_code)
            implied_by.setdefault(place.country_code, set()).add(name_key(c.text))
    settled = _resolve_each(chosen, gazetteer, countries)
    chosen = _supported(chosen, settled, countries, gazetteer)
    settled = {c: settled[c] for c in chosen}

    # a name is scored once however often it is written: the other places named (under
    # another name) are its context
    keys = {c: name_key(c.text) for c in chosen}
    located = [(keys[o], p) for o, p in settled.items() if p is not None]
    others_of: dict[str, list[Place]] = {}
    scored_of: dict[str, list[tuple[Place, float]]] = {}
    best_of: dict[str, Place | None] = {}

    def others_than(c: _Candidate) -> list[Place]:
        key = keys[c]
        if key not in others_of:
            others_of[key] = [p for k, p in located if k != key]
        return others_of[key]

    def scored(c: _Candidate) -> list[tuple[Place, float]]:
        if c.text not in scored_of:
            admin1 = {(p.country_code or "", p.admin1) for p in others_than(c) if p.admin1}
            # no other place named outside an Arabic-script country ("Sevare, Mopti" is Mali's)
            arabic_only = all(p.country_code in ARABIC_SCRIPT_COUNTRIES for p in others_than(c))
            scored_of[c.text] = _towns(
                _scored(gazetteer, c.text, countries, admin1, any_spelling=arabic_only), gazetteer
            )
        return scored_of[c.text]

    def best(c: _Candidate) -> Place | None:
        if c.text not in best_of:
            best_of[c.text] = _best(scored(c), others_than(c))
        return best_of[c.text]

    final: dict[_Candidate, Place | None] = {}
    for head, chain in _qualifiers(chosen, text, gazetteer).items():
        links = [head, *chain]
        plain = {c: _scored(gazetteer, c.text, named) for c in links}
        # a name the gazetteer lacks as written, qualified by names of an Arabic-script country
        # ("Radman al Awadh, Al Bayda"): its spelling variants in that country
        # (or of the country whose province closes it: "(Hidaybu, Suqutra)" in a report that
        # names Saudi forces more often than Yemen)
        chain_codes = arabic_countries(plain[c] for c in links) or tuple(
            sorted(province_countries(links[-1].text, gazetteer))
        )
        for c in links:
            if not plain[c] and chain_codes:
                plain[c] = _scored(gazetteer, c.text, chain_codes)
        _villages_in_named_provinces(links, plain, gazetteer)
        resolved = _jointly(links, plain)
        if head.source == "SPELLED" and resolved[head] is None:
            continue  # no place: its names qualify what they qualify on their own
        for c, place in resolved.items():
            final.setdefault(c, place)
    mentions = []
    context = frozenset(countries)
    for c in chosen:
        place = final[c] if c in final else best(c)
        # a town is no evidence of its own country: "Salim (Qaatabah, Ad Dali)" is not the West
        # Bank's Salim because only that name would place the report there
        own = place.country_code if place is not None else None
        alone = own not in named and implied_by.get(own or "", set()) == {keys[c]}
        where = context - {own} if alone else context
        if place is not None and stray(place, where, _curated(gazetteer, c.text)):
            place = None
        if place is None and c.source == "SPELLED":
            continue  # found only by a spelling that the report's context does not bear out
        if c.source == "ROAD" and (
            place is None or place.country_code not in ARABIC_SCRIPT_COUNTRIES
        ):
            continue
        mentions.append(PlaceMention(c.start, c.end, text[c.start : c.end], place, c.source))
    return mentions


def _scored(
    gazetteer: Gazetteer,
    text: str,
    countries: Sequence[str],
    admin1: Iterable[tuple[str, str]] = (),
    any_spelling: bool = False,
) -> list[tuple[Place, float]]:
    """The gazetteer's candidates for a name, but those it meets only with its Arabic article
    dropped outside the countries whose names are romanized from Arabic script: "Al Karaa" is
    no Kara of Togo, "El Bouni" no Bouni of Brazil (a place whose own name has the article,
    "El Paso", stays)."""
    scored = gazetteer.scored(text, countries, admin1)
    if not scored and not countries and any_spelling:
        # a report that names no country: a town of 20,000 people or more of an Arabic-script
        # country by another romanization of its name ("Nabatiyeh" for Nabatiye)
        scored = [
            (p, v)
            for p, v in gazetteer.scored(text, sorted(ARABIC_SCRIPT_COUNTRIES), admin1)
            if p.population >= MIN_ALIAS_POPULATION
        ]
    first = text.split(maxsplit=1)[0].lower() if " " in text.strip() else ""
    if first not in ARABIC_ARTICLES:
        return scored
    return [
        (p, v)
        for p, v in scored
        if p.country_code in ARABIC_SCRIPT_COUNTRIES
        or name_key(p.name.split(maxsplit=1)[0]) == first
        or p.feature == "country"
    ]


def _towns(scored: list[tuple[Place, float]], gazetteer: Gazetteer) -> list[tuple[Place, float]]:
    """The candidates but the villages (see `_villages_in_named_provinces`)."""
    return [(p, v) for p, v in scored if not gazetteer.is_village(p)]


def _villages_in_named_provinces(
    links: Sequence[_Candidate],
    scored: dict[_Candidate, list[tuple[Place, float]]],
    gazetteer: Gazetteer,
) -> None:
    """A village (a GeoNames town of fewer than 1,000 people) is a name's candidate only where
    the names that qualify it place it in its province ("near Pavlopil, Donetsk"); the
    qualifying names themselves are no villages."""
    head, chain = links[0], links[1:]
    for c in chain:
        scored[c] = _towns(scored[c], gazetteer)
    provinces = {(p.country_code, _province_key(p)) for c in chain for p, _ in scored[c][:5]}
    scored[head] = [
        (p, v)
        for p, v in scored[head]
        if not gazetteer.is_village(p) or (p.country_code, _province_key(p)) in provinces
    ]


def _resolve_each(
    candidates: Sequence[_Candidate], gazetteer: Gazetteer, countries: Sequence[str]
) -> dict[_Candidate, Place | None]:
    """Each candidate's place in the context of `countries`, each name resolved once."""
    places = {
        text: next(iter(_towns(_scored(gazetteer, text, countries), gazetteer)), (None, 0.0))[0]
        for text in {c.text for c in candidates}
    }
    return {c: places[c.text] for c in candidates}


def extract_places(
    doc: Doc,
    gazetteer: Gazetteer,
    context_countries: Sequence[str] = (),
    actors: ActorLexicon | None = None,
) -> list[Entity]:
    """One place Entity per place the document names (see the module docstring), in order of
    first mention. Places the gazetteer lacks keep their mentions but have no coordinates."""
    groups: dict[tuple[object, ...], list[PlaceMention]] = {}
    for m in find_place_mentions(doc, gazetteer, context_countries, actors):
        if m.place is None:
            key: tuple[object, ...] = ("?", name_key(m.text))
        else:
            p = m.place
            key = (p.name, p.country_code, round(p.latitude, 3), round(p.longitude, 3))
        groups.setdefault(key, []).append(m)
    entities = []
    for ms in groups.values():
        place = ms[0].place
        mentions = tuple(Mention(m.start, m.end, m.text) for m in ms)
        if place is None:
            entities.append(Entity(kind="place", name=ms[0].text, mentions=mentions))
            continue
        entities.append(
            Entity(
                kind="place",
                name=place.name,
                mentions=mentions,
                latitude=place.latitude,
                longitude=place.longitude,
                admin1=place.admin1,
                country=place.country,
                geonameid=place.geonameid,
            )
        )
    return entities


def places_in(entities: Sequence[Entity], start: int, end: int) -> list[tuple[Entity, Mention]]:
    """The place entities mentioned between `start` and `end` (a sentence, an event's
    evidence), with the mention, in text order; places with coordinates only."""
    found = [
        (e, m)
        for e in entities
        if e.kind == "place" and e.latitude is not None
        for m in e.mentions
        if m.start >= start and m.end <= end
    ]
    return sorted(found, key=lambda em: em[1].start)


def _supported(
    chosen: list[_Candidate],
    settled: dict[_Candidate, Place | None],
    countries: list[str],
    gazetteer: Gazetteer,
) -> list[_Candidate]:
    """Keep a name taken from inside an organisation's or a person's name only when the rest of
    the document backs it: the name written as a place elsewhere or more than once, a province
    or country, or a town in the province of (or within NEAR_KM of) another place named."""
    keys = Counter(name_key(c.text) for c in chosen)
    strong = {name_key(c.text) for c in chosen if c.source not in WEAK_SOURCES}
    kept = []
    for c in chosen:
        place = settled[c]
        if c.source in WEAK_SOURCES:
            if place is None:
                continue
            key = name_key(c.text)
            others = [p for o, p in settled.items() if p is not None and name_key(o.text) != key]
            in_context = not countries or place.country_code in countries
            backed = (
                key in strong
                or _curated(gazetteer, c.text)
                or (
                    in_context
                    and (
                        keys[key] > 1
                        or place.feature in ("country", "admin1", "admin2")
                        or any(
                            (p.country_code, p.admin1) == (place.country_code, place.admin1)
                            for p in others
                        )
                        or any(_km(place, p) <= NEAR_KM for p in others if p.feature not in _LARGE)
                        or " " in c.text.strip()
                        # a town of a country named from Arabic script the small model calls an
                        # organisation ("stormed the Tulkarm refugee camp")
                        or (
                            place.country_code in ARABIC_SCRIPT_COUNTRIES
                            and place.population >= MIN_ALIAS_POPULATION
                        )
                    )
                )
            )
            if not backed:
                continue
        kept.append(c)
    return kept


def _qualifiers(
    chosen: Sequence[_Candidate], text: str, gazetteer: Gazetteer
) -> dict[_Candidate, list[_Candidate]]:
    """The names that qualify each place where the text writes it: "Goma (Goma, Nord-Kivu)",
    "Azra district, Logar", "Medellin, Antioquia department": the chain of names after it,
    joined by commas or an opening parenthesis (up to three, within one sentence), past names
    the gazetteer lacks inside the parenthesis ("Bamenda town (Mezam, Nord-Ouest)") and past
    the country a parenthesis follows ("Al Jarr area in northwestern Yemen (Abs, Hajjah)")."""
    found: dict[_Candidate, list[_Candidate]] = {}
    for i, c in enumerate(chosen):
        chain: list[_Candidate] = []
        last = c
        for nxt in chosen[i + 1 : i + 5]:
            gap = text[last.end : nxt.start]
            if (
                last is c
                and _IN_COUNTRY_GAP.fullmatch(gap)
                and text[nxt.end : nxt.end + 2].strip().startswith("(")
                and gazetteer.country_code(nxt.text)
            ):
                last = nxt
                continue
            if not (_QUALIFIER_JOIN.fullmatch(gap) or _PAREN_QUALIFYING.fullmatch(gap)):
                break
            chain.append(nxt)
            last = nxt
        if chain:
            found[c] = chain
    return found


def _province_key(place: Place) -> str:
    return name_key(place.name if place.feature == "admin1" else place.admin1 or "")


def _jointly(
    chain: Sequence[_Candidate], scored: Mapping[_Candidate, list[tuple[Place, float]]]
) -> dict[_Candidate, Place | None]:
    """Resolve a name and the names that qualify it together ("Bafoussam town (Mifi, Ouest)":
    the Ouest of Bafoussam's country, not Haiti's): the country where the chain's names have the
    strongest candidates, a name lying in a qualifying province counting more; in it, the
    candidates in a qualifying province. A name with no candidate there is one the gazetteer
    lacks (None), not a namesake abroad or in another province."""
    provinces: dict[str, set[str]] = {}
    for c in chain[1:]:
        for place, _ in scored[c][:5]:
            provinces.setdefault(place.country_code or "", set()).add(_province_key(place))

    def fit(place: Place, score: float) -> float:
        inside = name_key(place.admin1 or "") in provinces.get(place.country_code or "", set())
        return score + QUALIFIED_BONUS * inside

    totals: dict[str, float] = {}
    for i, c in enumerate(chain):
        best: dict[str, float] = {}
        for place, score in scored[c]:
            code = place.country_code or ""
            value = fit(place, score) if i == 0 else score
            best[code] = max(best.get(code, value), value)
        for code, value in best.items():
            # a name that fits the country counts more than its score; the names that qualify
            # it (district, province: better known than a village) most
            totals[code] = totals.get(code, 0.0) + (value + 5.0) * (1.0 if i == 0 else 1.5)
    if not totals:
        return {c: None for c in chain}
    country = max(totals, key=lambda code: totals[code])
    resolved: dict[_Candidate, Place | None] = {}
    named = provinces.get(country, set()) - {""}
    for i, c in enumerate(chain):
        options = [(p, s) for p, s in scored[c] if (p.country_code or "") == country]
        if i == 0 and named:
            # "Pisky, Donetsk": a Pisky outside the province named is another place
            options = [(p, s) for p, s in options if name_key(p.admin1 or "") in named]
        resolved[c] = max(options, key=lambda item: fit(*item))[0] if options else None
    return resolved


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _best(scored: list[tuple[Place, float]], others: list[Place]) -> Place | None:
    """The top candidate once nearness to the document's other towns counts: a local paper's
    "Athens" is the one near its other places."""
    if not scored:
        return None
    near = [p for p in others if p.feature not in _LARGE]
    if not near or len(scored) == 1:
        return scored[0][0]

    def total(item: tuple[Place, float]) -> float:
        place, score = item
        closest = min(
            haversine_km(place.latitude, place.longitude, p.latitude, p.longitude) for p in near
        )
        if closest <= NEAR_KM:
            return score + 1.5
        if closest <= 3 * NEAR_KM:
            return score + 0.75
        return score

    return max(scored, key=total)[0]


def _trim(span: Span) -> tuple[int, int] | None:
    tokens = list(span)
    while tokens and tokens[0].text in _LEADING:
        tokens = tokens[1:]
    while tokens and tokens[-1].text in _TRAILING:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _spacy_candidates(doc: Doc, doc_text: str, gazetteer: Gazetteer) -> list[_Candidate]:
    ents = doc.ents
    people_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    found = []
    for ent in ents:
        bounds = _trim(ent)
        if bounds is None:
            continue
        start, end = bounds
        text = doc_text[start:end]
        label = ent.label_
        if label in PLACE_LABELS or label == "NORP":
            if label == "NORP" and not gazetteer.country_code(text):
                continue  # "Kurdish", "Sunni": not a place
            if label == "FAC" and not _curated(gazetteer, text):
                continue  # streets and buildings: only the curated bases, camps and prisons
            found.append(_Candidate(start, end, text, label))
        elif label == "PERSON":
            # the small model often calls a town a person ("Alexandria"); a surname is not one
            if (
                text not in people_words
                and text not in gazetteer.generic_words
                and _weighty(gazetteer, text, single_ok=True)
            ):
                found.append(_Candidate(start, end, text, label))
        elif label == "ORG":
            found.extend(_names_inside(doc_text, ent, gazetteer))
    return found


def _weighty(gazetteer: Gazetteer, text: str, single_ok: bool) -> bool:
    """A name the gazetteer knows well enough to take from a non-place entity."""
    place = gazetteer.resolve(text)
    if place is None or gazetteer.is_village(place):
        return False
    if place.feature != "city" or _curated(gazetteer, text):
        return True
    return single_ok or " " in text or place.population >= MIN_POPULATION_IN_NAME


def _names_inside(doc_text: str, ent: Span, gazetteer: Gazetteer) -> list[_Candidate]:
    """Places named inside an organisation's name ("the Mansfield Police Department",
    "University of Alexandria"): the longest capitalised runs of up to four words that the
    gazetteer knows."""
    tokens = [t for t in ent if t.text not in _LEADING]
    found: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        hit = None
        for size in range(min(4, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            if not all(t.text[:1].isupper() or _joining_hyphen(t) for t in window):
                continue
            if (
                window[0].text.isupper()
                or _joining_hyphen(window[0])
                or _joining_hyphen(window[-1])
            ):
                continue
            if size == 1 and window[0].text in gazetteer.generic_words:
                continue
            start, end = window[0].idx, window[-1].idx + len(window[-1].text)
            text = doc_text[start:end]
            if _weighty(gazetteer, text, single_ok=size == len(tokens)):
                hit = _Candidate(start, end, text, "ORG")
                break
        if hit is None:
            i += 1
            continue
        if _GOVERNS_AFTER.match(doc_text, hit.end, ent.end_char):
            # "Van Governor's Office", "Aydin Governorship": the body that governs a place
            hit = _Candidate(hit.start, hit.end, hit.text, "SEAT")
        found.append(hit)
        i += len(hit.text.split())
    return found


def _joining_hyphen(token: Token) -> bool:
    """A hyphen written inside a word ("Nord-Ouest"), not a dash between words."""
    return (
        token.text == "-"
        and not token.whitespace_
        and token.i > 0
        and not token.doc[token.i - 1].whitespace_
    )


def _lexicon_candidates(doc: Doc, text: str, gazetteer: Gazetteer) -> list[_Candidate]:
    ents = doc.ents
    people = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
    orgs = [(e.start_char, e.end_char) for e in ents if e.label_ == "ORG"]
    found = []
    for start, end, phrase in gazetteer.find_phrases(text):
        curated = _curated(gazetteer, phrase)
        if not curated and " " not in phrase and _inside(start, end, people):
            continue  # "Georgia" in "Georgia Smith" (but "Rapides Parish" in a mislabelled name)
        if not curated and _inside(start, end, orgs) and (start, end) not in orgs:
            place = gazetteer.resolve(phrase)
            if place is None or place.feature != "country":
                continue  # "Washington" in "Washington Post"; "Iraqi" in "Iraqi Air Force" stays
        found.append(_Candidate(start, end, phrase, "LEXICON"))
    return found


def _pattern_candidates(
    text: str, gazetteer: Gazetteer, found: Sequence[_Candidate], ents: Sequence[Span]
) -> list[_Candidate]:
    """Capitalised names the gazetteer knows that the model missed (or called a person, an
    organisation or a work of art) where the words around them say they are places: after "in",
    "at", "near" ("near Marinka"), before "district" or "town" ("Mamou town"), or qualifying a
    place just named ("Goma (Goma, Nord-Kivu)", "Medellin, Antioquia"). Only a whole run of
    capitalised words is taken ("Columbia University" is no mention of Columbia)."""
    ends = {c.end for c in found}
    others = [(e.start_char, e.end_char) for e in ents if e.label_ not in PLACE_LABELS]
    added = [
        _Candidate(a, b, text[a:b], "PATTERN") for a, b in district_pairs(text, gazetteer, _NAME)
    ]
    ends.update(c.end for c in added)
    for match in _NAME.finditer(text):
        words = list(_WORD.finditer(match.group(0)))
        while words and words[0].group(0).lower() in _FUNCTION_WORDS:
            words = words[1:]
        if (
            len(words) > 1
            and words[0].group(0) in ("Central", "Downtown")
            and not gazetteer.rows(match.group(0)[words[0].start() :])
        ):
            words = words[1:]  # "in Central Beirut": the town (a place of that name stays whole)
        if not words:
            continue
        start = match.start() + words[0].start()
        end = match.end()
        while text[end - 1] in "'’" or text[end - 2 : end] in ("'s", "’s"):
            end -= 1 if text[end - 1] in "'’" else 2
        if end <= start:
            continue
        inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e in others)
        hit = _pattern_hit(text, start, end, gazetteer, ends, inside)
        if hit is not None:
            added.append(hit)
            ends.add(hit.end)
    return added


def _pattern_hit(
    text: str, start: int, end: int, gazetteer: Gazetteer, ends: set[int], inside: bool
) -> _Candidate | None:
    name = text[start:end]
    if name in gazetteer.generic_words or name in _CALENDAR:
        return None
    if not gazetteer.rows(name):
        return _spelled_hit(text, start, end, gazetteer, inside)
    if _NAME_GOES_ON.match(text, end):
        return None  # "Wadi al-Rabi", "Bir at Tutah": a longer name the gazetteer lacks
    before = text[max(0, start - 60) : start]
    after = text[end : end + 30]
    chained = _QUALIFYING_GAP.search(before)
    paren = _PAREN_QUALIFYING.search(before)
    strong = (
        bool(_STRONG_LOCATIVE.search(before))
        or bool(_PLACED_BEFORE_COMMA.search(before) and _division(gazetteer, name))
        or bool(chained and start - len(chained.group(0)) in ends)
        or bool(paren and start - len(before) + paren.start() in ends)
        or bool(_PAREN_LIST.search(before) and _PAREN_LIST_END.match(after))
    )
    place_word = _PLACE_WORD_AFTER.match(after) is not None and not _SENTENCE_START.search(before)
    if _ROAD_AFTER.match(after) and _ROAD_BEFORE.search(before) and not inside:
        return _Candidate(start, end, name, "ROAD")  # "blocked the Halba highway" (see below)
    if _STREET_AFTER.match(after) or not (strong or place_word):
        return None
    if inside and not strong:
        return None  # part of a longer name ("the Liberation Tigers"), unless placed
    place = gazetteer.resolve(name)
    if place is None:
        return None
    alias = name_key(place.name) != name_key(name) and place.population < MIN_ALIAS_POPULATION
    if alias and not (_STRONG_LOCATIVE.search(before) or place_word):
        return None  # only another spelling of a small town: a place only where the text says so
    suffix = _REGION_AFTER.match(after)
    if suffix is not None:
        end += suffix.end()
    return _Candidate(start, end, text[start:end], "PATTERN")


def _spelled_hit(
    text: str, start: int, end: int, gazetteer: Gazetteer, inside: bool
) -> _Candidate | None:
    """A name the gazetteer has only by another romanization, in an Arabic-script country, where
    the words around it say it is a place ("deployed to Suqutra island", "in Nabatiyeh")."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 30]
    placed = bool(_STRONG_LOCATIVE.search(before)) or (
        _PLACE_WORD_AFTER.match(after) is not None and not _SENTENCE_START.search(before)
    )
    if inside or not placed or _STREET_AFTER.match(after) or _NAME_GOES_ON.match(text, end):
        return None
    if not gazetteer.spelled_like(text[start:end], ARABIC_SCRIPT_COUNTRIES):
        return None
    return _Candidate(start, end, text[start:end], "SPELLED")


def _other_name_only(gazetteer: Gazetteer, text: str) -> bool:
    """Whether every place of that name is known by it only as another name."""
    key = name_key(text)
    return all(name_key(gazetteer.tables.name[r]) != key for r in gazetteer.rows(text))


def _division(gazetteer: Gazetteer, text: str) -> bool:
    """Whether the gazetteer has a province or district of that name."""
    return any(gazetteer.tables.feature[r] in ("admin1", "admin2") for r in gazetteer.rows(text))


def _curated(gazetteer: Gazetteer, text: str) -> bool:
    return any(gazetteer.tables.curated[r] for r in gazetteer.rows(text))


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _non_overlapping(candidates: list[_Candidate], gazetteer: Gazetteer) -> list[_Candidate]:
    """Where candidates overlap keep one: a name the gazetteer knows over one it does not, then
    the longer ("Hamrin Mountains" over "Hamrin")."""

    def rank(c: _Candidate) -> tuple[int, int, int, int]:
        known = gazetteer.resolve(c.text) is not None
        weak = c.source in WEAK_SOURCES
        return (0 if known else 1, -(c.end - c.start), 1 if weak else 0, c.start)

    chosen: list[_Candidate] = []
    for c in sorted(candidates, key=rank):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)
