"""Districts and sub-districts of Iraq and Syria: named after their seat towns, they stand at the
seat ("Sinjar district", "Azaz sub-district"), and a village the gazetteer lacks, qualified by its
district and province, leaves the district's seat as the first place located, not the province
(sentences written for these tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.places import find_place_mentions
from newsledger.geo import Gazetteer, haversine_km


@pytest.mark.parametrize(
    ("unit", "countries", "seat"),
    [
        ("Sinjar district", ["IQ"], "Sinjar"),
        ("Hawija district", ["IQ"], "Hawija"),
        ("Baiji district", ["IQ"], "Bayjī"),
        ("Manbij district", ["SY"], "Manbij"),
        ("Azaz sub-district", ["SY"], "I‘zāz"),
        ("Al-Shaddadi subdistrict", ["SY"], "Shaddadi"),
        ("Tal Abyad nahiya", ["SY"], "Tall Abyaḑ"),
    ],
)
def test_a_unit_stands_at_its_seat(
    gazetteer: Gazetteer, unit: str, countries: list[str], seat: str
) -> None:
    place = gazetteer.resolve(unit, countries)
    assert place is not None and place.name == seat and place.feature == "city"


@pytest.mark.parametrize(
    ("text", "seat", "province"),
    [
        (
            "Gunmen attacked Qaryat Zzyzx village in Sinjar district of Nineveh province.",
            "Sinjar",
            "Ninewa",
        ),
        (
            "Two shepherds were killed near Tell Zzyzx in the Manbij sub-district of Aleppo "
            "province.",
            "Manbij",
            "Aleppo",
        ),
    ],
)
def test_an_unknown_village_leaves_the_district_seat_first(
    nlp: Language, gazetteer: Gazetteer, text: str, seat: str, province: str
) -> None:
    located = [m.place for m in find_place_mentions(nlp(text), gazetteer) if m.place is not None]
    assert located[0].name == seat and located[0].feature == "city"
    assert any(p.name == province and p.feature == "admin1" for p in located[1:])
    # the seat, not the province's capital: they lie far apart
    capital = gazetteer.resolve(province)
    assert capital is not None
    assert (
        haversine_km(located[0].latitude, located[0].longitude, capital.latitude, capital.longitude)
        > 25
    )


def test_a_spelling_of_a_district_seat(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Clashes broke out 10 km east of Beiji in Salahuddin province."
    located = [m.place for m in find_place_mentions(nlp(text), gazetteer) if m.place is not None]
    assert [p.name for p in located] == ["Bayjī", "Salah al-Din"]
