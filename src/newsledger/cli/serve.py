"""Long-running: `serve` (the web app and API) and `watch` (sources followed into the ledger,
alerts delivered)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsledger.cli.common import CLEAR_LINE, DB_OPTION, cores, opened_ledger, stderr
from newsledger.errors import NewsledgerError


@click.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--private", is_flag=True, help="Reading needs a login too (any account, viewers included)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Server processes (default: the machine's cores).",
)
def serve_cmd(db: str, host: str, port: int, private: bool, workers: int | None) -> None:
    """Serve the ledger's map, timeline, quotes, deadlines, review queue and JSON API.

    Reading is open (unless --private); reviewing and every other write needs a reviewer or admin
    account (`newsledger user add`). $NEWSLEDGER_TOKEN still works as an admin token.
    """
    from newsledger.web.server import serve  # the web stack loads only for this command

    try:
        serve(db, host=host, port=port, private=private, workers=workers or cores())
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("watch")
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--once", is_flag=True, help="Poll every due source once, deliver, and exit (cron).")
def watch_cmd(config: Path, db: str, once: bool) -> None:
    """Follow the feeds, sitemaps and folders in CONFIG (TOML) into the ledger, and deliver
    alerts on the records that match its rules.

    Runs in the foreground with a status line (rewritten in place on a terminal, else one line
    per cycle that did something); with --once, exits after one cycle, with status 1 when a
    source or a delivery failed.
    """
    import time
    from functools import partial

    from newsledger.pipeline.core import extract_articles, load_resources
    from newsledger.track import load_tracker
    from newsledger.watch.config import load_config
    from newsledger.watch.fetch import Fetcher
    from newsledger.watch.run import Watcher

    try:
        settings = load_config(config)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    extractor = partial(extract_articles, res=load_resources())

    terminal = stderr().is_terminal
    start = CLEAR_LINE if terminal else ""  # printed over the last status line

    def echo(alert: str) -> None:
        click.echo(f"{start}{alert}")

    with opened_ledger(db) as ledger, Fetcher(settings.http) as fetcher:
        watcher = Watcher(settings, ledger, extractor, load_tracker(), fetcher, echo=echo)
        while True:
            try:
                report = watcher.cycle()
            except NewsledgerError as exc:
                raise click.ClickException(str(exc)) from exc
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
            for error in report.errors:
                click.echo(f"{start}{stamp} {error}", err=True)
            status = f"{stamp} watch: {report.line()}"
            if terminal and not once:  # one status line, rewritten in place
                click.echo(f"{CLEAR_LINE}{status}", nl=False, err=True)
            elif once or report.polled or report.sent or report.failed:
                click.echo(status, err=True)
            if once:
                if report.errors:
                    sys.exit(1)
                return
            time.sleep(min(max(1.0, watcher.next_due() - time.time()), 60.0))
