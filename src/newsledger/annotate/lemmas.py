"""The rule lemmatizer by key: the lemmas spaCy's `Lemmatizer` sets, without a Token per token.

spaCy's lemmatizer walks every token of every Doc in Python, making a `Token` and reading its
morphology for each: about a twentieth of a bare `nlp.pipe` on news text. In "rule" mode the
lemma of a token is a function of its word, part of speech and morphology alone (the English
`is_base_form` reads the part of speech and the morphology; the rules and tables read the word),
so `KeyedLemmatizer` asks once per (word, part of speech, morphology) and keeps the answer; a
Doc's lemmas are then read from that table and written back in one `Doc.from_array`. Tokens
that already have a lemma (set by the attribute ruler) keep it, as in the component.

It asks a copy of the component whose word lists (`lemma_index`, tested only for membership:
`form in index`) are sets: spaCy keeps them as lists, so each new word cost a scan of a list of
thousands of words per rule that applies to it, most of the component's time over a corpus.
The model's own component is left as it is. tests/annotate/test_annotate.py checks the Docs
equal `nlp.pipe`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS  # type: ignore[import-not-found]
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

LEMMATIZER = "lemmatizer"

# the classes whose rule-mode lemma reads only the token's word, part of speech and morphology
_KEYED_CLASSES = (Lemmatizer, EnglishLemmatizer)


@dataclass(frozen=True)
class KeyedLemmatizer:
    """A rule lemmatizer with its answers kept by (word, part of speech, morphology)."""

    component: Lemmatizer  # a copy of the model's, its word lists as sets
    known: dict[tuple[int, int, int], str] = field(default_factory=dict, repr=False)


def keyed_lemmatizer(component: object) -> KeyedLemmatizer | None:
    """The component keyed, or None when its lemmas may read more than the key (another class,
    another mode, or set to overwrite what the attribute ruler set: kept to the component)."""
    if type(component) not in _KEYED_CLASSES:
        return None
    assert isinstance(component, Lemmatizer)
    if component.mode != "rule" or component.overwrite:
        return None
    lookups = Lookups()
    for name in component.lookups.tables:
        table = component.lookups.get_table(name)
        if name == "lemma_index":
            lookups.add_table(name, {pos: frozenset(words) for pos, words in table.items()})
        else:
            lookups.add_table(name, dict(table.items()))
    copy = type(component)(component.vocab, None, component.name, mode="rule")
    copy.initialize(lookups=lookups)  # checks the tables the rule mode needs
    return KeyedLemmatizer(copy)


def apply_lemmas(doc: Doc, keyed: KeyedLemmatizer) -> None:
    """What `component(doc)` does: every token without a lemma gets the component's first."""
    if len(doc) == 0:
        return
    rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
    lemmas = rows[:, 3].copy()
    known = keyed.known
    strings = doc.vocab.strings
    added: dict[tuple[int, int, int], int] = {}  # key -> the lemma's id in this Doc's strings
    missing = numpy.flatnonzero(lemmas == 0)
    for i, (orth, pos, morph) in zip(missing.tolist(), rows[missing, :3].tolist(), strict=True):
        key = (orth, pos, morph)
        value = added.get(key)
        if value is None:
            lemma = known.get(key)
            if lemma is None:
                lemma = known[key] = keyed.component.lemmatize(doc[i])[0]
            # added to the Doc's strings once per Doc, not only when first found: a string
            # store may drop what it was given (spaCy's memory zones)
            value = added[key] = strings.add(lemma)
        lemmas[i] = value
    doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
