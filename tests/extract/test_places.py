"""Place entities from text, the seed reports' gold places, and an LGL quality floor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.evaluate.lgl import evaluate_lgl
from newsledger.extract.places import extract_places, find_place_mentions, places_in
from newsledger.geo import Gazetteer, geo_precision, haversine_km, name_key
from newsledger.records import Entity

# pinned a little below the measured value on the first 60 LGL articles (see the report)
LGL_SLICE = 60
LGL_ACC_FLOOR = 0.76
LGL_PRECISION_FLOOR = 0.77


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_mentions_offsets_and_the_stripped(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "Iraqi jets struck hideouts in the Hamrin Mountains on Tuesday. "
        "Later, troops from Kirkuk searched villages near Daquq, and Kirkuk police made arrests."
    )
    entities = extract_places(nlp(text), gazetteer)
    names = _by_name(entities)
    for entity in entities:
        assert entity.kind == "place"
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
    hamrin = names["Hamrin Mountains"]
    assert [m.text for m in hamrin.mentions] == ["Hamrin Mountains"]  # "the" stripped
    assert hamrin.admin1 == "Kirkuk" and hamrin.country == "Iraq"
    kirkuk = names["Kirkuk"]
    assert [m.start for m in kirkuk.mentions] == [text.index("Kirkuk"), text.rindex("Kirkuk")]
    assert kirkuk.latitude is not None and kirkuk.longitude is not None
    assert haversine_km(kirkuk.latitude, kirkuk.longitude, 35.468, 44.392) < 5
    assert "Daquq" in names
    # the demonym is a mention of its country
    assert [m.text for m in names["Iraq"].mentions] == ["Iraqi"]


def test_demonyms_and_countries_share_an_entity(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "Turkish drones hit a village in Syria. A Syrian official said Turkey had "
        "struck the area twice."
    )
    names = _by_name(extract_places(nlp(text), gazetteer))
    assert sorted(m.text for m in names["Turkey"].mentions) == ["Turkey", "Turkish"]
    assert sorted(m.text for m in names["Syria"].mentions) == ["Syria", "Syrian"]
    assert names["Syria"].geonameid is not None


def test_names_spacy_misses_and_spellings(nlp: Language, gazetteer: Gazetteer) -> None:
    text = (
        "Coalition forces left Ain Al-Assad base and Harir base, while guards at Ghuwayran "
        "prison and al-Hol camp were reinforced. Clashes hit Deir ez-Zor and Palmyra."
    )
    entities = extract_places(nlp(text), gazetteer)
    names = _by_name(entities)
    assert {"Ain al-Asad Air Base", "Harir Air Base", "Ghuwayran prison", "al-Hol camp"} <= set(
        names
    )
    assert [m.text for m in names["Ain al-Asad Air Base"].mentions] == ["Ain Al-Assad base"]
    palmyra = names["Palmyra"]
    assert palmyra.latitude is not None and palmyra.longitude is not None
    assert haversine_km(palmyra.latitude, palmyra.longitude, 34.55, 38.27) < 10


def test_context_from_the_document(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "The fire in Alexandria, La., was the third in Rapides Parish this month."
    names = _by_name(extract_places(nlp(text), gazetteer))
    alexandria = names["Alexandria"]
    assert alexandria.admin1 == "Louisiana"
    assert names["Louisiana"].mentions[0].text == "La."


def test_places_in_a_sentence_and_precision(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Talks were held in Baghdad. Airstrikes hit the Hamrin Mountains near Tikrit."
    doc = nlp(text)
    entities = extract_places(doc, gazetteer)
    second = list(doc.sents)[1]
    picked = places_in(entities, second.start_char, second.end_char)
    assert [e.name for e, _ in picked] == ["Hamrin Mountains", "Tikrit"]
    mentions = {m.text: m for m in find_place_mentions(doc, gazetteer)}
    hamrin = mentions["Hamrin Mountains"].place
    tikrit = mentions["Tikrit"].place
    assert hamrin is not None and geo_precision(hamrin) == 2
    assert tikrit is not None and geo_precision(tikrit) == 1


def test_not_places(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Kurdish and Sunni leaders met a turkey farmer at the Washington Post office."
    names = {m.text for m in find_place_mentions(nlp(text), gazetteer)}
    assert "Kurdish" not in names and "Sunni" not in names and "turkey" not in names
    assert not any("Post" in n for n in names)  # at most the place inside the paper's name


def _seed_body(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    marker = "Shafaq News/ "
    return raw[raw.index(marker) + len(marker) :] if marker in raw else raw


def _glued(text: str, start: int) -> bool:
    """Whether the word at `start` is glued to the one before ("inBaghdad")."""
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    return re.search(r"[a-z][A-Z]", text[word_start : start + 1]) is not None


@pytest.mark.slow
def test_seed_gold_places(nlp: Language, gazetteer: Gazetteer, shared: Path) -> None:
    gold = json.loads((shared / "eval" / "seeds.gold.json").read_text(encoding="utf-8"))
    tolerance = {
        e["location"]["name"]: float(e["location"].get("tolerance_km", 25)) for e in gold["events"]
    }
    bodies = [_seed_body(p) for p in sorted((shared / "corpus" / "seeds").glob("*.txt"))]
    docs = [nlp(b) for b in bodies]
    entities = [extract_places(d, gazetteer) for d in docs]
    tested = 0
    for place in gold["places"]:
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(place['name'])}(?![A-Za-z])", re.I)
        km = max(25.0, tolerance.get(place["name"], 25.0))
        for body, ents in zip(bodies, entities, strict=True):
            spans = [
                (m.start(), m.end()) for m in pattern.finditer(body) if not _glued(body, m.start())
            ]
            if not spans:
                continue  # written glued to a neighbour ("theMountains") or in another spelling
            tested += 1
            right = [
                e
                for e in ents
                if e.latitude is not None
                and e.longitude is not None
                and haversine_km(e.latitude, e.longitude, place["lat"], place["lon"]) <= km
                and any(m.start < s_end and s < m.end for m in e.mentions for s, s_end in spans)
            ]
            assert right, f"{place['name']}: no place entity within {km} km mentions it"
    assert tested >= 12
    # glued or not, gold places extracted under their name and within 25 km in some report;
    # the ones missing are written glued to a neighbour ("theMountains"), for the repair stage
    missing = [
        place["name"]
        for place in gold["places"]
        if not any(
            e.latitude is not None
            and e.longitude is not None
            and name_key(e.name) == name_key(place["name"])
            and haversine_km(e.latitude, e.longitude, place["lat"], place["lon"]) <= 25
            for ents in entities
            for e in ents
        )
    ]
    assert len(missing) <= 4, missing
    for name in missing:  # each of them is written glued everywhere
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", re.I)
        unglued = [m for b in bodies for m in pattern.finditer(b) if not _glued(b, m.start())]
        assert not unglued, f"{name} is written unglued but was not extracted"


@pytest.mark.slow
def test_lgl_quality_floor(nlp: Language, gazetteer: Gazetteer, shared: Path) -> None:
    score = evaluate_lgl(shared / "eval" / "lgl.jsonl", nlp, gazetteer, limit=LGL_SLICE)
    assert score.articles == LGL_SLICE
    assert score.gold > 300
    assert score.acc_161 >= LGL_ACC_FLOOR, score.to_dict()
    assert score.precision >= LGL_PRECISION_FLOOR, score.to_dict()
    assert len(score.misses) == score.gold - score.correct
    assert set(score.to_dict()) >= {"acc_161", "found_rate", "precision", "gold", "correct"}


def test_town_district_province_chains(nlp: Language, gazetteer: Gazetteer) -> None:
    # a district the gazetteer lacks inside the parenthesis: the town and the French province
    # are still read together (Cameroon's Nord-Ouest, not Haiti's)
    text = "Taxi riders demonstrated in Bamenda town (Mezam, Nord-Ouest) on Friday."
    names = _by_name(extract_places(nlp(text), gazetteer))
    assert "Bamenda" in names and names["Bamenda"].country == "Cameroon"
    assert all(e.country == "Cameroon" for e in names.values()), names
    # the district itself is a place (admin2) when the village is unknown
    mentions = find_place_mentions(
        nlp("Houthi forces attacked the Qaniyah front (Mahliyah, Marib) on Sunday."), gazetteer
    )
    districts = [m.place for m in mentions if m.place is not None and m.place.feature == "admin2"]
    assert districts and districts[0].name == "Mahliyah" and districts[0].country_code == "YE"
    assert geo_precision(districts[0]) == 2
    # "Hays city (Al Hudaydah)": the Yemeni Hays, not a town called "Hays City"
    hays = extract_places(nlp("Snipers fired in Hays city (Al Hudaydah)."), gazetteer)
    assert [e.country for e in hays if name_key(e.name) == "hays"] == ["Yemen"]


def test_a_province_stands_at_its_largest_town(gazetteer: Gazetteer) -> None:
    # ACLED codes an event known only by its province at the provincial capital
    province = gazetteer.resolve("Badakhshan province")
    assert province is not None and province.feature == "admin1"
    t = gazetteer.tables
    towns = [
        r for r in range(len(t.name)) if t.feature[r] == "city" and t.admin1[r] == province.admin1
    ]
    largest = max(towns, key=lambda r: t.population[r])
    assert (province.latitude, province.longitude) == (t.lat[largest], t.lon[largest])


def test_a_qualified_town_is_no_namesake_elsewhere(nlp: Language, gazetteer: Gazetteer) -> None:
    # the gazetteer's only Pisky lies in another province than the one the text names
    assert all(p.admin1 != "Donetsk" for p in gazetteer.candidates("Pisky"))
    mentions = find_place_mentions(nlp("Rebels fired mortars near Pisky, Donetsk."), gazetteer)
    resolved = {m.text: m.place for m in mentions}
    assert resolved["Pisky"] is None, resolved
    assert resolved["Donetsk"] is not None and resolved["Donetsk"].country_code == "UA"


def test_names_in_a_parenthesis_after_a_name(nlp: Language, gazetteer: Gazetteer) -> None:
    # the village is unknown; the district and the province in the parenthesis are places
    text = "Gunmen raided Qaryat Sufla village (Bani Hushaysh, Sanaa) overnight."
    found = {m.text: e.country for e in extract_places(nlp(text), gazetteer) for m in e.mentions}
    assert found.get("Sanaa") == "Yemen", found


def test_a_currency_is_no_place(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Protesters angry at the US dollar exchange rate blocked a road in Sidon."
    names = _by_name(extract_places(nlp(text), gazetteer))
    assert "United States" not in names and "Sidon" in names, names
