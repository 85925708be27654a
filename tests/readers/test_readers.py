"""The read stage: files, folders and stdin in every format -> Article records or Rejections."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import warnings
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.errors import Rejection
from newsledger.readers import article_id, read_inputs
from newsledger.readers.dates import MessyDateWarning
from newsledger.readers.header_text import strip_dateline
from newsledger.readers.inputs import MAX_FILE_BYTES, MAX_LINE_BYTES, MAX_TEXT_CHARS, sniff_format
from newsledger.records import Article, OffsetMap

FIXTURES = Path(__file__).parent / "fixtures"


def read(*paths: str | Path, stdin: BinaryIO | None = None) -> list[Article | Rejection]:
    return list(read_inputs([str(p) for p in paths], stdin=stdin))


def articles(items: list[Article | Rejection]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def rejections(items: list[Article | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


def only_rejection(*paths: str | Path) -> Rejection:
    items = read(*paths)
    assert len(items) == 1, items
    assert isinstance(items[0], Rejection), items[0]
    return items[0]


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


HEADER = " date 2031-03-04 2031-03-05 08:15:00 - From: Northwind Wire\n\n"
STORY = (
    "Northwind Wire/ A made-up patrol crossed the invented Glass River on Monday, officials said."
)


# -- ids -------------------------------------------------------------------------------------


def test_article_id_is_sha256_of_the_stripped_text() -> None:
    expected = hashlib.sha256(b"A made-up report.").hexdigest()[:16]
    assert article_id("A made-up report.") == expected
    assert article_id("\n  A made-up report.\t\n") == expected
    assert article_id("A made-up report!") != expected
    assert len(expected) == 16


# -- plain text ------------------------------------------------------------------------------


def test_seed_format_header_and_dateline() -> None:
    path = FIXTURES / "seed_format.txt"
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.source == "Northwind Wire"
    assert article.published == "2031-03-05T08:15:00"
    assert article.text.startswith("Two patrols of the fictional Lantern Brigade")
    assert "Northwind Wire/" not in article.text
    assert "date 2031" not in article.text
    assert article.text.endswith("by June 2031.")
    assert article.text == article.raw_text
    assert article.id == article_id(article.raw_text)
    assert article.offsets == OffsetMap()
    assert article.origin == str(path)
    assert (article.url, article.title) == (None, None)


def test_plain_text_without_header() -> None:
    [article] = read(FIXTURES / "plain.txt")
    assert isinstance(article, Article)
    assert (article.source, article.published) == (None, None)
    assert article.text.startswith("A convoy carrying water")
    assert "\n\nThe delay followed" in article.text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Shafaq News/ Gunmen attacked.", "Gunmen attacked."),
        ("BAGHDAD/ Gunmen attacked.", "Gunmen attacked."),
        ("Erbil, Iraq/ Gunmen attacked.", "Gunmen attacked."),
        ("AC/DC played in the invented city.", "AC/DC played in the invented city."),
        ("the US/ Iraq talks resumed.", "the US/ Iraq talks resumed."),
        ("Gunmen attacked a post, said A/ B.", "Gunmen attacked a post, said A/ B."),
    ],
)
def test_strip_dateline(body: str, expected: str) -> None:
    assert strip_dateline(body) == expected


def test_header_with_bom_and_crlf(tmp_path: Path) -> None:
    data = "\ufeff" + (HEADER + STORY + "\n").replace("\n", "\r\n")
    [article] = read(write(tmp_path / "crlf.txt", data))
    assert isinstance(article, Article)
    assert article.published == "2031-03-05T08:15:00"
    assert article.source == "Northwind Wire"
    assert article.text.startswith("A made-up patrol")
    assert article.text.endswith("officials said.")


# -- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_ids_kept_or_hashed_and_dates_normalised() -> None:
    path = FIXTURES / "articles.jsonl"
    items = read(path)
    assert rejections(items) == []
    first, second, third = articles(items)
    assert first.id == "made-up-001"
    assert (first.source, first.url, first.title) == (
        "Example Gazette",
        "https://example.org/a/1",
        "Checkpoint handed over",
    )
    assert first.published == "2031-04-01"
    assert first.origin == f"{path}:1"
    assert second.id == article_id(second.text)
    assert second.published == "2031-04-02T17:30:00+03:00"
    assert second.origin == f"{path}:3"  # line 2 is blank
    assert third.id == "made-up-003"
    assert third.published == "2031-04-03T09:00:00"
    assert third.title is None
    assert all(a.text == a.raw_text for a in (first, second, third))


def test_jsonl_bad_lines_rejected_and_the_rest_read(tmp_path: Path) -> None:
    good = {"text": "A made-up clash was reported near the invented town of Dunmore."}
    lines = [
        json.dumps(good),
        "this is not json",
        "[1, 2, 3]",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Fine text.", "published": "2024-13-45"}),
        json.dumps({"text": "Fine text.", "title": ["a", "list"]}),
        json.dumps({"id": 7, "text": "Another made-up report from Dunmore."}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article"] + ["Rejection"] * 7 + ["Article"]
    reasons = {r.origin: r.reason for r in rejections(items)}
    assert reasons[f"{path}:2"].startswith("not JSON: Expecting value at column 1")
    assert reasons[f"{path}:3"] == "not a JSON object (found a list)"
    assert "no 'text' field" in reasons[f"{path}:4"]
    assert reasons[f"{path}:5"] == "'text' is a number, not a string"
    assert reasons[f"{path}:6"] == "'text' is empty"
    assert "2024-13-45" in reasons[f"{path}:7"]
    assert "impossible date" in reasons[f"{path}:7"]
    assert reasons[f"{path}:8"] == "'title' is a list, not a string"
    last = items[-1]
    assert isinstance(last, Article)
    assert last.id == "7"
    assert str(items[1]) == f"{path}:2: {reasons[f'{path}:2']}"


def test_jsonl_line_not_utf8_names_line_and_byte_offset(tmp_path: Path) -> None:
    first = json.dumps({"text": "Made-up report one."}).encode() + b"\n"
    second = b'{"text": "Caf\xe9 bombing in the invented town."}\n'
    path = write(tmp_path / "latin.jsonl", first + second)
    items = read(path)
    assert isinstance(items[0], Article)
    rejection = items[1]
    assert isinstance(rejection, Rejection)
    assert rejection.origin == f"{path}:2"
    offset = len(first) + second.index(b"\xe9")
    assert f"byte 0xE9 at byte offset {offset}" in rejection.reason
    assert "not UTF-8" in rejection.reason
    assert "iconv" in rejection.reason


def test_jsonl_line_longer_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(b'{"text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}\n')
        out.write(json.dumps({"text": "A short made-up report after the long line."}).encode())
    items = read(path)
    assert len(items) == 2
    assert isinstance(items[0], Rejection)
    assert items[0].origin == f"{path}:1"
    assert "longer than 16,777,216 bytes" in items[0].reason
    assert isinstance(items[1], Article)
    assert items[1].origin == f"{path}:2"


def test_text_longer_than_spacy_max_length(tmp_path: Path) -> None:
    long_text = "word " * (MAX_TEXT_CHARS // 5 + 1)
    path = write(tmp_path / "big.jsonl", json.dumps({"text": long_text}) + "\n")
    rejection = only_rejection(path)
    assert rejection.origin == f"{path}:1"
    assert "1,000,005 characters" in rejection.reason
    assert "1,000,000" in rejection.reason
    [ok] = read(write(tmp_path / "ok.txt", "x" * MAX_TEXT_CHARS))
    assert isinstance(ok, Article)


def test_jsonl_streams_without_reading_the_whole_input() -> None:
    line = json.dumps({"text": "A made-up line of news. " * 40}).encode() + b"\n"
    data = line * (4 * 1024 * 1024 // len(line))
    stream = CountingStream(data)
    items = read_inputs(["-"], stdin=cast(BinaryIO, stream))
    first = next(items)
    assert isinstance(first, Article)
    assert first.origin == "<stdin>:1"
    assert stream.consumed < len(data) // 2
    assert sum(1 for _ in items) + 1 == len(data) // len(line)


class CountingStream(io.RawIOBase):
    """A non-seekable byte stream (like a pipe) that counts what was read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = io.BytesIO(data)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        chunk = self._data.read(size)
        self.consumed += len(chunk)
        return chunk


