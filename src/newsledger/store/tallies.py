"""The stored tallies of the people and places lists (migration 17, `store/sql/people.py` and
`store/sql/places.py`), kept in the transaction that writes person or place entities or quotes:
`Ledger.store` adds a new article's people and places to them, and re-extraction and a
reviewer's added quote count their names again from the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsledger.store.sql import people as people_sql
from newsledger.store.sql import places as places_sql

Run = Callable[[str, Sequence[Any]], list[Sequence[Any]]]
"""Runs one statement template in the open write transaction (`Ledger.transaction`'s `run`)."""

CHUNK = 200
"""Names recounted a statement (each is bound twice at most)."""


@dataclass(frozen=True)
class Named:
    """The people and the place names an article's records hold."""

    people: frozenset[str]
    places: frozenset[str]

    def __or__(self, other: Named) -> Named:
        return Named(self.people | other.people, self.places | other.places)


def add_article(run: Run, article_id: str) -> None:
    """Count a newly stored article's people and places into the tallies (after its records
    are written)."""
    run(people_sql.ADD_ARTICLE, [article_id, article_id])
    run(people_sql.ADD_ARTICLE_TITLES, [article_id, article_id])
    run(places_sql.ADD_ARTICLE, [article_id])
    run(places_sql.ADD_ARTICLE_NAMES, [article_id])


def names_of_article(run: Run, article_id: str) -> Named:
    """The people (person entities and quote speakers) and place names of an article."""
    people = run(people_sql.NAMES_OF_ARTICLE, [article_id, article_id])
    places = run(places_sql.NAMES_OF_ARTICLE, [article_id])
    return Named(frozenset(str(n) for (n,) in people), frozenset(str(n) for (n,) in places))


def recount_people(run: Run, names: Iterable[str]) -> None:
    """Write the people tally's and titles' rows of these names again from the records (a name
    no record holds any more leaves both)."""
    _recount(run, names, people_sql.forget, people_sql.recount, 2)


def recount(run: Run, named: Named) -> None:
    """Write the rows of these people and places again in both tallies."""
    recount_people(run, named.people)
    _recount(run, named.places, places_sql.forget, places_sql.recount, 1)


def _recount(
    run: Run,
    names: Iterable[str],
    forget: Callable[[int], tuple[str, ...]],
    write: Callable[[int], tuple[str, ...]],
    bound: int,
) -> None:
    ordered = sorted(set(names))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for statement in forget(len(chunk)):
            run(statement, chunk)
        for statement in write(len(chunk)):
            run(statement, chunk * bound)
