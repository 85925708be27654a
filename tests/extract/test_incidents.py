"""Events in whole reports: incident detection, coreference of incidents, place by role,
background dates (extract/events/incidents.py, coreference.py, locating.py, dates.py).

The report below is written for these tests (no shared article is copied): its news told in the
lead and again later, background from earlier years, talk about a kind of act, a plan, a
person's origin and an outlet's city.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.coreference import merge_mentions
from newsledger.extract.events.dates import bare_year, has_own_date, resolve_event_date
from newsledger.extract.events.fatalities import count_fatalities
from newsledger.extract.events.incidents import Anchors, EventMention, is_talk, reports_incident
from newsledger.extract.events.locating import event_places
from newsledger.extract.events.rules import EventRules, load_event_rules
from newsledger.records import Entity, Event, Evidence, Mention

PUBLISHED = "2021-03-12"

REPORT = (
    "Militants ambushed an army convoy near Tall Tamr on Tuesday, killing four soldiers. "
    "The attack was the deadliest in the province this year. "
    "A 22-year-old from Leeds was among the dead, his family said. "
    "Officials in Ankara said the use of chemical weapons is unacceptable. "
    "The army warned it could launch airstrikes if the militants attack again. "
    "Airstrikes have killed thousands of people since 2015, according to monitors. "
    "In 2014, militants seized the town before they were driven out. "
    "Residents said the ambush near Tall Tamr on Tuesday lasted two hours. "
    "The Washington Post reported the convoy was carrying supplies. "
    "The road between the two towns has been closed to traffic for most of the winter, and "
    "farmers in the area say they can no longer reach the markets where they sell their grain. "
    "Aid groups have asked for a corridor to be opened before the harvest begins in the spring. "
    "Local councils meet every week to discuss the repairs that the bridges and schools need. "
    "Teachers in the district say that half of the pupils who left during the fighting have "
    "come back, and that classes are held in tents until the school buildings are rebuilt. "
    "A new clinic opened in the market square last month with two doctors and four nurses."
)


@pytest.fixture(scope="module")
def rules() -> EventRules:
    return load_event_rules()


def place(name: str, text: str, lat: float, lon: float, country: str) -> Entity:
    mentions = []
    start = text.find(name)
    while start >= 0:
        mentions.append(Mention(start, start + len(name), name))
        start = text.find(name, start + 1)
    return Entity("place", name, tuple(mentions), None, lat, lon, "Al-Hasakah", country, None)


def report_places() -> list[Entity]:
    return [
        place("Tall Tamr", REPORT, 36.65, 40.37, "SY"),
        place("Leeds", REPORT, 53.8, -1.55, "GB"),
        place("Ankara", REPORT, 39.92, 32.85, "TR"),
        place("Washington", REPORT, 38.9, -77.04, "US"),
    ]


def test_one_incident_told_twice_is_one_event(nlp: Language, rules: EventRules) -> None:
    events = extract_events(nlp(REPORT), PUBLISHED, report_places(), rules)
    assert len(events) == 1, [e.evidence.text for e in events]
    event = events[0]
    assert (event.event_type, event.location, event.country) == ("Battles", "Tall Tamr", "Syria")
    assert (event.event_date, event.time_precision, event.fatalities) == ("2021-03-09", 1, 4)
    assert event.evidence.text.startswith("Militants ambushed")
    # the later sentence that tells it again is listed with the evidence
    assert any("lasted two hours" in e.text for e in event.more_evidence)


def test_talk_plans_and_totals_are_no_incidents(rules: EventRules) -> None:
    frames = rules.frames
    assert is_talk("Officials said the use of chemical weapons is unacceptable.", frames)
    assert is_talk("The army warned it could launch airstrikes if militants attack again.", frames)
    assert is_talk("Airstrikes have killed thousands of people since 2015.", frames)
    assert not is_talk(
        "Militants ambushed an army convoy on Tuesday, killing four soldiers.", frames
    )


def test_origin_outlet_and_speaker_are_no_event_places(rules: EventRules) -> None:
    kept = {p.name for p in event_places(REPORT, report_places(), rules.frames)}
    assert kept == {"Tall Tamr"}  # from Leeds, officials in Ankara said, the Washington Post


def test_background_dates() -> None:
    assert resolve_event_date("a month ago", "2018-09-23") == ("2018-08-23", 3)
    assert resolve_event_date("since last April's attack", "2018-02-10") == ("2017-04-15", 3)
    assert resolve_event_date("earlier this year", "2018-04-12") == ("2018-02-15", 3)
    # when it was reported is not when it happened, unless nothing else dates it
    text = "The paper reported on Wednesday that he was killed in June."
    assert resolve_event_date(text, "2017-10-12") == ("2017-06-15", 3)
    assert resolve_event_date("The army said on Wednesday it took the town.", "2017-10-12") == (
        "2017-10-11",
        1,
    )
    assert bare_year("In 2014, militants seized the town.", PUBLISHED) == ("2014-07-01", 3)
    assert not has_own_date("Meanwhile, police arrested two men.")


def _mention(
    sub: str, date: str, precision: int, location: str, lat: float, dated: bool, at: int
) -> EventMention:
    evidence = Evidence(at, at + 10, f"sentence {at}")
    event = Event(
        event_date=date,
        time_precision=precision,
        event_type="Explosions/Remote violence",
        sub_event_type=sub,
        actor1=None,
        assoc_actor_1=None,
        actor2=None,
        assoc_actor_2=None,
        location=location,
        admin1=None,
        admin2=None,
        country="Syria",
        latitude=lat,
        longitude=36.0,
        geo_precision=1,
        fatalities=0,
        notes="",
        evidence=evidence,
        confidence=0.5,
    )
    anchors = Anchors(dated=dated, deaths=False, placed=True, lead=False)
    return EventMention(event, anchors, talk=False, evidence=(evidence,), own_place=True)


def test_coreference_keeps_apart_what_differs() -> None:
    lead = _mention("Air/drone strike", "2021-03-09", 1, "A", 35.0, True, 0)
    again = _mention("Air/drone strike", "2021-03-12", 2, "A", 35.0, False, 100)
    other_day = _mention("Air/drone strike", "2020-06-15", 3, "A", 35.0, True, 200)
    other_place = _mention("Air/drone strike", "2021-03-09", 1, "B", 36.0, True, 300)
    other_kind = _mention("Chemical weapon", "2021-03-09", 1, "A", 35.0, True, 400)
    events = merge_mentions([lead, again, other_day, other_place, other_kind])
    assert [e.evidence.start for e in events] == [0, 200, 300, 400]
    assert [e.start for e in events[0].more_evidence] == [100]
    assert reports_incident(lead)


def test_fatalities_of_two_groups_add_up(rules: EventRules) -> None:
    words = rules.counts
    assert count_fatalities("Jets killed about 40 fighters and 12 foreign recruits.", words) == 52
    assert count_fatalities("Gunmen killed 3 soldiers and 2 civilians were wounded.", words) == 3
    assert count_fatalities("She was killed in the town three weeks ago.", words) == 1
