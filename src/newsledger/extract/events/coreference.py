"""Coreference of incidents within an article: one incident told several times is one event.

A report tells its news in the lead, again further down, in a quote, and refers to it in
comment ("the attack", "Saturday's chemical attack"). `merge_mentions` reads the mentions in
text order: a mention that reports an incident (`incidents.reports_incident`) joins the first
earlier incident it is compatible with, or starts one; the other mentions only join an
incident (they add their sentences to its evidence) and are dropped when they match none.
Compatible: told of the same day at the same place, or of the same sub-event type without two
different death counts, with dates that overlap at their precision (a mention without a date of
its own fits any) and places within `SAME_PLACE_KM` or one of them vaguer than a town. The
event takes its best values from all its mentions: the most precise own date, the most specific
place, the first death count, a named actor over an unknown one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from newsledger.extract.events.incidents import EventMention, reports_incident
from newsledger.records import Event

SAME_PLACE_KM = 30.0
# how far apart two dates of one incident may be, by the vaguer one's precision (ACLED's codes)
DATE_TOLERANCE_DAYS = {1: 1, 2: 7, 3: 31}
UNKNOWN_ACTOR = "Unidentified Armed Group"


@dataclass
class _Incident:
    """The mentions of one incident (mutable while the article is read)."""

    reports: list[EventMention]
    references: list[EventMention] = field(default_factory=list)


def _km(a: Event, b: Event) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a.latitude or 0.0, a.longitude or 0.0, b.latitude or 0.0, b.longitude or 0.0)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _specific(event: Event) -> bool:
    return event.geo_precision in (1, 2) and event.latitude is not None


def _places_agree(a: EventMention, b: EventMention) -> bool:
    """Places named in both mentions' own sentences must be near; a place named in one of them
    must at least be in the other's country (a mention without a place of its own took one from
    the sentences before it or the article, and may have taken a speaker's country)."""
    first, second = a.event, b.event
    if a.own_place and b.own_place and _specific(first) and _specific(second):
        return first.location == second.location or _km(first, second) <= SAME_PLACE_KM
    if (a.own_place or b.own_place) and first.country and second.country:
        return first.country == second.country
    return True


def _dates_agree(a: EventMention, b: EventMention) -> bool:
    if not (a.anchors.dated and b.anchors.dated):
        return True
    first, second = a.event, b.event
    if first.event_date is None or second.event_date is None:
        return True
    gap = abs((date.fromisoformat(first.event_date) - date.fromisoformat(second.event_date)).days)
    vaguer = max(first.time_precision or 3, second.time_precision or 3)
    return gap <= DATE_TOLERANCE_DAYS.get(vaguer, 31)


def _same_day_and_place(a: EventMention, b: EventMention) -> bool:
    first, second = a.event, b.event
    return (
        a.anchors.dated
        and b.anchors.dated
        and first.time_precision == 1
        and second.time_precision == 1
        and first.event_date == second.event_date
        and _specific(first)
        and _specific(second)
        and _km(first, second) <= SAME_PLACE_KM
    )


def _same_kind_and_day(a: EventMention, b: EventMention) -> bool:
    """The same sub-type on the same day: a mention without a place of its own may have taken a
    speaker's country ("an American network reported that Saturday's attack...")."""
    first, second = a.event, b.event
    return (
        first.sub_event_type == second.sub_event_type
        and a.anchors.dated
        and b.anchors.dated
        and first.time_precision == 1
        and second.time_precision == 1
        and first.event_date == second.event_date
        and not (a.own_place and b.own_place and _specific(first) and _specific(second))
    )


def same_incident(a: EventMention, b: EventMention) -> bool:
    """Whether two mentions can tell one incident: the same sub-type where dates and places
    agree and death counts do not differ, or any two told of the same day at the same place (an
    "ambush" and a "clash")."""
    if _same_day_and_place(a, b) or _same_kind_and_day(a, b):
        return True
    if a.event.fatalities and b.event.fatalities and a.event.fatalities != b.event.fatalities:
        return False  # two death counts: two incidents ("killed 120 ... killed 13")
    return (
        a.event.sub_event_type == b.event.sub_event_type
        and _places_agree(a, b)
        and _dates_agree(a, b)
    )


def _fits(incident: _Incident, mention: EventMention) -> bool:
    return all(same_incident(m, mention) for m in incident.reports)


def merge_mentions(mentions: Sequence[EventMention]) -> list[Event]:
    """The article's events: its incident mentions joined, the references attached or dropped."""
    incidents: list[_Incident] = []
    for mention in mentions:
        if not reports_incident(mention):
            continue
        home = next((i for i in incidents if _fits(i, mention)), None)
        if home is None:
            incidents.append(_Incident([mention]))
        else:
            home.reports.append(mention)
    for mention in mentions:
        if reports_incident(mention):
            continue
        home = next((i for i in incidents if _fits(i, mention)), None)
        if home is not None:
            home.references.append(mention)
    return [_event(incident) for incident in incidents]


def _rank(mention: EventMention) -> tuple[int, int]:
    """The mention that tells the incident best: the most anchors, then the most specific place."""
    event = mention.event
    return (mention.anchors.count, 3 - (event.geo_precision or 3))


def _event(incident: _Incident) -> Event:
    reports = incident.reports
    best = max(reports, key=_rank)  # max keeps the first of equals: the earliest
    event = best.event
    dated = [m for m in reports if m.anchors.dated and m.event.time_precision is not None]
    if dated and not best.anchors.dated:
        when = min(dated, key=lambda m: m.event.time_precision or 3).event
        event = replace(event, event_date=when.event_date, time_precision=when.time_precision)
    placed = [m.event for m in reports + incident.references if _specific(m.event)]
    if placed and not _specific(event):
        where = min(placed, key=lambda e: e.geo_precision or 3)
        event = replace(
            event,
            location=where.location,
            admin1=where.admin1,
            country=where.country or event.country,
            latitude=where.latitude,
            longitude=where.longitude,
            geo_precision=where.geo_precision,
        )
    if not event.fatalities:
        counted = next((m.event.fatalities for m in reports if m.event.fatalities), 0)
        event = replace(event, fatalities=counted)
    if not event.actor1 or event.actor1.startswith(UNKNOWN_ACTOR):
        named = next(
            (
                m.event
                for m in reports
                if m.event.actor1 and not m.event.actor1.startswith(UNKNOWN_ACTOR)
            ),
            None,
        )
        if named is not None:
            event = replace(event, actor1=named.actor1, actor2=named.actor2 or event.actor2)
    others = [
        e
        for m in sorted(reports + incident.references, key=lambda m: m.evidence[0].start)
        for e in m.evidence
        if e != event.evidence
    ]
    return replace(event, more_evidence=tuple(others))
