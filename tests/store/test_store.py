"""The ledger in SQLite and PostgreSQL: round trips, idempotence, rollback, migrations, search,
bad paths, concurrent ingest.

Tests that take `backend`, `ledger_url` or `ledger` run on both databases (tests/helpers/pg.py
starts a throwaway PostgreSQL server; they skip on PostgreSQL, saying why, where its binaries
are absent).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.errors import LedgerError
from newsledger.records import (
    Article,
    Change,
    Claim,
    Deadline,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    OffsetMap,
    Quote,
    RecordRef,
)
from newsledger.store import Ledger, StoreResult, open_ledger, schema, text_hash
from newsledger.store import ledger as ledger_module
from newsledger.store.sql import dialect as sql_dialect
from newsledger.store.sql import tables
from tests.helpers import factories

if TYPE_CHECKING:
    from tests.helpers.pg import PgServer


# A made-up report: every record kind, every field set to something other than its default.
TEXT = (
    "Gunmen attacked a checkpoint near Tel Warda on Monday, killing two guards. "
    'Colonel Rami Haddad said "the road is closed until further notice". '
    "The ministry said 40 families had fled. The governor promised repairs by March 2031."
)


def span(fragment: str, text: str = TEXT) -> Evidence:
    start = text.index(fragment)
    return Evidence(start, start + len(fragment), fragment)


def make_article(article_id: str = "art-1", text: str = TEXT, **changes: Any) -> Article:
    article = Article(
        id=article_id,
        source="Example Wire",
        published="2031-01-06T08:30:00",
        url=f"https://example.org/{article_id}",
        title="Checkpoint attacked near Tel Warda",
        text=text,
        raw_text="Example Wire/" + text.replace("the road", "theroad"),
        offsets=OffsetMap((0, 100), (13, 112)),
        origin=f"fixtures/{article_id}.txt:3",
    )
    return replace(article, **changes)


def make_extraction(article: Article | None = None) -> Extraction:
    article = article or make_article()
    event = factories.event(
        span("Gunmen attacked a checkpoint near Tel Warda on Monday, killing two guards."),
        event_date="2031-01-05",
        time_precision=1,
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="Unidentified Armed Group (Iraq)",
        assoc_actor_1="Gunmen",
        actor2="Police Forces of Iraq (2022-)",
        assoc_actor_2="Checkpoint guards",
        location="Tel Warda",
        admin1="Ninewa",
        admin2="Sinjar",
        country="Iraq",
        latitude=36.321,
        longitude=41.876,
        geo_precision=2,
        fatalities=2,
        notes="Gunmen attacked a checkpoint near Tel Warda, killing two guards.",
        more_evidence=(span("The ministry said 40 families had fled."),),
    )
    quote = Quote(
        speaker="Rami Haddad",
        speaker_title="Colonel",
        text="the road is closed until further notice",
        kind="direct",
        cue="said",
        evidence=span('Colonel Rami Haddad said "the road is closed until further notice".'),
        speaker_kind="person",
        notes="said at the checkpoint",
    )
    claim = Claim(
        value=40.0,
        unit="families",
        subject="displaced",
        claimed_by="the ministry",
        evidence=span("The ministry said 40 families had fled."),
        speaker_kind="organization",
    )
    deadline = Deadline(
        subject="repairs",
        deadline="2031-03",
        precision="month",
        relation="by",
        stated_by="the governor",
        evidence=span("The governor promised repairs by March 2031."),
    )
    place = Entity(
        kind="place",
        name="Tel Warda",
        mentions=(Mention(34, 43, "Tel Warda"),),
        title="village",
        latitude=36.321,
        longitude=41.876,
        admin1="Ninewa",
        country="Iraq",
        geonameid=9999001,
    )
    person = Entity(
        kind="person",
        name="Rami Haddad",
        mentions=(Mention(84, 95, "Rami Haddad"), Mention(96, 100, "said")),
        title="Colonel",
    )
    unmentioned = Entity(kind="organization", name="Ministry of Roads", mentions=())
    return Extraction(
        article=article,
        events=(event, replace(event, fatalities=0, latitude=None, longitude=None)),
        quotes=(quote, replace(quote, kind="indirect", speaker=None, cue=None)),
        claims=(claim,),
        deadlines=(deadline,),
        entities=(place, person, unmentioned),
    )


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    with open_ledger(ledger_url) as opened:
        yield opened


def run_sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    """Run one statement on the ledger's database behind the ledger's back; its rows."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as pg_conn:
            cursor = pg_conn.execute(statement)
            return cursor.fetchall() if cursor.description else []
    conn = sqlite3.connect(url)
    try:
        found = conn.execute(statement).fetchall()
        conn.commit()
        return found
    finally:
        conn.close()


