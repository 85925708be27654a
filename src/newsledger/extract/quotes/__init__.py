"""Quotes: who said what, direct ("…," he said) and indirect (X warned that …).

`extract_quotes(doc, people, lex)` finds

* direct quotations in straight, curly or doubled ('') quotation marks, also when a quotation runs
  over several sentences or paragraphs (a paragraph left open and the next one opening again),
  with their cue before ("X said: “…”") or after ("“…,” he said", "“…” X added");
* indirect speech: a reporting verb of `reporting_verbs.txt` with its content, taken from the
  frames the lexicon allows that verb (a clause: "said that …", "…, X said, …"; an object:
  "stressed the need …"; a preposition: "warned of …"; an infinitive: "vowed to …"; an object
  and what it is called: "described X as …"), states of mind written as adjectives ("were
  frustrated that …"), "according to X", and "NAME: …" lines (transcripts, headlines).

A quotation inside the content of a reporting verb ("described the militia as “a growing threat”")
stays part of that record (kind "indirect", the marks kept in `text`); a quotation that is the
whole content is kind "direct" and `text` is the quoted words. A quotation with no cue of its own
takes the speaker of the nearest attribution in its paragraph (before it, else after it), else
of the two paragraphs before; “A,” he said. “B.” is one quote. A quoted name (`the "Northern
Shield" alliance`, `the programme “Morning Edition”`) or a short scare quote nobody is said to
utter is not a quote at all. Reporting inside a quote or inside another record's content is
hearsay of that speaker and is not a record of its own.

The speaker is the canonical name from `people`: "he"/"she" go to the nearest sentence naming a
person of a compatible gender (outside quotation marks), and to its subject there; "they"/"it" to
the subject of a recent reporting or main verb; "who" to the noun it hangs from; "the security
expert" to the person last given that title; "Reports from X" and "the statement" (issued by X)
to X. Organisations and unnamed groups ("Security experts") are kept as written. When nothing
names the speaker it is None, never a guess.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsledger.extract.people import AttributionLexicon, entity_at, local_title
from newsledger.records import Entity, Evidence, Quote

_OPENING = "“„‟«"
_CLOSING = "”»"
_STRAIGHT = '"″'
_SENTENCE_END = ".!?"


@dataclass(frozen=True)
class Quotation:
    """One quotation: the character ranges of its words (its marks excluded)."""

    segments: tuple[tuple[int, int], ...]
    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph's end when left open)

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group(0).strip():
            spans.append((m.start(), m.end()))
    return spans


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(position, length, kind) of the double quotation marks in text[start:end]."""
    marks = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPENING:
            marks.append((i, 1, "open"))
        elif ch in _CLOSING:
            marks.append((i, 1, "close"))
        elif ch in _STRAIGHT:
            marks.append((i, 1, "either"))
        elif text.startswith("''", i) or text.startswith("``", i):
            marks.append((i, 2, "open" if ch == "`" else "either"))
            i += 1
        i += 1
    return marks


