"""One ledger event per real event: reports of the same event (several outlets, or one outlet
twice) merged into a cluster that lists all its sources, and split again when a later report
shows that the members differ.

ACLED's de-duplication is the reference: one event per actor pair, place and day. Two event
records are compatible when they have the same event type, dates within the window of the less
precise one (1 day for day precision, 7 for week, 31 for month), places within 50 km (or the
same place name when either lacks coordinates) and no contradicting actor: when both name an
actor in the same role, the names agree. Clusters are complete-linkage: every member is
compatible with every other. A new event that fits part of a cluster but contradicts another
part makes the cluster be rebuilt from its members, most specific first, and whatever moved is
logged as a split with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from newsledger.store.sql import tables
from newsledger.store.sql import track as track_sql

Run = Callable[..., list[Sequence[Any]]]

WINDOW_DAYS = {1: 1, 2: 7, 3: 31}
MAX_WINDOW = 31
DISTANCE_KM = 50.0


@dataclass(frozen=True)
class EventRef:
    article: str
    ordinal: int
    event: dict[str, Any]  # tables.EVENT_FIELDS (evidence flattened)
    source: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.article, self.ordinal)

    @property
    def day(self) -> date | None:
        value = self.event.get("event_date")
        return date.fromisoformat(value[:10]) if value else None

    @property
    def specificity(self) -> tuple[int, int]:
        e = self.event
        actors = sum(1 for k in ("actor1", "actor2") if e.get(k))
        return (actors + (e.get("latitude") is not None), -(e.get("time_precision") or 3))


def _km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if None in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        return None
    la1, lo1, la2, lo2 = map(
        math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    )
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _norm(value: Any) -> str:
    return " ".join(str(value).lower().split()) if value else ""


def compatible(a: EventRef, b: EventRef) -> tuple[bool, str, float]:
    """Whether two event records can be one event: (yes, reason, distance score)."""
    ea, eb = a.event, b.event
    if ea["event_type"] != eb["event_type"]:
        return False, f"types differ ({ea['event_type']} vs {eb['event_type']})", 0.0
    da, db = a.day, b.day
    if da is None or db is None:
        return False, "no date", 0.0
    window = max(
        WINDOW_DAYS.get(ea.get("time_precision") or 3, MAX_WINDOW),
        WINDOW_DAYS.get(eb.get("time_precision") or 3, MAX_WINDOW),
    )
    days = abs((da - db).days)
    if days > window:
        return False, f"dates {days} days apart (window {window})", 0.0
    km = _km(ea, eb)
    if km is None:
        if not ea.get("location") or _norm(ea.get("location")) != _norm(eb.get("location")):
            return False, "places not known to agree", 0.0
        km = 0.0
    elif km > DISTANCE_KM:
        return False, f"places {km:.0f} km apart", 0.0
    for role in ("actor1", "actor2"):
        x, y = _norm(ea.get(role)), _norm(eb.get(role))
        if x and y and x != y:
            return False, f"{role} differs ({ea[role]} vs {eb[role]})", 0.0
    why = f"same type ({ea['event_type']}), {days} day(s) apart, {km:.0f} km apart, actors agree"
    return True, why, days + km / 10.0


def _fits(e: EventRef, group: Sequence[EventRef]) -> tuple[bool, str, float]:
    score = 0.0
    why = ""
    for member in group:
        ok, reason, s = compatible(e, member)
        if not ok:
            return False, f"{reason} with {member.article}#{member.ordinal}", 0.0
        score += s
        why = reason
    return True, why, score / max(1, len(group))


def cluster(events: Sequence[EventRef]) -> list[list[tuple[EventRef, str]]]:
    """Complete-linkage clusters, most specific events first; each member with its reason."""
    groups: list[list[tuple[EventRef, str]]] = []
    for e in sorted(events, key=lambda x: x.specificity, reverse=True):
        best: tuple[float, int, str] | None = None
        for i, group in enumerate(groups):
            ok, why, score = _fits(e, [m for m, _ in group])
            if ok and (best is None or score < best[0]):
                best = (score, i, why)
        if best is None:
            groups.append([(e, "first report")])
        else:
            groups[best[1]].append((e, f"merged: {best[2]}"))
    return groups


@dataclass
class EventReport:
    merged: int = 0
    new_clusters: int = 0
    splits: int = 0


def _event_dict(row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(tables.EVENT_FIELDS, row, strict=True))


def _bounds(events: Sequence[EventRef]) -> tuple[str, str]:
    days = [d for e in events if (d := e.day) is not None]
    return min(days).isoformat(), max(days).isoformat()


def track_events(run: Run, new: Sequence[EventRef], now: str) -> EventReport:
    """Merge one article's events into the stored clusters (within the transaction `run`)."""
    report = EventReport()
    for e in new:
        day = e.day
        if day is None:
            continue
        lo = (day - timedelta(days=MAX_WINDOW)).isoformat()
        hi = (day + timedelta(days=MAX_WINDOW)).isoformat()
        touched: list[tuple[int, list[EventRef]]] = []
        for (cluster_id,) in run(
            track_sql.TRACK_CLUSTER_CANDIDATES, (e.event["event_type"], hi, lo)
        ):
            members = [
                EventRef(str(a), int(o), _event_dict(run(track_sql.TRACK_EVENT, (a, o))[0]), src)
                for a, o, _reason, src, _pub in run(track_sql.TRACK_CLUSTER_MEMBERS, (cluster_id,))
            ]
            if any(compatible(e, m)[0] for m in members):
                touched.append((int(cluster_id), members))
        if not touched:
            lo_, hi_ = _bounds([e])
            (cid,) = run(track_sql.TRACK_INSERT_CLUSTER, (e.event["event_type"], lo_, hi_, now))[0]
            run(track_sql.TRACK_INSERT_MEMBER, (cid, e.article, e.ordinal, "first report"))
            report.new_clusters += 1
            continue
        # rebuild the touched clusters with the new event: a merge, or a split when it shows
        # that members differ
        old_of = {m.key: cid for cid, members in touched for m in members}
        pool = [m for _, members in touched for m in members] + [e]
        groups = cluster(pool)
        for cid, _ in touched:
            run(track_sql.TRACK_DELETE_MEMBERS, (cid,))
        free = [cid for cid, _ in touched]
        for group in groups:
            refs = [m for m, _ in group]
            previous = [old_of[m.key] for m in refs if m.key in old_of]
            cid = next((c for c in previous if c in free), None)
            lo_, hi_ = _bounds(refs)
            if cid is None:
                (cid,) = run(
                    track_sql.TRACK_INSERT_CLUSTER, (refs[0].event["event_type"], lo_, hi_, now)
                )[0]
            else:
                free.remove(cid)
                run(track_sql.TRACK_UPDATE_CLUSTER, (lo_, hi_, cid))
            for member, reason in group:
                was = old_of.get(member.key)
                if was is not None and was != cid:
                    reason = f"split from cluster {was} by {e.article}#{e.ordinal}; {reason}"
                    run(
                        track_sql.TRACK_INSERT_LOG,
                        (e.article, f"split {member.article}#{member.ordinal}", reason, now),
                    )
                    report.splits += 1
                elif member is e and len(group) > 1:
                    report.merged += 1
                run(track_sql.TRACK_INSERT_MEMBER, (cid, member.article, member.ordinal, reason))
        for cid in free:
            run(track_sql.TRACK_DELETE_CLUSTER, (cid,))
    return report
