"""A small hand-made ledger for the web app and API tests: made-up events at real places.

Three articles; every record's evidence span is located in its article's text here, so the tests
can check that the API's spans point at the right sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsledger.records import Article, Change, Event, Extraction, RecordRef
from newsledger.store import open_ledger
from tests.helpers.factories import article as make_article
from tests.helpers.factories import claim, deadline, evidence, mention, person, place, quote
from tests.helpers.factories import event as make_event

A_TEXT = (
    "Islamic State militants attacked an army checkpoint near Kirkuk on Tuesday, killing four "
    "soldiers.\n\n"
    '"The coalition will leave Iraq by September 2025," said Khalid Nouri al-Hashimi, the Iraqi '
    "prime minister.\n\n"
    "A roadside bomb exploded in Mosul on Wednesday, wounding two civilians."
)
B_TEXT = (
    "Kurdish-led forces clashed with Islamic State fighters in Deir ez-Zor, leaving 12 dead.\n\n"
    "Hundreds protested in Raqqa against fuel prices on Thursday.\n\n"
    "Serhat Kobani said the coalition withdrawal from Iraq should be completed by September 2026."
    "\n\nKhalid Nouri al-Hashimi warned that the camps remain a threat."
)
C_TEXT = (
    "Officials announced a new security agreement on Saturday.\n\n"
    "The handover of al-Hol camp is scheduled for January 2030, the Ministry of Migration said."
)


span = evidence  # span(text, sentence): the sentence where it is in the text


def event(
    text: str,
    sentence: str,
    *,
    date: str | None,
    type_: str,
    sub: str,
    actor1: str | None,
    actor2: str | None = None,
    location: str | None,
    admin1: str | None,
    country: str | None,
    lat: float | None,
    lon: float | None,
    fatalities: int = 0,
) -> Event:
    return make_event(
        span(text, sentence),
        event_date=date,
        time_precision=1 if date else None,
        event_type=type_,
        sub_event_type=sub,
        actor1=actor1,
        actor2=actor2,
        location=location,
        admin1=admin1,
        country=country,
        latitude=lat,
        longitude=lon,
        geo_precision=1 if lat is not None else None,
        fatalities=fatalities,
    )


def article(id_: str, source: str, published: str, title: str, text: str) -> Article:
    return make_article(id_, text, source=source, published=published, title=title)


KIRKUK = (35.4681, 44.3922)
MOSUL = (36.335, 43.1189)
DEIR_EZ_ZOR = (35.3359, 40.1408)
RAQQA = (35.9528, 39.0079)

HASHIMI = "Khalid Nouri al-Hashimi"
KOBANI = "Serhat Kobani"
WITHDRAWAL = "coalition withdrawal from Iraq"


def extractions() -> list[Extraction]:
    a_quote = '"The coalition will leave Iraq by September 2025," said Khalid Nouri al-Hashimi'
    a = Extraction(
        article=article(
            "a1",
            "Levant Monitor",
            "2024-12-19T13:05:28",
            "Attack near Kirkuk <b>bold</b>",
            A_TEXT,
        ),
        events=(
            event(
                A_TEXT,
                "Islamic State militants attacked an army checkpoint near Kirkuk on Tuesday, "
                "killing four soldiers.",
                date="2024-12-17",
                type_="Battles",
                sub="Armed clash",
                actor1="Islamic State (Iraq)",
                actor2="Military Forces of Iraq (2022-)",
                location="Kirkuk",
                admin1="Kirkuk",
                country="Iraq",
                lat=KIRKUK[0],
                lon=KIRKUK[1],
                fatalities=4,
            ),
            event(
                A_TEXT,
                "A roadside bomb exploded in Mosul on Wednesday, wounding two civilians.",
                date="2024-12-18",
                type_="Explosions/Remote violence",
                sub="Remote explosive/landmine/IED",
                actor1="Unidentified Armed Group (Iraq)",
                location="Mosul",
                admin1="Nineveh",
                country="Iraq",
                lat=MOSUL[0],
                lon=MOSUL[1],
            ),
        ),
        quotes=(
            quote(
                "The coalition will leave Iraq by September 2025",
                span(A_TEXT, a_quote),
                speaker=HASHIMI,
                speaker_kind="person",
                title="Prime Minister of Iraq",
            ),
        ),
        deadlines=(
            deadline(
                WITHDRAWAL,
                "2025-09",
                span(A_TEXT, a_quote),
                stated_by=HASHIMI,
            ),
        ),
        entities=(
            person(
                HASHIMI,
                mention(A_TEXT, HASHIMI),
                title="Prime Minister of Iraq",
            ),
            place(
                "Kirkuk",
                mention(A_TEXT, "Kirkuk"),
                latitude=KIRKUK[0],
                longitude=KIRKUK[1],
                admin1="Kirkuk",
                country="Iraq",
            ),
            place(
                "Mosul",
                mention(A_TEXT, "Mosul"),
                latitude=MOSUL[0],
                longitude=MOSUL[1],
                admin1="Nineveh",
                country="Iraq",
            ),
        ),
    )
    b_clash = (
        "Kurdish-led forces clashed with Islamic State fighters in Deir ez-Zor, leaving 12 dead."
    )
    b_kobani = (
        "Serhat Kobani said the coalition withdrawal from Iraq should be completed by September "
        "2026."
    )
    b_hashimi = "Khalid Nouri al-Hashimi warned that the camps remain a threat."
    b = Extraction(
        article=article("b2", "Syria Desk", "2025-01-10T09:00:00", "Clashes in the east", B_TEXT),
        events=(
            event(
                B_TEXT,
                b_clash,
                date="2025-01-08",
                type_="Battles",
                sub="Armed clash",
                actor1="SDF: Syrian Democratic Forces",
                actor2="Islamic State (Syria)",
                location="Deir ez-Zor",
                admin1="Deir ez-Zor",
                country="Syria",
                lat=DEIR_EZ_ZOR[0],
                lon=DEIR_EZ_ZOR[1],
                fatalities=12,
            ),
            event(
                B_TEXT,
                "Hundreds protested in Raqqa against fuel prices on Thursday.",
                date="2025-01-09",
                type_="Protests",
                sub="Peaceful protest",
                actor1="Protesters (Syria)",
                location="Raqqa",
                admin1="Ar-Raqqa",
                country="Syria",
                lat=RAQQA[0],
                lon=RAQQA[1],
            ),
        ),
        quotes=(
            quote(
                "the coalition withdrawal from Iraq should be completed by September 2026",
                span(B_TEXT, b_kobani),
                speaker=KOBANI,
                title="SDF commander",
                kind="indirect",
            ),
            quote(
                "the camps remain a threat",
                span(B_TEXT, b_hashimi),
                speaker=HASHIMI,
                title="Prime Minister of Iraq",
                kind="indirect",
                cue="warned",
            ),
        ),
        claims=(
            claim(
                12.0,
                "people killed",
                span(B_TEXT, b_clash),
                subject="clash in Deir ez-Zor",
            ),
        ),
        deadlines=(
            deadline(
                "Coalition withdrawal from  Iraq",
                "2026-09",
                span(B_TEXT, b_kobani),
                stated_by=KOBANI,
            ),
        ),
        entities=(
            person(
                KOBANI,
                mention(B_TEXT, KOBANI),
                title="SDF commander",
            ),
            place(
                "Deir ez-Zor",
                mention(B_TEXT, "Deir ez-Zor"),
                latitude=DEIR_EZ_ZOR[0],
                longitude=DEIR_EZ_ZOR[1],
                country="Syria",
            ),
            place(
                "Raqqa",
                mention(B_TEXT, "Raqqa"),
                latitude=RAQQA[0],
                longitude=RAQQA[1],
                country="Syria",
            ),
        ),
    )
    c_handover = (
        "The handover of al-Hol camp is scheduled for January 2030, the Ministry of Migration said."
    )
    c = Extraction(
        article=article(
            "c3", "Levant Monitor", "2025-02-01T08:00:00", "Security agreement", C_TEXT
        ),
        events=(
            event(
                C_TEXT,
                "Officials announced a new security agreement on Saturday.",
                date=None,
                type_="Strategic developments",
                sub="Agreement",
                actor1="Government of Iraq (2022-)",
                location=None,
                admin1=None,
                country="Iraq",
                lat=None,
                lon=None,
            ),
        ),
        deadlines=(
            deadline(
                "handover of al-Hol camp",
                "2030-01",
                span(C_TEXT, c_handover),
                relation="scheduled for",
                stated_by="Ministry of Migration",
            ),
        ),
    )
    return [a, b, c]


def withdrawal_change() -> Change:
    return Change(
        kind="deadline differs",
        speaker=None,
        topic=WITHDRAWAL,
        earlier=RecordRef("a1", "deadline", {"deadline": "2025-09"}),
        later=RecordRef("b2", "deadline", {"deadline": "2026-09"}),
        why="September 2025 in the earlier report, September 2026 in the later one",
    )


@dataclass(frozen=True)
class Built:
    path: Path
    extractions: list[Extraction]


def build_ledger(path: Path, with_change: bool = False) -> Built:
    data = extractions()
    with open_ledger(path) as ledger:
        for extraction in data:
            ledger.store(extraction)
        if with_change:
            ledger.store_changes([withdrawal_change()])
    return Built(path, data)
