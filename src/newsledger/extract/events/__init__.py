"""Events coded the way ACLED codes them: one event per event-reporting sentence.

`extract_events(doc, published, places, rules)` reads a spaCy Doc sentence by sentence. A sentence
reports an event when one of the trigger cues of `data/event_rules.json` matches it and no modal,
plan, threat or negation governs the trigger ("could launch attacks" reports none). Sentences that
continue an event ("The attack killed two", "Police dispersed them") are merged into it: they add
fatalities and refine its sub-type. The sub-type comes from the decision list in the rules file,
the actors from `actors.py`, the place from the place entities, the date from `dates.py`, and the
fatalities from `fatalities.py` (ACLED's counting conventions).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.datafiles import read_json
from newsledger.extract.anchors import Anchored, anchored
from newsledger.extract.events.actors import (
    ActorLexicon,
    ActorMention,
    actor_name,
    country_name,
    find_actor_mentions,
    find_countries,
    load_actor_lexicon,
    render,
    resolve_back_references,
)
from newsledger.extract.events.dates import resolve_event_date
from newsledger.extract.events.fatalities import CountWords, count_fatalities, load_count_words
from newsledger.records import Entity, Event, Evidence

# who finds a body or reports an attack is not its perpetrator
WITNESS_VERBS = frozenset(
    {"find", "discover", "recover", "report", "say", "tell", "confirm", "observe", "announce"}
)
# "a post held by the army": the holder is the attacked party
HOLDING_VERBS = frozenset(
    {"man", "staff", "guard", "hold", "control", "occupy", "run", "own", "operate", "protect"}
)
MODALS = frozenset({"could", "would", "might", "may", "will", "shall", "should", "must", "can"})
HEDGES = frozenset({"potential", "possible", "possibly", "likely", "alleged"})
CONDITIONS = frozenset({"if", "unless", "whether"})
# cues whose matches are dropped when the words around them are hypothetical
STRUCTURAL_CUES = frozenset(
    {
        "crowd",
        "armed_target",
        "no_casualty",
        "aggregate",
        "label_property",
        "label_weapons",
        "label_other",
    }
)
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
NEAR_WORDS = re.compile(
    r"\b(?:near|outskirts|vicinity|around|between|area|areas|surroundings|(?:north|south|east|west|"
    r"northeast|northwest|southeast|southwest)(?:ern)? (?:of|part)|km|kilomet(?:er|re)s)\W*$",
    re.IGNORECASE,
)
AREA_AFTER = re.compile(
    r"^\W{0,2}(?:area|areas|district|outskirts|countryside|mountains?|valley|desert|frontline|"
    r"front|region of|border|sector|base|camp|forest|hills?)\b",
    re.IGNORECASE,
)
REGION_AFTER = re.compile(
    r"^\W{0,2}(?:province|governorate|region|state|oblast|department|prefecture)\b", re.IGNORECASE
)
AREA_NAME = re.compile(
    r"\b(?:mountains?|hills?|valley|wadi|desert|base|camp|airport|prison|border|crossing|"
    r"district|region|forest|river|lake|sea|frontline|front)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    """One line of the decision list: conditions on cue names and actors, and the sub-type."""

    sub_event_type: str | None
    all: tuple[tuple[str, ...], ...] = ()  # each entry: cue names of which one must match
    none: tuple[str, ...] = ()
    armed_parties: int | None = None
    max_armed: int | None = None
    civilian_target: bool | None = None
    by_actor1: Mapping[str, str] | None = None


@dataclass(frozen=True)
class EventRules:
    types: Mapping[str, str]  # sub-event type -> event type
    cues: Mapping[str, tuple[Anchored, ...]]
    rules: tuple[Rule, ...]
    triggers: frozenset[str]
    weak_triggers: frozenset[str]
    modifier_cues: frozenset[str]  # cues a continuing sentence adds to its event
    hypothetical: frozenset[str]
    attack_nouns: frozenset[str]  # "an attack by X", "X air raids": X is the attacker
    suspicion_verbs: frozenset[str]  # "men suspected to be X": X acts
    counts: CountWords = field(repr=False)
    actors: ActorLexicon = field(repr=False)


def load_event_rules() -> EventRules:
    """Read event_rules.json, fatality_words.tsv and the actor lexicon."""
    data = read_json("event_rules.json")
    cues = {
        name: tuple(anchored(re.compile(p, re.IGNORECASE)) for p in patterns)
        for name, patterns in data["cues"].items()
    }
    rules = []
    for number, raw in enumerate(data["rules"], start=1):
        rule = Rule(
            sub_event_type=raw.get("then"),
            all=tuple(tuple(entry.split("|")) for entry in raw.get("all", ())),
            none=tuple(raw.get("none", ())),
            armed_parties=raw.get("armed_parties"),
            max_armed=raw.get("max_armed"),
            civilian_target=raw.get("civilian_target"),
            by_actor1=raw.get("by_actor1"),
        )
        names = [n for entry in rule.all for n in entry] + list(rule.none)
        unknown = [n for n in names if n not in cues]
        subtypes = [rule.sub_event_type] if rule.sub_event_type else []
        subtypes += list((rule.by_actor1 or {}).values())
        if unknown or not subtypes or any(s not in data["types"] for s in subtypes):
            raise ValueError(f"event_rules.json: rule {number} names unknown cues or types: {raw}")
        rules.append(rule)
    return EventRules(
        types=data["types"],
        cues=cues,
        rules=tuple(rules),
        triggers=frozenset(data["triggers"]),
        weak_triggers=frozenset(data["weak_triggers"]),
        modifier_cues=frozenset(data["modifier_cues"]),
        hypothetical=frozenset(data["hypothetical"]),
        attack_nouns=frozenset(data["attack_nouns"]),
        suspicion_verbs=frozenset(data["suspicion_verbs"]),
        counts=load_count_words(),
        actors=load_actor_lexicon(),
    )


# --- cues ---------------------------------------------------------------------------------


def _is_hypothetical(token: Token, words: frozenset[str]) -> bool:
    """A trigger under a modal, a plan or threat, a condition, a negation or a hedge."""
    chain = [token, *list(token.ancestors)[:4]]
    for i, node in enumerate(chain):
        if i > 0 and node.lemma_.lower() in words and node.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            return True
        for child in node.children:
            lemma = child.lower_
            if child.dep_ in ("aux", "auxpass") and lemma in MODALS:
                return True
            if child.dep_ == "neg" and i < 2:
                return True
            if child.dep_ == "mark" and lemma in CONDITIONS:
                return True
            if child.dep_ in ("amod", "advmod") and lemma in HEDGES and i == 0:
                return True
        if node.dep_ in ("ROOT", "nsubj", "nsubjpass", "csubj"):
            break  # what the subject of a plan or demand did is no plan ("workers who protested")
    return False


def _cues_in(text: str, rules: EventRules) -> dict[str, tuple[Anchored, ...]]:
    """The cue patterns that can match somewhere in a document's text."""
    folded = text.casefold()
    found = {n: tuple(p for p in ps if p.may_match(folded)) for n, ps in rules.cues.items()}
    return {n: ps for n, ps in found.items() if ps}


