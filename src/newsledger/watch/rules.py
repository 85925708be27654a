"""Matching the records of a new article against the alert rules, and building the alerts.

A rule's conditions all must hold (case-insensitive):

- `place`: part of an event's location, district (admin2), governorate (admin1) or country;
- `bbox`: an event's coordinates inside [west, south, east, north];
- `actor`: part of any of an event's four actor names;
- `event_type`: an event's ACLED event type or sub-event type, whole;
- `min_fatalities`: an event's fatalities at least this;
- `keyword`: the word or phrase, whole words, in the record's evidence sentence (for a
  change: in its reason or either statement);
- `speaker`: part of who stated a quote, claim, deadline or change;
- `change`: a change of one of these kinds.

An alert carries the record, its evidence sentence, the article and a link to the record in
the web app (`web_url`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from newsledger.store import Ledger
from newsledger.store import queries as q
from newsledger.watch.config import Rule

RECORD_TABLES = {"event": "events", "quote": "quotes", "claim": "claims", "deadline": "deadlines"}
SPEAKER_FIELDS = ("speaker", "stated_by", "claimed_by")
ACTOR_FIELDS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
PLACE_FIELDS = ("location", "admin2", "admin1", "country")


def _has(values: Iterator[Any], part: str) -> bool:
    wanted = part.casefold()
    return any(isinstance(v, str) and wanted in v.casefold() for v in values)


def _evidence(kind: str, item: dict[str, Any]) -> str:
    if kind == "change":
        later = item["later"]["record"] or {}
        return str((later.get("evidence") or {}).get("text") or "")
    return str(item["evidence"]["text"])


def _searched_text(kind: str, item: dict[str, Any]) -> str:
    if kind != "change":
        return _evidence(kind, item)
    sides = [(item[s]["record"] or {}).get("evidence") or {} for s in ("earlier", "later")]
    return " ".join([item["why"] or "", *(str(side.get("text") or "") for side in sides)])


def matches(rule: Rule, kind: str, item: dict[str, Any]) -> bool:
    """Whether record `item` (a `store.queries` item) of `kind` meets every condition."""
    if kind not in rule.records:
        return False
    event_conditions = (rule.place, rule.bbox, rule.actor, rule.event_type, rule.min_fatalities)
    if kind != "event" and any(c is not None for c in event_conditions):
        return False
    if rule.change and (kind != "change" or item["kind"] not in rule.change):
        return False
    if rule.place and not _has((item.get(f) for f in PLACE_FIELDS), rule.place):
        return False
    if rule.bbox:
        west, south, east, north = rule.bbox
        lat, lon = item.get("latitude"), item.get("longitude")
        if lat is None or lon is None or not (south <= lat <= north and west <= lon <= east):
            return False
    if rule.actor and not _has((item.get(f) for f in ACTOR_FIELDS), rule.actor):
        return False
    if rule.event_type and rule.event_type.casefold() not in {
        str(item.get("event_type", "")).casefold(),
        str(item.get("sub_event_type", "")).casefold(),
    }:
        return False
    if rule.min_fatalities is not None and (item.get("fatalities") or 0) < rule.min_fatalities:
        return False
    if rule.speaker:
        if kind == "change":
            speakers = [item["speaker"]]
            speakers += [
                (item[s]["record"] or {}).get(f)
                for s in ("earlier", "later")
                for f in SPEAKER_FIELDS
            ]
        else:
            speakers = [item.get(f) for f in SPEAKER_FIELDS]
        if not _has(iter(speakers), rule.speaker):
            return False
    if rule.keyword:
        pattern = rf"(?<!\w){re.escape(rule.keyword)}(?!\w)"
        if not re.search(pattern, _searched_text(kind, item), re.IGNORECASE):
            return False
    return True


def summary(kind: str, item: dict[str, Any]) -> str:
    """One line saying what the record is."""
    if kind == "event":
        where = ", ".join(str(item[f]) for f in ("location", "admin1", "country") if item.get(f))
        return (
            f"{item['sub_event_type']} in {where or 'an unknown place'} on "
            f"{item.get('event_date') or 'an unknown date'}: {item['fatalities']} killed"
        )
    if kind == "quote":
        return f"{item.get('speaker') or 'unattributed'}: \u201c{item['text']}\u201d"
    if kind == "claim":
        return f"{item.get('claimed_by') or 'unattributed'}: {item['value']:g} {item['unit']}"
    if kind == "deadline":
        return f"{item['subject']}: {item['relation']} {item['deadline']}"
    return f"{item['kind']}: {item['why']}"


def record_link(web_url: str, kind: str, item: dict[str, Any]) -> str:
    """The record's page in the web app: an event's page, else the article at the record."""
    if kind == "event":
        return f"{web_url}/events/{quote(item['id'], safe='')}"
    article = quote(item["article"]["id"], safe="")
    if kind == "change":
        return f"{web_url}/articles/{article}"
    return f"{web_url}/articles/{article}#rec-{quote(item['id'], safe='')}"


def article_items(ledger: Ledger, article_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every record of one stored article that rules look at, as (kind, record id, item), and
    every change flagged between it and another report (a change is found at whichever of its
    two articles was stored last; the alerts' (rule, record id) key keeps it once)."""
    found = []
    records = q.article_records(ledger, article_id)
    for kind, table in RECORD_TABLES.items():
        found += [(kind, item["id"], item) for item in records[table]]
    changes = q.list_items(ledger, "changes", q.Filters(article=article_id), limit=q.MAX_LIMIT)
    found += [("change", f"change-{item['id']}", item) for item in changes.items]
    return found


def alerts_for(
    rules: tuple[Rule, ...], items: list[tuple[str, str, dict[str, Any]]], web_url: str
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(rule name, record kind, record id, alert) for every rule and record that match."""
    out = []
    for kind, record_id, item in items:
        for rule in rules:
            if matches(rule, kind, item):
                alert = {
                    "rule": rule.name,
                    "kind": kind,
                    "summary": summary(kind, item),
                    "evidence": _evidence(kind, item),
                    "link": record_link(web_url, kind, item),
                    "article": item["article"],
                    "record": item,
                }
                out.append((rule.name, kind, record_id, alert))
    return out
