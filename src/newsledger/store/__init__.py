"""store: the ledger of articles and records, in SQLite or PostgreSQL (one schema, two dialects)."""

from newsledger.store.ledger import (
    KINDS,
    Ledger,
    LedgerStats,
    StoreResult,
    open_ledger,
    text_hash,
)

__all__ = ["KINDS", "Ledger", "LedgerStats", "StoreResult", "open_ledger", "text_hash"]
