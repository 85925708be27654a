"""watch: follow feeds, sitemaps and folders into the ledger, and alert on what matches.

`config` reads the TOML configuration; `fetch` makes polite, bounded HTTP requests; `sources`
finds each source's new items; `rules` matches records against the alert rules; `outputs`
delivers alerts; `state` keeps everything in the ledger (migration 7); `run` is the loop.
"""
