"""store: the ledger of articles and records, in SQLite or PostgreSQL.

`ledger` opens a ledger and writes and reads it (`Ledger`: one `query` and one `transaction` API
for every statement template); `sql/` holds every statement, by who reads it; `schema` the
numbered migrations; `rows` turns records and changes into rows and back; `queries` the web app's
and API's lists; `export` and `backup` write files.
"""

from newsledger.store.ledger import (
    KINDS,
    GazetteerUse,
    Ledger,
    LedgerStats,
    StoreResult,
    open_ledger,
    text_hash,
)

__all__ = [
    "KINDS",
    "GazetteerUse",
    "Ledger",
    "LedgerStats",
    "StoreResult",
    "open_ledger",
    "text_hash",
]
