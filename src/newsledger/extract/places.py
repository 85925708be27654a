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
`place_context.py`; a name resolved with the names that qualify it, and what those say of it (a
province that is the writer's slip, an organisation's word alone), in `place_qualifiers.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from newsledger.extract.doctext import doc_text
from newsledger.extract.events.actors import (
    BACKER_AFTER,
    CURRENCY_AFTER,
    ActorLexicon,
    ActorMention,
)
from newsledger.extract.place_abbreviations import abbreviation_candidates
from newsledger.extract.place_actors import country_codes, load_actor_areas, report_actors
from newsledger.extract.place_context import (
    arabic_countries,
    implies_country,
    paren_countries,
    province_countries,
    stray,
)
from newsledger.extract.place_mentions import (
    MIN_ALIAS_POPULATION,
    NAME,
    PAREN_QUALIFYING,
    PLACE_NOUNS,
    WEAK_SOURCES,
    Candidate,
    curated,
    in_neighbourhood,
    lexicon_candidates,
    pattern_candidates,
    spacy_candidates,
)
from newsledger.extract.place_qualifiers import (
    BARE_QUALIFIER,
    generic_abroad,
    in_next_province,
    jointly,
    province_key,
    town_of_its_namesake_province,
)
from newsledger.extract.place_villages import village_candidates
from newsledger.geo import Gazetteer, Place, haversine_km, name_key
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES
from newsledger.records import Entity, Mention

NEAR_KM = 100.0
_DIVISIONS = frozenset({"admin1", "admin2", "country"})
_LARGE = frozenset({"country", "admin1", "region", "desert"})
VILLAGE_KM = 75.0  # a post-office village this near the district or town named beside it
# the Arabic articles a romanized name may begin with ("Al Kara", "El Hamma", "As Sawadiyah")
ARABIC_ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "at", "ath", "az", "adh", "an", "ed", "er", "es", "et"}
)
# between a place and the country a parenthesis of its district and province follows:
# "Al Marwah area in northwestern Yemen (Abs, Hajjah)"
_IN_COUNTRY_GAP = re.compile(
    rf"(?:\s+{PLACE_NOUNS})?\s+in\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?"
    r"(?:part\s+of\s+)?"
)
_QUALIFIER_JOIN = re.compile(
    rf"(?:\s+(?:sector|{PLACE_NOUNS})){{0,2}}\s*(?:,|\(|\s-)\s*(?:the\s+)?(?:{PLACE_NOUNS}\s+of\s+)?"
    r"|\s+(?:area|village|neighbou?rhood|quarter|locality|district|sub-?district)\s+(?:of|in)\s+"
    r"(?:the\s+)?"
)


@dataclass(frozen=True)
class PlaceMention:
    """A stretch of the text that names a place; `place` is None when the gazetteer has no
    entry for it (a place spaCy found that cannot be put on a map)."""

    start: int
    end: int
    text: str
    place: Place | None
    source: str  # the spaCy label (GPE, LOC, FAC, NORP) or "LEXICON"


def find_place_mentions(
    doc: Doc,
    gazetteer: Gazetteer,
    context_countries: Sequence[str] = (),
    actors: ActorLexicon | None = None,
    actor_mentions: Sequence[ActorMention] | None = None,
) -> list[PlaceMention]:
    """Every place mention in the document, in text order, resolved in its context. With the
    `actors` lexicon, the armed groups the text names are no places, and their countries are
    the report's when it names none (see `place_actors.py`); `actor_mentions`, the text's
    actor mentions when the caller has found them already."""
    text = doc_text(doc)
    named_actors = report_actors(text, actors, actor_mentions)
    candidates = spacy_candidates(doc, text, gazetteer) + lexicon_candidates(doc, text, gazetteer)
    candidates += pattern_candidates(text, gazetteer, candidates, doc.ents)
    # "Kaushambi (UP)": the province, not whatever else the two letters name
    shortened = abbreviation_candidates(text, candidates, gazetteer)
    spans = [(a.start, a.end) for a in shortened]
    candidates = [c for c in candidates if all(c.end <= s or c.start >= e for s, e in spans)]
    candidates += shortened
    candidates += village_candidates(text, candidates, gazetteer)
    candidates = [
        c
        for c in candidates
        if not CURRENCY_AFTER.match(text, c.end)
        and not in_neighbourhood(text, c.start, c.text)
        # "according to Taliban": a named armed group, not the village known so by another name
        and not (named_actors.names_group(c.start, c.end) and _other_name_only(gazetteer, c.text))
    ]
    chosen = _facilities_alone(_non_overlapping(candidates, gazetteer), gazetteer)
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
    countries += paren_countries(text, gazetteer, NAME)
    # the countries of the armed groups it names: "Houthi fighters shelled Al Jawf
    # governorate" is Yemen's Al Jawf, "Hamas [...] Gaza city" Palestine's Gaza
    countries += country_codes(named_actors.countries, actors)
    # the provinces where those groups operate ("near Vesele" with the DPR named: Donbas's)
    group_areas = load_actor_areas().of(named_actors)
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
    chosen = _supported(chosen, settled, countries, gazetteer, text)
    settled = {c: settled[c] for c in chosen}

    # a name is scored once however often it is written: the other places named (under
    # another name) are its context
    keys = {c: name_key(c.text) for c in chosen}
    located = [(keys[o], p) for o, p in settled.items() if p is not None]
    others_of: dict[str, list[Place]] = {}
    scored_of: dict[str, list[tuple[Place, float]]] = {}
    best_of: dict[str, Place | None] = {}

    def others_than(c: Candidate) -> list[Place]:
        key = keys[c]
        if key not in others_of:
            others_of[key] = [p for k, p in located if k != key]
        return others_of[key]

    def scored(c: Candidate) -> list[tuple[Place, float]]:
        if c.text not in scored_of:
            admin1 = {(p.country_code or "", p.admin1) for p in others_than(c) if p.admin1}
            admin1 |= group_areas
            # no other place named outside an Arabic-script country ("Sevare, Mopti" is Mali's)
            arabic_only = all(p.country_code in ARABIC_SCRIPT_COUNTRIES for p in others_than(c))
            scored_of[c.text] = _towns(
                _scored(gazetteer, c.text, countries, admin1, any_spelling=arabic_only), gazetteer
            )
        return scored_of[c.text]

    def best(c: Candidate) -> Place | None:
        if c.text not in best_of:
            best_of[c.text] = _best(scored(c), others_than(c))
        return best_of[c.text]

    final: dict[Candidate, Place | None] = {}
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
        town_of_its_namesake_province(links, plain)
        # a slip of the writer's is a town's province, not a country's name or a name written
        # twice ("between the US and Mexico, Mexico would ...")
        slip = (
            bool(BARE_QUALIFIER.fullmatch(text[head.end : chain[0].start]))
            and gazetteer.country_code(head.text) is None
            and all(name_key(c.text) != name_key(head.text) for c in chain)
        )
        resolved = jointly(links, plain, slip=slip)
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
        if place is not None and stray(place, where, curated(gazetteer, c.text)):
            place = None
        if place is not None and generic_abroad(c, place, context, gazetteer):
            continue
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
    dropped outside the countries whose names are romanized from Arabic script: "Al Kara" is
    no Kara of Togo (a place whose own name has the article,
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
    links: Sequence[Candidate],
    scored: dict[Candidate, list[tuple[Place, float]]],
    gazetteer: Gazetteer,
) -> None:
    """A village (a GeoNames town of fewer than 1,000 people) is a name's candidate only where
    the names that qualify it place it in its province ("near Pavlopil, Donetsk"); the
    qualifying names themselves are no villages."""
    head, chain = links[0], links[1:]
    for c in chain:
        scored[c] = _towns(scored[c], gazetteer)
    provinces = {(p.country_code, province_key(p)) for c in chain for p, _ in scored[c][:5]}
    # a post-office village (India's, feature "village") lies near the district or town
    # named beside it, when one is: a state has many villages of one name
    # (its district's own point too, where a town of the district's name shadows it)
    local = [p for c in chain for p, _ in scored[c][:5] if p.feature in ("city", "admin2")]
    local += [
        gazetteer.place(r)
        for c in chain
        for r in gazetteer.rows(c.text)
        if gazetteer.tables.feature[r] == "admin2"
    ]
    districts = {name_key(c.text) for c in chain}

    def near_local(p: Place) -> bool:
        here = [q for q in local if (q.country_code, q.admin1) == (p.country_code, p.admin1)]
        return (
            not here
            or name_key(p.admin2 or "") in districts
            or any(_km(p, q) <= VILLAGE_KM for q in here)
        )

    scored[head] = [
        (p, v)
        for p, v in scored[head]
        if not gazetteer.is_village(p)
        or (
            (p.country_code, province_key(p)) in provinces
            and (p.feature != "village" or near_local(p))
        )
    ]


def _resolve_each(
    candidates: Sequence[Candidate], gazetteer: Gazetteer, countries: Sequence[str]
) -> dict[Candidate, Place | None]:
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
    actor_mentions: Sequence[ActorMention] | None = None,
) -> list[Entity]:
    """One place Entity per place the document names (see the module docstring), in order of
    first mention. Places the gazetteer lacks keep their mentions but have no coordinates."""
    groups: dict[tuple[object, ...], list[PlaceMention]] = {}
    for m in find_place_mentions(doc, gazetteer, context_countries, actors, actor_mentions):
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
    chosen: list[Candidate],
    settled: dict[Candidate, Place | None],
    countries: list[str],
    gazetteer: Gazetteer,
    text: str,
) -> list[Candidate]:
    """Keep a name taken from inside an organisation's or a person's name only when the rest of
    the document backs it: the name written as a place elsewhere or more than once, a province
    or country, a town in the province of (or within NEAR_KM of) another place named, or a town
    of the province the name after it names ("the Civil Hospital, Ludhiana (Punjab)": India's
    Punjab, whatever the other Punjab's size)."""
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
                or curated(gazetteer, c.text)
                or in_next_province(c, place, chosen, text, gazetteer)
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
    chosen: Sequence[Candidate], text: str, gazetteer: Gazetteer
) -> dict[Candidate, list[Candidate]]:
    """The names that qualify each place where the text writes it: "Goma (Goma, Nord-Kivu)",
    "Azra district, Logar", "Medellin, Antioquia department": the chain of names after it,
    joined by commas or an opening parenthesis (up to three, within one sentence), past names
    the gazetteer lacks inside the parenthesis ("Bamenda town (Mezam, Nord-Ouest)") and past
    the country a parenthesis follows ("Al Marwah area in northwestern Yemen (Abs, Hajjah)")."""
    found: dict[Candidate, list[Candidate]] = {}
    for i, c in enumerate(chosen):
        chain: list[Candidate] = []
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
            if not (_QUALIFIER_JOIN.fullmatch(gap) or PAREN_QUALIFYING.fullmatch(gap)):
                break
            chain.append(nxt)
            last = nxt
        if chain:
            found[c] = chain
    return found


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


def _facilities_alone(chosen: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """The towns of facilities only where the text names no other town: "near Donetsk
    Filtration Station" is the report's one point; in a story that names towns, "Long Beach
    Airport" is a building, not another place."""
    if not any(c.source == "FACILITY" for c in chosen):
        return chosen
    for c in chosen:
        if c.source == "FACILITY":
            continue
        place = gazetteer.resolve(c.text)
        if place is not None and place.feature not in _LARGE:
            return [c for c in chosen if c.source != "FACILITY"]
    return chosen


def _other_name_only(gazetteer: Gazetteer, text: str) -> bool:
    """Whether every place of that name is known by it only as another name."""
    key = name_key(text)
    return all(name_key(gazetteer.tables.name[r]) != key for r in gazetteer.rows(text))


def _non_overlapping(candidates: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """Where candidates overlap keep one: a name the gazetteer knows over one it does not, then
    the longer ("Hamrin Mountains" over "Hamrin")."""

    def rank(c: Candidate) -> tuple[int, int, int, int]:
        known = gazetteer.resolve(c.text) is not None
        weak = c.source in WEAK_SOURCES
        return (0 if known else 1, -(c.end - c.start), 1 if weak else 0, c.start)

    chosen: list[Candidate] = []
    for c in sorted(candidates, key=rank):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)