def _first_visible(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i


def find_quotations(text: str) -> list[Quotation]:
    """Every double-quoted stretch of `text`, plus ‘single’ ones outside double quotes."""
    paragraphs = _paragraphs(text)
    found: list[Quotation] = []
    open_at: int | None = None  # position of the opening mark of the open quotation
    segments: list[tuple[int, int]] = []
    seg_start = 0
    for pi, (p_start, p_end) in enumerate(paragraphs):
        marks = _double_marks(text, p_start, p_end)
        skip_first = False
        if open_at is not None:
            first = _first_visible(text, p_start, p_end)
            if marks and marks[0][0] == first and marks[0][2] != "close":
                skip_first = True  # the paragraph continues the open quotation
                seg_start = first + marks[0][1]
            else:
                found.append(Quotation(tuple(segments), open_at, paragraphs[pi - 1][1]))
                open_at, segments = None, []
        for k, (pos, length, kind) in enumerate(marks):
            if skip_first and k == 0:
                continue
            if open_at is None:
                if kind == "close" and (pos + length >= p_end or text[pos + length].isspace()):
                    continue  # a stray closing mark
                open_at, segments, seg_start = pos, [], pos + length
            elif kind == "open":
                segments.append((seg_start, pos))
                found.append(Quotation(tuple(segments), open_at, pos))
                open_at, segments, seg_start = pos, [], pos + length
            else:
                segments.append((seg_start, pos))
                found.append(Quotation(tuple(segments), open_at, pos + length))
                open_at, segments = None, []
        if open_at is not None:
            segments.append((seg_start, p_end))
    if open_at is not None and paragraphs:
        found.append(Quotation(tuple(segments), open_at, paragraphs[-1][1]))
    found.extend(_single_quotations(text, found))
    found = [q for q in found if any(text[s:e].strip() for s, e in q.segments)]
    return sorted(found, key=lambda q: q.start)


def _single_quotations(text: str, doubles: Sequence[Quotation]) -> list[Quotation]:
    """‘Curly single’ quotations (headlines use them); an apostrophe is never a closing mark."""
    out = []
    for m in re.finditer(r"(?<![\w’'])‘(?=\S)([^‘\n]*?\S)’(?![A-Za-z])", text):
        if any(q.start <= m.start() < q.end for q in doubles):
            continue
        out.append(Quotation(((m.start(1), m.end(1)),), m.start(), m.end()))
    return out


# --- the document's tokens and quotations ------------------------------------------------------


@dataclass(frozen=True)
class _Context:
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


def _context(doc: Doc, people: Sequence[Entity], lex: AttributionLexicon) -> _Context:
    text = doc.text
    quotations = find_quotations(text)
    quote_of = [-1] * len(doc)
    qi = 0
    for tok in doc:
        while qi < len(quotations) and quotations[qi].end <= tok.idx:
            qi += 1
        for j in range(qi, min(qi + 3, len(quotations))):
            q = quotations[j]
            if any(s <= tok.idx < e for s, e in q.segments):
                quote_of[tok.i] = j
                break
    paragraph_of = []
    para = 0
    for tok in doc:
        paragraph_of.append(para)
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            para += 1
    sentences = list(doc.sents)
    sentence_of = [0] * len(doc)
    for si, sent in enumerate(sentences):
        for i in range(sent.start, sent.end):
            sentence_of[i] = si
    starts = [tok.idx for tok in doc]
    return _Context(
        doc, text, lex, people, quotations, quote_of, paragraph_of, sentences, sentence_of, starts
    )


# --- attributions before they become records ---------------------------------------------------


@dataclass(frozen=True)
class _Attribution:
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


def _char_range(tokens: Sequence[Token]) -> tuple[int, int]:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _trim(ctx: _Context, tokens: list[Token]) -> list[Token]:
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


def _inverted_content(ctx: _Context, cue: Token, subject: Token | None) -> list[Token]:
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
    sent = [t for t in cue.sent if ctx.paragraph_of[t.i] == para]
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
        if t.text == "," or t.text in _SENTENCE_END:
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
        )
    if dep == "xcomp":
        return child.i > cue.i and (
            "inf" in frames or (bool(frames & {"obj_inf", "naming"}) and "dobj" in deps)
        )
    if dep == "oprd":
        return "naming" in frames
    return dep == "prep" and child.i > cue.i and child.lower_ in frames


def _content_tokens(
    ctx: _Context, cue: Token, lemma: str, subject: Token | None = None
) -> list[Token]:
    """The content of a reporting verb, from the frames the lexicon allows it."""
    frames = ctx.lex.verb_frames[lemma]
    if "clause" in frames:
        inverted = _trim(ctx, _inverted_content(ctx, cue, subject))
        if inverted:
            return inverted
    children = list(cue.children)
    deps = {c.dep_ for c in children}
    parts: list[Token] = []
    for child in children:
        if _frame_child(child, cue, frames, deps):
            skip = child.i if child.dep_ == "prep" else -1
            parts.extend(t for t in child.subtree if t.i != skip)
    objects = [c for c in children if c.dep_ == "dobj" and c.i > cue.i]
    if objects and "object" in frames and parts:
        # what follows the object belongs to it: "criticized X for …", "cited X as a reason"
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
    content = _trim(ctx, [t for t in parts if t.i != cue.i and ctx.paragraph_of[t.i] == para])
    words = [t for t in content if t.is_alpha or t.like_num]
    if len(words) < 2:
        return []
    return content


