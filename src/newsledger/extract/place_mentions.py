"""Finding the place mentions of a text (used by `places.py`, which resolves them in context):
spaCy's place entities and nationalities, towns the small model calls a person or names inside an
organisation's name, the gazetteer's phrases, and capitalised names the gazetteer knows where the
words around them say they are places ("near Marinka", "Mamou town", "in central Van", "Goma
(Goma, Nord-Kivu)", "fighting on Suqutra island", "a roadblock on the Halba highway"). Each is a
`Candidate` with its source (the spaCy label, "LEXICON", "PATTERN", "SEAT" for the body that
governs a town, "SPELLED" for a name found by another romanization, "ROAD" for a road named
after a town)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsledger.datafiles import full_names, month_numbers, weekday_numbers
from newsledger.extract.place_context import district_pairs
from newsledger.geo import Gazetteer, name_key
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
WEAK_SOURCES = frozenset({"ORG", "PERSON"})  # names found inside other kinds of entity
MIN_POPULATION_IN_NAME = 5000  # a one-word town inside an organisation's name
_LEADING = frozenset({"the", "The", "THE"})
# the words that name a part of a town written after it, or before it in the sentence ("in
# Barangay Tuburan, Tulunan, Cotabato", "in Leon, Guanajuato [...] in Colonia Loma Alta"): the
# name they head is that part, not a namesake town elsewhere, and the word is no place itself
# (Uruguay's department of Colonia)
NEIGHBOURHOOD_WORDS = frozenset({"Barangay", "Brgy", "Colonia", "Barrio", "Fraccionamiento"})
_NEIGHBOURHOOD_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(NEIGHBOURHOOD_WORDS)) + r")\.?\s+$")
MIN_ALIAS_POPULATION = 20000  # a name known only as another spelling: a town this large
_CAP = r"[A-Z\u00C0-\u00DE][\w'’]*(?:-[\w'’]+)*"
_PARTICLE = r"(?:de|del|de la|da|do|dos|das|di|du|des|la|las|los|le|el|al|ul|e|y|sur|am|an|im)"
NAME = re.compile(rf"(?<![\w-]){_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP})*")
_WORD = re.compile(rf"{_CAP}")
PLACE_NOUNS = (
    r"(?:town|village|city|district|province|region|state|municipality|county|township|"
    r"department|governorate|oblast|prefecture|commune|locality|settlement|neighbou?rhood|"
    r"sub-?county|sub-?district|division|tehsil|upazila|area|camp|island|LGA)"
)
# "in central Van", "near downtown Beirut": a part of the town is the town
_PART_OF_TOWN = r"(?:(?:[Cc]entral|[Dd]owntown|northern|southern|eastern|western)\s+)?"
# up to four capitalised words, by space or hyphen: a name the gazetteer may lack
_CAPS = rf"{_CAP}(?:[\s-]+{_CAP}){{0,3}}"
_PLACING = rf"[Ii]n|[Aa]t|[Nn]ear|[Aa]round|outskirts of|vicinity of|{PLACE_NOUNS} of"
_STRONG_LOCATIVE = re.compile(
    rf"\b(?:{_PLACING}|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest) of)\s+"
    rf"{_PART_OF_TOWN}$"
)
# a name the text places ("in the area of Zelenyi Klyn Druhyi, ", "near Kamianyi Brid, ")
# before a comma, known or not: the province written after it qualifies it
_PLACED_BEFORE_COMMA = re.compile(rf"\b(?:{_PLACING})\s+(?:the\s+)?{_CAPS}\s*,\s*$")
_PLACED_NAME = re.compile(rf"{_CAPS}(?=\s*,\s*$)")
_QUALIFYING_GAP = re.compile(rf"(?:\s+{PLACE_NOUNS})?\s*[,(]\s*(?:the\s+)?$")
# the last names of a parenthesis after a place, past names the gazetteer lacks:
# "Bamenda town (Mezam, " before "Nord-Ouest)"
PAREN_QUALIFYING = re.compile(rf"(?:\s+{PLACE_NOUNS})?\s*\(\s*(?:{_CAPS}\s*,\s*){{1,2}}$")
# a parenthesis of names after a name, as reports qualify a village the gazetteer may lack:
# "Kafr Tala area (Khadra, Sanaa)"; the names in it are places
_PAREN_LIST = re.compile(rf"{_CAP}(?:\s+{PLACE_NOUNS})?\s*\(\s*(?:{_CAPS}\s*,\s*){{0,2}}$")
_PAREN_LIST_END = re.compile(r"\s*[,)]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*)$")
# a facility named after its town: "Donetsk Airport", "Donetsk Filtration Station", "Mosul Dam"
_FACILITY = re.compile(
    rf"(?:[Tt]he\s+)?(?P<town>{_CAP}(?:\s+{_CAP}){{0,2}})\s+(?:International\s+)?"
    r"(?:Airport|Air\s?[Bb]ase|Airfield|(?:Filtration|Pumping|Water|Railway|Train|Power)\s+Station|"
    r"Dam|Sea\s?[Pp]ort|Port|Refinery|Power\s+Plant|Thermal\s+Power\s+Plant|Checkpoint|Crossing)"
)
_FACILITY_TOWNS = frozenset({"city"})
# an Arabic article or a joining word after a name: the name goes on ("Wadi al-Rabi")
_NAME_GOES_ON = re.compile(
    r"[\s-](?:al|el|ad|ar|as|ash|at|ath|az|adh|an|ed|er|es|et|ez|ul|wa|bin|ibn)[\s-]\w",
)
_GOVERNS_AFTER = re.compile(
    r"\s+(?:Governor(?:'s|’s)?|Governorship|Governorate|Municipality|Municipal|Mayor(?:'s|’s)?|"
    r"Mayoralty|Prefecture|Provincial|City\s+Council|City\s+Hall)\b"
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
_PLACE_WORD_AFTER = re.compile(rf"\s+(?:{PLACE_NOUNS}|camps)\b")  # "Tindouf camps"
_REGION_AFTER = re.compile(r"\s+(?:province|state|region|governorate|oblast|department)\b(?!\s+of)")
_CALENDAR = frozenset(
    name.capitalize() for name in full_names(month_numbers()) + full_names(weekday_numbers())
)
_TRAILING = frozenset({"'s", "’s", "'", "’"})


@dataclass(frozen=True)
class Candidate:
    """A stretch of the text that may name a place, and what found it."""

    start: int
    end: int
    text: str
    source: str


def _trim(span: Span) -> tuple[int, int] | None:
    tokens = list(span)
    while tokens and tokens[0].text in _LEADING:
        tokens = tokens[1:]
    while tokens and tokens[-1].text in _TRAILING:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def in_neighbourhood(text: str, start: int, name: str) -> bool:
    """Whether a name found at `start` is a neighbourhood word or the name one heads (see
    NEIGHBOURHOOD_WORDS)."""
    first = name.split(maxsplit=1)[0].rstrip(".") if name.strip() else ""
    return first in NEIGHBOURHOOD_WORDS or bool(
        _NEIGHBOURHOOD_BEFORE.search(text, max(0, start - 20), start)
    )


def spacy_candidates(doc: Doc, doc_text: str, gazetteer: Gazetteer) -> list[Candidate]:
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
            if label == "FAC" and not curated(gazetteer, text):
                # streets and buildings: only the curated bases, camps and prisons, and the town
                # that names a facility ("Donetsk Airport")
                found.extend(_town_of_facility(doc_text, start, end, gazetteer))
                continue
            found.append(Candidate(start, end, text, label))
        elif label == "PERSON":
            # the small model often calls a town a person ("Alexandria"); a surname is not one
            if (
                text not in people_words
                and text not in gazetteer.generic_words
                and _weighty(gazetteer, text, single_ok=True)
            ):
                found.append(Candidate(start, end, text, label))
        elif label == "ORG":
            found.extend(
                _town_of_facility(doc_text, start, end, gazetteer)
                or _names_inside(doc_text, ent, gazetteer)
            )
    return found


def _town_of_facility(doc_text: str, start: int, end: int, gazetteer: Gazetteer) -> list[Candidate]:
    """The town a facility is named after ("Donetsk Airport", "Donetsk Filtration Station",
    "the Mosul Dam"): a place (the facility lies at or near it), not a name inside an
    organisation's that needs the rest of the document's support."""
    match = _FACILITY.fullmatch(doc_text, start, end)
    if match is None:
        return []
    name = match.group("town")
    place = gazetteer.resolve(name)
    if place is None or gazetteer.is_village(place) or place.feature not in _FACILITY_TOWNS:
        return []
    at = start + match.start("town") - match.start()
    return [Candidate(at, at + len(name), name, "FACILITY")]


def _weighty(gazetteer: Gazetteer, text: str, single_ok: bool) -> bool:
    """A name the gazetteer knows well enough to take from a non-place entity."""
    place = gazetteer.resolve(text)
    if place is None or gazetteer.is_village(place):
        return False
    if place.feature != "city" or curated(gazetteer, text):
        return True
    return single_ok or " " in text or place.population >= MIN_POPULATION_IN_NAME


def _names_inside(doc_text: str, ent: Span, gazetteer: Gazetteer) -> list[Candidate]:
    """Places named inside an organisation's name ("the Mansfield Police Department",
    "University of Alexandria"): the longest capitalised runs of up to four words that the
    gazetteer knows."""
    tokens = [t for t in ent if t.text not in _LEADING]
    found: list[Candidate] = []
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
                hit = Candidate(start, end, text, "ORG")
                break
        if hit is None:
            i += 1
            continue
        if _GOVERNS_AFTER.match(doc_text, hit.end, ent.end_char):
            # "Van Governor's Office", "Aydin Governorship": the body that governs a place
            hit = Candidate(hit.start, hit.end, hit.text, "SEAT")
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


def lexicon_candidates(doc: Doc, text: str, gazetteer: Gazetteer) -> list[Candidate]:
    ents = doc.ents
    people = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
    orgs = [(e.start_char, e.end_char) for e in ents if e.label_ == "ORG"]
    found = []
    for start, end, phrase in gazetteer.find_phrases(text):
        known = curated(gazetteer, phrase)
        if not known and " " not in phrase and _inside(start, end, people):
            continue  # "Georgia" in "Georgia Smith" (but "Rapides Parish" in a mislabelled name)
        if not known and _inside(start, end, orgs) and (start, end) not in orgs:
            place = gazetteer.resolve(phrase)
            if place is None or place.feature != "country":
                continue  # "Washington" in "Washington Post"; "Iraqi" in "Iraqi Air Force" stays
        found.append(Candidate(start, end, phrase, "LEXICON"))
    return found


def _inside_other(others: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of `others` (entity spans: sorted, not overlapping)
    and is not all of it; only the last one starting by `start` can hold it."""
    k = bisect.bisect_right(others, (start, float("inf"))) - 1
    if k < 0:
        return False
    s, e = others[k]
    return s <= start and end <= e and (s, e) != (start, end)


