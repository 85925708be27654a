"""What the browser tests share: Debian's chromium driven by Playwright (the `browser` fixture
in conftest.py), a web app served by uvicorn on a free loopback port in a thread, and the
screenshots the README shows (screenshots/)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from newsledger.web.app import create_app
from tests.helpers.paths import REPO

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "screenshots"
WAIT_MS = 15_000  # how long a page may take to show what a test waits for
# as the machine's notes advise: without the background-networking flags chromium's own
# connections are refused by the closed network, many at a time
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1 in a thread; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright; the test skips, saying why, without either."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_server(db: Path) -> Iterator[str]:
    """The web app over the ledger `db` (today 2026-01-01), served while the generator runs."""
    with serve_app(create_app(str(db), today=lambda: date(2026, 1, 1))) as url:
        yield url


def shot(page: Any, name: str) -> None:
    """A full-page screenshot as screenshots/<name>.png."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
