"""Saved HTML pages, read with trafilatura: the main text and the page's metadata.

The article is the page's main text (boilerplate, navigation and comments left out), one
paragraph a block, separated by blank lines; ``title``, ``url`` (canonical link), ``published``
(the page's publication date from its metadata, ISO 8601; none rather than a guess from the
text; a free-form one is read as far as it goes, readers/dates.py) and ``source`` (the site's
name) come from the page's metadata. A page with no main text trafilatura can find is a
`Rejection`.
"""

from __future__ import annotations

from newsledger.errors import Rejection
from newsledger.readers.dates import FileDates, read_messy
from newsledger.readers.header_text import DateError, UnreadableDate, article_id, iso_published
from newsledger.records import Article

# htmldate: the original publication date, from the page's markup and metadata only; its
# "extensive search" guesses from any date in the text ("reopen by August 2021"), which would
# make relative dates resolve against the wrong day.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def _clean(value: object) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def parse_html(markup: str, origin: str) -> Article | Rejection:
    """One article from the HTML page `markup`, read from `origin`."""
    # imported here: trafilatura (with courlan, htmldate, lxml) costs a quarter of a second or
    # more, which every `ingest` of JSON Lines or text would otherwise pay (docs/speed.md)
    from trafilatura import bare_extraction

    document = bare_extraction(
        markup, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
    )
    main_text = getattr(document, "text", None) if document is not None else None
    paragraphs = [" ".join(line.split()) for line in (main_text or "").splitlines()]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        return Rejection(origin, "no main text found in the HTML page (nothing to read)")
    published = _clean(getattr(document, "date", None))
    precision: str | None = None
    try:
        iso = iso_published(published) if published else None
    except UnreadableDate as exc:
        if published is None or read_messy(published) is None:
            return Rejection(origin, f"page date: {exc}")
        dates = FileDates(origin)
        reading = dates.read(published)
        iso, precision = reading.published, reading.precision
        dates.warn()
    except DateError as exc:
        return Rejection(origin, f"page date: {exc}")
    return Article(
        id=article_id(text),
        source=_clean(getattr(document, "sitename", None)),
        published=iso,
        url=_clean(getattr(document, "url", None)),
        title=_clean(getattr(document, "title", None)),
        text=text,
        raw_text=text,
        origin=origin,
        published_precision=precision,
    )
