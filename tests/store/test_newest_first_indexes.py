"""The newest-first lists read their order from an index instead of sorting every row: events by
date, articles by publication, and quotes and claims by their article's publication (driven by
the articles index on PostgreSQL: migration 16). Checked in each engine's query plan; the
planners are told to avoid sorts and full scans where they can, so a plan that still sorts (a
top-level Sort, SQLite's TEMP B-TREE FOR ORDER BY) means no index gives the order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from newsledger.store import Ledger, open_ledger
from newsledger.store import queries as q
from newsledger.store.sql.dialect import render_query
from tests.helpers.web_ledger import build_ledger


def statements_of(
    ledger: Ledger, kind: str, monkeypatch: pytest.MonkeyPatch, filters: q.Filters | None = None
) -> list[Any]:
    """(sql, params) of every ordered statement `list_items(kind)` runs (newest first)."""
    seen: list[tuple[str, Sequence[Any]]] = []
    query = Ledger.query

    def spy(self: Ledger, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
        if "ORDER BY" in template:
            seen.append((render_query(template, self.dialect), params))
        return query(self, template, params)

    with monkeypatch.context() as patched:
        patched.setattr(Ledger, "query", spy)
        q.list_items(ledger, kind, filters or q.Filters())
    assert seen, kind
    return seen


def plan(ledger: Ledger, sql: str, params: Sequence[Any], backend: str) -> list[str]:
    if backend == "postgresql":
        with ledger.transaction("the plan") as run:  # SET LOCAL: for this transaction only
            run("SET LOCAL enable_seqscan = off")
            run("SET LOCAL enable_sort = off")
            return [str(row[0]) for row in run("EXPLAIN " + sql, params)]
    return [str(row[3]) for row in ledger.query("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.mark.parametrize(
    ("kind", "index"),
    [
        ("events", {"sqlite": "events_date_filters", "postgresql": "events_newest"}),
        ("articles", {"sqlite": "articles_published", "postgresql": "articles_newest"}),
    ],
)
def test_newest_first_lists_walk_an_index_without_sorting(
    backend: str,
    ledger_url: str,
    tmp_path: Path,
    kind: str,
    index: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_ledger(ledger_url, with_change=True)  # type: ignore[arg-type]
    with open_ledger(ledger_url) as ledger:
        for sql, params in statements_of(ledger, kind, monkeypatch):
            steps = plan(ledger, sql, params, backend)
            text = "\n".join(steps)
            assert index[backend] in text, text
            if backend == "postgresql":
                assert not steps[1].lstrip(" ->").startswith("Sort"), text  # under the Limit
            else:
                assert "TEMP B-TREE FOR ORDER BY" not in text, text


def test_postgresql_quotes_and_claims_are_read_from_the_newest_articles(
    pg_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_server.new_schema()
    build_ledger(url)  # type: ignore[arg-type]
    with open_ledger(url) as ledger:
        for kind in ("quotes", "claims"):
            for sql, params in statements_of(ledger, kind, monkeypatch):
                text = "\n".join(plan(ledger, sql, params, "postgresql"))
                assert "articles_newest" in text, text
                assert "Incremental Sort" in text and "Presorted Key: a.published" in text, text


@pytest.mark.parametrize("filters", [q.Filters(), q.Filters(date_to="2025-01-01", q="the")])
def test_sqlite_quotes_and_claims_are_read_from_the_newest_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: q.Filters
) -> None:
    """SQLite walks articles_published newest first and reads each article's records (CROSS
    JOIN, reads.ARTICLES_FIRST_FILTERS), sorting only within a publication date; a speaker or
    an article is still read through its own index."""
    path = tmp_path / "ledger.db"
    build_ledger(path)
    with open_ledger(str(path)) as ledger:
        for kind in ("quotes", "claims"):
            seen = statements_of(ledger, kind, monkeypatch, filters)
            for sql, params in seen:
                text = "\n".join(plan(ledger, sql, params, "sqlite"))
                assert "SCAN a USING INDEX articles_published" in text, text
                assert "TEMP B-TREE FOR ORDER BY" not in text, text  # "RIGHT PART OF" only
            for flt in (q.Filters(speaker="x"), q.Filters(article="a1")):
                for sql, _ in statements_of(ledger, kind, monkeypatch, flt):
                    assert "CROSS JOIN" not in sql, sql
