"""Nominal cues: a noun of saying, thinking or intending with its holder ("Trump's claim that
…", "his decision to …", "her criticism of …", "X's bet is that …", "X, a critic of …"), from
`nominal_cues.txt`."""

from __future__ import annotations

from spacy.tokens import Token

from newsledger.extract.doctext import lower_words
from newsledger.extract.quotes.attributions import char_range, make_attribution
from newsledger.extract.quotes.boundaries import run_on, trim, until_second_statement
from newsledger.extract.quotes.context import Attribution, Context


def nominal_attributions(ctx: Context) -> list[Attribution]:
    """ "Trump's claim that …", "his decision to …", "her criticism of …", "X's bet is that …":
    a noun of `nominal_cues.txt` with a possessor or a "by" agent, who is the speaker."""
    out = []
    nouns = ctx.lex.noun_frames
    for i, word in enumerate(lower_words(ctx.doc)):
        frames = nouns.get(word)
        if frames is None:
            continue
        tok = ctx.doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or ctx.quote_of[tok.i] >= 0:
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
        if owner is None and tok.lower_ in ctx.lex.holder_nouns:
            owner = _holder(tok)
        if owner is None or owner.lower_ in ctx.lex.relative_pronouns:
            continue
        parts = _noun_content(ctx, tok, frames)
        para = ctx.paragraph_of[tok.i]
        parts = [t for t in parts if ctx.paragraph_of[t.i] == para]
        content = trim(ctx, until_second_statement(ctx, run_on(ctx, tok, parts)))
        if len([t for t in content if t.is_alpha or t.like_num]) < 2:
            continue
        out.append(make_attribution(ctx, char_range(content), tok, tok.lemma_.lower(), owner))
    return out


def _holder(noun: Token) -> Token | None:
    """Who holds the position a noun names: the subject of "is" ("X is a critic of …") or the
    noun it is set beside ("X, a longtime critic of …")."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    if noun.dep_ == "appos" and noun.head.pos_ in ("PROPN", "NOUN"):
        return noun.head
    return None


def _noun_content(ctx: Context, noun: Token, frames: frozenset[str]) -> list[Token]:
    """The content a nominal cue's frames allow: a that-clause, an infinitive, a preposition's
    object, or the clause after "is" when the noun is its subject ("X's view is that …")."""
    for child in noun.children:
        if child.i < noun.i:
            continue
        first = child.left_edge
        if (
            "clause" in frames
            and child.dep_ in ("acl", "relcl", "ccomp", "appos")
            and first.lower_ == "that"
            and first.dep_ == "mark"
        ):
            return list(child.subtree)
        if (
            "inf" in frames
            and child.dep_ in ("acl", "relcl", "xcomp")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        ):
            return list(child.subtree)
        if child.dep_ == "prep" and child.lower_ in frames:
            return [t for t in child.subtree if t.i != child.i]
    head = noun.head
    if "clause" in frames and noun.dep_ == "nsubj" and head.lemma_ == "be":
        for child in head.children:
            if child.dep_ == "ccomp" and child.i > head.i:
                return list(child.subtree)
    return []
