"""Quotes: who said what, direct ("…," he said) and indirect (X warned that …).

`extract_quotes(doc, people, lex)` finds indirect speech and direct quotations with their cues
(`attributions`, `quotations`), gives each its speaker, the canonical name from `people`
(`speakers`), and makes a `Quote` of each with its evidence sentence(s). The quotation marks
themselves are found in plain text (`marks`); `context` holds the document as the rules read it.

A direct quote's `text` is the quoted words; an indirect quote's is its content, with the marks
of a quotation inside it kept; such a quotation (two words or more, not a quoted name) is also a
direct quote of its own with `notes` = `FRAGMENT_NOTE`, so the speaker's exact words are found.
Each quote has a `speaker_kind` (person, organization, group, document, media, unknown). When
nothing names the speaker it is None, never a guess; a refused candidate is named in `notes`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from spacy.tokens import Doc

from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.quotes.attributions import (
    according_to,
    colon_speakers,
    drop_hearsay,
    drop_stances_of_nobody,
    verb_attributions,
)
from newsledger.extract.quotes.borrowing import borrow_speakers, merge_continuations
from newsledger.extract.quotes.context import Attribution, Context, build_context, cue_lemma
from newsledger.extract.quotes.marks import Quotation, find_quotations
from newsledger.extract.quotes.nominal import nominal_attributions
from newsledger.extract.quotes.quotations import (
    FRAGMENT_NOTE,
    join_interrupted,
    quotation_attributions,
    verbatim_fragments,
)
from newsledger.extract.quotes.speakers import resolve_speakers
from newsledger.records import Entity, Evidence, Quote

__all__ = ["FRAGMENT_NOTE", "Quotation", "cue_lemma", "extract_quotes", "find_quotations"]


def _text(ctx: Context, a: Attribution) -> str:
    text = ctx.text
    pieces = [text[s:e] for s, e in a.content]
    joined = re.sub(r"\s+", " ", " ".join(p.strip() for p in pieces)).strip()
    if a.kind == "direct":
        joined = joined.strip(" ,;:")
    if a.notes == FRAGMENT_NOTE:
        joined = joined.strip(" ,;:.")
    return joined


def extract_quotes(doc: Doc, people: Sequence[Entity], lex: AttributionLexicon) -> list[Quote]:
    """Direct and indirect quotes in `doc`, each with its speaker and evidence sentence(s)."""
    ctx = build_context(doc, people, lex)
    atts = verb_attributions(ctx) + according_to(ctx) + colon_speakers(ctx)
    atts += nominal_attributions(ctx)
    atts += quotation_attributions(ctx, atts)
    atts = join_interrupted(ctx, atts)
    atts = resolve_speakers(ctx, atts)
    atts = borrow_speakers(ctx, atts)
    atts = merge_continuations(ctx, atts)
    atts = drop_hearsay(ctx, atts)
    atts = drop_stances_of_nobody(ctx, atts)
    atts = verbatim_fragments(ctx, atts)
    quotes = []
    seen: set[tuple[int, int]] = set()
    for a in atts:
        if (a.start, a.end) in seen:
            continue
        seen.add((a.start, a.end))
        text = _text(ctx, a)
        if not text:
            continue
        first = ctx.sentences[a.first_sentence]
        last = ctx.sentences[a.last_sentence]
        evidence = Evidence(
            first.start_char, last.end_char, ctx.text[first.start_char : last.end_char]
        )
        kind: Literal["direct", "indirect"] = "direct" if a.kind == "direct" else "indirect"
        speaker_kind = a.speaker_kind if a.speaker is not None else "unknown"
        quote = Quote(a.speaker, a.title, text, kind, a.cue, evidence, speaker_kind, a.notes)
        quotes.append(quote)
    return quotes
