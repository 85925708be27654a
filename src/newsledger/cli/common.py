"""What the commands share: the `--db` option, the ledger opened with its errors as click's,
the pipeline's runner opened likewise, the signals that end a run, the cores, the error console.

Like every module of this package, it imports only click and the standard library at its top;
the library is imported inside the functions (`newsledger --help` loads no ledger or model).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from newsledger.errors import NewsledgerError

if TYPE_CHECKING:
    from rich.console import Console

    from newsledger.pipeline.core import Extractor
    from newsledger.pipeline.runners import Runner
    from newsledger.store import Ledger

DB_OPTION = click.option(
    "--db",
    envvar="NEWSLEDGER_DB",
    default="newsledger.db",
    show_default=True,
    help="Ledger: a SQLite file path or URL, or a postgresql:// URL (default from $NEWSLEDGER_DB).",
)
CLEAR_LINE = "\r\x1b[K"  # back to the start of the line, and erase it


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def signals_end_the_run() -> Iterator[None]:
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
def opened_ledger(db: str) -> Iterator[Ledger]:
    """The ledger at `db`, open for the `with` block; a ledger that cannot open is click's error."""
    from newsledger.store import open_ledger

    try:
        ledger = open_ledger(db)
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    with ledger:
        yield ledger


@contextmanager
def running(runner: Runner) -> Iterator[Extractor]:
    """`open_runner`'s extractor, its errors (an unreachable Dask scheduler) as click's."""
    from newsledger.pipeline.runners import open_runner

    try:
        with open_runner(runner) as running:
            yield running.extractor
    except NewsledgerError as exc:
        raise click.ClickException(str(exc)) from exc
