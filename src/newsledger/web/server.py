"""`newsledger serve`: the web app on uvicorn, in one process or in `workers` processes (uvicorn's
own: each imports `app_from_env`, which opens the ledger named in the environment; the parent
only supervises them and stops them on Ctrl+C or SIGTERM)."""

from __future__ import annotations

import os

import click
import uvicorn
from fastapi import FastAPI

from newsledger.review.accounts import FIRST_ACCOUNT
from newsledger.store import open_ledger
from newsledger.store.accounts import list_accounts
from newsledger.web.app import create_app

TOKEN_ENV = "NEWSLEDGER_TOKEN"
"""The environment variable the operator sets to allow POST /api/articles (ingest)."""
DB_ENV = "NEWSLEDGER_SERVE_DB"
"""How `serve` tells its worker processes which ledger to open."""


PRIVATE_ENV = "NEWSLEDGER_SERVE_PRIVATE"
"""How `serve` tells its worker processes that reading needs a login."""

KEEP_ALIVE_S = 30
"""How long an idle connection is kept open (uvicorn's default is 5 s). A client that sends its
next request just as the server closes the connection gets no answer; under
scripts/load_test.py on a busy machine, where a client could take seconds to read an answer and
ask again, that happened to 1 or 2 requests in some runs of one server process."""


def app_from_env() -> FastAPI:
    """The app of one worker process of `serve(..., workers=N)`."""
    return create_app(
        os.environ[DB_ENV],
        token=os.environ.get(TOKEN_ENV) or None,
        private=os.environ.get(PRIVATE_ENV) == "1",
    )


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
    workers: int = 1,
) -> None:
    """Serve the ledger `db` at http://host:port/ until interrupted, in `workers` processes.

    `token` (default: $NEWSLEDGER_TOKEN) is an admin token (ingest, review) besides the
    accounts' own; `private`: reading needs a login too.
    """
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}")
    secret = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = create_app(
        db, token=secret, private=private
    )  # in the parent too: a bad ledger fails here
    shown = f"[{host}]" if ":" in host else host
    mode = "private" if private else "reading open"
    mode += ", $NEWSLEDGER_TOKEN is an admin token" if secret else ""
    processes = f", {workers} processes" if workers > 1 else ""
    click.echo(
        f"newsledger: serving {db} at http://{shown}:{port}/ ({mode}{processes}; Ctrl+C stops)"
    )
    with open_ledger(db) as ledger:
        if not list_accounts(ledger):
            click.echo(f"no accounts yet: create the first with `{FIRST_ACCOUNT} --db {db}`")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S)
        return
    os.environ[DB_ENV] = db
    os.environ[PRIVATE_ENV] = "1" if private else "0"
    if secret:
        os.environ[TOKEN_ENV] = secret
    target = f"{__name__}:app_from_env"
    uvicorn.run(
        target,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_S,
    )
