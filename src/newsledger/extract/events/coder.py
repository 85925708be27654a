"""The coder: an Event assembled from each group of sentences (type, actors, place, date,
fatalities, evidence)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newsledger.extract.doctext import doc_text as text_of
from newsledger.extract.events.actors import (
    ActorMention,
    find_actor_mentions,
    resolve_back_references,
)
from newsledger.extract.events.coreference import merge_mentions
from newsledger.extract.events.dates import bare_year, has_own_date, resolve_event_date
from newsledger.extract.events.fatalities import count_fatalities
from newsledger.extract.events.grouping import group_sentences, sentences_of
from newsledger.extract.events.incidents import Anchors, EventMention, is_generic, is_talk, is_total
from newsledger.extract.events.locating import (
    agreeing_place,
    choose_country,
    country_votes,
    event_places,
    geo_precision,
    is_country,
    locate,
    nearest_place,
    place_country,
)
from newsledger.extract.events.roles import choose_actors, final_actors, lead_in_actors
from newsledger.extract.events.rules import EventRules, classify
from newsledger.records import Entity, Event, Evidence

# the sentences (counted from 0) that open an article: its news, dated by its publication
LEAD_SENTENCES = 1
# a text of this many sentences and characters is read as a whole report: background, comment
# and the same incident told again sit beside the news (a note such as ACLED's, under 1,000
# characters, tells one incident a sentence)
WHOLE_ARTICLE = 6
WHOLE_ARTICLE_CHARS = 1200
LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|outside|inside|across|around|into|towards?|of|from|to|over|north|south|"
    r"east|west)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
TOWN_ANAPHOR = re.compile(r"\bthe (?:town|city|village|area|camp|base)\b(?! of\b)")
QUOTE_MARKS = "\"“‘'"
# verbs in the past that tell no event of their own ("he said", "it was")
TELLING_VERBS = frozenset(
    {
        "be",
        "have",
        "do",
        "say",
        "tell",
        "add",
        "claim",
        "report",
        "state",
        "write",
        "believe",
        "think",
        "know",
        "confirm",
        "deny",
        "announce",
        "warn",
        "argue",
        "note",
        "insist",
        "suggest",
    }
)


def _in_place(sentence: SpacySpan, place: Entity) -> bool:
    """The place named as where something is ("in Raqqa", "the suburb of Douma", "strikes on
    Baghuz"), not as a word of a name or an adjective ("the Gulf countries")."""
    text = text_of(sentence.doc)
    return any(
        LOCATIVE.search(text[max(sentence.start_char, m.start - 40) : m.start])
        for m in place.mentions
        if sentence.start_char <= m.start < sentence.end_char
    )


def _trigger_offsets(sentence: SpacySpan, hits: Mapping[str, int], rules: EventRules) -> list[int]:
    """Where the sentence's trigger cues match (document offsets)."""
    text = sentence.text
    folded = text.casefold()
    return [
        sentence.start_char + match.start()
        for name in hits
        if name in rules.triggers
        for pattern in rules.cues[name]
        for match in pattern.finditer(text, folded)
    ]


def _tells_past(sentence: SpacySpan) -> bool:
    """A sentence with a verb in the past ("killed", "have been captured") or of a live report
    ("are interrupting") that is not one of saying or being (the small model tags some simple
    pasts as participles)."""
    return any(
        token.lemma_.lower() not in TELLING_VERBS
        and (
            token.tag_ == "VBD"
            or (  # a live report: "protesters are interrupting the hearing"
                token.tag_ == "VBG"
                and token.dep_ == "ROOT"
                and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in token.children)
            )
            or (  # "have been captured", "were killed"; not "is controlled", "a group led by"
                token.tag_ == "VBN"
                and any(
                    (c.dep_ == "aux" and c.lemma_ == "have")
                    or (c.dep_ == "auxpass" and c.tag_ in ("VBD", "VBN"))
                    for c in token.children
                )
            )
        )
        for token in sentence
    )


def _summary(text: str) -> str:
    return " ".join(text.split())


