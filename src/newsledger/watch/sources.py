"""Finding the new items of a source: feed entries, pages listed in a feed or a sitemap, files
in a folder. Reading reuses the readers (`readers.feed`, `readers.html` via `read_bytes`,
`read_inputs` for files); nothing is parsed here but a sitemap's <loc> list and a feed's links.

`poll` returns the new items (each with the articles or rejections it gave) and what the source
said about itself (validators for the next conditional request, or "not modified"). An item
already seen is skipped before anything is fetched for it; a page that cannot be fetched is an
error and stays unseen, to be tried again on the next poll.
"""

from __future__ import annotations

import dataclasses
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import feedparser

from newsledger.errors import Rejection
from newsledger.readers.feed import declares_entities
from newsledger.readers.inputs import EXTENSIONS, read_bytes, read_inputs
from newsledger.records import Article
from newsledger.watch.config import Source
from newsledger.watch.fetch import Disallowed, Fetcher, FetchError

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Item:
    """One new thing found at a source: `key` identifies it among the source's items (a URL,
    an entry's link or id, a file's path relative to the folder)."""

    key: str
    results: tuple[Article | Rejection, ...]


@dataclass
class Poll:
    items: Iterable[Item] = ()  # a folder's are read one by one, as they are taken
    errors: list[str] = field(default_factory=list)  # items that could not be fetched
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


Seen = Callable[[str], bool]


def poll(
    source: Source,
    fetcher: Fetcher,
    seen: Seen,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Poll:
    """The unseen items of `source`. A failure to fetch the feed or sitemap itself raises
    FetchError (the caller backs off); failures of single pages are listed in `Poll.errors`."""
    if source.kind == "folder":
        if not Path(source.location).is_dir():
            raise FetchError(source.location, "not a folder, or it cannot be read")
        return Poll(items=_folder_items(Path(source.location), seen))
    fetched = fetcher.get(source.location, etag, last_modified)
    result = Poll(etag=fetched.etag, last_modified=fetched.last_modified)
    if fetched.status == 304:
        result.not_modified = True
        return result
    if source.kind == "sitemap":
        links = _sitemap_links(fetched.body, source.location)
    elif source.pages:
        links = _feed_links(fetched.body, source.location)
    else:
        result.items = _feed_items(fetched.body, source.location, seen)
        return result
    pages: list[Item] = []
    result.items = pages
    for link in links:
        if seen(link):
            continue
        try:
            page = fetcher.get(link)
        except Disallowed as exc:  # for good: seen, as a rejection
            pages.append(Item(link, (Rejection(link, exc.reason),)))
            continue
        except FetchError as exc:
            result.errors.append(str(exc))
            continue
        results = tuple(_with_url(r, link) for r in read_bytes(page.body, link, "html"))
        pages.append(Item(link, results))
    return result


def _with_url(item: Article | Rejection, url: str) -> Article | Rejection:
    """A page's article keeps the URL it was fetched from when the page names no canonical one."""
    if isinstance(item, Article) and not item.url:
        return dataclasses.replace(item, url=url)
    return item


def _feed_items(data: bytes, origin: str, seen: Seen) -> list[Item]:
    """Each unseen entry of a feed as an article (its text from the feed), keyed by its link
    (or, without one, its id: a hash of its text); an entry the reader rejects is an item too,
    keyed by its number and reason, so it is reported once."""
    items = []
    for number, result in enumerate(read_bytes(data, origin, "feed"), 1):
        if isinstance(result, Article):
            key = result.url or result.id
        elif result.reason == "feed has no entries":
            break
        elif not result.reason.startswith("entry "):  # the whole document: unreadable, unsafe
            raise FetchError(origin, result.reason)
        else:
            key = f"{origin}#{number}: {result.reason}"
        if not seen(key):
            items.append(Item(key, (result,)))
    return items


def _feed_links(data: bytes, origin: str) -> list[str]:
    if declares_entities(data):
        raise FetchError(origin, "feed declares entities in its DOCTYPE; refused as unsafe")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    links = [str(e.get("link")) for e in parsed.get("entries", []) if e.get("link")]
    if not links and parsed.get("bozo"):
        raise FetchError(origin, f"not a readable feed: {parsed.get('bozo_exception')}")
    return links


def _sitemap_links(data: bytes, origin: str) -> list[str]:
    """The page URLs (<url><loc>) of a sitemap; a sitemap index's sitemaps are not followed."""
    if declares_entities(data):
        raise FetchError(origin, "sitemap declares entities in its DOCTYPE; refused as unsafe")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(origin, f"not a readable sitemap: {exc}") from exc
    locs = [loc.text.strip() for loc in root.iter(f"{_SITEMAP_NS}loc") if loc.text]
    if root.tag == f"{_SITEMAP_NS}sitemapindex":
        raise FetchError(origin, "a sitemap index: give the sitemaps it lists as sources")
    return [u for u in locs if u.startswith(("http://", "https://"))]


def _folder_items(base: Path, seen: Seen) -> Iterator[Item]:
    """Each unseen file under `base` that the readers take (hidden ones left out: write a file
    under a hidden name, then rename it), in sorted order, keyed by its path in the folder."""
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix.lower() not in EXTENSIONS:
                continue
            path = Path(dirpath, name)
            key = str(path.relative_to(base))
            if not seen(key):
                yield Item(key, tuple(read_inputs([str(path)])))