def _subject_of(cue: Token, feeling: bool = False) -> Token | None:
    """The speaker's head token: the cue's subject, or its governing verb's ("…, urging X").

    `feeling`: the cue is an adjective or participle of a state of mind ("were frustrated"),
    whose passive subject is the one who feels."""
    verb = cue
    if cue.tag_ == "JJ" and cue.dep_ in ("acomp", "oprd") and cue.head.i != cue.i:
        verb = cue.head  # "they were sure that …": the copula has the subject
    for _ in range(4):
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
        if verb.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp") and verb.head.i != verb.i:
            if verb.head.pos_ not in ("VERB", "AUX") and verb.dep_ != "conj":
                return None
            verb = verb.head
            continue
        return None
    return None


def _speaker_token(ctx: _Context, cue: Token) -> Token | None:
    """The speaker's head for a cue; a subject the parser took from another paragraph (a
    heading run into the sentence) is replaced by the last noun before the cue in its own."""
    feeling = cue.tag_ in ("JJ", "VBN") and cue.lower_ in ctx.lex.verb_frames
    subject = _subject_of(cue, feeling)
    if subject is None or ctx.paragraph_of[subject.i] == ctx.paragraph_of[cue.i]:
        return subject
    para = ctx.paragraph_of[cue.i]
    for tok in reversed(ctx.doc[: cue.i]):
        if ctx.paragraph_of[tok.i] != para:
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
            return tok
    return None


def _sentence_span(ctx: _Context, start_char: int, end_char: int) -> tuple[int, int]:
    first = last = None
    for si, sent in enumerate(ctx.sentences):
        s, e = sent.start_char, sent.end_char
        if e > start_char and first is None:
            first = si
        if s < end_char:
            last = si
    return (first or 0), (last if last is not None else len(ctx.sentences) - 1)


def _pure_quotation(ctx: _Context, start: int, end: int) -> int | None:
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


def _make(
    ctx: _Context,
    content: tuple[int, int],
    cue: Token | None,
    lemma: str | None,
    subject: Token | None,
    extra: tuple[int, int] | None = None,
    widen: bool = True,
) -> _Attribution:
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
    return _Attribution(
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


def _verb_attributions(ctx: _Context) -> list[_Attribution]:
    """Reporting verbs outside quotations, with a speaker and a content."""
    out = []
    for tok in ctx.doc:
        if ctx.quote_of[tok.i] >= 0:
            continue
        lemma = cue_lemma(tok, ctx.lex)
        if lemma is None:
            continue
        subject = _speaker_token(ctx, tok)
        if subject is None or ctx.quote_of[subject.i] >= 0:
            continue
        if subject.lower_ in ("it", "there") and tok.head.pos_ == "ADJ":
            continue
        content = _content_tokens(ctx, tok, lemma, subject)
        if not content:
            continue
        if any(subject.i == t.i for t in content):
            continue
        out.append(_make(ctx, _char_range(content), tok, lemma, subject))
    return out


def _can_speak(ctx: _Context, tok: Token) -> bool:
    """A source that can say something: a name, a pronoun, a role, a group, a document."""
    lex = ctx.lex
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return tok.lemma_.lower() not in lex.not_sources and tok.lower_ not in lex.not_sources


def _according_to(ctx: _Context) -> list[_Attribution]:
    """ "…, according to X" and the other prepositional cues of the lexicon."""
    out = []
    doc = ctx.doc
    for tok in doc:
        for cue in ctx.lex.prepositional_cues:
            n = len(cue)
            if tok.lower_ != cue[0] or tok.i + n > len(doc):
                continue
            if tuple(t.lower_ for t in doc[tok.i : tok.i + n]) != cue:
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
            sent = doc[tok.i].sent
            skip = set(range(tok.i, phrase_end + 1))
            para = ctx.paragraph_of[tok.i]
            content = [t for t in sent if t.i not in skip and ctx.paragraph_of[t.i] == para]
            content = _trim(ctx, content)
            if len([t for t in content if t.is_alpha]) < 3:
                continue
            rng = _char_range(content)
            out.append(_make(ctx, rng, None, " ".join(cue), source, (tok.idx, tok.idx + 1)))
            out[-1] = replace(out[-1], own_cue=True)
    return out


def _colon_speakers(ctx: _Context) -> list[_Attribution]:
    """ "Name: what they said" at the start of a paragraph (transcripts, headlines)."""
    out = []
    doc = ctx.doc
    for p_start, p_end in _paragraphs(ctx.text):
        head, colon, rest = ctx.text[p_start:p_end].partition(":")
        name = head.strip().lstrip(_OPENING + _STRAIGHT + "'")
        if not colon or not name or len(name.split()) > 4 or len(rest.split()) < 3:
            continue
        start = p_start + head.index(name)
        end = start + len(name)
        named = any(
            m.start == start and m.end == end for e in ctx.people for m in e.mentions
        )  # the whole label is a name: "Pence:", not "Haddad said:"
        shouting = name.isupper() and any(ch.isalpha() for ch in name)
        if not named and not shouting:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        body = doc.char_span(p_start + len(head) + 1, p_end, alignment_mode="expand")
        if span is None or body is None:
            continue
        content = _trim(ctx, list(body))
        if len(content) < 3:
            continue
        att = _make(ctx, _char_range(content), None, ":", span.root, (start, end), widen=False)
        out.append(replace(att, own_cue=True))
    return out


# --- quotations with no reporting verb of their own --------------------------------------------


def _standalone(ctx: _Context, q: Quotation) -> bool:
    """The quotation opens a sentence of its own (after a full stop, a paragraph break or
    another quotation), as a quoted sentence does and a quoted name does not."""
    before = ctx.text[: q.start].rstrip()
    if not before or before.endswith("\n") or "\n" in ctx.text[len(before) : q.start]:
        return True
    return before[-1] in _SENTENCE_END + _CLOSING + _STRAIGHT + ":"


def _name_like(ctx: _Context, q: Quotation) -> bool:
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


def _speech_like(ctx: _Context, q: Quotation) -> bool:
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha and ctx.quote_of[t.i] >= 0]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
    return (len(words) >= 3 and has_verb) or len(words) >= 8 or _standalone(ctx, q)


