"""Attributions: a cue (a reporting verb, "according to", "NAME:", a quotation's own cue) with its
content and the token of its speaker.

* indirect speech: a reporting verb of `reporting_verbs.txt` with its content, taken from the
  frames the lexicon allows that verb (a clause: "said that …", "…, X said, …"; an object:
  "stressed the need …"; a preposition: "warned of …"; an infinitive: "vowed to …"; an object
  and what it is called: "described X as …"), states of mind written as adjectives ("were
  frustrated that …"), "according to X", and "NAME: …" lines (transcripts, headlines);
* quotations are in `quotations.py`.

A quotation inside the content of a reporting verb stays part of that record (kind "indirect",
the marks kept); a quotation that is the whole content is kind "direct". A quoted name (`the
"Northern Shield" alliance`) or a short scare quote nobody is said to utter is not a quote.
Reporting inside a quote or inside another record's content is hearsay of that speaker
(`drop_hearsay`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from newsledger.extract.doctext import lower_words, sentence_of
from newsledger.extract.quotes.boundaries import run_on, trim, until_second_statement
from newsledger.extract.quotes.context import Attribution, Context, cue_candidates, cue_lemma
from newsledger.extract.quotes.marks import (
    OPENING,
    SENTENCE_END,
    STRAIGHT,
    paragraph_spans,
)


def char_range(tokens: Sequence[Token]) -> tuple[int, int]:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _inverted_content(ctx: Context, cue: Token, subject: Token | None) -> list[Token]:
    """ "Y, X said." / "Y, X said, Z." / "Y, said X.": the sentence around the reporting clause.

    The reporting clause (the speaker, the cue and what hangs on the cue up to the next comma)
    must be set off by a comma before it; the content is the rest of the sentence within the
    paragraph, up to a participle that starts a new thought ("…, adding …").
    """
    if cue.tag_ == "VBG" or any(
        c.dep_ in ("ccomp", "dobj", "xcomp", "dative") and c.i > cue.i for c in cue.children
    ):
        return []
    if subject is None or abs(subject.i - cue.i) > 8:
        return []
    para = ctx.paragraph_of[cue.i]
    sent = [t for t in sentence_of(cue.doc, cue.i) if ctx.paragraph_of[t.i] == para]
    if not sent:
        return []
    start = cue.i
    if subject is not None and subject.i < cue.i and ctx.paragraph_of[subject.i] == para:
        start = subject.left_edge.i
    before = [t for t in sent if t.i < start]
    if not before or before[-1].text not in (",", "”", '"', "''"):
        return []
    end = cue.i
    if subject is not None and subject.i > cue.i:
        end = subject.right_edge.i
    stop = None
    for t in sent:
        if t.i <= end:
            continue
        if t.text == "," or t.text in SENTENCE_END:
            stop = t.i
            break
        if t.head.i != cue.i and not (cue.i < t.head.i <= end):
            return []  # the clause goes on: not a parenthetical reporting clause
        end = t.i
    after: list[Token] = []
    quoted_before = before[-1].text != "," or (len(before) > 1 and before[-2].text in "”\"'")
    if stop is not None and not quoted_before:
        for t in sent:
            if t.i <= stop:
                continue
            if t.tag_ == "VBG" and t.head.i == cue.i:
                break  # "…, he said, adding that …": a new thought
            after.append(t)
    words = [t for t in before if t.is_alpha]
    if len(words) < 3:
        return []
    return before + after


def _frame_child(child: Token, cue: Token, frames: frozenset[str], deps: set[str]) -> bool:
    """Whether a child of the cue holds (part of) its content, given the cue's frames."""
    dep = child.dep_
    if dep == "ccomp":
        return "clause" in frames or ("object" in frames and "dobj" in deps)
    if dep == "dobj":
        return (
            "object" in frames
            or ("obj_inf" in frames and "xcomp" in deps)
            or ("naming" in frames and bool(deps & {"oprd", "xcomp", "ccomp"}))
            or ("obj_as" in frames and "prep:as" in deps)
        )
    if dep == "xcomp":
        return child.i > cue.i and (
            "inf" in frames or (bool(frames & {"obj_inf", "naming"}) and "dobj" in deps)
        )
    if dep == "oprd":
        return "naming" in frames
    if dep == "prep" and child.lower_ == "as" and "obj_as" in frames and "dobj" in deps:
        return child.i > cue.i
    return dep == "prep" and child.i > cue.i and child.lower_ in frames


