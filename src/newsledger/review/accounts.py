"""Accounts: passwords through scrypt (memory-hard), API tokens and session ids as SHA-256.

Passwords are chosen by people and guessable, so they go through a memory-hard KDF
(`hashlib.scrypt`, n=2**14, r=8, p=1: 16 MiB and about 50 ms a try) with a random salt. Tokens
and session ids are 32 random bytes made here: nothing can be guessed, so a plain SHA-256 of them
is as strong and lets the ledger find the account by the hash (an index, no KDF per request).
The ledger keeps only hashes; `newsledger user add` prints the password and token once.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from newsledger.store import accounts as store_accounts
from newsledger.store.accounts import Account
from newsledger.store.reviews import Ledger

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
TOKEN_PREFIX = "nl_"
FIRST_ACCOUNT = "newsledger user add NAME --role admin"
"""How the operator creates the first account (`make run` and `serve` print it)."""


@dataclass(frozen=True)
class Credentials:
    """What `user add` prints once: the password for the web login, the token for scripts."""

    name: str
    role: str
    password: str
    token: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` (base64)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown password hash scheme {scheme!r}")
    got = hashlib.scrypt(
        password.encode("utf-8"),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


@functools.cache
def dummy_hash() -> str:
    """A hash to check a password against when the account does not exist (so an unknown name
    takes as long as a wrong password); made on first use, not at import (scrypt takes ~0.1 s)."""
    return hash_password("no such account", b"0" * 16)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_password() -> str:
    return secrets.token_urlsafe(15)


def add_user(ledger: Ledger, name: str, role: str) -> Credentials:
    """A new account with a random password and token (returned once, stored hashed)."""
    password, token = new_password(), new_token()
    store_accounts.add_account(ledger, name, role, hash_password(password), hash_token(token))
    return Credentials(name, role, password, token)


def new_user_token(ledger: Ledger, name: str) -> str:
    """Replace an account's token (the old one stops working); the new one, shown once."""
    token = new_token()
    store_accounts.set_token_hash(ledger, name, hash_token(token))
    return token


def new_user_password(ledger: Ledger, name: str) -> str:
    password = new_password()
    store_accounts.set_password_hash(ledger, name, hash_password(password))
    return password


def login(ledger: Ledger, name: str, password: str) -> Account | None:
    """The account when the name and password match and it is not disabled; else None."""
    found = store_accounts.account_with_password(ledger, name)
    if found is None:
        check_password(password, dummy_hash())
        return None
    account, stored = found
    if not check_password(password, stored) or account.disabled:
        return None
    return account


def by_token(ledger: Ledger, token: str) -> Account | None:
    return store_accounts.account_by_token(ledger, hash_token(token))
