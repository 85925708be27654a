"""Where the CPU of a short `newsledger ingest` goes, step by step, in one process (docs/speed.md).

    python scripts/startup_steps.py ARTICLES.jsonl [--db /tmp/startup_steps.db]

Times with `time.process_time` each step `ingest` takes for a few articles: the command line's
imports, spaCy's and the pipeline's (imported explicitly, so that trees that import them at
different moments compare), the model, the repair lexicons, the gazetteer, the event rules,
repairing + annotating + extracting the articles, storing and tracking them. Run it with
`PYTHONPATH` set to each tree, interleaved, to compare two versions.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles")
    parser.add_argument("--db", default="/tmp/startup_steps.db")
    args = parser.parse_args()
    steps: list[tuple[str, float]] = []
    last = time.process_time()

    def step(name: str) -> None:
        nonlocal last
        now = time.process_time()
        steps.append((name, now - last))
        last = now

    import newsledger.cli

    step("command line")
    import spacy.language
    import spacy.tokens  # noqa: F401

    import newsledger.extract.claims
    import newsledger.extract.deadlines
    import newsledger.extract.events.coder
    import newsledger.extract.people
    import newsledger.extract.places
    import newsledger.extract.quotes
    import newsledger.pipeline.ingest
    import newsledger.pipeline.runners  # noqa: F401
    from newsledger.annotate.annotator import load_annotator
    from newsledger.annotate.model import load_nlp
    from newsledger.extract.events.rules import load_event_rules
    from newsledger.extract.lexicons import (
        load_attribution_lexicon,
        load_deadline_lexicon,
        load_number_lexicon,
    )
    from newsledger.geo import load_gazetteer
    from newsledger.pipeline.core import Resources, extract_articles
    from newsledger.readers import read_inputs
    from newsledger.records import Article
    from newsledger.repair import load_repairer
    from newsledger.store import open_ledger
    from newsledger.track import load_tracker, track_article

    step("imports (spaCy, pipeline, extractors)")
    nlp = load_nlp()
    step("spaCy model")
    repairer = load_repairer()
    step("repair lexicons")
    gazetteer = load_gazetteer()
    step("gazetteer")
    rules = load_event_rules()
    step("event rules")
    numbers = load_number_lexicon()
    res = Resources(
        nlp=nlp,
        annotator=load_annotator(nlp),
        repairer=repairer,
        gazetteer=gazetteer,
        event_rules=rules,
        attribution=load_attribution_lexicon(),
        numbers=numbers,
        deadlines=load_deadline_lexicon(numbers),
    )
    articles = [a for a in read_inputs([args.articles]) if isinstance(a, Article)]
    step("other lexicons, read")
    extractions = list(extract_articles(articles, res))
    step(f"repair, annotate, extract {len(articles)} article(s)")
    Path(args.db).unlink(missing_ok=True)
    with open_ledger(args.db) as ledger:
        tracker = load_tracker()
        for extraction in extractions:
            ledger.store(extraction)
            track_article(ledger, extraction.article.id, tracker)
    step("store and track")
    total = sum(seconds for _, seconds in steps)
    print(" | ".join(f"{name} {seconds:.2f}" for name, seconds in steps), f"| total {total:.2f} s")


if __name__ == "__main__":
    main()
