"""The people list's stored tally (migration 17): one row a person with what the list shows, kept
in the transaction that writes their entities or quotes (`store/people.py`), and the distinct
(name, title) pairs a `q` filter is matched against.

The people list (`/api/people`, `/people`) is an aggregate over every person entity and every
quote with a speaker, joined to their articles: 13 to 28 ms a request on the seeds + Guardian
ledger (251 articles) when the machine was quiet, 73 ms under load, and it grows with the ledger.
Read from `people` through its rank index it is a page of rows (scripts/load_test.py and
docs/web.md, "Stored tallies"). A `q` filter keeps the aggregate over the rows whose name or
title contains the words (the counts are of those rows only), but reads only the rows of the
names that `people_titles` says can match, through the entities and quotes name indexes.
"""

from __future__ import annotations

_ESC = "ESCAPE '\\'"

PERSON_ROWS = (
    "SELECT name, title, article_id, 0 AS statements FROM entities "
    "WHERE kind = 'person'{entities} UNION ALL "
    "SELECT speaker, speaker_title, article_id, 1 FROM quotes "
    "WHERE speaker IS NOT NULL{quotes}"
)
"""Every mention of a person: their entities (no statement) and their quotes (one each);
{entities} and {quotes} narrow each arm (an article, some names)."""

TALLY = (
    "SELECT p.name, MAX(p.title), COUNT(DISTINCT p.article_id), SUM(p.statements), "
    "MIN(a.published), MAX(a.published) FROM ({rows}) AS p "
    "JOIN articles AS a ON a.id = p.article_id WHERE true GROUP BY p.name ORDER BY p.name"
)
"""The people list's columns per name (`WHERE true`: SQLite's upsert after a SELECT needs a
WHERE; ORDER BY: concurrent writers on PostgreSQL take the rows' locks in one order)."""

TITLES = "SELECT DISTINCT p.name, COALESCE(p.title, '') FROM ({rows}) AS p WHERE true ORDER BY 1, 2"

PEOPLE_COLUMNS = "name, title, articles, quotes, first_seen, last_seen"


def _rows(entities: str, quotes: str) -> str:
    return PERSON_ROWS.replace("{entities}", entities).replace("{quotes}", quotes)


def _of_names(count: int) -> str:
    marks = ", ".join("{p}" for _ in range(count))
    return _rows(f" AND name IN ({marks})", f" AND speaker IN ({marks})")


BY_KIND = "WHERE kind = 'person'"
NOT_BY_KIND = "WHERE kind || '' = 'person'"
"""The same condition, which SQLite cannot answer from the (kind, name) index: one article's
rows are then read through its own (article_id, ordinal) key instead of every person entity
of the ledger (as SQLite chose without the rewrite: the tally of a new article took time in
proportion to the ledger, 1.1 s of CPU over the Guardian corpus against 0.09 s)."""

_OF_ARTICLE = _rows(" AND article_id = {p}", " AND article_id = {p}").replace(BY_KIND, NOT_BY_KIND)

PEOPLE_DDL = (
    """CREATE TABLE people (
    name TEXT PRIMARY KEY,
    title TEXT,
    articles INTEGER NOT NULL CHECK (articles >= 0),
    quotes INTEGER NOT NULL CHECK (quotes >= 0),
    first_seen TEXT,
    last_seen TEXT
)""",
    # the list's order: most quotes, then most articles, then by name
    "CREATE INDEX people_rank ON people (quotes DESC, articles DESC, name)",
    """CREATE TABLE people_titles (
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (name, title)
)""",
    f"INSERT INTO people ({PEOPLE_COLUMNS}) " + TALLY.replace("{rows}", _rows("", "")),
    "INSERT INTO people_titles (name, title) " + TITLES.replace("{rows}", _rows("", "")),
)
"""The stored tally and titles of the people list, filled from the ledger (migration 17)."""

