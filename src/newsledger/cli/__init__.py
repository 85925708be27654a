"""The `newsledger` command: thin wrappers that parse arguments and call library functions.

One module per group of commands, each a click command added to `main` here:
- `ingest`: `ingest` (and `--reextract`), `extract`;
- `evaluate`: `eval`, `bench`;
- `ledger`: `stats`, `export`, `changes`, `person`, `backup`;
- `gazetteer`: `gazetteer import`, `gazetteer lookup`;
- `serve`: `serve`, `watch`;
- `review`: `user ...`, `quality`;
- `report`: `report`;
- `common`: what they share (`--db`, the ledger opened with click's errors, signals).

Each command imports the library it calls inside its own body, so that `newsledger --help` (and
a command that needs no model) starts without loading spaCy, the web stack, the store or the
readers (`python -X importtime -m newsledger.cli --help`; docs/speed.md).
"""

from __future__ import annotations

import atexit
import gc

import click

from newsledger import __version__
from newsledger.cli.evaluate import bench_cmd, eval_cmd
from newsledger.cli.gazetteer import gazetteer_group
from newsledger.cli.ingest import extract_cmd, ingest_cmd
from newsledger.cli.ledger import backup_cmd, changes_cmd, export_cmd, person_cmd, stats_cmd
from newsledger.cli.report import report_cmd
from newsledger.cli.review import quality, user
from newsledger.cli.serve import serve_cmd, watch_cmd

COMMANDS: tuple[click.Command, ...] = (
    ingest_cmd,
    extract_cmd,
    export_cmd,
    eval_cmd,
    stats_cmd,
    serve_cmd,
    user,
    quality,
    changes_cmd,
    report_cmd,
    person_cmd,
    bench_cmd,
    backup_cmd,
    watch_cmd,
    gazetteer_group,
)
"""Every top-level command, in the order they were written (`--help` lists them sorted)."""


@click.group()
@click.version_option(__version__, prog_name="newsledger")
def main() -> None:
    """newsledger: a sourced ledger of events, quotes, claims and deadlines from news."""
    # The process ends with the command: on the way out, nothing it holds need be walked by the
    # garbage collector (a model and a gazetteer: 0.3 s of CPU after one article; docs/speed.md).
    atexit.unregister(gc.freeze)  # once, however many commands run in this process
    atexit.register(gc.freeze)


for command in COMMANDS:
    main.add_command(command)