def _window_cue(
    ctx: _Context, q: Quotation, used: dict[int, tuple[int, int]]
) -> tuple[Token, str, Token] | None:
    """A reporting verb right after the quotation ("…," he said) or right before it."""
    doc = ctx.doc
    after = doc.char_span(q.end, len(ctx.text), alignment_mode="expand")
    if after is not None:
        for tok in list(after)[:10]:
            if ctx.quote_of[tok.i] >= 0 and tok.idx >= q.end:
                break
            if tok.text in _SENTENCE_END and tok.idx > q.end:
                break
            lemma = cue_lemma(tok, ctx.lex)
            if lemma is None or "clause" not in ctx.lex.verb_frames[lemma]:
                continue
            subject = _named_between(ctx, q.end, tok) or _speaker_token(ctx, tok)
            if subject is None or ctx.quote_of[subject.i] >= 0:
                continue
            if tok.i in used and not _within(used[tok.i], q):
                continue
            return tok, lemma, subject
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None:
        return None
    sent = first[0].sent
    lo = sent.start
    if first[0].i <= sent.start + 1 and sent.start > 0:
        prev = doc[sent.start - 1]
        if prev.text == ":" or doc[max(sent.start - 2, 0)].text == ":":
            lo = prev.sent.start
    for i in range(first[0].i - 1, lo - 1, -1):
        tok = doc[i]
        if ctx.quote_of[i] >= 0:
            break
        lemma = cue_lemma(tok, ctx.lex)
        if lemma is None or "clause" not in ctx.lex.verb_frames[lemma]:
            continue
        subject = _speaker_token(ctx, tok)
        if subject is None or ctx.quote_of[subject.i] >= 0:
            continue
        if i in used and not _within(used[i], q):
            continue
        return tok, lemma, subject
    return None


def _named_between(ctx: _Context, start: int, cue: Token) -> Token | None:
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


def _covered(q: Quotation, atts: Sequence[_Attribution]) -> bool:
    size = sum(e - s for s, e in q.segments) or 1
    for a in atts:
        inside = 0
        for s, e in q.segments:
            for cs, ce in a.content:
                inside += max(0, min(e, ce) - max(s, cs))
        if inside * 2 >= size:
            return True
    return False


