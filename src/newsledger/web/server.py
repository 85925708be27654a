"""`newsledger serve`: the web app on uvicorn."""

from __future__ import annotations

import os

import click
import uvicorn

from newsledger.review.commands import FIRST_ACCOUNT
from newsledger.store import open_ledger
from newsledger.store.accounts import list_accounts
from newsledger.web.app import create_app

TOKEN_ENV = "NEWSLEDGER_TOKEN"
"""The environment variable the operator sets to allow POST /api/articles (ingest)."""


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
) -> None:
    """Serve the ledger `db` at http://host:port/ until interrupted.

    `token` (default: $NEWSLEDGER_TOKEN) is an admin token (ingest, review) besides the
    accounts' own; `private`: reading needs a login too.
    """
    secret = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = create_app(db, token=secret, private=private)
    shown = f"[{host}]" if ":" in host else host
    mode = "private" if private else "reading open"
    mode += ", $NEWSLEDGER_TOKEN is an admin token" if secret else ""
    click.echo(f"newsledger: serving {db} at http://{shown}:{port}/ ({mode}; Ctrl+C stops)")
    with open_ledger(db) as ledger:
        if not list_accounts(ledger):
            click.echo(f"no accounts yet: create the first with `{FIRST_ACCOUNT} --db {db}`")
    uvicorn.run(app, host=host, port=port, log_level="warning")