def extract_events(
    doc: Doc,
    published: str | None,
    places: Sequence[Entity],
    rules: EventRules,
    published_precision: str | None = None,
    actor_mentions: Sequence[ActorMention] | None = None,
) -> list[Event]:
    """One Event per event-reporting sentence (with the sentences that continue it);
    `published_precision` widens dates resolved against a free-form publication date;
    `actor_mentions`, the document's actor mentions when the caller has found them already
    (`find_actor_mentions` of its text: the place extractor needs them too)."""
    doc_text = text_of(doc)
    sentences = sentences_of(doc) if len(doc_text) >= WHOLE_ARTICLE_CHARS else None
    whole = sentences is not None and len(sentences) >= WHOLE_ARTICLE
    if whole:
        places = event_places(doc_text, places, rules.frames)
    groups = group_sentences(doc, places, rules, whole, sentences)
    if not groups:
        return []
    if actor_mentions is None:
        actor_mentions = find_actor_mentions(doc_text, rules.actors)
    all_mentions = resolve_back_references(actor_mentions)
    mentions_found: list[EventMention] = []
    context: tuple[str, int] | None = None
    for group in groups:
        first = group.sentences[0]
        start, end = first.start_char, first.end_char
        group_end = group.sentences[-1].end_char
        text = doc_text[start:group_end]
        mentions = [m for m in all_mentions if start <= m.start and m.end <= end]
        if not any(m.armed for m in mentions):
            lead = group.lead_start
            mentions = lead_in_actors(all_mentions, lead, start, doc) + mentions
        own = group.place
        if whole:
            own = (
                nearest_place(first, places, _trigger_offsets(first, group.hits, rules), rules)
                or own
            )
        lead_start = group.lead_start
        if whole and own is None and TOWN_ANAPHOR.search(first.text):
            lead_start = 0  # "entered the town": the last town the report named before
        place, offset = locate(first, own, lead_start, places, rules, group_end)
        # a place named in the sentence or in the sentences just before it (not the article's)
        told = own if own is not None else (place if offset is not None else None)
        named = place_country(told, rules) if told is not None else None
        if whole and named is not None:
            # in a report, nationality words name people ("British militants", "Russian jets",
            # "a US reporter"): the incident's place gives its country
            country: str | None = named
        else:
            # the article's main place is no evidence of where this incident happened
            voter = None if whole and told is None else place
            votes = country_votes(voter, (start, group_end), doc_text, places, mentions, rules)
            country = choose_country(votes, voter, rules)
            if whole and told is None and country is not None:
                # no place told for it: the country is all that is known, not the article's town
                place = next(
                    (
                        p
                        for p in places
                        if is_country(p, rules) and place_country(p, rules) == country
                    ),
                    place,
                )
        if place is not None and country is not None and place_country(place, rules) != country:
            better = agreeing_place(first, country, places, rules)
            if better is not None:
                place = better
                offset = min(m.start for m in better.mentions)
        found = choose_actors(mentions, doc, country, rules)
        later = [m for m in all_mentions if end <= m.start and m.end <= group_end]
        civilian = found.civilian or any(m.kind == "civilians" for m in later)
        coded = classify(group.hits, found.armed, civilian, found.actor1_kind, rules)
        if coded is None:
            continue
        event_type, sub, index = coded
        actor1, actor2 = final_actors(sub, found, mentions + later, country, rules)
        date, precision = resolve_event_date(first.text, published, context, published_precision)
        dated = date is not None and has_own_date(first.text)
        background = bare_year(first.text, published) if not dated else None
        if background is not None:
            date, precision = background
        elif date is None:
            # a note's next sentences share its date; in a report an undated mention is dated
            # by its publication (the week), or by the incident coreference joins it to
            if context is not None and not whole:
                date, precision = context
            else:
                date, precision = resolve_event_date("today", published, None, published_precision)
                # the publication's week, or wider when the publication date is only known wider
                precision = max(2, precision or 2) if date is not None else None
        if date is not None and precision is not None and (dated or not whole):
            context = (date, precision)  # what "meanwhile", "in the same week" refer to
        deaths = count_fatalities(text, rules.counts)
        if whole:  # the sentences after it often count the same dead again
            deaths = count_fatalities(first.text, rules.counts) or deaths
        confidence = 0.45 + 0.25 * (1 - index / len(rules.rules))
        confidence += 0.15 * found.named + 0.15 * (place is not None)
        event = Event(
            event_date=date,
            time_precision=precision,
            event_type=event_type,
            sub_event_type=sub,
            actor1=actor1 or None,
            assoc_actor_1=None,
            actor2=actor2 or None,
            assoc_actor_2=None,
            location=place.name if place is not None else None,
            admin1=place.admin1 if place is not None else None,
            admin2=None,
            country=country,
            latitude=place.latitude if place is not None else None,
            longitude=place.longitude if place is not None else None,
            geo_precision=(
                geo_precision(place, offset, doc_text, rules) if place is not None else None
            ),
            fatalities=deaths or 0,
            notes=_summary(first.text),
            evidence=Evidence(start, end, doc_text[start:end]),
            confidence=round(min(1.0, confidence), 3),
        )
        first_text = first.text
        # direct speech tells an incident of its own only with a date ("Last night they bombed")
        quoted = first_text.lstrip()[:1] in QUOTE_MARKS
        generic = is_generic(first_text, rules.frames) and not (dated or deaths)
        anchors = Anchors(
            dated=dated,
            deaths=bool(deaths) and not is_total(text, rules.frames),
            placed=not quoted
            and group.place is not None
            and not is_country(group.place, rules)
            and _in_place(first, group.place)
            and (_tells_past(first) or bool(deaths)),
            lead=not quoted and group.first <= LEAD_SENTENCES and _tells_past(first),
        )
        mentions_found.append(
            EventMention(
                event=event,
                anchors=anchors,
                talk=is_talk(
                    first_text,
                    rules.frames,
                    has_own_date(first_text, said=False) and _tells_past(first),
                )
                or generic
                or background is not None,
                own_place=own is not None,
                evidence=tuple(
                    Evidence(s.start_char, s.end_char, doc_text[s.start_char : s.end_char])
                    for s in group.sentences
                ),
            )
        )
    if not whole:
        # a note of one incident or a few (ACLED's): every event-reporting sentence is one
        return [m.event for m in mentions_found]
    return merge_mentions(mentions_found)