def _quotation_attributions(ctx: _Context, atts: list[_Attribution]) -> list[_Attribution]:
    used = {a.cue_token: (a.start, a.end) for a in atts if a.cue_token is not None}
    out: list[_Attribution] = []
    for q in ctx.quotations:
        if _covered(q, atts) or _covered(q, out):
            continue
        if _name_like(ctx, q):
            continue
        first, last = q.segments[0][0], q.segments[-1][1]
        found = _window_cue(ctx, q, used)
        if found is not None:
            tok, lemma, subject = found
            att = _make(ctx, (first, last), tok, lemma, subject)
            used[tok.i] = (first, last)
            out.append(att)
        elif _speech_like(ctx, q):
            out.append(_make(ctx, (first, last), None, None, None))
    return out


# --- speakers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolver:
    ctx: _Context

    def _in_quote(self, char: int) -> bool:
        return any(q.covers(char) for q in self.ctx.quotations)

    def _gender(self, entity: Entity) -> str | None:
        lex = self.ctx.lex
        text = self.ctx.text
        first = entity.name.split()[0].lower()
        if first in lex.female_names:
            return "female"
        if first in lex.male_names:
            return "male"
        for m in entity.mentions:
            before = text[max(0, m.start - 6) : m.start].lower().split()
            if before and before[-1] in lex.female_honorifics:
                return "female"
            if before and before[-1] in lex.male_honorifics:
                return "male"
        return None

    def _is_subject(self, char: int) -> bool:
        span = self.ctx.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return False
        tok = span[0]
        for _ in range(4):
            if tok.dep_ in ("nsubj", "nsubjpass"):
                return True
            if tok.dep_ in ("compound", "appos", "flat", "conj", "cc") and tok.head.i != tok.i:
                tok = tok.head
                continue
            return False
        return False

    def person_pronoun(self, tok: Token, gender: str, history: dict[str, str]) -> Entity | None:
        ctx = self.ctx
        si = ctx.sentence_of[tok.i]
        floor = ctx.sentences[max(0, si - 5)].start_char
        cands: list[tuple[int, bool, Entity]] = []
        for entity in ctx.people:
            if entity.kind != "person":
                continue
            known = history.get(entity.name) or self._gender(entity)
            if known is not None and known != gender:
                continue
            for m in entity.mentions:
                if floor <= m.start and m.end <= tok.idx and not self._in_quote(m.start):
                    cands.append((m.start, self._is_subject(m.start), entity))
        if not cands:
            return None
        latest = max(cands, key=lambda c: c[0])
        sentence = ctx.sentence_of[self._token_at(latest[0])]
        same = [c for c in cands if ctx.sentence_of[self._token_at(c[0])] == sentence]
        subjects = [c for c in same if c[1]]
        if subjects:
            return max(subjects, key=lambda c: c[0])[2]
        return min(same, key=lambda c: c[0])[2]

    def _token_at(self, char: int) -> int:
        return self.ctx.token_at(char)

    def nominal_text(self, tok: Token) -> str | None:
        """The noun phrase as written, without its clauses, appositions and conjuncts."""
        dropped: set[int] = set()
        for child in tok.children:
            if child.dep_ in ("relcl", "acl", "appos", "punct", "advmod", "cc", "conj", "prep"):
                if child.dep_ == "prep" and child.lower_ == "of" and child.i == tok.i + 1:
                    continue
                dropped.update(t.i for t in child.subtree)
        toks = [t for t in tok.subtree if t.i not in dropped]
        if toks and any(b.i + 1 != a.i for b, a in itertools.pairwise(toks)):
            toks = [t for t in toks if t.i <= tok.i]
        while toks and (toks[0].pos_ in ("DET",) or toks[0].is_punct):
            toks = toks[1:]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks:
            return None
        if len(toks) > 8:
            toks = [t for t in toks if t.i <= tok.i][-4:]
        text = self.ctx.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        return re.sub(r"\s+", " ", text)

    def _title_anaphor(self, tok: Token) -> Entity | None:
        """ "the security expert" -> the person last given that title."""
        lex = self.ctx.lex
        if tok.pos_ != "NOUN" or tok.lower_ not in lex.title_words:
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return None
        words = {t.lower_ for t in tok.subtree if t.i <= tok.i and t.is_alpha}
        words.discard("the")
        best: tuple[int, Entity] | None = None
        for entity in self.ctx.people:
            if entity.kind != "person" or not entity.title:
                continue
            title = set(entity.title.lower().split())
            if not words <= title:
                continue
            before = [m.start for m in entity.mentions if m.start < tok.idx]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), entity)
        return best[1] if best else None

    def _statement_author(self, tok: Token) -> Token | None:
        """ "The statement said" -> the subject of the verb that issued "a statement" before."""
        doc = self.ctx.doc
        for prev in reversed(doc[: tok.i]):
            if prev.lemma_.lower() != tok.lemma_.lower() or prev.i == tok.i:
                continue
            node = prev
            for _ in range(4):
                if node.pos_ in ("VERB", "AUX"):
                    subject = next(
                        (c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None
                    )
                    if subject is not None and subject.i != prev.i:
                        return subject
                if node.head.i == node.i:
                    break
                node = node.head
        return None

    def speaker(
        self, tok: Token, history: dict[str, str], depth: int = 0
    ) -> tuple[str | None, str | None, Entity | None]:
        """(speaker, title, entity) for the head token of a speaker's noun phrase."""
        ctx = self.ctx
        lex = ctx.lex
        low = tok.lower_
        if depth > 3:
            return None, None, None
        if low in lex.relative_pronouns and tok.head.dep_ == "relcl":
            return self.speaker(tok.head.head, history, depth + 1)
        if low in lex.male_pronouns or low in lex.female_pronouns:
            gender = "male" if low in lex.male_pronouns else "female"
            entity = self.person_pronoun(tok, gender, history)
            if entity is None:
                return None, None, None
            history[entity.name] = gender
            return entity.name, entity.title, entity
        if low in lex.plural_pronouns or low in lex.neuter_pronouns:
            antecedent = self._thing_antecedent(tok, plural=low in lex.plural_pronouns)
            if antecedent is None:
                return None, None, None
            return self.speaker(antecedent, history, depth + 1)
        if low in lex.pronouns or tok.pos_ == "PRON":
            return None, None, None
        # a named person or organisation in the phrase's head, its appositions or compounds
        heads = [tok, *[c for c in tok.children if c.dep_ == "appos"]]
        for head in heads:
            entity = entity_at(ctx.people, head.idx, head.idx + len(head.text))
            if entity is not None and entity.kind == "person":
                others = [self._person(c) for c in tok.children if c.dep_ == "conj"]
                if others and all(others) and head is tok:
                    names = [entity.name, *(o.name for o in others if o is not None)]
                    return " and ".join(names), None, None
                return entity.name, self._title_here(head, entity), entity
        entity = entity_at(ctx.people, tok.idx, tok.idx + len(tok.text))
        if entity is not None:
            return entity.name, entity.title, entity
        lemma = tok.lemma_.lower()
        if lemma in lex.document_nouns or low in lex.document_nouns:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in lex.agent_prepositions:
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self.speaker(pobj, history, depth + 1)
                if child.dep_ == "poss":
                    return self.speaker(child, history, depth + 1)
            if any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
                author = self._statement_author(tok)
                if author is not None:
                    return self.speaker(author, history, depth + 1)
        person = self._title_anaphor(tok)
        if person is not None:
            return person.name, person.title, person
        return self.nominal_text(tok), None, None

    def _person(self, tok: Token) -> Entity | None:
        entity = entity_at(self.ctx.people, tok.idx, tok.idx + len(tok.text))
        return entity if entity is not None and entity.kind == "person" else None

    def _title_here(self, head: Token, entity: Entity) -> str | None:
        doc = self.ctx.doc
        for m in entity.mentions:
            if m.start <= head.idx < m.end:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    title, _ = local_title(doc, span.start, span.end, self.ctx.lex)
                    if title:
                        return title
        return entity.title

    def _thing_antecedent(self, tok: Token, plural: bool) -> Token | None:
        ctx = self.ctx
        si = ctx.sentence_of[tok.i]
        lo = ctx.sentences[max(0, si - 2)].start
        for cand in reversed(ctx.doc[lo : tok.i]):
            if cand.dep_ not in ("nsubj", "nsubjpass") or ctx.quote_of[cand.i] >= 0:
                continue
            if cand.head.dep_ != "ROOT" and cue_lemma(cand.head, ctx.lex) is None:
                continue
            if cand.pos_ == "PRON":
                continue
            is_plural = cand.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in cand.children)
            if plural and is_plural:
                return cand
            if not plural and not is_plural and cand.pos_ in ("NOUN", "PROPN"):
                entity = entity_at(ctx.people, cand.idx, cand.idx + len(cand.text))
                if entity is not None and entity.kind == "person":
                    continue
                return cand
        return None


