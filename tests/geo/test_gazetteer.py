"""The offline gazetteer: spellings, context, precision, the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.geo import (
    Gazetteer,
    Place,
    division_names,
    geo_precision,
    haversine_km,
    load_gazetteer,
    name_key,
)


def _km(place: Place | None, lat: float, lon: float) -> float:
    assert place is not None
    return haversine_km(place.latitude, place.longitude, lat, lon)


def test_name_key_folds_articles_case_diacritics_and_doubled_letters() -> None:
    assert name_key("Ain Al-Assad") == name_key("Ain al-Asad") == "ain asad"
    assert name_key("Tall ‘Afar") == name_key("Tal Afar")
    assert name_key("Ḩamāh") == "hamah"
    assert name_key("Saint-Étienne") == name_key("St. Etienne")
    assert name_key("the Hamrin Mountains") == name_key("Hamrin Mountains")


@pytest.mark.parametrize(
    "spelling", ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour", "Deir Ezzor", "deir EZ-ZOR"]
)
def test_deir_ez_zor_spellings(gazetteer: Gazetteer, spelling: str) -> None:
    place = gazetteer.resolve(spelling)
    assert place is not None
    assert place.country_code == "SY"
    assert _km(place, 35.336, 40.141) < 5


@pytest.mark.parametrize(
    "spelling", ["Ain al-Asad", "Ain Al-Assad", "Ayn al Asad", "Al Asad Airbase"]
)
def test_ain_al_asad(gazetteer: Gazetteer, spelling: str) -> None:
    place = gazetteer.resolve(spelling)
    assert place is not None
    assert place.feature == "base"
    assert place.admin1 == "Al-Anbar"
    assert _km(place, 33.80, 42.44) < 5
    assert geo_precision(place) == 2


def test_palmyra_context(gazetteer: Gazetteer) -> None:
    syria = gazetteer.resolve("Palmyra", ["Syria"])
    assert syria is not None and syria.country_code == "SY"
    assert _km(syria, 34.55, 38.27) < 5
    # without context the Syrian city (a news name, larger than the US towns) still wins
    assert gazetteer.resolve("Palmyra").country_code == "SY"  # type: ignore[union-attr]
    # with Australia in context, Australia's Palmyra
    australia = gazetteer.resolve("Palmyra", ["AU"])
    assert australia is not None and australia.country_code == "AU"
    candidates = gazetteer.candidates("Palmyra")
    assert {p.country_code for p in candidates} >= {"SY", "US", "AU"}


def test_mosul_and_nineveh(gazetteer: Gazetteer) -> None:
    mosul = gazetteer.resolve("Mosul")
    assert mosul is not None and mosul.feature == "city" and mosul.admin1 == "Ninewa"
    assert _km(mosul, 36.335, 43.119) < 5
    nineveh = gazetteer.resolve("Nineveh")
    assert nineveh is not None and nineveh.feature == "admin1" and nineveh.name == "Ninewa"
    assert geo_precision(nineveh) == 3


def test_governorate_named_like_its_city(gazetteer: Gazetteer) -> None:
    city = gazetteer.resolve("Kirkuk")
    province = gazetteer.resolve("Kirkuk province")
    assert city is not None and city.feature == "city"
    assert province is not None and province.feature == "admin1" and province.country_code == "IQ"


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Sulaymaniyah", 35.561, 45.438),
        ("Al-Sulaymaniyah", 35.561, 45.438),
        ("Slemani", 35.561, 45.438),
        ("Erbil", 36.191, 44.009),
        ("Hamrin Mountains", 34.75, 44.55),
        ("al-Hol camp", 36.378, 41.148),
        ("Ghuwayran prison", 36.49, 40.75),
        ("Sina'a prison", 36.49, 40.75),
        ("Tadmur", 34.55, 38.27),
    ],
)
def test_iraq_syria_names(gazetteer: Gazetteer, name: str, lat: float, lon: float) -> None:
    assert _km(gazetteer.resolve(name), lat, lon) < 10


def test_countries_states_counties_and_demonyms(gazetteer: Gazetteer) -> None:
    assert gazetteer.country_code("Syrian") == "SY"
    assert gazetteer.country_code("Turkish") == "TR"
    assert gazetteer.country_code("U.S.") == "US"
    iraq = gazetteer.resolve("Iraqi")
    assert iraq is not None and iraq.feature == "country" and iraq.name == "Iraq"
    assert geo_precision(iraq) == 3
    wv = gazetteer.resolve("W.Va.")
    assert wv is not None and wv.name == "West Virginia" and wv.feature == "admin1"
    minnesota = gazetteer.resolve("Minnesota")
    assert minnesota is not None and minnesota.feature == "admin1"
    parish = gazetteer.resolve("Rapides Parish")
    assert parish is not None and parish.feature == "admin2" and parish.admin1 == "Louisiana"
    assert geo_precision(parish) == 2


def test_context_country_decides(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Paris").country_code == "FR"  # type: ignore[union-attr]
    georgia_us = gazetteer.resolve("Georgia", ["United States"])
    assert georgia_us is not None and georgia_us.feature == "admin1"
    georgia = gazetteer.resolve("Georgia", ["Russia"])
    assert georgia is not None and georgia.feature == "country"
    athens = gazetteer.resolve("Athens", ["US"], [("US", "Georgia")])
    assert athens is not None and athens.admin1 == "Georgia"
    assert gazetteer.resolve("Nowhere-in-particular-xyz") is None


def test_geo_precision_levels() -> None:
    def place(feature: str) -> Place:
        return Place("x", 0.0, 0.0, None, None, None, None, None, feature, 0)

    assert geo_precision(place("city")) == 1
    assert geo_precision(place("city"), near=True) == 2
    assert geo_precision(place("mountain")) == 2
    assert geo_precision(place("camp"), near=True) == 2
    assert geo_precision(place("admin1")) == 3
    assert geo_precision(place("country")) == 3
    assert geo_precision(place("region")) == 3


def test_find_phrases_needs_capitals_and_whole_words(gazetteer: Gazetteer) -> None:
    text = "Troops left Turkey for al-Hol camp; a turkey dinner; Turkeys; Ind. and W.Va. too."
    found = [(s, e, t) for s, e, t in gazetteer.find_phrases(text)]
    words = [t for _, _, t in found]
    assert "Turkey" in words
    assert "turkey" not in words
    assert "Turkeys" not in words
    assert "Ind." in words and "W.Va." in words
    for start, end, written in found:
        assert text[start:end] == written


def test_cached_load_gives_the_same_gazetteer(gazetteer: Gazetteer, tmp_path: Path) -> None:
    assert len(gazetteer) > 150_000  # cities1000 plus the rest
    again = load_gazetteer()  # from the cache the session fixture wrote
    assert len(again) == len(gazetteer)


def test_bad_population_threshold_is_explained() -> None:
    with pytest.raises(ValueError, match="cities500"):
        load_gazetteer(min_city_population=2000)


def test_second_level_divisions(gazetteer: Gazetteer) -> None:
    # data/admin2.tsv: a district at the median of its towns, under its name with and without
    # GeoNames' generic words
    for name in ("Mahliyah", "Nalanda", "Sanaga-Maritime", "Departement de la Sanaga-Maritime"):
        place = gazetteer.resolve(name, ["Yemen", "Cameroon"])
        assert place is not None and place.feature == "admin2", name
        assert geo_precision(place) == 2
        assert place.admin2 == place.name and place.admin1
    assert gazetteer.resolve("Mahliyah district").country_code == "YE"  # type: ignore[union-attr]
    # a district named like its seat is the town (it is left out of the file)
    assert gazetteer.resolve("Kassala", ["Sudan"]).feature == "city"  # type: ignore[union-attr]


def test_division_names_drop_generic_words() -> None:
    assert division_names("Comuna Mitrofani") == ["Comuna Mitrofani", "Mitrofani"]
    assert division_names("Departement du Gard")[-1] == "Gard"
    assert division_names("Muhafazat al Bayda'")[-1] == "al Bayda'"
    assert division_names("Gujrat District")[-1] == "Gujrat"
    assert division_names("Northern Region") == ["Northern Region"]  # no bare compass word


def test_french_names_of_provinces(gazetteer: Gazetteer) -> None:
    for name, english in (
        ("Nord-Ouest", "North-West Province"),
        ("Sud-Ouest", "South-West Province"),
        ("Ouest", "West"),
        ("Extreme-Nord", "Far North"),
    ):
        place = gazetteer.resolve(name, ["Cameroon"])
        assert place is not None and place.country_code == "CM", name
        assert place.name == english
    assert gazetteer.resolve("Sud-Kivu").country_code == "CD"  # type: ignore[union-attr]
    # provinces under their Arabic names without "Muhafazat"
    hudaydah = gazetteer.resolve("Al Hudaydah governorate")
    assert hudaydah is not None and hudaydah.feature == "admin1" and hudaydah.country_code == "YE"


def test_province_named_like_a_town_in_it(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Kirkuk").feature == "city"  # type: ignore[union-attr]
    # but a small town known by the province's name does not hide the province
    sinaloa = gazetteer.resolve("Sinaloa", ["Mexico"])
    assert sinaloa is not None and sinaloa.feature == "admin1"


def test_named_town_suffix_keeps_every_town_of_the_name(gazetteer: Gazetteer) -> None:
    # "Hays city": the Yemeni Hays is a candidate too, not only Kansas's "Hays City"; a town
    # known by the whole name comes first ("Phenix City" is not Phoenix)
    assert "YE" in {p.country_code for p, _ in gazetteer.scored("Hays city")}
    assert gazetteer.resolve("Phenix City").admin1 == "Alabama"  # type: ignore[union-attr]
