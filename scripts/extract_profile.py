"""The CPU of extraction alone, Docs parsed once (docs/speed.md, "Third pass").

    python scripts/extract_profile.py CORPUS.jsonl [--docs /tmp/extract_profile.docs] [--profile]

Repairs and annotates the corpus once and keeps the Docs (a spaCy DocBin and the repaired
articles, pickled) in `--docs`; later runs read them back. Then runs every extractor over every
Doc once to warm the lazily compiled patterns, and again timed: `time.process_time` of the
whole pass and each stage's share (`StageTimer`). `--profile` runs the timed pass under cProfile
instead (its overhead inflates spaCy's Token objects: prefer `py-spy record -f raw` over this
script for shares). Run it with `PYTHONPATH` set to each tree, interleaved, to compare two
versions.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--docs", default="/tmp/extract_profile.docs")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from spacy.tokens import DocBin

    from newsledger.pipeline.core import StageTimer, extract_from_doc, load_resources
    from newsledger.readers import read_inputs
    from newsledger.records import Article
    from newsledger.repair import repair_article

    res = load_resources()
    kept = Path(args.docs)
    if kept.exists():
        data = pickle.loads(kept.read_bytes())
        articles = data["articles"]
        docs = list(DocBin().from_bytes(data["docs"]).get_docs(res.nlp.vocab))
    else:
        read = [a for a in read_inputs([args.corpus]) if isinstance(a, Article)]
        articles = [repair_article(res.repairer, a) for a in read]
        docs = [d for d, _ in res.annotator.pipe(((a.text, a) for a in articles), 12)]
        kept.write_bytes(pickle.dumps({"articles": articles, "docs": DocBin(docs=docs).to_bytes()}))
    for article, doc in zip(articles, docs, strict=True):
        extract_from_doc(article, doc, res)
    # the first pass compiled the lazily compiled patterns; the gazetteer's remembered lookups
    # are forgotten, so that the timed pass pays them as an ingest does (each report once)
    memo = getattr(res.gazetteer, "_memo", None)
    if memo is not None:
        memo.clear()
    timer = StageTimer()
    profile = cProfile.Profile() if args.profile else None
    started = time.process_time()
    if profile is not None:
        profile.enable()
    for article, doc in zip(articles, docs, strict=True):
        extract_from_doc(article, doc, res, timer)
    if profile is not None:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    total = time.process_time() - started
    shares = sorted(timer.seconds.items(), key=lambda kv: -kv[1])
    wall = sum(timer.seconds.values()) or 1.0
    print(
        f"{len(docs)} articles, extraction {total:.2f} s CPU; "
        + ", ".join(f"{name} {100 * s / wall:.1f} %" for name, s in shares)
    )


if __name__ == "__main__":
    main()
