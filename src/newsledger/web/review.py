"""The review queue and the review API (issue 14): pages at /review, JSON under /api/review.

Reading the queue follows the app's reading rule (open unless private); every POST needs a
reviewer or admin (`Auth.writer`: a session with its CSRF token, or a Bearer token) and is
recorded with the account's name. A save names the version it started from: when another
reviewer saved the record first, the answer is 409 with both versions and nothing is written.
"""

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from newsledger.geo import Gazetteer, load_gazetteer
from newsledger.review import edits
from newsledger.review.quality import quality
from newsledger.store import Ledger, review_queue, reviews
from newsledger.store import queries as q
from newsledger.store.items import SINGULAR, record_id
from newsledger.store.review_queue import QueueFilters
from newsledger.store.reviews import ReviewConflict, ReviewError
from newsledger.web.auth import Auth, Principal

KEYS = (
    ("a", "accept"),
    ("x", "reject"),
    ("e", "edit the fields (Enter saves, Esc leaves)"),
    ("j / →", "next"),
    ("k / ←", "previous"),
    ("u", "undo your last save"),
    ("q", "add the selected words as a missed quote"),
    ("n", "add the selected words as a missed record of this kind"),
    ("m", "merge: the id of the event this one reports again (empty: split)"),
    ("h", "this record's history"),
)
"""The queue's keys (listed on the page; static/review.js binds them)."""

PLACE_LIMIT = 15