def _cue_hits(
    sentence: SpacySpan, rules: EventRules, cues: Mapping[str, tuple[Anchored, ...]]
) -> dict[str, int]:
    """Cue name -> number of realis matches in the sentence (`cues`: those of its document)."""
    doc = sentence.doc
    text = sentence.text
    folded = text.casefold()
    hits: dict[str, int] = {}
    for name, patterns in cues.items():
        count = 0
        for pattern in patterns:
            for match in pattern.finditer(text, folded):
                if name not in STRUCTURAL_CUES:
                    start = sentence.start_char + match.start()
                    span = doc.char_span(
                        start, start + max(1, len(match.group(0).rstrip())), alignment_mode="expand"
                    )
                    if (
                        span is not None
                        and len(span)
                        and _is_hypothetical(span[0], rules.hypothetical)
                    ):
                        continue
                count += 1
        if count:
            hits[name] = count
    return hits


# --- grouping sentences into events ------------------------------------------------------


@dataclass
class _Group:
    """Sentences that report one event (mutable while the document is read)."""

    sentences: list[SpacySpan]
    hits: dict[str, int]  # the first sentence's cues, and the modifiers of the others
    paragraph: int
    place: Entity | None


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]


def _paragraph_of(offset: int, starts: Sequence[int]) -> int:
    return sum(1 for s in starts if s <= offset) - 1