def named(ledger_or_url: Ledger | str | Path) -> str:
    """A regex matching the ledger's name as errors give it."""
    name = ledger_or_url.name if isinstance(ledger_or_url, Ledger) else str(ledger_or_url)
    return re.escape(name)


def rows(ledger: Ledger, kind: str) -> list[dict[str, Any]]:
    return list(ledger.iter_rows(kind))


def record_from_row(cls: type, row: dict[str, Any]) -> Any:
    values = {f.name: row[f.name] for f in fields(cls)}
    if "evidence" in values:
        values["evidence"] = Evidence(**values["evidence"])
    if "more_evidence" in values:
        values["more_evidence"] = tuple(Evidence(**e) for e in values["more_evidence"])
    if "mentions" in values:
        values["mentions"] = tuple(Mention(**m) for m in values["mentions"])
    return cls(**values)


# --- round trip -----------------------------------------------------------------------------


def test_every_record_kind_round_trips_with_every_field(ledger: Ledger) -> None:
    extraction = make_extraction()
    assert ledger.store(extraction) is StoreResult.STORED

    (article_row,) = rows(ledger, "articles")
    article = extraction.article
    restored = Article(
        **{k: article_row[k] for k in article.to_dict()},
        offsets=OffsetMap.from_json(article_row["offsets"]),
        origin=article_row["origin"],
    )
    assert restored == article
    assert article_row["text_hash"] == text_hash(article.raw_text)
    assert article_row["ingested_at"][:2] == "20"

    for kind, cls in [
        ("events", Event),
        ("quotes", Quote),
        ("claims", Claim),
        ("deadlines", Deadline),
        ("entities", Entity),
    ]:
        stored = rows(ledger, kind)
        assert [record_from_row(cls, r) for r in stored] == list(getattr(extraction, kind))
        assert [r["ordinal"] for r in stored] == list(range(len(stored)))
        assert {r["article_id"] for r in stored} == {"art-1"}
        assert {r["source"] for r in stored} == {"Example Wire"}

    event = rows(ledger, "events")[0]
    assert event["evidence"] == {"start": 0, "end": 74, "text": TEXT[:74]}
    assert event["latitude"] == 36.321 and event["fatalities"] == 2
    entities = rows(ledger, "entities")
    assert [len(e["mentions"]) for e in entities] == [1, 2, 0]
    assert entities[1]["mentions"][1] == {"start": 96, "end": 100, "text": "said"}


def test_columns_are_the_record_field_names(ledger_url: str, backend: str) -> None:
    open_ledger(ledger_url).close()

    def columns(table: str) -> list[str]:
        if backend == "postgresql":
            return [
                row[0]
                for row in run_sql(
                    ledger_url,
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    f"current_schema() AND table_name = '{table}' ORDER BY ordinal_position",
                )
            ]
        return [row[1] for row in run_sql(ledger_url, f"PRAGMA table_info({table})")]

    assert columns("events")[3:] == [
        "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
        "assoc_actor_1", "actor2", "assoc_actor_2", "location", "admin1", "admin2", "country",
        "latitude", "longitude", "geo_precision", "fatalities", "notes", "evidence_start",
        "evidence_end", "evidence_text", "confidence", "more_evidence",
    ]  # fmt: skip
    for table, cls in [("quotes", Quote), ("claims", Claim), ("deadlines", Deadline)]:
        expected = [f.name for f in fields(cls) if f.name != "evidence"]
        assert columns(table)[:3] == ["id", "article_id", "ordinal"]
        evidence = ["evidence_start", "evidence_end", "evidence_text"]
        record = columns(table)[3:]  # fields added by later migrations follow the evidence
        assert [c for c in record if c not in evidence] == expected
        at = record.index("evidence_start")
        assert record[at : at + 3] == evidence
    assert columns("entities")[3:] == [f.name for f in fields(Entity) if f.name != "mentions"]
    assert columns("entity_mentions")[-3:] == ["start", "end", "text"]
    assert set(columns("articles")) >= {
        "id", "source", "published", "url", "title", "text", "raw_text", "offsets", "origin",
        "text_hash", "ingested_at",
    }  # fmt: skip


