"""The annotator gives exactly the Docs `nlp.pipe` gives, with the attribute ruler indexed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy
import pytest
from spacy.language import Language

from newsledger.annotate.annotator import load_annotator
from newsledger.annotate.lemmas import keyed_lemmatizer
from newsledger.annotate.ruler import apply_ruler, index_ruler
from tests.helpers.annotation import ATTRS, WRITTEN


def _same(nlp: Language, texts: list[str]) -> None:
    annotator = load_annotator(nlp)
    assert annotator.ruler is not None, "the model's order should allow the indexed ruler"
    assert annotator.lemmas is not None, "the model's rule lemmatizer should be keyed"
    expected = [d.to_array(ATTRS) for d in nlp.pipe(texts)]
    got = [d.to_array(ATTRS) for d in annotator.docs(texts)]
    for text, a, b in zip(texts, expected, got, strict=True):
        assert a.shape == b.shape and numpy.array_equal(a, b), text[:80]


def test_same_docs_as_nlp_pipe_on_written_texts(nlp: Language) -> None:
    _same(nlp, WRITTEN)


def test_same_docs_as_nlp_pipe_on_real_reports(nlp: Language, shared: Path) -> None:
    with (shared / "corpus" / "guardian_sdf.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for _, line in zip(range(12), lines, strict=False)]
    with (shared / "eval" / "acled_dev.csv").open(encoding="utf-8") as f:
        texts += [row["notes"] for _, row in zip(range(60), csv.DictReader(f), strict=False)]
    _same(nlp, texts)


def test_every_pattern_is_indexed_or_matched(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = index_ruler(ruler)  # type: ignore[arg-type]
    keys = sum(len(index.by_value) for index in indexed.indexes)
    rest = len(indexed.rest) if indexed.rest is not None else 0
    assert keys > 100 and rest == 0  # this model's patterns: all indexed or tested by column
    numbers = {n for index in indexed.indexes for ns in index.by_value.values() for n in ns}
    tested = {sequence.number for sequence in indexed.sequences}
    assert len(tested) >= 10 and not numbers & tested
    assert len(numbers) + len(tested) + rest == len(ruler.patterns)  # type: ignore[attr-defined]


def test_ruler_leaves_an_empty_doc_alone(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    doc = nlp.make_doc("")
    apply_ruler(doc, index_ruler(ruler))  # type: ignore[arg-type]
    assert len(doc) == 0


def test_other_orders_fall_back_to_the_model(nlp: Language) -> None:
    # a pipeline where something that may read the ruler's attributes follows it: no index
    other = load_annotator(nlp)
    assert other.after_ruler == ("lemmatizer",)
    with nlp.select_pipes(disable=["attribute_ruler"]):
        plain = load_annotator(nlp)
        assert plain.ruler is None
        with pytest.warns(UserWarning, match="W108"):  # the lemmatizer misses the ruler's POS
            doc = next(plain.docs(["Police said two men were held."]))
        assert [t.text for t in doc][:2] == ["Police", "said"]


@pytest.mark.parametrize("text", ["It's", "Nothin'", "gon na"])
def test_multi_token_and_regex_exceptions_still_apply(nlp: Language, text: str) -> None:
    _same(nlp, [text])


def test_keyed_lemmatizer_leaves_the_model_alone_and_keeps_answers(nlp: Language) -> None:
    component = nlp.get_pipe("lemmatizer")
    keyed = keyed_lemmatizer(component)
    assert keyed is not None and keyed.component is not component
    # the model's word lists stay lists; the copy's are sets with the same words
    own = component.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    copied = keyed.component.lookups.get_table("lemma_index")
    assert all(isinstance(words, list) for words in own.values())
    assert {k: set(v) for k, v in own.items()} == dict(copied.items())
    annotator = load_annotator(nlp)
    assert annotator.lemmas is not None
    before = len(annotator.lemmas.known)
    doc = next(annotator.docs(["The fighters were attacking the villages."]))
    assert [t.lemma_ for t in doc] == ["the", "fighter", "be", "attack", "the", "village", "."]
    assert len(annotator.lemmas.known) > before


def test_other_lemmatizers_are_not_keyed(nlp: Language) -> None:
    component = nlp.get_pipe("lemmatizer")
    assert keyed_lemmatizer(nlp.get_pipe("ner")) is None
    lookup = type(component)(nlp.vocab, None, "lookup_lemmatizer", mode="lookup")
    assert keyed_lemmatizer(lookup) is None
    overwriting = type(component)(nlp.vocab, None, "overwriting", mode="rule", overwrite=True)
    assert keyed_lemmatizer(overwriting) is None
