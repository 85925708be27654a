"""Places named through a unit or a facility: Nigeria's local government areas ("Bungudu LGA"),
a province after a village the gazetteer lacks ("near Kovylnivka, Donetsk"), and the town a
facility is named after ("near Donetsk Filtration Station")."""

from __future__ import annotations

from spacy.language import Language

from newsledger.extract.events import extract_events
from newsledger.extract.events.rules import load_event_rules
from newsledger.extract.place_mentions import _division
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer, haversine_km
from newsledger.records import Entity


def _places(nlp: Language, gazetteer: Gazetteer, text: str) -> dict[str, Entity]:
    return {e.name: e for e in extract_places(nlp(text), gazetteer) if e.latitude is not None}


def _km(entity: Entity, lat: float, lon: float) -> float:
    assert entity.latitude is not None and entity.longitude is not None
    return haversine_km(entity.latitude, entity.longitude, lat, lon)


def test_a_local_government_area_stands_at_its_point(nlp: Language, gazetteer: Gazetteer) -> None:
    # an LGA named after its seat town, and one the GeoNames towns lack (admin2_more.tsv)
    found = _places(nlp, gazetteer, "Gunmen attacked Karakai (Bungudu LGA, Zamfara) on Friday.")
    assert "Bungudu" in found and found["Bungudu"].admin1 == "Zamfara"
    found = _places(nlp, gazetteer, "Herders and farmers fought in Ukwa East LGA (Abia) on Sunday.")
    assert "Ukwa East" in found and found["Ukwa East"].admin1 == "Abia"


def test_a_province_after_an_unknown_village(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Rebel forces fired mortars at the positions near Kovylnivka, Donetsk."
    found = _places(nlp, gazetteer, text)
    assert "Donetsk" in found and found["Donetsk"].admin1 == "Donetsk"
    # a division known by that very name, not by an abbreviation ("Moo" folds to Missouri's "MO")
    assert _division(gazetteer, "Donetsk") and not _division(gazetteer, "Moo")


def test_the_town_of_a_facility(nlp: Language, gazetteer: Gazetteer) -> None:
    found = _places(nlp, gazetteer, "Monitors recorded explosions near Donetsk Filtration Station.")
    assert _km(found["Donetsk"], 48.0, 37.8) < 25
    # in a story that names a town, a facility is a building, not another place
    text = "The president flew from Fresno to Long Beach Airport on Wednesday."
    assert "Long Beach" not in _places(nlp, gazetteer, text)


def test_a_name_the_gazetteer_lacks_starts_no_new_event(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    rules = load_event_rules()
    text = (
        "On 28 April 2020, vigilantes clashed with gunmen in Rafi LGA (Niger). "
        "5 Zorbaku militiamen were killed."
    )
    doc = nlp(text)
    events = extract_events(doc, "2020-04-28", extract_places(doc, gazetteer), rules)
    assert len(events) == 1 and events[0].fatalities == 5 and events[0].location == "Rafi"
