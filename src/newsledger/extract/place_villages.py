"""Villages the gazetteer knows only from India's post offices (`data/india_places.tsv`), found
where the text names their district or state right after them: "a protest at Rajganj
(Jalpaiguri district, West Bengal)", "in Nigohan (UP)". Such a name is no likeliest place on its
own (`Gazetteer.resolve` skips it), so the finders of `place_mentions.py` that ask for one pass
it by; here it is a candidate when the text places it ("in", "at", "near", "village", "sector
area") and the name after it is a district, town or state (or a state's abbreviation) of a
village so named.
`places.py` then resolves it with its qualifiers (`_villages_in_named_provinces`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsledger.extract.place_abbreviations import load_abbreviations
from newsledger.extract.place_mentions import NAME, PLACE_NOUNS, Candidate
from newsledger.geo import Gazetteer

SOURCE = "VILLAGE"
_QUALIFIED = re.compile(
    rf"(?P<name>{NAME.pattern})(?P<noun>(?:\s+(?:sector|{PLACE_NOUNS})){{1,2}})?\s*[,(]\s*"
    rf"(?P<qualifier>{NAME.pattern}|[A-Z][A-Z&]{{1,3}}\b)"
)
_PLACED = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear|of|from)\s+$")


def village_candidates(
    text: str, candidates: Sequence[Candidate], gazetteer: Gazetteer
) -> list[Candidate]:
    """The post-office villages the text names beside their district or state (see the module
    docstring) that no other finder took."""
    abbreviations = load_abbreviations().provinces
    t = gazetteer.tables
    found = []
    for match in _QUALIFIED.finditer(text):
        start, end = match.span("name")
        name = match.group("name")
        if any(c.start < end and start < c.end for c in candidates):
            continue
        rows = gazetteer.village_rows(name)
        if not rows or gazetteer.rows(name):
            continue  # a town or a division: the other finders' (or no village at all)
        if not (match.group("noun") or _PLACED.search(text, max(0, start - 8), start)):
            continue
        qualifier = match.group("qualifier")
        provinces: set[tuple[str | None, str | None]] = {
            (p.country_code, p.admin1) for p in gazetteer.candidates(qualifier)[:5]
        }
        if qualifier in abbreviations:
            provinces = {abbreviations[qualifier]}
        if any((t.cc[r], t.admin1[r]) in provinces for r in rows):
            found.append(Candidate(start, end, name, SOURCE))
    return found
