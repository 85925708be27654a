"""The events' place and actor names (event_names, migration 9): the table follows every store on
SQLite and PostgreSQL, migration 9 fills it for an existing ledger, and a `place` or `actor`
filter read through the names finds exactly the events whose fields contain the part (as the
substring filter does), in order, page after page, counted alike, whichever way it is answered.
Invented places, actors and sentences only."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from newsledger.records import Event, Extraction
from newsledger.store import Ledger, StoreResult, open_ledger, queries
from newsledger.store.queries import Filters
from tests.helpers import factories
from tests.helpers.pg import BACKENDS
from tests.store.test_migrate import old_ledger

# (event type, sub-event type) by event number; "Armed clash" also under "Riots", which ACLED
# does not do but a ledger may hold: a sub-type is read under every type that holds it
TYPES = (
    ("Battles", "Armed clash"),
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Riots", "Armed clash"),
)
PLACE_FIELDS = ("location", "admin1", "admin2", "country")
ACTOR_FIELDS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def event(rng: random.Random, n: int, offset: int) -> Event:
    town = rng.randint(1, 80)
    day = f"2031-{rng.randint(1, 12):02d}-{rng.randint(1, 9):02d}"
    notes = f"Fighters of Brigade {n % 7} clashed near Tall Qasr {town}."
    return factories.event(
        factories.evidence(notes, start=offset),
        event_date=None if n % 23 == 0 else day,
        time_precision=1,
        event_type=TYPES[n % 5][0],
        sub_event_type=TYPES[n % 5][1],
        actor1=f"Brigade {n % 7} of the Dawn",
        assoc_actor_1=None if n % 3 else "Tribal Guard_50%",
        actor2=None if n % 4 == 0 else rng.choice(("Desert Hawks", "Military Forces of Qadiria")),
        location=f"Tall Qasr {town}" if n % 11 else "Qasr al-Abyad",
        admin1=rng.choice(("Wadi Sarha Governorate", "Jabal Nur Governorate", None)),
        admin2="Qasr District" if n % 5 == 0 else None,
        country=rng.choice(("Qadiria", "Nurstan")),
        latitude=round(rng.uniform(33, 37), 4),
        longitude=round(rng.uniform(38, 45), 4),
        geo_precision=1,
        confidence=0.7,
    )


def extraction(article_no: int, events: list[Event]) -> Extraction:
    text = " ".join(e.notes for e in events)
    article = factories.article(
        f"names-{article_no}",
        text,
        source="Invented Wire",
        published=f"2031-02-{article_no % 27 + 1:02d}T10:00:00",
        title="Clashes reported",
    )
    return factories.extraction(article, events=tuple(events))


def extractions(count: int, seed: int = 3) -> Iterator[Extraction]:
    rng = random.Random(seed)
    made = 0
    for article_no in range(count):
        events: list[Event] = []
        offset = 0
        for _ in range(rng.randint(1, 5)):
            events.append(event(rng, made, offset))
            offset += len(events[-1].notes) + 1
            made += 1
        yield extraction(article_no, events)


def names_table(ledger: Ledger) -> Counter[tuple[str, str]]:
    rows = ledger.query("SELECT field, name, events FROM event_names")
    return Counter({(str(f), str(n)): int(c) for f, n, c in rows})


def expected_names(stored: list[Extraction]) -> Counter[tuple[str, str]]:
    return Counter(
        (field, getattr(e, field))
        for x in stored
        for e in x.events
        for field in (*PLACE_FIELDS, *ACTOR_FIELDS)
        if getattr(e, field) is not None
    )


def test_the_names_table_follows_every_store(ledger_url: str) -> None:
    stored = list(extractions(12))
    with open_ledger(ledger_url) as ledger:
        assert names_table(ledger) == Counter()
        for x in stored[:5]:
            assert ledger.store(x) is StoreResult.STORED
        assert names_table(ledger) == expected_names(stored[:5])
        for x in stored[5:]:
            ledger.store(x)
        assert ledger.store(stored[0]) is StoreResult.DUPLICATE  # counted once
        assert names_table(ledger) == expected_names(stored)
        assert names_table(ledger)[("location", "Qasr al-Abyad")] >= 1


def test_migration_9_fills_the_names_of_an_existing_ledger(backend: str, ledger_url: str) -> None:
    old_ledger(ledger_url, backend, 2)  # one event, written before the names table existed
    with open_ledger(ledger_url) as ledger:
        events = list(ledger.iter_rows("events"))
        assert len(events) == 1
        want = Counter(
            {(f, events[0][f]): 1 for f in (*PLACE_FIELDS, *ACTOR_FIELDS) if events[0][f]}
        )
        assert names_table(ledger) == want
        assert [e["id"] for e in queries.list_items(ledger, "events", Filters(place="tikr")).items]


@pytest.fixture(scope="module", params=BACKENDS)
def many(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Ledger, list[dict[str, Any]]]]:
    """One ledger of 150 articles on each backend, for the filter tests of this module."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_schema()
    else:
        url = str(tmp_path_factory.mktemp("names") / "ledger.db")
    with open_ledger(url) as ledger:
        for x in extractions(150):
            ledger.store(x)
        rows = list(ledger.iter_rows("events"))
        yield ledger, rows


