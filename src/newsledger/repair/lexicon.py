"""The repair's lexicon: the word lists under `newsledger/data/repair_*.txt` and wordninja's
frequency-ranked words, loaded into a `Repairer`, and what they say about a word (known, common,
inflected, its splitter cost)."""

from __future__ import annotations

import gzip
import importlib.util
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from newsledger.datafiles import read_lines

# Thresholds, on the rank of a word in wordninja's frequency-ordered list (0 = most frequent).
CONTENT_MAX_RANK = 30_000  # a piece of four or five letters must be at least this common
SHORT_CONTENT_MAX_RANK = 3_000  # a three-letter piece (`war`, `end`) must be this common
COMPOUND_MAX_RANK = 20_000  # two long content words glued (`policeforces`): both this common
KNOWN_GLUE_MIN_RANK = 10_000  # a listed word rarer than this may be a glue (`inthe`)
KNOWN_GLUE_MARGIN = 3.5  # ...if splitting it lowers the splitter's cost by this much (nats)
_INFLECTIONS = ("ed", "ing", "ly", "ive", "ous", "ful")


class Splitter:
    """wordninja's word splitter, loaded when a glued lower-case run first needs it: importing
    wordninja builds its language model (0.15 to 0.35 s), which most reports never use."""

    @cached_property
    def model(self) -> Any:
        import wordninja  # builds its model on import: only here, when a split is needed

        return wordninja.DEFAULT_LANGUAGE_MODEL

    def split(self, text: str) -> list[str]:
        return list(self.model.split(text))


def _word_file() -> Path:
    """wordninja's frequency-ordered word list (found without importing wordninja)."""
    spec = importlib.util.find_spec("wordninja")
    if spec is None or spec.origin is None:
        raise RuntimeError("wordninja is missing: pip install wordninja")
    return Path(spec.origin).parent / "wordninja" / "wordninja_words.txt.gz"


@dataclass(frozen=True)
class Repairer:
    """The loaded lexicons and the word splitter (build it with `load_repairer`)."""

    splitter: Any  # `Splitter` (or anything with wordninja's `split`)
    rank: Mapping[str, int]  # word -> rank in the splitter's frequency-ordered list
    function_words: frozenset[str]  # closed-class words and number words
    number_words: frozenset[str]
    glue_words: frozenset[str]  # function words that end no name
    head_particles: frozenset[str]
    tail_particles: frozenset[str]
    compound_tails: frozenset[str]
    prefixes: frozenset[str]
    suffixes: tuple[str, ...]  # longest first
    camel: tuple[str, ...]
    camel_prefixes: frozenset[str]
    acronyms: frozenset[str]
    names: frozenset[str]
    units: frozenset[str]
    words: frozenset[str]


def _sections(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for line in read_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        out.setdefault(current, []).append(line)
    return out


def load_repairer() -> Repairer:
    """Load the lexicons (src/newsledger/data/repair_*.txt) and wordninja's model, once."""
    with gzip.open(_word_file(), "rt", encoding="utf-8") as handle:
        ranked = handle.read().split()
    affixes = _sections("repair_affixes.txt")
    particles = _sections("repair_particles.txt")
    function_words = _sections("repair_function_words.txt")
    return Repairer(
        # wordninja builds its model from the same file when it is imported
        splitter=Splitter(),
        # each word's first rank (the later, higher ranks are overwritten), built in C
        rank=dict(zip(reversed(ranked), range(len(ranked) - 1, -1, -1), strict=True)),
        function_words=frozenset(function_words["closed"] + function_words["numbers"]),
        number_words=frozenset(function_words["numbers"]),
        glue_words=frozenset(read_lines("repair_glue_words.txt")),
        head_particles=frozenset(particles["head"]),
        tail_particles=frozenset(particles["tail"]),
        compound_tails=frozenset(particles["compound"]),
        prefixes=frozenset(affixes["prefix"]),
        suffixes=tuple(sorted(set(affixes["suffix"]), key=len, reverse=True)),
        camel=tuple(read_lines("repair_camel.txt")),
        camel_prefixes=frozenset(read_lines("repair_camel_prefixes.txt")),
        acronyms=frozenset(read_lines("repair_acronyms.txt")),
        names=frozenset(read_lines("repair_names.txt")),
        units=frozenset(read_lines("repair_units.txt")),
        words=frozenset(read_lines("repair_words.txt")),
    )


def common(rep: Repairer, piece: str) -> bool:
    """Whether a piece is a common enough word to stand alone in a split."""
    rank = rep.rank.get(piece)
    if rank is None or len(piece) < 3:
        return False
    if len(piece) == 3:
        return rank <= SHORT_CONTENT_MAX_RANK
    return len(piece) >= 6 or rank <= CONTENT_MAX_RANK


def inflected(word: str) -> bool:
    if word.endswith(_INFLECTIONS):
        return True
    return len(word) >= 6 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def cost(rep: Repairer, word: str) -> float:
    """wordninja's cost of a word: log(rank * log(vocabulary size))."""
    return math.log((rep.rank[word] + 1) * math.log(len(rep.rank)))


def known(rep: Repairer, word: str, depth: int = 0) -> bool:
    """A word of the splitter's list or repair_words.txt, or one derived from one by affixes."""
    if word in rep.rank or word in rep.words:
        return True
    if depth >= 3:
        return False
    for prefix in rep.prefixes:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 4 and known(rep, rest, depth + 1):
            return True
    for suffix in rep.suffixes:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        candidates = [stem, stem + "e"]
        if len(stem) >= 4 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # targetting -> target
        if stem.endswith("i"):
            candidates.append(stem[:-1] + "y")  # loyalties -> loyalty
        if any(known(rep, c, depth + 1) for c in candidates):
            return True
    for british, american in (("is", "iz"), ("our", "or"), ("tre", "ter")):
        if british in word and known(rep, word.replace(british, american), depth + 1):
            return True
    return False
