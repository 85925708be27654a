"""Accounts, sessions and reviews in the ledger (issue 14): their schema and every statement.

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
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from newsledger.store import sql

ROLES = ("viewer", "reviewer", "admin")
WRITERS = ("reviewer", "admin")
STATUSES = ("unreviewed", "accepted", "corrected", "rejected", "added")
REVIEWED = ("accepted", "corrected", "added")
"""What a desk publishes: `export --reviewed-only` and `?status=reviewed`."""
KINDS = ("events", "quotes", "claims", "deadlines")
ADDED_BASE = 100_000
"""Records added by reviewers get ordinals from here (the machine's stay below)."""

REVIEW_FIELDS: Mapping[str, tuple[str, ...]] = {"events": ("same_as",)}
"""Fields only reviews have (no machine column): an event's `same_as` is the id of the event it
reports again (a merge; empty again: a split). Unreviewed records have them as None."""
EDITABLE: Mapping[str, tuple[str, ...]] = {
    kind: tuple(f for f in sql.RECORD_FIELDS[kind] if f != "confidence")
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


# ---------------------------------------------------------------------------------------------
# Schema (migration 11)

REVIEWS_DDL = (
    """CREATE TABLE accounts (
    id {id},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL
)""",
    """CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
)""",
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
    # every other write and every login: who, when, what (reviews are their own log)
    """CREATE TABLE audit_log (
    id {id},
    at TEXT NOT NULL,
    account TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
)""",
    "CREATE INDEX audit_log_at ON audit_log (at)",
)

# ---------------------------------------------------------------------------------------------
# Statements

ACCOUNT_COLUMNS = ("id", "name", "role", "disabled", "created_at")
_ACCOUNT = "id, name, role, disabled, created_at"
INSERT_ACCOUNT = (
    "INSERT INTO accounts (name, role, password_hash, token_hash, disabled, created_at) "
    "VALUES ({p}, {p}, {p}, {p}, 0, {p})"
)
ACCOUNT_BY_NAME = f"SELECT {_ACCOUNT}, password_hash FROM accounts WHERE name = {{p}}"
ACCOUNT_BY_TOKEN = f"SELECT {_ACCOUNT} FROM accounts WHERE token_hash = {{p}} AND disabled = 0"
LIST_ACCOUNTS = f"SELECT {_ACCOUNT} FROM accounts ORDER BY name"
SET_DISABLED = "UPDATE accounts SET disabled = {p} WHERE name = {p} RETURNING id"
SET_TOKEN = "UPDATE accounts SET token_hash = {p} WHERE name = {p} RETURNING id"
SET_PASSWORD = "UPDATE accounts SET password_hash = {p} WHERE name = {p} RETURNING id"
DELETE_SESSIONS_OF = "DELETE FROM sessions WHERE account_id = {p}"
INSERT_SESSION = (
    "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) "
    "VALUES ({p}, {p}, {p}, {p}, {p})"
)
SESSION = (
    "SELECT a.id, a.name, a.role, a.disabled, a.created_at, s.csrf FROM sessions AS s "
    "JOIN accounts AS a ON a.id = s.account_id "
    "WHERE s.token_hash = {p} AND s.expires_at > {p} AND a.disabled = 0"
)
DELETE_SESSION = "DELETE FROM sessions WHERE token_hash = {p}"
DELETE_EXPIRED_SESSIONS = "DELETE FROM sessions WHERE expires_at <= {p}"

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


INSERT_AUDIT = "INSERT INTO audit_log (at, account, action, detail) VALUES ({p}, {p}, {p}, {p})"
AUDIT = "SELECT at, account, action, detail FROM audit_log ORDER BY id DESC LIMIT {p}"
COMMAND_LINE = "(command line)"
"""The account named in the log for changes made with `newsledger user ...`."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


# ---------------------------------------------------------------------------------------------
# Accounts and sessions (hashes only: newsledger.review.accounts makes them)


class ReviewError(ValueError):
    """A review or account request the ledger cannot take; the message says what to give."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    disabled: bool
    created_at: str

    @property
    def can_write(self) -> bool:
        return self.role in WRITERS and not self.disabled

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "disabled": self.disabled,
            "created_at": self.created_at,
        }


def _account(row: Sequence[Any]) -> Account:
    return Account(int(row[0]), str(row[1]), str(row[2]), bool(row[3]), str(row[4]))


def audit(ledger: Ledger, account: str, action: str, detail: str) -> None:
    """Append one line to the audit log (its own transaction)."""
    with ledger.transaction("audit log") as run:
        run(INSERT_AUDIT, [_now(), account, action, detail])


def audit_log(ledger: Ledger, limit: int = 100) -> list[dict[str, str]]:
    """The newest lines of the audit log first."""
    return [
        {"at": str(at), "account": str(who), "action": str(action), "detail": str(detail)}
        for at, who, action, detail in ledger.query(AUDIT, [limit])
    ]


def add_account(ledger: Ledger, name: str, role: str, password_hash: str, token_hash: str) -> None:
    if role not in ROLES:
        raise ReviewError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    if not name.strip() or name != name.strip():
        raise ReviewError(f"account name {name!r}: give a name without leading or trailing spaces")
    if ledger.query(ACCOUNT_BY_NAME, [name]):
        raise ReviewError(f"an account named {name!r} already exists in {ledger.name}")
    with ledger.transaction(f"account {name}") as run:
        run(INSERT_ACCOUNT, [name, role, password_hash, token_hash, _now()])
        run(INSERT_AUDIT, [_now(), COMMAND_LINE, "user add", f"{name} as {role}"])


def account_with_password(ledger: Ledger, name: str) -> tuple[Account, str] | None:
    rows = ledger.query(ACCOUNT_BY_NAME, [name])
    return (_account(rows[0]), str(rows[0][5])) if rows else None


def account_by_token(ledger: Ledger, token_hash: str) -> Account | None:
    rows = ledger.query(ACCOUNT_BY_TOKEN, [token_hash])
    return _account(rows[0]) if rows else None


def list_accounts(ledger: Ledger) -> list[Account]:
    return [_account(r) for r in ledger.query(LIST_ACCOUNTS)]


def _update_account(ledger: Ledger, template: str, value: Any, name: str, action: str) -> None:
    with ledger.transaction(f"account {name}") as run:
        found = run(template, [value, name])
        if not found:
            raise ReviewError(f"no account named {name!r} in {ledger.name}")
        run(DELETE_SESSIONS_OF, [found[0][0]])  # every change of credentials ends its sessions
        run(INSERT_AUDIT, [_now(), COMMAND_LINE, action, name])


def set_disabled(ledger: Ledger, name: str, disabled: bool = True) -> None:
    """Disable (or enable) an account: its password, token and sessions stop working at once."""
    _update_account(
        ledger, SET_DISABLED, int(disabled), name, "user disable" if disabled else "user enable"
    )


def set_token_hash(ledger: Ledger, name: str, token_hash: str) -> None:
    _update_account(ledger, SET_TOKEN, token_hash, name, "new token")


def set_password_hash(ledger: Ledger, name: str, password_hash: str) -> None:
    _update_account(ledger, SET_PASSWORD, password_hash, name, "new password")


def add_session(
    ledger: Ledger, token_hash: str, account: Account, csrf: str, lifetime: timedelta
) -> None:
    now = datetime.now(UTC)
    with ledger.transaction("session") as run:
        run(DELETE_EXPIRED_SESSIONS, [now.isoformat(timespec="seconds")])
        run(
            INSERT_SESSION,
            [
                token_hash,
                account.id,
                csrf,
                now.isoformat(timespec="seconds"),
                (now + lifetime).isoformat(timespec="seconds"),
            ],
        )


def session(ledger: Ledger, token_hash: str) -> tuple[Account, str] | None:
    """The account of a live session and its CSRF token; None when expired, ended or disabled."""
    rows = ledger.query(SESSION, [token_hash, _now()])
    return (_account(rows[0]), str(rows[0][5])) if rows else None


def end_session(ledger: Ledger, token_hash: str) -> None:
    with ledger.transaction("logout") as run:
        run(DELETE_SESSION, [token_hash])


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


def add_record(
    ledger: Ledger, kind: str, article_id: str, values: Mapping[str, Any], account: str, note: str
) -> int:
    """Store a record the machine missed (status `added`); its ordinal."""
    columns = sql.RECORD_FIELDS[kind]
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
    """Reviews that did not fit their record after re-extraction, with why."""
    return [
        {"kind": k, "id": f"{a}-{o + 1}", "why": why} for k, a, o, why in ledger.query(REREVIEW)
    ]


# ---------------------------------------------------------------------------------------------
# The review queue: records not reviewed yet (or to review again after re-extraction)


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is filtered by (None: not filtered); events take all, the others source
    and dates (of publication)."""

    event_type: str | None = None  # an event type or sub-event type
    place: str | None = None  # part of the location, admin1 or admin2
    country: str | None = None  # exactly
    source: str | None = None  # the article's source, exactly
    date_from: str | None = None  # YYYY-MM-DD: event date (events), publication date (others)
    date_to: str | None = None
    max_confidence: float | None = None  # events at or below this confidence


QUEUE_ORDERS = ("confidence", "date")
_DATES = {
    "events": "r.event_date",
    "quotes": "substr(a.published, 1, 10)",
    "claims": "substr(a.published, 1, 10)",
    "deadlines": "substr(a.published, 1, 10)",
}
QUEUE_FROM = (
    "FROM {table} AS r JOIN articles AS a ON a.id = r.article_id "
    "LEFT JOIN review_state AS s ON s.kind = '{table}' AND s.article_id = r.article_id "
    "AND s.ordinal = r.ordinal WHERE (s.status IS NULL OR s.rereview IS NOT NULL)"
)


def _like(value: str) -> str:
    escaped = value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _queue_where(kind: str, flt: QueueFilters) -> tuple[str, list[Any]]:
    if kind not in KINDS:
        raise ReviewError(f"kind {kind!r}: choose one of {', '.join(KINDS)}")
    events_only = {
        "type": flt.event_type,
        "place": flt.place,
        "country": flt.country,
        "confidence": flt.max_confidence,
    }
    given = [name for name, value in events_only.items() if value not in (None, "")]
    if kind != "events" and given:
        raise ReviewError(f"{kind} cannot be filtered by {', '.join(given)} (events only)")
    parts = [QUEUE_FROM.replace("{table}", kind)]
    params: list[Any] = []
    if flt.event_type:
        parts.append("AND (r.event_type = {p} OR r.sub_event_type = {p})")
        params += [flt.event_type, flt.event_type]
    if flt.place:
        parts.append(
            "AND (r.location {like} {p} ESCAPE '\\' OR r.admin1 {like} {p} ESCAPE '\\' "
            "OR r.admin2 {like} {p} ESCAPE '\\')"
        )
        params += [_like(flt.place)] * 3
    if flt.country:
        parts.append("AND r.country = {p}")
        params.append(flt.country)
    if flt.max_confidence is not None:
        parts.append("AND r.confidence <= {p}")
        params.append(flt.max_confidence)
    if flt.source:
        parts.append("AND a.source = {p}")
        params.append(flt.source)
    if flt.date_from:
        parts.append(f"AND {_DATES[kind]} >= {{p}}")
        params.append(flt.date_from)
    if flt.date_to:
        parts.append(f"AND {_DATES[kind]} <= {{p}}")
        params.append(flt.date_to)
    return " ".join(parts), params


def queue(
    ledger: Ledger,
    kind: str,
    flt: QueueFilters = QueueFilters(),
    order: str = "confidence",
    offset: int = 0,
    limit: int = 1,
) -> tuple[list[tuple[str, int]], int]:
    """(article id, ordinal) of `limit` records of the queue from `offset`, and how many are
    left in it. `order`: confidence (events: lowest first; the others by date) or date (newest
    first)."""
    if order not in QUEUE_ORDERS:
        raise ReviewError(f"order {order!r}: choose {' or '.join(QUEUE_ORDERS)}")
    where, params = _queue_where(kind, flt)
    by_date = f"{_DATES[kind]} DESC, a.seq DESC, r.ordinal"
    sort = f"r.confidence, {by_date}" if order == "confidence" and kind == "events" else by_date
    rows = ledger.query(
        f"SELECT r.article_id, r.ordinal {where} ORDER BY {sort} LIMIT {{p}} OFFSET {{p}}",
        [*params, limit, offset],
    )
    (total,) = ledger.query(f"SELECT COUNT(*) {where}", params)[0]
    return [(str(a), int(o)) for a, o in rows], int(total)


ACTOR_NAMES = (
    "SELECT name FROM event_names WHERE field IN ('actor1', 'assoc_actor_1', 'actor2', "
    "'assoc_actor_2') AND name {like} {p} ESCAPE '\\' GROUP BY name "
    "ORDER BY SUM(events) DESC, name LIMIT {p}"
)
PEOPLE_OF_ARTICLE = (
    "SELECT name FROM entities WHERE article_id = {p} AND kind = 'person' ORDER BY ordinal"
)


def actor_names(ledger: Ledger, part: str, limit: int = 20) -> list[str]:
    """Actors already in the ledger whose name holds `part`, most used first."""
    return [str(r[0]) for r in ledger.query(ACTOR_NAMES, [_like(part), limit])]


def people_of_article(ledger: Ledger, article_id: str) -> list[str]:
    return list(dict.fromkeys(str(r[0]) for r in ledger.query(PEOPLE_OF_ARTICLE, [article_id])))
