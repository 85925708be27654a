"""Speakers borrowed: a quotation with no cue of its own takes the speaker its sentence or its
paragraph gives it, and quotations of one statement are joined.

A quotation with no cue is the subject's of the sentence that introduces it (inside it, or
after the colon that ends it), else the speaker of the nearest attribution of its paragraph
(before it, else after it), else the person its paragraph is about, else the last speaker of
the two paragraphs before. “A,” she said. “B.” is one quote, and so is “A,” she said, “B.”
"""

from __future__ import annotations

from dataclasses import replace

from newsledger.extract.quotes.context import Attribution, Context
from newsledger.extract.quotes.quotations import SIGNED
from newsledger.extract.quotes.speakers import Resolver, Said
from newsledger.records import Entity


def _paragraph_at(ctx: Context, char: int) -> int:
    return ctx.paragraph_of[ctx.token_at(char)] if len(ctx.doc) else -1


def borrow_speakers(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """A quotation with no cue takes the speaker of the nearest attribution of its paragraph
    (before it, else after it), else the person its paragraph is about (the last person named
    as a subject before it: "X identified … . “…”"), else the speaker of the last attribution
    of the two paragraphs before."""
    out = list(atts)
    resolver = Resolver(ctx)  # a sentence subject's pronoun is resolved as before (the chain)
    first_para = [_paragraph_at(ctx, a.start) for a in out]
    last_para = [_paragraph_at(ctx, max(a.end - 1, a.start)) for a in out]
    signed = [a.cue == SIGNED for a in out]
    for i, a in enumerate(out):
        if a.own_cue:
            continue
        said = _sentence_subject(ctx, resolver, a)
        if said is not None:
            out[i] = replace(a, speaker=said.name, title=said.title, speaker_kind=said.kind)
            continue
        para = first_para[i]
        # a quotation signed after a dash ("“…” ― Name") lends its speaker to none after it
        before = [j for j in range(i) if out[j].speaker and last_para[j] == para and not signed[j]]
        after = [
            j
            for j in range(i + 1, len(out))
            if out[j].own_cue and out[j].speaker and first_para[j] == para
        ]
        earlier = [
            j
            for j in range(i)
            if out[j].speaker and para - 2 <= last_para[j] < para and not signed[j]
        ]
        pick = before[-1] if before else after[0] if after else None
        if pick is None:
            subject = _paragraph_subject(ctx, a.start, para)
            if subject is not None:
                out[i] = replace(
                    a, speaker=subject.name, title=subject.title, speaker_kind="person"
                )
                continue
            pick = earlier[-1] if earlier else None
        if pick is not None:
            picked = out[pick]
            out[i] = replace(
                a, speaker=picked.speaker, title=picked.title, speaker_kind=picked.speaker_kind
            )
    return out


def _sentence_subject(ctx: Context, resolver: Resolver, a: Attribution) -> Said | None:
    """The speaker of a quotation with no cue that its sentence introduces: the subject of
    the sentence's main verb, outside quotation marks, when the quotation is inside that
    sentence ("X called on police to act “as a matter of transparency”") or follows the
    colon that ends it ("X made the following comment: “…”")."""
    at = ctx.token_at(a.start)
    sentence = ctx.sentences[ctx.sentence_of[at]]
    colon = ctx.text[: a.start].rstrip(" \n\"“‘'").endswith(":")
    if ctx.sentence_of[at] > 0 and ctx.doc[at].i <= sentence.start + 1:
        if not colon:
            return None
        before = ctx.text[: a.start].rstrip(" \n\"“‘'")
        sentence = ctx.sentences[ctx.sentence_of[ctx.token_at(len(before) - 1)]]
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.idx >= a.start:
        return None
    if any(ctx.quote_of[t.i] >= 0 for t in subject.subtree):
        return None
    if ctx.paragraph_of[subject.i] != ctx.paragraph_of[at] and not colon:
        return None  # a quotation opening its paragraph is no part of the sentence before
    lex = ctx.lex
    if subject.lower_ in lex.pronouns or subject.pos_ == "NOUN":
        resolver.chain_pronouns({})  # once, only when a pronoun or description needs it
    said = resolver.speaker(subject, {})
    if said.name is None or said.kind == "unknown":
        return None
    if not colon and said.kind not in ("person", "group"):
        return None  # "Iraq monitors developments, “even though …”": a topic, not a speaker
    return said


def _paragraph_subject(ctx: Context, start: int, para: int) -> Entity | None:
    """The last person named as the subject of a clause in paragraph `para` before `start`,
    outside quotation marks."""
    best: tuple[int, Entity] | None = None
    for entity in ctx.people:
        if entity.kind != "person":
            continue
        for m in entity.mentions:
            if m.end > start or _paragraph_at(ctx, m.start) != para:
                continue
            if any(q.covers(m.start) for q in ctx.quotations):
                continue
            tok = ctx.doc[ctx.token_at(m.start)]
            for _ in range(4):
                if tok.dep_ in ("compound", "flat", "appos") and tok.head.i != tok.i:
                    tok = tok.head
            if tok.dep_ in ("nsubj", "nsubjpass") and (best is None or m.start > best[0]):
                best = (m.start, entity)
    return best[1] if best else None


def merge_continuations(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """“A,” she said. “B.” -> one quote: B continues A when B has no cue of its own; and
    “A,” she said, “B.” -> one quote of B's speaker: A (no cue of its own, its speaker only
    borrowed) opens the sentence whose cue follows it."""
    out: list[Attribution] = []
    for a in atts:
        prev = out[-1] if out else None
        if prev is None or a.kind != "direct" or prev.kind != "direct":
            out.append(a)
            continue
        same = prev.speaker == a.speaker and prev.cue != SIGNED and a.cue != SIGNED
        if same and not a.own_cue and a.first_sentence <= prev.last_sentence + 1:
            out[-1] = replace(prev, content=prev.content + a.content, last_sentence=a.last_sentence)
            continue
        cue_between = a.cue_token is not None and prev.end <= ctx.doc[a.cue_token].idx < a.start
        if (
            prev.cue != SIGNED
            and not prev.own_cue
            and a.own_cue
            and cue_between
            and prev.last_sentence == a.first_sentence
        ):
            out[-1] = replace(
                a, content=prev.content + a.content, first_sentence=prev.first_sentence
            )
            continue
        out.append(a)
    return out
