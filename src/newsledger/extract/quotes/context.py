"""The document as the attribution rules read it: tokens, sentences, paragraphs and quotations,
and an attribution before it becomes a record."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, IS_SPACE  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span, Token

from newsledger.extract.doctext import doc_text, pos_words, tag_words
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
    # the tokens' columns at once (spaCy makes a Token object on every access); a token's
    # trailing whitespace is one space at most, so a line break is a space token's own text
    columns = doc.to_array([IDX, IS_SPACE])
    starts: list[int] = columns[:, 0].tolist() if len(doc) else []
    breaks = numpy.zeros(len(doc), dtype="int64")
    for i in numpy.flatnonzero(columns[:, 1]).tolist() if len(doc) else []:
        if "\n" in doc[i].text:
            breaks[i] = 1
    paragraph_of: list[int] = (numpy.cumsum(breaks) - breaks).tolist()
    quote_of = _quote_of(starts, quotations)
    sentences = list(doc.sents)
    sizes = [sent.end - sent.start for sent in sentences]
    sentence_of: list[int] = numpy.repeat(numpy.arange(len(sentences)), sizes).tolist()
    return Context(
        doc, text, lex, people, quotations, quote_of, paragraph_of, sentences, sentence_of, starts
    )


def _quote_of(starts: Sequence[int], quotations: Sequence[Quotation]) -> list[int]:
    """Token index -> the first quotation holding its first character, or -1; only the three
    quotations from the first one not ended by then are looked at."""
    quote_of = [-1] * len(starts)
    ends = list(itertools.accumulate((q.end for q in quotations), max))
    for j, q in enumerate(quotations):
        for s, e in q.segments:
            for i in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
                # the first quotation not ended by the token's start: the first whose end,
                # or an earlier one's, lies past it
                if quote_of[i] == -1 and j < bisect.bisect_right(ends, starts[i]) + 3:
                    quote_of[i] = j
    return quote_of


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


def cue_candidates(doc: Doc) -> list[Token]:
    """The tokens `cue_lemma` may take for a reporting verb: verbs and auxiliaries, and
    adjectives and participles ("frustrated that"), by the Doc's tag and part-of-speech
    columns."""
    tags, pos = tag_words(doc), pos_words(doc)
    return [
        doc[i]
        for i, (tag, part) in enumerate(zip(tags, pos, strict=True))
        if tag in ("JJ", "VBN") or part in ("VERB", "AUX") or tag[:2] == "VB"
    ]


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
