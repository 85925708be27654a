"""The `newsledger` command: thin wrappers that parse arguments and call library functions.

Each command imports the library it calls inside its own body, so that `newsledger --help` (and
a command that needs no model) starts without loading spaCy, the web stack or the readers
(`python -X importtime -m newsledger.cli --help`; docs/speed.md).

One module of about 750 lines: every command's options, each command a wrapper of a few lines
around a library call, so the whole command line reads in one place (the account and quality
commands live in review/commands.py, registered below with `main.add_command`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from newsledger import __version__
from newsledger.errors import NewsledgerError, Rejection
from newsledger.records import RECORD_KINDS
from newsledger.report.period import COMPARE, Request
from newsledger.report.render import FORMATS as REPORT_FORMATS
from newsledger.review.commands import quality, user

if TYPE_CHECKING:
    from rich.console import Console

    from newsledger.pipeline.core import Extractor
    from newsledger.pipeline.runners import Runner
    from newsledger.store import Ledger
    from newsledger.track import Tracker

EXPORT_KINDS = ("articles", *RECORD_KINDS, "changes")

DB_OPTION = click.option(
    "--db",
    envvar="NEWSLEDGER_DB",
    default="newsledger.db",
    show_default=True,
    help="Ledger: a SQLite file path or URL, or a postgresql:// URL (default from $NEWSLEDGER_DB).",
)
CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, and erase it


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """SIGTERM raised here as SystemExit, so that every `with` block closes as on Ctrl+C (the
    worker processes stop, the ledger's open transaction rolls back); a SIGINT or SIGTERM the
    run survived (swallowed in a finalizer) still ends it with status 128 + the signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    interrupted: list[int] = []

    def stop(signum: int, frame: object) -> None:
        interrupted.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if interrupted:
        # the exception was raised where Python could only print it (a finalizer running when
        # the signal came): the run went on to its end, but it was interrupted all the same
        raise SystemExit(128 + interrupted[0])


@contextmanager
def _ledger(db: str) -> Iterator[Ledger]:
    from newsledger.store import open_ledger

    try:
        ledger = open_ledger(db)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    with ledger:
        yield ledger


@click.group()
@click.version_option(__version__, prog_name="newsledger")
def main() -> None:
    """newsledger: a sourced ledger of events, quotes, claims and deadlines from news."""


@main.command("ingest")
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

    err = _stderr()
    try:
        runner = choose_runner(workers, dask)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if reextract:
        _reextract(paths, db, runner, None if no_track else load_tracker())
        return
    with _signals_end_the_run(), _ledger(db) as ledger, _running(runner) as extractor:
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

    with _ledger(db) as ledger, _running(runner) as extractor:
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


@main.command("extract")
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


@main.command("export")
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

    with _ledger(db) as ledger:
        try:
            if kind == "reviews":
                count = write_gold(ledger, output)
            else:
                count = export_rows(ledger, kind, fmt, output, reviewed_only=reviewed_only)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if output is not sys.stdout:
        click.echo(f"wrote {count} {kind}", err=True)


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--limit", type=int, default=None, help="Score only the first N articles or rows.")
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the seed articles (default: ../corpus/seeds beside the seeds gold file), or "
    "the JSONL corpus of whole-article events (default: ../corpus/guardian_sdf.jsonl).",
)
@click.option("--misses", type=int, default=10, show_default=True, help="Misses listed per set.")
def eval_cmd(
    gold: tuple[Path, ...], fmt: str, limit: int | None, corpus: Path | None, misses: int
) -> None:
    """Score extraction against gold files: seeds JSON, ACLED CSV, PolNeAR folder, LGL JSONL,
    whole-article events JSONL."""
    from dataclasses import asdict

    from rich.console import Console
    from rich.table import Table

    from newsledger.evaluate.run import evaluate_path, figures, listed
    from newsledger.pipeline.core import load_resources

    res = load_resources()
    results = []
    for path in gold:
        try:
            results.append(evaluate_path(path, res, limit=limit, corpus=corpus))
        except NewsledgerError as exc:
            raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
        return
    console = Console(width=120)
    for result in results:
        table = Table(title=f"{result.kind}: {result.gold}", min_width=70)
        table.add_column("figure")
        table.add_column("value", justify="right")
        for name, value in figures(result.scores):
            table.add_row(name, str(value))
        console.print(table)
        for name, items in listed(result.scores):
            console.print(f"{name} ({len(items)}, first {min(misses, len(items))}):")
            for item in items[:misses]:
                console.print(
                    f"  {json.dumps(item, ensure_ascii=False)}", markup=False, soft_wrap=True
                )


@main.command("stats")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats_cmd(db: str, fmt: str) -> None:
    """Summarise the ledger: records of each kind, sources, and dates covered."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.geo import gazetteer_sources

    with _ledger(db) as ledger:
        stats = ledger.stats()
    if fmt == "json":
        click.echo(
            json.dumps({**stats.to_dict(), "gazetteer": list(gazetteer_sources())}, indent=2)
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
    for line in gazetteer_sources():
        table.add_row("gazetteer", line)
    Console(width=100).print(table)


@main.command("serve")
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
        serve(db, host=host, port=port, private=private, workers=workers or _cores())
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc


main.add_command(user)
main.add_command(quality)

# ---------------------------------------------------------------------------------------------
# Tracking across reports (newsledger.track): changes and person pages over the stored ledger


@main.command("changes")
@DB_OPTION
@click.option("--since", default=None, help="Only changes whose later report is on or after DATE.")
@click.option("--person", default=None, help="Only changes about this person (any spelling).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def changes_cmd(db: str, since: str | None, person: str | None, fmt: str) -> None:
    """List the changes flagged between reports, each with both pieces of evidence."""
    from rich.console import Console

    from newsledger.track.views import list_changes

    with _ledger(db) as ledger:
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


@main.command("report")
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
    from newsledger.store.queries import QueryError

    try:
        request = Request(date_from, date_to, country, admin1, actor, compare)
    except QueryError as exc:
        raise click.BadParameter(str(exc)) from exc
    with _ledger(db) as ledger:
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


@main.command("person")
@click.argument("name")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def person_cmd(name: str, db: str, fmt: str) -> None:
    """Every statement of one person in date order, with title and source."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.track.views import person_statements

    with _ledger(db) as ledger:
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


