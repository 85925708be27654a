"""How many sentences an extractor reads tags, lemmas or the parse of (issue 6: could the parser
and the tagger run on fewer sentences than the named-entity recogniser?).

    .venv/bin/python scripts/sentence_needs.py [CORPUS.jsonl] [--limit 60]

Splits each text with the model's sentence recogniser and counts the sentences holding any of:
a quotation mark, a form of a reporting verb (data/reporting_verbs.txt), a number, a date, a
realis event trigger (data/event_rules.json), a person named beside a title (data/titles.txt).
Prints each share and the share with any of them: the sentences that would still need the full
pipeline; then each spaCy component's share of a bare `nlp.pipe` over the same texts (CPU time).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from newsledger.annotate.model import load_nlp
from newsledger.datafiles import read_lines
from newsledger.extract.events.rules import load_event_rules

QUOTE = re.compile(r"[\"“”]")
DIGIT = re.compile(r"\d")


def _forms(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith(("e", "y")) else verb
    return {
        verb,
        verb + "s",
        verb + "ed",
        verb + "d",
        verb + "ing",
        stem + "ied",
        stem + "ies",
        stem + "ing",
        "said",
        "told",
        "says",
        "wrote",
        "according",
        "spoke",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="../shared/corpus/guardian_sdf.jsonl")
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args()
    rules = load_event_rules()
    triggers = [
        p
        for name, patterns in rules.cues.items()
        if name in rules.triggers or name in rules.weak_triggers
        for p in patterns
    ]
    verbs = {line.split()[0] for line in read_lines("reporting_verbs.txt")}
    forms = set().union(*(_forms(v) for v in verbs))
    titles = {t.lower() for t in read_lines("titles.txt")}
    nlp = load_nlp()
    nlp.select_pipes(enable=["ner"])
    nlp.enable_pipe("senter")
    with Path(args.corpus).open(encoding="utf-8") as lines:
        texts = [
            json.loads(line)["text"] for _, line in zip(range(args.limit), lines, strict=False)
        ]
    counts: Counter[str] = Counter()
    for doc in nlp.pipe(texts):
        for sent in doc.sents:
            text = sent.text
            words = set(re.findall(r"[a-z]+", text.casefold()))
            labels = {e.label_ for e in sent.ents}
            needs = {
                "quotation mark": bool(QUOTE.search(text)),
                "reporting verb": bool(words & forms),
                "number": bool(DIGIT.search(text)) or bool(labels & {"CARDINAL", "QUANTITY"}),
                "date": "DATE" in labels,
                "event trigger": any(p.regex.search(text) for p in triggers),
                "titled person": "PERSON" in labels and bool(words & titles),
            }
            counts["sentences"] += 1
            counts.update(k for k, v in needs.items() if v)
            counts["any of them"] += any(needs.values())
    total = counts.pop("sentences")
    print(f"{total} sentences in {len(texts)} texts of {args.corpus}")
    for name, n in counts.most_common():
        print(f"  {name}: {n} ({n / total:.0%})")
    print("each component's share of a bare nlp.pipe (CPU time):")
    full = load_nlp()
    docs = [full.make_doc(t) for t in texts]
    spent: dict[str, float] = {}
    for name, component in full.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs))  # type: ignore[union-attr]
        spent[name] = time.process_time() - started
    for name, seconds in spent.items():
        print(f"  {name}: {seconds:.2f} s ({seconds / sum(spent.values()):.0%})")


if __name__ == "__main__":
    main()
