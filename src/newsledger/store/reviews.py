"""The review trail in the ledger (issue 14): its schema, statements and reads.

(Accounts, sessions and the audit log: store/accounts.py; the review queue: store/review_queue.py.)

The machine's records (events, quotes, claims, deadlines) are never updated. A review is a *save*:
one or more appended `reviews` rows that share the record (kind, article id, ordinal) and a version
number, one row per field changed (field, old value, new value, account, time, note), always with
a `status` row. `review_state` holds each reviewed record's latest version and status: a save
names the version it started from, and when another save came first it gets `ReviewConflict`
(with the version saved meanwhile) and writes nothing. A record's current value is the machine's
overlaid with the newest value of each field in its reviews (`overlay`). Undo is a save too: it
writes back the values before the save it undoes, so the history keeps both.

Records a reviewer adds (a quote the machine missed) go into the record tables with an ordinal
from ADDED_BASE up (machine ordinals stay below), their fields in the log as an `added` save.

Values are stored as JSON text (both engines read back the same string). Statements are templates
with {p} markers, run through `Ledger.query` and `Ledger.transaction`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from newsledger.store import tallies
from newsledger.store.sql.tables import RECORD_FIELDS

STATUSES = ("unreviewed", "accepted", "corrected", "rejected", "added")
REVIEWED = ("accepted", "corrected", "added")
"""What a desk publishes: `export --reviewed-only` and `?status=reviewed`."""
KINDS = ("events", "quotes", "claims", "deadlines")
ORPHAN_BASE = 1_000_000
"""Reviews whose record is gone after re-extraction keep ordinals from here (store/reextract.py);
no record has them."""
ADDED_BASE = 100_000
"""Records added by reviewers get ordinals from here (the machine's stay below)."""

REVIEW_FIELDS: Mapping[str, tuple[str, ...]] = {"events": ("same_as",)}
"""Fields only reviews have (no machine column): an event's `same_as` is the id of the event it
reports again (a merge; empty again: a split). Unreviewed records have them as None."""
_MACHINE_ONLY = {
    "events": ("confidence", "more_evidence"),
    "quotes": ("notes",),  # the machine's own notes (a refused speaker's candidates)
}
EDITABLE: Mapping[str, tuple[str, ...]] = {
    kind: tuple(f for f in RECORD_FIELDS[kind] if f not in _MACHINE_ONLY.get(kind, ()))
    + REVIEW_FIELDS.get(kind, ())
    for kind in KINDS
}
"""The fields a reviewer may change, per kind (evidence_start/_end/_text: the span)."""

Run = Callable[..., list[Sequence[Any]]]


class Ledger(Protocol):
    """What this module needs of `store.Ledger` (schema.py imports this module, and ledger.py
    imports schema.py: naming the protocol keeps the import one way)."""

    name: str

    def query(self, template: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]: ...

    def transaction(self, what: str) -> AbstractContextManager[Run]: ...


class ReviewError(ValueError):
    """A review or account request the ledger cannot take; the message says what to give."""


# ---------------------------------------------------------------------------------------------
# Schema (migration 11)

REVIEWS_DDL = (
    # no ON DELETE CASCADE from articles: an article with reviews cannot be deleted by accident
    """CREATE TABLE review_state (
    kind TEXT NOT NULL CHECK (kind IN ('events', 'quotes', 'claims', 'deadlines')),
    article_id TEXT NOT NULL REFERENCES articles (id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    version INTEGER NOT NULL CHECK (version >= 1),
    status TEXT NOT NULL
        CHECK (status IN ('unreviewed', 'accepted', 'corrected', 'rejected', 'added')),
    reviewed_by TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    rereview TEXT,
    PRIMARY KEY (kind, article_id, ordinal)
)""",
    "CREATE INDEX review_state_status ON review_state (status, kind)",
    """CREATE TABLE reviews (
    id {id},
    kind TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    version INTEGER NOT NULL CHECK (version >= 1),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    account TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    note TEXT,
    undoes INTEGER,
    evidence_start INTEGER,
    evidence_end INTEGER,
    UNIQUE (kind, article_id, ordinal, version, field)
)""",
    "CREATE INDEX reviews_account ON reviews (account, reviewed_at)",
    # the review queue walks events by lowest confidence and stops at the first unreviewed
    "CREATE INDEX events_confidence ON events (confidence, id)",
)

# ---------------------------------------------------------------------------------------------
# Statements

_STATE = "version, status, reviewed_by, reviewed_at, rereview"
STATE_COLUMNS = ("version", "status", "reviewed_by", "reviewed_at", "rereview")
STATE = (
    f"SELECT {_STATE} FROM review_state "
    "WHERE kind = {p} AND article_id = {p} AND ordinal = {p}"
)
INSERT_STATE = (
    "INSERT INTO review_state "
    "(kind, article_id, ordinal, version, status, reviewed_by, reviewed_at, rereview) "
    "VALUES ({p}, {p}, {p}, 1, {p}, {p}, {p}, NULL) "
    "ON CONFLICT (kind, article_id, ordinal) DO NOTHING RETURNING version"
)
UPDATE_STATE = (
    "UPDATE review_state SET version = version + 1, status = {p}, reviewed_by = {p}, "
    "reviewed_at = {p}, rereview = NULL "
    "WHERE kind = {p} AND article_id = {p} AND ordinal = {p} AND version = {p} RETURNING version"
)
INSERT_REVIEW = (
    "INSERT INTO reviews (kind, article_id, ordinal, version, field, old_value, new_value, "
    "account, reviewed_at, note, undoes, evidence_start, evidence_end) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)
REVIEW_COLUMNS = (
    "ordinal",
    "version",
    "field",
    "old_value",
    "new_value",
    "account",
    "reviewed_at",
    "note",
    "undoes",
    "evidence_start",
    "evidence_end",
)
_REVIEW = ", ".join(REVIEW_COLUMNS)
HISTORY = (
    f"SELECT {_REVIEW} FROM reviews WHERE kind = {{p}} AND article_id = {{p}} AND ordinal = {{p}} "
    "ORDER BY version, id"
)
REVIEWS_OF_ARTICLES = (
    f"SELECT article_id, {_REVIEW} FROM reviews WHERE kind = {{p}} AND article_id IN ({{in}}) "
    "ORDER BY article_id, ordinal, version, id"
)
STATES_OF_ARTICLES = (
    f"SELECT article_id, ordinal, {_STATE} FROM review_state "
    "WHERE kind = {p} AND article_id IN ({in})"
)
ANY_STATE = "SELECT 1 FROM review_state LIMIT 1"
NEXT_ADDED = (
    "SELECT COALESCE(MAX(ordinal) + 1, {p}) FROM {table} WHERE article_id = {p} AND ordinal >= {p}"
)
STATUS_COUNTS = "SELECT kind, status, COUNT(*) FROM review_state GROUP BY kind, status"
REREVIEW = (
    "SELECT kind, article_id, ordinal, rereview FROM review_state WHERE rereview IS NOT NULL "
    "ORDER BY article_id, kind, ordinal"
)
STATES_OF = (
    f"SELECT kind, article_id, ordinal, {_STATE} FROM review_state WHERE status IN ({{in}}) "
    "ORDER BY article_id, kind, ordinal"
)


def _in(template: str, n: int) -> str:
    return template.replace("{in}", ", ".join(["{p}"] * max(n, 1)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


# ---------------------------------------------------------------------------------------------
# Reviews


@dataclass(frozen=True)
class State:
    version: int
    status: str
    reviewed_by: str
    reviewed_at: str
    rereview: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_status": self.status,
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at,
            "review_version": self.version,
            "rereview": self.rereview,
        }


UNREVIEWED = {
    "review_status": "unreviewed",
    "reviewed_by": None,
    "reviewed_at": None,
    "review_version": 0,
    "rereview": None,
}


def _state(row: Sequence[Any]) -> State:
    return State(int(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4])


class ReviewConflict(ReviewError):
    """Another save of the record came first: `current` is its state now (None: unreviewed)."""

    def __init__(self, message: str, current: State | None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Save:
    """One save of a record's review: what the reviewer saw and what they set."""

    kind: str
    article_id: str
    ordinal: int
    base_version: int  # the version the reviewer started from (0: never reviewed)
    status: str  # accepted, corrected, rejected, added (or back to unreviewed by undo)
    changes: Mapping[str, tuple[Any, Any]]  # field -> (old, new)
    account: str
    note: str | None = None
    undoes: int | None = None  # the version this save undoes
    evidence: tuple[int, int] | None = None  # the span the record had when reviewed


def state(ledger: Ledger, kind: str, article_id: str, ordinal: int) -> State | None:
    rows = ledger.query(STATE, [kind, article_id, ordinal])
    return _state(rows[0]) if rows else None


def _check(save: Save) -> None:
    if save.kind not in KINDS:
        raise ReviewError(f"kind {save.kind!r}: choose one of {', '.join(KINDS)}")
    if save.status not in STATUSES:
        raise ReviewError(f"status {save.status!r}: choose one of {', '.join(STATUSES)}")
    wrong = sorted(set(save.changes) - set(EDITABLE[save.kind]))
    if wrong:
        raise ReviewError(
            f"{save.kind} have no editable field {', '.join(wrong)}; "
            f"they have {', '.join(EDITABLE[save.kind])}"
        )


def write_save(run: Run, save: Save) -> int:
    """Append one save within an open transaction; its version, or ReviewConflict."""
    now = _now()
    key = [save.kind, save.article_id, save.ordinal]
    if save.base_version == 0:
        got = run(INSERT_STATE, [*key, save.status, save.account, now])
    else:
        got = run(UPDATE_STATE, [save.status, save.account, now, *key, save.base_version])
    if not got:
        rows = run(STATE, key)
        current = _state(rows[0]) if rows else None
        raise ReviewConflict(
            f"{save.kind} {save.article_id}-{save.ordinal + 1} was saved by "
            f"{current.reviewed_by if current else 'someone'} meanwhile "
            f"(version {current.version if current else 0}, you started from version "
            f"{save.base_version}); reload it and save again",
            current,
        )
    version = int(got[0][0])
    start, end = save.evidence if save.evidence else (None, None)
    rows = [("status", None, save.status)]
    rows += [(field, old, new) for field, (old, new) in sorted(save.changes.items())]
    for field, old, new in rows:
        run(
            INSERT_REVIEW,
            [
                *key,
                version,
                field,
                None if field == "status" else dumps(old),
                save.status if field == "status" else dumps(new),
                save.account,
                now,
                save.note,
                save.undoes,
                start,
                end,
            ],
        )
    return version


def save_review(ledger: Ledger, save: Save) -> int:
    """Append one save (one transaction); its version. ReviewConflict when `base_version` is not
    the record's version any more: nothing is written and the caller shows both versions."""
    _check(save)
    with ledger.transaction(f"review of {save.kind} {save.article_id}-{save.ordinal + 1}") as run:
        return write_save(run, save)


ADDED_DEFAULTS: dict[str, dict[str, Any]] = {
    "quotes": {"speaker_kind": "unknown", "notes": ""},
    "claims": {"speaker_kind": "unknown"},
    "events": {"more_evidence": "[]"},
}
"""What an added record holds where the person adding it says nothing (the columns' defaults)."""


def add_record(
    ledger: Ledger, kind: str, article_id: str, values: Mapping[str, Any], account: str, note: str
) -> int:
    """Store a record the machine missed (status `added`); its ordinal."""
    columns = RECORD_FIELDS[kind]
    defaults = ADDED_DEFAULTS.get(kind, {})
    values = {**values, **{c: v for c, v in defaults.items() if values.get(c) is None}}
    missing = [c for c in columns if c not in values]  # review-only fields go in the log
    if missing:
        raise ReviewError(f"an added {kind[:-1]} needs {', '.join(missing)}")
    placeholders = ", ".join(["{p}"] * (len(columns) + 2))
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f"INSERT INTO {kind} (article_id, ordinal, {names}) VALUES ({placeholders})"
    with ledger.transaction(f"added {kind[:-1]} in {article_id}") as run:
        ordinal = int(
            run(NEXT_ADDED.replace("{table}", kind), [ADDED_BASE, article_id, ADDED_BASE])[0][0]
        )
        run(insert, [article_id, ordinal, *(values[c] for c in columns)])
        if kind == "quotes" and values.get("speaker") is not None:
            tallies.recount_people(run, [str(values["speaker"])])  # the people list's tally
        changes = {c: (None, values[c]) for c in EDITABLE[kind] if values.get(c) is not None}
        evidence = (int(values["evidence_start"]), int(values["evidence_end"]))
        save = Save(kind, article_id, ordinal, 0, "added", changes, account, note, None, evidence)
        _check(save)
        write_save(run, save)
    return ordinal


def history(ledger: Ledger, kind: str, article_id: str, ordinal: int) -> list[dict[str, Any]]:
    """Every save of one record, oldest first: {version, status, account, at, note, undoes,
    changes: [{field, old, new}]}."""
    saves: dict[int, dict[str, Any]] = {}
    for values in ledger.query(HISTORY, [kind, article_id, ordinal]):
        row = dict(zip(REVIEW_COLUMNS, values, strict=True))
        save = saves.setdefault(
            int(row["version"]),
            {
                "version": int(row["version"]),
                "status": None,
                "account": row["account"],
                "at": row["reviewed_at"],
                "note": row["note"],
                "undoes": row["undoes"],
                "changes": [],
            },
        )
        if row["field"] == "status":
            save["status"] = row["new_value"]
        else:
            save["changes"].append(
                {
                    "field": row["field"],
                    "old": loads(row["old_value"]),
                    "new": loads(row["new_value"]),
                }
            )
    return list(saves.values())


def undo_save(
    ledger: Ledger, kind: str, article_id: str, ordinal: int, version: int, account: str
) -> int:
    """Undo one save: a new save writing back each field's value before it and the status
    before it. Conflict when a later save changed one of its fields since."""
    saves = history(ledger, kind, article_id, ordinal)
    target = next((s for s in saves if s["version"] == version), None)
    if target is None:
        raise ReviewError(f"{kind} {article_id}-{ordinal + 1} has no review version {version}")
    later = [s for s in saves if s["version"] > version]
    touched = {c["field"] for s in later for c in s["changes"]} & {
        c["field"] for c in target["changes"]
    }
    if touched:
        raise ReviewConflict(
            f"version {version} cannot be undone alone: later saves changed "
            f"{', '.join(sorted(touched))} again; undo those first",
            state(ledger, kind, article_id, ordinal),
        )
    before = [s for s in saves if s["version"] < version]
    status = before[-1]["status"] if before else "unreviewed"
    changes = {c["field"]: (c["new"], c["old"]) for c in target["changes"]}
    if target["status"] == "added" and not before:
        # a reviewer's own record has no machine value to go back to: undoing its adding
        # withdraws it (rejected: out of the queue, the lists of reviewed records and exports)
        status, changes = "rejected", {}
    current = saves[-1]["version"] if saves else 0
    save = Save(kind, article_id, ordinal, current, status, changes, account, None, version)
    return save_review(ledger, save)


# ---------------------------------------------------------------------------------------------
# Current values


def _set_field(item: dict[str, Any], field: str, value: Any) -> None:
    if field.startswith("evidence_"):
        evidence = dict(item.get("evidence") or {})
        evidence[field.removeprefix("evidence_")] = value
        item["evidence"] = evidence
    else:
        item[field] = value


def any_reviews(ledger: Ledger) -> bool:
    return bool(ledger.query(ANY_STATE))


def unreviewed(kind: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as it is without reviews: the review-only fields None, status unreviewed."""
    return {**item, **dict.fromkeys(REVIEW_FIELDS.get(kind, ()), None), **UNREVIEWED}


def overlay(ledger: Ledger, kind: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items of one record kind (API dicts, id `<article id>-<n>`, or export rows with article_id
    and ordinal) with their reviewed values and review_status, reviewed_by, reviewed_at."""
    if not items:
        return items
    if not any_reviews(ledger):
        return [unreviewed(kind, item) for item in items]
    keys: list[tuple[str, int]] = []
    for item in items:
        if "ordinal" in item:
            keys.append((str(item["article_id"]), int(item["ordinal"])))
        else:
            article_id, _, number = str(item["id"]).rpartition("-")
            keys.append((article_id, int(number) - 1))
    articles = sorted({a for a, _ in keys})
    states = {
        (str(r[0]), int(r[1])): _state(r[2:])
        for r in ledger.query(_in(STATES_OF_ARTICLES, len(articles)), [kind, *articles])
    }
    values: dict[tuple[str, int], dict[str, Any]] = {}
    if states:
        for row in ledger.query(_in(REVIEWS_OF_ARTICLES, len(articles)), [kind, *articles]):
            article_id, ordinal, _, field, _, new = (
                row[0],
                int(row[1]),
                row[2],
                row[3],
                row[4],
                row[5],
            )
            if field != "status":
                values.setdefault((str(article_id), ordinal), {})[str(field)] = loads(new)
    out = []
    for item, key in zip(items, keys, strict=True):
        current = dict(item)
        current.update(dict.fromkeys(REVIEW_FIELDS.get(kind, ()), None))
        for field, value in values.get(key, {}).items():
            _set_field(current, field, value)
        found = states.get(key)
        current.update(found.to_dict() if found else UNREVIEWED)
        out.append(current)
    return out


def reviewed_values(
    ledger: Ledger, kind: str, article_id: str
) -> dict[int, tuple[str, dict[str, Any]]]:
    """ordinal -> (status, field -> reviewed value) for one article's reviewed records of a kind
    (tracking reads its records through this; empty when the ledger has no reviews)."""
    if not any_reviews(ledger):
        return {}
    states = {
        int(r[1]): _state(r[2:]).status
        for r in ledger.query(_in(STATES_OF_ARTICLES, 1), [kind, article_id])
    }
    values: dict[int, dict[str, Any]] = {}
    for row in ledger.query(_in(REVIEWS_OF_ARTICLES, 1), [kind, article_id]):
        if row[3] != "status":
            values.setdefault(int(row[1]), {})[str(row[3])] = loads(row[5])
    return {ordinal: (status, values.get(ordinal, {})) for ordinal, status in states.items()}


def status_counts(ledger: Ledger) -> dict[str, dict[str, int]]:
    """kind -> status -> records with that status (unreviewed ones are not counted here)."""
    out: dict[str, dict[str, int]] = {}
    for kind, status, n in ledger.query(STATUS_COUNTS):
        out.setdefault(str(kind), {})[str(status)] = int(n)
    return out


def reviewed_keys(ledger: Ledger, statuses: Iterable[str]) -> set[tuple[str, str, int]]:
    """(kind, article id, ordinal) of every record whose status is one of `statuses`."""
    wanted = list(statuses)
    rows = ledger.query(_in(STATES_OF, len(wanted)), wanted)
    return {(str(r[0]), str(r[1]), int(r[2])) for r in rows}


def rereview_list(ledger: Ledger) -> list[dict[str, Any]]:
    """Reviews that did not fit their record after re-extraction, with why; `gone`: no record
    has their span any more (their history stays readable at their own id)."""
    return [
        {"kind": k, "id": f"{a}-{o + 1}", "why": why, "gone": int(o) >= ORPHAN_BASE}
        for k, a, o, why in ledger.query(REREVIEW)
    ]


def dismiss(ledger: Ledger, kind: str, article_id: str, ordinal: int, account: str) -> int:
    """Take a review off the re-review list, as a save that keeps its status (recorded)."""
    current = state(ledger, kind, article_id, ordinal)
    if current is None or current.rereview is None:
        raise ReviewError(f"{kind} {article_id}-{ordinal + 1} is not listed for re-review")
    note = f"seen after re-extraction: {current.rereview}"
    save = Save(kind, article_id, ordinal, current.version, current.status, {}, account, note)
    return save_review(ledger, save)