# -- feeds -----------------------------------------------------------------------------------


def test_rss_entries_content_over_summary_html_stripped() -> None:
    path = FIXTURES / "feed.rss"
    items = read(path)
    bridge, curfew = articles(items)
    assert bridge.source == "Imaginary Frontier Monitor"
    assert bridge.title == "Bridge reopened at Millbrook"
    assert bridge.url == "https://frontier.example/news/bridge-reopened"
    assert bridge.published == "2031-05-06T10:20:00+00:00"
    assert bridge.text == (
        "Engineers of the invented River Corps reopened the Millbrook bridge on Tuesday.\n\n"
        'The governor said traffic would resume & markets would reopen "within days".'
    )
    assert bridge.id == article_id(bridge.text)
    assert curfew.text == "Authorities in the fictional city of Greyhaven lifted a night curfew."
    assert curfew.published == "2031-05-07T06:00:00+02:00"
    [empty] = rejections(items)
    assert empty.origin == str(path)
    assert empty.reason == "entry 3 ('Empty item') has no content or summary"


def test_atom_entry() -> None:
    [article] = read(FIXTURES / "feed.atom")
    assert isinstance(article, Article)
    assert article.source == "Made-Up Desk"
    assert article.url == "https://desk.example/ceasefire"
    assert article.published == "2031-06-01T12:00:00+00:00"
    assert article.text == (
        "Envoys of two invented factions postponed ceasefire talks in Lakeport.\n\n"
        "First point\n\nSecond point"
    )


