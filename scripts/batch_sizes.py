"""Time and peak memory of annotating a corpus in batches of each size (pipeline.BATCH_SIZE).

    .venv/bin/python scripts/batch_sizes.py [CORPUS.jsonl] [--limit 128] [--sizes 12 16 32]

Each size runs in a fresh process (so each peak is its own): the model loads, the first `limit`
texts are annotated (`Annotator.docs`) and serialised as the annotation process sends them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def one_size(corpus: str, limit: int, size: int) -> None:
    from newsledger.annotate.annotator import load_annotator
    from newsledger.annotate.model import load_nlp

    annotator = load_annotator(load_nlp())
    with Path(corpus).open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for _, line in zip(range(limit), lines, strict=False)]
    started = time.perf_counter()
    for i in range(0, len(texts), size):
        for doc in annotator.docs(texts[i : i + size], size):
            doc.to_bytes(exclude=["tensor"])
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"batches of {size}: {len(texts)} texts in {seconds:.1f} s, peak {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="../shared/corpus/guardian_sdf.jsonl")
    parser.add_argument("--limit", type=int, default=128)
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 16, 32])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's own run
    args = parser.parse_args()
    if args.one is not None:
        one_size(args.corpus, args.limit, args.one)
        return
    for size in args.sizes:
        command = [sys.executable, __file__, args.corpus, "--limit", str(args.limit)]
        subprocess.run([*command, "--one", str(size)], check=True)


if __name__ == "__main__":
    main()
