"""People and organisations: canonical names, titles, every mention (made-up sentences)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.lexicons import (
    AttributionLexicon,
    load_deadline_lexicon,
    load_number_lexicon,
)
from newsledger.extract.people import entity_at, extract_people
from newsledger.records import Entity


def people_of(nlp: Language, lex: AttributionLexicon, text: str) -> dict[str, Entity]:
    return {e.name: e for e in extract_people(nlp(text), lex)}


def test_lexicon_is_read_from_the_data_files(lex: AttributionLexicon) -> None:
    assert "clause" in lex.verb_frames["say"]
    assert {"clause", "object"} <= lex.verb_frames["point out"]
    assert "of" in lex.verb_frames["warn"]
    assert "prime minister" in lex.titles and "minister" in lex.title_words
    assert "of" not in lex.title_words  # function words of titles are not title words


def test_one_lexicon_per_concern() -> None:
    numbers = load_number_lexicon()
    deadlines = load_deadline_lexicon(numbers)
    assert numbers.units["seven"] == 7 and numbers.scales["million"] == 1_000_000
    assert numbers.currency_words["$"] == "US dollars"
    assert deadlines.months["september"] == 9 and deadlines.months["sept"] == 9
    assert deadlines.relations["no later than"] == "no later than"
    assert deadlines.numbers is numbers


def test_surname_mentions_point_to_the_full_name(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "Security analyst Omar Khalil said the roads were closed. Khalil added that more was due."
    )
    people = people_of(nlp, lex, text)
    khalil = people["Omar Khalil"]
    assert khalil.kind == "person"
    assert khalil.title == "Security analyst"
    assert [m.text for m in khalil.mentions] == ["Omar Khalil", "Khalil"]
    for m in khalil.mentions:
        assert text[m.start : m.end] == m.text


def test_particle_names_match_either_case(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "Interior Minister Samir al-Jabouri visited the checkpoint on Sunday. "
        "Al-Jabouri said the road would reopen."
    )
    person = people_of(nlp, lex, text)["Samir al-Jabouri"]
    assert person.title == "Interior Minister"
    assert [m.text for m in person.mentions] == ["Samir al-Jabouri", "Al-Jabouri"]


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "Layla Karam, the governor of the province, visited the camp on Monday.",
            "Layla Karam",
            "governor of the province",
        ),
        (
            "A spokesman for the provincial council, Adel Nouri, denied the report.",
            "Adel Nouri",
            "spokesman for the provincial council",
        ),
        ("Prime Minister Karim Haddad arrived in the capital.", "Karim Haddad", "Prime Minister"),
    ],
)
def test_titles_from_appositions_and_premodifiers(
    nlp: Language, lex: AttributionLexicon, text: str, name: str, title: str
) -> None:
    assert people_of(nlp, lex, text)[name].title == title


def test_organisation_with_its_acronym(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "The Popular Defense Units (PDU) said the town was calm. "
        "A PDU commander later confirmed it."
    )
    people = extract_people(nlp(text), lex)
    org = next(e for e in people if e.kind == "organization" and "Popular Defense" in e.name)
    assert org.name == "Popular Defense Units"
    assert [m.text for m in org.mentions] == ["Popular Defense Units", "PDU", "PDU"]
    second = org.mentions[-1]
    assert entity_at(people, second.start, second.end) == org


def test_place_modifiers_are_not_people(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Fighters attacked the Tal Qasir camp and the Wadi Rumman prison overnight."
    names = {e.name for e in extract_people(nlp(text), lex) if e.kind == "person"}
    assert not names & {"Tal Qasir", "Wadi Rumman"}


def test_a_shared_surname_goes_to_the_main_figure(nlp: Language, lex: AttributionLexicon) -> None:
    """A bare surname is the person of that surname mentioned most so far, not a relative
    named once just before it; with no one mentioned more, the one named last."""
    text = (
        "Daniel Brook spoke in Ohio. Brook said the plant would stay open. Brook visited a farm. "
        "A photo showed Maria Brook at the rally. Brook said he would return. "
        "Years ago, Samuel Vance ran the plant. Today his grandson, Peter Vance, runs it. "
        "Vance said the plant would grow."
    )
    doc = nlp(text)
    people = {e.name: e for e in extract_people(doc, lex)}
    said_brook = text.index("Brook said he")
    said_vance = text.index("Vance said")
    assert any(m.start == said_brook for m in people["Daniel Brook"].mentions)
    assert any(m.start == said_vance for m in people["Peter Vance"].mentions)