def _places_in(start: int, end: int, places: Sequence[Entity]) -> list[tuple[int, Entity]]:
    found = [
        (m.start, place)
        for place in places
        for m in place.mentions
        if start <= m.start and m.end <= end
    ]
    return sorted(found, key=lambda f: f[0])


def _is_country(place: Entity, rules: EventRules) -> bool:
    return place.name in rules.actors.by_alias and place.admin1 is None


def _new_place(
    sentence: SpacySpan, group: _Group, places: Sequence[Entity], rules: EventRules
) -> bool:
    here = [p for _, p in _places_in(sentence.start_char, sentence.end_char, places)]
    if group.place is None:
        return False
    known = {group.place.name, group.place.admin1 or "", group.place.country or ""}
    return any(p.name not in known and not _is_country(p, rules) for p in here)


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


def _group_sentences(doc: Doc, places: Sequence[Entity], rules: EventRules) -> list[_Group]:
    doc_text = doc.text
    starts = _paragraph_starts(doc_text)
    cues = _cues_in(doc_text, rules)
    groups: list[_Group] = []
    for sentence in _sentences(doc):
        if not sentence.text.strip():
            continue
        hits = _cue_hits(sentence, rules, cues)
        if "aggregate" in hits:
            continue
        paragraph = _paragraph_of(sentence.start_char, starts)
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
            inside = _places_in(sentence.start_char, sentence.end_char, places)
            groups.append(_Group([sentence], dict(hits), paragraph, _pick_place(inside, rules)))
    return groups


def _merge(group: _Group, sentence: SpacySpan, hits: Mapping[str, int], rules: EventRules) -> None:
    """Add a sentence that continues an event: it refines the event, it does not retype it."""
    group.sentences.append(sentence)
    for name, n in hits.items():
        if name in rules.modifier_cues:
            group.hits[name] = group.hits.get(name, 0) + n


def _mentions_deaths(text: str) -> bool:
    return bool(re.search(r"\b(?:killed|dead|died|fatalit|casualt|bod(?:y|ies))", text, re.I))


def _has_armed_actor(text: str, rules: EventRules) -> bool:
    return any(m.armed for m in find_actor_mentions(text, rules.actors))


# --- classification ----------------------------------------------------------------------


def _rule_holds(rule: Rule, hits: Mapping[str, int], armed: int, civilian: bool) -> bool:
    if not all(any(name in hits for name in entry) for entry in rule.all):
        return False
    if any(name in hits for name in rule.none):
        return False
    if rule.armed_parties is not None and armed < rule.armed_parties:
        return False
    if rule.max_armed is not None and armed > rule.max_armed:
        return False
    return rule.civilian_target is None or rule.civilian_target == civilian


def classify(
    hits: Mapping[str, int], armed: int, civilian: bool, actor1_kind: str | None, rules: EventRules
) -> tuple[str, str, int] | None:
    """(event type, sub-event type, rule index) by the first rule that holds, or None."""
    for index, rule in enumerate(rules.rules):
        if not _rule_holds(rule, hits, armed, civilian):
            continue
        if rule.by_actor1 is not None:
            sub = rule.by_actor1["state" if actor1_kind == "state" else "other"]
        else:
            sub = rule.sub_event_type or ""
        return rules.types[sub], sub, index
    return None


# --- actors ------------------------------------------------------------------------------


