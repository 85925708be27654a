"""Which place an event stands at when a note names several: the town the text qualifies, not a
province, a landmark, an origin or a country (locating.pick_place and places.py's parenthesis
rules). Sentences written for the project."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events import load_event_rules
from newsledger.extract.events.coder import extract_events
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer, haversine_km
from newsledger.records import Event

PUBLISHED = "2021-06-10"


def _first_event(nlp: Language, gazetteer: Gazetteer, text: str) -> Event:
    doc = nlp(text)
    events = extract_events(doc, PUBLISHED, extract_places(doc, gazetteer), load_event_rules())
    assert events, text
    return events[0]


@pytest.mark.parametrize(
    ("text", "expected", "country"),
    [
        # a parenthesis closed by a province after a lower-case word
        (
            "On 4 June 2021, militants shelled positions at the airbase (An Nuqat al Khams), "
            "killing two soldiers.",
            "An Nuqat al Khams",
            "LY",
        ),
        # the first sentence names only a country; its continuation the town
        (
            "On 5 June 2021, a Saudi-led coalition airstrike was reported on a hill "
            "[Jabal Ahmar] (Mukayras, Al Bayda) with no casualties.",
            "Mukayras",
            "YE",
        ),
        # the qualified town, not the towns of the road it lies on
        (
            "On 6 June 2021, gunmen opened fire on trucks on the road linking Sanaa to Marib at "
            "Sirwah (Sirwah, Marib), killing a driver.",
            "Sirwah",
            "YE",
        ),
        # the district, not the city it is placed from
        (
            "On 7 June 2021, rebels attacked army posts in Harib district south of Marib city "
            "(Marib), killing three soldiers.",
            "Harib",
            "YE",
        ),
        # "X area of Y": X is in Y, not a namesake abroad
        (
            "On 8 June 2021, residents protested against water cuts in the Soba area of Khartoum.",
            "Khartoum",
            "SD",
        ),
        # a namesake in another Arabic-script country is no place of a Yemeni village
        (
            "On 9 June 2021, artillery fire hit houses in Salim (Qaatabah, Ad Dali), "
            "wounding a child.",
            "Qaatabah",
            "YE",
        ),
    ],
)
def test_the_event_stands_at_the_qualified_town(
    nlp: Language, gazetteer: Gazetteer, text: str, expected: str, country: str
) -> None:
    event = _first_event(nlp, gazetteer, text)
    place = gazetteer.resolve(expected, [country])
    assert place is not None and place.country_code == country
    assert event.latitude is not None and event.longitude is not None, event
    km = haversine_km(event.latitude, event.longitude, place.latitude, place.longitude)
    assert km <= 25.0, (event.location, km)


def test_a_name_that_goes_on_past_an_article_is_not_cut_short(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    """ "Wadi al-Rabi" is not India's Wadi; the province that qualifies it places the event."""
    text = "On 3 June 2021, rival forces clashed in Wadi al-Rabi (Aljfara). No casualties."
    places = extract_places(nlp(text), gazetteer)
    assert all(p.country in (None, "Libya") for p in places), places
    event = _first_event(nlp, gazetteer, text)
    assert event.country == "Libya"
    jafara = gazetteer.resolve("Aljfara")
    assert jafara is not None and jafara.country_code == "LY" and jafara.feature == "admin1"


def test_a_village_only_where_its_province_is_named_beside_it(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    """GeoNames' towns of 500 to 999 people (cities500 beside cities1000) are villages: "near
    Pavlopil, Donetsk" is the village; "Pavlopil" alone is no place the gazetteer can be sure
    of."""
    village = gazetteer.scored("Pavlopil")[0][0]
    assert gazetteer.is_village(village) and village.admin1 == "Donetsk"
    assert not gazetteer.is_village(gazetteer.scored("Donetsk")[0][0])
    qualified = extract_places(nlp("Rebels fired mortars near Pavlopil, Donetsk."), gazetteer)
    found = {p.name: p for p in qualified}
    assert found["Pavlopil"].latitude == village.latitude
    alone = extract_places(nlp("Rebels fired mortars near Pavlopil on Sunday."), gazetteer)
    assert all(p.latitude is None for p in alone if p.name == "Pavlopil")
