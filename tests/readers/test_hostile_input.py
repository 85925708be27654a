"""Hostile input to every reader, through `read_inputs` (files of each extension, and stdin).

Each case must give a clear `Rejection` (naming the input, with a reason) or a correct `Article`
(storable text within the limits, ISO dates, metadata without control characters), never an
exception and never a hang: every read runs under a wall-clock alarm.

The property tests run `NEWSLEDGER_FUZZ_EXAMPLES` generated cases each (default 50, for CI); a
long run: ``NEWSLEDGER_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/readers/test_hostile_input.py
--hypothesis-show-statistics``.
"""

from __future__ import annotations

import io
import json
import os
import signal
import tempfile
import time
import tracemalloc
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.errors import Rejection
from newsledger.pipeline.core import Resources, extract_articles
from newsledger.pipeline.ingest import ingest
from newsledger.readers import read_inputs
from newsledger.readers.inputs import MAX_TEXT_CHARS, STDIN_ORIGIN
from newsledger.records import Article
from newsledger.store import open_ledger

EXAMPLES = int(os.environ.get("NEWSLEDGER_FUZZ_EXAMPLES", "50"))
SECONDS = 20.0  # one read, even of 10 million characters, on a slow shared machine
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the alarm bounds each read; hypothesis' deadline would flake on 2 cores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = (".txt", ".jsonl", ".rss", ".html")
WHERE = ("file", "stdin")
PASSWD_LINE = "root:x:0:0"


