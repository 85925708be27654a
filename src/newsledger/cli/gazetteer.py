"""The gazetteer (newsledger.geo): `gazetteer import` of data an analyst adds, and `gazetteer
lookup` of how a name is looked up."""

from __future__ import annotations

from pathlib import Path

import click

from newsledger.errors import NewsledgerError


@click.group("gazetteer")
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
