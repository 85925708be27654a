"""Incident detection: does a sentence report one incident, or only talk about events?

A whole report mixes the news with background, comment and what officials say. A sentence whose
trigger cue matched reports an incident of its own only when (1) no frame of
`data/incident_frames.json` turns it into talk (a question, an evaluation, a trend or a total, a
plan, threat or fear, an investigation or a denial) and (2) it anchors the incident: a date
expression of its own, a death count, or a place below country level. An unanchored mention
("the chemical attack", "airstrikes") can still refer to an incident the article reports in
another sentence: `coreference.py` joins it to that one, and drops it when there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsledger.datafiles import read_json
from newsledger.records import Event, Evidence


@dataclass(frozen=True)
class IncidentFrames:
    refuse: tuple[re.Pattern[str], ...]
    hedge: tuple[re.Pattern[str], ...]
    generic_only: tuple[re.Pattern[str], ...]
    total: tuple[re.Pattern[str], ...]
    place_not_before: tuple[re.Pattern[str], ...]
    place_not_after: tuple[re.Pattern[str], ...]
    place_adjective: re.Pattern[str]


def load_incident_frames() -> IncidentFrames:
    """Read data/incident_frames.json."""
    data = read_json("incident_frames.json")

    def compiled(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data[key])

    return IncidentFrames(
        compiled("refuse"),
        compiled("hedge"),
        compiled("generic_only"),
        compiled("total"),
        tuple(re.compile(p) for p in data["place_not_before"]),
        tuple(re.compile(p) for p in data["place_not_after"]),
        re.compile(data["place_adjective"]),
    )


@dataclass(frozen=True)
class Anchors:
    """What ties a mention to one incident."""

    dated: bool  # a date expression of its own
    deaths: bool  # a death count
    placed: bool  # a place below country level named in a sentence with a verb in the past
    lead: bool  # the article's first sentences: the news it reports

    @property
    def count(self) -> int:
        return int(self.dated) + int(self.deaths) + int(self.placed) + int(self.lead)


@dataclass(frozen=True)
class EventMention:
    """One event-reporting sentence (with the sentences that continue it), coded as an Event."""

    event: Event
    anchors: Anchors
    talk: bool  # a frame makes it talk: it may refer to an incident, it reports none
    own_place: bool  # its place is named in its own sentence (not before it, not the article's)
    evidence: tuple[Evidence, ...]  # its sentences


def is_talk(text: str, frames: IncidentFrames, dated: bool = False) -> bool:
    """A sentence that talks about events instead of reporting one; a possibility, condition or
    modal only when the sentence does not tell a dated incident in the past (`dated`: "a clash
    last week suggested it may be drawn in")."""
    if any(p.search(text) for p in frames.refuse):
        return True
    return not dated and any(p.search(text) for p in frames.hedge)


def is_generic(text: str, frames: IncidentFrames) -> bool:
    """A sentence whose trigger words only name a kind of act ("use of chemical weapons")."""
    return any(p.search(text) for p in frames.generic_only)


def is_total(text: str, frames: IncidentFrames) -> bool:
    """Counts that sum up many incidents ("thousands", "8,349")."""
    return any(p.search(text) for p in frames.total)


# sub-types a passing mention often names ("evacuation", "deployment"): they need a date and a place
WEAK_SUB_TYPES = frozenset({"Other", "Change to group/activity"})


def reports_incident(mention: EventMention) -> bool:
    """A mention that stands as an incident of its own (not only a reference to one): a date of
    its own, the article's lead, or a place named with a verb of the past; a death count only
    with one of these (alone it is often a total)."""
    if mention.talk:
        return False
    a = mention.anchors
    if mention.event.sub_event_type in WEAK_SUB_TYPES:
        return a.dated and a.placed
    return a.dated or a.lead or a.placed
