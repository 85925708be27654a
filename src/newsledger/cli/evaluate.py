"""Measuring: `eval` (extraction scored against the gold sets) and `bench` (the pipeline timed
against bare spaCy at equal cores)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsledger.errors import NewsledgerError


@click.command("eval")
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


@click.command("bench")
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