class Hang(Exception):
    """A read ran past `SECONDS`."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail (raising `Hang`) when the block runs longer than `seconds` of wall-clock time."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"reading {what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read(data: bytes, extension: str, where: str) -> tuple[str, list[Article | Rejection]]:
    """(the input's name, what read_inputs gives for `data`) as a file or on stdin."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        if where == "stdin":
            name, paths, stdin = STDIN_ORIGIN, ["-"], io.BytesIO(data)
        else:
            name = str(Path(folder, f"input{extension}"))
            Path(name).write_bytes(data)
            paths, stdin = [name], None
        started = time.monotonic()
        with time_limit(SECONDS, f"{len(data):,} bytes as {where} {extension}"):
            items = list(read_inputs(paths, stdin=stdin))
        assert time.monotonic() - started < SECONDS
    return name, items


def has_control(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in value)


def check(name: str, items: list[Article | Rejection]) -> list[Article]:
    """Every item is a clear Rejection or a correct Article; the articles."""
    assert items, f"{name}: nothing read, not even a rejection"
    articles = []
    for item in items:
        assert item.origin.startswith(name), (item.origin, name)
        if isinstance(item, Rejection):
            assert isinstance(item.reason, str) and len(item.reason) >= 5, item
            assert str(item).startswith(name)
            continue
        assert isinstance(item, Article), item
        assert item.text.strip() and len(item.text) <= MAX_TEXT_CHARS
        item.text.encode("utf-8")  # no lone surrogates
        assert "\x00" not in item.text
        assert item.id and item.id == item.id.strip() and not has_control(item.id)
        for field in (item.source, item.title, item.url):
            assert field is None or (field.strip() == field and field and not has_control(field))
        if item.published is not None:
            if len(item.published) == 10:
                date.fromisoformat(item.published)
            else:
                datetime.fromisoformat(item.published)
        assert PASSWD_LINE not in item.text
        articles.append(item)
    return articles


# --- generated cases ---------------------------------------------------------------------------

where_ = st.sampled_from(WHERE)
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
control_text = st.text(
    st.one_of(st.characters(codec="utf-8"), st.characters(min_codepoint=0, max_codepoint=0x9F)),
    max_size=60,
)
years = st.one_of(st.integers(0, 99999), st.sampled_from([0, 1, 9999, 10000, 99999]))
date_strings = st.one_of(
    st.builds("{:04d}-{:02d}-{:02d}".format, years, st.integers(0, 13), st.integers(0, 32)),
    st.builds(
        "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format,
        years,
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
    ),
    st.builds("Mon, {:02d} Jan {:04d} 10:00:00 GMT".format, st.integers(0, 32), years),
    control_text,
)


@FUZZ
@given(data=st.binary(max_size=3000), extension=st.sampled_from(EXTENSIONS), where=where_)
def test_random_bytes(data: bytes, extension: str, where: str) -> None:
    check(*read(data, extension, where))


@FUZZ
@given(text=control_text, extension=st.sampled_from(EXTENSIONS), where=where_, bad=st.binary())
def test_control_characters_and_encoding_errors(
    text: str, extension: str, where: str, bad: bytes
) -> None:
    """Text with control characters, NUL, and bytes that are not UTF-8 spliced in."""
    data = text.encode("utf-8")
    middle = len(data) // 2
    check(*read(data[:middle] + bad + data[middle:], extension, where))


@FUZZ
@given(
    text=st.one_of(any_text, control_text, st.just(""), st.just("\ud800 lone surrogate")),
    source=st.one_of(st.none(), control_text),
    title=st.one_of(st.none(), control_text, st.integers()),
    published=st.one_of(st.none(), date_strings),
    article_id=st.one_of(st.none(), control_text, st.integers(-(10**30), 10**30)),
    ascii_only=st.booleans(),
    where=where_,
)
def test_jsonl_records(
    text: str,
    source: str | None,
    title: str | int | None,
    published: str | None,
    article_id: str | int | None,
    ascii_only: bool,
    where: str,
) -> None:
    record = {"id": article_id, "published": published, "source": source, "title": title}
    record["text"] = text
    data = json.dumps(record, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") + b"\n"
    articles = check(*read(data, ".jsonl", where))
    for article in articles:  # a correct article: the text as given, the source cleaned
        assert article.text == text
        if source is not None:
            assert article.source == (" ".join(source.translate(CONTROL_TO_SPACE).split()) or None)


CONTROL_TO_SPACE = {c: " " for c in [*range(0x20), *range(0x7F, 0xA0)]}


@FUZZ
@given(
    source=control_text,
    day=date_strings,
    body=st.one_of(any_text, control_text, st.just("")),
    where=where_,
)
def test_text_headers(source: str, day: str, body: str, where: str) -> None:
    header = f" date {day[:10]} {day[:10]} 09:41:12 - From: {source}\n"
    check(*read((header + body).encode("utf-8"), ".txt", where))


@FUZZ
@given(
    title=control_text,
    description=st.one_of(any_text, control_text),
    published=date_strings,
    where=where_,
)
def test_rss_entries(title: str, description: str, published: str, where: str) -> None:
    def xml(value: str) -> str:
        return escape("".join(c for c in value if c >= " " or c in "\t\n\r"))

    feed = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{xml(title)}</title><item><title>{xml(title)}</title>"
        f"<description>{xml(description)}</description><pubDate>{xml(published)}</pubDate>"
        "</item></channel></rss>"
    )
    check(*read(feed.encode("utf-8"), ".rss", where))


@FUZZ
@given(
    depth=st.integers(0, 3000),
    tag=st.sampled_from(["div", "b", "p", "span", "table", "script", "section"]),
    words=any_text,
    script=st.booleans(),
    where=where_,
)
def test_html_nesting_and_scripts(
    depth: int, tag: str, words: str, script: bool, where: str
) -> None:
    inner = f"<p>{escape(words)} The report was published on the ministry's site today.</p>"
    if script:
        inner = f"<script>alert('x')</script>{inner}<script>document.write(1)</script>"
    page = f"<html><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}</body></html>"
    for article in check(*read(page.encode("utf-8"), ".html", where)):
        assert "alert(" not in article.text and "document.write" not in article.text


# --- fixed hostile cases ------------------------------------------------------------------------

NESTED = "[" * 100_000 + "]" * 100_000
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><title>t</title><item><title>&e;</title>'
    "<description>&e; leaked</description></item></channel></rss>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><rss version="2.0"><channel><item><description>&lol9;</description></item>'
    "</channel></rss>"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss version="2.0">'
    "<channel><item><description>plain entry</description></item></channel></rss>"
)
TEN_MILLION = "word " * 2_000_000
FIXED: dict[str, tuple[str, bytes, str]] = {
    # name: (extension, data, what it must give: "rejected", "article" or "either"; "file
    # rejected": rejected as a file, and on stdin, where "[" is sniffed as plain text, either)
    "jsonl nested 100,000 arrays": (".jsonl", NESTED.encode() + b"\n", "file rejected"),
    "jsonl text nested 100,000 arrays": (
        ".jsonl",
        b'{"text": ' + NESTED.encode() + b"}\n",
        "rejected",
    ),
    "jsonl object nested 100,000": (
        ".jsonl",
        b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"\n",
        "rejected",
    ),
    "jsonl huge integer id": (
        ".jsonl",
        b'{"text": "x", "id": ' + b"9" * 100_000 + b"}\n",
        "rejected",
    ),
    "jsonl huge float": (".jsonl", b'{"text": "x", "title": 1e999999}\n', "rejected"),
    "jsonl NaN": (".jsonl", b'{"text": NaN}\n', "rejected"),
    "jsonl NUL escape": (".jsonl", b'{"text": "a\\u0000b"}\n', "rejected"),
    "jsonl lone surrogate": (".jsonl", b'{"text": "a\\ud800b"}\n', "rejected"),
    "jsonl year 0": (".jsonl", b'{"text": "x", "published": "0000-01-01"}\n', "rejected"),
    "jsonl year 99999": (".jsonl", b'{"text": "x", "published": "99999-01-01"}\n', "rejected"),
    "jsonl RFC 822 year 0": (
        ".jsonl",
        b'{"text": "x", "published": "Mon, 01 Jan 0000 10:00:00 GMT"}\n',
        "rejected",
    ),
    "jsonl 10 million characters": (
        ".jsonl",
        json.dumps({"text": TEN_MILLION}).encode() + b"\n",
        "rejected",
    ),
    "txt header year 0": (
        ".txt",
        b" date 0000-01-01 0000-01-01 00:00:00 - From: X\nbody",
        "rejected",
    ),
    "txt header year 99999": (
        ".txt",
        b" date 99999-01-01 99999-01-01 00:00:00 - From: X\nbody",
        "rejected",
    ),
    "txt 0 characters": (".txt", b"", "rejected"),
    "txt only white space": (".txt", b" \n\t\r\n", "rejected"),
    "txt 10 million characters": (".txt", TEN_MILLION.encode(), "rejected"),
    "txt NUL byte": (".txt", b"some text\x00more", "rejected"),
    "txt Latin-1": (".txt", "Café in Mosul".encode("latin-1"), "rejected"),
    "rss XXE": (".rss", XXE.encode(), "rejected"),
    "rss billion laughs": (".rss", LAUGHS.encode(), "rejected"),
    "rss external DTD": (".rss", EXTERNAL_DTD.encode(), "either"),
    "rss year 0": (
        ".rss",
        b'<rss version="2.0"><channel><item><description>entry</description>'
        b"<pubDate>0000-01-01T00:00:00Z</pubDate></item></channel></rss>",
        "article",
    ),
    "rss 10 million characters": (
        ".rss",
        b'<rss version="2.0"><channel><item><description>'
        + TEN_MILLION.encode()
        + b"</description></item></channel></rss>",
        "rejected",
    ),
    "html 10,000 nested tags": (
        ".html",
        b"<html><body>"
        + b"<div>" * 10_000
        + b"<p>text</p>"
        + b"</div>" * 10_000
        + b"</body></html>",
        "either",
    ),
    "html 10,000 unclosed tags": (".html", b"<html><body>" + b"<b><i>" * 5_000, "either"),
    "html scripts only": (
        ".html",
        b"<html><head><script>alert(1)</script></head><body><script>alert(2)</script></body></html>",
        "rejected",
    ),
    "html 10 million characters": (
        ".html",
        b"<html><body><p>" + TEN_MILLION.encode() + b"</p></body></html>",
        "rejected",
    ),
    "html XXE": (".html", XXE.replace("rss", "html").encode(), "either"),
    # every kind of encoding error
    "txt UTF-16 with BOM": (".txt", "A made-up report.".encode("utf-16"), "rejected"),
    "txt UTF-32 with BOM": (".txt", "A made-up report.".encode("utf-32"), "rejected"),
    "txt UTF-16 without BOM": (".txt", "A made-up report.".encode("utf-16-le"), "rejected"),
    "txt overlong slash": (".txt", b"A made-up \xc0\xaf report.", "rejected"),
    "txt encoded surrogate": (".txt", b"A made-up \xed\xa0\x80 report.", "rejected"),
    "txt truncated sequence at the end": (".txt", b"A made-up report \xe2\x82", "rejected"),
    "txt invalid start byte": (".txt", b"A made-up \xff report.", "rejected"),
    "txt above U+10FFFF": (".txt", b"A made-up \xf4\x90\x80\x80 report.", "rejected"),
    "jsonl Latin-1 line": (".jsonl", '{"text": "Café in Mosul"}\n'.encode("latin-1"), "rejected"),
    "jsonl raw NUL byte": (".jsonl", b'{"text": "a\x00b"}\n', "rejected"),
    "rss NUL byte": (
        ".rss",
        b'<rss version="2.0"><channel><item><description>a\x00b</description></item>'
        b"</channel></rss>",
        "rejected",
    ),
    "rss declares an unknown encoding": (
        ".rss",
        b'<?xml version="1.0" encoding="x-no-such"?><rss version="2.0"><channel><item>'
        b"<description>Caf\xe9 in Mosul</description></item></channel></rss>",
        "rejected",
    ),
    "rss declares Latin-1 and is": (
        ".rss",
        b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><item>'
        b"<description>A made-up caf\xe9 report from Mosul.</description></item></channel></rss>",
        "either",
    ),
    "html says UTF-8 and is not": (
        ".html",
        b'<html><head><meta charset="utf-8"></head><body><p>Caf\xe9 in Mosul.</p></body></html>',
        "rejected",
    ),
    # 0 characters in every format
    "jsonl 0 bytes": (".jsonl", b"", "rejected"),
    "jsonl empty text": (".jsonl", b'{"text": ""}\n', "rejected"),
    "rss 0 bytes": (".rss", b"", "rejected"),
    "rss empty entry": (
        ".rss",
        b'<rss version="2.0"><channel><item><description></description></item></channel></rss>',
        "rejected",
    ),
    "html 0 bytes": (".html", b"", "rejected"),
    "html empty body": (".html", b"<html><body></body></html>", "rejected"),
}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("case", sorted(FIXED))
def test_fixed_hostile_cases(case: str, where: str) -> None:
    extension, data, expected = FIXED[case]
    name, items = read(data, extension, where)
    articles = check(name, items)
    if expected == "rejected" or (expected == "file rejected" and where == "file"):
        assert not articles, f"{case}: expected a rejection, got {articles[0]!r:.200}"
    elif expected == "article":
        assert articles, f"{case}: expected an article, got {items}"


