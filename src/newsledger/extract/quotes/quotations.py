"""Quotations as attributions: a quotation with its cue before ("X said: “…”") or after ("“…,” he
said", "“…” X added"), signed after a dash ("“…” ― Name"), or with no cue when it reads as speech
(its speaker is borrowed later, see speakers.py); and the verbatim fragments inside indirect
quotes. A quoted name (`the "Northern Shield" alliance`) or a short scare quote nobody is said to
utter is not a quote.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from newsledger.extract.doctext import sentence_of
from newsledger.extract.quotes.attributions import make_attribution, speaker_token
from newsledger.extract.quotes.context import Attribution, Context, cue_lemma
from newsledger.extract.quotes.marks import CLOSING, SENTENCE_END, STRAIGHT, Quotation


def _standalone(ctx: Context, q: Quotation) -> bool:
    """The quotation opens a sentence of its own (after a full stop, a paragraph break or
    another quotation), as a quoted sentence does and a quoted name does not."""
    before = ctx.text[: q.start].rstrip()
    if not before or before.endswith("\n") or "\n" in ctx.text[len(before) : q.start]:
        return True
    return before[-1] in SENTENCE_END + CLOSING + STRAIGHT + ":"


def _name_like(ctx: Context, q: Quotation) -> bool:
    """A quoted name or term, not speech: `the "Northern Shield" alliance`."""
    if _standalone(ctx, q):
        return False
    doc = ctx.doc
    toks = [t for t in doc.char_span(q.start, q.end, alignment_mode="expand") or [] if t.is_alpha]
    inner = [t for t in toks if any(s <= t.idx < e for s, e in q.segments)]
    if not inner or len(inner) > 6:
        return False
    content = [t for t in inner if t.lower_ not in ctx.lex.function_words]
    if content and all(t.text[:1].isupper() for t in content):
        return True
    if any(t.pos_ in ("VERB", "AUX") for t in inner):
        return False
    before = doc.char_span(0, q.start, alignment_mode="contract")
    if before is not None and len(before):
        prev = [t for t in before[-2:] if not t.is_punct]
        if prev and prev[-1].lower_ in ctx.lex.naming_cues:
            return True
    last = inner[-1]
    after = [t for t in doc[last.i + 1 : last.i + 3] if not t.is_punct]
    # the quotation modifies the noun after it
    return bool(
        after and after[0].idx >= q.end and last.head.i == after[0].i and after[0].pos_ == "NOUN"
    )


def _speech_like(ctx: Context, q: Quotation) -> bool:
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha and ctx.quote_of[t.i] >= 0]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
    return (len(words) >= 3 and has_verb) or len(words) >= 8 or _standalone(ctx, q)


def _window_cue(
    ctx: Context, q: Quotation, used: dict[int, tuple[int, int]]
) -> tuple[Token, str, Token] | None:
    """A reporting verb right after the quotation ("…," he said) or right before it."""
    doc = ctx.doc
    after = doc.char_span(q.end, len(ctx.text), alignment_mode="expand")
    if after is not None:
        para = ctx.paragraph_of[ctx.token_at(max(q.end - 1, 0))]
        for tok in after[:10]:  # not list(after): a Token for every token to the end
            if ctx.quote_of[tok.i] >= 0 and tok.idx >= q.end:
                break
            if ctx.paragraph_of[tok.i] != para:
                break  # the cue of a quotation is in its own paragraph
            if tok.text in SENTENCE_END and tok.idx > q.end:
                break
            lemma = cue_lemma(tok, ctx.lex)
            if lemma is None or "clause" not in ctx.lex.verb_frames[lemma]:
                continue
            subject = _named_between(ctx, q.end, tok) or speaker_token(ctx, tok)
            if subject is None or ctx.quote_of[subject.i] >= 0:
                continue
            if tok.i in used and not _within(used[tok.i], q):
                continue
            return tok, lemma, subject
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None:
        return None
    sent = sentence_of(doc, first[0].i)
    lo = sent.start
    if first[0].i <= sent.start + 1 and sent.start > 0:
        prev = doc[sent.start - 1]
        if prev.text == ":" or doc[max(sent.start - 2, 0)].text == ":":
            lo = sentence_of(doc, prev.i).start
    for i in range(first[0].i - 1, lo - 1, -1):
        tok = doc[i]
        if ctx.quote_of[i] >= 0:
            break
        lemma = cue_lemma(tok, ctx.lex)
        if lemma is None or "clause" not in ctx.lex.verb_frames[lemma]:
            continue
        subject = speaker_token(ctx, tok)
        if subject is None or ctx.quote_of[subject.i] >= 0:
            continue
        if i in used and not _within(used[i], q):
            continue
        return tok, lemma, subject
    return None


SIGNED = "―"  # the cue of a quotation signed after a dash
_DASH_SOURCE = re.compile(r"[^\S\n]*[―—–-][^\S\n]*([^\s―—–-][^\n]{0,60}?)[^\S\n.]*\.?(?=\n|$)")


def _dash_source(ctx: Context, q: Quotation) -> tuple[Token, str, Token] | None:
    """“…” ― Name: a quotation signed by its source after a dash, the rest of the paragraph
    a short name (testimonies, epigraphs, letters)."""
    m = _DASH_SOURCE.match(ctx.text, q.end)
    if m is None or len(m.group(1).split()) > 6 or not m.group(1)[:1].isupper():
        return None
    span = ctx.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if span is None or not any(t.pos_ == "PROPN" for t in span):
        return None
    dash = ctx.doc[ctx.token_at(m.start(1)) - 1] if span.start > 0 else span[0]
    return dash, SIGNED, span.root


def _named_between(ctx: Context, start: int, cue: Token) -> Token | None:
    """The first person named between a quotation's end and its cue (`,” Haddad, a …, said`)."""
    for entity in ctx.people:
        if entity.kind != "person":
            continue
        for m in entity.mentions:
            if start <= m.start and m.end <= cue.idx:
                span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    return span.root
    return None