def pattern_candidates(
    text: str, gazetteer: Gazetteer, found: Sequence[Candidate], ents: Sequence[Span]
) -> list[Candidate]:
    """Capitalised names the gazetteer knows that the model missed (or called a person, an
    organisation or a work of art) where the words around them say they are places: after "in",
    "at", "near" ("near Marinka"), before "district" or "town" ("Mamou town"), or qualifying a
    place just named ("Goma (Goma, Nord-Kivu)", "Medellin, Antioquia"). Only a whole run of
    capitalised words is taken ("Columbia University" is no mention of Columbia)."""
    ends = {c.end for c in found}
    others = [(e.start_char, e.end_char) for e in ents if e.label_ not in PLACE_LABELS]
    added = [
        Candidate(a, b, text[a:b], "PATTERN") for a, b in district_pairs(text, gazetteer, NAME)
    ]
    ends.update(c.end for c in added)
    for match in NAME.finditer(text):
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
        inside = _inside_other(others, start, end)
        hit = _pattern_hit(text, start, end, gazetteer, ends, inside)
        if hit is not None:
            added.append(hit)
            ends.add(hit.end)
    return added


def _pattern_hit(
    text: str, start: int, end: int, gazetteer: Gazetteer, ends: set[int], inside: bool
) -> Candidate | None:
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
    paren = PAREN_QUALIFYING.search(before)
    strong = (
        bool(_STRONG_LOCATIVE.search(before))
        or _qualifies_placed(before, name, gazetteer)
        or bool(chained and start - len(chained.group(0)) in ends)
        or bool(paren and start - len(before) + paren.start() in ends)
        or bool(_PAREN_LIST.search(before) and _PAREN_LIST_END.match(after))
    )
    place_word = _PLACE_WORD_AFTER.match(after) is not None and not _SENTENCE_START.search(before)
    if _ROAD_AFTER.match(after) and _ROAD_BEFORE.search(before) and not inside:
        return Candidate(start, end, name, "ROAD")  # "a roadblock on the Halba highway" (see below)
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
    return Candidate(start, end, text[start:end], "PATTERN")


