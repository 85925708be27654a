"""Plain-text articles, with or without the scraper's header line.

The header is the first non-blank line::

     date 2025-03-14 2025-03-14 09:41:12 - From: Tigris Wire

(a leading space, two dates and a time, then the source). The second date and the time are the
publication time, given as ISO 8601 ``YYYY-MM-DDTHH:MM:SS``. A header with a free-form date
(`` date December 9 7:58 AM ET - From: Tigris Wire``) is read as far as it goes (readers/dates.py:
a day without a year stays unknown in a file of one article). A dateline at the start of the body
(``Shafaq News/ `` or ``BAGHDAD/ ``: a few capitalised words ending in ``/``) is not part of the
article's text. A text without the header is read as it is, with no source or publication time.

This module also holds the helpers every reader shares: `article_id` (the content hash),
`iso_published` (a publication date or time, checked and written as ISO 8601), `unstorable` (why
a string cannot be stored: NUL, lone surrogates) and `clean_field` (a one-line metadata value with
control characters removed).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from newsledger.errors import Rejection
from newsledger.readers.dates import FileDates, read_messy
from newsledger.records import Article

HEADER_FORMAT = " date YYYY-MM-DD YYYY-MM-DD HH:MM:SS - From: SOURCE"

# A first line that starts like a header is held to the whole format (a typo is reported, not
# silently read as article text).
_HEADER_START = re.compile(r"[ \t]*date[ \t]+\d")
_HEADER = re.compile(
    r"[ \t]*date[ \t]+(?P<date1>\d{4}-\d{1,2}-\d{1,2})[ \t]+(?P<date2>\d{4}-\d{1,2}-\d{1,2})"
    r"[ \t]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)[ \t]+-[ \t]+From:[ \t]*(?P<source>[^\n]*?)[ \t]*"
)
# The same line with a free-form date: "date December 9 7:58 AM ET - From: Tigris Wire"
_LOOSE_HEADER = re.compile(
    r"[ \t]*date[ \t]+(?P<when>\S.*?)[ \t]+-[ \t]+From:[ \t]*(?P<source>[^\n]*?)[ \t]*"
)
_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}")
# "Shafaq News/ ", "BAGHDAD/ ", "Erbil, Iraq/ ": up to five capitalised words, then "/" and
# white space. "AC/DC" (no space after the slash) and lower-case openings are left alone.
_DATELINE = re.compile(
    r"(?P<dateline>[A-Z][\w.'’&()-]*(?:,?[ \t][A-Z(][\w.'’&()-]*){0,4})/[ \t]+(?=\S)"
)
_DATELINE_MAX_CHARS = 50
# C0 and C1 control characters and DEL; in one-line fields (source, title, url) they become spaces
# (terminal escapes in a source name must not reach the console as escapes).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RFC822_YEAR = re.compile(r"[A-Za-z]{3}[a-z]*\.?\s+(\d+)\b")  # "Jan 2025" -> "2025"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class DateError(ValueError):
    """A date or time that cannot exist (2024-13-45) or cannot be read."""


class UnreadableDate(DateError):
    """A date in no format `iso_published` knows ("December 9"): readers/dates.py reads what
    it can of it."""


def article_id(raw_text: str) -> str:
    """The article's stable id: sha256 (hex) of the whitespace-stripped raw text, 16 characters."""
    # surrogatepass: a lone surrogate (from a JSON escape) must not crash the hash; the reader
    # rejects such a text afterwards (`unstorable`)
    return hashlib.sha256(raw_text.strip().encode("utf-8", "surrogatepass")).hexdigest()[:16]


def unstorable(value: str) -> str | None:
    """Why `value` cannot be stored as text (a NUL character, a lone surrogate), or None.

    PostgreSQL refuses NUL in text, and a lone surrogate (``"\\ud800"`` in JSON) is not UTF-8.
    """
    nul = value.find("\x00")
    if nul >= 0:
        return f"holds a NUL character (at character {nul})"
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return (
            f"holds a lone surrogate U+{ord(surrogate.group()):04X} (at character "
            f"{surrogate.start()}), which is not valid Unicode text"
        )
    return None


