"""People and organisations named in an article, with their titles and every mention.

`extract_people(doc, lex)` returns one `Entity` per person (kind "person", canonical full name,
`title` from an apposition or a pre-modifier) and per organisation (kind "organization"). A
person's mentions include the surname alone ("al-Jabouri", "Jabouri") and the name written with a
different particle case ("Al-Jabouri"); an organisation's include its acronym ("(PDU)" -> "PDU").

The word lists are `newsledger.extract.lexicons.AttributionLexicon`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsledger.extract.doctext import (
    doc_text,
    ent_type_words,
    line_breaks,
    lower_words,
    pos_words,
    sentence_of,
    token_words,
)
from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.name_patterns import (
    DASH_CLASS,
    DASHES,
    FOLD_DASHES,
    bounded,
    name_regex,
    surname_regex,
)
from newsledger.records import Entity, Mention

# --- names -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NameMention:
    start: int  # token index
    end: int
    tokens: tuple[str, ...]  # the name's words, without particles' hyphens
    title: str | None
    appositive: bool  # the title came from an apposition


def _is_title_word(lower: str, lex: AttributionLexicon) -> bool:
    return lower in lex.title_words or lower.rstrip(".") in lex.title_words


def _is_title_token(tok: Token, lex: AttributionLexicon) -> bool:
    return _is_title_word(tok.lower_, lex)


def _title_tokens(doc: Doc, lex: AttributionLexicon) -> list[Token]:
    """The tokens `_is_title_token` accepts, in order (each word tested once, not each token)."""
    words = lower_words(doc)
    titles = {w for w in set(words) if _is_title_word(w, lex)}
    return [doc[i] for i, w in enumerate(words) if w in titles]


def _name_words(
    tokens: Iterable[Token], particles: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The name's words: "Ban Ki-moon" keeps its hyphenated word, a particle's hyphen
    ("al-Jabouri") is dropped."""
    words: list[str] = []
    joined = False  # the last word ends in a hyphen written with no space around it
    for t in tokens:
        if t.text in DASHES:
            after_word = bool(words) and not t.nbor(-1).whitespace_ and not t.whitespace_
            joined = after_word and words[-1].lower() not in particles
            if joined:
                words[-1] += t.text
            continue
        if t.is_punct:
            joined = False
            continue
        if joined:
            words[-1] += t.text
        else:
            words.append(t.text)
        joined = False
    return tuple(words)


def surname_key(words: Sequence[str], lex: AttributionLexicon) -> str:
    """The lower-cased last name word; particles ("al", "el") are skipped."""
    for word in reversed(words):
        low = word.lower()
        if low not in lex.name_particles and low not in ("jr.", "jr", "sr.", "sr", "ii", "iii"):
            return low
    return words[-1].lower() if words else ""


def _clean_person_span(span: Span, lex: AttributionLexicon) -> tuple[int, int] | None:
    """Token range of the name inside a PERSON entity: titles, possessives, punctuation cut."""
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    # a title written before the name inside the entity ("Gen. Adel Nouri")
    last_title = -1
    for i in range(start, end - 1):
        if _is_title_token(doc[i], lex):
            last_title = i
    if last_title >= 0:
        start = last_title + 1
    while start < end and (doc[start].is_punct or doc[start].pos_ == "DET"):
        start += 1
    if start >= end:
        return None
    words = [t for t in doc[start:end] if not t.is_punct]
    if not words or not any(t.text[:1].isupper() for t in words):
        return None
    if any(t.like_num or t.pos_ in ("VERB", "AUX", "PRON") for t in words):
        return None
    if all(t.lower_ in lex.title_words for t in words):
        return None
    return start, end


