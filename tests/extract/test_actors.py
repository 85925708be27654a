"""Actor aliases to ACLED actor names."""

from __future__ import annotations

import pytest

from newsledger.extract.events.actors import (
    ActorLexicon,
    actor_name,
    country_name,
    find_actor_mentions,
    find_countries,
    load_actor_lexicon,
    normalise_actor,
    render,
    resolve_back_references,
)


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return load_actor_lexicon()


def names(text: str, lexicon: ActorLexicon, country: str | None = "Iraq") -> list[str]:
    mentions = resolve_back_references(find_actor_mentions(text, lexicon))
    return [actor_name(m, country, lexicon) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ISIS fighters fled", "Islamic State (Iraq)"),
        ("IS claimed the attack", "Islamic State (Iraq)"),
        ("Daesh cells were hit", "Islamic State (Iraq)"),
        ("the Islamic State group said", "Islamic State (Iraq)"),
        ("Iraqi forces advanced", "Military Forces of Iraq"),
        ("the JOC announced", "Military Forces of Iraq"),
        ("the Joint Operations Command announced", "Military Forces of Iraq"),
        ("Kurdish Asayish forces arrested him", "Asayish"),
        ("gunmen opened fire", "Unidentified Armed Group (Iraq)"),
        ("unknown assailants opened fire", "Unidentified Armed Group (Iraq)"),
        ("protesters gathered", "Protesters (Iraq)"),
        ("two civilians died", "Civilians (Iraq)"),
        ("police arrived", "Police Forces of Iraq"),
        ("Taliban militants attacked", "Taliban"),
        ("Houthi forces fired", "Military Forces of Yemen Supreme Political Council"),
    ],
)
def test_alias_to_acled_name(text: str, expected: str, lexicon: ActorLexicon) -> None:
    assert names(text, lexicon)[0] == expected


def test_demonym_beats_the_place_country(lexicon: ActorLexicon) -> None:
    # Turkish troops in Iraq are Turkey's forces; the unnamed victims are Iraq's civilians
    assert names("Turkish troops shelled villagers", lexicon) == [
        "Military Forces of Turkey",
        "Civilians (Iraq)",
    ]


def test_country_of_form_and_missing_country(lexicon: ActorLexicon) -> None:
    assert names("soldiers clashed", lexicon, "Philippines") == [
        "Military Forces of the Philippines"
    ]
    assert names("Congolese soldiers", lexicon) == [
        "Military Forces of the Democratic Republic of Congo"
    ]
    assert render("Unidentified Armed Group ({country})", None, lexicon) == (
        "Unidentified Armed Group"
    )


def test_the_group_refers_back_to_the_last_named_group(lexicon: ActorLexicon) -> None:
    text = "ISIS said the group had carried out the raid."
    assert names(text, lexicon, "Syria") == ["Islamic State (Syria)", "Islamic State (Syria)"]
    # with no named group before it, "the group" names no one
    assert names("Police said the group had fled.", lexicon) == ["Police Forces of Iraq"]


def test_longest_alias_wins(lexicon: ActorLexicon) -> None:
    found = find_actor_mentions("Boko Haram/ISWAP fighters raided the town", lexicon)
    assert [m.text for m in found] == ["Boko Haram/ISWAP fighters"]
    assert found[0].template.startswith("Islamic State (West Africa) and/or Boko Haram")


def test_country_names_and_codes(lexicon: ActorLexicon) -> None:
    assert country_name("IQ", lexicon) == "Iraq"
    assert country_name("Democratic Republic of the Congo", lexicon) == (
        "Democratic Republic of Congo"
    )
    assert country_name("Syrian", lexicon) == "Syria"
    assert country_name("Atlantis", lexicon) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Military Forces of India (2014-)", "military forces of india"),
        (
            "Military Forces of Yemen (2016-) Supreme Political Council",
            "Military Forces of Yemen Supreme Political Council",
        ),
        ("Police Forces of Iraq (2018-2020)", "Police Forces of Iraq."),
    ],
)
def test_normalise_actor_drops_year_ranges(a: str, b: str) -> None:
    assert normalise_actor(a) == normalise_actor(b)


def test_normalise_actor_keeps_sub_units() -> None:
    assert normalise_actor("Military Forces of Yemen (2012-)") != normalise_actor(
        "Military Forces of Yemen (2016-) Supreme Political Council"
    )


def test_a_currency_names_no_country(lexicon: ActorLexicon) -> None:
    text = "Angry at the US dollar rate, Lebanese traders met US envoys."
    assert [c for _, c in find_countries(text, lexicon)] == ["Lebanon", "United States"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a faction left unnamed: ACLED's "and/or" actors
        (
            "Boko Haram raided a village",
            "Islamic State (West Africa) and/or Boko Haram - Jamatu Ahli is-Sunnah "
            "lid-Dawatai wal-Jihad",
        ),
        (
            "JNIM or ISGS militants abducted a driver",
            "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)",
        ),
        ("suspected Fulani militias attacked a bus", "Fulani Ethnic Militia (Nigeria)"),
        ("Tiv militias attacked two villages", "Tiv Ethnic Militia (Nigeria)"),
        ("the children of fire initiative claimed an arson", "Children of Fire"),
    ],
)
def test_acled_names_of_groups(text: str, expected: str, lexicon: ActorLexicon) -> None:
    assert names(text, lexicon, "Nigeria")[0] == expected
