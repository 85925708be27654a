"""Events coded the ACLED way, on made-up sentences, and a quality gate on ACLED's own notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.evaluate.acled import acled_date, evaluate_acled, read_rows
from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.rules import EventRules, load_event_rules
from newsledger.records import Entity, Event, Mention

PUBLISHED = "2024-12-19"

SUB_TYPES = [
    (
        "Battles",
        "Armed clash",
        "On Monday, soldiers clashed with Islamic State fighters near a village, killing three "
        "militants.",
    ),
    (
        "Battles",
        "Government regains territory",
        "Government troops recaptured the town from ISIS fighters after two days of fighting.",
    ),
    (
        "Battles",
        "Non-state actor overtakes territory",
        "Islamic State militants seized control of the village after government troops withdrew.",
    ),
    (
        "Explosions/Remote violence",
        "Chemical weapon",
        "Witnesses said a chemical weapons attack with chlorine gas struck a residential district.",
    ),
    (
        "Explosions/Remote violence",
        "Air/drone strike",
        "Iraqi warplanes carried out airstrikes on ISIS hideouts in the desert, killing five "
        "militants.",
    ),
    (
        "Explosions/Remote violence",
        "Suicide bomb",
        "A suicide bomber blew himself up at a checkpoint manned by police, killing two officers.",
    ),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Rebel forces fired mortar shells at army positions on the outskirts of the city.",
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "A roadside bomb exploded near a military convoy, wounding four soldiers.",
    ),
    (
        "Explosions/Remote violence",
        "Grenade",
        "Unidentified men threw a hand grenade at a shop in the market, injuring two people.",
    ),
    (
        "Violence against civilians",
        "Sexual violence",
        "Militiamen raped two women during a raid on the village.",
    ),
    ("Violence against civilians", "Attack", "Gunmen shot dead a farmer in his field on Sunday."),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        "Armed men kidnapped three shepherds near the border on Wednesday.",
    ),
    (
        "Protests",
        "Peaceful protest",
        "Hundreds of teachers protested outside the ministry, demanding unpaid salaries.",
    ),
    (
        "Protests",
        "Protest with intervention",
        "Police dispersed dozens of students who were protesting against fee increases.",
    ),
    (
        "Protests",
        "Excessive force against protesters",
        "Security forces opened fire on protesters in the main square, killing four demonstrators.",
    ),
    (
        "Riots",
        "Violent demonstration",
        "Demonstrators threw stones at police and burned tyres on the main road.",
    ),
    ("Riots", "Mob violence", "A mob lynched a man accused of theft in the village."),
    (
        "Strategic developments",
        "Agreement",
        "The two armed groups signed a ceasefire agreement in the capital on Friday.",
    ),
    (
        "Strategic developments",
        "Arrests",
        "Kurdish security forces arrested a senior Islamic State member in a dawn operation.",
    ),
    (
        "Strategic developments",
        "Change to group/activity",
        "Army reinforcements arrived at the front line on Thursday.",
    ),
    (
        "Strategic developments",
        "Disrupted weapons use",
        "Police defused two explosive devices found under a bridge.",
    ),
    (
        "Strategic developments",
        "Headquarters or base established",
        "The militia established a new base near the oil field.",
    ),
    (
        "Strategic developments",
        "Looting/property destruction",
        "Fighters looted shops and burned houses in the town after the battle had ended.",
    ),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
        "Government forces handed over control of the airbase to the allied militia without a "
        "fight.",
    ),
    ("Strategic developments", "Other", "Militants released prisoners they had held for months."),
]


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def events_of(
    nlp: Language,
    rules: EventRules,
    text: str,
    places: list[Entity] | None = None,
    published: str | None = PUBLISHED,
) -> list[Event]:
    return extract_events(nlp(text), published, places or [], rules)


def test_rules_spell_acled_types(rules: EventRules) -> None:
    assert len(rules.types) == 25
    assert set(rules.types.values()) == {
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    }
    assert {sub for _, sub, _ in SUB_TYPES} == set(rules.types)


@pytest.mark.parametrize(("event_type", "sub_event_type", "text"), SUB_TYPES)
def test_each_sub_event_type(
    nlp: Language, rules: EventRules, event_type: str, sub_event_type: str, text: str
) -> None:
    events = events_of(nlp, rules, text)
    assert len(events) == 1
    assert (events[0].event_type, events[0].sub_event_type) == (event_type, sub_event_type)
    assert 0.0 <= events[0].confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "He suggested these fighters could launch attacks on cities in the coming months.",
        "The minister warned that the group may attack prisons.",
        "Officials discussed the withdrawal of coalition forces by September 2026.",
        "The army plans to retake the town next month.",
        "Analysts fear militants will exploit the chaos to regroup.",
        "Police did not arrest anyone.",
        "If the talks fail, the rebels could attack the capital.",
        "The country still requires airstrikes to monitor insurgent movements.",
        "Experts highlighted potential attacks on prisons holding detainees.",
        "The government intends to keep its troops in the region.",
    ],
)
def test_no_event_in_opinion_policy_or_speculation(
    nlp: Language, rules: EventRules, text: str
) -> None:
    assert events_of(nlp, rules, text) == []


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Gunmen killed several villagers in the market.", 3),
        ("Dozens of people were killed when rebels attacked the town.", 12),
        ("Hundreds were killed when the army shelled the district.", 100),
        ("An unknown number of fighters were killed in clashes with the army.", 10),
        ("Militants killed three soldiers and wounded seven in an ambush.", 3),
        ("Between 10-15 militants were killed when troops repulsed their attack.", 10),
        ("Gunmen attacked a checkpoint. No casualties were reported.", 0),
        ("A man was shot dead by gunmen in the market.", 1),
        ("Rebels shelled the town, wounding five people.", 0),
        ("Troops clashed with rebels. Fatalities coded as 4.", 4),
        ("Two soldiers were killed in an ambush by rebels. Four rebels were also killed.", 6),
        ("An airstrike killed four militants near the village on Monday.", 4),
        ("One drone strike killed at least 12 fighters at the base.", 12),
    ],
)
def test_fatalities_follow_acled_conventions(
    nlp: Language, rules: EventRules, text: str, fatalities: int
) -> None:
    events = events_of(nlp, rules, text)
    assert events, text
    assert events[0].fatalities == fatalities


def test_many_events_each_with_its_evidence(nlp: Language, rules: EventRules) -> None:
    text = (
        "Gunmen shot dead two farmers near the river on Monday. Officials condemned the "
        "violence.\n\nSeparately, police arrested five suspected militants in the city."
    )
    doc = nlp(text)
    events = extract_events(doc, PUBLISHED, [], rules)
    assert [e.sub_event_type for e in events] == ["Attack", "Arrests"]
    for event in events:
        assert doc.text[event.evidence.start : event.evidence.end] == event.evidence.text
        assert event.notes == event.evidence.text
    assert events[0].event_date == "2024-12-16"
    assert events[0].fatalities == 2


def test_continuation_sentence_joins_its_event(nlp: Language, rules: EventRules) -> None:
    text = "Protesters gathered outside the governor's office. The police dispersed them."
    events = events_of(nlp, rules, text)
    assert [e.sub_event_type for e in events] == ["Protest with intervention"]


def place(
    name: str, start: int, text: str, lat: float, lon: float, admin1: str | None, country: str
) -> Entity:
    return Entity(
        kind="place",
        name=name,
        mentions=(Mention(start, start + len(text), text),),
        latitude=lat,
        longitude=lon,
        admin1=admin1,
        country=country,
    )


def test_location_from_the_sentence_and_the_actor_country(nlp: Language, rules: EventRules) -> None:
    text = "Last week, gunmen killed a shepherd in Tal Hamra, near the border."
    places = [
        place("Tal Hamra", text.index("Tal Hamra"), "Tal Hamra", 36.1, 41.2, "Nineveh", "Iraq")
    ]
    (event,) = events_of(nlp, rules, text, places)
    assert (event.location, event.admin1, event.country) == ("Tal Hamra", "Nineveh", "Iraq")
    assert (event.latitude, event.longitude, event.geo_precision) == (36.1, 41.2, 1)
    assert (event.actor1, event.actor2) == ("Unidentified Armed Group (Iraq)", "Civilians (Iraq)")
    assert (event.event_date, event.time_precision) == ("2024-12-12", 2)


def test_location_near_a_town_and_from_an_earlier_sentence(
    nlp: Language, rules: EventRules
) -> None:
    text = (
        "Fighting was reported near Qarya, in Anbar province. Later, militants attacked an "
        "army checkpoint."
    )
    places = [
        place("Qarya", text.index("Qarya"), "Qarya", 33.0, 42.0, "Anbar", "Iraq"),
        place("Anbar", text.index("Anbar"), "Anbar", 33.4, 43.3, "Anbar", "Iraq"),
    ]
    events = events_of(nlp, rules, text, places)
    assert events[0].location == "Qarya"
    assert events[0].geo_precision == 2  # "near" a town
    assert events[-1].location == "Qarya"  # the nearest place before, same paragraph


def test_province_only_is_precision_3(nlp: Language, rules: EventRules) -> None:
    text = "Militants attacked a police patrol in Diyala province."
    places = [place("Diyala", text.index("Diyala"), "Diyala", 33.8, 45.0, "Diyala", "Iraq")]
    (event,) = events_of(nlp, rules, text, places)
    assert event.geo_precision == 3
    assert event.actor1 == "Unidentified Armed Group (Iraq)"
    assert event.actor2 == "Police Forces of Iraq"


def test_same_week_inherits_the_date_of_the_event_before(nlp: Language, rules: EventRules) -> None:
    text = (
        "Last week, jets carried out airstrikes on hideouts in the mountains.\n\n"
        "In the same week, police arrested two ISIS members.\n\n"
        "Gunmen killed a farmer on 3 December."
    )
    events = events_of(nlp, rules, text)
    assert [(e.event_date, e.time_precision) for e in events] == [
        ("2024-12-12", 2),
        ("2024-12-12", 2),
        ("2024-12-03", 1),
    ]


def test_undated_report_takes_the_publication_week(nlp: Language, rules: EventRules) -> None:
    (event,) = events_of(nlp, rules, "Gunmen killed a farmer in his field.")
    assert (event.event_date, event.time_precision) == (PUBLISHED, 2)


def test_acled_date_formats() -> None:
    assert acled_date("9-May-20") == "2020-05-09"
    assert acled_date("2020-05-09") == "2020-05-09"
    with pytest.raises(ValueError, match="May 9th"):
        acled_date("May 9th")


@pytest.mark.slow
def test_quality_gate_on_acled_notes(nlp: Language, rules: EventRules, shared: Path) -> None:
    """First 400 notes of the ACLED dev export; floors pinned a little below what was measured."""
    path = shared / "eval" / "acled_dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    assert len(read_rows(path, limit=5)) == 5
    score = evaluate_acled(path, nlp, rules, limit=400)
    assert score.rows == 400
    assert score.event_type >= FLOORS["event_type"]
    assert score.sub_event_type >= FLOORS["sub_event_type"]
    assert score.fatalities >= FLOORS["fatalities"]
    assert score.date >= FLOORS["date"]
    assert score.actor1 >= FLOORS["actor1"]
    assert score.place is None
    assert score.to_dict()["rows"] == 400


FLOORS = {
    "event_type": 0.83,
    "sub_event_type": 0.78,
    "fatalities": 0.89,
    "date": 0.96,
    "actor1": 0.31,  # without a place extractor most actors lack their country
}


@pytest.mark.slow
def test_places_and_actors_on_acled_notes(nlp: Language, rules: EventRules, shared: Path) -> None:
    """First 200 notes with the place extractor: the event's place within 25 km of ACLED's, and
    actor1 (whose name carries the event's country); floors a little below what was measured."""
    from newsledger.extract.places import extract_places
    from newsledger.geo import load_gazetteer

    path = shared / "eval" / "acled_dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    gazetteer = load_gazetteer()
    score = evaluate_acled(
        path, nlp, rules, places_fn=lambda doc: extract_places(doc, gazetteer), limit=200
    )
    assert score.place is not None and score.place >= PLACE_FLOORS["place"]
    assert score.actor1 >= PLACE_FLOORS["actor1"]
    # every place and actor1 miss is listed, with what was predicted
    misses = score.to_dict()["misses"]
    assert sum(m["field"] == "place" for m in misses) == round(200 * (1 - score.place))
    assert sum(m["field"] == "actor1" for m in misses) == round(200 * (1 - score.actor1))


PLACE_FLOORS = {"place": 0.56, "actor1": 0.71}  # measured 0.580 / 0.730 on these 200 notes


def test_the_attacker_named_with_the_attack(nlp: Language, rules: EventRules) -> None:
    # "an attack by X": X attacked, though the defenders are the clause's subject
    text = "Afghan forces repelled an attack by Taliban militants, killing five militants."
    (event,) = events_of(nlp, rules, text)
    assert (event.actor1, event.actor2) == ("Taliban", "Military Forces of Afghanistan")
    # the armed party that modifies an attack noun carried it out, whatever the verb
    (raid,) = events_of(nlp, rules, "Two Saudi-led coalition air raids were reported on a farm.")
    assert raid.actor1 == "Operation Restoring Hope"
    # "men suspected to be X" threw the grenade
    text = "Men suspected to be Al Shabaab militants threw a grenade at soldiers on a road."
    (grenade,) = events_of(nlp, rules, text)
    assert grenade.actor1 == "Al Shabaab"


def test_an_event_without_a_place_takes_the_town_of_the_sentence_before(
    nlp: Language, rules: EventRules
) -> None:
    # the sentence before names a village and the district and province that qualify it: the
    # village is where an event of that sentence would be, so a continuing report takes it
    text = (
        "Traders confronted the police in Wadi Sour (Kahla, Jabal Province) on Friday. "
        "The police responded with gunfire and killed a trader."
    )
    places = [
        place("Wadi Sour", text.index("Wadi Sour"), "Wadi Sour", 15.1, 44.1, "Jabal", "Yemen"),
        place("Kahla", text.index("Kahla"), "Kahla", 15.3, 44.4, "Jabal", "Yemen"),
        place("Jabal", text.index("Jabal"), "Jabal", 15.6, 44.9, "Jabal", "Yemen"),
    ]
    events = events_of(nlp, rules, text, places)
    assert events and events[-1].location == "Wadi Sour", events


def test_the_actors_of_the_sentence_before(nlp: Language, rules: EventRules) -> None:
    # the shooting names nobody: the police of the sentence before shot
    text = (
        "Police officers carried out an operation in a poor neighbourhood. A suspect was shot "
        "and died."
    )
    events = events_of(nlp, rules, text)
    assert events and events[0].actor1 == "Police Forces", events
    # a witness of the sentence before is no attacker
    text = "Police found a body by the river. The man had been shot in the head."
    (found,) = events_of(nlp, rules, text)
    assert found.actor1 == "Unidentified Armed Group", found


def test_heavy_machine_gun_fire_at_an_area_is_shelling(nlp: Language, rules: EventRules) -> None:
    text = "Government forces reportedly fired heavy and medium weapons at areas of a port."
    (event,) = events_of(nlp, rules, text)
    assert event.sub_event_type == "Shelling/artillery/missile attack"
