"""HTTP for watching: polite, bounded GET requests (httpx).

- a clear User-Agent on every request;
- conditional requests: the caller passes the ETag and Last-Modified it has, a 304 comes back as
  `Fetched(status=304)` with no body;
- robots.txt of each host, fetched once and kept for `ROBOTS_TTL` seconds (a 4xx robots.txt
  allows everything; a 5xx or an unreachable one refuses the host for now, as RFC 9309 says);
- at most one request to a host every `host_interval` seconds (the `sleep` given waits);
- a timeout for connecting and for each read, a body size limit (from Content-Length when
  declared, else counted while reading) and a redirect limit.

Every failure is a `FetchError` naming the URL and what went wrong. `clock` and `sleep` are
injectable so tests do not wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsledger.errors import InputError
from newsledger.watch.config import HttpSettings

ROBOTS_TTL = 24 * 3600.0


class FetchError(InputError):
    """A URL (`origin`) could not be fetched, or a folder read; `reason` says why."""


class Disallowed(FetchError):
    """robots.txt does not allow the URL for our user agent."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200 (or another 2xx), or 304 (not modified)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """GET requests under the limits of `settings`; one per watch process (it keeps robots.txt
    and each host's last request time)."""

    def __init__(
        self,
        settings: HttpSettings,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> when the last request to it started
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=True,
            max_redirects=settings.max_redirects,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The document at `url`, if robots.txt allows it; a 304 when it has not changed since
        the validators given."""
        if not self.allowed(url):
            raise Disallowed(url, "robots.txt disallows it for our user agent")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        now = self._clock()
        cached = self._robots.get(host)
        if cached is None or now - cached[0] > ROBOTS_TTL:
            cached = (now, self._read_robots(host))
            self._robots[host] = cached
        rules = cached[1]
        return rules is None or rules.can_fetch(self.settings.user_agent, url)

    def _read_robots(self, host: str) -> RobotFileParser | None:
        """The host's robots.txt rules; None when it has none (allowed); FetchError when it
        cannot be read now."""
        url = f"{host}/robots.txt"
        try:
            fetched = self._get(url, {})
        except FetchError as exc:
            if exc.reason.startswith("HTTP 4"):
                return None
            raise FetchError(
                url,
                f"robots.txt cannot be read ({exc.reason}); not fetching from "
                "this host until it can",
            ) from exc
        rules = RobotFileParser(url)
        rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        return rules

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = last + self.settings.host_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        limit = self.settings.max_bytes
        self._wait_turn(urlsplit(url).netloc)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304)
                if response.status_code >= 300:
                    raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        url, f"body of {int(declared):,} bytes is over the {limit:,}-byte limit"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(url, f"body over the {limit:,}-byte limit")
                return Fetched(
                    str(response.url),
                    response.status_code,
                    bytes(body),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, f"more than {self.settings.max_redirects} redirects") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({self.settings.timeout:g} s)") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
