"""What the ledger holds: `stats`, `export`, `changes` and `person` (tracking across reports),
and `backup`."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click

from newsledger.cli.common import DB_OPTION, opened_ledger
from newsledger.errors import NewsledgerError
from newsledger.records import RECORD_KINDS

EXPORT_KINDS = ("articles", *RECORD_KINDS, "changes")


@click.command("export")
@click.argument("kind", type=click.Choice((*EXPORT_KINDS, "reviews")))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "geojson", "gold"]),
    default="jsonl",
    show_default=True,
    help="gold: `export reviews` as a gold file `newsledger eval` reads (ACLED's CSV columns).",
)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
@DB_OPTION
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Only records a reviewer accepted, corrected or added (what a desk publishes).",
)
def export_cmd(kind: str, fmt: str, output: TextIO, db: str, reviewed_only: bool) -> None:
    """Write every stored record of KIND (events as ACLED's columns in CSV), with reviewed
    values and review_status, reviewed_by, reviewed_at."""
    if (kind == "reviews") != (fmt == "gold"):
        raise click.UsageError("reviews are exported as --format gold, and only they are")
    from newsledger.review.quality import write_gold
    from newsledger.store.export import export as export_rows

    with opened_ledger(db) as ledger:
        try:
            if kind == "reviews":
                count = write_gold(ledger, output)
            else:
                count = export_rows(ledger, kind, fmt, output, reviewed_only=reviewed_only)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if output is not sys.stdout:
        click.echo(f"wrote {count} {kind}", err=True)


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


@click.command("stats")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats_cmd(db: str, fmt: str) -> None:
    """Summarise the ledger: records of each kind, sources, dates covered, and the gazetteer
    data its articles were extracted with against the data configured now."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.geo import gazetteer_sources

    with opened_ledger(db) as ledger:
        stats = ledger.stats()
    configured = gazetteer_sources()
    other = stats.other_gazetteer(configured)
    if fmt == "json":
        click.echo(
            json.dumps({**stats.to_dict(configured), "gazetteer": list(configured)}, indent=2)
        )
        return
    table = Table(title=f"newsledger: {db}")
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in stats.counts.items():
        table.add_row(name, str(count))
    for source, count in stats.sources.items():
        table.add_row(f"  from {source}", str(count))
    table.add_row("published", f"{stats.first_published or '-'} .. {stats.last_published or '-'}")
    for line in configured:
        table.add_row("gazetteer", line)
    for use in stats.gazetteers:
        state = {
            True: "the gazetteer configured now",
            False: f"other data, since {use.first_used}:",
            None: "unknown (stored before newsledger recorded it)",
        }[use.is_configured(configured)]
        table.add_row(f"  built with, {_articles(use.articles)}", state)
        if use.is_configured(configured) is False:
            for line in use.sources or ():
                table.add_row("", line)
    Console(width=100).print(table)
    if other:
        click.echo(
            f"{_articles(other)} {'was' if other == 1 else 'were'} extracted with other gazetteer "
            "data than is configured now: "
            f"`newsledger ingest --reextract --db {db} PATHS` extracts them again"
        )


@click.command("changes")
@DB_OPTION
@click.option("--since", default=None, help="Only changes whose later report is on or after DATE.")
@click.option("--person", default=None, help="Only changes about this person (any spelling).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def changes_cmd(db: str, since: str | None, person: str | None, fmt: str) -> None:
    """List the changes flagged between reports, each with both pieces of evidence."""
    from rich.console import Console

    from newsledger.track.views import list_changes

    with opened_ledger(db) as ledger:
        items = list_changes(ledger, since=since, person=person)
    if fmt == "json":
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    console = Console(width=120)
    for item in items:
        style = "dim" if item["kind"] == "reaffirmed" else "bold"
        who = item["speaker"] or item["topic"] or ""
        console.print(f"[{style}]{item['kind']}[/{style}]: {who}", highlight=False)
        console.print(f"  why: {item['why']}", markup=False, highlight=False)
        for side in ("earlier", "later"):
            ref = item[side]
            evidence = " ".join(str((ref["record"].get("evidence") or {}).get("text", "")).split())
            console.print(
                f"  {side}: {str(ref['published'] or '')[:10]} {ref['source'] or ''} "
                f"[{ref['article']}] {evidence}",
                markup=False,
                highlight=False,
            )
    click.echo(f"{len(items)} changes")


@click.command("person")
@click.argument("name")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def person_cmd(name: str, db: str, fmt: str) -> None:
    """Every statement of one person in date order, with title and source."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.track.views import person_statements

    with opened_ledger(db) as ledger:
        person = person_statements(ledger, name)
    if person is None:
        raise click.ClickException(f"no person named {name!r} in the ledger {db}")
    if fmt == "json":
        click.echo(json.dumps(person.to_dict(), indent=2, ensure_ascii=False))
        return
    console = Console(width=120)
    console.print(f"{person.name} (also: {', '.join(person.aliases)})", markup=False)
    for reason in person.reasons:
        console.print(f"  merged: {reason}", markup=False, highlight=False)
    table = Table()
    for column in ("date", "source", "title", "kind", "statement"):
        table.add_column(column)
    for s in person.statements:
        table.add_row(
            str(s["published"] or "")[:10],
            s["source"] or "",
            s["title"] or "",
            s["kind"],
            str(s["text"] or ""),
        )
    console.print(table)


@click.command("backup")
@click.argument("path")
@DB_OPTION
@click.option("--force", is_flag=True, help="Overwrite PATH when it already exists.")
def backup_cmd(path: str, db: str, force: bool) -> None:
    """Copy the ledger to PATH while others may write to it.

    SQLite: a ledger file (SQLite's online backup, integrity-checked); PostgreSQL: a pg_dump SQL
    script (restore with psql -f PATH).
    """
    from newsledger.store.backup import backup

    try:
        result = backup(db, path, force=force)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    what = "ledger file" if result.kind == "sqlite" else "pg_dump SQL script"
    click.echo(f"backed up {result.source} to {result.target} ({what}, {result.bytes:,} bytes)")