def test_rejections_say_why() -> None:
    """The reasons are specific: a defect that gave a vague reason would fail here."""
    reasons = {
        case: read(FIXED[case][1], FIXED[case][0], "file")[1][0].reason  # type: ignore[union-attr]
        for case in (
            "jsonl lone surrogate",
            "jsonl NUL escape",
            "jsonl nested 100,000 arrays",
            "rss XXE",
            "txt 10 million characters",
            "jsonl RFC 822 year 0",
        )
    }
    assert "surrogate" in reasons["jsonl lone surrogate"]
    assert "NUL" in reasons["jsonl NUL escape"]
    assert "JSON" in reasons["jsonl nested 100,000 arrays"]
    assert "ENTITY" in reasons["rss XXE"]
    assert "1,000,000" in reasons["txt 10 million characters"]
    assert "year" in reasons["jsonl RFC 822 year 0"]


def test_control_characters_leave_metadata_clean() -> None:
    data = " date 2025-03-14 2025-03-14 09:41:12 - From: Tigris\x1b[31m Wire\x07\nBody text.\n"
    name, items = read(data.encode(), ".txt", "file")
    (article,) = check(name, items)
    assert article.source == "Tigris [31m Wire"
    assert article.published == "2025-03-14T09:41:12"


# --- 100 MB lines: streamed, rejected, memory bounded -------------------------------------------