def _resolve(ctx: _Context, atts: list[_Attribution]) -> list[_Attribution]:
    """Give each attribution its speaker, in text order (pronouns learn genders as they go)."""
    resolver = _Resolver(ctx)
    history: dict[str, str] = {}
    out = []
    for a in sorted(atts, key=lambda a: a.start):
        if a.subject is not None:
            name, title, _ = resolver.speaker(ctx.doc[a.subject], history)
            a = replace(a, speaker=name, title=title)
        out.append(a)
    return out


def _paragraph_at(ctx: _Context, char: int) -> int:
    return ctx.paragraph_of[ctx.token_at(char)] if len(ctx.doc) else -1


def _borrow_speakers(ctx: _Context, atts: list[_Attribution]) -> list[_Attribution]:
    """A quotation with no cue takes the speaker of the nearest attribution of its paragraph
    (before it, else after it), else of the last attribution of the two paragraphs before."""
    out = list(atts)
    first_para = [_paragraph_at(ctx, a.start) for a in out]
    last_para = [_paragraph_at(ctx, max(a.end - 1, a.start)) for a in out]
    for i, a in enumerate(out):
        if a.own_cue:
            continue
        para = first_para[i]
        before = [j for j in range(i) if out[j].speaker and last_para[j] == para]
        after = [
            j
            for j in range(i + 1, len(out))
            if out[j].own_cue and out[j].speaker and first_para[j] == para
        ]
        earlier = [j for j in range(i) if out[j].speaker and para - 2 <= last_para[j] < para]
        pick = before[-1] if before else after[0] if after else earlier[-1] if earlier else None
        if pick is not None:
            out[i] = replace(a, speaker=out[pick].speaker, title=out[pick].title)
    return out