def _role(mention: ActorMention, doc: Doc, rules: EventRules) -> str:
    """initiator, agent, patient, witness or other: the mention's part in its clause
    (an initiator is named as the one who attacked: "an attack by X")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return "other"
    token = span.root
    top = token
    while top.dep_ in ("compound", "amod", "nmod", "poss") and top.head is not top:
        top = top.head
        if _attack_noun(top, rules):
            return "agent"  # "Saudi-led coalition air raids", "a Taliban attack"
    while token.dep_ in ("compound", "amod", "nmod", "appos", "conj", "poss", "nummod") and (
        token.head is not token
    ):
        token = token.head
    while (
        token.dep_ == "pobj"
        and token.head.lower_ == "of"
        and token.head.head.pos_ in ("NOUN", "PROPN")
    ):
        token = token.head.head  # "planes of the national air force" act as the planes do
    if token.dep_ == "pobj" and token.head.lower_ == "by":
        if _attack_noun(token.head.head, rules):
            return "initiator"  # "repelled an attack by X"
        verb = token.head.head.lemma_.lower()
        if verb in HOLDING_VERBS:
            return "patient"  # "a checkpoint manned by police" was attacked
        return "witness" if verb in WITNESS_VERBS else "agent"
    if token.dep_ in ("nsubj", "csubj"):
        return "witness" if token.head.lemma_.lower() in WITNESS_VERBS else "agent"
    if (
        token.dep_ == "attr"
        and token.head.lemma_ == "be"
        and token.head.head.lemma_.lower() in rules.suspicion_verbs
    ):
        return "agent"  # "men suspected to be X militants threw a grenade"
    if token.dep_ in ("nsubjpass", "dobj", "pobj", "attr", "dative", "oprd"):
        return "patient"
    return "other"


def _attack_noun(token: Token, rules: EventRules) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and (
        token.lemma_.lower() in rules.attack_nouns
        or (token.i > 0 and f"{token.nbor(-1).lower_} {token.lemma_.lower()}" in rules.attack_nouns)
    )


@dataclass(frozen=True)
class _Actors:
    actor1: str | None
    actor2: str | None
    actor1_kind: str | None
    patient: str | None  # the first armed party attacked, when no attacker is named
    armed: int
    civilian: bool
    named: bool  # actor1 was named in the text (not a default)


def _choose_actors(
    mentions: Sequence[ActorMention], doc: Doc, country: str | None, rules: EventRules
) -> _Actors:
    lex = rules.actors
    armed = [m for m in mentions if m.armed]
    names = {actor_name(m, country, lex) for m in armed}
    roles = {id(m): _role(m, doc, rules) for m in mentions}
    civilians = [m for m in mentions if m.kind == "civilians"]
    armed_patient = any(roles[id(m)] == "patient" for m in armed)
    civilian = any(roles[id(m)] == "patient" for m in civilians) or (
        bool(civilians) and not armed_patient
    )
    agents = [m for m in armed if roles[id(m)] == "initiator"]
    agents += [m for m in armed if roles[id(m)] == "agent"]
    others = [m for m in armed if roles[id(m)] == "other"]
    # an attacked party alone leaves the attacker unknown
    first: ActorMention | None = (agents or others)[0] if agents or others else None
    actor1 = actor_name(first, country, lex) if first is not None else None
    second = next(
        (
            m
            for m in armed
            if actor_name(m, country, lex) != actor1
            and m is not first
            and roles[id(m)] != "witness"
        ),
        None,
    )
    actor2 = actor_name(second, country, lex) if second is not None else None
    return _Actors(
        actor1=actor1,
        actor2=actor2,
        actor1_kind=first.kind if first is not None else None,
        patient=next(
            (actor_name(m, country, lex) for m in armed if roles[id(m)] == "patient"), None
        ),
        armed=len(names),
        civilian=civilian,
        named=first is not None,
    )


def _final_actors(
    sub: str,
    found: _Actors,
    mentions: Sequence[ActorMention],
    country: str | None,
    rules: EventRules,
) -> tuple[str | None, str | None]:
    """ACLED's conventions for who is actor1 and actor2 of each kind of event."""
    lex = rules.actors
    event_type = rules.types[sub]
    civilians = render("Civilians ({country})", country, lex)
    state = next((m for m in mentions if m.kind == "state"), None)
    state_name = actor_name(state, country, lex) if state is not None else None
    if event_type == "Protests":
        return render("Protesters ({country})", country, lex), (
            None if sub == "Peaceful protest" else state_name
        )
    if event_type == "Riots":
        other = state_name or (civilians if sub == "Mob violence" else None)
        return render("Rioters ({country})", country, lex), other
    unknown = render("Unidentified Armed Group ({country})", country, lex)
    if event_type == "Violence against civilians":
        return found.actor1 or unknown, civilians
    if event_type == "Battles" and found.actor1 is None and found.patient is not None:
        return found.patient, found.actor2 or unknown  # a battle has two sides: name the known
    if event_type in ("Battles", "Explosions/Remote violence"):
        actor2 = found.actor2 or (civilians if found.civilian else None)
        return found.actor1 or unknown, actor2
    if sub == "Arrests":
        police = render("Police Forces of {of_country}", country, lex)
        return found.actor1 or police, found.actor2 or (civilians if found.civilian else None)
    parties = [m for m in mentions if m.kind != "observer"]
    if found.actor1 is None and parties:
        return actor_name(parties[0], country, lex), None
    return found.actor1, found.actor2


