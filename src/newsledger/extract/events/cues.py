"""Cue matching: which cues of the event rules match a sentence, leaving out the matches that are
only hypothetical (under a modal, a plan or threat, a condition, a negation or a hedge)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newsledger.extract.anchors import Anchored, folds_safely
from newsledger.extract.events.rules import EventRules

MODALS = frozenset({"could", "would", "might", "may", "will", "shall", "should", "must", "can"})
HEDGES = frozenset({"potential", "possible", "possibly", "likely", "alleged"})
CONDITIONS = frozenset({"if", "unless", "whether"})
# cues whose matches are dropped when the words around them are hypothetical
# words a kind of act hangs from: "implicated in", "acts of", "responsible for", "accused of"
KIND_HEADS = frozenset(
    {
        "implicate",
        "act",
        "responsible",
        "accuse",
        "convict",
        "charge",
        "suspect",
        "involve",
        "guilty",
        "role",
        "history",
        "record",
        "campaign",
        "policy",
        "crime",
        "use",
    }
)
DEFINITE = frozenset({"the", "this", "that", "its", "their", "his", "her"})
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


def _told_elsewhere(span: SpacySpan) -> bool:
    """A definite noun in a relative clause: "Douma, where the chemical attack took place"."""
    root = span.root
    definite = root.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in root.children
    )
    return definite and any(node.dep_ == "relcl" for node in [root, *root.ancestors])


def _kind_of_act(span: SpacySpan) -> bool:
    """A noun for a kind of act a person is described by: "implicated in torture and execution",
    "responsible for the killing of", "acts of violence"."""
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    specific = any(c.dep_ in ("det", "poss", "nummod") for c in root.children)
    return (
        root.pos_ == "NOUN"
        and not specific  # "responsible for Saturday's attack" names one
        and root.dep_ == "pobj"
        and root.head.lower_ in ("in", "of", "for")
        and root.head.head.lemma_.lower() in KIND_HEADS
    )


Key = tuple[str, bool]  # an anchor, and whether it is looked for in the text as it is


@dataclass(frozen=True)
class DocCues:
    """The cue patterns that can match somewhere in a document, with where their anchors occur.

    A clause can hold a match of a pattern only if one of the pattern's anchors occurs wholly
    inside it: the same test as `Anchored.may_match` on the clause's casefolded text when
    casefolding keeps the document's length (each character folds to one, so the clause's
    casefold is the same stretch of the document's). Otherwise (`starts` None) each clause is
    casefolded and tested as before."""

    cues: Mapping[str, tuple[tuple[Anchored, frozenset[Key] | None], ...]]
    starts: list[int] | None  # where each anchor occurrence starts, in order
    occurrences: list[tuple[int, Key]]  # (end, anchor) of each, in the same order


def cues_in(text: str, rules: EventRules) -> DocCues:
    """The cue patterns that can match somewhere in a document's text (`doc_text`), and where
    their anchors occur in it."""
    if not folds_safely(text):  # every pattern tried, on every clause
        every = {n: tuple((p, None) for p in ps) for n, ps in rules.cues.items()}
        return DocCues(every, None, [])
    folded = text.casefold()
    found: dict[Key, list[int]] = {}  # the anchors in the text, with where each starts
    for key in rules.cue_anchors:
        word, exact = key
        within = text if exact else folded
        at = within.find(word)
        if at >= 0:
            found[key] = ats = [at]
            at = within.find(word, at + 1)
            while at >= 0:
                ats.append(at)
                at = within.find(word, at + 1)
    keyed: dict[str, tuple[tuple[Anchored, frozenset[Key] | None], ...]] = {}
    for name, patterns in rules.cues.items():
        kept = tuple(
            (p, keys) for p in patterns if (keys := p.keys) is None or not keys.isdisjoint(found)
        )
        if kept:
            keyed[name] = kept
    if len(folded) != len(text):
        return DocCues(keyed, None, [])
    places = sorted((at, at + len(key[0]), key) for key, ats in found.items() for at in ats)
    return DocCues(keyed, [at for at, _, _ in places], [(end, key) for _, end, key in places])


def _present(sentence: SpacySpan, cues: DocCues) -> set[Key] | None:
    """The anchors that occur wholly inside the sentence (None: not known, test its text)."""
    if cues.starts is None:
        return None
    start, end = sentence.start_char, sentence.end_char
    first = bisect_left(cues.starts, start)
    last = bisect_left(cues.starts, end, first)
    return {key for stop, key in cues.occurrences[first:last] if stop <= end}


def cue_matches(sentence: SpacySpan, cues: DocCues) -> Iterator[tuple[str, re.Match[str]]]:
    """(cue name, match) of every cue pattern in the sentence's text, by cue and pattern: what
    each pattern's `finditer` finds, tried only where an anchor of it occurs in the sentence."""
    text = sentence.text
    present = _present(sentence, cues)
    folded = text.casefold() if present is None else ""
    for name, patterns in cues.cues.items():
        for pattern, keys in patterns:
            if present is None:
                if not pattern.may_match(folded, text):
                    continue
            elif keys is not None and present.isdisjoint(keys):
                continue
            for match in pattern.regex.finditer(text):
                yield name, match


def cue_hits(
    sentence: SpacySpan,
    rules: EventRules,
    cues: DocCues,
    whole: bool = False,
) -> dict[str, int]:
    """Cue name -> number of realis matches in the sentence (`cues`: those of its document,
    from `cues_in` of its document's text).

    In a `whole` report a definite noun inside a relative clause refers to an incident told
    elsewhere ("Douma, where the chemical attack took place, was handed over"): not counted."""
    doc = sentence.doc
    hits: dict[str, int] = {}
    for name, match in cue_matches(sentence, cues):
        if name not in STRUCTURAL_CUES:
            start = sentence.start_char + match.start()
            span = doc.char_span(
                start, start + max(1, len(match.group(0).rstrip())), alignment_mode="expand"
            )
            if span is not None and len(span) and _is_hypothetical(span[0], rules.hypothetical):
                continue
            if whole and span is not None and len(span) and _told_elsewhere(span):
                continue
            if whole and span is not None and len(span) and _kind_of_act(span):
                continue
        hits[name] = hits.get(name, 0) + 1
    return hits
