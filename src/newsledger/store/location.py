"""Where a ledger is: a file path, a sqlite:/// URL, ":memory:" or a postgresql:// URL; the
checks made before opening one, and a URL as it may be named in messages (no password)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsledger.errors import LedgerError


def redact(url: str) -> str:
    """The URL without its password, to name it in an error."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "password" for key, _ in query):
        hidden = [(key, "***" if key == "password" else value) for key, value in query]
        parts = parts._replace(query=urlencode(hidden, safe="*"))
    if parts.password is not None:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        parts = parts._replace(netloc=netloc)
    return parts.geturl()


def sqlite_target(url: str) -> str:
    """The file to open (or ":memory:") for a path or URL; LedgerError for other databases.

    URLs follow SQLAlchemy: sqlite:///relative/path, sqlite:////absolute/path, sqlite:// (memory).
    """
    if url == ":memory:":
        return url
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.replace("+", "").isalpha() or len(scheme) < 2:
        return url  # a path (a one-letter "scheme" is a Windows drive)
    scheme = scheme.lower()
    if scheme != "sqlite":
        raise LedgerError(
            f"{redact(url)}: unknown ledger URL scheme {scheme!r}; "
            "give a file path, sqlite:///path, :memory: or postgresql://user@host/database"
        )
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    if not rest.startswith("/"):
        raise LedgerError(
            f"{url}: a SQLite URL has three slashes before the path "
            "(sqlite:///relative/path, sqlite:////absolute/path)"
        )
    return rest[1:]


def check_path(path: Path) -> None:
    if path.is_dir():
        raise LedgerError(f"{path}: is a directory; give the path of a ledger file")
    folder = path.parent
    if not folder.is_dir():
        raise LedgerError(f"{path}: the folder {folder} does not exist; create it first")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise LedgerError(f"{path}: the ledger file is not readable and writable")
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise LedgerError(f"{path}: cannot create the ledger, the folder {folder} is not writable")


def is_postgres_url(url: str) -> bool:
    scheme, sep, _ = url.partition("://")
    return bool(sep) and scheme.lower().split("+")[0] in ("postgresql", "postgres")