def _lead_in_actors(
    mentions: Sequence[ActorMention], lead: int, start: int, doc: Doc
) -> list[ActorMention]:
    """The actors of the closest earlier sentence of the paragraph that names an armed one:
    "Police raided a house. Two suspects were shot dead." (the police shot them)."""
    armed = [m for m in mentions if lead <= m.start and m.end <= start and m.armed]
    if not armed:
        return []
    span = doc.char_span(armed[-1].start, armed[-1].end, alignment_mode="expand")
    if span is None:
        return []
    sentence = span.sent
    return [m for m in mentions if sentence.start_char <= m.start and m.end <= sentence.end_char]


# --- place, country, date ----------------------------------------------------------------


def _pick_place(candidates: Sequence[tuple[int, Entity]], rules: EventRules) -> Entity | None:
    """The first place below country level, one with coordinates if there is one."""
    below = [p for _, p in candidates if not _is_country(p, rules)]
    located = [p for p in below if p.latitude is not None]
    for group in (located, below, [p for _, p in candidates]):
        if group:
            return group[0]
    return None


def _locate(
    group: _Group,
    doc: Doc,
    places: Sequence[Entity],
    paragraph_starts: Sequence[int],
    rules: EventRules,
) -> tuple[Entity | None, int | None]:
    """The event's place and its mention offset: in the sentence, before it, or the main place."""
    first = group.sentences[0]
    if group.place is not None:
        mention = min(
            (m.start for m in group.place.mentions if first.start_char <= m.start),
            default=None,
        )
        return group.place, mention
    para_start = paragraph_starts[group.paragraph]
    before = [
        (m.start, p)
        for p in places
        for m in p.mentions
        if para_start <= m.start < first.start_char and not _is_country(p, rules)
    ]
    if before:
        # the closest earlier sentence that names a place, and in it the place an event of its
        # own would take (the town, not the district and province that qualify it)
        last, _ = max(before, key=lambda b: b[0])
        token = doc.char_span(last, last + 1, alignment_mode="expand")
        lo = token.sent.start_char if token is not None else last
        sentence = sorted((b for b in before if b[0] >= lo), key=lambda b: b[0])
        chosen = _pick_place(sentence, rules)
        offset = min(o for o, p in before if p is chosen and o >= lo)
        return chosen, offset
    if places:
        main = max(places, key=lambda p: (len(p.mentions), -min(m.start for m in p.mentions)))
        return main, None
    return None, None


def _geo_precision(place: Entity, offset: int | None, text: str, rules: EventRules) -> int:
    if _is_country(place, rules):
        return 3
    if offset is None:
        return 2
    mention = next((m for m in place.mentions if m.start == offset), None)
    end = mention.end if mention is not None else offset
    before = text[max(0, offset - 30) : offset]
    after = text[end : end + 20]
    if REGION_AFTER.search(after) or (
        place.admin1
        and place.name == place.admin1
        and re.search(r"\bprovince|governorate", after, re.I)
    ):
        return 3
    if NEAR_WORDS.search(before) or AREA_AFTER.search(after) or AREA_NAME.search(place.name):
        return 2
    return 1


def _place_country(place: Entity, rules: EventRules) -> str | None:
    return country_name(place.country, rules.actors) or country_name(place.name, rules.actors)


