"""Roles: which actor mention of an event is actor1 and which actor2 (the attacker, the attacked,
a witness), and ACLED's conventions for the actors of each kind of event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsledger.extract.events.actors import ActorMention, actor_name, render
from newsledger.extract.events.rules import EventRules

# who finds a body or reports an attack is not its perpetrator
WITNESS_VERBS = frozenset(
    {"find", "discover", "recover", "report", "say", "tell", "confirm", "observe", "announce"}
)
# "a post held by the army": the holder is the attacked party
HOLDING_VERBS = frozenset(
    {"man", "staff", "guard", "hold", "control", "occupy", "run", "own", "operate", "protect"}
)


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
class Actors:
    actor1: str | None
    actor2: str | None
    actor1_kind: str | None
    patient: str | None  # the first armed party attacked, when no attacker is named
    armed: int
    civilian: bool
    named: bool  # actor1 was named in the text (not a default)


def choose_actors(
    mentions: Sequence[ActorMention], doc: Doc, country: str | None, rules: EventRules
) -> Actors:
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
    return Actors(
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


def final_actors(
    sub: str,
    found: Actors,
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


def lead_in_actors(
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
