"""Gathering a briefing's records through the store's query functions (`store.queries`).

The period's events are the ledger's events dated in it that match the filters (a country or
province exactly, an actor by part of its name), read through the event list's indexes. The
statements (quotes, claims) are those of articles published in the period; the changes those
flagged by a report published in it; the deadlines those falling due from DEADLINE_PASSED_DAYS
before the period's end to DEADLINE_DUE_DAYS after it. With a place or actor filter, statements,
changes and deadlines are kept only from the articles that report the period's matching events
(a quote carries no place of its own).

Reviews: `gather(..., reviewed=...)` takes a function of the ledger and the record ids (events,
quotes, claims as `<article id>-<n>`) that answers how many of them a person reviewed; the
briefing says so in its method section (None, the default: review is not set up, and it says
that instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from newsledger.report.period import Period, Request, resolve
from newsledger.store import Ledger
from newsledger.store import queries as q
from newsledger.store.queries import Filters

DEADLINE_DUE_DAYS = 90
DEADLINE_PASSED_DAYS = 30
LEAD_CHARS = 90
"""An article without a title is named by the first LEAD_CHARS characters of its text."""

ReviewCount = Callable[[Ledger, Sequence[str]], int]
"""How many of these record ids a person reviewed (the `review` package supplies it)."""


@dataclass(frozen=True)
class Data:
    request: Request
    period: Period
    previous: Period | None  # None: --compare none
    events: list[dict[str, Any]]  # store.queries items, oldest first
    previous_events: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    articles: dict[str, dict[str, Any]]  # id -> {id, title, label, source, published, url}
    reviewed: int | None  # records a person reviewed; None: no review in this ledger
    ledger_name: str

    @property
    def scoped(self) -> bool:
        """Whether a place or actor filter narrows statements to the events' articles."""
        return bool(self.request.place() or self.request.actor)


def _same(a: str | None, b: str | None) -> bool:
    return b is None or (a is not None and a.casefold() == b.casefold())


def _matches(event: dict[str, Any], request: Request) -> bool:
    return _same(event["country"], request.country) and _same(event["admin1"], request.admin1)


def _events(ledger: Ledger, request: Request, period: Period) -> list[dict[str, Any]]:
    filters = Filters(
        date_from=period.start.isoformat(),
        date_to=period.end.isoformat(),
        actor=request.actor,
        place=request.place(),
    )
    page = q.list_items(ledger, "events", filters, limit=q.EXPORT_LIMIT, order="asc")
    return [e for e in page.items if _matches(e, request)]


def newest_event_date(ledger: Ledger, request: Request) -> date | None:
    """The date of the newest event matching the request's place and actor filters."""
    filters = Filters(actor=request.actor, place=request.place(), date_to=request.date_to)
    for event in q.list_items(ledger, "events", filters, limit=q.DEFAULT_LIMIT).items:
        if event["event_date"] and _matches(event, request):
            return date.fromisoformat(event["event_date"])
    return None


def _published(ledger: Ledger, kind: str, period: Period) -> list[dict[str, Any]]:
    filters = Filters(date_from=period.start.isoformat(), date_to=period.end.isoformat())
    return q.list_items(ledger, kind, filters, limit=q.EXPORT_LIMIT, order="asc").items


def _of_articles(
    ledger: Ledger, kind: str, articles: set[str], period: Period
) -> list[dict[str, Any]]:
    """The records of these articles published in the period, by article (each read through
    the record table's article index: a scoped briefing cites a few hundred articles, which is
    faster than the publication-date filter's walk over every statement of a large ledger)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    out: list[dict[str, Any]] = []
    for article_id in sorted(articles):
        page = q.list_items(
            ledger, kind, limit=q.EXPORT_LIMIT, order="asc", internal={"article": article_id}
        )
        out += [r for r in page.items if start <= (r["article"]["published"] or "")[:10] <= end]
    out.sort(key=lambda r: (r["article"]["published"] or "", r["id"]))
    return out


def _deadlines(ledger: Ledger, period: Period) -> list[dict[str, Any]]:
    # a month-precision deadline (YYYY-MM) sorts before its month's days: start a month early
    first = period.end - timedelta(days=DEADLINE_PASSED_DAYS + 31)
    last = period.end + timedelta(days=DEADLINE_DUE_DAYS)
    filters = Filters(date_from=first.isoformat(), date_to=last.isoformat())
    return q.list_items(ledger, "deadlines", filters, limit=q.EXPORT_LIMIT, order="asc").items


def _lead(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= LEAD_CHARS:
        return words
    return words[:LEAD_CHARS].rsplit(" ", 1)[0] + "…"


def article_refs(ledger: Ledger, refs: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each article once, with a `label`: its title, or the start of its text when it has none."""
    out: dict[str, dict[str, Any]] = {}
    for ref in refs:
        if ref["id"] in out:
            continue
        full: dict[str, Any] = dict(ref)
        if not ref.get("title") or "source" not in ref:
            full = q.get_article(ledger, ref["id"]) or dict(ref)
        text = full.get("text")
        out[ref["id"]] = {
            "id": ref["id"],
            "title": full.get("title"),
            "label": full.get("title") or (_lead(text) if text else ref["id"]),
            "source": full.get("source"),
            "published": full.get("published"),
            "url": full.get("url"),
        }
    return out


def gather(
    ledger: Ledger,
    request: Request,
    today: date,
    reviewed: ReviewCount | None = None,
) -> Data:
    """The records of the briefing asked for (see the module's docstring)."""
    period = resolve(request, newest_event_date(ledger, request), today)
    previous = period.previous() if request.compare == "previous" else None
    events = _events(ledger, request, period)
    previous_events = _events(ledger, request, previous) if previous else []
    changes = [c for c in _published(ledger, "changes", period) if c["kind"] != "reaffirmed"]
    deadlines = _deadlines(ledger, period)
    if not (request.place() or request.actor):
        quotes = _published(ledger, "quotes", period)
        claims = _published(ledger, "claims", period)
    else:
        scope = {e["article"]["id"] for e in events}
        quotes = _of_articles(ledger, "quotes", scope, period)
        claims = _of_articles(ledger, "claims", scope, period)
        deadlines = [r for r in deadlines if r["article"]["id"] in scope]
        changes = [
            c
            for c in changes
            if c["later"]["article"]["id"] in scope or c["earlier"]["article"]["id"] in scope
        ]
    refs = [r["article"] for r in (*events, *previous_events, *quotes, *claims, *deadlines)]
    for change in changes:
        refs += [change["earlier"]["article"], change["later"]["article"]]
    count = None
    if reviewed is not None:
        count = reviewed(ledger, [r["id"] for r in (*events, *quotes, *claims)])
    return Data(
        request=request,
        period=period,
        previous=previous,
        events=events,
        previous_events=previous_events,
        quotes=quotes,
        claims=claims,
        changes=changes,
        deadlines=deadlines,
        articles=article_refs(ledger, refs),
        reviewed=count,
        ledger_name=ledger.name,
    )
