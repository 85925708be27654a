"""The people list's stored tally (migration 17, `store/sql/people.py`), kept in the transaction
that writes person entities or quotes: `Ledger.store` adds a new article's people to it, and
re-extraction and a reviewer's added quote count their names again from the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from newsledger.store.sql import people as sql

Run = Callable[[str, Sequence[Any]], list[Sequence[Any]]]
"""Runs one statement template in the open write transaction (`Ledger.transaction`'s `run`)."""

CHUNK = 200
"""Names recounted a statement (each is bound twice or four times)."""


def add_article(run: Run, article_id: str) -> None:
    """Count a newly stored article's people into the tally (after its records are written)."""
    run(sql.ADD_ARTICLE, [article_id, article_id])
    run(sql.ADD_ARTICLE_TITLES, [article_id, article_id])


def names_of_article(run: Run, article_id: str) -> set[str]:
    """The people an article's records mention (person entities and quote speakers)."""
    return {str(name) for (name,) in run(sql.NAMES_OF_ARTICLE, [article_id, article_id])}


def recount(run: Run, names: Iterable[str]) -> None:
    """Write the tally's and the titles' rows of these names again from the records (a name no
    record holds any more leaves both)."""
    ordered = sorted(set(names))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for statement in sql.forget(len(chunk)):
            run(statement, chunk)
        for statement in sql.recount(len(chunk)):
            run(statement, [*chunk, *chunk])
