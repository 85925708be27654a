"""The people and places lists' stored tallies (migration 17, store/tallies.py) on SQLite and
PostgreSQL: after every store, re-extraction and reviewer-added quote, each list read from its
tally (no filter) and through its names table (`q`) is exactly the aggregate over every entity
(and quote), page after page; migration 17 fills the tables for an existing ledger. Invented
names, titles, places and sentences only."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from newsledger.records import Extraction
from newsledger.store import Ledger, StoreResult, open_ledger, queries, reviews
from newsledger.store.queries import Filters
from newsledger.store.reextract import replace_extraction
from newsledger.store.sql import people as people_sql
from newsledger.store.sql import places as places_sql
from newsledger.store.sql import reads
from tests.helpers import factories
from tests.helpers.old_ledgers import old_ledger

NAMES = ("Rana Qasimi", "Tarek Bazzi", "Lina Haddoum", "Omar Sfeir", "Dalia Nour", "Yusuf Karam")
SILENT = ("Hadi Mourad", "Nawal Atiyeh")  # named, never quoted
TITLES = (None, "the governor", "a spokeswoman", "Minister of Water", "the brigade commander")
QUERIES = ("a", "qasimi", "GOVERNOR", "minister", "Nour", "brigade", "%", "_", "nobody at all")
PLACES = (  # name, admin1, country, latitude, longitude, geonameid: a name held several ways
    ("Tall Qasr", "Wadi Sarha", "Qadiria", 35.1, 41.2, 9000001),
    ("Tall Qasr", None, "Qadiria", None, None, None),
    ("Tall Qasr", "Jabal Nur", "Nurstan", 36.4, 42.0, 9000002),
    ("Qasr al-Abyad", "Jabal Nur", "Nurstan", 36.0, 43.5, 9000003),
    ("Wadi Sarha", None, None, None, None, None),
    ("Bir Hamra", "Wadi Sarha", "Qadiria", 34.9, 40.8, None),
)
PLACE_QUERIES = ("qasr", "NURSTAN", "wadi", "abyad", "Qadiria", "%", "nowhere")


def extraction(rng: random.Random, number: int, published: str | None) -> Extraction:
    """An article naming a few of NAMES as person entities and as speakers of quotes."""
    people = rng.sample(NAMES + SILENT, rng.randint(0, 3))
    speakers = [rng.choice(NAMES) for _ in range(rng.randint(0, 4))]
    places = rng.sample(PLACES, rng.randint(0, 3))
    sentences = [f"{name} was seen near the river {number}." for name in people]
    sentences += [f'"We hold the line {i}," said {name}.' for i, name in enumerate(speakers)]
    sentences += [f"Shelling hit {place[0]} at dawn." for place in places]
    text = " ".join(sentences) or f"Nothing about anyone in report {number}."
    article = factories.article(f"tally-{number}", text, published=published, title="Report")
    entities = tuple(
        factories.person(name, factories.mention(text, name), title=rng.choice(TITLES))
        for name in people
    ) + tuple(
        factories.place(
            name,
            factories.mention(text, name),
            admin1=admin1,
            country=country,
            latitude=latitude,
            longitude=longitude,
            geonameid=geonameid,
        )
        for name, admin1, country, latitude, longitude, geonameid in places
    )
    quotes = tuple(
        factories.quote(
            f"We hold the line {i}",
            factories.evidence(text, f'"We hold the line {i}," said {name}.'),
            speaker=name if rng.random() > 0.15 else None,
            title=rng.choice(TITLES),
        )
        for i, name in enumerate(speakers)
    )
    return factories.extraction(article, entities=entities, quotes=quotes)


def extractions(count: int, seed: int = 5) -> Iterator[Extraction]:
    rng = random.Random(seed)
    for number in range(count):
        day = rng.randint(1, 28)
        published = None if number % 9 == 4 else f"2031-0{rng.randint(1, 9)}-{day:02d}T08:00:00"
        yield extraction(rng, number, published)


def aggregate(ledger: Ledger, kind: str, flt: Filters) -> list[dict[str, Any]]:
    """A list (people, places) as the aggregate over every entity (and quote) computes it."""
    spec = reads.READ_LISTS[kind]
    conditions, params = [], []
    if kind == "places":
        conditions, params = [spec.filters["kind"].sql], ["place"]
    if flt.q:
        conditions.append(spec.filters["q"].sql)
        params += [queries._like(flt.q)] * spec.filters["q"].sql.count("{p}")
    where = "WHERE " + " AND ".join(conditions) if conditions else ""
    statement = " ".join((spec.select, where, spec.group_by, spec.order, reads.LIMIT_OFFSET))
    rows = ledger.query(statement, [*params, 10_000, 0])
    return [dict(zip(spec.columns, r[: len(spec.columns)], strict=True)) for r in rows]


def listed(ledger: Ledger, kind: str, flt: Filters, limit: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = queries.list_items(ledger, kind, flt, limit=limit, cursor=cursor)
        found += page.items
        if page.next is None:
            return found
        cursor = page.next


def assert_same_as_aggregate(ledger: Ledger) -> None:
    for kind, words in (("people", QUERIES), ("places", PLACE_QUERIES)):
        for flt in (Filters(), *(Filters(q=w) for w in words)):
            want = aggregate(ledger, kind, flt)
            for limit in (1, 4, 500):
                assert listed(ledger, kind, flt, limit) == want, (kind, flt, limit)
            assert queries.count(ledger, kind, flt) == len(want)
        tally = ledger.query(f"SELECT COUNT(*) FROM {kind}")[0][0]
        assert tally == len(aggregate(ledger, kind, Filters()))


def test_the_tally_follows_stores_reextraction_and_added_quotes(ledger_url: str) -> None:
    stored = list(extractions(40))
    with open_ledger(ledger_url) as ledger:
        assert listed(ledger, "people", Filters(), 10) == []
        assert listed(ledger, "places", Filters(), 10) == []
        for x in stored[:25]:
            assert ledger.store(x) is StoreResult.STORED
        assert_same_as_aggregate(ledger)
        for x in stored[25:]:
            ledger.store(x)
        assert ledger.store(stored[3]) is StoreResult.DUPLICATE  # counted once
        assert_same_as_aggregate(ledger)
        first = listed(ledger, "people", Filters(), 50)
        assert first and first[0]["quotes"] > 0 and any(p["quotes"] == 0 for p in first)
        places = {p["name"]: p for p in listed(ledger, "places", Filters(), 50)}
        assert places["Tall Qasr"]["admin1"] == "Wadi Sarha"  # the largest of the names held
        assert places["Wadi Sarha"]["latitude"] is None

        # re-extraction: one article loses its people and places, another gets others
        gone = stored[7]
        replace_extraction(ledger, replace(gone, entities=(), quotes=()), gone.article.id)
        other = extraction(random.Random(99), 7, "2031-01-02T00:00:00")
        again = replace(other, article=replace(other.article, id=stored[8].article.id))
        replace_extraction(ledger, again, stored[8].article.id)
        assert_same_as_aggregate(ledger)

        # a quote a reviewer adds, by someone no article named before
        ordinal = reviews.add_record(
            ledger,
            "quotes",
            stored[0].article.id,
            {
                "speaker": "Samira Oudeh",
                "speaker_title": "the brigade's envoy",
                "text": "added words",
                "kind": "indirect",
                "cue": None,
                "evidence_start": 0,
                "evidence_end": 4,
                "evidence_text": stored[0].article.text[:4],
            },
            "rana",
            "missed",
        )
        assert ordinal == reviews.ADDED_BASE
        assert_same_as_aggregate(ledger)
        envoy = listed(ledger, "people", Filters(q="envoy"), 10)
        assert [p["name"] for p in envoy] == ["Samira Oudeh"] and envoy[0]["quotes"] == 1


def test_migration_17_fills_the_tally_of_an_existing_ledger(backend: str, ledger_url: str) -> None:
    old_ledger(ledger_url, backend, 2)  # a quote and a person written before the tally existed
    with open_ledger(ledger_url) as ledger:
        assert ledger.query("SELECT COUNT(*) FROM people")[0][0] >= 1
        assert ledger.query("SELECT COUNT(*) FROM places")[0][0] >= 1
        assert_same_as_aggregate(ledger)
        assert [p["name"] for p in listed(ledger, "people", Filters(q="mayor"), 5)] == [
            "Salim Haddad"
        ]


@pytest.fixture
def plans(ledger_url: str) -> Iterator[Ledger]:
    with open_ledger(ledger_url) as ledger:
        for x in extractions(10):
            ledger.store(x)
        yield ledger


@pytest.mark.parametrize(
    ("statement", "index"),
    [(people_sql.READ_PEOPLE, "people_rank"), (places_sql.READ_PLACES, "places_rank")],
)
def test_a_page_without_a_filter_reads_the_tally_through_its_index(
    plans: Ledger, statement: str, index: str
) -> None:
    if plans.dialect.name == "postgresql":
        with plans.transaction("the plan") as run:  # a tiny table: the planner would scan it
            run("SET LOCAL enable_seqscan = off")
            rows = run("EXPLAIN " + statement, [51, 0])
    else:
        rows = plans.query("EXPLAIN QUERY PLAN " + statement, [51, 0])
    plan = " ".join(str(r[-1]) for r in rows)
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # no sort of every name


@pytest.mark.parametrize(
    "statement",
    [
        people_sql.ADD_ARTICLE,
        people_sql.ADD_ARTICLE_TITLES,
        people_sql.NAMES_OF_ARTICLE,
        places_sql.ADD_ARTICLE,
        places_sql.ADD_ARTICLE_NAMES,
        places_sql.NAMES_OF_ARTICLE,
    ],
)
def test_one_article_is_tallied_from_its_own_rows(tmp_path: Any, statement: str) -> None:
    """SQLite reads one article's entities through the article's key, not every person or
    place of the ledger through (kind, name): storing an article took time in proportion to
    the ledger (docs/speed.md, "Sixth pass")."""
    with open_ledger(tmp_path / "plan.db") as ledger:
        rendered = statement.replace("{p}", "?")
        marks = ["a"] * rendered.count("?")
        plan = [str(r[3]) for r in ledger.query("EXPLAIN QUERY PLAN " + rendered, marks)]
    entities = [step for step in plan if " entities" in step or " r " in f"{step} "]
    assert entities and all("(article_id=?)" in step for step in entities), plan
    assert not any("entities_kind_name" in step for step in plan), plan