def test_an_unreadable_date_is_read_once_without_feedparsers_fallback(tmp_path: Path) -> None:
    """feedparser answers a missing `updated` with `published` (deprecated, with a warning)."""
    path = write(
        tmp_path / "dateless.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title><item>'
        "<title>Market reopens</title><pubDate>the day after the storm</pubDate>"
        "<description>Traders in the invented town of Saltmere reopened it.</description>"
        "</item></channel></rss>",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [article] = read(path)
    assert isinstance(article, Article) and article.published is None
    # only the one warning that the date was not read (issue 13), not feedparser's
    assert [w.category for w in caught] == [MessyDateWarning]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title>
<item><title>x</title><description>&lol3;</description></item></channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><title>x</title><description>&secret;</description></item></channel></rss>
"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_feed_declaring_entities_is_refused(tmp_path: Path, document: str) -> None:
    path = write(tmp_path / "evil.rss", document)
    rejection = only_rejection(path)
    assert rejection.origin == str(path)
    assert "declares entities" in rejection.reason


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = write(tmp_path / "note.xml", '<?xml version="1.0"?><note><to>nobody</to></note>')
    rejection = only_rejection(path)
    assert "no entries" in rejection.reason or "not a readable" in rejection.reason


def test_feed_in_a_declared_legacy_encoding(tmp_path: Path) -> None:
    feed = (FIXTURES / "feed.rss").read_text(encoding="utf-8")
    feed = feed.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        "Greyhaven", "Grëyhaven"
    )
    items = read(write(tmp_path / "legacy.rss", feed.encode("latin-1")))
    assert "Authorities in the fictional city of Grëyhaven" in articles(items)[1].text


# -- HTML ------------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata() -> None:
    [article] = read(FIXTURES / "page.html")
    assert isinstance(article, Article)
    assert article.title == "Militia leaves Fernhill base"
    assert article.source == "The Example Courier"
    assert article.url == "https://courier.example/2021/07/14/fernhill"
    assert article.published == "2021-07-14"
    assert "Fighters of the invented Copper Hills militia left the Fernhill base" in article.text
    assert "Lina Marsh" in article.text
    assert "\n\n" in article.text
    assert "All rights reserved" not in article.text
    assert "Sport" not in article.text


@pytest.mark.parametrize(
    "body",
    ["", "<script>var page = 1;</script>", "<div>   </div><img src='x.png'>"],
    ids=["empty", "script-only", "image-only"],
)
def test_html_without_main_text(tmp_path: Path, body: str) -> None:
    page = f"<html><head><title>Nothing here</title></head><body>{body}</body></html>"
    rejection = only_rejection(write(tmp_path / "empty.html", page))
    assert rejection.reason == "no main text found in the HTML page (nothing to read)"


