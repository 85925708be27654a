"""Finding and opening inputs: files, folders, stdin; format detection; limits; bad input.

`read_inputs` takes paths as the user typed them:

- a file is read by its extension: ``.txt`` (plain text, with or without the header line),
  ``.jsonl``/``.ndjson`` (JSON Lines), ``.rss``/``.atom``/``.xml`` (feeds), ``.html``/``.htm``
  (saved pages); a file with another extension is sniffed from its first bytes;
- a folder is read recursively, in sorted path order, taking only files with those extensions
  (other files, hidden files and folders, and symbolic links to folders are skipped silently);
- ``-`` is standard input, whose format is sniffed from its first bytes.

Limits (module constants):

- `MAX_FILE_BYTES` (16 MiB): a single-article file (text, HTML) or a feed larger than this is
  rejected from its size, without reading it;
- `MAX_LINE_BYTES` (16 MiB): a JSON Lines line longer than this is rejected; JSON Lines files are
  streamed line by line, never read whole, so they have no overall size limit;
- `MAX_TEXT_CHARS` (1,000,000, spaCy's default ``max_length``): an article with a longer text is
  rejected.

Text must be UTF-8 (a byte-order mark is fine). Feeds and pages that are not valid UTF-8 but
declare another encoding (``<?xml encoding=...?>``, ``<meta charset=...>``) are read in it.

Bad input never raises: it is a `Rejection` naming the input (``path`` or ``path:LINE``) and
what is wrong, and the remaining inputs are still read.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from newsledger.errors import Rejection
from newsledger.readers.feed import parse_feed
from newsledger.readers.header_text import clean_field, parse_text, unstorable
from newsledger.readers.html import parse_html
from newsledger.readers.jsonl import not_utf8_reason, read_jsonl
from newsledger.records import Article

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
SNIFF_BYTES = 64 * 1024
_STREAM_BUFFER = 1024 * 1024

STDIN = "-"
STDIN_ORIGIN = "<stdin>"

Format = Literal["text", "jsonl", "feed", "html"]

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".html": "html",
    ".htm": "html",
}

_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def read_inputs(
    paths: Sequence[str], stdin: BinaryIO | None = None
) -> Iterator[Article | Rejection]:
    """Articles from each input in turn, or a `Rejection` for each input that cannot be read.

    `paths` are files, folders, or ``-`` for `stdin` (``sys.stdin.buffer`` when not given).
    """
    for name in paths:
        if name == STDIN:
            items = _read_stdin(stdin if stdin is not None else sys.stdin.buffer)
        else:
            items = _read_path(name)
        for item in items:
            yield _checked(item)


def read_bytes(
    data: bytes, origin: str, fmt: Format | None = None
) -> Iterator[Article | Rejection]:
    """Articles from a document already in memory (a fetched feed or page), read as a file of
    format `fmt` (sniffed when None) named `origin`, with the same limits and checks."""
    for item in _read_stream(io.BytesIO(data), origin, fmt, len(data)):
        yield _checked(item)


def sniff_format(head: bytes) -> Format:
    """The format of a document from its first bytes."""
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if start.startswith(b"{"):
        return "jsonl"
    if not start.startswith(b"<"):
        return "text"
    if _FEED_ROOT.search(start):
        return "feed"
    if start.startswith(b"<?xml") and not _HTML_START.search(start):
        return "feed"
    return "html"


def _checked(item: Article | Rejection) -> Article | Rejection:
    """The article within the limits and storable (else a Rejection), its one-line metadata
    (source, title, url) without control characters."""
    if not isinstance(item, Article):
        return item
    if len(item.text) > MAX_TEXT_CHARS:
        return Rejection(
            item.origin,
            f"article text is {len(item.text):,} characters, more than the {MAX_TEXT_CHARS:,} "
            "the annotator accepts; split it into several articles",
        )
    for name in ("text", "id", "source", "title", "url"):
        value = getattr(item, name)
        problem = unstorable(value) if value is not None else None
        if problem:
            return Rejection(item.origin, f"the article's {name} {problem}")
    if clean_field(item.id) != item.id:
        return Rejection(
            item.origin, f"the article's id {item.id!r} holds control characters or white space"
        )
    return dataclasses.replace(
        item,
        source=clean_field(item.source),
        title=clean_field(item.title),
        url=clean_field(item.url),
    )


def _os_reason(exc: OSError, path: str) -> str:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return (
                f"broken symbolic link (it points to {os.readlink(path)!r}, which does not exist)"
            )
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied (check its permissions)"
    if isinstance(exc, NotADirectoryError):
        return "not a folder: a part of the path is a file"
    return f"cannot be read: {exc.strerror or exc}"


def _read_stdin(stream: BinaryIO) -> Iterator[Article | Rejection]:
    try:
        yield from _read_stream(stream, STDIN_ORIGIN)
    except OSError as exc:
        yield Rejection(STDIN_ORIGIN, f"cannot be read: {exc.strerror or exc}")


def _read_path(name: str) -> Iterator[Article | Rejection]:
    try:
        info = os.stat(name)
    except OSError as exc:
        yield Rejection(name, _os_reason(exc, name))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_folder(name)
    else:
        yield from _read_file(name, EXTENSIONS.get(Path(name).suffix.lower()))


def _folder_entries(folder: str) -> Iterator[str | Rejection]:
    """Readable-looking files under `folder` (recursively, sorted), or why a folder cannot be."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Rejection(folder, _os_reason(exc, folder))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        if entry.is_dir(follow_symlinks=False):
            yield from _folder_entries(path)
        elif Path(entry.name).suffix.lower() in EXTENSIONS and not entry.is_dir():
            yield path


