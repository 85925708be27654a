"""The analyst's web app and JSON API over one ledger (FastAPI; `create_app` builds it).

Nothing happens at import: `create_app(db_url, token)` opens the ledger once to check it (and apply
pending migrations), then every worker thread opens its own connections on first use (sqlite3
connections belong to the thread that made them): a read-only one for the pages and the API's reads,
and one that writes for logins, reviews and ingest. Reading needs no login unless the app is
private; every write needs a reviewer or admin (web/auth.py): POST /api/articles (ingest) an admin's
`Authorization: Bearer <token>` (an account's, or the operator's $NEWSLEDGER_TOKEN), and is refused
when neither exists. No CORS headers are sent: other sites' pages cannot read the API.
A request body over `MAX_BODY_BYTES` is refused with 413, whether it declares its length or not.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsledger import __version__
from newsledger.errors import LedgerError
from newsledger.report.wording import cue_as_written, verb_forms
from newsledger.store import Ledger, open_ledger
from newsledger.store import queries as q
from newsledger.store.accounts import audit
from newsledger.store.export import EVENT_CSV_COLUMNS, acled_row, country_codes
from newsledger.store.items import SINGULAR
from newsledger.store.queries import Filters, QueryError
from newsledger.web import auth as web_auth
from newsledger.web import report, views
from newsledger.web import review as web_review
from newsledger.web.dates import article_date

if TYPE_CHECKING:
    from newsledger.pipeline.core import Resources

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
MAP_LIMIT = 2000
"""The map page asks for at most this many markers (the newest); it says when there are more."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
MAX_BODY_BYTES = 16 * 1024 * 1024
"""The largest request body taken (POST /api/articles): the readers' 16 MiB line limit."""

# 'unsafe-inline' styles: Leaflet positions map panes and markers with style attributes.


def _too_large(limit: int) -> str:
    return (
        f"request body too large: more than {limit:,} bytes ({limit // (1024 * 1024)} MiB); "
        "send the articles in several requests"
    )


class BodyLimit:
    """ASGI middleware: 413 for a request body over `limit` bytes, from its Content-Length or,
    when it has none (chunked), as soon as more than `limit` bytes have arrived."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse({"detail": _too_large(self.limit)}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, _too_large(self.limit))
            return message

        await self.app(scope, limited, send)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors, for older browsers
    ("Referrer-Policy", "same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: SECURITY_HEADERS on every response. (Plain ASGI: starlette's
    BaseHTTPMiddleware, `@app.middleware("http")`, runs each request as a task and streams its
    body through a queue, 7 % of the server's CPU under scripts/load_test.py.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class _Ledgers:
    """Per worker thread, opened on first use: a read-only connection to the ledger for the
    pages and the API's reads (`reader`), and one that writes for logins, reviews and ingest
    (`get`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def get(self) -> Ledger:
        ledger: Ledger | None = getattr(self._local, "ledger", None)
        if ledger is None:
            ledger = open_ledger(self.url)
            self._local.ledger = ledger
        return ledger

    def reader(self) -> Ledger:
        ledger: Ledger | None = getattr(self._local, "reader", None)
        if ledger is None:
            ledger = open_ledger(self.url, read_only=True)
            self._local.reader = ledger
        return ledger


class _Pipeline:
    """The pipeline's resources (the spaCy model, ...), loaded on the first ingest only; the
    pipeline's modules too (they import spaCy: a server that only reads starts without it)."""

    def __init__(self, load: Callable[[], Resources] | None) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._resources: Resources | None = None

    def get(self) -> Resources:
        with self._lock:
            if self._resources is None:
                if self._load is None:
                    from newsledger.pipeline.core import load_resources

                    self._load = load_resources
                self._resources = self._load()
            return self._resources


def _clean(value: str | None) -> str | None:
    """A query value as given, or None when empty (HTML forms send empty fields)."""
    if value is None:
        return None
    return value.strip() or None


async def filter_params(  # async (no I/O): a sync dependency would run in a worker thread
    date_from: Annotated[
        str | None,
        Query(
            alias="from",
            description="On or after this date (YYYY-MM-DD, YYYY-MM or YYYY): event date for "
            "events, deadline for deadlines, publication date for the rest.",
        ),
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", description="On or before this date (as `from`).")
    ] = None,
    event_type: Annotated[
        str | None,
        Query(alias="type", description="Events: ACLED event type or sub-event type, exactly."),
    ] = None,
    actor: Annotated[
        str | None, Query(description="Events: part of an actor's name (any of the four).")
    ] = None,
    place: Annotated[
        str | None,
        Query(description="Events: part of the location, admin1, admin2 or country."),
    ] = None,
    bbox: Annotated[
        str | None,
        Query(description="Events and places: west,south,east,north in degrees."),
    ] = None,
    speaker: Annotated[
        str | None,
        Query(description="Quotes, claims, deadlines, changes: part of who said it."),
    ] = None,
    topic: Annotated[
        str | None,
        Query(description="Quotes, claims, deadlines, changes: words in the title or subject."),
    ] = None,
    text: Annotated[
        str | None,
        Query(
            alias="q",
            description="Full-text search: words in the record's text (articles: title and "
            "text, every word must occur; people and places: the name).",
        ),
    ] = None,
    article: Annotated[str | None, Query(description="Records of one article (its id).")] = None,
    change_kind: Annotated[
        str | None,
        Query(alias="kind", description="Changes: stance changed, deadline differs, ..."),
    ] = None,
    source: Annotated[str | None, Query(description="Articles: the source, exactly.")] = None,
    status: Annotated[
        str | None,
        Query(
            description="Events, quotes, claims, deadlines: review status (unreviewed, "
            "accepted, corrected, rejected, added; several with commas; reviewed: accepted, "
            "corrected and added)."
        ),
    ] = None,
) -> Filters:
    """The filters every list takes (each kind uses those that apply; others are refused)."""
    box = _clean(bbox)
    return Filters(
        date_from=_clean(date_from),
        date_to=_clean(date_to),
        event_type=_clean(event_type),
        actor=_clean(actor),
        place=_clean(place),
        bbox=q.parse_bbox(box) if box else None,
        speaker=_clean(speaker),
        topic=_clean(topic),
        q=_clean(text),
        article=_clean(article),
        change_kind=_clean(change_kind),
        source=_clean(source),
        review_status=q.parse_status(given) if (given := _clean(status)) else None,
    )


FiltersDep = Annotated[Filters, Depends(filter_params)]
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description="Items a page.")]
Cursor = Annotated[str | None, Query(description="The `next` of the previous page.")]
ExportLimit = Annotated[
    int | None, Query(ge=1, le=q.EXPORT_LIMIT, description="At most this many (newest first).")
]

