"""India's places (issue 13, session 5): post-office villages beside their district or state,
the states written by their abbreviation ("Kaushambi (UP)", "(Nellore, AP)") only in a report
of India, and a border force's acronym that is no place. Sentences written for the project."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events import load_event_rules
from newsledger.extract.events.rules import EventRules
from newsledger.extract.place_abbreviations import load_abbreviations
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer, haversine_km
from newsledger.records import Entity


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def _places(nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str) -> list[Entity]:
    return extract_places(nlp(text), gazetteer, actors=rules.actors)


def _named(entities: list[Entity], text: str, name: str) -> Entity | None:
    found = [e for e in entities if any(text[m.start : m.end] == name for m in e.mentions)]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Farmers blocked a road in Nigohan (UP) on Sunday.", "UP", "Uttar Pradesh"),
        ("Nurses marched in Kolimigundla town (Kurnool, AP) over pay.", "AP", "Andhra Pradesh"),
        ("Weavers protested in Salem city (Salem, TN) on Friday.", "TN", "Tamil Nadu"),
        ("Students gathered in Warangal city (Warangal, TS) at noon.", "TS", "Telangana"),
        ("Youths threw stones in Payyoli town (Kozhikode, KL).", "KL", "Kerala"),
    ],
)
def test_a_state_by_its_abbreviation_in_a_report_of_india(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str, name: str, admin1: str
) -> None:
    entity = _named(_places(nlp, gazetteer, rules, text), text, name)
    assert entity is not None and entity.admin1 == admin1 and entity.country == "India"


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON (AP) - The senators met again on Tuesday.",
        "The band played two nights in Nashville, TN last week.",
        "Voters in Portland, OR waited in long lines.",
    ],
)
def test_an_abbreviation_elsewhere_is_not_an_indian_state(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str
) -> None:
    assert all(e.country != "India" for e in _places(nlp, gazetteer, rules, text))


@pytest.mark.parametrize(
    ("text", "name", "point"),
    [
        # post-office villages, each beside its district or state
        (
            "Workers protested in Kolimigundla town (Kurnool, AP) on Monday.",
            "Kolimigundla",
            (15.1, 78.2),
        ),
        (
            "Party members staged a sit-in at Rajganj (Jalpaiguri district, West Bengal).",
            "Rajganj",
            (26.56, 88.52),
        ),
        ("Police were attacked in Nigohan (UP) during a patrol.", "Nigohan", (26.87, 80.91)),
    ],
)
def test_a_village_beside_its_district_or_state(
    nlp: Language,
    gazetteer: Gazetteer,
    rules: EventRules,
    text: str,
    name: str,
    point: tuple[float, float],
) -> None:
    entity = _named(_places(nlp, gazetteer, rules, text), text, name)
    assert entity is not None and entity.latitude is not None and entity.longitude is not None
    assert haversine_km(entity.latitude, entity.longitude, *point) < 15


def test_a_village_alone_is_no_place(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    # a village of that name exists only among India's post offices: without its district or
    # state beside it, the name is not placed there
    text = "Residents of Nigohan said the water had been cut for a week."
    entity = _named(_places(nlp, gazetteer, rules, text), text, "Nigohan")
    assert entity is None or entity.latitude is None


def test_a_village_far_from_the_district_named_is_not_taken(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    # the state has villages of that name, but none near the district written beside it
    text = "A crowd gathered at Kurla town (Mumbai Suburban, Maharashtra) on Friday."
    entity = _named(_places(nlp, gazetteer, rules, text), text, "Kurla")
    assert (
        entity is None
        or entity.latitude is None
        or entity.longitude is None
        or (haversine_km(entity.latitude, entity.longitude, 19.07, 72.88) < 25)
    )


def test_a_border_force_is_no_place(nlp: Language, gazetteer: Gazetteer, rules: EventRules) -> None:
    text = "Militants threw a grenade at SSB personnel in Srinagar district (J&K) on Monday."
    entities = _places(nlp, gazetteer, rules, text)
    assert _named(entities, text, "SSB") is None
    assert all(e.country in (None, "India") for e in entities)


def test_every_abbreviation_names_a_province_of_the_gazetteer(gazetteer: Gazetteer) -> None:
    for short, (code, province) in load_abbreviations().provinces.items():
        rows = gazetteer.rows(province)
        assert any(
            gazetteer.tables.cc[r] == code and gazetteer.tables.feature[r] == "admin1" for r in rows
        ), (short, province)


def test_an_abbreviation_closing_a_parenthesis_qualifies_the_name_before_it(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    # "SW" (South Waziristan) is no name the gazetteer has; the town before the parenthesis is
    text = "Gunmen shot a tribal elder outside his shop in Wana town (SW, KPK) on Friday."
    entity = _named(_places(nlp, gazetteer, rules, text), text, "Wana")
    assert entity is not None and entity.country == "Pakistan"


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # a town inside an organisation's name, followed by its own province: that province's
        (
            "Nurses protested outside the Civil Hospital, Ludhiana (Punjab) on Monday.",
            "Ludhiana",
            "India",
        ),
        (
            "Students marched from the Government College, Faridkot (Punjab) to the court.",
            "Faridkot",
            "India",
        ),
    ],
)
def test_a_name_inside_an_organisation_followed_by_its_province(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str, name: str, country: str
) -> None:
    entity = _named(_places(nlp, gazetteer, rules, text), text, name)
    assert entity is not None and entity.country == country
    punjab = _named(_places(nlp, gazetteer, rules, text), text, "Punjab")
    assert punjab is not None and punjab.country == country


def test_a_village_before_sector_area_and_its_district(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    text = "Troops traded fire across the LoC at Nambla sector area (Baramulla district, J&K)."
    entity = _named(_places(nlp, gazetteer, rules, text), text, "Nambla")
    assert entity is not None and entity.admin1 == "Kashmir"
