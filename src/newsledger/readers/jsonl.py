"""JSON Lines: one article a line, as ``{"id", "published", "source", "url", "title", "text"}``.

Only ``text`` is required. An ``id`` given stays the article's id; without one the id is the
content hash (`article_id`). ``published`` may be a date or a datetime and is written as ISO 8601;
a free-form one ("December 9") is read as far as it goes (readers/dates.py) against the file's
other articles: those articles are given after the others of the file (at its end, or once
`MAX_PENDING` wait), with one warning for the file.
The file is read line by line (never whole), each line at most `max_line_bytes` long. A bad line
is a `Rejection` named ``path:LINE`` and the other lines are still read; blank lines are skipped.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsledger.errors import Rejection
from newsledger.readers.dates import FileDates, read_messy
from newsledger.readers.header_text import (
    DateError,
    UnreadableDate,
    article_id,
    iso_published,
    unstorable,
)
from newsledger.records import Article

_BOM = b"\xef\xbb\xbf"
_DRAIN_CHUNK = 1 << 20
_OPTIONAL_STRINGS = ("source", "url", "title")
MAX_PENDING = 10_000
"""Articles with a free-form date held until the file's end at most (then resolved against the
dates seen so far), so that memory stays bounded on a huge file."""


def _type_name(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _drain_line(stream: BinaryIO) -> None:
    """Skip the rest of an over-long line without holding it in memory."""
    while True:
        chunk = stream.readline(_DRAIN_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def not_utf8_reason(data: bytes, error: UnicodeDecodeError, offset: int = 0) -> str:
    """Why `data` (found at byte `offset` of its input) is not UTF-8, and how to convert it."""
    return (
        f"not UTF-8: byte 0x{data[error.start]:02X} at byte offset {offset + error.start} "
        "cannot be decoded; convert the file to UTF-8 first, e.g. "
        "iconv -f WINDOWS-1252 -t UTF-8 IN > OUT"
    )


def parse_record(record: Any, origin: str) -> Article | Rejection:
    """One decoded JSON value (from the line `origin`) as an article (a free-form date is read
    without the file's other articles: see `read_jsonl`)."""
    item, messy = _parse_record(record, origin)
    if messy is None or isinstance(item, Rejection):
        return item
    dates = FileDates(origin)
    item = _dated(item, dates, messy)
    dates.warn()
    return item


def _dated(article: Article, dates: FileDates, value: str) -> Article:
    reading = dates.read(value)
    return dataclasses.replace(
        article, published=reading.published, published_precision=reading.precision
    )


def _parse_record(record: Any, origin: str) -> tuple[Article | Rejection, str | None]:
    """`parse_record`, and the free-form `published` value left to read (None: none)."""
    item = _parse(record, origin)
    if isinstance(item, tuple):
        return item
    return item, None


def _parse(record: Any, origin: str) -> Article | Rejection | tuple[Article, str]:
    if not isinstance(record, dict):
        return Rejection(origin, f"not a JSON object (found {_type_name(record)})")
    if "text" not in record:
        return Rejection(origin, "no 'text' field (each line needs the article's text)")
    text = record["text"]
    if not isinstance(text, str):
        return Rejection(origin, f"'text' is {_type_name(text)}, not a string")
    if not text.strip():
        return Rejection(origin, "'text' is empty")
    for name in ("text", "id", "published", *_OPTIONAL_STRINGS):
        value = record.get(name)
        problem = unstorable(value) if isinstance(value, str) else None
        if problem:
            return Rejection(origin, f"'{name}' {problem}")
    fields: dict[str, str | None] = {}
    for name in _OPTIONAL_STRINGS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return Rejection(origin, f"'{name}' is {_type_name(value)}, not a string")
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    given_id = record.get("id")
    if given_id is not None and (isinstance(given_id, bool) or not isinstance(given_id, str | int)):
        return Rejection(origin, f"'id' is {_type_name(given_id)}, not a string")
    published = record.get("published")
    if published is not None and not isinstance(published, str):
        return Rejection(origin, f"'published' is {_type_name(published)}, not a date string")
    messy: str | None = None
    try:
        iso = iso_published(published) if published and published.strip() else None
    except UnreadableDate as exc:
        if read_messy(published or "") is None:
            return Rejection(origin, f"'published': {exc}")
        iso, messy = None, (published or "").strip()
    except DateError as exc:
        return Rejection(origin, f"'published': {exc}")
    article_key = str(given_id).strip() if given_id is not None else ""
    article = Article(
        id=article_key or article_id(text),
        source=fields["source"],
        published=iso,
        url=fields["url"],
        title=fields["title"],
        text=text,
        raw_text=text,
        origin=origin,
    )
    return (article, messy) if messy is not None else article


def read_jsonl(stream: BinaryIO, origin: str, max_line_bytes: int) -> Iterator[Article | Rejection]:
    """Articles (and rejected lines) from a JSON Lines byte stream named `origin`."""
    offset = 0  # byte offset of the current line in the stream
    line_number = 0
    any_content = False
    dates = FileDates(origin)
    pending: list[tuple[Article, str]] = []
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            break
        line_number += 1
        where = f"{origin}:{line_number}"
        start = offset
        offset += len(line)
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            _drain_line(stream)
            any_content = True
            yield Rejection(
                where,
                f"line longer than {max_line_bytes:,} bytes; split the article or shorten it",
            )
            continue
        if line_number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
            start += len(_BOM)
        if not line.strip():
            continue
        any_content = True
        nul = line.find(b"\x00")
        if nul >= 0:
            yield Rejection(where, f"binary data (NUL byte at byte offset {start + nul})")
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejection(where, not_utf8_reason(line, exc, start))
            continue
        try:
            record = json.loads(decoded)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:  # over-long integers, too deep nesting
            yield Rejection(where, f"not readable JSON: {exc}")
            continue
        item, messy = _parse_record(record, where)
        if isinstance(item, Article) and messy is not None:
            pending.append((item, messy))
            if len(pending) >= MAX_PENDING:
                yield from (_dated(a, dates, value) for a, value in pending)
                pending.clear()
            continue
        if isinstance(item, Article):
            dates.exact(item.published)
        yield item
    yield from (_dated(a, dates, value) for a, value in pending)
    dates.warn()
    if not any_content:
        yield Rejection(origin, "empty file")