def matching(rows: list[dict[str, Any]], flt: Filters) -> list[tuple[str, int]]:
    """The events the substring semantics select (ASCII case-insensitive), newest first."""

    def holds(row: dict[str, Any], part: str | None, names: tuple[str, ...]) -> bool:
        return part is None or any(
            part.lower() in (row[f] or "").lower() for f in names if row[f] is not None
        )

    def inside(row: dict[str, Any]) -> bool:
        if flt.bbox is None:
            return True
        west, south, east, north = flt.bbox
        return south <= row["latitude"] <= north and west <= row["longitude"] <= east

    chosen = [
        r
        for r in rows
        if holds(r, flt.place, PLACE_FIELDS)
        and holds(r, flt.actor, ACTOR_FIELDS)
        and inside(r)
        and flt.event_type in (None, r["event_type"], r["sub_event_type"])
        and (flt.date_from is None or (r["event_date"] or "") >= flt.date_from)
        and (flt.date_to is None or (r["event_date"] or "9") <= flt.date_to)
    ]
    # newest first, undated last; ties by insertion order, newest first (the row id)
    order = {(r["article_id"], r["ordinal"]): i for i, r in enumerate(rows)}
    dated = sorted(
        (r for r in chosen if r["event_date"]),
        key=lambda r: (r["event_date"], order[(r["article_id"], r["ordinal"])]),
        reverse=True,
    )
    undated = sorted(
        (r for r in chosen if not r["event_date"]),
        key=lambda r: order[(r["article_id"], r["ordinal"])],
        reverse=True,
    )
    return [(r["article_id"], r["ordinal"]) for r in (*dated, *undated)]


def listed(ledger: Ledger, flt: Filters, limit: int = 17) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    cursor = None
    while True:
        page = queries.list_items(ledger, "events", flt, limit=limit, cursor=cursor)
        found += [queries.split_record_id(item["id"]) for item in page.items]
        if page.next is None:
            return found
        cursor = page.next


FILTERS = [
    Filters(place="Tall Qasr 1"),  # Tall Qasr 1, 10 to 19: several names
    Filters(place="qasr"),  # every event: many names in three fields, any case
    Filters(place="Tall Qasr 7"),
    Filters(place="Qasr al-Abyad"),  # one name, in one field
    Filters(place="governorate"),
    Filters(place="Nowhere Springs"),  # a name in no event
    Filters(place="Qasr", actor="Desert Hawks"),
    Filters(actor="brigade 3"),
    Filters(actor="_50%"),  # LIKE's wildcards are literal
    Filters(actor="Military Forces of Qadiria", bbox=(39.0, 34.0, 42.0, 36.0)),
    Filters(place="Tall Qasr 2", bbox=(38.0, 33.0, 41.0, 35.0)),
    Filters(actor="Nobody Known", bbox=(38.0, 33.0, 45.0, 37.0)),
    Filters(event_type="Government regains territory"),
    Filters(event_type="Armed clash", place="Tall Qasr 1"),  # under two types
    Filters(event_type="Air/drone strike", actor="brigade 3", bbox=(39.0, 34.0, 42.0, 36.0)),
    Filters(event_type="Battles", place="Qasr al-Abyad"),  # a type, not a sub-type
    Filters(event_type="Armed clash", date_from="2031-04-01", date_to="2031-07-09"),
    Filters(event_type="Sexual violence", place="Tall Qasr"),  # a sub-type of no event
]


