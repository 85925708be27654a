"""`Annotator`: the model with its attribute ruler applied by index (see `ruler.py`) and its
lemmatizer by key (see `lemmas.py`); its `pipe` gives the Docs `nlp.pipe` gives
(tests/annotate/test_annotate.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from newsledger.annotate.lemmas import LEMMATIZER, KeyedLemmatizer, apply_lemmas, keyed_lemmatizer
from newsledger.annotate.ruler import RULER, IndexedRuler, apply_ruler, index_ruler

C = TypeVar("C")


@dataclass(frozen=True)
class Annotator:
    """The model with its attribute ruler indexed and its lemmatizer keyed: `pipe` gives the
    Docs `nlp.pipe` gives."""

    nlp: Language
    ruler: IndexedRuler | None  # None: the model's order is not one known to give the same Docs
    after_ruler: tuple[str, ...]  # the components that read what the ruler sets, run after it
    lemmas: KeyedLemmatizer | None = None  # the lemmatizer (one of `after_ruler`) by key

    def pipe(self, items: Iterable[tuple[str, C]], batch_size: int = 32) -> Iterator[tuple[Doc, C]]:
        """`nlp.pipe(items, as_tuples=True)`, the ruler applied by index."""
        if self.ruler is None:
            yield from self.nlp.pipe(items, as_tuples=True, batch_size=batch_size)
            return
        later = [self.nlp.get_pipe(name) for name in self.after_ruler]
        skip = [RULER, *self.after_ruler]
        for doc, context in self.nlp.pipe(
            items, as_tuples=True, batch_size=batch_size, disable=skip
        ):
            apply_ruler(doc, self.ruler)
            for name, component in zip(self.after_ruler, later, strict=True):
                if name == LEMMATIZER and self.lemmas is not None:
                    apply_lemmas(doc, self.lemmas)
                else:
                    component(doc)
            yield doc, context

    def docs(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
        """`nlp.pipe(texts)`, the ruler applied by index."""
        for doc, _ in self.pipe(((t, None) for t in texts), batch_size):
            yield doc


def load_annotator(nlp: Language) -> Annotator:
    """Index the model's attribute ruler when the model's order allows it: the ruler may move
    to the end only past components that read nothing it sets (the named-entity recogniser
    reads the words alone); those after it that read it (the lemmatizer) run after it still, the
    lemmatizer by key when its class and mode allow it."""
    names = nlp.pipe_names
    ruler = nlp.get_pipe(RULER) if RULER in names else None
    after = names[names.index(RULER) + 1 :] if ruler is not None else []
    if not isinstance(ruler, AttributeRuler) or not set(after) <= {"lemmatizer", "ner"}:
        return Annotator(nlp, None, ())
    keyed = keyed_lemmatizer(nlp.get_pipe(LEMMATIZER)) if LEMMATIZER in after else None
    return Annotator(nlp, index_ruler(ruler), tuple(n for n in after if n != "ner"), keyed)
