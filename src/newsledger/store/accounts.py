"""Accounts, sessions and the audit log in the ledger (issue 14): their schema and statements.

Only hashes are stored (`newsledger.review.accounts` makes them): an account's scrypt password
hash and the SHA-256 of its API token; a session's SHA-256 id and its CSRF token. The audit log
records every login, account change and ingest over HTTP (reviews are their own log).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsledger.records import ACCOUNT_ROLES
from newsledger.store.reviews import Ledger, ReviewError

ROLES = ACCOUNT_ROLES
WRITERS = ("reviewer", "admin")

ACCOUNTS_DDL = (
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
"""Migration 11's accounts, sessions and audit log (with store.reviews.REVIEWS_DDL)."""

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

INSERT_AUDIT = "INSERT INTO audit_log (at, account, action, detail) VALUES ({p}, {p}, {p}, {p})"
AUDIT = "SELECT at, account, action, detail FROM audit_log ORDER BY id DESC LIMIT {p}"
COMMAND_LINE = "(command line)"
"""The account named in the log for changes made with `newsledger user ...`."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
