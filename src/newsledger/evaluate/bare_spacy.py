"""Bare spaCy over a corpus, as a process of its own: what `newsledger bench` compares with.

`python -m newsledger.evaluate.bare_spacy PATH... [--processes N] [--limit N]` reads the
articles as `ingest` reads them, loads the same model and runs `nlp.pipe` over their raw texts
with every component, in batches of the pipeline's size, in N processes (spaCy's own
`n_process`); it prints the number of texts. Timed from outside (bench.py) from the start of the
process to its end, imports and model loading included, as `newsledger ingest` is.
"""

from __future__ import annotations

import argparse
from itertools import islice

from newsledger.annotate.model import load_nlp
from newsledger.errors import NewsledgerError, Rejection
from newsledger.pipeline.core import BATCH_SIZE
from newsledger.readers import read_inputs
from newsledger.records import Article


def read_corpus(paths: list[str], limit: int | None = None) -> list[Article]:
    """The articles of `paths` (the first `limit`)."""
    items = islice(read_inputs(paths), limit) if limit is not None else read_inputs(paths)
    articles = [a for a in items if not isinstance(a, Rejection)]
    if not articles:
        raise NewsledgerError(f"no articles to benchmark in {', '.join(paths)}")
    return articles


def run(paths: list[str], processes: int = 1, limit: int | None = None) -> int:
    """The bare pass; the number of texts annotated."""
    texts = [a.raw_text for a in read_corpus(paths, limit)]
    nlp = load_nlp()
    done = 0
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes):
        done += 1
    return done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    print(run(args.paths, args.processes, args.limit))


if __name__ == "__main__":
    main()
