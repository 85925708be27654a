"""Tracking across articles (migration 6; used by `newsledger.track`).

Canonical entities with their aliases and the reason each alias was merged; the titles a person
is given, report by report; event clusters (one ledger event reported by several articles) with
their member events and why each joined or was split off; lookup keys that let tracking one new
article fetch only the records it could relate to; a log of decisions. Templates use {p} for the
parameter marker (`Ledger.query` and `Ledger.transaction` render them) and plain SQL that SQLite
and PostgreSQL share. Inserts that need the new row's id use RETURNING (both engines).
"""

from __future__ import annotations

from newsledger.store.sql.dialect import quoted
from newsledger.store.sql.tables import EVENT_FIELDS, EVIDENCED_KINDS, RECORD_FIELDS

TRACK_DDL = (
    """CREATE TABLE track_entities (
    id {id},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    family_key TEXT NOT NULL,
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX track_entities_family ON track_entities (kind, family_key)",
    """CREATE TABLE track_aliases (
    id {id},
    entity_id INTEGER NOT NULL REFERENCES track_entities (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    UNIQUE (entity_id, alias, article_id)
)""",
    "CREATE INDEX track_aliases_key ON track_aliases (alias_key)",
    "CREATE INDEX track_aliases_article ON track_aliases (article_id)",
    """CREATE TABLE track_titles (
    id {id},
    entity_id INTEGER NOT NULL REFERENCES track_entities (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    published TEXT,
    title TEXT NOT NULL,
    UNIQUE (entity_id, article_id, title)
)""",
    "CREATE INDEX track_titles_entity ON track_titles (entity_id, published)",
    """CREATE TABLE track_event_clusters (
    id {id},
    event_type TEXT NOT NULL,
    date_min TEXT,
    date_max TEXT,
    created_at TEXT NOT NULL
)""",
    "CREATE INDEX track_event_clusters_type_date ON track_event_clusters (event_type, date_min)",
    """CREATE TABLE track_event_members (
    id {id},
    cluster_id INTEGER NOT NULL REFERENCES track_event_clusters (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (article_id, ordinal)
)""",
    "CREATE INDEX track_event_members_cluster ON track_event_members (cluster_id)",
    """CREATE TABLE track_keys (
    id {id},
    key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    published TEXT,
    UNIQUE (key, article_id, kind, ordinal)
)""",
    "CREATE INDEX track_keys_key ON track_keys (key, published)",
    "CREATE INDEX track_keys_article ON track_keys (article_id)",
    """CREATE TABLE track_statements (
    id {id},
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    published TEXT,
    source TEXT,
    speaker_key TEXT,
    speaker TEXT,
    topic TEXT NOT NULL,
    stance {json} NOT NULL,
    record {json} NOT NULL,
    UNIQUE (article_id, kind, ordinal)
)""",
    "CREATE INDEX track_statements_speaker ON track_statements (speaker_key, published)",
    """CREATE TABLE track_log (
    id {id},
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
)""",
    "CREATE INDEX track_log_article ON track_log (article_id)",
    """CREATE TABLE track_done (
    article_id TEXT NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    tracked_at TEXT NOT NULL
)""",
)
"""Tables for tracking across articles (migration 6)."""

TRACK_RECORD_FIELDS = {kind: RECORD_FIELDS[kind] for kind in EVIDENCED_KINDS}
"""The records tracking reads of an article (not its entities: TRACK_ARTICLE_ENTITIES)."""
TRACK_ARTICLE = "SELECT id, source, published, title, text FROM articles WHERE id = {p}"
TRACK_ARTICLE_RECORDS = {
    kind: f"SELECT ordinal, {quoted(fields)} FROM {kind} WHERE article_id = {{p}} ORDER BY ordinal"
    for kind, fields in TRACK_RECORD_FIELDS.items()
}
"""One article's records of a kind: ordinal, *fields."""
TRACK_ARTICLE_ENTITIES = (
    'SELECT e.ordinal, e.kind, e.name, e.title, m."text" FROM entities AS e '
    "LEFT JOIN entity_mentions AS m ON m.entity_id = e.id "
    "WHERE e.article_id = {p} ORDER BY e.ordinal, m.ordinal"
)
TRACK_ENTITY_COOCCURRING = (
    "SELECT DISTINCT e.name FROM entities AS e WHERE e.kind <> 'person' AND e.article_id IN "
    "(SELECT al.article_id FROM track_aliases AS al WHERE al.entity_id = {p})"
)
"""The names of the places and organisations of every article that names a tracked entity
(one row each; `TRACK_ARTICLE_ENTITIES` of each of its aliases' articles gives the same names
with their mentions)."""
TRACK_IS_DONE = "SELECT 1 FROM track_done WHERE article_id = {p}"
TRACK_MARK_DONE = "INSERT INTO track_done (article_id, tracked_at) VALUES ({p}, {p})"
TRACK_ENTITIES_BY_FAMILY = (
    "SELECT id, name FROM track_entities WHERE kind = {p} AND family_key = {p} ORDER BY id"
)
TRACK_ENTITY_ALIASES = (
    "SELECT alias, article_id, reason FROM track_aliases WHERE entity_id = {p} ORDER BY id"
)
TRACK_ENTITY_ALIAS_NAMES = "SELECT DISTINCT alias FROM track_aliases WHERE entity_id = {p}"
TRACK_ENTITY_TITLES = (
    "SELECT published, title, article_id FROM track_titles WHERE entity_id = {p} "
    "ORDER BY published, id"
)
TRACK_INSERT_ENTITY = (
    "INSERT INTO track_entities (kind, name, family_key, created_at) "
    "VALUES ({p}, {p}, {p}, {p}) RETURNING id"
)
TRACK_INSERT_ALIAS = (
    "INSERT INTO track_aliases (entity_id, alias, alias_key, article_id, reason) "
    "VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
TRACK_INSERT_TITLE = (
    "INSERT INTO track_titles (entity_id, article_id, published, title) "
    "VALUES ({p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
TRACK_INSERT_KEY = (
    "INSERT INTO track_keys (key, article_id, kind, ordinal, published) "
    "VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
)
STATEMENT_COLUMNS = (
    "article_id",
    "kind",
    "ordinal",
    "published",
    "source",
    "speaker_key",
    "speaker",
    "topic",
    "stance",
    "record",
)
TRACK_INSERT_STATEMENT = (
    f"INSERT INTO track_statements ({quoted(STATEMENT_COLUMNS)}) VALUES "
    f"({', '.join('{p}' for _ in STATEMENT_COLUMNS)}) ON CONFLICT DO NOTHING"
)
TRACK_KEY_RECORDS = (
    f"SELECT {', '.join('s.' + c for c in STATEMENT_COLUMNS)} FROM track_keys AS k "
    "JOIN track_statements AS s ON s.article_id = k.article_id AND s.kind = k.kind "
    "AND s.ordinal = k.ordinal WHERE k.key = {p} AND k.article_id <> {p} "
    "ORDER BY k.published DESC, k.id DESC LIMIT {p}"
)
"""Statements (STATEMENT_COLUMNS) of other articles under one key, newest first (the cap
bounds the work of tracking one article in a large ledger)."""
TRACK_KEY_IDS = (
    "SELECT s.id FROM track_keys AS k "
    "JOIN track_statements AS s ON s.article_id = k.article_id AND s.kind = k.kind "
    "AND s.ordinal = k.ordinal WHERE k.key = {p} AND k.article_id <> {p} "
    "ORDER BY k.published DESC, k.id DESC LIMIT {p}"
)
"""`TRACK_KEY_RECORDS`'s statements by their row id only (read from the unique index, not
the rows): a reader that keeps statements by id (`newsledger.track.candidates`) then reads
the rows of those it has not kept with `track_statements_by_id`."""
STATEMENTS_BY_ID_CHUNK = 500
"""Row ids asked for at most in one `track_statements_by_id` statement."""


def track_statements_by_id(count: int) -> str:
    """The statements (id, *STATEMENT_COLUMNS) with `count` row ids bound, in no order."""
    marks = ", ".join("{p}" for _ in range(count))
    return (
        f"SELECT s.id, {', '.join('s.' + c for c in STATEMENT_COLUMNS)} "
        f"FROM track_statements AS s WHERE s.id IN ({marks})"
    )


TRACK_SPEAKER_STATEMENTS = (
    f"SELECT {', '.join('s.' + c for c in STATEMENT_COLUMNS)} FROM track_statements AS s "
    "WHERE s.speaker_key = {p} ORDER BY s.published, s.article_id, s.ordinal"
)
TRACK_RENAME_ENTITY = "UPDATE track_entities SET name = {p} WHERE id = {p}"
TRACK_ENTITIES_BY_ALIAS = (
    "SELECT DISTINCT e.id, e.name FROM track_aliases AS al JOIN track_entities AS e "
    "ON e.id = al.entity_id WHERE e.kind = {p} AND (al.alias = {p} OR e.name = {p}) ORDER BY e.id"
)
"""The entities of a kind that go by a name (as an alias or their own): id, name."""
TRACK_INSERT_LOG = (
    "INSERT INTO track_log (article_id, what, reason, recorded_at) VALUES ({p}, {p}, {p}, {p})"
)
TRACK_CLUSTER_CANDIDATES = (
    "SELECT id FROM track_event_clusters WHERE event_type = {p} "
    "AND date_min <= {p} AND date_max >= {p} ORDER BY id"
)
TRACK_CLUSTER_MEMBERS = (
    "SELECT m.article_id, m.ordinal, m.reason, a.source, a.published FROM track_event_members "
    "AS m JOIN articles AS a ON a.id = m.article_id WHERE m.cluster_id = {p} ORDER BY m.id"
)
TRACK_EVENT = (
    f"SELECT {quoted(EVENT_FIELDS)} FROM events WHERE article_id = {{p}} AND ordinal = {{p}}"
)
TRACK_INSERT_CLUSTER = (
    "INSERT INTO track_event_clusters (event_type, date_min, date_max, created_at) "
    "VALUES ({p}, {p}, {p}, {p}) RETURNING id"
)
TRACK_UPDATE_CLUSTER = (
    "UPDATE track_event_clusters SET date_min = {p}, date_max = {p} WHERE id = {p}"
)
TRACK_DELETE_CLUSTER = "DELETE FROM track_event_clusters WHERE id = {p}"
TRACK_DELETE_MEMBERS = "DELETE FROM track_event_members WHERE cluster_id = {p}"
TRACK_INSERT_MEMBER = (
    "INSERT INTO track_event_members (cluster_id, article_id, ordinal, reason) "
    "VALUES ({p}, {p}, {p}, {p})"
)
TRACK_CHANGES = (
    "SELECT c.kind, c.speaker, c.topic, c.earlier_article_id, c.earlier_kind, c.earlier_record, "
    "c.article_id, c.later_kind, c.later_record, c.why, b.published, a.published, b.source, "
    "a.source FROM changes AS c JOIN articles AS a ON a.id = c.article_id "
    "JOIN articles AS b ON b.id = c.earlier_article_id ORDER BY a.published, c.id"
)
TRACK_CHANGES_COLUMNS = (
    "kind",
    "speaker",
    "topic",
    "earlier_article_id",
    "earlier_kind",
    "earlier_record",
    "article_id",
    "later_kind",
    "later_record",
    "why",
    "earlier_published",
    "later_published",
    "earlier_source",
    "later_source",
)
"""Every change with both articles' dates and sources (TRACK_CHANGES_COLUMNS), in the later
article's date order."""
TRACK_PERSON_TITLES = (
    "SELECT t.published, t.title, t.article_id, a.source FROM track_titles AS t "
    "JOIN articles AS a ON a.id = t.article_id WHERE t.entity_id = {p} ORDER BY t.published, t.id"
)
