"""Reading articles in: `ingest` (into the ledger, or `--reextract` of what it holds) and
`extract` (the records printed, nothing stored)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from newsledger.cli.common import DB_OPTION, opened_ledger, running, signals_end_the_run, stderr
from newsledger.errors import NewsledgerError, Rejection

if TYPE_CHECKING:
    from newsledger.pipeline.runners import Runner
    from newsledger.track import Tracker


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--no-track",
    is_flag=True,
    help="Store without tracking across reports (faster; `changes` then misses these articles).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes, each running repair, annotate and extract (one model each); 0: "
    "all in this process. Default: a few new articles in this process, more in as many "
    "workers as cores.",
)
@click.option("--dask", default=None, help="Run the pipeline on this Dask scheduler (tcp://...).")
@click.option(
    "--reextract",
    is_flag=True,
    help="Extract the PATHS already in the ledger again (a new newsledger), carrying each review "
    "to the new record; reviews that no longer fit are listed for re-review.",
)
def ingest_cmd(
    paths: tuple[str, ...],
    db: str,
    quiet: bool,
    no_track: bool,
    workers: int | None,
    dask: str | None,
    reextract: bool,
) -> None:
    """Read PATHS (files, folders, or - for stdin), extract, store and track them in the ledger.

    Exits with status 1 when any input was rejected; the others are still stored.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from newsledger.pipeline.ingest import ingest
    from newsledger.pipeline.runners import choose_runner
    from newsledger.track import load_tracker, tracking

    err = stderr()
    try:
        runner = choose_runner(workers, dask)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if reextract:
        _reextract(paths, db, runner, None if no_track else load_tracker())
        return
    with signals_end_the_run(), opened_ledger(db) as ledger, running(runner) as extractor:
        show = not quiet and err.is_terminal
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} articles"),
            TextColumn("{task.fields[rate]:.1f}/s"),
            TimeElapsedColumn(),
            console=err,
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("ingesting", total=None, rate=0.0)

            def progress(outcome: str, origin: str) -> None:
                bar.advance(task)
                elapsed = bar.tasks[0].elapsed or 0.0
                done = bar.tasks[0].completed
                bar.update(task, rate=done / elapsed if elapsed else 0.0)

            try:
                report = ingest(
                    paths,
                    ledger,
                    None,
                    progress=progress,
                    stdin=sys.stdin.buffer,
                    extractor=extractor,
                    track=None if no_track else tracking(ledger, load_tracker()),
                )
            except NewsledgerError as exc:
                raise click.ClickException(str(exc)) from exc
    for rejection in report.rejected:
        click.echo(f"rejected {rejection}", err=True)
    click.echo(
        f"stored {report.stored}, already there {report.duplicates}, "
        f"rejected {len(report.rejected)}, changes flagged {report.changes} "
        f"in {report.seconds:.1f} s"
    )
    if not report.ok:
        sys.exit(1)


def _reextract(paths: tuple[str, ...], db: str, runner: Runner, tracker: Tracker | None) -> None:
    from newsledger.review.reextract import reextract

    with opened_ledger(db) as ledger, running(runner) as extractor:
        try:
            report = reextract(paths, ledger, extractor, stdin=sys.stdin.buffer, tracker=tracker)
        except NewsledgerError as exc:
            raise click.ClickException(str(exc)) from exc
    for rejection in report.rejected:
        click.echo(f"rejected {rejection}", err=True)
    for item in report.rereview:
        click.echo(f"re-review {item['kind']} {item['id']}: {item['why']}")
    click.echo(
        f"re-extracted {report.articles} (not in the ledger: {report.not_stored}), reviews kept "
        f"{report.kept}, to review again {len(report.rereview)}, changes flagged {report.changes}"
    )
    if report.rejected:
        sys.exit(1)


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True
)
def extract_cmd(paths: tuple[str, ...], fmt: str) -> None:
    """Run the pipeline on PATHS without storing; print one JSON object per article."""
    from newsledger.pipeline.core import load_resources
    from newsledger.pipeline.ingest import extract_paths

    res = load_resources()
    rejected = 0
    items = []
    for item in extract_paths(paths, res, stdin=sys.stdin.buffer):
        if isinstance(item, Rejection):
            rejected += 1
            click.echo(f"rejected {item}", err=True)
        elif fmt == "jsonl":
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        else:
            items.append(item.to_dict())
    if fmt == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
    if rejected:
        sys.exit(1)