def _content_tokens(
    ctx: Context, cue: Token, lemma: str, subject: Token | None = None
) -> list[Token]:
    """The content of a reporting verb, from the frames the lexicon allows it."""
    frames = ctx.lex.verb_frames[lemma]
    if "clause" in frames:
        inverted = trim(ctx, _inverted_content(ctx, cue, subject))
        if inverted:
            return inverted
    children = list(cue.children)
    deps = {c.dep_ for c in children} | {f"prep:{c.lower_}" for c in children if c.dep_ == "prep"}
    for obj in (c for c in children if c.dep_ == "dobj"):
        if any(g.dep_ == "prep" and g.lower_ == "as" for g in obj.children):
            deps.add("prep:as")  # "saw the comment as a dig": the parser hangs "as" on the object
    parts: list[Token] = []
    for child in children:
        if _frame_child(child, cue, frames, deps):
            skip = child.i if child.dep_ == "prep" and "dobj" not in deps else -1
            parts.extend(t for t in child.subtree if t.i != skip)
    objects = [c for c in children if c.dep_ == "dobj" and c.i > cue.i]
    if not parts and "clause" in frames:
        # "said as much": the statement is referred to, not repeated
        for c in children:
            if (
                c.dep_ == "advmod"
                and c.lower_ == "much"
                and any(g.lower_ == "as" and g.i == c.i - 1 for g in c.children)
            ):
                parts.extend(c.subtree)
        # "told a meeting of leaders that …": the parser hangs the that-clause on the object
        for obj in objects:
            for c in obj.children:
                edge = c.left_edge
                if c.dep_ in ("relcl", "acl") and edge.lower_ == "that" and edge.dep_ == "mark":
                    parts.extend(c.subtree)
    if not parts and "object" in frames and "agent" in deps:
        # "X is supported by Y": what is supported is the subject
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            parts.extend(passive.subtree)
    prep_object = bool(parts) and any(
        c.dep_ == "prep" and c.lower_ in frames for c in children if c.i > cue.i
    )
    if parts and ((objects and "object" in frames) or prep_object):
        # what follows the object belongs to it: "criticized X for …", "cited X as a reason",
        # "called on X to …"
        end = max(t.i for t in parts)
        for child in children:
            if child.i > end and child.dep_ in ("prep", "xcomp", "ccomp", "oprd"):
                if any(t.is_punct and t.text in ".;" for t in cue.doc[end + 1 : child.i]):
                    break
                parts.extend(child.subtree)
                end = child.right_edge.i
    if not parts and "clause" in frames and cue.dep_ == "parataxis":
        # "The museum, Mr. Bush said, celebrated …": the clause the cue interrupts
        head = cue.head
        parts.extend(t for t in head.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i))
    para = ctx.paragraph_of[cue.i]
    parts = [t for t in parts if t.i != cue.i and ctx.paragraph_of[t.i] == para]
    parts = run_on(ctx, cue, parts)
    content = trim(ctx, until_second_statement(ctx, parts))
    words = [t for t in content if t.is_alpha or t.like_num]
    if len(words) < 2 and not (words and words[0].pos_ == "PROPN"):
        return []  # one word is content only when it names someone: "endorsed Clinton"
    return content


_MEANS = ("by", "in", "after", "before", "while", "without", "upon", "on", "when")


