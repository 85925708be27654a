"""RSS and Atom files, read with feedparser: one article per entry.

Each entry gives ``title``, ``link`` (the url), ``published`` (or ``updated``) as ISO 8601, the
feed's title as ``source``, and its content (or, without content, its summary) with the HTML
stripped to plain paragraphs separated by blank lines. An entry without either is a `Rejection`
naming the entry; a free-form publication date ("December 9", "Monday") is read as far as it
goes against the feed's other entries or its own date (readers/dates.py), with one warning for the
feed, and one nothing can be read of is left empty rather than dropping the article. XML whose
DOCTYPE declares entities (XXE, "billion laughs") is refused before it is parsed.
"""

from __future__ import annotations

import dataclasses
import io
import re
from calendar import timegm
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from newsledger.errors import Rejection
from newsledger.readers.dates import FileDates, read_messy
from newsledger.readers.header_text import DateError, article_id, iso_published
from newsledger.records import Article

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class _Paragraphs(HTMLParser):
    """Collects the text of an HTML fragment, one string per block (paragraph, list item...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._pieces).split())
        if text:
            self.paragraphs.append(text)
        self._pieces = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._pieces.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block, separated by blank lines."""
    parser = _Paragraphs()
    parser.feed(markup)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.paragraphs)


def declares_entities(data: bytes) -> bool:
    """Whether an XML document has a DOCTYPE that declares entities (XXE, billion laughs)."""
    return bool(_DOCTYPE.search(data) and _ENTITY.search(data))


def _plain(detail: Any, value: str) -> str:
    """`value` as plain text, stripping HTML when feedparser says it is HTML."""
    kind = detail.get("type", "text/html") if detail else "text/html"
    if kind in _HTML_TYPES:
        return html_to_text(value)
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", value) if p.strip())


def _entry_text(entry: Any) -> str:
    contents = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return _plain(best, best["value"])
    summary = entry.get("summary", "")
    return _plain(entry.get("summary_detail"), summary) if summary.strip() else ""


def _entry_published(entry: Any) -> tuple[str | None, str | None]:
    """The entry's date as ISO 8601, else the free-form value to read (readers/dates.py)."""
    messy: str | None = None
    for key in ("published", "updated"):
        # dict.get: feedparser's own get answers `updated` with `published` when the entry has
        # no `updated` (a deprecated fallback that warns), which would read `published` twice
        value = dict.get(entry, key)
        if value:
            try:
                return iso_published(value), None
            except DateError:
                parsed = dict.get(entry, f"{key}_parsed")  # feedparser reads more formats, as UTC
                iso = _parsed_time(value, parsed) if parsed else None
                if iso is not None:
                    return iso, None
                if messy is None and read_messy(value) is not None:
                    messy = " ".join(value.split())
    return None, messy


def _feed_date(feed: Any) -> date | None:
    """The feed's own date (its updated or published time), the reference for its entries."""
    published, _ = _entry_published(feed)
    return date.fromisoformat(published[:10]) if published else None


def _parsed_time(value: str, parsed: Any) -> str | None:
    """feedparser's reading of `value` as ISO 8601 UTC, or None when it cannot be trusted.

    feedparser turns year 0000 into 2000 and 99999 into 9999, and its time tuples can be out of
    the datetime range: a year that does not appear in `value` as written is not believed.
    """
    year = f"{parsed.tm_year:04d}"
    if not re.search(rf"(?<!\d){year}(?!\d)", value):
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):  # out of datetime's or the platform's range
        return None


def parse_feed(data: bytes, origin: str) -> Iterator[Article | Rejection]:
    """Articles from the RSS or Atom document `data`, read from `origin`."""
    if declares_entities(data):
        yield Rejection(
            origin,
            "XML declares entities in its DOCTYPE (<!ENTITY ...>); refused as unsafe "
            "(XXE / billion laughs); remove the DOCTYPE if the feed is trusted",
        )
        return
    import feedparser  # a few hundredths of a second to import: only when a feed is read

    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            yield Rejection(origin, f"not a readable RSS or Atom feed: {problem}")
        else:
            yield Rejection(origin, "feed has no entries")
        return
    title = parsed.feed.get("title", "")
    source = " ".join(title.split()) or None
    dates = FileDates(origin, feed_date=_feed_date(parsed.feed))
    items: list[tuple[Article | Rejection, str | None]] = []
    for number, entry in enumerate(entries, start=1):
        entry_title = _plain(entry.get("title_detail"), entry.get("title", "")) or None
        text = _entry_text(entry)
        if not text:
            name = f" ({entry_title!r})" if entry_title else ""
            items.append(
                (Rejection(origin, f"entry {number}{name} has no content or summary"), None)
            )
            continue
        published, messy = _entry_published(entry)
        dates.exact(published)
        article = Article(
            id=article_id(text),
            source=source,
            published=published,
            url=entry.get("link") or None,
            title=entry_title,
            text=text,
            raw_text=text,
            origin=origin,
        )
        items.append((article, messy))
    for item, messy in items:
        if messy is not None and isinstance(item, Article):
            reading = dates.read(messy)
            item = dataclasses.replace(
                item, published=reading.published, published_precision=reading.precision
            )
        yield item
    dates.warn()
