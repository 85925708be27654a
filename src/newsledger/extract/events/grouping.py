"""Which sentences report an event: a sentence with a trigger cue opens one, the sentences that
continue it in its paragraph ("The attack killed two", "Police dispersed them") join it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newsledger.extract.doctext import doc_text as text_of
from newsledger.extract.events.actors import find_actor_mentions
from newsledger.extract.events.cues import cue_hits, cues_in
from newsledger.extract.events.dates import has_own_date
from newsledger.extract.events.locating import is_country, pick_place, places_in
from newsledger.extract.events.rules import EventRules
from newsledger.records import Entity

# a sentence with only these cues after an event of the same paragraph continues that event
CONTINUING_CUES = frozenset(
    {
        "violence",
        "violence_strong",
        "arrest",
        "loot",
        "change",
        "other",
        "intervention",
        "no_casualty",
        "crowd",
        "armed_target",
        "small_arms",
        "direct_fire",
        "protest",
        "protest_weak",
        "size_tag",
        "civilian_place",
    }
)
ANAPHORIC_OPENERS = re.compile(
    r"^\W*(?:the|this|these|those|they|he|she|it|his|her|their|both|its|all|also)\b", re.IGNORECASE
)
SEPARATE_OPENERS = re.compile(
    r"^\W*(?:separately|meanwhile|elsewhere|in (?:another|a separate|a similar)|"
    r"in the same (?:week|day)|additionally|on the same day|also on)\b",
    re.IGNORECASE,
)
PLACE_OPENER = re.compile(r"^\W*(?:[Ii]n|[Aa]t|[Nn]ear)\s+(?:the\s+)?[A-Z]")


@dataclass
class Group:
    """Sentences that report one event (mutable while the document is read)."""

    sentences: list[SpacySpan]
    hits: dict[str, int]  # the first sentence's cues, and the modifiers of the others
    paragraph: int
    place: Entity | None
    first: int = 0  # the number of its first sentence in the document
    last: int = 0  # the number of its last sentence
    lead_start: int = 0  # where the sentences that may lead into it start (its paragraph's)


# in a whole report a sentence continues an event only this close to its last sentence (in
# sentences): texts without paragraph breaks would otherwise join sentences far apart
CONTINUATION_REACH = 2


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]


def paragraph_of(offset: int, starts: Sequence[int]) -> int:
    return sum(1 for s in starts if s <= offset) - 1


def _new_place(
    sentence: SpacySpan, group: Group, places: Sequence[Entity], rules: EventRules
) -> bool:
    here = [p for _, p in places_in(sentence.start_char, sentence.end_char, places)]
    if group.place is None:
        return False
    known = {group.place.name, group.place.admin1 or "", group.place.country or ""}
    # a name the gazetteer lacks is no evidence of another place ("Kamuku militiamen were killed")
    return any(
        p.name not in known and p.latitude is not None and not is_country(p, rules) for p in here
    )


def _triggered(hits: Mapping[str, int], rules: EventRules) -> bool:
    return any(name in rules.triggers for name in hits)


def sentences_of(doc: Doc) -> list[SpacySpan]:
    """spaCy's sentences, cut again at paragraph breaks (headlines, quotes ending a paragraph)."""
    found: list[SpacySpan] = []
    text = text_of(doc)  # a span's text is its slice of it (Span.text joins its tokens)
    for sentence in doc.sents:
        start = sentence.start_char
        for brk in PARAGRAPH_BREAK.finditer(text, sentence.start_char, sentence.end_char):
            piece = doc.char_span(start, brk.start(), alignment_mode="contract")
            if piece is not None and text[piece.start_char : piece.end_char].strip():
                found.append(piece)
            start = brk.end()
        piece = doc.char_span(start, sentence.end_char, alignment_mode="contract")
        if piece is not None and text[piece.start_char : piece.end_char].strip():
            found.append(piece)
    return found


PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# where a report's sentence joins two incidents: "100 were killed in A on Thursday – while in B,
# 59 civilians died"; "...; in B, ..."
CLAUSE_BREAK = re.compile(r"\s[–—]\s(?=(?:while|whereas|and|as)\b)|;\s+")
MIN_CLAUSE = 40  # characters on each side


