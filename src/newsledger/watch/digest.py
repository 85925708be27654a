"""Briefings on a schedule: each `[[digest]]` of the watch configuration builds the briefing
(`newsledger report`) of its filters once per occasion (daily, or weekly on a weekday, from an
hour UTC) and mails it to its e-mail outputs (the Markdown as the body, the briefing attached),
hands it to its other outputs, and/or writes it to its path.

An occasion is remembered as sent in the ledger (`watch_seen`: source `digest:NAME`, item the
occasion's date), so each is sent once, also across restarts; one that fails (a delivery or the
file) is tried again on the next cycle. The first cycle sends the latest occasion that is due.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from newsledger.report import render
from newsledger.report.build import briefing
from newsledger.report.period import Request
from newsledger.store import Ledger
from newsledger.watch import state
from newsledger.watch.config import Digest, HttpSettings, Output
from newsledger.watch.outputs import DeliveryError, deliver, send_mail

MIME = {
    "html": ("text", "html"),
    "pdf": ("application", "pdf"),
    "md": ("text", "markdown"),
    "json": ("application", "json"),
}


def occasion(digest: Digest, now: datetime) -> date:
    """The day of the latest occasion at or before `now` (UTC): today once the hour has come
    (on the weekday, for a weekly digest), else the one before."""
    day = now.date() if now.hour >= digest.hour else now.date() - timedelta(days=1)
    if digest.schedule == "weekly":
        day -= timedelta(days=(day.weekday() - digest.weekday) % 7)
    return day


def request(digest: Digest, due: date) -> Request:
    """The briefing of an occasion: the `days` days before it."""
    end = due - timedelta(days=1)
    start = end - timedelta(days=digest.days - 1)
    return Request(start.isoformat(), end.isoformat(), digest.country, digest.admin1, digest.actor)


def source_name(digest: Digest) -> str:
    return f"digest:{digest.name}"


def _message(b: dict[str, Any], body: bytes, digest: Digest, due: date) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"newsledger briefing: {b['title']}"[:200]
    message.set_content(render.to_markdown(b))
    kind, sub = MIME[digest.format]
    name = f"briefing-{digest.name}-{due.isoformat()}.{digest.format}"
    message.add_attachment(body, maintype=kind, subtype=sub, filename=name)
    return message


def send(
    digest: Digest,
    due: date,
    ledger: Ledger,
    outputs: dict[str, Output],
    http: HttpSettings,
    echo: Callable[[str], None] = print,
) -> str:
    """Build the occasion's briefing and send it everywhere the digest says; what was done.
    DeliveryError when an output or the file cannot take it."""
    b = briefing(ledger, request(digest, due), today=due)
    body = render.render(b, digest.format)
    done: list[str] = []
    for name in digest.outputs:
        output = outputs[name]
        if output.type == "email":
            try:
                send_mail(output, _message(b, body, digest, due), http.timeout)
            except OSError as exc:
                raise DeliveryError(f"output {name}: {type(exc).__name__}: {exc}") from exc
        elif output.type == "terminal":
            echo(render.to_markdown(b))
        else:  # jsonl, webhook: the briefing's data as one document
            document = {"digest": digest.name, "due": due.isoformat(), "briefing": b}
            deliver(output, [json.loads(json.dumps(document))], None, http, echo)
        done.append(name)
    if digest.path:
        path = Path(digest.path.replace("{date}", due.isoformat()))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        except OSError as exc:
            raise DeliveryError(
                f"digest {digest.name}: cannot write {path}: {exc.strerror or exc}"
            ) from exc
        done.append(str(path))
    return f"briefing {b['period']['from']} to {b['period']['to']} to {', '.join(done)}"


def run_due(
    digests: tuple[Digest, ...],
    ledger: Ledger,
    outputs: tuple[Output, ...],
    http: HttpSettings,
    now: float,
    echo: Callable[[str], None] = print,
) -> tuple[int, list[str]]:
    """Send every digest whose latest occasion has not been sent; (sent, errors)."""
    by_name = {o.name: o for o in outputs}
    sent, errors = 0, []
    moment = datetime.fromtimestamp(now, UTC)
    for digest in digests:
        due = occasion(digest, moment)
        if state.is_seen(ledger, source_name(digest), due.isoformat()):
            continue
        try:
            outcome = send(digest, due, ledger, by_name, http, echo)
        except DeliveryError as exc:
            errors.append(str(exc))
            continue
        state.mark_seen(ledger, source_name(digest), due.isoformat(), outcome, [], now)
        sent += 1
    return sent, errors
