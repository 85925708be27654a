"""Tracking with the candidates kept by row id (`KeptStatements`, what `tracking` and so
`ingest` use) writes what tracking each article plainly writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsledger.records import Claim, Entity
from newsledger.store import Ledger, open_ledger
from newsledger.store.sql import track as track_sql
from newsledger.track import load_tracker, track_article, tracking
from newsledger.track.candidates import KeptStatements, parse_statement
from tests.helpers import factories
from tests.helpers.track_articles import deadline, person, quote, store

TABLES = (
    "changes",
    "track_entities",
    "track_aliases",
    "track_titles",
    "track_event_clusters",
    "track_event_members",
    "track_keys",
    "track_statements",
    "track_log",
)
SPEAKER = "Lina Marwadi"
TITLE = "port authority director"
SAYINGS = (
    "Our schedule for the harbour dredging is unchanged",
    "The harbour dredging timetable is not final",
    "We support the harbour dredging plan and the timetable is fixed",
    "The dredging timetable for the harbour remains under review",
    "We reject the plan to delay the harbour dredging",
    "The harbour dredging schedule is final, we will not change it",
)


def _store_series(ledger: Ledger) -> list[str]:
    """Six made-up reports: one speaker's changing positions on one topic, deadlines and
    figures that differ."""
    ids = []
    for n, saying in enumerate(SAYINGS):
        text = f"Director {SPEAKER} spoke on day {n}. {saying}, she said."
        ids.append(
            store(
                ledger,
                f"k{n}",
                f"2024-0{n + 1}-1{n}",
                text=text,
                entities=(person(SPEAKER, TITLE, "Marwadi"), factories.place("Port Sudan")),
                quotes=(quote(SPEAKER, saying, TITLE, f"{saying}, she said.", text.index(saying)),),
                deadlines=(
                    deadline(
                        "completion of the northern harbour dredging",
                        f"2025-0{n % 3 + 1}",
                        sentence=f"Dredging will be complete in month {n % 3 + 1} of 2025.",
                    ),
                ),
                claims=(
                    Claim(
                        400.0 + 150 * n,
                        "dock workers",
                        "employed at the northern harbour",
                        SPEAKER,
                        factories.evidence(f"{400 + 150 * n} dock workers are employed."),
                    ),
                ),
            )
        )
    return ids


def _track_both(
    urls: Callable[[str], str], kept: KeptStatements
) -> tuple[dict[str, list[str]], list[int], list[int]]:
    tracker = load_tracker()
    rows: dict[str, list[str]] = {}
    changes: dict[str, list[int]] = {}
    for way in ("plain", "kept"):
        with open_ledger(urls(f"{way}.db")) as ledger:
            ids = _store_series(ledger)
            if way == "plain":
                changes[way] = [track_article(ledger, a, tracker).changes for a in ids]
            else:
                changes[way] = [track_article(ledger, a, tracker, kept).changes for a in ids]
            rows[way] = [
                json.dumps(r, default=str)
                for table in TABLES
                for r in sorted(
                    json.dumps(_without_ids(ledger, table, row), default=str, sort_keys=True)
                    for row in ledger.query(f"SELECT * FROM {table}")
                )
            ]
    return rows, changes["plain"], changes["kept"]


def _without_ids(ledger: Ledger, table: str, row: object) -> list[object]:
    values = list(row)  # type: ignore[call-overload]
    names = _columns(ledger, table)
    return [v for n, v in zip(names, values, strict=True) if n != "id" and not n.endswith("_at")]


def _columns(ledger: Ledger, table: str) -> list[str]:
    if ledger.dialect.name == "sqlite":
        return [str(r[1]) for r in ledger.query(f"PRAGMA table_info({table})")]
    return [
        str(r[0])
        for r in ledger.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = {p} "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            (table,),
        )
    ]


def test_kept_candidates_write_what_plain_tracking_writes(
    ledger_urls: Callable[[str], str],
) -> None:
    kept = KeptStatements()
    rows, plain, fast = _track_both(ledger_urls, kept)
    assert fast == plain
    assert sum(plain) >= 3  # the series flags changes of several kinds to compare
    assert rows["kept"] == rows["plain"]
    # each stored statement was read from the ledger once (18 filed, the last article's unread)
    assert 0 < kept.rows_read <= 15


def test_a_full_store_lets_the_first_read_go_and_changes_nothing(
    ledger_urls: Callable[[str], str],
) -> None:
    kept = KeptStatements(limit=2)
    rows, plain, fast = _track_both(ledger_urls, kept)
    assert fast == plain and rows["kept"] == rows["plain"]
    assert kept.rows_read > 15  # read again once let go


def test_ingest_tracks_with_kept_candidates(tmp_path: Path) -> None:
    """`tracking` (what ingest calls) keeps candidates across the articles of a run."""
    with open_ledger(tmp_path / "l.db") as ledger:
        ids = _store_series(ledger)
        track = tracking(ledger, load_tracker())
        assert sum(track(a) for a in ids) >= 3
        kept = track.args[2]  # type: ignore[attr-defined]
        assert isinstance(kept, KeptStatements)
        assert 0 < kept.rows_read <= 15


def test_what_another_connection_commits_is_read_again(tmp_path: Path) -> None:
    """SQLite may give a deleted row's id to a new row: a statement kept by id is forgotten
    once another connection has committed (`Ledger.data_version`)."""
    db = tmp_path / "l.db"
    kept = KeptStatements()
    with open_ledger(db) as ledger:
        ids = _store_series(ledger)
        tracker = load_tracker()
        track_article(ledger, ids[0], tracker, kept)
        track_article(ledger, ids[1], tracker, kept)
        with ledger.transaction("reading") as run:
            (row_id,) = run("SELECT id FROM track_statements WHERE article_id = {p}", ("k0",))[0]
            first = kept.statements(run, [int(row_id)], ledger.data_version())
        other = sqlite3.connect(db)
        other.execute("UPDATE track_statements SET topic = 'refiled' WHERE id = ?", (int(row_id),))
        other.commit()
        other.close()
        with ledger.transaction("reading") as run:
            again = kept.statements(run, [int(row_id)], ledger.data_version())
            plain = run(
                f"SELECT {', '.join(track_sql.STATEMENT_COLUMNS)} FROM track_statements "
                "WHERE id = {p}",
                (int(row_id),),
            )
    assert first[0].topic != "refiled"
    assert again == [parse_statement(plain[0])]
    assert again[0].topic == "refiled"


def test_an_id_no_longer_stored_is_left_out(tmp_path: Path) -> None:
    """Statements come in the order of the ids asked for; one deleted since it was listed (by
    another connection, on PostgreSQL) is left out."""
    with open_ledger(tmp_path / "l.db") as ledger:
        ids = _store_series(ledger)
        track_article(ledger, ids[0], load_tracker())
        kept = KeptStatements()
        one = f"SELECT {', '.join(track_sql.STATEMENT_COLUMNS)} FROM track_statements "
        with ledger.transaction("reading") as run:
            listed = [int(r[0]) for r in run("SELECT id FROM track_statements ORDER BY id DESC")]
            found = kept.statements(run, [listed[0], 999_999, *listed[1:]], None)
            plain = [parse_statement(run(one + "WHERE id = {p}", (i,))[0]) for i in listed]
    assert len(listed) == 3  # a quote, a deadline and a claim
    assert found == plain


def test_the_series_flags_each_kind_of_change(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "l.db") as ledger:
        ids = _store_series(ledger)
        track = tracking(ledger, load_tracker())
        for a in ids:
            track(a)
        kinds = {str(k) for (k,) in ledger.query("SELECT kind FROM changes")}
    assert {"stance changed", "deadline differs", "figure differs"} <= kinds


def test_cooccurring_names_in_one_query_equal_those_of_each_article(ledger_url: str) -> None:
    """`TRACK_ENTITY_COOCCURRING` (a person's evidence by the places and organisations named
    with them) gives the names the entities of each of their aliases' articles give."""
    tracker = load_tracker()
    with open_ledger(ledger_url) as ledger:
        for n, town in enumerate(("Port Sudan", "Kassala", "Port Sudan")):
            org = Entity("organization", f"Harbour Board {n % 2}", ())
            store(
                ledger,
                f"e{n}",
                f"2024-01-0{n + 1}",
                entities=(person(SPEAKER, TITLE, "Marwadi"), factories.place(town), org),
            )
            track_article(ledger, f"e{n}", tracker)
        people = ledger.query("SELECT id FROM track_entities WHERE kind = {p}", ("person",))
        assert people
        for (entity_id,) in people:
            one = {
                str(n) for (n,) in ledger.query(track_sql.TRACK_ENTITY_COOCCURRING, (entity_id,))
            }
            each: set[str] = set()
            for _alias, article, _reason in ledger.query(
                track_sql.TRACK_ENTITY_ALIASES, (entity_id,)
            ):
                for row in ledger.query(track_sql.TRACK_ARTICLE_ENTITIES, (article,)):
                    if row[1] != "person":
                        each.add(str(row[2]))
            assert one == each
            assert {"Port Sudan", "Kassala", "Harbour Board 0", "Harbour Board 1"} <= one
