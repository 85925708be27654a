"""Which sentences report an event: a sentence with a trigger cue opens one, the sentences that
continue it in its paragraph ("The attack killed two", "Police dispersed them") join it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newsledger.extract.events.actors import find_actor_mentions
from newsledger.extract.events.cues import cue_hits, cues_in
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
    return any(p.name not in known and not is_country(p, rules) for p in here)


def _triggered(hits: Mapping[str, int], rules: EventRules) -> bool:
    return any(name in rules.triggers for name in hits)


def _sentences(doc: Doc) -> list[SpacySpan]:
    """spaCy's sentences, cut again at paragraph breaks (headlines, quotes ending a paragraph)."""
    found: list[SpacySpan] = []
    for sentence in doc.sents:
        start = sentence.start_char
        for brk in re.finditer(r"\n\s*\n", sentence.text):
            piece = doc.char_span(
                start, sentence.start_char + brk.start(), alignment_mode="contract"
            )
            if piece is not None and piece.text.strip():
                found.append(piece)
            start = sentence.start_char + brk.end()
        piece = doc.char_span(start, sentence.end_char, alignment_mode="contract")
        if piece is not None and piece.text.strip():
            found.append(piece)
    return found


def group_sentences(doc: Doc, places: Sequence[Entity], rules: EventRules) -> list[Group]:
    doc_text = doc.text
    starts = paragraph_starts(doc_text)
    cues = cues_in(doc_text, rules)
    groups: list[Group] = []
    for sentence in _sentences(doc):
        if not sentence.text.strip():
            continue
        hits = cue_hits(sentence, rules, cues)
        if "aggregate" in hits:
            continue
        paragraph = paragraph_of(sentence.start_char, starts)
        last = groups[-1] if groups else None
        text = sentence.text
        continues = (
            last is not None
            and last.paragraph == paragraph
            and not SEPARATE_OPENERS.search(text)
            and not PLACE_OPENER.search(text)
            and not _new_place(sentence, last, places, rules)
        )
        triggers = {n for n in hits if n in rules.triggers}
        if last is not None and text.lstrip().startswith("["):  # "[size=...]" tags of ACLED notes
            _merge(last, sentence, hits, rules)
            continue
        if (
            continues
            and last is not None
            and (not triggers or ANAPHORIC_OPENERS.search(text) or set(hits) <= CONTINUING_CUES)
        ):
            if hits or _mentions_deaths(text):
                _merge(last, sentence, hits, rules)
            continue
        if triggers or (hits.keys() & rules.weak_triggers and _has_armed_actor(text, rules)):
            inside = places_in(sentence.start_char, sentence.end_char, places)
            groups.append(Group([sentence], dict(hits), paragraph, pick_place(inside, rules)))
    return groups


def _merge(group: Group, sentence: SpacySpan, hits: Mapping[str, int], rules: EventRules) -> None:
    """Add a sentence that continues an event: it refines the event, it does not retype it."""
    group.sentences.append(sentence)
    for name, n in hits.items():
        if name in rules.modifier_cues:
            group.hits[name] = group.hits.get(name, 0) + n


def _mentions_deaths(text: str) -> bool:
    return bool(re.search(r"\b(?:killed|dead|died|fatalit|casualt|bod(?:y|ies))", text, re.I))


def _has_armed_actor(text: str, rules: EventRules) -> bool:
    return any(m.armed for m in find_actor_mentions(text, rules.actors))