def test_html_in_a_declared_legacy_encoding(tmp_path: Path) -> None:
    page = (FIXTURES / "page.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("Lina Marsh", "Lína Marsh")
    [article] = read(write(tmp_path / "legacy.html", page.encode("cp1252")))
    assert isinstance(article, Article)
    assert "Lína Marsh" in article.text


# -- folders, sniffing, stdin ----------------------------------------------------------------


def test_folder_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    (root / "b_sub").mkdir(parents=True)
    (root / "a_sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    write(root / "c.txt", "Made-up report C from the invented port.")
    write(root / "b_sub" / "x.TXT", "Made-up report X.")
    write(root / "a_sub" / "deeper" / "z.txt", "Made-up report Z.")
    write(root / "a_sub" / "y.jsonl", json.dumps({"id": "y1", "text": "Made-up report Y."}))
    write(root / "a.htm", (FIXTURES / "page.html").read_bytes())
    write(root / "notes.md", "Not an article format: skipped silently.")
    write(root / "data.bin", b"\x00\x01\x02")
    write(root / ".draft.txt", "Hidden: skipped.")
    write(root / ".hidden" / "secret.txt", "Hidden folder: skipped.")
    items = read(root)
    assert rejections(items) == []
    assert [a.origin for a in articles(items)] == [
        str(root / "a.htm"),
        str(root / "a_sub" / "deeper" / "z.txt"),
        str(root / "a_sub" / "y.jsonl") + ":1",
        str(root / "b_sub" / "x.TXT"),
        str(root / "c.txt"),
    ]
    assert read(root) == items  # deterministic


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "readme.md", "nothing to read")
    rejection = only_rejection(tmp_path / "empty")
    assert "no files to read" in rejection.reason
    assert ".jsonl" in rejection.reason


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'{"text": "x"}\n', "jsonl"),
        (b'\xef\xbb\xbf  {"text": 1}', "jsonl"),
        (b" date 2031-01-01 2031-01-01 10:00:00 - From: X\n\nText", "text"),
        (b"Just words.", "text"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"<!DOCTYPE html>\n<html><body>", "html"),
        (b"<html><body><p>x</p></body></html>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
    ],
)
def test_sniff_format(head: bytes, expected: str) -> None:
    assert sniff_format(head) == expected


def test_named_file_with_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    jsonl = write(tmp_path / "export.dat", json.dumps({"id": "d1", "text": "Made-up report."}))
    text = write(tmp_path / "report", HEADER + STORY)
    feed = write(tmp_path / "feed.cgi", (FIXTURES / "feed.atom").read_bytes())
    items = read(jsonl, text, feed)
    assert [a.origin for a in articles(items)] == [f"{jsonl}:1", str(text), str(feed)]
    assert articles(items)[1].source == "Northwind Wire"
    assert articles(items)[2].source == "Made-Up Desk"


def test_stdin_sniffed_and_mixed_with_files() -> None:
    data = (FIXTURES / "articles.jsonl").read_bytes()
    items = read(FIXTURES / "plain.txt", "-", stdin=io.BytesIO(data))
    assert [a.origin for a in articles(items)] == [
        str(FIXTURES / "plain.txt"),
        "<stdin>:1",
        "<stdin>:3",
        "<stdin>:4",
    ]
    assert articles(items)[1].id == "made-up-001"
    [text] = read("-", stdin=io.BytesIO((HEADER + STORY).encode()))
    assert isinstance(text, Article)
    assert (text.origin, text.published) == ("<stdin>", "2031-03-05T08:15:00")
    feed = read("-", stdin=io.BytesIO((FIXTURES / "feed.rss").read_bytes()))
    assert len(articles(feed)) == 2
    empty = read("-", stdin=io.BytesIO(b""))
    assert empty == [Rejection("<stdin>", "empty input")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"", b"{", b"<rss>", b"<html>", b" date 2031-01-01 ", b"\xef\xbb\xbf"]),
    body=st.binary(max_size=300),
)
def test_any_bytes_give_articles_or_rejections_never_exceptions(prefix: bytes, body: bytes) -> None:
    items = read("-", stdin=io.BytesIO(prefix + body))
    assert items
    assert all(isinstance(item, Article | Rejection) for item in items)


# -- bad input -------------------------------------------------------------------------------


