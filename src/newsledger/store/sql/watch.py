"""Watching sources and alerting (migration 7; used by `newsledger.watch`).

Each source's state (conditional-request validators, last fetch, errors, backoff); every item
seen from a source (a feed entry, a page URL, a file), so a restart neither misses nor repeats
one; the articles waiting to be matched against the alert rules; the alerts (one per rule and
record) and their deliveries (one per alert and output: pending until sent, with the last error
and when to try again). Times a loop compares (`next_try`) are seconds since the epoch; the
others are ISO 8601 UTC text. Templates use {p} for the parameter marker.
"""

from __future__ import annotations

from newsledger.store.sql.dialect import quoted

WATCH_DDL = (
    """CREATE TABLE watch_sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_ok TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    next_try {float} NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE watch_seen (
    id {id},
    source TEXT NOT NULL,
    item TEXT NOT NULL,
    outcome TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    UNIQUE (source, item)
)""",
    """CREATE TABLE watch_queue (
    seq {id},
    article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    matched INTEGER NOT NULL DEFAULT 0 CHECK (matched IN (0, 1))
)""",
    "CREATE INDEX watch_queue_matched ON watch_queue (matched, seq)",
    """CREATE TABLE watch_alerts (
    id {id},
    rule TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL,
    alert {json} NOT NULL,
    UNIQUE (rule, record_id)
)""",
    """CREATE TABLE watch_deliveries (
    id {id},
    alert_id INTEGER NOT NULL REFERENCES watch_alerts (id) ON DELETE CASCADE,
    output TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try {float} NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    UNIQUE (alert_id, output)
)""",
    "CREATE INDEX watch_deliveries_pending ON watch_deliveries (status, next_try)",
)
"""Tables for watching sources and delivering alerts (migration 7)."""

WATCH_SOURCE_COLUMNS = (
    "name",
    "kind",
    "location",
    "etag",
    "last_modified",
    "last_fetch",
    "last_ok",
    "last_error",
    "failures",
    "next_try",
    "articles",
)
WATCH_ADD_SOURCE = (
    "INSERT INTO watch_sources (name, kind, location) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, location = excluded.location"
)
WATCH_SOURCE = f"SELECT {quoted(WATCH_SOURCE_COLUMNS)} FROM watch_sources WHERE name = {{p}}"
WATCH_SOURCES = f"SELECT {quoted(WATCH_SOURCE_COLUMNS)} FROM watch_sources ORDER BY name"
WATCH_UPDATE_SOURCE = (
    "UPDATE watch_sources SET "
    + ", ".join(f'"{c}" = {{p}}' for c in WATCH_SOURCE_COLUMNS[3:])
    + " WHERE name = {p}"
)
"""Params: the columns after name, kind, location, in order, then the name."""
WATCH_HAS_ARTICLE = "SELECT 1 FROM articles WHERE id = {p}"
WATCH_IS_SEEN = "SELECT 1 FROM watch_seen WHERE source = {p} AND item = {p}"
WATCH_MARK_SEEN = (
    "INSERT INTO watch_seen (source, item, outcome, seen_at) VALUES ({p}, {p}, {p}, {p}) "
    "ON CONFLICT (source, item) DO NOTHING"
)
WATCH_ENQUEUE = (
    "INSERT INTO watch_queue (article_id, source) VALUES ({p}, {p}) "
    "ON CONFLICT (article_id) DO NOTHING"
)
WATCH_UNMATCHED = "SELECT article_id FROM watch_queue WHERE matched = 0 ORDER BY seq"
WATCH_MARK_MATCHED = "UPDATE watch_queue SET matched = 1 WHERE article_id = {p}"
WATCH_INSERT_ALERT = (
    "INSERT INTO watch_alerts (rule, record_kind, record_id, article_id, day, created_at, alert) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (rule, record_id) DO NOTHING "
    "RETURNING id"
)
WATCH_INSERT_DELIVERY = (
    "INSERT INTO watch_deliveries (alert_id, output, status) VALUES ({p}, {p}, 'pending') "
    "ON CONFLICT (alert_id, output) DO NOTHING"
)
WATCH_PENDING = (
    "SELECT d.id, d.output, d.attempts, a.day, a.alert FROM watch_deliveries AS d "
    "JOIN watch_alerts AS a ON a.id = d.alert_id "
    "WHERE d.status = 'pending' AND d.next_try <= {p} ORDER BY a.id, d.id"
)
"""Deliveries due at a time: id, output, attempts, the alert's day and JSON."""
WATCH_SENT = (
    "UPDATE watch_deliveries SET status = 'sent', sent_at = {p}, attempts = attempts + 1, "
    "last_error = NULL WHERE id = {p} AND status = 'pending'"
)
WATCH_FAILED = (
    "UPDATE watch_deliveries SET attempts = attempts + 1, last_error = {p}, next_try = {p} "
    "WHERE id = {p}"
)
WATCH_ALERT_COLUMNS = ("id", "rule", "record_kind", "record_id", "article_id", "created_at")
WATCH_DELIVERY_COLUMNS = ("output", "status", "attempts", "last_error", "sent_at")
WATCH_ALERTS = (
    "SELECT a.id, a.rule, a.record_kind, a.record_id, a.article_id, a.created_at, a.alert, "
    "d.output, d.status, d.attempts, d.last_error, d.sent_at FROM watch_alerts AS a "
    "LEFT JOIN watch_deliveries AS d ON d.alert_id = a.id "
    "WHERE a.id IN (SELECT id FROM watch_alerts ORDER BY id DESC LIMIT {p}) "
    "ORDER BY a.id DESC, d.output"
)
"""The newest alerts (at most the limit), each with one row per delivery: WATCH_ALERT_COLUMNS,
the alert's JSON, WATCH_DELIVERY_COLUMNS (NULL when it has none)."""