def _merge_continuations(ctx: _Context, atts: list[_Attribution]) -> list[_Attribution]:
    """“A,” she said. “B.” -> one quote: B continues A when B has no cue of its own."""
    out: list[_Attribution] = []
    for a in atts:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not a.own_cue
            and a.kind == "direct"
            and prev.kind == "direct"
            and prev.speaker == a.speaker
            and a.first_sentence <= prev.last_sentence + 1
        ):
            out[-1] = replace(prev, content=prev.content + a.content, last_sentence=a.last_sentence)
            continue
        out.append(a)
    return out


def _text(ctx: _Context, a: _Attribution) -> str:
    text = ctx.text
    pieces = [text[s:e] for s, e in a.content]
    joined = re.sub(r"\s+", " ", " ".join(p.strip() for p in pieces)).strip()
    if a.kind == "direct":
        joined = joined.strip(" ,;:")
    return joined


def _nested_in_direct(a: _Attribution, atts: Sequence[_Attribution]) -> bool:
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


def _cue_inside(ctx: _Context, a: _Attribution, atts: Sequence[_Attribution]) -> bool:
    """A cue inside another attribution's content reports what that speaker reports: the
    outer attribution already holds it ("X said Y was right when he said …")."""
    if a.cue_token is None:
        return False
    pos = ctx.doc[a.cue_token].idx
    return any(b is not a and any(s <= pos < e for s, e in b.content) for b in atts)


def extract_quotes(doc: Doc, people: Sequence[Entity], lex: AttributionLexicon) -> list[Quote]:
    """Direct and indirect quotes in `doc`, each with its speaker and evidence sentence(s)."""
    ctx = _context(doc, people, lex)
    atts = _verb_attributions(ctx) + _according_to(ctx) + _colon_speakers(ctx)
    atts += _quotation_attributions(ctx, atts)
    atts = _resolve(ctx, atts)
    atts = _borrow_speakers(ctx, atts)
    atts = _merge_continuations(ctx, atts)
    atts = [a for a in atts if not _nested_in_direct(a, atts)]
    atts = [a for a in atts if not _cue_inside(ctx, a, atts)]
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
        quotes.append(Quote(a.speaker, a.title, text, kind, a.cue, evidence))
    return quotes