def test_missing_path_does_not_stop_the_others(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    items = read(missing, FIXTURES / "plain.txt")
    assert items[0] == Rejection(str(missing), "no such file or folder")
    assert isinstance(items[1], Article)


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    rejection = only_rejection(link)
    assert rejection.origin == str(link)
    assert "broken symbolic link" in rejection.reason
    assert "deleted.txt" in rejection.reason
    folder = tmp_path  # the same link found while walking a folder
    assert read(folder) == [rejection]


def test_path_through_a_file(tmp_path: Path) -> None:
    write(tmp_path / "file.txt", "Made-up.")
    rejection = only_rejection(tmp_path / "file.txt" / "inner.txt")
    assert "not a folder" in rejection.reason


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    rejection = only_rejection(fifo)
    assert "not a regular file" in rejection.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Made-up.")
    path.chmod(0)
    rejection = only_rejection(path)
    assert "permission denied" in rejection.reason


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("binary.txt", b"Made-up\x00\x01\x02 report", "binary file (NUL byte at byte offset 7)"),
        ("binary.jsonl", b"\x00\x00\x00\x01", "binary file (NUL byte at byte offset 0)"),
        ("utf16.txt", "Made-up report.".encode("utf-16"), "UTF-16 text, not UTF-8"),
        ("latin1.html", b"<html><body><p>Caf\xe9</p></body></html>", "byte 0xE9 at byte offset 18"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t\n", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file"),
        ("empty.jsonl", b"\n\n", "empty file"),
        ("empty.rss", b"", "empty file"),
        ("header-only.txt", HEADER.encode(), "no article text after the header"),
        (
            "bad-date.txt",
            b" date 2024-13-45 2024-13-45 10:00:00 - From: Nowhere\n\nMade-up.",
            "impossible date 2024-13-45 00:00",
        ),
        (
            "bad-time.txt",
            b" date 2031-01-01 2031-01-01 25:61:00 - From: Nowhere\n\nMade-up.",
            "impossible date 2031-01-01 25:61:00",
        ),
        (
            "bad-header.txt",
            b" date 2031-01-01 2031-01-01 - Nowhere\n\nMade-up.",
            "header line not understood",
        ),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = write(tmp_path / name, data)
    rejection = only_rejection(path)
    assert rejection.origin == str(path)
    assert expected in rejection.reason


def test_not_utf8_text_names_byte_offset_and_iconv(tmp_path: Path) -> None:
    data = HEADER.encode() + "Made-up café bombing.".encode("latin-1")
    path = write(tmp_path / "latin1.txt", data)
    rejection = only_rejection(path)
    assert rejection.reason.startswith(f"not UTF-8: byte 0xE9 at byte offset {data.index(0xE9)} ")
    assert "iconv -f WINDOWS-1252 -t UTF-8" in rejection.reason


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    [article] = read(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + STORY.encode()))
    assert isinstance(article, Article)
    assert article.text.startswith("A made-up patrol")  # BOM and dateline gone


def test_50_mb_file_rejected_from_its_size(tmp_path: Path) -> None:
    for name in ("huge.txt", "huge.html", "huge.rss", "huge.dat"):
        path = tmp_path / name
        with path.open("wb") as out:
            out.write(b"A made-up report that goes on and on. ")
            out.truncate(50_000_000)  # sparse: costs no disk or time
        started = time.perf_counter()
        rejection = only_rejection(path)
        assert time.perf_counter() - started < 1.0
        assert "too large (50.0 MB, more than the 16 MiB limit" in rejection.reason
    assert MAX_FILE_BYTES == 16 * 1024 * 1024


# -- the shared corpus -----------------------------------------------------------------------


def test_shared_seeds(shared: Path) -> None:
    items = read(shared / "corpus" / "seeds")
    assert rejections(items) == []
    first, second = articles(items)
    assert (first.source, first.published) == ("Shafaq News", "2024-12-19T13:05:28")
    assert (second.source, second.published) == ("Shafaq News", "2025-02-09T12:08:08")
    for article in (first, second):
        assert not article.text.startswith("Shafaq News/")
        assert not article.text.startswith(" date")
        assert article.text[0].isupper()
        assert article.id == article_id(article.text)


def test_shared_guardian_jsonl(shared: Path) -> None:
    path = shared / "corpus" / "guardian_sdf.jsonl"
    items = read(path)
    assert rejections(items) == []
    found = articles(items)
    assert len(found) == 249
    expected_ids = [
        json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line
    ]
    assert [a.id for a in found] == expected_ids
    assert all(a.source == "Guardian" for a in found)
    assert all(a.published and len(a.published) == 10 for a in found)
