"""Tracking alone, timed: a copy of an ingested ledger with its tracking emptied, tracked again
article by article in the order they were stored (docs/speed.md).

    python scripts/retrack.py LEDGER.db [--copy /tmp/retrack.db]

Prints the changes flagged, the CPU seconds of the tracking loop and a fingerprint of each
tracking table (its rows sorted, timestamps left out), so that two versions of the code can be
compared for time and for what they write. SQLite ledgers only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import time

TRACK_TABLES = (
    "changes",
    "track_entities",
    "track_aliases",
    "track_titles",
    "track_event_clusters",
    "track_event_members",
    "track_keys",
    "track_statements",
    "track_log",
)


def fingerprint(db: sqlite3.Connection, table: str) -> tuple[int, str]:
    """Rows and a hash of them sorted, without row ids and timestamps (`*_at`)."""
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    keep = [i for i, c in enumerate(columns) if not c.endswith("_at") and c != "id"]
    rows = sorted(
        json.dumps([row[i] for i in keep], default=str)
        for row in db.execute(f"SELECT * FROM {table}")
    )
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger")
    parser.add_argument("--copy", default="/tmp/retrack.db")
    args = parser.parse_args()
    shutil.copy(args.ledger, args.copy)
    db = sqlite3.connect(args.copy)
    for table in (*TRACK_TABLES, "track_done"):
        db.execute(f"DELETE FROM {table}")
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY rowid")]
    db.commit()
    db.close()

    from newsledger.store import open_ledger
    from newsledger.track import load_tracker, tracking

    with open_ledger(args.copy) as ledger:
        track = tracking(ledger, load_tracker())
        started = time.process_time()
        changes = sum(track(article_id) for article_id in ids)
        seconds = time.process_time() - started
    print(f"{len(ids)} articles tracked: {changes} changes, {seconds:.2f} s CPU")
    db = sqlite3.connect(args.copy)
    for table in TRACK_TABLES:
        rows, digest = fingerprint(db, table)
        print(f"  {table}: {rows} rows, {digest}")


if __name__ == "__main__":
    main()