def _subject_of(cue: Token, feeling: bool = False) -> Token | None:
    """The speaker's head token: the cue's subject, or its governing verb's ("…, urging X").

    `feeling`: the cue is an adjective or participle of a state of mind ("were frustrated"),
    whose passive subject is the one who feels."""
    verb = cue
    if cue.tag_ == "JJ" and cue.dep_ in ("acomp", "oprd") and cue.head.i != cue.i:
        verb = cue.head  # "they were sure that …": the copula has the subject
    for _ in range(5):
        if verb.i != cue.i and verb.head.i != verb.i and _wh_clause(verb):
            verb = verb.head  # "… the stadium, where the team played, while chanting …"
            continue
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                if child.dep_ == "nsubjpass" and verb.i == cue.i and not feeling:
                    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                    pobj = (
                        next((c for c in agent.children if c.dep_ == "pobj"), None)
                        if agent
                        else None
                    )
                    return pobj
                return child
        for child in verb.children:
            if child.dep_ == "expl":
                return None
        if (
            verb.i == cue.i
            and cue.dep_ == "acl"
            and cue.tag_ == "VBG"
            and any(c.dep_ == "ccomp" for c in cue.children)
        ):
            return cue.head  # "a statement saying …", "one saying that …"
        if (
            verb.dep_ == "pcomp"
            and verb.head.lower_ in _MEANS
            and verb.head.dep_ == "prep"
            and verb.head.head.pos_ in ("VERB", "AUX")
        ):
            verb = verb.head.head  # "began by saying …": the subject of "began"
            continue
        if verb.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp") and verb.head.i != verb.i:
            if verb.head.pos_ not in ("VERB", "AUX") and verb.dep_ != "conj":
                return None
            verb = verb.head
            continue
        return None
    return None


def _wh_clause(verb: Token) -> bool:
    """A clause that describes a place or a time ("where the team played"): its subject is
    not the subject of a participle hung on it."""
    return verb.dep_ in ("ccomp", "relcl") and any(
        c.tag_ == "WRB" and c.dep_ == "advmod" and c.lower_ in ("where", "when") and c.i < verb.i
        for c in verb.children
    )


def speaker_token(ctx: Context, cue: Token) -> Token | None:
    """The speaker's head for a cue; a subject the parser took from another paragraph (a
    heading run into the sentence) is replaced by the last noun before the cue in its own."""
    feeling = cue.tag_ in ("JJ", "VBN") and cue.lower_ in ctx.lex.verb_frames
    subject = _subject_of(cue, feeling)
    if subject is None or ctx.paragraph_of[subject.i] == ctx.paragraph_of[cue.i]:
        return subject
    para = ctx.paragraph_of[cue.i]
    for sibling in subject.head.children:
        if sibling.dep_ == subject.dep_ and ctx.paragraph_of[sibling.i] == para:
            return sibling  # "…?”  Dean, a doctor, then appeared …": two subjects, one here
    for tok in reversed(ctx.doc[: cue.i]):
        if ctx.paragraph_of[tok.i] != para:
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
            return tok
    return None


def _sentence_span(ctx: Context, start_char: int, end_char: int) -> tuple[int, int]:
    first = last = None
    for si, sent in enumerate(ctx.sentences):
        s, e = sent.start_char, sent.end_char
        if e > start_char and first is None:
            first = si
        if s < end_char:
            last = si
    return (first or 0), (last if last is not None else len(ctx.sentences) - 1)


def _pure_quotation(ctx: Context, start: int, end: int) -> int | None:
    """The quotation that holds every word of text[start:end], if one does."""
    text = ctx.text
    for qi, q in enumerate(ctx.quotations):
        if q.end <= start or q.start >= end:
            continue
        inside = 0
        outside = 0
        for m in re.finditer(r"\w+", text[start:end]):
            pos = start + m.start()
            if any(s <= pos < e for s, e in q.segments):
                inside += 1
            else:
                outside += 1
        if inside and outside == 0:
            return qi
    return None


def make_attribution(
    ctx: Context,
    content: tuple[int, int],
    cue: Token | None,
    lemma: str | None,
    subject: Token | None,
    extra: tuple[int, int] | None = None,
    widen: bool = True,
) -> Attribution:
    """An attribution; content that lies inside one quotation becomes the whole quotation
    (a quote of several sentences) unless `widen` is False."""
    start, end = content
    qi = _pure_quotation(ctx, start, end) if widen else None
    if qi is not None:
        segments = ctx.quotations[qi].segments
        kind = "direct"
    else:
        segments = ((start, end),)
        kind = "indirect"
    lo = min(segments[0][0], cue.idx if cue is not None else segments[0][0])
    hi = max(segments[-1][1], cue.idx + 1 if cue is not None else segments[-1][1])
    if extra:
        lo, hi = min(lo, extra[0]), max(hi, extra[1])
    first, last = _sentence_span(ctx, lo, hi)
    return Attribution(
        content=segments,
        kind=kind,
        cue=lemma,
        cue_token=cue.i if cue is not None else None,
        subject=subject.i if subject is not None else None,
        speaker=None,
        title=None,
        first_sentence=first,
        last_sentence=last,
        own_cue=cue is not None,
    )


