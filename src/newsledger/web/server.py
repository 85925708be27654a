"""`newsledger serve`: the web app on uvicorn."""

from __future__ import annotations

import os

import click
import uvicorn

from newsledger.web.app import create_app

TOKEN_ENV = "NEWSLEDGER_TOKEN"
"""The environment variable the operator sets to allow POST /api/articles (ingest)."""


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the ledger `db` at http://host:port/ until interrupted.

    `token` (default: $NEWSLEDGER_TOKEN) allows ingest over HTTP; without one the app is
    read-only.
    """
    secret = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = create_app(db, token=secret)
    shown = f"[{host}]" if ":" in host else host
    mode = "ingest allowed with the token" if secret else "read-only"
    click.echo(f"newsledger: serving {db} at http://{shown}:{port}/ ({mode}; Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
