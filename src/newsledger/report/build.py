"""One call from a ledger and a request to the briefing, and to its bytes in a format."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from newsledger.report import render
from newsledger.report.data import ReviewCount, gather
from newsledger.report.figures import build
from newsledger.report.period import Request
from newsledger.store import Ledger


def briefing(
    ledger: Ledger,
    request: Request,
    today: date | None = None,
    reviewed: ReviewCount | None = None,
) -> dict[str, Any]:
    """The briefing asked for (figures.build's dict; the JSON format as it is)."""
    now = datetime.now(UTC)
    data = gather(ledger, request, today or now.date(), reviewed)
    return build(data, now.isoformat(timespec="minutes"))


def write(
    ledger: Ledger,
    request: Request,
    fmt: str,
    today: date | None = None,
    reviewed: ReviewCount | None = None,
) -> bytes:
    """The briefing in a format of `render.FORMATS`."""
    if fmt not in render.FORMATS:
        raise ValueError(
            f"unknown briefing format {fmt!r}; choose one of {', '.join(render.FORMATS)}"
        )
    return render.render(briefing(ledger, request, today, reviewed), fmt)