FILTER_QUERY_NAMES = q.QUERY_NAMES


def query_string(filters: Mapping[str, Any], **changes: Any) -> str:
    """The URL query of a page's filters (with changes), empty values left out."""
    values = {FILTER_QUERY_NAMES.get(k, k): v for k, v in filters.items()}
    values.update(changes)
    pairs = [(k, str(v)) for k, v in values.items() if v not in (None, "")]
    return urlencode(pairs)


def _geojson(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    features = []
    without = 0
    for item in items:
        lat, lon = item["latitude"], item["longitude"]
        if lat is None or lon is None:
            without += 1
            continue
        properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
        features.append(
            {
                "type": "Feature",
                "id": item["id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }
        )
    summary: dict[str, Any] = {"features": len(features), "without_coordinates": without}
    if total is not None:
        summary["matching"] = total
    return {"type": "FeatureCollection", "features": features, "newsledger": summary}


def _csv_row(item: dict[str, Any], codes: Mapping[str, tuple[int, str]]) -> dict[str, Any]:
    row = {
        **item,
        "article_id": item["article"]["id"],
        "ordinal": int(item["id"].rpartition("-")[2]) - 1,
        "source": item["article"]["source"],
    }
    return acled_row(row, codes)


def create_app(
    db_url: str,
    token: str | None = None,
    *,
    resources: Callable[[], Resources] | None = None,
    today: Callable[[], date] = date.today,
    private: bool = False,
) -> FastAPI:
    """The web app and API over the ledger at `db_url` (a path or sqlite:/// URL).

    `token`: the operator's secret, an admin token besides the accounts' own (None: only
    accounts write). `resources` loads the pipeline on the first ingest (default:
    `load_resources`); `today` dates the deadlines board (tests pin both). `private`: reading
    needs a login too.
    """
    open_ledger(db_url).close()  # fail now, naming the ledger, rather than on the first request
    ledgers = _Ledgers(db_url)
    auth = web_auth.Auth(ledgers.get, token, private, lookup=ledgers.reader)
    pipeline = _Pipeline(resources)
    codes = country_codes()

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        query_string=query_string,
        event_types=views.EVENT_TYPES,
        version=__version__,
        db_name=db_url,
    )
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.filters["published"] = article_date
    forms = verb_forms()
    env.filters["as_written"] = lambda cue, evidence: cue_as_written(cue, evidence, forms)
    templates = Jinja2Templates(env=env)

    app = FastAPI(
        title="newsledger",
        version=__version__,
        description="A sourced ledger of conflict news: events (ACLED-coded), quotes, claims, "
        "deadlines and changes, each with its article and evidence span.",
        docs_url=None,  # the docs pages load scripts from a CDN; /openapi.json is served
        redoc_url=None,
        dependencies=[Depends(auth.reader)],
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)  # outermost: the 413s get them too

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return page(request, "error.html", {"status": 400, "message": str(exc)}, 400)

    def page(
        request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        context.setdefault("nav", "")
        return templates.TemplateResponse(request, name, context, status_code=status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(
            request, "error.html", {"status": 404, "message": f"{what} is not in the ledger"}, 404
        )

    # --- API: lists ----------------------------------------------------------------------

    def add_list(kind: str) -> None:
        def endpoint(
            filters: FiltersDep, limit: Limit = q.DEFAULT_LIMIT, cursor: Cursor = None
        ) -> dict[str, Any]:
            page_ = q.list_items(ledgers.reader(), kind, filters, limit=limit, cursor=cursor)
            return page_.to_dict()

        takes = ", ".join(FILTER_QUERY_NAMES.get(f, f) for f in q.KIND_FILTERS[kind])
        app.add_api_route(
            f"/api/{kind}",
            endpoint,
            methods=["GET"],
            name=f"list_{kind}",
            summary=f"List {kind}",
            description=f"A page of {kind} as {{items, next}}, newest first. Filters: {takes}.",
            tags=["read"],
        )

    for kind in q.LIST_KINDS:
        add_list(kind)

    @app.get("/api/events.csv", tags=["export"], response_class=Response)
    def events_csv(filters: FiltersDep, limit: ExportLimit = None) -> Response:
        """The matching events as CSV: ACLED's 31 columns in ACLED's order, then ours."""
        items = q.list_items(ledgers.reader(), "events", filters, limit=limit or q.EXPORT_LIMIT)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EVENT_CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for item in items.items:
            writer.writerow(_csv_row(item, codes))
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="events.csv"'},
        )

    @app.get("/api/events.geojson", tags=["export"], response_class=Response)
    def events_geojson(filters: FiltersDep, limit: ExportLimit = None) -> Response:
        """The matching events with coordinates as a GeoJSON FeatureCollection of Points."""
        ledger = ledgers.reader()
        items = q.list_items(ledger, "events", filters, limit=limit or q.EXPORT_LIMIT).items
        total = q.count(ledger, "events", filters) if limit else None
        body = json.dumps(_geojson(items, total), ensure_ascii=False)
        return Response(body, media_type="application/geo+json")

    # --- API: single records and composed views -----------------------------------------

    @app.get("/api/events/{ref}", tags=["read"])
    def api_event(ref: str) -> dict[str, Any]:
        """One event by id (<article id>-<n>), with its evidence in context."""
        view = views.event_view(ledgers.reader(), ref)
        if view is None:
            raise HTTPException(404, f"event {ref} is not in the ledger")
        return view

    for kind in q.STATEMENT_KINDS:

        def add_record(kind: str = kind) -> None:
            def endpoint(ref: str) -> dict[str, Any]:
                item = q.get_record(ledgers.reader(), kind, ref)
                if item is None:
                    raise HTTPException(404, f"{SINGULAR[kind]} {ref} is not in the ledger")
                return item

            app.add_api_route(
                f"/api/{kind}/{{ref}}",
                endpoint,
                methods=["GET"],
                name=f"get_{SINGULAR[kind]}",
                summary=f"One {SINGULAR[kind]} by id",
                tags=["read"],
            )

        add_record()

    @app.get("/api/articles/{article_id}", tags=["read"])
    def api_article(article_id: str) -> dict[str, Any]:
        """An article's text, every record taken from it, and the text cut at their spans."""
        view = views.article_view(ledgers.reader(), article_id)
        if view is None:
            raise HTTPException(404, f"article {article_id} is not in the ledger")
        return view

    @app.get("/api/people/{name:path}", tags=["read"])
    def api_person(name: str) -> dict[str, Any]:
        """Everything one person stated (quotes, claims, deadlines), oldest first."""
        view = views.person_view(ledgers.reader(), name)
        if not view["statements"] and not view["known"]:
            raise HTTPException(404, f"{name} is not in the ledger")
        return view

    @app.get("/api/timeline", tags=["read"])
    def api_timeline(filters: FiltersDep) -> dict[str, Any]:
        """Events and statements by day, newest first (the timeline page's data)."""
        return views.timeline_view(ledgers.reader(), filters)

    @app.get("/api/board/deadlines", tags=["read"])
    def api_board(filters: FiltersDep) -> dict[str, Any]:
        """Upcoming and past deadlines and where reports disagree (the board's data)."""
        return views.deadlines_view(ledgers.reader(), filters, today())

    @app.get("/api/watch", tags=["read"])
    def api_watch(
        limit: Annotated[
            int, Query(ge=1, le=q.MAX_LIMIT, description="Alerts, newest first.")
        ] = views.WATCH_ALERT_LIMIT,
    ) -> dict[str, Any]:
        """The sources `newsledger watch` follows (last fetch, errors, backoff) and the newest
        alerts, each with its delivery to every output."""
        return views.watch_view(ledgers.reader(), limit)

    # --- API: ingest (an admin: an account's token, or the operator's) -------------------

    @app.post(
        "/api/articles",
        tags=["write"],
        dependencies=[Depends(auth.admin)],
        status_code=200,
    )
    def api_ingest(
        request: Request,
        articles: Annotated[
            dict[str, Any] | list[dict[str, Any]],
            Body(
                description="One article or a list: {id?, published?, source?, url?, title?, "
                "text} as in the JSONL input."
            ),
        ],
    ) -> JSONResponse:
        """Read, extract and store articles (each in its own transaction)."""
        from newsledger.pipeline.ingest import ingest  # spaCy loads with the first ingest

        batch = articles if isinstance(articles, list) else [articles]
        if not batch:
            raise HTTPException(422, "no articles given")
        lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in batch)
        stdin = io.BytesIO(lines.encode("utf-8"))
        try:
            report = ingest(["-"], ledgers.get(), pipeline.get(), stdin=stdin)
        except LedgerError as exc:
            raise HTTPException(500, str(exc)) from exc
        detail = f"stored {report.stored}, already there {report.duplicates}"
        audit(ledgers.get(), request.state.principal.name, "ingest", detail)
        status = 422 if report.rejected and not report.stored else 201 if report.stored else 200
        return JSONResponse(report.to_dict(), status_code=status)

    app.include_router(web_auth.router(auth, templates))
    app.include_router(web_review.router(ledgers.get, auth, templates))

    # --- pages ----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, filters: FiltersDep, cursor: Cursor = None) -> HTMLResponse:
        view = views.map_view(ledgers.reader(), filters, cursor=cursor)
        return page(request, "map.html", {**view, "map_limit": MAP_LIMIT, "nav": "map"})

    @app.get("/events/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, ref: str) -> HTMLResponse:
        view = views.event_view(ledgers.reader(), ref)
        if view is None:
            return not_found(request, f"Event {ref}")
        return page(request, "event.html", {**view, "nav": "map"})

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, filters: FiltersDep) -> HTMLResponse:
        view = views.timeline_view(ledgers.reader(), filters)
        return page(request, "timeline.html", {**view, "nav": "timeline"})

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(request: Request, filters: FiltersDep, cursor: Cursor = None) -> HTMLResponse:
        view = views.list_view(ledgers.reader(), "quotes", filters, cursor=cursor)
        return page(request, "quotes.html", {**view, "nav": "quotes"})

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(request: Request, filters: FiltersDep, cursor: Cursor = None) -> HTMLResponse:
        view = views.list_view(ledgers.reader(), "people", filters, limit=100, cursor=cursor)
        return page(request, "people.html", {**view, "nav": "people"})

    @app.get("/people/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(request: Request, name: str) -> HTMLResponse:
        view = views.person_view(ledgers.reader(), name)
        if not view["statements"] and not view["known"]:
            return not_found(request, name)
        return page(request, "person.html", {**view, "nav": "people"})

    @app.get("/deadlines", response_class=HTMLResponse, include_in_schema=False)
    def deadlines_page(request: Request, filters: FiltersDep) -> HTMLResponse:
        view = views.deadlines_view(ledgers.reader(), filters, today())
        return page(request, "deadlines.html", {**view, "nav": "deadlines"})

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request, filters: FiltersDep, cursor: Cursor = None) -> HTMLResponse:
        view = views.list_view(ledgers.reader(), "articles", filters, cursor=cursor)
        return page(request, "articles.html", {**view, "nav": "articles"})

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        view = views.article_view(ledgers.reader(), article_id)
        if view is None:
            return not_found(request, f"Article {article_id}")
        return page(request, "article.html", {**view, "nav": "articles"})

    @app.get("/changes", response_class=HTMLResponse, include_in_schema=False)
    def changes_page(request: Request, filters: FiltersDep, cursor: Cursor = None) -> HTMLResponse:
        view = views.changes_view(ledgers.reader(), filters, cursor=cursor)
        return page(request, "changes.html", {**view, "nav": "changes"})

    @app.get("/watch", response_class=HTMLResponse, include_in_schema=False)
    def watch_page(request: Request) -> HTMLResponse:
        return page(request, "watch.html", {**views.watch_view(ledgers.reader()), "nav": "watch"})

    app.include_router(report.router(ledgers.reader, page, today, filter_params))
    return app