def _spelled_hit(
    text: str, start: int, end: int, gazetteer: Gazetteer, inside: bool
) -> Candidate | None:
    """A name the gazetteer has only by another romanization, in an Arabic-script country, where
    the words around it say it is a place ("fighting on Suqutra island", "in Nabatiyeh")."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 30]
    placed = bool(_STRONG_LOCATIVE.search(before)) or (
        _PLACE_WORD_AFTER.match(after) is not None and not _SENTENCE_START.search(before)
    )
    if inside or not placed or _STREET_AFTER.match(after) or _NAME_GOES_ON.match(text, end):
        return None
    if not gazetteer.spelled_like(text[start:end], ARABIC_SCRIPT_COUNTRIES):
        return None
    return Candidate(start, end, text[start:end], "SPELLED")


def _qualifies_placed(before: str, name: str, gazetteer: Gazetteer) -> bool:
    """Whether a name written after a placed name and a comma qualifies it: a province or
    district ("near Kamianyi Brid, Donetsk"), or a town when the placed name is one the
    gazetteer lacks ("near Nargiztapa, Khojavend": a village by the district's seat)."""
    placed = _PLACED_BEFORE_COMMA.search(before)
    if placed is None:
        return False
    if _division(gazetteer, name):
        return True
    village = _PLACED_NAME.search(placed.group(0))
    if village is None or gazetteer.rows(village.group(0)):
        return False
    words = village.group(0).split()
    if any(w in _CALENDAR or w in gazetteer.generic_words for w in words):
        return False  # "In October, Moore": a date; "at Central High School, Room 5": a building
    town = gazetteer.resolve(name)
    # the town's own name, not another name of it ("Room" is no Rome)
    return town is not None and town.feature == "city" and town.name == name


def _division(gazetteer: Gazetteer, text: str) -> bool:
    """Whether the gazetteer has a province or district known by this very name (not by an
    abbreviation: "Moo" is no "MO")."""
    t, key = gazetteer.tables, name_key(text)
    return any(
        t.feature[r] in ("admin1", "admin2") and name_key(t.name[r]) == key
        for r in gazetteer.rows(text)
    )


def curated(gazetteer: Gazetteer, text: str) -> bool:
    return any(gazetteer.tables.curated[r] for r in gazetteer.rows(text))


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)