def test_connection_settings(ledger: Ledger, backend: str) -> None:
    conn = ledger._conn
    if backend == "postgresql":
        assert conn.execute("SHOW client_min_messages").fetchone()[0] == "warning"
        assert conn.execute("SHOW TimeZone").fetchone()[0] == "UTC"
        assert not conn.in_transaction  # autocommit between the ledger's own transactions
        return
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- idempotence ----------------------------------------------------------------------------


def test_same_id_or_same_text_is_a_duplicate_and_writes_nothing(ledger: Ledger) -> None:
    first = make_extraction()
    assert ledger.store(first) is StoreResult.STORED
    before = ledger.stats().counts

    same_id = make_extraction(make_article("art-1", text=TEXT + " More."))
    same_id = replace(same_id, article=replace(same_id.article, raw_text="other raw text"))
    assert ledger.has_article("art-1", "other raw text")
    assert ledger.store(same_id) is StoreResult.DUPLICATE

    same_text = make_extraction(make_article("art-2"))
    assert same_text.article.raw_text == first.article.raw_text
    assert ledger.has_article("art-2", first.article.raw_text)
    assert ledger.store(same_text) is StoreResult.DUPLICATE

    assert ledger.stats().counts == before
    assert [a["id"] for a in rows(ledger, "articles")] == ["art-1"]
    assert not ledger.has_article("art-3", "a text never seen")


# --- one transaction per article --------------------------------------------------------------


def assert_no_trace(ledger: Ledger, article_id: str) -> None:
    counts = ledger.stats().counts
    assert counts["articles"] == 1  # only the good article stored first
    for kind in ("events", "quotes", "claims", "deadlines", "entities"):
        assert all(r["article_id"] != article_id for r in ledger.iter_rows(kind))
    assert ledger.search("Warda") and all(
        hit["article_id"] != article_id for hit in ledger.search("Warda")
    )


def test_a_record_that_violates_a_constraint_leaves_no_trace(ledger: Ledger, backend: str) -> None:
    ledger.store(make_extraction())
    bad = make_extraction(make_article("art-bad", raw_text="bad raw"))
    bad = replace(bad, events=(*bad.events, replace(bad.events[0], fatalities=-1)))
    with pytest.raises(
        LedgerError, match=rf"{named(ledger)}: article art-bad .* not stored"
    ) as err:
        ledger.store(bad)
    if backend == "sqlite":
        assert "CHECK constraint" in str(err.value)
    else:
        assert 'violates check constraint "events_fatalities_check"' in str(err.value)
    assert_no_trace(ledger, "art-bad")
    assert ledger.stats().counts["events"] == 2
    # the ledger is still usable, and the article can be stored once fixed
    assert ledger.store(make_extraction(bad.article)) is StoreResult.STORED