class _Places:
    """The gazetteer, loaded on the first place search only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gazetteer: Gazetteer | None = None

    def search(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = load_gazetteer()
            found = self._gazetteer.candidates(name)
        found.sort(key=lambda p: -p.population)
        return [
            {
                "name": p.name,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "country": p.country,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "feature": p.feature,
                "geo_precision": 1 if p.feature not in ("admin1", "admin2", "country") else 3,
            }
            for p in found[:PLACE_LIMIT]
        ]


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _kind(kind: str) -> str:
    if kind not in reviews.KINDS:
        raise HTTPException(404, f"no review of {kind!r}: choose one of {', '.join(reviews.KINDS)}")
    return kind


def router(ledger: Callable[[], Ledger], auth: Auth, templates: Jinja2Templates) -> APIRouter:
    routes = APIRouter()
    acled = edits.load_acled()
    places = _Places()
    Writer = Annotated[Principal, Depends(auth.writer)]
    Who = Annotated[Principal | None, Depends(auth.who)]

    def record(kind: str, ref: str) -> dict[str, Any]:
        try:
            item = q.get_record(ledger(), kind, ref)
        except q.QueryError as exc:
            raise HTTPException(404, str(exc)) from exc
        if item is None:
            raise HTTPException(404, f"{SINGULAR[kind]} {ref} is not in the ledger")
        return item

    def queue_filters(
        event_type: Annotated[str | None, Query(alias="type")] = None,
        place: str | None = None,
        country: str | None = None,
        source: str | None = None,
        date_from: Annotated[str | None, Query(alias="from")] = None,
        date_to: Annotated[str | None, Query(alias="to")] = None,
        confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    ) -> QueueFilters:
        dates = {
            name: q.check_date(value, name, end=name == "to")
            for name, value in (("from", _clean(date_from)), ("to", _clean(date_to)))
            if value
        }
        return QueueFilters(
            _clean(event_type),
            _clean(place),
            _clean(country),
            _clean(source),
            dates.get("from"),
            dates.get("to"),
            confidence,
        )

    Filters = Annotated[QueueFilters, Depends(queue_filters)]

    def read_queue(
        kind: str, flt: QueueFilters, order: str, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        try:
            keys, left = review_queue.queue(ledger(), kind, flt, order, offset, limit)
        except ReviewError as exc:
            raise HTTPException(400, str(exc)) from exc
        items = [record(kind, record_id(a, o)) for a, o in keys]
        return items, left

    def fail(exc: ReviewError) -> JSONResponse:
        if isinstance(exc, ReviewConflict):
            current = exc.current.to_dict() if exc.current else reviews.UNREVIEWED
            return JSONResponse({"detail": str(exc), "conflict": True, "theirs": current}, 409)
        return JSONResponse({"detail": str(exc)}, 422)

    # --- API ------------------------------------------------------------------------------

    @routes.get("/api/review/queue", tags=["review"])
    def api_queue(
        flt: Filters,
        kind: str = "events",
        order: str = "confidence",
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=q.MAX_LIMIT)] = 20,
    ) -> dict[str, Any]:
        """Records not reviewed yet (or to review again), lowest confidence or newest first,
        and how many are left."""
        items, left = read_queue(_kind(kind), flt, order, offset, limit)
        return {"items": items, "left": left}

    @routes.post("/api/review/{kind}/{ref}", tags=["review"])
    def api_save(
        kind: str,
        ref: str,
        principal: Writer,
        action: Annotated[str, Body(description="accept, reject or correct")],
        version: Annotated[int, Body(description="the review_version the reviewer saw")],
        changes: Annotated[dict[str, Any] | None, Body()] = None,
        note: Annotated[str | None, Body()] = None,
    ) -> JSONResponse:
        """Accept, reject or correct one record (a new version of its review)."""
        item = record(_kind(kind), ref)
        try:
            save = edits.build_save(
                kind, item, action, version, changes or {}, principal.name, note, acled
            )
            if "same_as" in save.changes:
                edits.check_same_as(ledger(), item, save.changes["same_as"][1])
            saved = reviews.save_review(ledger(), save)
        except ReviewError as exc:
            response = fail(exc)
            if isinstance(exc, ReviewConflict):
                response = JSONResponse(
                    {
                        "detail": str(exc),
                        "conflict": True,
                        "yours": {"action": action, "changes": changes or {}, "version": version},
                        "theirs": record(kind, ref),
                    },
                    409,
                )
            return response
        return JSONResponse({"version": saved, "item": record(kind, ref)})

    @routes.post("/api/review/{kind}/{ref}/undo", tags=["review"])
    def api_undo(
        kind: str,
        ref: str,
        principal: Writer,
        version: Annotated[int | None, Body(embed=True)] = None,
    ) -> JSONResponse:
        """Undo one save of a record (default: its latest), as a new save."""
        item = record(_kind(kind), ref)
        article_id, ordinal = q.split_record_id(ref)
        target = version if version is not None else int(item["review_version"])
        try:
            saved = reviews.undo_save(ledger(), kind, article_id, ordinal, target, principal.name)
        except ReviewError as exc:
            return fail(exc)
        return JSONResponse({"version": saved, "item": record(kind, ref)})

    def saves(kind: str, ref: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """A record (None when re-extraction took it away) and its review's saves; 404 when
        neither exists."""
        try:
            article_id, ordinal = q.split_record_id(ref)
        except q.QueryError as exc:
            raise HTTPException(404, str(exc)) from exc
        found = reviews.history(ledger(), _kind(kind), article_id, ordinal)
        if ordinal >= reviews.ORPHAN_BASE and found:
            return None, found
        return record(kind, ref), found

    @routes.get("/api/review/{kind}/{ref}/history", tags=["review"])
    def api_history(kind: str, ref: str) -> dict[str, Any]:
        """A record's current value and every save of its review, oldest first (item None: the
        record is gone after re-extraction; its review is listed at /api/review/again)."""
        item, found = saves(kind, ref)
        return {"item": item, "history": found}

    @routes.get("/api/review/again", tags=["review"])
    def api_again() -> list[dict[str, Any]]:
        """Reviews that did not fit their record after re-extraction (`ingest --reextract`),
        with why; `gone` ones lost their record."""
        return reviews.rereview_list(ledger())

    @routes.post("/api/review/{kind}/{ref}/dismiss", tags=["review"])
    def api_dismiss(kind: str, ref: str, principal: Writer) -> JSONResponse:
        """Take a review off the re-review list (a recorded save keeping its status)."""
        article_id, ordinal = q.split_record_id(ref)
        try:
            saved = reviews.dismiss(ledger(), _kind(kind), article_id, ordinal, principal.name)
        except ReviewError as exc:
            return fail(exc)
        return JSONResponse({"version": saved})

    @routes.post("/api/review/{kind}", tags=["review"])
    def api_add(
        kind: str,
        principal: Writer,
        article: Annotated[str, Body()],
        start: Annotated[int, Body()],
        end: Annotated[int, Body()],
        fields: Annotated[dict[str, Any] | None, Body()] = None,
        note: Annotated[str | None, Body()] = None,
    ) -> JSONResponse:
        """Add a record the machine missed from the words article.text[start:end]."""
        try:
            ref = edits.add_from_selection(
                ledger(),
                _kind(kind),
                article,
                start,
                end,
                fields or {},
                principal.name,
                note,
                acled,
            )
        except ReviewError as exc:
            return fail(exc)
        return JSONResponse({"id": ref, "item": record(kind, ref)}, 201)

    @routes.get("/api/review/suggest/actors", tags=["review"])
    def api_actors(text: Annotated[str, Query(alias="q", min_length=1)]) -> list[str]:
        """Actors already in the ledger whose name holds the words, most used first."""
        return review_queue.actor_names(ledger(), text)

    @routes.get("/api/review/suggest/places", tags=["review"])
    def api_places(text: Annotated[str, Query(alias="q", min_length=2)]) -> list[dict[str, Any]]:
        """Gazetteer places of this name, most populous first, with coordinates."""
        return places.search(text)

    # --- pages ------------------------------------------------------------------------------

    @routes.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def queue_page(
        request: Request,
        flt: Filters,
        principal: Who,
        kind: str = "events",
        order: str = "confidence",
        i: Annotated[int, Query(ge=0)] = 0,
    ) -> HTMLResponse:
        items, left = read_queue(_kind(kind), flt, order, i, 1)
        if not items and i > 0 and left:
            i = left - 1
            items, left = read_queue(kind, flt, order, i, 1)
        item = items[0] if items else None
        context: dict[str, Any] = {
            "nav": "review",
            "kind": kind,
            "order": order,
            "i": i,
            "left": left,
            "item": item,
            "queue": flt,
            "principal": principal,
            "keys": KEYS,
            "acled": acled,
            "kinds": reviews.KINDS,
            "editable": reviews.EDITABLE[kind],
            "counts": reviews.status_counts(ledger()),
            "again": reviews.rereview_list(ledger()),
        }
        if item is not None:
            article = q.get_article(ledger(), item["article"]["id"])
            text = str(article["text"]) if article else ""
            ev = item["evidence"]
            context["paragraph"] = edits.paragraph(text, int(ev["start"]), int(ev["end"]))
            context["people"] = review_queue.people_of_article(ledger(), item["article"]["id"])
            article_id, ordinal = q.split_record_id(item["id"])
            context["history"] = reviews.history(ledger(), kind, article_id, ordinal)
        return templates.TemplateResponse(request, "review.html", context)

    @routes.get("/review/{kind}/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def record_page(request: Request, kind: str, ref: str, principal: Who) -> HTMLResponse:
        item, found = saves(kind, ref)
        article_id, ordinal = q.split_record_id(ref)
        context: dict[str, Any] = {
            "nav": "review",
            "kind": kind,
            "ref": ref,
            "item": item,
            "principal": principal,
            "history": found,
            "state": reviews.state(ledger(), kind, article_id, ordinal),
        }
        if item is not None:
            article = q.get_article(ledger(), article_id)
            text = str(article["text"]) if article else ""
            ev = item["evidence"]
            context["paragraph"] = edits.paragraph(text, int(ev["start"]), int(ev["end"]))
        return templates.TemplateResponse(request, "review_record.html", context)

    @routes.get("/api/quality", tags=["review"])
    def api_quality() -> dict[str, Any]:
        """From reviewed records: the share right per field with its 95 % interval and count,
        overall, by source and by country (`newsledger quality`)."""
        return quality(ledger())

    @routes.get("/quality", response_class=HTMLResponse, include_in_schema=False)
    def quality_page(request: Request, principal: Who) -> HTMLResponse:
        context = {"nav": "review", "figures": quality(ledger()), "principal": principal}
        return templates.TemplateResponse(request, "quality.html", context)

    return routes