def verb_attributions(ctx: Context) -> list[Attribution]:
    """Reporting verbs outside quotations, with a speaker and a content."""
    out = []
    for tok in cue_candidates(ctx.doc):
        if ctx.quote_of[tok.i] >= 0:
            continue
        lemma = cue_lemma(tok, ctx.lex)
        if lemma is None:
            continue
        subject = speaker_token(ctx, tok)
        if subject is None or ctx.quote_of[subject.i] >= 0:
            continue
        if subject.lower_ in ("it", "there") and tok.head.pos_ == "ADJ":
            continue
        content = _content_tokens(ctx, tok, lemma, subject)
        if not content and "clause" in ctx.lex.verb_frames[lemma]:
            content = _next_paragraph(ctx, tok)
        if not content:
            continue
        if any(subject.i == t.i for t in content):
            continue
        out.append(make_attribution(ctx, char_range(content), tok, lemma, subject))
    return [_same_speaker_goes_on(ctx, a, out) for a in out]


def _next_paragraph(ctx: Context, cue: Token) -> list[Token]:
    """ "The governor added:" closing a paragraph: the next paragraph is what was said, when it
    is not in quotation marks (a quotation finds its cue itself)."""
    doc = ctx.doc
    para = ctx.paragraph_of[cue.i]
    end = cue.i + 1
    while end < len(doc) and ctx.paragraph_of[end] == para and doc[end].text != ":":
        if doc[end].is_alpha:
            return []  # words after the cue: its content is not in the next paragraph
        end += 1
    rest = [t for t in doc[end + 1 : end + 400] if ctx.paragraph_of[t.i] == para + 1]
    if end >= len(doc) or doc[end].text != ":" or not rest:
        return []
    if any(not t.is_space for t in doc[end + 1 : rest[0].i]):
        return []  # the colon does not close the paragraph
    if any(ctx.quote_of[t.i] >= 0 for t in rest):
        return []
    content = trim(ctx, rest)
    return content if len([t for t in content if t.is_alpha]) >= 3 else []


def _same_speaker_goes_on(ctx: Context, a: Attribution, atts: Sequence[Attribution]) -> Attribution:
    """ "X said …, citing …" / "…, adding that …": the participle's speaker is the speaker of
    the statement its comma ends (the parser often hangs it on the statement's verb)."""
    if a.cue_token is None or a.cue_token == 0:
        return a
    cue = ctx.doc[a.cue_token]
    comma = ctx.doc[a.cue_token - 1]
    if cue.tag_ != "VBG" or comma.text != ",":
        return a
    for b in atts:
        if b is a or b.subject is None or b.end > comma.idx:
            continue
        if not ctx.text[b.end : comma.idx].strip(" ,”\"'"):
            return replace(a, subject=b.subject)
    return a


def _can_speak(ctx: Context, tok: Token) -> bool:
    """A source that can say something: a name, a pronoun, a role, a group, a document."""
    lex = ctx.lex
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return tok.lemma_.lower() not in lex.not_sources and tok.lower_ not in lex.not_sources


def according_to(ctx: Context) -> list[Attribution]:
    """ "…, according to X" and the other prepositional cues of the lexicon."""
    out = []
    doc = ctx.doc
    cues = ctx.lex.prepositional_cues
    words = lower_words(doc)
    firsts = {cue[0] for cue in cues}
    for tok in [doc[i] for i, word in enumerate(words) if word in firsts]:
        for cue in cues:
            n = len(cue)
            if words[tok.i] != cue[0] or tok.i + n > len(doc):
                continue
            if tuple(words[tok.i : tok.i + n]) != cue:
                continue
            if ctx.quote_of[tok.i] >= 0:
                continue
            source = next((t for t in doc[tok.i + n - 1].children if t.dep_ == "pobj"), None)
            if source is None and tok.i + n < len(doc):
                source = doc[tok.i + n]
            if source is None:
                continue
            if not _can_speak(ctx, source):
                continue  # "according to the plan"
            phrase_end = max(source.right_edge.i, tok.i + n - 1)
            sent = sentence_of(doc, tok.i)
            skip = set(range(tok.i, phrase_end + 1))
            para = ctx.paragraph_of[tok.i]
            content = [t for t in sent if t.i not in skip and ctx.paragraph_of[t.i] == para]
            content = trim(ctx, content)
            if len([t for t in content if t.is_alpha]) < 3:
                continue
            rng = char_range(content)
            out.append(
                make_attribution(ctx, rng, None, " ".join(cue), source, (tok.idx, tok.idx + 1))
            )
            out[-1] = replace(out[-1], own_cue=True)
    return out


