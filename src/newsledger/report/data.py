"""Gathering a briefing's records through the store's query functions (`store.queries`).

The period's events are the ledger's events dated in it that match the filters (a country or
province exactly, an actor by part of its name), read through the event list's indexes: a
country or province as the one name the ledger holds for it in any case (`store.queries.
held_names`), through its (name, date) index. The period before is counted in the ledger
(`Tally`, `store.queries.tally_events`): its events are only counted and their articles cited. The
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
class Tally:
    """Events counted, not read: events and fatalities by event type, and the articles
    reporting them (refs: id, title, source, published, url), each once, in the order of its
    first event (oldest first)."""

    by_type: dict[str, tuple[int, int]]  # event type -> (events, fatalities)
    articles: list[dict[str, Any]]

    @property
    def events(self) -> int:
        return sum(n for n, _ in self.by_type.values())

    @property
    def fatalities(self) -> int:
        return sum(dead for _, dead in self.by_type.values())

    @classmethod
    def of(cls, events: Sequence[dict[str, Any]]) -> Tally:
        """The tally of events read (store.queries items, oldest first)."""
        by_type: dict[str, tuple[int, int]] = {}
        articles: dict[str, dict[str, Any]] = {}
        for e in events:
            n, dead = by_type.get(e["event_type"], (0, 0))
            by_type[e["event_type"]] = (n + 1, dead + int(e["fatalities"] or 0))
            articles.setdefault(e["article"]["id"], e["article"])
        return cls(by_type, list(articles.values()))


NO_TALLY = Tally({}, [])


@dataclass(frozen=True)
class Data:
    request: Request
    period: Period
    previous: Period | None  # None: --compare none
    events: list[dict[str, Any]]  # store.queries items, oldest first
    previous_events: Tally  # NO_TALLY with --compare none
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


Exact = dict[str, str] | None
"""The internal filters of the events list for a request's country and province (the names the
ledger holds); None: one is held in several spellings, read with the place filter instead."""


def exact_names(ledger: Ledger, request: Request) -> Exact:
    """The request's country and province as the one name each that the ledger's events hold
    for it in any case (a name held by none stays as given: it matches no event)."""
    out: dict[str, str] = {}
    for field, value in (("country", request.country), ("admin1", request.admin1)):
        if value is None:
            continue
        held = q.held_names(ledger, field, value)
        if len(held) > 1:
            return None
        out[field] = held[0] if held else value
    return out


def _filters(request: Request, exact: Exact, period: Period | None = None) -> Filters:
    return Filters(
        date_from=period.start.isoformat() if period else None,
        date_to=period.end.isoformat() if period else request.date_to,
        actor=request.actor,
        place=request.place() if exact is None else None,
    )


def _events(ledger: Ledger, request: Request, exact: Exact, period: Period) -> list[dict[str, Any]]:
    filters = _filters(request, exact, period)
    page = q.list_items(
        ledger, "events", filters, limit=q.EXPORT_LIMIT, order="asc", internal=exact or {}
    )
    if exact is not None:
        return page.items
    return [e for e in page.items if _matches(e, request)]


def _tally(ledger: Ledger, request: Request, exact: Exact, period: Period) -> Tally:
    if exact is None:
        return Tally.of(_events(ledger, request, exact, period))
    types, articles = q.tally_events(ledger, _filters(request, exact, period), exact)
    return Tally({t: (n, dead) for t, n, dead in types}, articles)


def newest_event_date(ledger: Ledger, request: Request, exact: Exact) -> date | None:
    """The date of the newest event matching the request's place and actor filters."""
    filters = _filters(request, exact)
    page = q.list_items(ledger, "events", filters, limit=q.DEFAULT_LIMIT, internal=exact or {})
    for event in page.items:
        if event["event_date"] and (exact is not None or _matches(event, request)):
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
    exact = exact_names(ledger, request)
    period = resolve(request, newest_event_date(ledger, request, exact), today)
    previous = period.previous() if request.compare == "previous" else None
    events = _events(ledger, request, exact, period)
    previous_events = _tally(ledger, request, exact, previous) if previous else NO_TALLY
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
    refs = [r["article"] for r in events]
    refs += previous_events.articles
    refs += [r["article"] for r in (*quotes, *claims, *deadlines)]
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