# ---------------------------------------------------------------------------------------------
# Scaling (newsledger.evaluate.bench, newsledger.pipeline.parallel): bench, ingest --workers/--dask


@contextmanager
def _running(runner: Runner) -> Iterator[Extractor]:
    """`open_runner`'s extractor, its errors (an unreachable Dask scheduler) as click's."""
    from newsledger.pipeline.runners import open_runner

    try:
        with open_runner(runner) as running:
            yield running.extractor
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("bench")
@click.argument("corpus", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Compare at this many processes (default: as many as `ingest` uses here).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N.")
@click.option(
    "--repeats",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Run each pair this many times, interleaved; medians are reported.",
)
def bench_cmd(
    corpus: tuple[str, ...], fmt: str, workers: int | None, limit: int | None, repeats: int
) -> None:
    """Time the pipeline against bare spaCy at equal cores, whole-process: wall and CPU time,
    memory of all processes, and where the time goes."""
    from rich.console import Console

    from newsledger.evaluate.bench import format_table, run_bench

    try:
        result = run_bench(
            list(corpus),
            workers=workers,
            limit=limit,
            repeats=repeats,
            progress=lambda line: click.echo(line, err=True),
        )
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    Console(width=110).print(format_table(result))


# ---------------------------------------------------------------------------------------------
# Reliability (newsledger.store.backup): backup


@main.command("backup")
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


# ---------------------------------------------------------------------------------------------
# Monitoring (newsledger.watch): watch


@main.command("watch")
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

    terminal = _stderr().is_terminal
    start = CLEAR_LINE if terminal else ""  # printed over the last status line

    def echo(alert: str) -> None:
        click.echo(f"{start}{alert}")

    with _ledger(db) as ledger, Fetcher(settings.http) as fetcher:
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


# The gazetteer (newsledger.geo): data an analyst adds, and how a name is looked up


@main.group("gazetteer")
def gazetteer_group() -> None:
    """Add gazetteer data (GeoNames dumps, CSV) and see how a place name is looked up."""


@gazetteer_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--folder",
    type=click.Path(path_type=Path),
    default=None,
    help="Imports folder (default: $NEWSLEDGER_GAZETTEER, else ~/.config/newsledger/gazetteer).",
)
def gazetteer_import(files: tuple[Path, ...], folder: Path | None) -> None:
    """Import GeoNames dumps (IQ.txt, IQ.zip, allCountries.zip, alternateNamesV2.zip,
    admin2Codes.txt) or a CSV (name,alternate_names,latitude,longitude,country_code,admin1,kind);
    bad rows are named and skipped, and the gazetteer cache is rebuilt."""
    from newsledger.geo import import_files, load_gazetteer
    from newsledger.geo.imports import default_imports_dir

    target = folder or default_imports_dir()
    try:
        reports = import_files(files, target)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    for report in reports:
        click.echo(
            f"{report.path}: {report.rows} rows imported ({report.kind}), "
            f"{report.skipped} skipped (other features), {report.bad} bad"
        )
        for error in report.errors:
            click.echo(f"  bad row {error}", err=True)
        if report.bad > len(report.errors):
            click.echo(f"  ... and {report.bad - len(report.errors)} more bad rows", err=True)
    gazetteer = load_gazetteer(imports_dir=target)
    click.echo(f"gazetteer rebuilt: {len(gazetteer):,} places ({target})")


@gazetteer_group.command("lookup")
@click.argument("name")
@click.option("--country", "countries", multiple=True, help="A country the report names (repeat).")
@click.option("--limit", type=int, default=10, show_default=True, help="Candidates shown.")
def gazetteer_lookup(name: str, countries: tuple[str, ...], limit: int) -> None:
    """Every place NAME may mean, best first, with its score and why the first wins."""
    from rich.console import Console
    from rich.table import Table

    from newsledger.geo import load_gazetteer, why_first

    gazetteer = load_gazetteer()
    candidates = gazetteer.explain(name, countries)
    if not candidates:
        raise click.ClickException(
            f"no place named {name!r} (nor spelled like it) in the gazetteer"
        )
    table = Table(title=f"{name}" + (f" (in {', '.join(countries)})" if countries else ""))
    for column in ("place", "lat, lon", "country", "admin1", "kind", "origin", "score"):
        table.add_column(column)
    for c in candidates[:limit]:
        p = c.place
        table.add_row(
            p.name + (" (by spelling)" if c.by_spelling else ""),
            f"{p.latitude:.4f}, {p.longitude:.4f}",
            p.country_code or "-",
            p.admin1 or "-",
            p.feature,
            c.origin,
            f"{c.score:.2f}",
        )
    console = Console(width=120)
    console.print(table)
    console.print(f"first: {', '.join(f'{r} {v:+.2f}' for r, v in candidates[0].parts)}")
    console.print(f"why: {why_first(candidates)}")
    for line in gazetteer.sources:
        console.print(f"data: {line}")