def test_a_failure_half_way_rolls_back_and_re_raises(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.store(make_extraction())
    real = ledger_module._insert_many

    def failing(conn: sqlite3.Connection, statement: str, batch: list[Any]) -> None:
        if "entity_mentions" in statement:  # after events, quotes, ... were inserted
            raise RuntimeError("disk on fire")
        real(conn, statement, batch)

    monkeypatch.setattr(ledger_module, "_insert_many", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ledger.store(make_extraction(make_article("art-2", raw_text="second raw")))
    assert_no_trace(ledger, "art-2")
    assert ledger.stats().counts["entity_mentions"] == 3


# --- migrations ------------------------------------------------------------------------------


def applied_steps(path: Path | str) -> list[tuple[int, str]]:
    return run_sql(str(path), "SELECT number, applied_at FROM schema_migrations ORDER BY 1")


def test_a_fresh_ledger_gets_every_step_and_reopening_applies_none(ledger_url: str) -> None:
    path = ledger_url
    open_ledger(path).close()
    first = applied_steps(path)
    numbers = [m.number for m in schema.MIGRATIONS]
    assert [n for n, _ in first] == numbers == list(range(1, schema.latest_version() + 1))
    with open_ledger(path) as ledger:
        assert schema.migrate(ledger._conn, ledger._sql, str(path)) == []
    assert applied_steps(path) == first


def test_a_ledger_being_written_opens_without_waiting_for_the_writer(ledger_url: str) -> None:
    """Opening an up-to-date ledger takes no lock: `stats` or the web app during an ingest."""
    writer = open_ledger(ledger_url)
    try:
        for statement in writer._sql.begin_migration:  # the write lock and the migration lock
            writer._conn.execute(statement)
        with ThreadPoolExecutor(1) as pool:
            opening = pool.submit(lambda: open_ledger(ledger_url).close())
            try:
                opening.result(timeout=sql_dialect.BUSY_TIMEOUT_MS / 1000 / 2)
            finally:
                writer._conn.execute(writer._sql.rollback)  # lets a waiting open go on
    finally:
        writer.close()


def test_opening_applies_only_the_pending_steps(
    ledger_urls: Callable[[str], str], backend: str
) -> None:
    path = ledger_urls("old.db")
    conn: Any
    if backend == "postgresql":
        from newsledger.store.postgres import connect

        conn = connect(path, path)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    statements = tables.build(sql_dialect.DIALECTS[backend])
    done = schema.migrate(conn, statements, str(path), schema.MIGRATIONS[:2])
    assert done == [1, 2]
    conn.execute(
        "INSERT INTO articles (id, text, raw_text, offsets, text_hash, ingested_at) "
        "VALUES ('old', 'Tel Warda was quiet', 'raw', '[[0],[0]]', 'h', 'now')"
    )
    conn.close()
    with open_ledger(path) as ledger:
        assert [n for n, _ in applied_steps(path)] == list(range(1, schema.latest_version() + 1))
        # step 3 indexed the article that was already there
        assert [hit["article_id"] for hit in ledger.search("quiet")] == ["old"]


def test_a_ledger_from_a_newer_version_is_refused(ledger_urls: Callable[[str], str]) -> None:
    path = ledger_urls("future.db")
    open_ledger(path).close()
    run_sql(path, "INSERT INTO schema_migrations VALUES (99, 'from the future', 'later')")
    with pytest.raises(
        LedgerError,
        match=rf"{named(path)}.*version 99, newer than .*\(version {schema.latest_version()}\)",
    ):
        open_ledger(path)


def test_a_database_of_another_program_is_refused(ledger_urls: Callable[[str], str]) -> None:
    path = ledger_urls("other.db")
    run_sql(path, "CREATE TABLE invoices (n INTEGER)")
    with pytest.raises(LedgerError, match=rf"{named(path)}: .*not a newsledger ledger.*invoices"):
        open_ledger(path)


# --- search ----------------------------------------------------------------------------------


def test_full_text_search_over_title_and_text(ledger: Ledger) -> None:
    ledger.store(make_extraction())
    other = make_article("art-2", text="Drones struck a depot in Wadi Sahl.", title="Depot struck")
    ledger.store(Extraction(replace(other, raw_text=other.text)))

    assert [h["article_id"] for h in ledger.search("guards")] == ["art-1"]
    assert [h["article_id"] for h in ledger.search('"Wadi Sahl"')] == ["art-2"]
    assert [h["article_id"] for h in ledger.search("depot")] == ["art-2"]  # title and text
    assert {h["article_id"] for h in ledger.search("guards OR drones")} == {"art-1", "art-2"}
    assert ledger.search("guards", limit=1)[0]["snippet"].count("[guards]") == 1
    hit = ledger.search("Checkpoint")[0]
    assert hit["title"] == "Checkpoint attacked near Tel Warda"
    assert hit["source"] == "Example Wire" and hit["url"] == "https://example.org/art-1"
    assert ledger.search("nonexistentword") == []


def test_search_index_follows_deletes(ledger: Ledger, ledger_url: str, backend: str) -> None:
    ledger.store(make_extraction())
    if backend == "sqlite":
        conn = sqlite3.connect(ledger_url)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM articles WHERE id = 'art-1'")
        conn.commit()
        conn.close()
    else:
        run_sql(ledger_url, "DELETE FROM articles WHERE id = 'art-1'")
    assert ledger.search("guards") == []
    assert ledger.stats().counts["events"] == 0  # records cascade with their article


# FTS5 refuses its syntax errors; PostgreSQL's websearch_to_tsquery takes any text, and the
# ledger refuses a query with nothing to search for (only stop words or punctuation)
BAD_QUERIES = {
    "sqlite": ["al-Hol AND", '"unclosed', "NOT", "   "],
    "postgresql": ["NOT", "the and of", "--", "   "],
}


@pytest.mark.parametrize("number", range(4))
def test_a_bad_query_is_a_ledger_error_naming_it(ledger: Ledger, backend: str, number: int) -> None:
    query = BAD_QUERIES[backend][number]
    with pytest.raises(LedgerError) as err:
        ledger.search(query)
    assert repr(query) in str(err.value)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=20))
