"""What the names written with a place say of it, for `places.py`: a province written after a
town that its country has once but elsewhere (the writer's slip, "Mariupol, Zaporizhia"), and an
organisation's generic word written alone ("reinforcement from Police")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from newsledger.extract.place_mentions import Candidate
from newsledger.geo import Gazetteer, Place, name_key

_DIVISIONS = frozenset({"admin1", "admin2", "country"})
# a town this large that its country has once is that town even when the province written
# after it is another ("Mariupol, Zaporizhia": the writer's slip; a village of the province
# the gazetteer lacks is rarely named like such a town, but where names are romanized from
# Arabic script a district the gazetteer lacks often is: "(Sahar, Sadah)")
SLIP_POPULATION = 10_000
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