def _np_text(doc: Doc, tokens: Sequence[Token]) -> str | None:
    """Text of a run of tokens with determiners and edge punctuation cut."""
    toks = list(tokens)
    while toks and (toks[0].pos_ == "DET" or toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text != ")":
        toks = toks[:-1]
    if not toks:
        return None
    return doc[toks[0].i : toks[-1].i + 1].text


def _name_head(doc: Doc, start: int, end: int) -> Token:
    for tok in doc[start:end]:
        if not (start <= tok.head.i < end) or tok.head.i == tok.i:
            return tok
    return doc[end - 1]


def _same_stretch(doc: Doc, start: int, end: int) -> int:
    """The first token of [start, end) after the last line break or sentence start before end."""
    first = max(start, sentence_of(doc, end - 1).start if end > 0 else 0)
    breaks = line_breaks(doc)
    last = bisect.bisect_left(breaks, end) - 1  # the last line break before `end`
    if last >= 0 and breaks[last] >= first:
        return breaks[last] + 1
    return first


def _is_role(tokens: Sequence[Token], lex: AttributionLexicon) -> bool:
    """A noun phrase that names a role: it holds a title word before any preposition."""
    for tok in tokens:
        if tok.pos_ == "ADP" and tok.i > tokens[0].i:
            break
        if _is_title_token(tok, lex):
            return True
    return False


def local_title(doc: Doc, start: int, end: int, lex: AttributionLexicon) -> tuple[str | None, bool]:
    """The title written with the name at tokens [start, end): (title, from an apposition).

    Appositions ("X, a member of Y," / "A spokesman for Y, X,") come first, then pre-modifiers
    ("Security expert X", "Prime Minister X").
    """
    head = _name_head(doc, start, end)
    # "X, the Y of Z," -> an appositive child after the name
    for child in head.children:
        if child.dep_ == "appos" and child.i >= end and child.pos_ in ("NOUN", "ADJ", "PROPN"):
            sub = [t for t in child.subtree if t.i >= end]
            if "\n" in doc[sub[0].i : sub[-1].i + 1].text:
                continue
            if _is_role(sub, lex):
                text = _np_text(doc, sub)
                if text:
                    return text, True
    # "A spokesman for Y, X, said" -> the name is the apposition of a noun before it
    if head.dep_ == "appos" and head.head.i < start:
        noun = head.head
        while not _is_title_token(noun, lex) and noun.dep_ == "pobj" and noun.head.head.i < noun.i:
            noun = noun.head.head  # "A spokesman for the council, X": the role, not "council"
        left = max(noun.left_edge.i, _same_stretch(doc, 0, start))
        between = doc[left:start]
        if any(t.text == "," for t in between):
            comma = max(t.i for t in between if t.text == ",")
            toks = list(doc[left:comma])
            if toks and _is_role(toks, lex):
                text = _np_text(doc, toks)
                if text:
                    return text, True
        elif any(_is_title_token(t, lex) for t in between):
            text = _np_text(doc, list(between))
            if text:
                return text, False
    # pre-modifiers: "Iranian official X", "the party leader's campaign manager X"
    left = max(min(head.left_edge.i, start), _same_stretch(doc, 0, start) if start else 0)
    toks = list(doc[left:start])
    while toks and (toks[0].dep_ in ("det", "predet") or toks[0].is_punct):
        toks = toks[1:]
    if (
        toks
        and toks[-1].text != ","
        and (any(_is_title_token(t, lex) for t in toks) or toks[-1].pos_ == "NOUN")
        and (toks[-1].pos_ in ("PROPN", "NOUN", "ADJ") or toks[-1].text.endswith("."))
    ):
        text = _np_text(doc, toks)
        if text:
            return text, False
    # titles the tagger left outside the name's subtree ("Secretary of State X")
    floor = _same_stretch(doc, 0, start) if start else 0
    i = start - 1
    while i >= floor and (_is_title_token(doc[i], lex) or doc[i].lower_ == "of"):
        i -= 1
    if start > floor and i + 1 < start and _is_title_token(doc[start - 1], lex):
        while i + 1 < start and doc[i + 1].lower_ == "of":
            i += 1
        text = _np_text(doc, list(doc[i + 1 : start]))
        if text:
            return text, False
    return None, False


def _plausible_person(doc: Doc, start: int, end: int, lex: AttributionLexicon) -> bool:
    """Reject what the tagger calls a person but the syntax says is a place or a modifier."""
    if "\n" in doc[start:end].text:
        return False
    head = _name_head(doc, start, end)
    if head.dep_ == "compound" and head.head.i >= end and head.head.pos_ in ("NOUN", "PROPN"):
        return False  # "X camp", "X prison", "X Air Base"
    words = [t for t in doc[start:end] if not t.is_punct]
    place_like = (  # "the deserts of X"
        len(words) == 1
        and head.dep_ == "pobj"
        and head.head.lower_ in lex.place_prepositions
        and local_title(doc, start, end, lex)[0] is None
    )
    return not place_like


def _person_mentions(doc: Doc, lex: AttributionLexicon) -> list[_NameMention]:
    found: dict[tuple[int, int], _NameMention] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        rng = _clean_person_span(ent, lex)
        if rng is None:
            continue
        start, end = rng
        if not _plausible_person(doc, start, end, lex):
            continue
        title, appos = local_title(doc, start, end, lex)
        words = _name_words(doc[start:end], lex.name_particles)
        if words:
            found[(start, end)] = _NameMention(start, end, words, title, appos)
    # names the tagger missed after a title word: "Interior Minister Samir Jabouri"
    for tok in _title_tokens(doc, lex):
        if not tok.text[:1].isupper():
            continue
        j = tok.i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
            if _is_title_token(doc[j], lex) or doc[j].ent_type_ in ("GPE", "NORP", "ORG", "DATE"):
                break
            j += 1
        if j - tok.i < 2 or any(s <= tok.i + 1 < e for s, e in found):
            continue
        start, end = tok.i + 1, j
        title, appos = local_title(doc, start, end, lex)
        found[(start, end)] = _NameMention(
            start, end, _name_words(doc[start:end], lex.name_particles), title, appos
        )
    # names the tagger called something else: a known given name, or a role in apposition
    for start, end in _proper_runs(doc, lex):
        if any(s < end and start < e for s, e in found):
            continue
        first = doc[start].lower_
        title, appos = local_title(doc, start, end, lex)
        given = first in lex.female_names or first in lex.male_names
        role = bool(appos and title and _common_apposition(doc, start, end))
        if ((given and end - start >= 2) or role) and _plausible_person(doc, start, end, lex):
            words = _name_words(doc[start:end], lex.name_particles)
            found[(start, end)] = _NameMention(start, end, words, title, appos)
    return sorted(found.values(), key=lambda m: m.start)


def _common_apposition(doc: Doc, start: int, end: int) -> bool:
    """The name stands in apposition with a common noun ("X, the governor," / "the governor,
    X,"): a role, where an organisation's apposition is usually another name."""
    head = _name_head(doc, start, end)
    if any(c.dep_ == "appos" and c.i >= end and c.pos_ == "NOUN" for c in head.children):
        return True
    return head.dep_ == "appos" and head.head.i < start and head.head.pos_ == "NOUN"


def _proper_runs(doc: Doc, lex: AttributionLexicon) -> list[tuple[int, int]]:
    """Runs of 1-4 capitalised proper nouns (particles allowed inside) not tagged PERSON."""
    texts, lowers, pos = token_words(doc), lower_words(doc), pos_words(doc)
    entities = ent_type_words(doc)
    titles = {w for w in set(lowers) if _is_title_word(w, lex)}
    particles = lex.name_particles
    size = len(texts)

    def named(k: int) -> bool:  # a capitalised proper noun, no title word
        return pos[k] == "PROPN" and texts[k][:1].isupper() and lowers[k] not in titles

    runs = []
    i = 0
    while i < size:
        if not named(i):
            i += 1
            continue
        j = i + 1
        while j < size and (
            named(j)
            or (lowers[j] in particles and j + 1 < size)
            or (texts[j] in DASHES and not doc[j - 1].whitespace_)
        ):
            j += 1
        while j > i and (texts[j - 1] in DASHES or lowers[j - 1] in particles):
            j -= 1
        if j - i <= 4 and all(entities[k] != "PERSON" for k in range(i, j)):
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


@dataclass
class _PersonGroup:
    key: str
    variants: list[tuple[str, ...]]
    first: int
    title: str | None = None
    appositive: bool = False


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names of one surname are the same person unless their given names differ."""
    if len(a) < 2 or len(b) < 2:
        return True
    sa = {w.lower() for w in a[:-1]}
    sb = {w.lower() for w in b[:-1]}
    return a[0].lower() == b[0].lower() or sa <= sb or sb <= sa


def _group_people(mentions: Sequence[_NameMention], lex: AttributionLexicon) -> list[_PersonGroup]:
    groups: list[_PersonGroup] = []
    for m in mentions:
        key = surname_key(m.tokens, lex)
        same = [g for g in groups if g.key == key]
        target = None
        if len(m.tokens) >= 2:
            target = next(
                (g for g in same if all(_compatible(m.tokens, v) for v in g.variants)), None
            )
        elif same:
            target = same[-1]
        if target is None:
            target = _PersonGroup(key, [], m.start)
            groups.append(target)
        if m.tokens not in target.variants:
            target.variants.append(m.tokens)
        if m.title and (target.title is None or (m.appositive and not target.appositive)):
            target.title, target.appositive = m.title, m.appositive
    # a group known only by a surname joins the full name of that surname
    merged: list[_PersonGroup] = []
    for g in groups:
        if all(len(v) == 1 for v in g.variants):
            full = [h for h in groups if h is not g and h.key == g.key and h not in merged]
            if full:
                full[0].variants.extend(v for v in g.variants if v not in full[0].variants)
                full[0].first = min(full[0].first, g.first)
                if full[0].title is None:
                    full[0].title = g.title
                continue
        merged.append(g)
    return merged


def _canonical(variants: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    return max(variants, key=lambda v: (len(v), -variants.index(v)))


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    group: int
    full: bool


def _person_entities(doc: Doc, lex: AttributionLexicon) -> list[Entity]:
    groups = _group_people(_person_mentions(doc, lex), lex)
    text = doc_text(doc)
    folded = text.translate(FOLD_DASHES)
    hits: list[_Hit] = []
    for gi, g in enumerate(groups):
        for variant in sorted(g.variants, key=len, reverse=True):
            if len(variant) < 2:
                continue
            for m in bounded(name_regex(variant, lex)).finditer(folded):
                hits.append(_Hit(m.start(), m.end(), gi, True))
        canon = _canonical(g.variants)
        for pattern in (surname_regex(canon, lex),):
            for m in bounded(pattern).finditer(folded):
                hits.append(_Hit(m.start(), m.end(), gi, False))
            upper = bounded(re.escape(surname_key(canon, lex).upper()))
            if len(surname_key(canon, lex)) > 2:
                for m in upper.finditer(folded):
                    hits.append(_Hit(m.start(), m.end(), gi, False))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), not h.full))
    kept: list[_Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    # a bare surname shared by several people goes to the one of them mentioned most so far
    # (named in full before it, the bare surname counted for whom it went to: the article's main
    # figure, not a relative named once since), then to the one named last; after an honorific,
    # to one of that gender ("Mrs. Clinton" is not Bill Clinton)
    by_key: dict[str, list[int]] = {}
    for gi, g in enumerate(groups):
        by_key.setdefault(g.key, []).append(gi)
    so_far: dict[int, int] = {}
    last_full: dict[int, int] = {}
    assigned: list[_Hit] = []
    for hit in kept:
        if hit.full:
            last_full[hit.group] = hit.start
            so_far[hit.group] = so_far.get(hit.group, 0) + 1
            assigned.append(hit)
            continue
        rivals = by_key[groups[hit.group].key]
        if len(rivals) > 1:
            marked = _honorific_gender(text[max(0, hit.start - 6) : hit.start], lex)
            if marked is not None:
                fits = [r for r in rivals if _given_gender(groups[r], lex) in (None, marked)]
                rivals = fits or rivals
            named = [r for r in rivals if r in last_full]
            if named:
                group = max(named, key=lambda r: (so_far.get(r, 0), last_full[r]))
            else:
                group = min(rivals, key=lambda r: groups[r].first)
            hit = _Hit(hit.start, hit.end, group, False)
        so_far[hit.group] = so_far.get(hit.group, 0) + 1
        assigned.append(hit)
    entities: list[tuple[int, Entity]] = []
    for gi, g in enumerate(groups):
        mentions = tuple(
            Mention(h.start, h.end, text[h.start : h.end]) for h in assigned if h.group == gi
        )
        if not mentions:
            continue
        name = " ".join(_canonical(g.variants))
        name = _written_name(text, mentions, name)
        entities.append((mentions[0].start, Entity("person", name, mentions, title=g.title)))
    return [e for _, e in sorted(entities, key=lambda p: p[0])]


def _honorific_gender(before: str, lex: AttributionLexicon) -> str | None:
    """ "female"/"male" when the text just before a name ends with an honorific ("Mrs.")."""
    words = before.lower().split()
    if words and words[-1] in lex.female_honorifics:
        return "female"
    if words and words[-1] in lex.male_honorifics:
        return "male"
    return None


def _given_gender(group: _PersonGroup, lex: AttributionLexicon) -> str | None:
    """The gender the given names of a person's written forms mark, if they mark one."""
    given = {w.lower() for v in group.variants for w in v[:-1]}
    female, male = bool(given & lex.female_names), bool(given & lex.male_names)
    return None if female == male else ("female" if female else "male")


def _written_name(text: str, mentions: Sequence[Mention], name: str) -> str:
    """The canonical name as the article writes it ("al-Jabouri", not "al - Jabouri")."""
    squashed = re.sub(rf"[\s{DASH_CLASS}]", "", name)
    for m in mentions:
        if re.sub(rf"[\s{DASH_CLASS}]", "", m.text) == squashed:
            return re.sub(r"\s+", " ", m.text)
    return name


# --- organisations -----------------------------------------------------------------------------


def _org_entities(doc: Doc, lex: AttributionLexicon, taken: Sequence[Mention]) -> list[Entity]:
    text = doc_text(doc)
    folded = text.translate(FOLD_DASHES)
    names: dict[str, tuple[str, set[str], int]] = {}  # key -> (name, acronyms, first)
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        toks = list(ent)
        while toks and (toks[0].pos_ == "DET" or toks[0].is_punct):
            toks = toks[1:]
        while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct):
            toks = toks[:-1]
        if not toks or not any(t.text[:1].isupper() for t in toks):
            continue
        if all(_is_title_token(t, lex) for t in toks if not t.is_punct):
            continue  # "Interior" of "Interior Minister"
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if "\n" in text[start:end]:
            continue
        if any(m.start < end and start < m.end for m in taken):
            continue
        name = re.sub(r"\s+", " ", text[start:end])
        acronyms: set[str] = set()
        after = re.match(r"\s*\(([A-Z][A-Za-z0-9&.\-]{1,9})\)", text[end:])
        if after and after.group(1).upper() != name.upper():
            acronyms.add(after.group(1))
        key = name.lower()
        if key in names:
            names[key][1].update(acronyms)
        else:
            names[key] = (name, acronyms, start)
    # an acronym standing alone is the organisation it abbreviates
    alias_of = {a: key for key, (_, acr, _) in names.items() for a in acr}
    for key in [k for k, (name, _, _) in names.items() if name in alias_of]:
        if alias_of[names[key][0]] != key:
            del names[key]
    entities: list[tuple[int, Entity]] = []
    claimed: list[tuple[int, int]] = [(m.start, m.end) for m in taken]
    for name, acronyms, _ in sorted(names.values(), key=lambda v: v[2]):
        mentions: list[Mention] = []
        pattern = r"\s+".join(re.escape(w) for w in name.split())
        for alt in [pattern, *(re.escape(a) for a in sorted(acronyms))]:
            for m in bounded(alt).finditer(folded):
                if any(s < m.end() and m.start() < e for s, e in claimed):
                    continue
                claimed.append((m.start(), m.end()))
                mentions.append(Mention(m.start(), m.end(), text[m.start() : m.end()]))
        if mentions:
            mentions.sort(key=lambda m: m.start)
            entities.append((mentions[0].start, Entity("organization", name, tuple(mentions))))
    return [e for _, e in sorted(entities, key=lambda p: p[0])]


def extract_people(doc: Doc, lex: AttributionLexicon) -> list[Entity]:
    """Persons (canonical full name, title, every mention) and organisations named in `doc`."""
    persons = _person_entities(doc, lex)
    taken = [m for p in persons for m in p.mentions]
    orgs = _org_entities(doc, lex, taken)
    return sorted(persons + orgs, key=lambda e: e.mentions[0].start)


def entity_at(people: Sequence[Entity], start: int, end: int) -> Entity | None:
    """The person or organisation with a mention overlapping the characters [start, end)."""
    best: tuple[int, Entity] | None = None
    for entity in people:
        for m in entity.mentions:
            if m.start < end and start < m.end:
                overlap = min(end, m.end) - max(start, m.start)
                rank = overlap + (1000 if entity.kind == "person" else 0)
                if best is None or rank > best[0]:
                    best = (rank, entity)
    return best[1] if best else None
