"""The CPU of annotation: the model's rule components as spaCy runs them and as the annotator
does (docs/speed.md, "Sixth pass (`speed3`)").

    python scripts/annotate_profile.py CORPUS.jsonl [--limit N]

Parses the corpus's texts once with the model's statistical components only (tok2vec, tagger,
parser, ner), then times, each on its own copy of those Docs: spaCy's attribute ruler and
lemmatizer (the components' own calls) against `apply_ruler` and `apply_lemmas`, and checks
that both give the same Docs. The lemmatizer's times are of a first pass, as in a fresh worker
(its answers are kept from word to word, so later passes are faster for both). Run it in a
fresh process per figure; `time.process_time`.
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import islice

import numpy
from spacy.attrs import LEMMA, MORPH, POS, TAG  # type: ignore[import-not-found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    from newsledger.annotate.annotator import load_annotator
    from newsledger.annotate.lemmas import apply_lemmas
    from newsledger.annotate.model import load_nlp
    from newsledger.annotate.ruler import apply_ruler

    nlp = load_nlp()
    annotator = load_annotator(nlp)
    if annotator.ruler is None or annotator.lemmas is None:
        raise SystemExit("this model's rule components are not indexed: nothing to compare")
    with open(args.corpus, encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in islice(lines, args.limit)]
    started = time.process_time()
    parsed = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer"]))
    print(f"{len(texts)} texts; statistical components {time.process_time() - started:.2f} s")
    theirs = [d.copy() for d in parsed]
    ours = [d.copy() for d in parsed]
    for name, component, mine in (
        ("attribute ruler", nlp.get_pipe("attribute_ruler"), annotator.ruler),
        ("lemmatizer", nlp.get_pipe("lemmatizer"), annotator.lemmas),
    ):
        started = time.process_time()
        for doc in theirs:
            component(doc)
        spacy_seconds = time.process_time() - started
        started = time.process_time()
        for doc in ours:
            if name == "lemmatizer":
                apply_lemmas(doc, mine)  # type: ignore[arg-type]
            else:
                apply_ruler(doc, mine)  # type: ignore[arg-type]
        own_seconds = time.process_time() - started
        print(f"{name}: spaCy's {spacy_seconds:.2f} s, the annotator's {own_seconds:.2f} s")
    attrs = [POS, TAG, MORPH, LEMMA]
    same = all(
        numpy.array_equal(a.to_array(attrs), b.to_array(attrs))
        for a, b in zip(theirs, ours, strict=True)
    )
    print("the same Docs" if same else "DIFFERENT Docs")


if __name__ == "__main__":
    main()
