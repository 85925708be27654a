"""The watch configuration: a TOML file (stdlib `tomllib`) read into typed records.

```toml
web_url = "http://127.0.0.1:8000"   # links in alerts point here
interval = 900                      # seconds between two polls of a source

[http]                              # all optional
user_agent = "newsledger-watch/0.1 (+mailto:analyst@example.org)"
timeout = 20                        # seconds, for each connect and read
max_bytes = 5000000                 # a larger body is refused
max_redirects = 5
host_interval = 2.0                 # seconds between two requests to one host
backoff = 60                        # first wait after an error; doubles to backoff_max
backoff_max = 3600

[[source]]
name = "agency"
feed = "https://news.example.org/rss"   # or sitemap = "...", or folder = "/srv/reports"
pages = true                            # feeds: fetch each entry's page (trafilatura)

[[rule]]
name = "kirkuk-airstrikes"
event_type = "Air/drone strike"
place = "Kirkuk"

[[output]]
type = "jsonl"                          # terminal, jsonl, webhook, email
path = "alerts.jsonl"

[[digest]]                              # a briefing (newsledger report) on a schedule
name = "iraq-weekly"
schedule = "weekly"                     # daily, or weekly (on `weekday`)
weekday = "monday"
hour = 6                                # UTC hour from which it is due (default 6)
days = 7                                # the period: the days before (daily 1, weekly 7)
country = "Iraq"                        # and/or admin1, actor (as `newsledger report`)
outputs = ["email"]                     # [[output]] names: e-mail attaches it
path = "briefings/iraq-{date}.html"     # and/or written here ({date}: the day it is due)
format = "html"                         # html, pdf, md, json (default: path's extension)
```

Every error names the file and the key that is wrong (`ConfigError`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger import __version__
from newsledger.datafiles import full_names, weekday_numbers
from newsledger.errors import NewsledgerError
from newsledger.store.items import SINGULAR

SOURCE_KINDS = ("feed", "sitemap", "folder")
OUTPUT_TYPES = ("terminal", "jsonl", "webhook", "email")
CHANGE_KINDS = ("stance changed", "deadline differs", "figure differs", "reaffirmed")
RECORD_KINDS = (*SINGULAR.values(), "change")
EVENT_CONDITIONS = ("place", "bbox", "actor", "event_type", "min_fatalities")
SCHEDULES = ("daily", "weekly")
WEEKDAYS = full_names(weekday_numbers())
DIGEST_FORMATS = ("html", "pdf", "md", "json")


class ConfigError(NewsledgerError):
    """The watch configuration cannot be used: names the file, the key and what is wrong."""


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = f"newsledger-watch/{__version__} (python-httpx)"
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    host_interval: float = 2.0
    backoff: float = 60.0
    backoff_max: float = 3600.0


@dataclass(frozen=True)
class Source:
    name: str
    kind: str  # feed, sitemap, folder
    location: str  # a URL, or a folder path
    pages: bool = False  # feeds: fetch each entry's page rather than use the entry's text


@dataclass(frozen=True)
class Rule:
    """An alert rule: every condition given must hold (none given is refused)."""

    name: str
    records: tuple[str, ...]  # the record kinds it looks at (RECORD_KINDS)
    place: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    actor: str | None = None
    event_type: str | None = None
    min_fatalities: int | None = None
    keyword: str | None = None
    speaker: str | None = None
    change: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    name: str
    type: str  # terminal, jsonl, webhook, email
    digest: bool = False  # one message a day with that day's alerts, sent once the day is over
    path: str | None = None  # jsonl
    url: str | None = None  # webhook
    host: str = "127.0.0.1"  # email: the SMTP server
    port: int = 25
    sender: str | None = None
    to: tuple[str, ...] = ()
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None  # the environment variable holding the SMTP password


@dataclass(frozen=True)
class Digest:
    """A briefing sent on a schedule (watch/digest.py)."""

    name: str
    schedule: str  # daily, weekly
    weekday: int = 0  # weekly: Monday 0 .. Sunday 6
    hour: int = 6  # UTC
    days: int = 1  # the period's length, ending the day before it is due
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    outputs: tuple[str, ...] = ()
    path: str | None = None
    format: str = "html"


@dataclass(frozen=True)
class WatchConfig:
    path: str
    sources: tuple[Source, ...]
    rules: tuple[Rule, ...] = ()
    outputs: tuple[Output, ...] = ()
    digests: tuple[Digest, ...] = ()
    web_url: str = "http://127.0.0.1:8000"
    interval: float = 900.0
    http: HttpSettings = field(default_factory=HttpSettings)


class _Table:
    """One TOML table being read, for error messages naming the file and the key."""

    def __init__(self, path: str, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            what = where.rstrip(": ") or "the document"
            raise ConfigError(f"{path}: {what} must be a table, not {type(data).__name__}")
        self.path, self.where, self.data = path, where, data

    def error(self, key: str, problem: str) -> ConfigError:
        label = f"{self.where}{key}" if key else self.where.rstrip(": ")
        where = f"{label}: " if label else ""
        return ConfigError(f"{self.path}: {where}{problem}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.data.get(key, default)
        if value is None:
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(key, f"expected {_kind_name(kind)}, got a boolean")
        if not isinstance(value, kind):
            raise self.error(key, f"expected {_kind_name(kind)}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.error(key, "is empty")
        return value

    def number(self, key: str, default: float, minimum: float = 0.0) -> float:
        value = float(self.get(key, (int, float), default))
        if value < minimum:
            raise self.error(key, f"must be at least {minimum:g}, got {value:g}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, ())
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, f"expected a string or a list of strings, got {value!r}")
        return tuple(value)

    def check_keys(self, known: tuple[str, ...]) -> None:
        unknown = sorted(set(self.data) - set(known))
        if unknown:
            raise self.error(unknown[0], f"unknown key (known: {', '.join(known)})")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _tables(top: _Table, key: str) -> list[_Table]:
    items = top.data.get(key, [])
    if not isinstance(items, list):
        raise top.error(key, f"must be an array of tables ([[{key}]])")
    return [_Table(top.path, f"[[{key}]] #{n}: ", item) for n, item in enumerate(items, 1)]


def _names(tables: list[_Table], fallback: str | None = None) -> list[str]:
    """Each table's `name` (else its `fallback` key's value), checked to be given and unique."""
    names: list[str] = []
    for t in tables:
        name = t.get("name", str, t.data.get(fallback) if fallback else None)
        if name is None:
            raise t.error("name", "missing: every one needs a name")
        if name in names:
            raise t.error("name", f"{name!r} is used twice")
        names.append(name)
    return names


def _source(t: _Table, name: str) -> Source:
    t.check_keys(("name", *SOURCE_KINDS, "pages"))
    given = [k for k in SOURCE_KINDS if k in t.data]
    if len(given) != 1:
        raise t.error("", f"give exactly one of {', '.join(SOURCE_KINDS)} (got {given or 'none'})")
    kind = given[0]
    location = t.get(kind, str)
    if kind != "folder" and not location.startswith(("http://", "https://")):
        raise t.error(kind, f"expected an http:// or https:// URL, got {location!r}")
    pages = t.get("pages", bool, kind == "sitemap")
    if kind != "feed" and "pages" in t.data:
        raise t.error("pages", "only feeds take it (sitemaps always fetch their pages)")
    return Source(name=name, kind=kind, location=location, pages=pages)


def _rule(t: _Table, name: str) -> Rule:
    conditions = (*EVENT_CONDITIONS, "keyword", "speaker", "change")
    t.check_keys(("name", "records", *conditions))
    if not any(k in t.data for k in conditions):
        raise t.error("", f"a rule needs at least one condition: {', '.join(conditions)}")
    bbox = t.data.get("bbox")
    if bbox is not None:
        numbers = isinstance(bbox, list) and all(isinstance(v, int | float) for v in bbox)
        if not numbers or len(bbox) != 4:
            raise t.error("bbox", f"expected [west, south, east, north] in degrees, got {bbox!r}")
        west, south, east, north = (float(v) for v in bbox)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise t.error("bbox", f"not a box: west < east and south < north, got {bbox!r}")
        bbox = (west, south, east, north)
    change = t.strings("change")
    for kind in change:
        if kind not in CHANGE_KINDS:
            raise t.error("change", f"{kind!r} is not a change kind ({', '.join(CHANGE_KINDS)})")
    minimum = t.get("min_fatalities", int)
    if minimum is not None and minimum < 0:
        raise t.error("min_fatalities", f"must be 0 or more, got {minimum}")
    records = t.strings("records") or _default_records(t.data)
    for kind in records:
        if kind not in RECORD_KINDS:
            raise t.error("records", f"{kind!r} is not a record kind ({', '.join(RECORD_KINDS)})")
    return Rule(
        name=name,
        records=records,
        place=t.get("place", str),
        bbox=bbox,
        actor=t.get("actor", str),
        event_type=t.get("event_type", str),
        min_fatalities=minimum,
        keyword=t.get("keyword", str),
        speaker=t.get("speaker", str),
        change=change,
    )


def _default_records(data: dict[str, Any]) -> tuple[str, ...]:
    """What a rule looks at when it does not say: changes for `change`, events for the event
    conditions, statements and changes for `speaker`, everything for `keyword` alone."""
    if "change" in data:
        return ("change",)
    if any(k in data for k in EVENT_CONDITIONS):
        return ("event",)
    if "speaker" in data:
        return ("quote", "claim", "deadline", "change")
    return RECORD_KINDS


def _output(t: _Table, name: str) -> Output:
    kind = t.get("type", str)
    if kind not in OUTPUT_TYPES:
        raise t.error("type", f"expected one of {', '.join(OUTPUT_TYPES)}, got {kind!r}")
    needs = {"jsonl": ("path",), "webhook": ("url",), "email": ("sender", "to")}.get(kind, ())
    extra = {
        "jsonl": ("path",),
        "webhook": ("url",),
        "email": ("host", "port", "sender", "to", "starttls", "username", "password_env"),
    }.get(kind, ())
    t.check_keys(("name", "type", "digest", *extra))
    for key in needs:
        if key not in t.data:
            raise t.error(key, f"missing: a {kind} output needs it")
    url = t.get("url", str)
    if url is not None and not url.startswith(("http://", "https://")):
        raise t.error("url", f"expected an http:// or https:// URL, got {url!r}")
    port = t.get("port", int, 25)
    if not 0 < port < 65536:
        raise t.error("port", f"not a port number: {port}")
    return Output(
        name=name,
        type=kind,
        digest=t.get("digest", bool, False),
        path=t.get("path", str),
        url=url,
        host=t.get("host", str, "127.0.0.1"),
        port=port,
        sender=t.get("sender", str),
        to=t.strings("to"),
        starttls=t.get("starttls", bool, False),
        username=t.get("username", str),
        password_env=t.get("password_env", str),
    )


def _digest(t: _Table, name: str, outputs: tuple[Output, ...]) -> Digest:
    t.check_keys(
        (
            "name",
            "schedule",
            "weekday",
            "hour",
            "days",
            "country",
            "admin1",
            "actor",
            "outputs",
            "path",
            "format",
        )
    )
    schedule = t.get("schedule", str)
    if schedule not in SCHEDULES:
        raise t.error("schedule", f"expected {' or '.join(SCHEDULES)}, got {schedule!r}")
    weekday = t.get("weekday", str, "monday").lower()
    if weekday not in WEEKDAYS:
        raise t.error("weekday", f"expected a day of the week (monday ... sunday), got {weekday!r}")
    if schedule == "daily" and "weekday" in t.data:
        raise t.error("weekday", "only a weekly digest takes it")
    hour = t.get("hour", int, 6)
    if not 0 <= hour <= 23:
        raise t.error("hour", f"expected 0 to 23 (UTC), got {hour}")
    days = t.get("days", int, 1 if schedule == "daily" else 7)
    if not 1 <= days <= 366:
        raise t.error("days", f"expected 1 to 366, got {days}")
    names = t.strings("outputs")
    known = {o.name: o for o in outputs}
    for output in names:
        if output not in known:
            raise t.error("outputs", f"no [[output]] is named {output!r}")
    path = t.get("path", str)
    if not names and path is None:
        raise t.error("", "a digest needs outputs (names of [[output]]) or a path to write to")
    guessed = path.rsplit(".", 1)[-1].lower() if path and "." in path else "html"
    fmt = t.get("format", str, guessed if guessed in DIGEST_FORMATS else "html")
    if fmt not in DIGEST_FORMATS:
        raise t.error("format", f"expected one of {', '.join(DIGEST_FORMATS)}, got {fmt!r}")
    return Digest(
        name=name,
        schedule=schedule,
        weekday=WEEKDAYS.index(weekday),
        hour=hour,
        days=days,
        country=t.get("country", str),
        admin1=t.get("admin1", str),
        actor=t.get("actor", str),
        outputs=names,
        path=path,
        format=fmt,
    )


def _http(top: _Table) -> HttpSettings:
    t = _Table(top.path, "[http] ", top.data.get("http", {}))
    d = HttpSettings()
    t.check_keys(tuple(d.__dataclass_fields__))
    return HttpSettings(
        user_agent=t.get("user_agent", str, d.user_agent),
        timeout=t.number("timeout", d.timeout, 0.1),
        max_bytes=int(t.number("max_bytes", d.max_bytes, 1)),
        max_redirects=int(t.number("max_redirects", d.max_redirects, 0)),
        host_interval=t.number("host_interval", d.host_interval),
        backoff=t.number("backoff", d.backoff),
        backoff_max=t.number("backoff_max", d.backoff_max),
    )


def parse_config(data: dict[str, Any], path: str) -> WatchConfig:
    """The configuration in `data` (a parsed TOML document read from `path`)."""
    top = _Table(path, "", data)
    top.check_keys(("web_url", "interval", "http", "source", "rule", "output", "digest"))
    sources = _tables(top, "source")
    if not sources:
        raise top.error("source", "no [[source]] given: nothing to watch")
    rules = _tables(top, "rule")
    outputs = _tables(top, "output")
    parsed_rules = tuple(_rule(t, n) for t, n in zip(rules, _names(rules), strict=True))
    if rules and not outputs:
        raise top.error("output", "rules are given but no [[output]] to deliver alerts to")
    parsed_outputs = tuple(
        _output(t, n) for t, n in zip(outputs, _names(outputs, "type"), strict=True)
    )
    digests = _tables(top, "digest")
    return WatchConfig(
        path=path,
        sources=tuple(_source(t, n) for t, n in zip(sources, _names(sources), strict=True)),
        rules=parsed_rules,
        outputs=parsed_outputs,
        digests=tuple(
            _digest(t, n, parsed_outputs) for t, n in zip(digests, _names(digests), strict=True)
        ),
        web_url=top.get("web_url", str, "http://127.0.0.1:8000").rstrip("/"),
        interval=top.number("interval", 900.0, 1.0),
        http=_http(top),
    )


def load_config(path: str | Path) -> WatchConfig:
    """Read and check the TOML configuration at `path`."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(f"{name}: cannot be read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from exc
    return parse_config(data, name)