def _read_folder(folder: str) -> Iterator[Article | Rejection]:
    found = False
    for entry in _folder_entries(folder):
        found = True
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from _read_file(entry, EXTENSIONS[Path(entry).suffix.lower()])
    if not found:
        kinds = ", ".join(EXTENSIONS)
        yield Rejection(folder, f"folder has no files to read (looked for {kinds})")


def _read_file(path: str, fmt: Format | None) -> Iterator[Article | Rejection]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield Rejection(path, "not a regular file (a device, pipe or socket); give a file")
            return
        if info.st_size == 0:
            yield Rejection(path, "empty file")
            return
        if fmt not in (None, "jsonl") and info.st_size > MAX_FILE_BYTES:
            yield Rejection(path, _too_large(info.st_size))
            return
        with open(path, "rb") as stream:
            yield from _read_stream(stream, path, fmt, info.st_size)
    except OSError as exc:
        yield Rejection(path, _os_reason(exc, path))


def _too_large(size: int | None) -> str:
    what = f"{size / 1e6:.1f} MB, " if size is not None else ""
    return (
        f"too large ({what}more than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit for "
        "one article or feed); split it, or give the articles as JSON Lines"
    )


def _read_stream(
    stream: BinaryIO, origin: str, fmt: Format | None = None, size: int | None = None
) -> Iterator[Article | Rejection]:
    """Articles from an open byte stream (of `size` bytes, if known).

    The format is sniffed when `fmt` is None; JSON Lines are streamed, other formats read whole
    up to `MAX_FILE_BYTES`.
    """
    head = stream.read(SNIFF_BYTES)
    if not head.strip():
        yield Rejection(origin, "empty file" if origin != STDIN_ORIGIN else "empty input")
        return
    fmt = fmt or sniff_format(head)
    if fmt != "jsonl" and size is not None and size > MAX_FILE_BYTES:
        yield Rejection(origin, _too_large(size))
        return
    problem = _binary_problem(head)
    if problem:
        yield Rejection(origin, problem)
        return
    if fmt == "jsonl":
        yield from read_jsonl(_prefixed(head, stream), origin, MAX_LINE_BYTES)
        return
    data = head + stream.read(MAX_FILE_BYTES + 1 - len(head))
    if len(data) > MAX_FILE_BYTES:
        yield Rejection(origin, _too_large(None))
        return
    yield from _parse_document(data, origin, fmt)


def _binary_problem(data: bytes) -> str | None:
    """Why `data` is not text at all (a wide Unicode encoding, NUL bytes), or None."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return (
                f"{encoding} text, not UTF-8; convert it first, e.g. "
                f"iconv -f {encoding} -t UTF-8 IN > OUT"
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"binary file (NUL byte at byte offset {nul}), not text, JSON Lines, a feed or HTML"
    return None


def _declared_encoding(data: bytes, fmt: Format) -> str | None:
    """The encoding a feed or page declares for itself, if any (Python's codec name)."""
    if fmt not in ("feed", "html"):
        return None
    match = _XML_ENCODING.match(data) or _META_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _decode(data: bytes, origin: str, fmt: Format) -> str | Rejection:
    body = data.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _declared_encoding(body, fmt)
        if declared is None or declared == "utf-8":
            return Rejection(origin, not_utf8_reason(body, exc, len(data) - len(body)))
        try:
            return body.decode(declared)
        except UnicodeDecodeError as wrong:
            return Rejection(
                origin,
                f"not valid {declared} as it declares (byte offset {wrong.start}) "
                "and not UTF-8 either; convert it with iconv",
            )


def _parse_document(data: bytes, origin: str, fmt: Format) -> Iterator[Article | Rejection]:
    problem = _binary_problem(data)
    if problem:
        yield Rejection(origin, problem)
        return
    text = _decode(data, origin, fmt)
    if isinstance(text, Rejection):
        yield text
        return
    if not text.strip():
        yield Rejection(origin, "empty file")
    elif fmt == "text":
        yield parse_text(text, origin)
    elif fmt == "html":
        yield parse_html(text, origin)
    else:
        yield from parse_feed(data, origin)


class _PrefixedRaw(io.RawIOBase):
    """Bytes already read (`prefix`), then the rest of `stream`: lets sniffed stdin stream on."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        super().__init__()
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            count = min(len(view), len(self._prefix))
            view[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)


def _prefixed(prefix: bytes, stream: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_PrefixedRaw(prefix, stream), buffer_size=_STREAM_BUFFER)