def colon_speakers(ctx: Context) -> list[Attribution]:
    """ "Name: what they said" at the start of a paragraph (transcripts, headlines)."""
    out = []
    doc = ctx.doc
    for p_start, p_end in paragraph_spans(ctx.text):
        head, colon, rest = ctx.text[p_start:p_end].partition(":")
        name = head.strip().lstrip(OPENING + STRAIGHT + "'")
        if not colon or not name or len(name.split()) > 4 or len(rest.split()) < 3:
            continue
        start = p_start + head.index(name)
        end = start + len(name)
        named = any(
            m.start == start and m.end == end for e in ctx.people for m in e.mentions
        )  # the whole label is a name: "Pence:", not "Haddad said:"
        shouting = name.isupper() and any(ch.isalpha() for ch in name)
        document = name.split()[-1].lower() in ctx.lex.document_nouns  # "Poll: …", "New study: …"
        if not named and not shouting and not document:
            continue
        if not named and _heading(ctx, name):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        body = doc.char_span(p_start + len(head) + 1, p_end, alignment_mode="expand")
        if span is None or body is None:
            continue
        content = trim(ctx, list(body))
        if len(content) < 3:
            continue
        att = make_attribution(
            ctx, char_range(content), None, ":", span.root, (start, end), widen=False
        )
        out.append(replace(att, own_cue=True))
    return out


def _heading(ctx: Context, label: str) -> bool:
    """A section heading in capitals ("UPDATE:", "THE BORROWING:"), not a speaker's name."""
    low = label.lower().strip(" .")
    words = [w for w in low.split() if w not in ctx.lex.function_words]
    if low in ctx.lex.section_labels or not words:
        return True
    return len(words) == 1 and words[0].endswith(ctx.lex.label_suffixes)


def drop_stances_of_nobody(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """Without the stances and intentions nobody is named for: an indirect record whose cue
    takes no clause ("backed …", "wants to …", "her plans for …") says nothing without its
    holder, where a statement ("said that …") is still worth keeping."""
    out = []
    for a in atts:
        if a.speaker is None and a.kind == "indirect" and a.cue_token is not None:
            frames = ctx.lex.verb_frames.get(a.cue or "")
            if frames is None or "clause" not in frames:
                continue
        out.append(a)
    return out


def _nested_in_direct(a: Attribution, atts: Sequence[Attribution]) -> bool:
    """An attribution inside a direct quote is the quoted speaker's hearsay: dropped. A
    transcript ("NAME: …" lines inside one long quotation) keeps its lines instead."""
    if a.cue == ":":
        return False
    if a.kind == "direct" and any(
        b.cue == ":" and a.start <= b.start < a.end for b in atts if b is not a
    ):
        return True
    return any(
        b is not a and b.kind == "direct" and b.start <= a.start and a.end <= b.end for b in atts
    )


def _cue_inside(ctx: Context, a: Attribution, atts: Sequence[Attribution]) -> bool:
    """A cue inside another attribution's content reports what that speaker reports: the
    outer attribution already holds it ("X said Y was right when he said …")."""
    if a.cue_token is None:
        return False
    pos = ctx.doc[a.cue_token].idx
    return any(b is not a and any(s <= pos < e for s, e in b.content) for b in atts)


def drop_hearsay(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """Without the attributions nested in a direct quote or cued inside another's content."""
    atts = [a for a in atts if not _nested_in_direct(a, atts)]
    return [a for a in atts if not _cue_inside(ctx, a, atts)]
