"""The report's countries as evidence for its places, where names are romanized from Arabic script
(the countries of `geo.translit.ARABIC_SCRIPT_COUNTRIES`): the country a name implies, namesakes
in a neighbouring such country refused, "(District, Province)" pairs, the countries of a chain of
qualifying names. Used by `places.py`; English-speaking countries are left alone (a US town's name
is shared with a hundred others, and one the gazetteer lacks is no evidence)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsledger.geo import Gazetteer, Place
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES

MIN_STRAY_POPULATION = 50000  # a town outside the report's countries stands only if this large


def district_pairs(text: str, gazetteer: Gazetteer, name: re.Pattern[str]) -> list[tuple[int, int]]:
    """ "(District, Province)" after a place, as reports from Yemen, Iraq or Syria qualify a
    village: when the second name is a province of an Arabic-script country, the first is a
    place in it, taken when the gazetteer has it as written or by a spelling variant there.
    Returns the (start, end) of both names; `name` is the pattern of one capitalised name."""
    pair = re.compile(rf"\(\s*({name.pattern})\s*,\s*({name.pattern})\s*\)")
    found = []
    for m in pair.finditer(text):
        district, province = m.group(1), m.group(2)
        codes = {
            gazetteer.tables.cc[r]
            for r in gazetteer.rows(province)
            if gazetteer.tables.feature[r] == "admin1"
            and gazetteer.tables.cc[r] in ARABIC_SCRIPT_COUNTRIES
        }
        if not codes:
            continue
        if gazetteer.rows(district) or gazetteer.spelled_like(district, codes):
            found.extend([m.span(1), m.span(2)])
    return found


def arabic_countries(candidates: Iterable[Sequence[tuple[Place, float]]]) -> tuple[str, ...]:
    """The Arabic-script countries where the best candidates of a chain's names lie."""
    return tuple(
        sorted(
            {
                p.country_code
                for scored in candidates
                for p, _ in scored[:3]
                if p.country_code in ARABIC_SCRIPT_COUNTRIES
            }
        )
    )


def stray(place: Place, context: frozenset[str], curated: bool) -> bool:
    """A small town in another country whose names are romanized from Arabic script than the
    ones the report places itself in ("Al Alam military camp (Marib, Marib)" is no village of
    Iraq): a namesake, not the place meant. (A US town near "Lebanon" stays.)"""
    return (
        bool(context & ARABIC_SCRIPT_COUNTRIES)
        and place.country_code in ARABIC_SCRIPT_COUNTRIES
        and place.country_code not in context
        and place.feature == "city"
        and place.population < MIN_STRAY_POPULATION
        and not curated
    )


def implies_country(place: Place, gazetteer: Gazetteer, text: str) -> bool:
    """Whether a name says which country the report is about: every place it may mean (as
    written) lies in one Arabic-script country ("Marib", "Hodeidah")."""
    if place.country_code not in ARABIC_SCRIPT_COUNTRIES:
        return False
    rows = gazetteer.rows(text)
    return bool(rows) and len({gazetteer.tables.cc[r] for r in rows}) == 1
