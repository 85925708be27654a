"""What the tests share: importable modules (`from tests.helpers.X import ...`), not tests.

- `paths`: the repository's folders and the reference data (`../shared`) beside it;
- `factories`: records with sensible defaults (`event(...)`, `quote(...)`, `evidence(...)`);
- `pg`: a throwaway PostgreSQL server and the `backend` / `ledger_url(s)` / `pg_server` fixtures;
- `reliability` and `reliability_fixtures`: invented reports, ledger snapshots, a real ingest
  process; the `reports` / `resources` / `clean` session fixtures;
- `browser`: Debian's chromium under Playwright and a web app served on a free loopback port;
- `web_ledger`, `track_articles`: the hand-made ledgers of the web and tracking tests.

The fixture modules (`pg`, `reliability_fixtures`) are registered once, in tests/conftest.py.
"""
