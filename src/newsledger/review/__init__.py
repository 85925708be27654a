"""review: accounts, the review trail over the ledger's records, and what reviewed data gives."""
