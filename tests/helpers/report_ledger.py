"""A hand-made ledger for the briefing tests: two weeks of made-up reports on Iraq and Syria.

The briefing period is 2025-02-08 to 2025-02-14, the period before 2025-02-01 to 2025-02-07.
Iraq: 4 events and 31 fatalities (26 in Diyala) against 1 event and 12 fatalities before.
Syria adds 1 event (2 killed) in the period and 1 (3 killed) before. Speakers: Ali Hamid 3
statements, Sara Khan 2 (a quote and a claim), both in Iraq's reports; Omar Said 1, in a report
on Syria only. Deadlines stated in the period's reports: 2025-03-15 and 2025-05 (due within 90
days of the end), 2025-02-01 (fell due in the last 30 days), 2025-09-30 (later), 2024-12-20
(long past). One stance change of Ali Hamid between the earlier and a later report.
"""

from __future__ import annotations

from pathlib import Path

from newsledger.records import (
    Article,
    Change,
    Claim,
    Deadline,
    Event,
    Evidence,
    Extraction,
    Quote,
    RecordRef,
)
from newsledger.store import open_ledger

START, END = "2025-02-08", "2025-02-14"
PLACES = {
    "Diyala": ("Baqubah", "Iraq", 33.75, 44.64),
    "Kirkuk": ("Kirkuk", "Iraq", 35.47, 44.39),
    "Baghdad": ("Baghdad", "Iraq", 33.34, 44.40),
    "Idlib": ("Idlib", "Syria", 35.93, 36.63),
}


