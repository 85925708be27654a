"""What the names written with a place say of it, for `places.py`: a name and the names that
qualify it resolved together (`jointly`), a province written after a town that its country has
once but elsewhere (the writer's slip, "Mariupol, Zaporizhia"), a province of the town's own
name ("Colon (Colon)"), the province right after a name taken from an organisation's ("the Civil
Hospital, Ludhiana (Punjab)"), and an organisation's generic word written alone ("reinforcement
from Police")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from newsledger.extract.place_mentions import Candidate
from newsledger.geo import Gazetteer, Place, name_key
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES

_DIVISIONS = frozenset({"admin1", "admin2", "country"})
# a town this large that its country has once is that town even when the province written
# after it is another ("Mariupol, Zaporizhia": the writer's slip; a village of the province
# the gazetteer lacks is rarely named like such a town, but where names are romanized from
# Arabic script a district the gazetteer lacks often is: "(Sahar, Sadah)")
SLIP_POPULATION = 10_000
QUALIFIED_BONUS = 3.0  # a candidate lying in the province that the text names beside it
# a name and the province after it, nothing but a comma or a parenthesis between them
BARE_QUALIFIER = re.compile(r"\s*(?:,|\()\s*")


def generic_abroad(
    c: Candidate, place: Place, context: frozenset[str], gazetteer: Gazetteer
) -> bool:
    """An organisation's generic word written alone ("reinforcement from Police", "the
    Superior"), resolved to a town outside the report's countries: the word, not Poland's
    town of Police (in a report about the town's own country it stays)."""
    return (
        bool(context)
        and c.text in gazetteer.generic_words
        and place.feature == "city"
        and place.country_code not in context
    )


def only_town(options: list[tuple[Place, float]]) -> list[tuple[Place, float]]:
    """The one town (not a division) of SLIP_POPULATION people or more among a name's
    candidates in a country, or none when it has none or several there."""
    towns = [(p, s) for p, s in options if p.feature not in _DIVISIONS]
    if len({(p.latitude, p.longitude) for p, _ in towns}) != 1:
        return []
    return towns if towns[0][0].population >= SLIP_POPULATION else []


def provinces_only(
    qualifiers: Sequence[Candidate],
    scored: Mapping[Candidate, list[tuple[Place, float]]],
    country: str,
) -> bool:
    """Whether the qualifying names the gazetteer has in the country are all provinces or
    districts there (or the town a province is named after, "Istanbul"): not a town that the
    name before is a part of ("Jaro, Iloilo City")."""
    known = [[p for p, _ in scored[c] if p.country_code == country] for c in qualifiers]
    known = [places for places in known if places]
    return bool(known) and all(
        any(
            p.feature in ("admin1", "admin2") or name_key(p.name) == name_key(p.admin1 or "")
            for p in places
        )
        for places in known
    )


def town_of_its_namesake_province(
    links: Sequence[Candidate], scored: dict[Candidate, list[tuple[Place, float]]]
) -> None:
    """A name qualified by a province of the same name is the town, not the province: "in
    Colon (Colon)", "Santa Ana, Santa Ana" is the town of Colon in Colon province, so the
    name's divisions are no candidates where it has a town (the country is then decided by
    the town lying in the province)."""
    head, chain = links[0], links[1:]
    key = name_key(head.text)
    if not any(name_key(c.text) == key for c in chain):
        return
    towns = [(p, v) for p, v in scored[head] if p.feature not in _DIVISIONS]
    # and of the towns so named, those in a province of their own name where there are any
    # ("San Jose (San Jose)" is Costa Rica's, not California's city)
    own = [(p, v) for p, v in towns if name_key(p.admin1 or "") == key]
    if towns:
        scored[head] = own or towns


def in_next_province(
    c: Candidate, place: Place, chosen: Sequence[Candidate], text: str, gazetteer: Gazetteer
) -> bool:
    """Whether the name written right after `c` ("X (P)", "X, P") may be the province `place`
    lies in."""
    later = [o for o in chosen if o.start >= c.end]
    if not later or not place.admin1:
        return False
    nxt = min(later, key=lambda o: o.start)
    if not re.fullmatch(r"\s*[,(]\s*", text[c.end : nxt.start]):
        return False
    return any(
        p.feature == "admin1" and (p.country_code, p.admin1) == (place.country_code, place.admin1)
        for p, _ in gazetteer.scored(nxt.text)
    )


def province_key(place: Place) -> str:
    return name_key(place.name if place.feature == "admin1" else place.admin1 or "")


def jointly(
    chain: Sequence[Candidate],
    scored: Mapping[Candidate, list[tuple[Place, float]]],
    slip: bool = False,
) -> dict[Candidate, Place | None]:
    """Resolve a name and the names that qualify it together ("Bafoussam town (Mifi, Ouest)":
    the Ouest of Bafoussam's country, not Haiti's): the country where the chain's names have the
    strongest candidates, a name lying in a qualifying province counting more; in it, the
    candidates in a qualifying province. A name with no candidate there is one the gazetteer
    lacks (None), not a namesake abroad or in another province."""
    provinces: dict[str, set[str]] = {}
    for c in chain[1:]:
        top = scored[c][:5]
        # a qualifier that is a province of a country qualifies as that province there, not
        # as a town named like it in another province ("Riachinho, Tocantins": the state,
        # not Minas Gerais's town of Tocantins)
        divided = {p.country_code for p, _ in top if p.feature == "admin1"}
        for place, _ in top:
            if place.country_code in divided and place.feature != "admin1":
                continue
            provinces.setdefault(place.country_code or "", set()).add(province_key(place))

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
    resolved: dict[Candidate, Place | None] = {}
    named = provinces.get(country, set()) - {""}
    for i, c in enumerate(chain):
        options = [(p, s) for p, s in scored[c] if (p.country_code or "") == country]
        if i == 0 and named:
            # "Pisky, Donetsk": a Pisky outside the province named is another place; but a
            # town the country has only once is that town under another province written
            # after it (the province is the writer's slip: "Mariupol, Zaporizhia")
            inside = [(p, s) for p, s in options if name_key(p.admin1 or "") in named]
            if (
                not inside
                and slip
                and country not in ARABIC_SCRIPT_COUNTRIES
                and provinces_only(chain[1:], scored, country)
            ):
                inside = only_town(options)
            options = inside
        elif i < len(chain) - 1:
            # "(Bassa LGA, Plateau)": of a district's namesakes, the one in the province named
            # after it
            later = {
                province_key(p)
                for d in chain[i + 1 :]
                for p, _ in scored[d][:5]
                if p.feature == "admin1" and (p.country_code or "") == country
            }
            inside = [(p, s) for p, s in options if name_key(p.admin1 or "") in later]
            options = inside or options
        resolved[c] = max(options, key=lambda item: fit(*item))[0] if options else None
    return resolved
