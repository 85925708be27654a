"""The briefing of a period: `report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsledger.cli.common import DB_OPTION, opened_ledger
from newsledger.report.choices import COMPARE
from newsledger.report.choices import FORMATS as REPORT_FORMATS


@click.command("report")
@click.option("--from", "date_from", default=None, help="First day (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--to", "date_to", default=None, help="Last day (default: the newest event's).")
@click.option("--country", default=None, help="Only events in this country (exactly).")
@click.option("--admin1", default=None, help="Only events in this province (exactly).")
@click.option("--actor", default=None, help="Only events with an actor whose name holds this.")
@click.option(
    "--compare",
    type=click.Choice(COMPARE),
    default="previous",
    show_default=True,
    help="Compare with the period of the same length before.",
)
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (default: standard output).",
)
@DB_OPTION
def report_cmd(
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    admin1: str | None,
    actor: str | None,
    compare: str,
    fmt: str,
    output: Path | None,
    db: str,
) -> None:
    """A briefing of a period: figures against the period before, charts, a map, key
    statements, changes, deadlines, every figure footnoted to its articles."""
    from newsledger.report import build as report_build
    from newsledger.report.period import Request
    from newsledger.store.queries import QueryError

    try:
        request = Request(date_from, date_to, country, admin1, actor, compare)
    except QueryError as exc:
        raise click.BadParameter(str(exc)) from exc
    with opened_ledger(db) as ledger:
        try:
            body = report_build.write(ledger, request, fmt)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from exc
    if output is None:
        if fmt == "pdf" and sys.stdout.isatty():
            raise click.UsageError("a PDF is not for the terminal: give --output FILE")
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as exc:
        raise click.ClickException(
            f"{output}: cannot write the briefing: {exc.strerror or exc}"
        ) from exc
    click.echo(f"wrote the briefing to {output} ({len(body):,} bytes)", err=True)
