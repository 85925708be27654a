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
    """ "(District, Province)", "(Province)", "(Sub-district, District, Province)" after a place
    or after any word ("port city (Al Hali, Al Hudaydah)", "airbase (An Nuqat al Khams)"), as
    reports from Yemen, Libya, Iraq or Syria qualify a village: when the last name is a
    province of an Arabic-script country (as written or by a spelling variant, "Suqutra"), it is
    a place, and so is each name before it that the gazetteer has there as written or by a
    spelling variant. Returns the (start, end) of those names; `name` is the pattern of one
    capitalised name."""
    one = name.pattern
    group = re.compile(rf"\(\s*({one})(?:\s*,\s*({one}))?(?:\s*,\s*({one}))?\s*\)")
    found = []
    for m in group.finditer(text):
        spans = [m.span(i) for i in (1, 2, 3) if m.group(i) is not None]
        province = text[slice(*spans[-1])]
        codes = province_countries(province, gazetteer)
        if not codes:
            continue
        found.append(spans[-1])
        for span in spans[:-1]:
            district = text[slice(*span)]
            if gazetteer.rows(district) or gazetteer.spelled_like(district, codes):
                found.append(span)
    return sorted(found)


def paren_countries(text: str, gazetteer: Gazetteer, name: re.Pattern[str]) -> list[str]:
    """The Arabic-script countries whose provinces close a parenthesis of names (see
    `district_pairs`): "(Hidaybu, Suqutra)" places the report in Yemen."""
    group = re.compile(rf"(?:,\s*|\(\s*)({name.pattern})\s*\)")
    return sorted(
        {c for m in group.finditer(text) for c in province_countries(m.group(1), gazetteer)}
    )


def province_countries(province: str, gazetteer: Gazetteer) -> set[str]:
    """The Arabic-script countries of which `province` names a province."""
    t = gazetteer.tables
    rows = [r for r in gazetteer.rows(province)]
    rows += [r for r, _, _ in gazetteer.spelled_like(province, ARABIC_SCRIPT_COUNTRIES)]
    return {
        t.cc[r] for r in rows if t.feature[r] == "admin1" and t.cc[r] in ARABIC_SCRIPT_COUNTRIES
    }


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