HUNDRED_MB = 100 * 1000 * 1000


class LongLine(io.RawIOBase):
    """`head`, then `size` bytes of "a", then `tail`, made as they are read (never held whole)."""

    def __init__(self, head: bytes, size: int, tail: bytes) -> None:
        super().__init__()
        self._parts = [head, b"", tail]
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._parts[0]:
            chunk, self._parts[0] = self._parts[0][: len(view)], self._parts[0][len(view) :]
        elif self._left:
            chunk = b"a" * min(len(view), self._left)
            self._left -= len(chunk)
        else:
            chunk, self._parts[2] = self._parts[2][: len(view)], self._parts[2][len(view) :]
        view[: len(chunk)] = chunk
        return len(chunk)


GOOD_LINE = json.dumps({"text": "A made-up report read after the long line."}).encode() + b"\n"


@pytest.mark.parametrize(
    ("kind", "head", "tail", "expected"),
    [
        ("jsonl", b'{"text": "', b'"}\n' + GOOD_LINE, "line longer than 16,777,216 bytes"),
        ("jsonl, no newline", b'{"text": "', b"", "line longer than 16,777,216 bytes"),
        ("text", b"A made-up report that never ends ", b"\n", "too large"),
        ("html", b"<html><body><p>", b"</p></body></html>", "too large"),
        ("rss", b'<rss version="2.0"><channel><item><description>', b"</description>", "too large"),
    ],
)
def test_100_mb_line_on_stdin(kind: str, head: bytes, tail: bytes, expected: str) -> None:
    """A 100 MB line is rejected, with its line number for JSON Lines (and the next line still
    read), within the time limit and without holding it in memory (under 40 MB at peak)."""
    stream = io.BufferedReader(LongLine(head, HUNDRED_MB, tail))
    tracemalloc.start()
    try:
        with time_limit(SECONDS, f"a 100 MB {kind} line"):
            items = list(read_inputs(["-"], stdin=stream))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000, f"{peak:,} bytes held reading a 100 MB line"
    articles = check(STDIN_ORIGIN, items)
    rejection = items[0]
    assert isinstance(rejection, Rejection) and expected in rejection.reason, rejection
    if kind == "jsonl":
        assert rejection.origin == f"{STDIN_ORIGIN}:1"
        assert [a.origin for a in articles] == [f"{STDIN_ORIGIN}:2"]
    else:
        assert not articles


