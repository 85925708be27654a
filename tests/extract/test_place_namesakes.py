"""Which of a name's namesakes a report means (issue 13, the namesakes taken far off): the
provinces where the armed groups it names operate (`data/actor_areas.tsv`), a town qualified by
a province of its own name, a qualifier that is a division. Sentences written for the project."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events import load_event_rules
from newsledger.extract.events.rules import EventRules
from newsledger.extract.place_actors import load_actor_areas, report_actors
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer
from newsledger.records import Entity
from tests.helpers.places import event_place


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def _place(nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str, name: str) -> Entity:
    entities = extract_places(nlp(text), gazetteer, actors=rules.actors)
    found = [e for e in entities if any(text[m.start : m.end] == name for m in e.mentions)]
    assert found, (text, entities)
    return found[0]


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # the Donetsk and Luhansk forces fight in Donbas: Donetsk's Vesele, not Zaporizhia's
        ("DPR forces shelled Ukrainian positions near Vesele on Tuesday.", "Vesele", "Donetsk"),
        # the SDF holds the north-east of Syria
        ("SDF fighters clashed with Islamic State militants near Hajin.", "Hajin", "Deir-ez-Zor"),
        # a town qualified by its province's name is the town in that province
        ("Dockers blocked the port road in Colon (Colon) on Monday.", "Colon", "Colon"),
        (
            "Residents banged pots in Cordoba (Cordoba) against the release of prisoners.",
            "Cordoba",
            "Cordoba",
        ),
        # a qualifier that is a state qualifies as the state, not as a town named like it
        (
            "A body was found under a bridge in Riachinho, Tocantins, on Friday.",
            "Riachinho",
            "Tocantins",
        ),
        # a district two provinces have ("Bassa LGA": Kogi's and Plateau's) is the one in the
        # province named after it
        (
            "Gunmen killed a farmer in Tafigana (Bassa LGA, Plateau) on Sunday.",
            "Bassa LGA",
            "Plateau",
        ),
        # ... but a district named like the province (Kano's Nasarawa) does not hide the state
        (
            "Traders protested in Karu (Karu LGA, Nasarawa) over unpaid salaries.",
            "Karu",
            "Nassarawa",
        ),
    ],
)
def test_the_namesake_the_report_means(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str, name: str, admin1: str
) -> None:
    assert _place(nlp, gazetteer, rules, text, name).admin1 == admin1


def test_without_the_group_the_largest_namesake_stays(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    text = "Shelling was reported near Vesele on Tuesday."
    assert _place(nlp, gazetteer, rules, text, "Vesele").admin1 == "Zaporizhia"


def test_colon_town_in_panama(nlp: Language, gazetteer: Gazetteer, rules: EventRules) -> None:
    place = _place(nlp, gazetteer, rules, "Dockers marched in Colon (Colon) on Monday.", "Colon")
    assert place.country == "Panama"


def test_a_group_names_its_provinces(rules: EventRules) -> None:
    areas = load_actor_areas()
    named = report_actors("Peshmerga forces and the SDF exchanged prisoners.", rules.actors)
    provinces = areas.of(named)
    assert ("IQ", "Erbil") in provinces and ("SY", "Al-Hasakeh") in provinces
    assert not areas.of(report_actors("Gunmen attacked a market.", rules.actors))


def test_every_area_is_a_province_of_the_gazetteer(gazetteer: Gazetteer, rules: EventRules) -> None:
    """Each province of `actor_areas.tsv` is written as the gazetteer writes it, and each actor
    is one of `actors.tsv` (else the row would never apply)."""
    t = gazetteer.tables
    known = {(t.cc[r], t.admin1[r]) for r in range(len(t.name)) if t.admin1[r]}
    actors = {p.actor for p in rules.actors.patterns}
    for actor, pairs in load_actor_areas().provinces.items():
        assert actor in actors, actor
        for pair in pairs:
            assert pair in known, (actor, pair)


def test_a_town_before_a_sentence_naming_only_the_country(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """An event told in a sentence that names only a country stands at the town an earlier
    sentence of its paragraph names."""
    text = (
        "On 3 June 2021, taxi owners and drivers of several private companies drove in a slow "
        "convoy in Zadar, Croatia, and asked for lower fuel taxes since they cannot work due to "
        "the lockdown. It was a coordinated protest in several Croatian cities."
    )
    assert event_place(nlp, gazetteer, rules, text) == "Zadar"


def test_a_sector_qualified_by_its_district(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """ "X sector area (Y district, ...)": X is qualified by Y, so a namesake of X far from Y
    is refused and the event stands at Y."""
    text = (
        "On 3 June 2021, Indian and Pakistani troops exchanged fire across the LoC in the "
        "Shahpur sector area (Poonch district, Jammu and Kashmir)."
    )
    assert event_place(nlp, gazetteer, rules, text) == "P\u016bnch"
