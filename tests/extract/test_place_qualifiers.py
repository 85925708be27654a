"""The names written with a place and what they say about it (issue 13, session 5: the
`misses2` branch): a province that is the writer's slip, a town qualified by a province of its own
name, "the Municipality of X", neighbourhood words, a town after a village the gazetteer lacks,
an organisation's generic word alone, and the provinces and regions named after the extract was
made. Sentences written for the project."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events import load_event_rules
from newsledger.extract.events.rules import EventRules
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer
from tests.helpers.places import event_place


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def _places(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str
) -> dict[str, tuple[str | None, str | None]]:
    """Each place written in the text: (country, admin1) by the name as written."""
    out = {}
    for e in extract_places(nlp(text), gazetteer, actors=rules.actors):
        for m in e.mentions:
            out[text[m.start : m.end]] = (e.country, e.admin1)
    return out


def test_a_large_town_under_another_province_is_that_town(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """A town of 10,000 people or more its country has once is that town when the province
    written after it is another (the writer's slip); a small namesake is not."""
    found = _places(nlp, gazetteer, rules, "Drivers protested in Kramatorsk, Kharkiv, on Monday.")
    assert found["Kramatorsk"] == ("Ukraine", "Donetsk")
    found = _places(nlp, gazetteer, rules, "Shelling was reported near Pisky, Kharkiv, on Monday.")
    assert found["Pisky"] == (None, None)  # a village of Kharkiv the gazetteer lacks
    # a country's name before a comma is no town with a slip, nor is a name written twice
    text = "The talks between Spain and Mexico, Mexico said, would resume in May."
    places = extract_places(nlp(text), gazetteer, actors=rules.actors)
    assert {e.name for e in places} == {"Spain", "Mexico"}  # no Mexico City


def test_a_town_qualified_by_its_own_province_in_a_province_of_its_name(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """ "X (X)" is the town in a province of its own name, not a larger namesake elsewhere."""
    text = "Vendors marched in Cartago (Cartago) against new fees."  # not Colombia's Cartago
    assert _places(nlp, gazetteer, rules, text)["Cartago"] == ("Costa Rica", "Cartago")


def test_the_municipality_of_a_town(gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve("the Municipality of Uruapan", ["Mexico"])
    assert place is not None and (place.name, place.country_code) == ("Uruapan", "MX")
    town = gazetteer.resolve("town of Uruapan", ["Mexico"])
    assert town is not None and town.name == "Uruapan"


def test_a_generic_word_alone_is_no_town_abroad(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    text = (
        "Customs officers with reinforcement from Police and the army fired shots at the crowd "
        "in Ilaro, Nigeria."
    )
    found = _places(nlp, gazetteer, rules, text)
    assert "Police" not in found  # Poland's town of Police
    assert found["Ilaro"] == ("Nigeria", "Ogun")


@pytest.mark.parametrize(
    ("text", "absent", "event_at"),
    [
        (
            "In Zapopan, Jalisco, a man was found shot dead in Colonia La Esperanza.",
            ("Colonia", "La Esperanza"),
            "Zapopan",
        ),
        (
            "A suspect was killed during a police raid in Barangay San Roque, Antipolo, Rizal.",
            ("Barangay San Roque", "San Roque"),
            "Antipolo",
        ),
    ],
)
def test_a_neighbourhood_is_part_of_its_town(
    nlp: Language,
    gazetteer: Gazetteer,
    rules: EventRules,
    text: str,
    absent: tuple[str, ...],
    event_at: str,
) -> None:
    """A name headed by a neighbourhood word is a part of the town named with it: no namesake
    town, and the word itself is no place (Uruguay's Colonia)."""
    found = _places(nlp, gazetteer, rules, text)
    assert not set(absent) & set(found), found
    assert event_place(nlp, gazetteer, rules, text) == event_at


def test_a_town_after_a_village_the_gazetteer_lacks(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """ "near Village, Town" with the village unknown: the town is a place (the village lies by
    it), as a province there was."""
    text = "Militants ambushed a military convoy near Kalgidi, Gwoza."
    assert _places(nlp, gazetteer, rules, text)["Gwoza"] == ("Nigeria", "Borno")
    assert event_place(nlp, gazetteer, rules, text) == "Gwoza"


@pytest.mark.parametrize(
    "text",
    [
        "In October, Moore told the judge he was sorry.",  # a date, not a village
        "The class meets at Westfield High School, Room 12, on Tuesdays.",  # a building
    ],
)
def test_no_town_after_a_date_or_a_building(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str
) -> None:
    assert _places(nlp, gazetteer, rules, text) == {}


@pytest.mark.parametrize(
    ("town", "country", "admin1"),
    [
        ("Valdivia", "CL", "Los Rios"),  # Chile's regions of 2007 and 2018
        ("Chillan", "CL", "Nuble"),
        ("Iquique", "CL", "Tarapaca"),
        ("Punta Arenas", "CL", "Magallanes"),
        ("Danane", "CI", "Montagnes"),  # Ivory Coast's districts of 2011
        ("Abengourou", "CI", "Comoe"),
        ("Bunia", "CD", "Ituri"),  # the DR Congo's provinces of 2015
        ("Lubumbashi", "CD", "Haut-Katanga"),
        ("Kalemie", "CD", "Tanganyika"),
        ("Damongo", "GH", "Savannah"),  # Ghana's regions of 2018
        ("Techiman", "GH", "Bono East"),
    ],
)
def test_provinces_by_their_current_names(
    gazetteer: Gazetteer, town: str, country: str, admin1: str
) -> None:
    place = gazetteer.resolve(town, [country])
    assert place is not None and (place.country_code, place.admin1) == (country, admin1)
    province = gazetteer.resolve(f"{admin1} province", [country])
    assert province is not None and province.feature == "admin1", province


def test_a_province_by_its_abbreviation(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    found = _places(nlp, gazetteer, rules, "A rally was held in Wana town (SW, KPK) on Friday.")
    assert found["Wana"] == ("Pakistan", "Khyber Pakhtunkhwa")
    assert found["KPK"] == ("Pakistan", "Khyber Pakhtunkhwa")
