"""store: the ledger of articles and records in SQLite (PostgreSQL to come as a second dialect)."""

from newsledger.store.ledger import (
    KINDS,
    Ledger,
    LedgerStats,
    StoreResult,
    open_ledger,
    text_hash,
)

__all__ = ["KINDS", "Ledger", "LedgerStats", "StoreResult", "open_ledger", "text_hash"]