def test_search_never_fails_otherwise(ledger: Ledger, query: str) -> None:
    if not ledger.has_article("art-1", make_article().raw_text):
        ledger.store(make_extraction())
    try:
        result = ledger.search(query)
    except LedgerError as exc:
        assert repr(query) in str(exc)
    else:
        assert isinstance(result, list)


# --- opening ---------------------------------------------------------------------------------


def test_bad_paths_are_ledger_errors_naming_them(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ledger.db"
    with pytest.raises(LedgerError, match=r"nowhere.*does not exist"):
        open_ledger(missing)
    with pytest.raises(LedgerError, match=f"{tmp_path}: is a directory"):
        open_ledger(tmp_path)
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(b"this is not a database, just some notes\n" * 100)
    with pytest.raises(LedgerError, match=r"notes\.db: .*not a database"):
        open_ledger(garbage)
    with pytest.raises(LedgerError, match=r"nowhere"):
        open_ledger(f"sqlite:///{missing}")


def test_an_unwritable_ledger_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ro.db"
    open_ledger(path).close()
    # the tests may run as root, for whom chmod does not take writing away
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(LedgerError, match=r"ro\.db: the ledger file is not readable and writable"):
        open_ledger(path)
    with pytest.raises(LedgerError, match=r"new\.db: cannot create the ledger.* not writable"):
        open_ledger(tmp_path / "new.db")


def test_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # nothing listens on port 1: the error names the URL, without its password, and the reason
    for url in (
        "postgresql://analyst:s3cret@127.0.0.1:1/ledger",
        "postgresql+psycopg://analyst@127.0.0.1:1/ledger?password=s3cret&connect_timeout=3",
    ):
        with pytest.raises(LedgerError, match="cannot connect to the PostgreSQL ledger") as err:
            open_ledger(url)
        assert "s3cret" not in str(err.value) and "127.0.0.1:1/ledger" in str(err.value)
        assert "refused" in str(err.value)
    with pytest.raises(LedgerError, match=r"mysql://x/y: unknown ledger URL scheme 'mysql'"):
        open_ledger("mysql://x/y")
    with pytest.raises(LedgerError, match="three slashes"):
        open_ledger("sqlite://relative.db")

    monkeypatch.chdir(tmp_path)
    with open_ledger("sqlite:///relative.db") as ledger:
        ledger.store(make_extraction())
    assert (tmp_path / "relative.db").is_file()
    with open_ledger(f"sqlite:///{tmp_path / 'relative.db'}") as ledger:  # four slashes
        assert ledger.stats().counts["articles"] == 1
    for memory in (":memory:", "sqlite://", "sqlite:///:memory:"):
        with open_ledger(memory) as ledger:
            assert ledger.store(make_extraction()) is StoreResult.STORED
    assert not (tmp_path / ":memory:").exists()


def test_close_and_context_manager(ledger_url: str, backend: str) -> None:
    with open_ledger(ledger_url) as ledger:
        ledger.store(make_extraction())
    if backend == "sqlite":
        with pytest.raises(sqlite3.ProgrammingError):
            ledger.stats()
    else:
        import psycopg

        with pytest.raises(psycopg.OperationalError, match="closed"):
            ledger.stats()


# --- reading ---------------------------------------------------------------------------------


def test_stats(ledger: Ledger) -> None:
    ledger.store(make_extraction())
    later = make_article("art-2", published="2031-02-01", source="Other Desk", raw_text="2")
    ledger.store(Extraction(later))
    ledger.store(Extraction(make_article("art-3", published="2030-12-31", raw_text="3")))
    ledger.store(Extraction(make_article("art-4", published=None, source=None, raw_text="4")))
    stats = ledger.stats()
    assert dict(stats.counts) == {
        "articles": 4, "events": 2, "quotes": 2, "claims": 1, "deadlines": 1, "entities": 3,
        "entity_mentions": 3, "changes": 0,
    }  # fmt: skip
    assert list(stats.sources.items()) == [("Example Wire", 2), ("", 1), ("Other Desk", 1)]
    assert (stats.first_published, stats.last_published) == ("2030-12-31", "2031-02-01")
    assert stats.to_dict()["sources"] == {"Example Wire": 2, "": 1, "Other Desk": 1}


def test_rows_come_in_the_order_stored(ledger: Ledger) -> None:
    for article_id in ("zz", "aa", "mm"):
        article = make_article(article_id, raw_text=article_id)
        ledger.store(make_extraction(article))
    assert [a["id"] for a in rows(ledger, "articles")] == ["zz", "aa", "mm"]
    assert [(q["article_id"], q["ordinal"]) for q in rows(ledger, "quotes")] == [
        ("zz", 0), ("zz", 1), ("aa", 0), ("aa", 1), ("mm", 0), ("mm", 1),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown kind 'people'; choose one of articles, events"):
        rows(ledger, "people")


def test_iter_rows_streams(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_module, "FETCH_SIZE", 2)
    for i in range(5):
        ledger.store(make_extraction(make_article(f"a{i}", raw_text=str(i))))
    stream = ledger.iter_rows("events")
    assert next(stream)["article_id"] == "a0"  # a generator, not a list
    assert len(list(stream)) == 9


def test_other_statements_run_while_rows_stream(ledger: Ledger) -> None:
    for i in range(3):
        ledger.store(make_extraction(make_article(f"a{i}", raw_text=str(i))))
    stream = ledger.iter_rows("articles")
    assert next(stream)["id"] == "a0"
    assert ledger.store(make_extraction(make_article("a9", raw_text="9"))) is StoreResult.STORED
    assert ledger.stats().counts["articles"] == 4
    assert [a["id"] for a in stream][:2] == ["a1", "a2"]


# --- changes ---------------------------------------------------------------------------------


def make_change(**changes: Any) -> Change:
    change = Change(
        kind="deadline differs",
        speaker="the governor",
        topic="repairs",
        earlier=RecordRef("art-1", "deadline", {"deadline": "2031-03", "relation": "by"}),
        later=RecordRef("art-2", "deadline", {"deadline": "2031-06", "relation": "by"}),
        why="the date moved from March to June 2031",
    )
    return replace(change, **changes)


def test_changes_round_trip_and_repeats_are_skipped(ledger: Ledger) -> None:
    ledger.store(make_extraction())
    ledger.store(Extraction(make_article("art-2", raw_text="second")))
    change = make_change()
    other = make_change(kind="reaffirmed", speaker=None, why="same again")
    assert ledger.store_changes([change, other]) == 2
    assert ledger.store_changes(iter([change])) == 0
    assert ledger.store_changes([]) == 0
    stored = rows(ledger, "changes")
    assert len(stored) == 2
    restored = Change(
        kind=stored[0]["kind"],
        speaker=stored[0]["speaker"],
        topic=stored[0]["topic"],
        earlier=RecordRef(**stored[0]["earlier"]),
        later=RecordRef(**stored[0]["later"]),
        why=stored[0]["why"],
    )
    assert restored == change
    assert stored[1]["kind"] == "reaffirmed" and stored[1]["speaker"] is None


def test_changes_naming_unknown_articles_are_refused_whole(ledger: Ledger) -> None:
    ledger.store(make_extraction())
    good = make_change(later=RecordRef("art-1", "deadline", {}))
    bad = make_change(later=RecordRef("art-404", "deadline", {}))
    with pytest.raises(LedgerError, match=rf"{named(ledger)}: .*not in the ledger: art-404"):
        ledger.store_changes([good, bad])
    assert ledger.stats().counts["changes"] == 0


# --- concurrent ingest into one PostgreSQL ledger --------------------------------------------


def numbered(n: int, same_text_as: int | None = None) -> Extraction:
    """Article n with every record kind; same_text_as: another id with article m's raw text."""
    text = TEXT.replace("two guards", f"{n} guards")
    article = make_article(f"c{n}", text=text, raw_text=f"raw {n}")
    if same_text_as is not None:
        article = replace(article, raw_text=f"raw {same_text_as}")
    return make_extraction(article)


@pytest.mark.slow
def test_concurrent_ingest_stores_each_article_exactly_once(pg_server: PgServer) -> None:
    url = pg_server.new_schema()  # fresh: the processes also race to migrate it
    articles = [numbered(n) for n in range(12)]
    twins = [numbered(100 + n, same_text_as=n) for n in (2, 7)]  # same text, other id
    batches = [
        articles[:8] + twins[:1],
        articles[4:] + twins,
        list(reversed(articles)),
    ]
    from tests.helpers.pg import store_all  # spawned processes import it by name

    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(len(batches))
    results = ctx.Queue()
    workers = [ctx.Process(target=store_all, args=(url, b, start, results)) for b in batches]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    stored = [i for outcome in outcomes for i, result in outcome if result == "stored"]
    assert sorted(stored) == sorted(e.article.id for e in articles)  # each exactly once
    assert sum(len(o) for o in outcomes) == sum(len(b) for b in batches)
    with open_ledger(url) as ledger:
        assert sorted(a["id"] for a in ledger.iter_rows("articles")) == sorted(stored)
        for kind, cls in [("events", Event), ("quotes", Quote), ("entities", Entity)]:
            by_article: dict[str, list[Any]] = {}
            for row in ledger.iter_rows(kind):
                by_article.setdefault(row["article_id"], []).append(record_from_row(cls, row))
            for extraction in articles:
                assert by_article[extraction.article.id] == list(getattr(extraction, kind))
        counts = ledger.stats().counts
        assert counts["claims"] == counts["deadlines"] == 12
        assert counts["entity_mentions"] == 3 * 12
    steps = applied_steps(url)
    assert [n for n, _ in steps] == [m.number for m in schema.MIGRATIONS]  # each step once


def test_the_loser_of_a_race_for_an_article_finds_it_stored(
    pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_server.new_schema()
    first, second = open_ledger(url), open_ledger(url)
    inside, go_on = threading.Event(), threading.Event()
    real = ledger_module._insert_many

    def paused(conn: Any, statement: str, batch: list[Any]) -> int:
        if conn is first._conn and "INTO events" in statement:
            inside.set()  # the article row is inserted, not committed
            assert go_on.wait(30)
        return real(conn, statement, batch)

    monkeypatch.setattr(ledger_module, "_insert_many", paused)
    twin = make_extraction(make_article("art-twin"))  # same raw text, another id
    try:
        with ThreadPoolExecutor(2) as pool:
            winner = pool.submit(first.store, make_extraction())
            assert inside.wait(30)
            loser = pool.submit(second.store, twin)
            time.sleep(0.3)
            assert not loser.done()  # its insert waits for the first transaction
            go_on.set()
            assert winner.result(30) is StoreResult.STORED
            assert loser.result(30) is StoreResult.DUPLICATE
        counts = second.stats().counts
        assert (counts["articles"], counts["events"], counts["entity_mentions"]) == (1, 2, 3)
        assert second.store(make_extraction(make_article("art-2", raw_text="other"))) is (
            StoreResult.STORED
        )
    finally:
        go_on.set()
        first.close()
        second.close()