@pytest.mark.parametrize("way", ["names", "substring"])
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f.given()))
def test_names_find_exactly_the_events_the_substring_does(
    many: tuple[Ledger, list[dict[str, Any]]],
    flt: Filters,
    way: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ledger, rows = many
    if way == "names":  # always through the names and sub-types, however many events hold them
        monkeypatch.setattr(queries, "SPARSE_EVENTS", 10**9)
        monkeypatch.setattr(queries, "SPARSE_SUB_TYPE", 10**9)
        monkeypatch.setattr(queries, "SPARSE_SUB_TYPE_NARROWED", 10**9)
        monkeypatch.setattr(queries, "MAX_NAMES", 10**9)
    else:  # never (but for a part in no name, which needs no reading)
        monkeypatch.setattr(queries, "SPARSE_EVENTS", -1)
        monkeypatch.setattr(queries, "SPARSE_SUB_TYPE", -1)
        monkeypatch.setattr(queries, "SPARSE_SUB_TYPE_NARROWED", -1)
        monkeypatch.setattr(queries, "MAX_NAMES", 0)
    want = matching(rows, flt)
    assert listed(ledger, flt) == want
    assert queries.count(ledger, "events", flt) == len(want)
    nowhere = flt.place == "Nowhere Springs" or flt.actor == "Nobody Known"
    nowhere |= flt.event_type == "Sexual violence"
    assert (want == []) == nowhere, "each case finds events, but the names in no event"


def test_many_names_and_the_oldest_first_order(
    many: tuple[Ledger, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, rows = many
    monkeypatch.setattr(queries, "SPARSE_EVENTS", 10**9)
    flt = Filters(place="Tall Qasr")
    names = {r["location"] for r in rows if "Tall Qasr" in r["location"]}
    assert len(names) >= 60
    newest = queries.list_items(ledger, "events", flt, limit=1000).items
    oldest = queries.list_items(ledger, "events", flt, limit=1000, order="asc").items
    assert len(newest) == len(matching(rows, flt)) > 100
    dated = [i["id"] for i in newest if i["event_date"]]
    assert [i["id"] for i in oldest if i["event_date"]] == dated[::-1]


def test_a_sub_type_is_read_under_each_type_that_holds_it(
    many: tuple[Ledger, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, rows = many
    clashes = [r for r in rows if r["sub_event_type"] == "Armed clash"]
    monkeypatch.setattr(queries, "SPARSE_SUB_TYPE", len(clashes) - 1)
    monkeypatch.setattr(queries, "SPARSE_SUB_TYPE_NARROWED", len(clashes))
    read = queries._sub_type_events  # (ledger, value, dates, narrowed)
    assert read(ledger, "Armed clash", {}, narrowed=False) is None  # too many
    found = read(ledger, "Armed clash", {}, narrowed=True)
    assert found is not None
    arms, held = found
    assert held == len(clashes) and sorted(values for _, values in arms) == [
        ["Battles", "Armed clash"],
        ["Riots", "Armed clash"],
    ]
    # counted in the list's dates: few enough there even when not narrowed
    dates = {"date_from": "2031-05-01", "date_to": "2031-08-09"}
    within = [
        r for r in clashes if r["event_date"] and "2031-05-01" <= r["event_date"] <= "2031-08-09"
    ]
    assert 0 < len(within) < len(clashes) - 1
    assert read(ledger, "Armed clash", dates, narrowed=False) == (arms, len(within))
    assert read(ledger, "Battles", {}, narrowed=True) is None  # a type
    assert read(ledger, "Sexual violence", {}, narrowed=False) == ([], 0)
