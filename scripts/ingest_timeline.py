"""When the parts of a many-article ingest happen, and whose CPU it is (docs/speed.md, "Fourth
pass").

    python scripts/ingest_timeline.py --db NEW.db CORPUS.jsonl [more `ingest` options]

Runs `newsledger ingest --quiet` in this process and prints to stderr, from its start: when the
workers were ready, the first and last extraction came back, the workers were told to stop and
had stopped (the tail of the run), with this process's CPU at each; then this process's CPU
(reading, storing, tracking) and its children's (the workers, from `getrusage`), and the load.
"""

from __future__ import annotations

import atexit
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

STARTED = time.perf_counter()
MARKS: list[tuple[float, float, str]] = []


def mark(what: str) -> None:
    MARKS.append((time.perf_counter() - STARTED, time.process_time(), what))


def report() -> None:
    mark("exit")
    for wall, cpu, what in MARKS:
        print(f"{wall:7.2f} s  (this process's CPU {cpu:6.2f} s)  {what}", file=sys.stderr)
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"this process's CPU {own.ru_utime + own.ru_stime:.2f} s, its children's "
        f"{children.ru_utime + children.ru_stime:.2f} s, load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )


def wrap(owner: Any, name: str, before: str | None, after: str | None) -> None:
    plain: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if before:
            mark(before)
        result = plain(*args, **kwargs)
        if after:
            mark(after)
        return result

    setattr(owner, name, timed)


def main() -> None:
    import importlib

    from newsledger.cli import main as cli
    from newsledger.pipeline.parallel import process, workers

    ingest = importlib.import_module("newsledger.pipeline.ingest")  # the module, not the function

    extract = workers.ProcessExtractor.__call__

    def extracting(self: Any, articles: Iterable[Any]) -> Iterator[Any]:
        count = 0
        for extraction in extract(self, articles):
            count += 1
            if count == 1:
                mark("first extraction back")
            yield extraction
        mark(f"last extraction back ({count})")

    workers.ProcessExtractor.__call__ = extracting  # type: ignore[method-assign]
    receive = process.ChildProcesses.receive

    def receiving(self: Any, wait: bool, busy: Callable[[], str]) -> Any:
        message = receive(self, wait, busy)
        if message is not None and message[0] == "ready":
            mark("a worker is ready")
        return message

    process.ChildProcesses.receive = receiving  # type: ignore[method-assign]
    wrap(process.ChildProcesses, "stop", "workers told to stop", "workers stopped")
    wrap(ingest, "ingest", "ingest starts", "ingest returns")
    atexit.register(report)
    sys.argv = ["newsledger", "ingest", "--quiet", *sys.argv[1:]]
    cli()


if __name__ == "__main__":  # the workers are spawned: they import this module, not run it
    main()
