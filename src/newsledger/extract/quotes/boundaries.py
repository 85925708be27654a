"""Where the content of a statement ends: edge punctuation and "that" trimmed, the sentence
run on to its end after the cue (the parser often hangs the last clause of a statement on the
cue), and the stops: ", citing …" / ", adding that …" (a second statement), the speaker's
next act ("promised X and attempted …", "…, sending …"), a clause on when it was said ("…, as
the fighting spread"), a quotation set off on its own, a semicolon."""

from __future__ import annotations

from spacy.tokens import Token

from newsledger.extract.doctext import sentence_of
from newsledger.extract.quotes.context import Context, cue_lemma


def trim(ctx: Context, tokens: list[Token]) -> list[Token]:
    """Drop edge punctuation and a leading complementizer ("that") from content tokens."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (
        toks[0].is_punct
        or toks[0].is_space
        or (toks[0].lower_ in ctx.lex.complementizers and toks[0].dep_ == "mark")
    ):
        toks = toks[1:]
    while toks and (toks[-1].is_space or (toks[-1].is_punct and toks[-1].text not in "”\"’'")):
        toks = toks[:-1]
    return toks


def until_second_statement(ctx: Context, tokens: list[Token]) -> list[Token]:
    """The content up to ", citing …", ", adding that …", ", saying …": a participle of a
    reporting verb after a comma starts the speaker's reason or a second statement."""
    toks = sorted(tokens, key=lambda t: t.i)
    for k in range(1, len(toks) - 1):
        comma, verb = toks[k], toks[k + 1]
        if comma.text != "," or verb.i != comma.i + 1 or verb.tag_ != "VBG":
            continue
        if ctx.quote_of[verb.i] < 0 and cue_lemma(verb, ctx.lex) is not None:
            return toks[:k]
    return toks


def run_on(ctx: Context, cue: Token, tokens: list[Token]) -> list[Token]:
    """Content after its cue goes on to the end of the sentence (within the paragraph): the
    parser often hangs the last clause of a statement ("…, so …", "… or even …") on the cue.

    It stops before what is not more of the statement: another reporting clause with a
    subject of its own, a second finite verb of the speaker ("promised X and attempted …"),
    a participle clause after a comma ("…, sending …"), a quotation of its own, a semicolon."""
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks or toks[0].i < cue.i:
        return toks
    para = ctx.paragraph_of[cue.i]
    doc = ctx.doc
    inside = {ctx.quote_of[t.i] for t in toks}
    end = sentence_of(doc, cue.i).end
    subordinate = cue.dep_ in _SUBORDINATE or any(c.dep_ == "mark" for c in cue.children)
    if subordinate and cue.head.i > cue.i:
        end = min(end, cue.right_edge.i + 1)  # "Though X said …, Y is …": the main clause
    extra: list[Token] = []
    for t in doc[toks[-1].i + 1 : end]:
        if ctx.paragraph_of[t.i] != para or t.text == ";":
            break
        qi = ctx.quote_of[t.i]
        if qi >= 0 and qi not in inside and _set_off(ctx, qi) and _quoted_words(ctx, qi) >= 4:
            break
        if qi < 0 and _new_predicate(ctx, cue, t):
            break
        extra.append(t)
    return toks + extra


_SUBORDINATE = ("advcl", "relcl", "acl", "pcomp", "pobj", "amod", "csubj", "npadvmod")


def _set_off(ctx: Context, qi: int) -> bool:
    """The quotation stands apart from the sentence before it (after a comma, a colon, a dash
    or a full stop), as a quoted statement of its own does; "urged him to “…”" does not."""
    before = ctx.text[: ctx.quotations[qi].start].rstrip()
    return not before or before[-1] in ",:;.!?—–-"


def _quoted_words(ctx: Context, qi: int) -> int:
    return sum(len(ctx.text[s:e].split()) for s, e in ctx.quotations[qi].segments)


def _new_predicate(ctx: Context, cue: Token, tok: Token) -> bool:
    """`tok` begins what the speaker does next, not more of what they said."""
    if tok.dep_ == "cc" and tok.head.i == cue.i:
        conj = _speakers_next_verb(cue, tok)
        if conj is not None and conj.tag_ in ("VBD", "VBZ", "VBN"):
            return True  # "promised a veto and attempted to …"
    if tok.dep_ == "mark" and tok.lower_ in ctx.lex.event_clause_marks:
        return True  # "…, as Pyongyang fired …": when the speaker said it, not what
    if tok.text == "," or (tok.is_quote and tok.i > 0 and tok.nbor(-1).text == ","):
        nxt = [t for t in ctx.doc[tok.i + 1 : tok.i + 4] if t.pos_ != "ADV" and not t.is_quote]
        nxt = nxt[:1]
        if nxt and nxt[0].tag_ == "VBG":
            return True  # "…, sending him to …"
        if (
            nxt
            and nxt[0].dep_ == "cc"
            and nxt[0].head.i == cue.i
            and _speakers_next_verb(cue, nxt[0]) is not None
        ):
            return True  # "…, and criticized …"
    return cue_lemma(tok, ctx.lex) is not None and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children
    )


def _speakers_next_verb(cue: Token, cc: Token) -> Token | None:
    """The verb conjoined to the cue after `cc` when it has no subject of its own (the
    speaker's next act); "…, and there was no evidence" has one and goes on with the content."""
    conj = next((c for c in cue.children if c.dep_ == "conj" and c.i > cc.i), None)
    if (
        conj is None
        or conj.pos_ not in ("VERB", "AUX")
        or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children)
    ):
        return None
    return conj