_KEEP_MOST = (
    "CASE WHEN excluded.{c} IS NULL OR (people.{c} IS NOT NULL AND people.{c} {cmp} excluded.{c}) "
    "THEN people.{c} ELSE excluded.{c} END"
)


def _keep(column: str, cmp: str) -> str:
    """MAX (cmp >=) or MIN (cmp <=) of the stored value and the new one, NULLs ignored."""
    return _KEEP_MOST.replace("{c}", column).replace("{cmp}", cmp)


ADD_ARTICLE = (
    f"INSERT INTO people ({PEOPLE_COLUMNS}) "
    + TALLY.replace("{rows}", _OF_ARTICLE)
    + " ON CONFLICT (name) DO UPDATE SET "
    + f"title = {_keep('title', '>=')}, "
    + "articles = people.articles + excluded.articles, "
    + "quotes = people.quotes + excluded.quotes, "
    + f"first_seen = {_keep('first_seen', '<=')}, "
    + f"last_seen = {_keep('last_seen', '>=')}"
)
"""A new article's people added to the tally: its own mentions counted into each name's row
(the article is new, so each name it holds gains one article); params: article id twice."""

ADD_ARTICLE_TITLES = (
    "INSERT INTO people_titles (name, title) "
    + TITLES.replace("{rows}", _OF_ARTICLE)
    + " ON CONFLICT (name, title) DO NOTHING"
)

NAMES_OF_ARTICLE = "SELECT DISTINCT p.name FROM (" + _OF_ARTICLE + ") AS p ORDER BY p.name"
"""The people an article mentions (params: its id twice)."""


def forget(count: int) -> tuple[str, str]:
    """Statements removing `count` names from the tally and the titles (params: the names)."""
    marks = ", ".join("{p}" for _ in range(count))
    return (
        f"DELETE FROM people WHERE name IN ({marks})",
        f"DELETE FROM people_titles WHERE name IN ({marks})",
    )


def recount(count: int) -> tuple[str, str]:
    """Statements writing `count` names' rows of the tally and titles again from the entities
    and quotes (params: the names twice), after `forget`."""
    rows = _of_names(count)
    return (
        f"INSERT INTO people ({PEOPLE_COLUMNS}) " + TALLY.replace("{rows}", rows),
        "INSERT INTO people_titles (name, title) " + TITLES.replace("{rows}", rows),
    )


PEOPLE_SELECT = (
    "SELECT p.name, MAX(p.title), COUNT(DISTINCT p.article_id), SUM(p.statements), "
    "MIN(a.published), MAX(a.published), NULL, NULL FROM ({rows}) AS p "
    "JOIN articles AS a ON a.id = p.article_id"
)
"""The people list's select (`reads.READ_LISTS["people"]`: grouped by name, most quotes first)."""

READ_PEOPLE_SELECT = PEOPLE_SELECT.replace("{rows}", _rows("", ""))

_MATCHING = (
    "SELECT t.name FROM people_titles AS t "
    f"WHERE t.name {{like}} {{p}} {_ESC} OR t.title {{like}} {{p}} {_ESC}"
)
READ_PEOPLE_MATCHING_SELECT = PEOPLE_SELECT.replace(
    "{rows}", _rows(f" AND name IN ({_MATCHING})", f" AND speaker IN ({_MATCHING})")
)
"""The people list's select with a `q` filter: only the rows of the names that have a name or a
title containing the LIKE pattern (params: the pattern 4 times) are read, through
entities_kind_name and quotes_speaker; the filter's own condition then keeps the rows that
match (a name can have several titles), so the counts are the same as over every row."""

READ_PEOPLE = (
    f"SELECT {PEOPLE_COLUMNS}, NULL, NULL FROM people "
    "ORDER BY quotes DESC, articles DESC, name LIMIT {p} OFFSET {p}"
)
"""A page of the people list without a filter, from the tally (in the aggregate's order)."""