def _ev(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(start, start + len(sentence), sentence)


def _event(
    text: str, sentence: str, day: str, type_: str, sub: str, admin1: str, dead: int, **kw: str
) -> Event:
    town, country, lat, lon = PLACES[admin1]
    return Event(
        event_date=day,
        time_precision=1,
        event_type=type_,
        sub_event_type=sub,
        actor1=kw.get("actor1", "Military Forces of Iraq"),
        assoc_actor_1=None,
        actor2=kw.get("actor2", "Islamic State (Iraq)"),
        assoc_actor_2=None,
        location=town,
        admin1=admin1,
        admin2=None,
        country=country,
        latitude=lat,
        longitude=lon,
        geo_precision=int(kw.get("precision", "1")),
        fatalities=dead,
        notes=sentence,
        evidence=_ev(text, sentence),
        confidence=0.8,
    )


A1 = (
    "Iraqi forces fought Islamic State fighters near Baqubah on Monday, leaving 19 dead. "
    "A roadside bomb killed five soldiers in Kirkuk on Tuesday. "
    '"The operation will go on until the villages are safe," Governor Ali Hamid said. '
    '"We have pushed them back to the hills," Hamid concluded. '
    '"Families can return within weeks," said Sara Khan, the deputy minister.'
)
A2 = (
    "Hundreds protested in Baghdad on Wednesday against power cuts. "
    "Gunmen killed seven villagers near Baqubah on Thursday. "
    '"Nobody will be left behind," Ali Hamid told reporters. '
    "Sara Khan said 3,000 families had returned. "
    "The handover of the camp is due by March 15, 2025. "
    "Elections are scheduled for May 2025. "
    "The survey was to be finished by February 1, 2025. "
    "The pipeline should open by September 30, 2025. "
    "The census was due by December 20, 2024."
)
A3 = (
    "Iraqi troops clashed with Islamic State near Baqubah, killing 12. "
    "Shelling hit Idlib, killing three. "
    '"We will not fight in the hills," Ali Hamid said.'
)
A4 = (
    "Syrian forces and rebels clashed near Idlib on Thursday, killing two. "
    '"The front is quiet," Omar Said said.'
)


def extractions() -> list[Extraction]:
    a1 = Article(
        "a1",
        "Agency A",
        "2025-02-11T08:00:00",
        "https://example.org/a1",
        "Clashes near Baqubah",
        A1,
        A1,
    )
    a2 = Article("a2", "Agency B", "2025-02-13T09:30:00", None, None, A2, A2)
    a3 = Article("a3", "Agency A", "2025-02-04T10:00:00", None, "Fighting in Diyala", A3, A3)
    a4 = Article("a4", "Agency C", "2025-02-13T12:00:00", None, "Idlib front", A4, A4)
    s = A1.split(". ")
    return [
        Extraction(
            a1,
            events=(
                _event(A1, s[0] + ".", "2025-02-10", "Battles", "Armed clash", "Diyala", 19),
                _event(
                    A1,
                    s[1] + ".",
                    "2025-02-11",
                    "Explosions/Remote violence",
                    "Remote explosive/landmine/IED",
                    "Kirkuk",
                    5,
                    precision="2",
                ),
            ),
            quotes=(
                Quote(
                    "Ali Hamid",
                    "governor",
                    "The operation will go on until the villages are safe",
                    "direct",
                    "say",
                    _ev(
                        A1,
                        '"The operation will go on until the villages are safe," '
                        "Governor Ali Hamid said.",
                    ),
                ),
                Quote(
                    "Ali Hamid",
                    "governor",
                    "We have pushed them back to the hills",
                    "direct",
                    "conclude",
                    _ev(A1, '"We have pushed them back to the hills," Hamid concluded.'),
                ),
                Quote(
                    "Sara Khan",
                    "deputy minister",
                    "Families can return within weeks",
                    "direct",
                    "say",
                    _ev(
                        A1,
                        '"Families can return within weeks," said Sara Khan, the deputy minister.',
                    ),
                ),
            ),
        ),
        Extraction(
            a2,
            events=(
                _event(
                    A2,
                    "Hundreds protested in Baghdad on Wednesday against power cuts.",
                    "2025-02-12",
                    "Protests",
                    "Peaceful protest",
                    "Baghdad",
                    0,
                    actor1="Protesters (Iraq)",
                    actor2="",
                ),
                _event(
                    A2,
                    "Gunmen killed seven villagers near Baqubah on Thursday.",
                    "2025-02-13",
                    "Violence against civilians",
                    "Attack",
                    "Diyala",
                    7,
                    precision="3",
                    actor1="Unidentified Armed Group (Iraq)",
                    actor2="Civilians (Iraq)",
                ),
            ),
            quotes=(
                Quote(
                    "Ali Hamid",
                    None,
                    "Nobody will be left behind",
                    "direct",
                    "tell",
                    _ev(A2, '"Nobody will be left behind," Ali Hamid told reporters.'),
                ),
            ),
            claims=(
                Claim(
                    3000,
                    "families",
                    "returned",
                    "Sara Khan",
                    _ev(A2, "Sara Khan said 3,000 families had returned."),
                ),
            ),
            deadlines=(
                Deadline(
                    "handover of the camp",
                    "2025-03-15",
                    "day",
                    "by",
                    None,
                    _ev(A2, "The handover of the camp is due by March 15, 2025."),
                ),
                Deadline(
                    "elections",
                    "2025-05",
                    "month",
                    "scheduled for",
                    None,
                    _ev(A2, "Elections are scheduled for May 2025."),
                ),
                Deadline(
                    "survey",
                    "2025-02-01",
                    "day",
                    "by",
                    None,
                    _ev(A2, "The survey was to be finished by February 1, 2025."),
                ),
                Deadline(
                    "pipeline",
                    "2025-09-30",
                    "day",
                    "by",
                    None,
                    _ev(A2, "The pipeline should open by September 30, 2025."),
                ),
                Deadline(
                    "census",
                    "2024-12-20",
                    "day",
                    "by",
                    None,
                    _ev(A2, "The census was due by December 20, 2024."),
                ),
            ),
        ),
        Extraction(
            a3,
            events=(
                _event(
                    A3,
                    "Iraqi troops clashed with Islamic State near Baqubah, killing 12.",
                    "2025-02-03",
                    "Battles",
                    "Armed clash",
                    "Diyala",
                    12,
                ),
                _event(
                    A3,
                    "Shelling hit Idlib, killing three.",
                    "2025-02-04",
                    "Explosions/Remote violence",
                    "Shelling/artillery/missile attack",
                    "Idlib",
                    3,
                    actor1="Military Forces of Syria",
                    actor2="",
                ),
            ),
            quotes=(
                Quote(
                    "Ali Hamid",
                    None,
                    "We will not fight in the hills",
                    "direct",
                    "say",
                    _ev(A3, '"We will not fight in the hills," Ali Hamid said.'),
                ),
            ),
        ),
        Extraction(
            a4,
            events=(
                _event(
                    A4,
                    "Syrian forces and rebels clashed near Idlib on Thursday, killing two.",
                    "2025-02-13",
                    "Battles",
                    "Armed clash",
                    "Idlib",
                    2,
                    actor1="Military Forces of Syria",
                    actor2="Opposition Rebels (Syria)",
                ),
            ),
            quotes=(
                Quote(
                    "Omar Said",
                    None,
                    "The front is quiet",
                    "direct",
                    "say",
                    _ev(A4, '"The front is quiet," Omar Said said.'),
                ),
            ),
        ),
    ]


def stance_change() -> Change:
    earlier = {
        "text": "We will not fight in the hills",
        "evidence": {"text": '"We will not fight in the hills," Ali Hamid said.'},
    }
    later = {
        "text": "We have pushed them back to the hills",
        "evidence": {"text": '"We have pushed them back to the hills," Hamid concluded.'},
    }
    return Change(
        "stance changed",
        "Ali Hamid",
        "fighting in the hills",
        RecordRef("a3", "quote", earlier),
        RecordRef("a1", "quote", later),
        "said he would not fight in the hills, then that his forces pushed into them",
    )


def build(path: Path) -> Path:
    """The ledger at `path` (a new SQLite file)."""
    with open_ledger(path) as ledger:
        for extraction in extractions():
            ledger.store(extraction)
        ledger.store_changes([stance_change()])
    return path