def clean_field(value: str | None) -> str | None:
    """A one-line metadata value with control characters turned to spaces, white space collapsed,
    None when nothing is left."""
    if value is None:
        return None
    return " ".join(_CONTROL.sub(" ", value).split()) or None


def iso_published(value: str) -> str:
    """A publication date or time as ISO 8601; raise `DateError` when it cannot exist.

    ``2019-04-10`` stays a date; datetimes (ISO 8601, with ``T`` or a space, or RFC 822 as in
    RSS) become ``YYYY-MM-DDTHH:MM:SS``, followed by the UTC offset when one was given.
    """
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
        if re.match(r"\d{4}-\d{2}-\d{2}[T ]", text):
            return datetime.fromisoformat(text).isoformat(timespec="seconds")
    except ValueError as exc:
        raise DateError(f"impossible date {value!r} ({exc})") from exc
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError) as exc:
        raise UnreadableDate(
            f"date {value!r} not understood (expected ISO 8601 like 2025-03-14 or "
            "2025-03-14T09:41:12)"
        ) from exc
    # RFC 822 reads two-digit years, and so "0000" as 2000: a year not written out is refused
    written = _RFC822_YEAR.search(text)
    if written and len(written.group(1)) != 2 and int(written.group(1)) != parsed.year:
        raise DateError(f"impossible date {value!r} (year {written.group(1)} is out of range)")
    return parsed.isoformat(timespec="seconds")


def _header_time(day: str, time: str) -> str:
    """``2025-03-14`` and ``09:41:12`` -> ``2025-03-14T09:41:12``; `DateError` if impossible."""
    try:
        y, m, d = (int(part) for part in day.split("-"))
        parts = [int(part) for part in time.split(":")] + [0]
        return datetime(y, m, d, parts[0], parts[1], parts[2]).isoformat(timespec="seconds")
    except ValueError as exc:
        raise DateError(f"impossible date {day} {time} in the header ({exc})") from exc


def strip_dateline(body: str) -> str:
    """The body without a leading dateline (``Shafaq News/ ``)."""
    match = _DATELINE.match(body)
    if match and len(match.group("dateline")) <= _DATELINE_MAX_CHARS:
        return body[match.end() :]
    return body


def parse_text(text: str, origin: str) -> Article | Rejection:
    """One plain-text article (already decoded) read from `origin`."""
    first, _, rest = text.lstrip("\r\n").partition("\n")
    source: str | None = None
    published: str | None = None
    precision: str | None = None
    messy: FileDates | None = None
    body = text
    loose = _LOOSE_HEADER.fullmatch(first.rstrip("\r"))
    partial = read_messy(loose.group("when")) if loose else None
    free_form = partial is not None and (
        not partial.says_nothing or bool(_CLOCK.search(partial.given))
    )
    if _HEADER_START.match(first) or free_form:
        header = _HEADER.fullmatch(first.rstrip("\r"))
        if header is not None:
            try:
                _header_time(header.group("date1"), "00:00")
                published = _header_time(header.group("date2"), header.group("time"))
            except DateError as exc:
                return Rejection(origin, str(exc))
            source = header.group("source") or None
        elif loose is not None and partial is not None:
            messy = FileDates(origin)
            reading = messy.read(loose.group("when"))
            published, precision = reading.published, reading.precision
            source = loose.group("source") or None
        else:
            return Rejection(
                origin,
                f"header line not understood: {first.strip()!r} (expected {HEADER_FORMAT!r})",
            )
        body = rest
    raw_text = strip_dateline(body.strip())
    if not raw_text:
        what = "no article text after the header" if source or published else "empty file"
        return Rejection(origin, what)
    if messy is not None:
        messy.warn()
    return Article(
        id=article_id(raw_text),
        source=source,
        published=published,
        url=None,
        title=None,
        text=raw_text,
        raw_text=raw_text,
        origin=origin,
        published_precision=precision,
    )
