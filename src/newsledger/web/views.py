"""One view, two outputs: each function here builds the data of a page as a plain dict; the API
returns it as JSON and the page renders it with a template (datasette's views work this way).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from itertools import pairwise
from typing import Any

from newsledger.report.figures import EVENT_TYPES  # the map colours them in this order
from newsledger.store import Ledger
from newsledger.store import queries as q
from newsledger.store.queries import Filters, QueryError
from newsledger.watch import state

TIMELINE_LIMIT = 200
BOARD_LIMIT = 1000
PERSON_LIMIT = 1000
WATCH_ALERT_LIMIT = 200


def filters_dict(filters: Filters) -> dict[str, Any]:
    out = asdict(filters)
    if filters.bbox:
        out["bbox"] = ",".join(f"{v:g}" for v in filters.bbox)
    return out


def list_view(
    ledger: Ledger,
    kind: str,
    filters: Filters,
    limit: int = q.DEFAULT_LIMIT,
    cursor: str | None = None,
) -> dict[str, Any]:
    """A page of any list kind: {"items", "next"} (the API's answer) and what the page shows."""
    page = q.list_items(ledger, kind, filters, limit=limit, cursor=cursor)
    return {
        "kind": kind,
        "items": page.items,
        "next": page.next,
        "filters": filters_dict(filters),
        "filtered": bool(filters.given()),
        "empty_ledger": not page.items and not q.has_articles(ledger),
    }


def map_view(
    ledger: Ledger, filters: Filters, limit: int = q.DEFAULT_LIMIT, cursor: str | None = None
) -> dict[str, Any]:
    """The map page: the first page of matching events (the list), how many match, the types."""
    view = list_view(ledger, "events", filters, limit, cursor)
    view["total"] = q.count(ledger, "events", filters)
    present = dict(q.event_types(ledger))
    view["event_types_present"] = [(t, present.get(t, 0)) for t in EVENT_TYPES] + [
        (t, n) for t, n in present.items() if t not in EVENT_TYPES
    ]
    return view


def event_view(ledger: Ledger, ref: str) -> dict[str, Any] | None:
    """One event with its evidence sentence in the article's text around it."""
    event = q.get_record(ledger, "events", ref)
    if event is None:
        return None
    article = q.get_article(ledger, event["article"]["id"])
    text = article["text"] if article else ""
    start, end = event["evidence"]["start"], event["evidence"]["end"]
    before_start = max(0, text.rfind("\n", 0, max(0, start - 1)) + 1, start - 400)
    after_end = text.find("\n", end)
    after_end = min(len(text), end + 400) if after_end < 0 else min(after_end, end + 400)
    return {
        "event": event,
        "context": {
            "before": text[before_start:start],
            "evidence": text[start:end],
            "after": text[end:after_end],
        },
    }


def _sort_key(item: dict[str, Any]) -> str:
    return str(item.get("date") or "")


def timeline_view(ledger: Ledger, filters: Filters) -> dict[str, Any]:
    """Events (by event date) and statements (by publication date) together, newest first.

    Statements have no event type, actor or place: while one of those filters is set only events
    are listed (the page says so).
    """
    events = q.list_items(ledger, "events", filters, limit=TIMELINE_LIMIT).items
    event_only = bool(filters.event_type or filters.actor or filters.place or filters.bbox)
    quotes: list[dict[str, Any]] = []
    if not event_only:
        quote_filters = Filters(date_from=filters.date_from, date_to=filters.date_to, q=filters.q)
        quotes = q.list_items(ledger, "quotes", quote_filters, limit=TIMELINE_LIMIT).items
    entries = [{"date": e["event_date"], "kind": "event", "record": e} for e in events] + [
        {"date": (x["article"]["published"] or "")[:10] or None, "kind": "quote", "record": x}
        for x in quotes
    ]
    entries.sort(key=_sort_key, reverse=True)
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        days[entry["date"] or "undated"].append(entry)
    return {
        "days": [{"date": d, "entries": e} for d, e in days.items()],
        "events": len(events),
        "quotes": len(quotes),
        "truncated": len(events) == TIMELINE_LIMIT or len(quotes) == TIMELINE_LIMIT,
        "statements_hidden": event_only,
        "filters": filters_dict(filters),
        "filtered": bool(filters.given()),
        "empty_ledger": not entries and not q.has_articles(ledger),
    }


def person_view(ledger: Ledger, name: str) -> dict[str, Any]:
    """Everything a person or organisation stated (quotes, claims, deadlines), oldest first, with
    their titles and the kinds of source the extractor gave them (`kinds`)."""
    statements: list[dict[str, Any]] = []
    for kind in q.STATEMENT_KINDS:
        page = q.list_items(
            ledger, kind, limit=PERSON_LIMIT, order="asc", internal={"person": name}
        )
        statements += page.items
    statements.sort(key=lambda s: (s["article"]["published"] or "", s["id"]))
    titles = sorted({s["speaker_title"] for s in statements if s.get("speaker_title")})
    people = q.list_items(ledger, "people", Filters(q=name), limit=q.MAX_LIMIT).items
    known = next((p for p in people if p["name"] == name), None)
    if known and known["title"] and known["title"] not in titles:
        titles.append(known["title"])
    # a speaker can be an organisation, a group, a document's issuer, an outlet, not only a person
    kinds = sorted({s["speaker_kind"] for s in statements if s.get("speaker_kind")} - {"unknown"})
    return {
        "name": name,
        "titles": titles,
        "kinds": kinds,
        "statements": statements,
        "known": known is not None,
    }


def _deadline_end(value: str) -> str:
    try:
        return q.check_date(value, "deadline", end=True)
    except QueryError:
        return value


def _subject_key(subject: str) -> str:
    return " ".join(subject.casefold().split())


def deadlines_view(ledger: Ledger, filters: Filters, today: date) -> dict[str, Any]:
    """The deadlines board: upcoming (soonest first) and past (latest first) commitments, and
    subjects whose reports give different deadlines (plus the tracked 'deadline differs')."""
    items = q.list_items(ledger, "deadlines", filters, limit=BOARD_LIMIT, order="asc").items
    now = today.isoformat()
    upcoming = [d for d in items if _deadline_end(d["deadline"]) >= now]
    past = [d for d in items if _deadline_end(d["deadline"]) < now]
    past.reverse()
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        groups[_subject_key(item["subject"])].append(item)
    disagreements = [
        {"subject": group[0]["subject"], "reports": group}
        for group in groups.values()
        if len({d["deadline"] for d in group}) > 1
    ]
    changes = q.list_items(
        ledger, "changes", Filters(change_kind="deadline differs"), limit=q.MAX_LIMIT
    ).items
    return {
        "today": now,
        "upcoming": upcoming,
        "past": past,
        "disagreements": disagreements,
        "changes": changes,
        "filters": filters_dict(filters),
        "filtered": bool(filters.given()),
        "empty_ledger": not items and not q.has_articles(ledger),
    }


def _segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Cut the text where any span starts or ends; each piece lists the records covering it.

    spans: (start, end, record id, kind). Overlapping spans are fine (a quote inside an event's
    sentence): the piece they share lists both.
    """
    size = len(text)
    clean: list[tuple[str, str]] = []  # (record id, kind) by span index
    starting: dict[int, list[int]] = defaultdict(list)  # offset -> spans (their index) from it
    ending: dict[int, list[int]] = defaultdict(list)
    for start, end, ref, kind in spans:
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if end > start:
            starting[start].append(len(clean))
            ending[end].append(len(clean))
            clean.append((ref, kind))
    bounds = sorted({0, size, *starting, *ending})
    pieces: list[dict[str, Any]] = []
    first_piece: set[str] = set()
    # one sweep over the cuts, keeping the spans that cover the current piece (every span starts
    # and ends at a cut), rather than checking every span at every piece: an article's view is
    # hundreds of entity mentions and records, and the most asked answer of the API (about 40 %
    # of scripts/load_test.py's requests), so the sweep does as little as it can a piece
    covering_now: set[int] = set()
    for a, b in pairwise(bounds):
        if a in ending:
            covering_now.difference_update(ending[a])
        if a in starting:
            covering_now.update(starting[a])
        if not covering_now:  # most pieces: text between the spans
            pieces.append({"text": text[a:b], "records": [], "kinds": [], "anchors": []})
            continue
        if len(covering_now) == 1:
            (only,) = covering_now
            ref, kind = clean[only]
            records, kinds = [ref], [kind]
        else:
            covering = [clean[i] for i in sorted(covering_now)]
            records = [ref for ref, _ in covering]
            kinds = sorted({kind for _, kind in covering})
        anchors = [ref for ref in records if ref not in first_piece]
        if anchors:
            first_piece.update(anchors)
        pieces.append({"text": text[a:b], "records": records, "kinds": kinds, "anchors": anchors})
    return pieces


def article_view(ledger: Ledger, article_id: str) -> dict[str, Any] | None:
    """An article's text cut into pieces at every record's evidence span, and the records."""
    article = q.get_article(ledger, article_id)
    if article is None:
        return None
    records = q.article_records(ledger, article_id)
    spans: list[tuple[int, int, str, str]] = []
    for kind in q.RECORD_KINDS:
        for item in records[kind]:
            spans.append((item["evidence"]["start"], item["evidence"]["end"], item["id"], kind))
    for entity in records["entities"]:
        for mention in entity["mentions"]:
            spans.append((mention["start"], mention["end"], entity["id"], "entities"))
    return {
        "article": article,
        "records": records,
        "segments": _segments(article["text"], spans),
    }


def changes_view(
    ledger: Ledger, filters: Filters, limit: int = q.DEFAULT_LIMIT, cursor: str | None = None
) -> dict[str, Any]:
    return list_view(ledger, "changes", filters, limit, cursor)


def watch_view(ledger: Ledger, limit: int = WATCH_ALERT_LIMIT) -> dict[str, Any]:
    """What `newsledger watch` follows (each source's last fetch, errors, backoff) and the newest
    alerts with their deliveries to each output."""
    return {
        "sources": [s.to_dict() for s in state.all_sources(ledger)],
        "alerts": state.alert_history(ledger, limit),
    }
