"""Cue matching: which cues of the event rules match a sentence, leaving out the matches that are
only hypothetical (under a modal, a plan or threat, a condition, a negation or a hedge)."""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newsledger.extract.anchors import Anchored
from newsledger.extract.events.rules import EventRules

MODALS = frozenset({"could", "would", "might", "may", "will", "shall", "should", "must", "can"})
HEDGES = frozenset({"potential", "possible", "possibly", "likely", "alleged"})
CONDITIONS = frozenset({"if", "unless", "whether"})
# cues whose matches are dropped when the words around them are hypothetical
STRUCTURAL_CUES = frozenset(
    {
        "crowd",
        "armed_target",
        "no_casualty",
        "aggregate",
        "label_property",
        "label_weapons",
        "label_other",
    }
)


def _is_hypothetical(token: Token, words: frozenset[str]) -> bool:
    """A trigger under a modal, a plan or threat, a condition, a negation or a hedge."""
    chain = [token, *list(token.ancestors)[:4]]
    for i, node in enumerate(chain):
        if i > 0 and node.lemma_.lower() in words and node.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            return True
        for child in node.children:
            lemma = child.lower_
            if child.dep_ in ("aux", "auxpass") and lemma in MODALS:
                return True
            if child.dep_ == "neg" and i < 2:
                return True
            if child.dep_ == "mark" and lemma in CONDITIONS:
                return True
            if child.dep_ in ("amod", "advmod") and lemma in HEDGES and i == 0:
                return True
        if node.dep_ in ("ROOT", "nsubj", "nsubjpass", "csubj"):
            break  # what the subject of a plan or demand did is no plan ("workers who protested")
    return False


def cues_in(text: str, rules: EventRules) -> dict[str, tuple[Anchored, ...]]:
    """The cue patterns that can match somewhere in a document's text."""
    folded = text.casefold()
    found = {n: tuple(p for p in ps if p.may_match(folded)) for n, ps in rules.cues.items()}
    return {n: ps for n, ps in found.items() if ps}


def cue_hits(
    sentence: SpacySpan, rules: EventRules, cues: Mapping[str, tuple[Anchored, ...]]
) -> dict[str, int]:
    """Cue name -> number of realis matches in the sentence (`cues`: those of its document)."""
    doc = sentence.doc
    text = sentence.text
    folded = text.casefold()
    hits: dict[str, int] = {}
    for name, patterns in cues.items():
        count = 0
        for pattern in patterns:
            for match in pattern.finditer(text, folded):
                if name not in STRUCTURAL_CUES:
                    start = sentence.start_char + match.start()
                    span = doc.char_span(
                        start, start + max(1, len(match.group(0).rstrip())), alignment_mode="expand"
                    )
                    if (
                        span is not None
                        and len(span)
                        and _is_hypothetical(span[0], rules.hypothetical)
                    ):
                        continue
                count += 1
        if count:
            hits[name] = count
    return hits
