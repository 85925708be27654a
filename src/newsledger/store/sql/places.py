"""The places list's stored tally (migration 17), as `people.py` for the people list: one row a
place name with what the list shows, kept in the transaction that writes place entities
(`store/tallies.py`), and the distinct (name, admin1, country) a `q` filter is matched against.

The places list (`/api/places`) groups every place entity by name: 8 to 12 ms a request on the
seeds + Guardian ledger under load (4,092 place entities, 652 names). Without a filter its page
is read from `places` through its rank index; with `q` only the entities of the names that
`places_names` says can match are read (through entities_kind_name), and the filter's own
condition keeps the rows that match, so the counts are those of the aggregate over every row.
"""

from __future__ import annotations

_ESC = "ESCAPE '\\'"

PLACES_COLUMNS = "name, latitude, longitude, admin1, country, geonameid, articles"

TALLY = (
    "SELECT r.name, MAX(r.latitude), MAX(r.longitude), MAX(r.admin1), MAX(r.country), "
    "MAX(r.geonameid), COUNT(DISTINCT r.article_id) FROM entities AS r "
    "WHERE r.kind = 'place'{narrow} GROUP BY r.name ORDER BY r.name"
)
"""The places list's columns per name (ORDER BY: concurrent writers on PostgreSQL take the
rows' locks in one order); {narrow}: an article, some names."""

NAMES = (
    "SELECT DISTINCT r.name, COALESCE(r.admin1, ''), COALESCE(r.country, '') FROM entities AS r "
    "WHERE r.kind = 'place'{narrow} ORDER BY 1, 2, 3"
)

_OF_ARTICLE = " AND r.article_id = {p}"
BY_KIND = "r.kind = 'place'"
NOT_BY_KIND = "r.kind || '' = 'place'"
"""The same condition, not answered from the (kind, name) index: one article's places are read
through its own key (`people.NOT_BY_KIND`)."""


def _of_article(template: str) -> str:
    return template.replace("{narrow}", _OF_ARTICLE).replace(BY_KIND, NOT_BY_KIND)


def _of_names(count: int) -> str:
    return f" AND r.name IN ({', '.join('{p}' for _ in range(count))})"


PLACES_DDL = (
    """CREATE TABLE places (
    name TEXT PRIMARY KEY,
    latitude {float},
    longitude {float},
    admin1 TEXT,
    country TEXT,
    geonameid INTEGER,
    articles INTEGER NOT NULL CHECK (articles >= 0)
)""",
    # the list's order: in most articles first, then by name
    "CREATE INDEX places_rank ON places (articles DESC, name)",
    """CREATE TABLE places_names (
    name TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (name, admin1, country)
)""",
    f"INSERT INTO places ({PLACES_COLUMNS}) " + TALLY.replace("{narrow}", ""),
    "INSERT INTO places_names (name, admin1, country) " + NAMES.replace("{narrow}", ""),
)
"""The stored tally and names of the places list, filled from the ledger (migration 17)."""


def _keep_most(column: str) -> str:
    """MAX of the stored value and the new one, NULLs ignored."""
    return (
        f"CASE WHEN excluded.{column} IS NULL OR (places.{column} IS NOT NULL AND "
        f"places.{column} >= excluded.{column}) THEN places.{column} ELSE excluded.{column} END"
    )


ADD_ARTICLE = (
    f"INSERT INTO places ({PLACES_COLUMNS}) "
    + _of_article(TALLY)
    + " ON CONFLICT (name) DO UPDATE SET "
    + ", ".join(
        f"{c} = {_keep_most(c)}"
        for c in ("latitude", "longitude", "admin1", "country", "geonameid")
    )
    + ", articles = places.articles + excluded.articles"
)
"""A new article's places added to the tally (the article is new: each name it holds gains one
article); params: the article id."""

ADD_ARTICLE_NAMES = (
    "INSERT INTO places_names (name, admin1, country) "
    + _of_article(NAMES)
    + " ON CONFLICT (name, admin1, country) DO NOTHING"
)

NAMES_OF_ARTICLE = (
    f"SELECT DISTINCT r.name FROM entities AS r WHERE {NOT_BY_KIND} AND r.article_id = {{p}}"
)


def forget(count: int) -> tuple[str, str]:
    """Statements removing `count` names from the tally and the names (params: the names)."""
    marks = ", ".join("{p}" for _ in range(count))
    return (
        f"DELETE FROM places WHERE name IN ({marks})",
        f"DELETE FROM places_names WHERE name IN ({marks})",
    )


def recount(count: int) -> tuple[str, str]:
    """Statements writing `count` names' rows again from the entities (params: the names),
    after `forget`."""
    return (
        f"INSERT INTO places ({PLACES_COLUMNS}) " + TALLY.replace("{narrow}", _of_names(count)),
        "INSERT INTO places_names (name, admin1, country) "
        + NAMES.replace("{narrow}", _of_names(count)),
    )


READ_PLACES = (
    f"SELECT {PLACES_COLUMNS}, NULL, NULL FROM places "
    "ORDER BY articles DESC, name LIMIT {p} OFFSET {p}"
)
"""A page of the places list without a filter, from the tally (in the aggregate's order)."""

PLACES_MATCHING = (
    "r.name IN (SELECT t.name FROM places_names AS t WHERE t.name {like} {p} "
    f"{_ESC} OR t.admin1 {{like}} {{p}} {_ESC} OR t.country {{like}} {{p}} {_ESC})"
)
"""Read filter template: the place names with a name, admin1 or country that contains a LIKE
pattern (a place entity can match `q` only if its name is one of them; params: it 3 times)."""
