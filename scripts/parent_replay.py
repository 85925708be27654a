"""The parent's share of a many-article ingest, alone and repeatable: reading, storing and
tracking, with the extractions the workers made replayed from a file (docs/speed.md, "Sixth
pass").

    python scripts/parent_replay.py --save EXTRACTIONS.pickle CORPUS.jsonl   # once: a real ingest
    python scripts/parent_replay.py --replay EXTRACTIONS.pickle --db NEW.db CORPUS.jsonl

`--save` runs `newsledger ingest` as it runs by default (into a throw-away ledger) and writes
each extraction the workers sent back, in order. `--replay` runs `ingest` on the corpus into
NEW.db (which must not exist) with an extractor that gives those extractions back instead of
extracting, so what is timed is this process's work in an ingest: reading the input, looking
up and storing each article, tracking it. It prints the CPU seconds of reading + the
unpickling of the extractions, storing and tracking (`time.process_time`).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

CPU: dict[str, float] = {}


def timed(name: str, plain: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return plain(*args, **kwargs)
        finally:
            CPU[name] = CPU.get(name, 0.0) + time.process_time() - started

    return run


def save(target: str, corpus: list[str]) -> None:
    from newsledger.cli import main as cli
    from newsledger.pipeline.parallel import workers

    extract = workers.ProcessExtractor.__call__
    kept: list[Any] = []

    def extracting(self: Any, articles: Iterable[Any]) -> Iterator[Any]:
        for extraction in extract(self, articles):
            kept.append(extraction)
            yield extraction

    workers.ProcessExtractor.__call__ = extracting  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        sys.argv = ["newsledger", "ingest", "--quiet", "--db", f"{folder}/l.db", *corpus]
        try:
            cli()
        except SystemExit as exc:
            if exc.code:
                raise
    Path(target).write_bytes(pickle.dumps([pickle.dumps(e) for e in kept]))
    print(f"{len(kept)} extractions written to {target}")


def replay(source: str, db: str, corpus: list[str]) -> None:
    from newsledger.pipeline.ingest import ingest
    from newsledger.store import open_ledger
    from newsledger.track import load_tracker, tracking

    if Path(db).exists():
        sys.exit(f"{db} exists: replay into a new ledger")
    frozen = pickle.loads(Path(source).read_bytes())
    started = time.process_time()

    def extractor(articles: Iterable[Any]) -> Iterator[Any]:
        pending = iter(frozen)
        for article in articles:
            extraction = pickle.loads(next(pending))  # as the workers' results are received
            if extraction.article.id != article.id:
                sys.exit(f"the extractions saved are not of {corpus}: replay the same input")
            yield extraction

    with open_ledger(db) as ledger:
        ledger.store = timed("store", ledger.store)  # type: ignore[method-assign]
        ledger.stored_id = timed("store", ledger.stored_id)  # type: ignore[method-assign]
        track = timed("track", tracking(ledger, load_tracker()))
        loaded = time.process_time() - started
        report = ingest(corpus, ledger, None, extractor=extractor, track=track)
    total = time.process_time() - started
    rest = total - loaded - sum(CPU.values())
    print(
        f"stored {report.stored}, changes {report.changes}: CPU {total:.2f} s = opening and "
        f"loading {loaded:.2f} + storing {CPU.get('store', 0):.2f} + tracking "
        f"{CPU.get('track', 0):.2f} + reading and unpickling {rest:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--save")
    parser.add_argument("--replay")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.save:
        save(args.save, args.corpus)
    elif args.replay and args.db:
        replay(args.replay, args.db, args.corpus)
    else:
        parser.error("give --save FILE, or --replay FILE and --db NEW.db")


if __name__ == "__main__":  # the workers are spawned: they import this module, not run it
    main()