def test_100_mb_line_in_a_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(b'{"text": "')
        block = b"a" * 1_000_000
        for _ in range(HUNDRED_MB // len(block)):
            out.write(block)
        out.write(b'"}\n' + GOOD_LINE)
    with time_limit(SECONDS, "a 100 MB line in a file"):
        items = list(read_inputs([str(path)]))
    articles = check(str(path), items)
    assert isinstance(items[0], Rejection) and items[0].origin == f"{path}:1"
    assert [a.origin for a in articles] == [f"{path}:2"]


# --- through the pipeline into a ledger --------------------------------------------------------

NAMES_WITH_CONTROLS = (
    "Salim\x1b[31m Haddad, the mayor\x07 of Tikrit, said on Monday that the road would reopen "
    'by May 2026. "We are ready," said Khalid\x85 Nouri al-Hashimi\x1f, the governor.'
)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def test_hostile_inputs_store_only_whole_articles_without_control_characters(
    tmp_path: Path, resources: Resources
) -> None:
    """Every fixed hostile case (under 1 MB) as a file in one folder, plus a report whose names
    hold control characters: ingest stores exactly the articles the readers accept, each with
    all the records the pipeline extracts from it, none holding a control character (line
    breaks and tabs aside); every other input is rejected with its reason."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for number, case in enumerate(sorted(FIXED)):
        extension, data, _ = FIXED[case]
        if len(data) < 1_000_000:
            (folder / f"{number:02d}{extension}").write_bytes(data)
    (folder / "names.jsonl").write_text(json.dumps({"text": NAMES_WITH_CONTROLS}) + "\n")
    read = list(read_inputs([str(folder)]))
    accepted = [item for item in read if isinstance(item, Article)]
    expected = {e.article.id: e for e in extract_articles(accepted, resources)}
    with open_ledger(tmp_path / "ledger.db") as ledger:
        report = ingest([str(folder)], ledger, resources)
        assert report.stored == len(expected) and len(report.rejected) == len(read) - len(expected)
        assert all(len(r.reason) >= 5 for r in report.rejected)
        for kind in ("events", "quotes", "claims", "deadlines", "entities"):
            stored = Counter(row["article_id"] for row in ledger.iter_rows(kind))
            wanted = Counter({a: len(getattr(e, kind)) for a, e in expected.items()})
            assert stored == +wanted, kind
            for row in ledger.iter_rows(kind):
                for value in strings({k: v for k, v in row.items() if k != "evidence"}):
                    assert not has_control(value.replace("\n", "").replace("\t", "")), row
    names = next(e for e in expected.values() if e.article.origin.endswith("names.jsonl:1"))
    speakers = {q.speaker for q in names.quotes}
    assert any(s and s.startswith("Salim") for s in speakers), speakers