def _within(rng: tuple[int, int], q: Quotation) -> bool:
    return q.start <= rng[0] and rng[1] <= q.end + 1


def _covered(q: Quotation, atts: Sequence[Attribution]) -> bool:
    size = sum(e - s for s, e in q.segments) or 1
    for a in atts:
        inside = 0
        for s, e in q.segments:
            for cs, ce in a.content:
                inside += max(0, min(e, ce) - max(s, cs))
        if inside * 2 >= size:
            return True
    return False


def quotation_attributions(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    used = {a.cue_token: (a.start, a.end) for a in atts if a.cue_token is not None}
    out: list[Attribution] = []
    for q in ctx.quotations:
        if _covered(q, atts) or _covered(q, out):
            continue
        if _name_like(ctx, q):
            continue
        first, last = q.segments[0][0], q.segments[-1][1]
        found = _window_cue(ctx, q, used) or _dash_source(ctx, q)
        if found is not None:
            tok, lemma, subject = found
            att = make_attribution(ctx, (first, last), tok, lemma, subject)
            used[tok.i] = (first, last)
            out.append(att)
        elif _speech_like(ctx, q):
            out.append(make_attribution(ctx, (first, last), None, None, None))
    return out


def join_interrupted(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """“A,” she said, “B.” -> one quotation A B: two quotations of one sentence with only the
    reporting clause between them are one statement with one cue."""
    direct = sorted((a for a in atts if a.kind == "direct"), key=lambda a: a.start)
    merged: dict[int, Attribution] = {}  # id of the first part -> the whole
    dropped: set[int] = set()
    for a, b in itertools.pairwise(direct):
        if id(a) in dropped or not _interrupted(ctx, a, b):
            continue
        lead = a if a.cue_token is not None and a.end <= ctx.token_starts[a.cue_token] else b
        if lead.cue_token is None:
            continue
        whole = replace(
            lead,
            content=a.content + b.content,
            first_sentence=min(a.first_sentence, b.first_sentence),
            last_sentence=max(a.last_sentence, b.last_sentence),
        )
        merged[id(a)] = whole
        dropped.add(id(b))
    return [merged.get(id(a), a) for a in atts if id(a) not in dropped]


def _interrupted(ctx: Context, a: Attribution, b: Attribution) -> bool:
    between = ctx.text[a.end : b.start]
    last = ctx.text[a.content[-1][0] : a.end].rstrip(" ”\"'’")
    if not (last.endswith(",") or between.lstrip(" ”\"'’").startswith(",")):
        return False  # “A.” X said, “B.”: A ended a sentence
    if "\n" in between or len(between.split()) > 12:
        return False
    if any(ch in SENTENCE_END for ch in between):
        return False
    cues = [x.cue_token for x in (a, b) if x.cue_token is not None]
    if len(cues) != 1:
        return False  # each part has a cue of its own: two statements
    return any(a.end <= ctx.token_starts[c] < b.start for c in cues)


def verbatim_fragments(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """`atts` with, after each indirect one, the quotations inside its content as direct
    quotes of the same speaker: "described the group as “more dangerous” now" holds the
    speaker's own words "more dangerous". A quoted name (capitalised words) is not a fragment."""
    out: list[Attribution] = []
    for a in atts:
        out.append(a)
        if a.kind != "indirect":
            continue
        for qi, q in enumerate(ctx.quotations):
            if not any(s <= q.segments[0][0] < e for s, e in a.content):
                continue
            words = [w for s, e in q.segments for w in ctx.text[s:e].split()]
            if len(words) < 2 or _quoted_name(ctx, qi):
                continue
            fragment = replace(a, content=q.segments, kind="direct", notes=FRAGMENT_NOTE)
            out.append(fragment)
    return out


FRAGMENT_NOTE = "verbatim words inside an indirect quote"


def _quoted_name(ctx: Context, qi: int) -> bool:
    """Every word of the quotation that is not a function word is capitalised."""
    q = ctx.quotations[qi]
    words = [w.strip(".,;:!?'’") for s, e in q.segments for w in ctx.text[s:e].split()]
    content = [w for w in words if w and w.lower() not in ctx.lex.function_words]
    return bool(content) and all(w[:1].isupper() for w in content)