def _clauses(sentence: SpacySpan) -> list[SpacySpan]:
    """A sentence cut where it joins two clauses that can each tell an incident."""
    doc, text, start = sentence.doc, sentence.text, sentence.start_char
    cuts = [
        m
        for m in CLAUSE_BREAK.finditer(text)
        if m.start() >= MIN_CLAUSE and len(text) - m.end() >= MIN_CLAUSE
    ]
    if not cuts:
        return [sentence]
    found: list[SpacySpan] = []
    at = 0
    for cut in [*cuts, None]:
        end = cut.start() if cut is not None else len(text)
        piece = doc.char_span(start + at, start + end, alignment_mode="contract")
        if piece is not None and piece.text.strip():
            found.append(piece)
        if cut is not None:
            at = cut.end()
    return found


def group_sentences(
    doc: Doc,
    places: Sequence[Entity],
    rules: EventRules,
    whole: bool = False,
    sentences: list[SpacySpan] | None = None,
) -> list[Group]:
    """The event-reporting sentences, each with the sentences that continue it. In a `whole`
    report (not a note of one incident) a sentence continues an event only close to it and not
    with a trigger and a date of its own ("The town was attacked in April too")."""
    reach = CONTINUATION_REACH if whole else len(doc)
    doc_text = text_of(doc)
    starts = paragraph_starts(doc_text)
    cues = cues_in(doc_text, rules)
    groups: list[Group] = []
    pieces = sentences_of(doc) if sentences is None else sentences  # `sentences_of(doc)`
    if whole:
        pieces = [clause for piece in pieces for clause in _clauses(piece)]
    for number, sentence in enumerate(pieces):
        if not sentence.text.strip():
            continue
        hits = cue_hits(sentence, rules, cues, whole)
        if "aggregate" in hits:
            continue
        paragraph = paragraph_of(sentence.start_char, starts)
        last = groups[-1] if groups else None
        text = sentence.text
        continues = (
            last is not None
            and last.paragraph == paragraph
            and number - last.last <= reach
            and not SEPARATE_OPENERS.search(text)
            and not PLACE_OPENER.search(text)
            and not _new_place(sentence, last, places, rules)
        )
        triggers = {n for n in hits if n in rules.triggers}
        if last is not None and text.lstrip().startswith("["):  # "[size=...]" tags of ACLED notes
            _merge(last, sentence, hits, rules, number)
            continue
        if (
            continues
            and last is not None
            and (not triggers or ANAPHORIC_OPENERS.search(text) or set(hits) <= CONTINUING_CUES)
            and not (whole and triggers and has_own_date(text))
        ):
            if hits or _mentions_deaths(text):
                _merge(last, sentence, hits, rules, number)
            continue
        if triggers or (hits.keys() & rules.weak_triggers and _has_armed_actor(text, rules)):
            inside = places_in(sentence.start_char, sentence.end_char, places)
            lead = pieces[max(0, number - reach)].start_char
            groups.append(
                Group(
                    [sentence],
                    dict(hits),
                    paragraph,
                    pick_place(inside, rules, doc_text),
                    number,
                    number,
                    max(lead, starts[paragraph]),
                )
            )
    return groups


def _merge(
    group: Group, sentence: SpacySpan, hits: Mapping[str, int], rules: EventRules, number: int
) -> None:
    """Add a sentence that continues an event: it refines the event, it does not retype it."""
    group.sentences.append(sentence)
    group.last = number
    for name, n in hits.items():
        if name in rules.modifier_cues:
            group.hits[name] = group.hits.get(name, 0) + n


def _mentions_deaths(text: str) -> bool:
    return bool(re.search(r"\b(?:killed|dead|died|fatalit|casualt|bod(?:y|ies))", text, re.I))


def _has_armed_actor(text: str, rules: EventRules) -> bool:
    return any(m.armed for m in find_actor_mentions(text, rules.actors))
