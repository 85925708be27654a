"""The document as the attribution rules read it: tokens, sentences, paragraphs and quotations,
and an attribution before it becomes a record."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsledger.extract.doctext import doc_text
from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.quotes.marks import Quotation, find_quotations
from newsledger.records import Entity, SpeakerKind


@dataclass(frozen=True)
class Context:
    doc: Doc
    text: str  # doc.text, which spaCy rebuilds on every access
    lex: AttributionLexicon
    people: Sequence[Entity]
    quotations: Sequence[Quotation]
    quote_of: Sequence[int]  # token index -> quotation index, or -1
    paragraph_of: Sequence[int]  # token index -> paragraph number
    sentences: Sequence[Span]
    sentence_of: Sequence[int]  # token index -> sentence number
    token_starts: Sequence[int]  # token index -> its first character

    def token_at(self, char: int) -> int:
        """The index of the token holding (or last starting before) character `char`."""
        return max(0, bisect.bisect_right(self.token_starts, char) - 1)


def build_context(doc: Doc, people: Sequence[Entity], lex: AttributionLexicon) -> Context:
    text = doc_text(doc)
    quotations = find_quotations(text)
    # one pass over the tokens (spaCy makes a Token object on every access)
    starts: list[int] = []
    paragraph_of: list[int] = []
    para = 0
    for tok in doc:
        starts.append(tok.idx)
        paragraph_of.append(para)
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            para += 1
    quote_of = [-1] * len(doc)
    qi = 0
    for i, idx in enumerate(starts):
        while qi < len(quotations) and quotations[qi].end <= idx:
            qi += 1
        for j in range(qi, min(qi + 3, len(quotations))):
            q = quotations[j]
            if any(s <= idx < e for s, e in q.segments):
                quote_of[i] = j
                break
    sentences = list(doc.sents)
    sentence_of = [0] * len(doc)
    for si, sent in enumerate(sentences):
        for i in range(sent.start, sent.end):
            sentence_of[i] = si
    return Context(
        doc, text, lex, people, quotations, quote_of, paragraph_of, sentences, sentence_of, starts
    )


# --- attributions before they become records ---------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    content: tuple[tuple[int, int], ...]  # character ranges
    kind: str  # "direct" or "indirect"
    cue: str | None
    cue_token: int | None
    subject: int | None  # token index of the speaker's head, when the syntax gives one
    speaker: str | None
    title: str | None
    first_sentence: int
    last_sentence: int
    own_cue: bool  # False when the speaker was borrowed from a neighbouring attribution
    speaker_kind: SpeakerKind = "unknown"
    notes: str = ""  # a refused speaker's candidates

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


def cue_lemma(tok: Token, lex: AttributionLexicon) -> str | None:
    """The reporting verb's lemma (with its particle: "point out"), if `tok` is one."""
    if tok.tag_ in ("JJ", "VBN") and tok.lower_ in lex.verb_frames:
        return tok.lower_  # "frustrated that …"
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_[:2] != "VB":
        return None
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prt" and f"{lemma} {child.lower_}" in lex.verb_frames:
            return f"{lemma} {child.lower_}"
    return lemma if lemma in lex.verb_frames else None
