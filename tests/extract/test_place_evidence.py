"""The evidence a report gives for its places beyond the names themselves (issue 13, MENA rows):
the words around a name, the armed groups it names and their countries, an Arabic article, a
road named after a town, a province named again after its district. Sentences written for the
project."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events import load_event_rules
from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.rules import EventRules
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer, haversine_km
from newsledger.records import Entity, Event

PUBLISHED = "2021-06-10"


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def _places(nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str) -> list[Entity]:
    return extract_places(nlp(text), gazetteer, actors=rules.actors)


def _first_event(nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str) -> Event:
    doc = nlp(text)
    places = extract_places(doc, gazetteer, actors=rules.actors)
    events = extract_events(doc, PUBLISHED, places, rules)
    assert events, text
    return events[0]


def _near(event: Event, gazetteer: Gazetteer, name: str, country: str) -> float:
    place = gazetteer.resolve(name, [country])
    assert place is not None and place.country_code == country
    assert event.latitude is not None and event.longitude is not None, event
    return haversine_km(event.latitude, event.longitude, place.latitude, place.longitude)


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # a part of the town is the town
        ("On 3 June 2021, students marched in central Mardin against exam dates.", "Mardin", "TR"),
        ("On 3 June 2021, retirees protested in Central Beirut over pensions.", "Beirut", "LB"),
        # the body that governs a town names it
        (
            "Security measures: On 3 June 2021, Hakkari Governor's Office banned all protests "
            "and marches for fifteen days.",
            "Hakkari",
            "TR",
        ),
        # a province after a village the gazetteer lacks, which the text places
        (
            "On 3 June 2021, rebels fired mortars near Zelenyi Klyn Druhyi, Luhansk.",
            "Luhansk",
            "UA",
        ),
        # the country of the armed group named: Yemen's Al Jawf, not Saudi Arabia's
        (
            "On 3 June 2021, Houthi air defences fired at coalition aircraft over Al Jawf "
            "governorate.",
            "Al Jawf",
            "YE",
        ),
        # a backer's country is not where the event is
        (
            "On 3 June 2021, Saudi-led airstrikes hit Al Jawf governorate in Yemen, killing two "
            "fighters.",
            "Al Jawf",
            "YE",
        ),
        # "Gaza city" with Hamas named: Palestine's, not Mozambique's province
        ("On 3 June 2021, an Israeli drone struck a Hamas post in Gaza city.", "Gaza", "PS"),
        # the words around a name the gazetteer has only by another spelling
        (
            "On 3 June 2021, pro-STC forces clashed with pro-Hadi forces on Suqutra island.",
            "Hadibu",
            "YE",
        ),
        ("On 3 June 2021, rioters threw stones at a bank in Nabatiyeh.", "Nabatiye", "LB"),
        # "X camps", "east of X"
        ("On 3 June 2021, guards fired at refugees fleeing Tindouf camps.", "Tindouf", "DZ"),
        (
            "On 3 June 2021, Israeli soldiers shot at Palestinian shepherds east of Khuzaa, "
            "wounding one.",
            "Khuzaa",
            "PS",
        ),
        # a road named after a town of an Arabic-script country
        ("On 3 June 2021, protesters a roadblock on the Halba highway with tyres.", "Halba", "LB"),
        # a place qualified past the country before its parenthesis: not a namesake elsewhere
        (
            "On 3 June 2021, air raids were reported on Al Marwah area in northwestern Yemen "
            "(Abs, Hajjah), killing a farmer.",
            "Abs",
            "YE",
        ),
        # a province named again after its district
        (
            "On 3 June 2021, tribesmen attacked a camp in Al Anad area of Lahij (Tur Al Bahah, "
            "Lahij), wounding two soldiers.",
            "Tur Al Bahah",
            "YE",
        ),
        # a town named like its province is the town
        (
            "On 3 June 2021, workers protested outside the bank in Kasserine (Ezzouhour, "
            "Kasserine).",
            "Kasserine",
            "TN",
        ),
    ],
)
def test_the_event_stands_where_the_report_says(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules, text: str, name: str, country: str
) -> None:
    event = _first_event(nlp, gazetteer, rules, text)
    assert _near(event, gazetteer, name, country) <= 25.0, (event.location, event.country)


def test_a_named_armed_group_is_no_place(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """ "Taliban" is another name of a Turkish village; the group is no place. A town whose own
    name an actor pattern matches stays one."""
    assert any(p.country_code == "TR" for p in gazetteer.candidates("Taliban"))
    text = "On 3 June 2021, according to Taliban, a farmer was killed in Shindand district, Herat."
    places = _places(nlp, gazetteer, rules, text)
    assert all(p.country != "Turkey" for p in places), places
    assert not any(m.text == "Taliban" for p in places for m in p.mentions)


def test_an_arabic_article_keeps_a_name_in_arabic_script_countries(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """ "Al Kara" folds to "kara" (Togo's Kara); with its article it is a place of a country whose
    names are romanized from Arabic script, or none."""
    assert any(p.country_code == "TG" for p in gazetteer.candidates("Al Kara"))
    text = "On 3 June 2021, gunmen wounded a trader in Al Kara market north of Aden."
    places = _places(nlp, gazetteer, rules, text)
    assert all(p.country != "Togo" for p in places), places
    assert any(p.country == "Yemen" for p in places), places


def test_roads_and_spellings_add_nothing_outside_arabic_script_countries(
    nlp: Language, gazetteer: Gazetteer, rules: EventRules
) -> None:
    """A US street named after a town is no place mention, and a capitalised word near a place
    word is not read as another romanization when nothing resolves it."""
    for text in (
        "Traffic was slow on the Lincoln Highway near the county fair on Saturday.",
        "Drivers on the Springfield road were told to expect delays.",
        "The Route was closed in Springfield, Ill., after the storm.",
    ):
        places = _places(nlp, gazetteer, rules, text)
        assert not any(m.text in ("Lincoln", "Route") for p in places for m in p.mentions), places
