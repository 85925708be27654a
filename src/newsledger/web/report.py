"""The briefing in the web app: `/report` (the page, with the map's filters and a print style),
`/report.{html,pdf,md,json}` (the same briefing to download), and the small charts the map and
timeline pages show (`/report/charts/types.svg`, `/report/charts/provinces.svg`).

`router(ledger, page, today)` builds the APIRouter; web/app.py includes it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from newsledger import datafiles
from newsledger.report import charts, maps, render
from newsledger.report.build import briefing
from newsledger.report.figures import bucket_size, events_over_time
from newsledger.report.period import COMPARE
from newsledger.report.period import Request as BriefingRequest
from newsledger.store import Ledger
from newsledger.store import queries as q
from newsledger.store.queries import Filters, QueryError

MINI_LIMIT = 5000
"""The small charts count at most the newest MINI_LIMIT matching events (they say so)."""
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
From = Annotated[str | None, Query(alias="from", description="First day (YYYY-MM-DD).")]
To = Annotated[str | None, Query(alias="to", description="Last day.")]
Text = Annotated[str | None, Query()]
Words = Annotated[str | None, Query(alias="q")]
Compare = Annotated[str, Query(description=" or ".join(COMPARE))]
Page = Callable[[Request, str, dict[str, Any]], HTMLResponse]


def country_names() -> set[str]:
    """ACLED's country names, folded (data/countries.tsv), to tell a country from a province."""
    return {line.split("\t")[0].casefold() for line in datafiles.read_lines("countries.tsv")}


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def briefing_request(
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    admin1: str | None,
    actor: str | None,
    place: str | None,
    compare: str,
    countries: set[str],
) -> BriefingRequest:
    """The briefing of a page's filters; the map's `place` is a country when it names one,
    else a province."""
    place = _clean(place)
    country, admin1 = _clean(country), _clean(admin1)
    if place and not (country or admin1):
        if place.casefold() in countries:
            country = place
        else:
            admin1 = place
    return BriefingRequest(
        _clean(date_from), _clean(date_to), country, admin1, _clean(actor), compare
    )


def _mini_events(ledger: Ledger, filters: Filters) -> list[dict[str, Any]]:
    return q.list_items(ledger, "events", filters, limit=MINI_LIMIT).items


def types_chart(events: list[dict[str, Any]], truncated: bool) -> str:
    """Events per day (per week beyond 62 days, per month beyond two years) by type; '' when
    none is dated."""
    dated = sorted(e["event_date"] for e in events if e["event_date"])
    if not dated:
        return ""
    first, last = date.fromisoformat(dated[0]), date.fromisoformat(dated[-1])
    size = bucket_size((last - first).days + 1, 62, 730)
    period = f"{first.isoformat()} to {last.isoformat()}"
    if truncated:
        period += f" (the newest {MINI_LIMIT:,} matching events)"
    return charts.stacked_bars(events_over_time(events, first, last, size, period), "tl")


def provinces_chart(events: list[dict[str, Any]], truncated: bool) -> str:
    """Fatalities by province, the 10 highest; '' when none is reported."""
    counted = Counter[str]()
    for e in events:
        if e["fatalities"]:
            counted[e["admin1"] or "(province not coded)"] += int(e["fatalities"])
    if not counted:
        return ""
    dated = sorted(e["event_date"] for e in events if e["event_date"])
    period = f"{dated[0]} to {dated[-1]}" if dated else "undated events"
    if truncated:
        period += f" (newest {MINI_LIMIT:,} events)"
    bars = [{"label": k, "value": v} for k, v in counted.most_common(10)]
    chart = {
        "title": "Fatalities by province",
        "period": period,
        "unit": "fatalities",
        "x_label": "Fatalities reported",
        "bars": bars,
    }
    return charts.hbars(chart, "pv")


def _svg(body: str) -> Response:
    if not body:
        body = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 40" width="720" '
            'height="40"><text x="0" y="24" font-size="13" fill="#555" '
            'font-family="DejaVu Sans, sans-serif">Nothing to chart for these filters.</text></svg>'
        )
    return Response(body, media_type="image/svg+xml")


def router(
    ledger: Callable[[], Ledger],
    page: Page,
    today: Callable[[], date],
    filter_params: Callable[..., Awaitable[Filters]],
) -> APIRouter:
    """The briefing's routes over the app's ledger (`ledger()` gives this thread's); the small
    charts take their filters as the app's lists do (`filter_params`, a FastAPI dependency)."""
    routes = APIRouter()
    countries = country_names()
    world = maps.load_world()  # the map's outlines, read once
    env = render.environment()  # the briefing's templates, compiled once

    def wanted(
        date_from: From = None,
        date_to: To = None,
        country: Text = None,
        admin1: Text = None,
        actor: Text = None,
        place: Text = None,
        compare: Compare = "previous",
    ) -> BriefingRequest:
        return briefing_request(
            date_from, date_to, country, admin1, actor, place, compare, countries
        )

    # dependencies as defaults: the annotations are strings, which FastAPI resolves in the
    # module's globals, where these closures are not
    asked_for = Depends(wanted)
    app_filters = Depends(filter_params)

    @routes.get("/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(
        request: Request,
        asked: BriefingRequest = asked_for,
        type: Text = None,
        bbox: Text = None,
        words: Words = None,
    ) -> HTMLResponse:
        b = briefing(ledger(), asked, today())
        body = render.body_html(b, lambda a: f"/articles/{a['id']}", env, world)
        ignored = [name for name, v in (("type", type), ("map area", bbox), ("words", words)) if v]
        context = {
            "nav": "report",
            "briefing": b,
            "body": body,
            "css": Markup(render.stylesheet()),
            "ignored": ignored,
            "download": {k: v for k, v in {**b["filters"], "compare": asked.compare}.items()},
        }
        return page(request, "report.html", context)

    @routes.get("/report.{fmt}", include_in_schema=False)
    def report_file(fmt: str, asked: BriefingRequest = asked_for) -> Response:
        if fmt not in render.FORMATS:
            raise QueryError(f"report.{fmt}: choose one of {', '.join(render.FORMATS)}")
        b = briefing(ledger(), asked, today())
        name = f"briefing-{b['period']['from']}-{b['period']['to']}.{fmt}"
        return Response(
            render.render(b, fmt),
            media_type=MEDIA[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @routes.get("/report/charts/{name}.svg", include_in_schema=False)
    def mini_chart(name: str, filters: Filters = app_filters) -> Response:
        """The map's and timeline's small charts, over the same filters as those pages."""
        if name not in ("types", "provinces"):
            raise QueryError(f"chart {name!r}: choose types or provinces")
        events = _mini_events(ledger(), filters)
        truncated = len(events) == MINI_LIMIT
        draw = types_chart if name == "types" else provinces_chart
        return _svg(draw(events, truncated))

    return routes
