"""The event rules of `data/event_rules.json`: the cue patterns, the decision list that gives an
event's sub-type from the cues that matched, and the trigger sets
(`load_event_rules`, `classify`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsledger.datafiles import read_json
from newsledger.extract.anchors import Anchored, AnchorMemo, lazily
from newsledger.extract.events.actors import ActorLexicon, load_actor_lexicon
from newsledger.extract.events.fatalities import CountWords, load_count_words
from newsledger.extract.events.incidents import IncidentFrames, load_incident_frames
from newsledger.geo.cache import default_cache_dir


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
    frames: IncidentFrames = field(repr=False)
    # every anchor of the cue patterns once, as (word, exact): what `cues_in` looks for
    cue_anchors: tuple[tuple[str, bool], ...] = field(default=(), repr=False)


def load_event_rules(cache_dir: Path | None = None) -> EventRules:
    """Read event_rules.json, fatality_words.tsv and the actor lexicon; the patterns' anchors
    are kept in `cache_dir` (default: the cache folder, see `geo.cache.default_cache_dir`)."""
    data = read_json("event_rules.json")
    memo = AnchorMemo.open(cache_dir or default_cache_dir())
    cues = {
        name: tuple(lazily(p, re.IGNORECASE, memo) for p in patterns)
        for name, patterns in data["cues"].items()
    }
    actors = load_actor_lexicon(memo)
    memo.save()
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
        actors=actors,
        frames=load_incident_frames(),
        cue_anchors=tuple(sorted({k for ps in cues.values() for p in ps for k in p.keys or ()})),
    )


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