def _country_votes(
    place: Entity | None,
    span: tuple[int, int],
    doc_text: str,
    places: Sequence[Entity],
    mentions: Sequence[ActorMention],
    rules: EventRules,
) -> Counter[str]:
    """Evidence for the event's country: its place, the other places named in the event and
    in the article, country names and demonyms in the event, the home of named actors."""
    votes: Counter[str] = Counter()
    if place is not None and (own := _place_country(place, rules)):
        votes[own] += 3
    start, end = span
    for other in places:
        country = _place_country(other, rules)
        inside = any(start <= m.start < end for m in other.mentions)
        if country is not None and other is not place and inside:
            votes[country] += 2
    counted = [(m.start, m.end) for m in mentions]
    counted += [(m.start, m.end) for other in places if other is not place for m in other.mentions]
    for offset, country in find_countries(doc_text[start:end], rules.actors):
        # "Saudi-led coalition", "Israeli forces": armed forces act abroad, their flag is no place;
        # a country the place entities name has its vote already
        at = start + offset
        if not any(lo <= at < hi for lo, hi in counted):
            votes[country] += 2
    for mention in mentions:
        if mention.country and "{" not in mention.template:
            votes[mention.country] += 1
    if not votes:  # nothing in the event itself: the places of the whole article
        for other in places:
            if (country := _place_country(other, rules)) is not None:
                votes[country] += len(other.mentions)
    return votes


def _country(votes: Counter[str], place: Entity | None, rules: EventRules) -> str | None:
    if not votes:
        return None
    best = max(votes.values())
    own = _place_country(place, rules) if place is not None else None
    if own is not None and votes[own] == best:
        return own
    return max(votes, key=lambda c: votes[c])


def _agreeing_place(
    group: _Group, country: str | None, places: Sequence[Entity], rules: EventRules
) -> Entity | None:
    """A place of the event's sentence in the voted country, when the first one is elsewhere."""
    first = group.sentences[0]
    inside = _places_in(first.start_char, first.end_char, places)
    return _pick_place([(i, p) for i, p in inside if _place_country(p, rules) == country], rules)


# --- the extractor -----------------------------------------------------------------------


def _summary(text: str) -> str:
    return " ".join(text.split())


def extract_events(
    doc: Doc,
    published: str | None,
    places: Sequence[Entity],
    rules: EventRules,
    published_precision: str | None = None,
) -> list[Event]:
    """One Event per event-reporting sentence (with the sentences that continue it);
    `published_precision` widens dates resolved against a free-form publication date."""
    groups = _group_sentences(doc, places, rules)
    if not groups:
        return []
    doc_text = doc.text  # spaCy joins every token again on each access
    all_mentions = resolve_back_references(find_actor_mentions(doc_text, rules.actors))
    paragraph_starts = _paragraph_starts(doc_text)
    events: list[Event] = []
    context: tuple[str, int] | None = None
    for group in groups:
        first = group.sentences[0]
        start, end = first.start_char, first.end_char
        group_end = group.sentences[-1].end_char
        text = doc_text[start:group_end]
        mentions = [m for m in all_mentions if start <= m.start and m.end <= end]
        if not any(m.armed for m in mentions):
            lead = paragraph_starts[group.paragraph]
            mentions = _lead_in_actors(all_mentions, lead, start, doc) + mentions
        place, offset = _locate(group, doc, places, paragraph_starts, rules)
        votes = _country_votes(place, (start, group_end), doc_text, places, mentions, rules)
        country = _country(votes, place, rules)
        if place is not None and country is not None and _place_country(place, rules) != country:
            better = _agreeing_place(group, country, places, rules)
            if better is not None:
                place = better
                offset = min(m.start for m in better.mentions)
        found = _choose_actors(mentions, doc, country, rules)
        later = [m for m in all_mentions if end <= m.start and m.end <= group_end]
        civilian = found.civilian or any(m.kind == "civilians" for m in later)
        coded = classify(group.hits, found.armed, civilian, found.actor1_kind, rules)
        if coded is None:
            continue
        event_type, sub, index = coded
        actor1, actor2 = _final_actors(sub, found, mentions + later, country, rules)
        date, precision = resolve_event_date(first.text, published, context, published_precision)
        if date is None:
            date, precision = (
                context
                if context
                else resolve_event_date("today", published, None, published_precision)
            )
            if date is not None and not context:
                precision = 2
        if date is not None and precision is not None:
            context = (date, precision)
        deaths = count_fatalities(text, rules.counts)
        confidence = 0.45 + 0.25 * (1 - index / len(rules.rules))
        confidence += 0.15 * found.named + 0.15 * (place is not None)
        events.append(
            Event(
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
                    _geo_precision(place, offset, doc_text, rules) if place is not None else None
                ),
                fatalities=deaths or 0,
                notes=_summary(first.text),
                evidence=Evidence(start, end, doc_text[start:end]),
                confidence=round(min(1.0, confidence), 3),
            )
        )
    return events
