"""The parts of `newsledger watch` without the pipeline: the configuration's errors, the fetcher's
limits (robots.txt, per-host rate, conditional requests) against a server on 127.0.0.1, the rules,
and the state kept in the ledger on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsledger.records import Article, Extraction
from newsledger.store import open_ledger
from newsledger.watch import state
from newsledger.watch.config import ConfigError, HttpSettings, Rule, Source, load_config
from newsledger.watch.fetch import Disallowed, Fetcher, FetchError
from newsledger.watch.rules import matches
from newsledger.watch.run import backoff
from newsledger.watch.sources import poll
from tests.helpers.paths import REPO

MINIMAL = '[[source]]\nname = "inbox"\nfolder = "/srv/reports"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"source: no \[\[source\]\] given"),
        ("[[source]]\nfeed = 'https://x.example/rss'\n", r"\[\[source\]\] #1: name: missing"),
        (
            "[[source]]\nname = 'a'\nfeed = 'ftp://x.example/rss'\n",
            r"#1: feed: expected an http:// or https:// URL",
        ),
        (
            "[[source]]\nname = 'a'\nfeed = 'https://x.example'\nfolder = '/tmp'\n",
            "give exactly one of feed, sitemap, folder",
        ),
        (MINIMAL + "[[source]]\nname = 'inbox'\nfolder = '/tmp'\n", "'inbox' is used twice"),
        (MINIMAL + "interval = 'often'\n", r"\[\[source\]\] #1: interval: unknown key"),
        ("interval = 'often'\n" + MINIMAL, "interval: expected an integer or a number"),
        (MINIMAL + "[[rule]]\nname = 'r'\n", r"\[\[rule\]\] #1: a rule needs at least one"),
        (
            MINIMAL + "[[rule]]\nname = 'r'\nchange = ['deadline moved']\n"
            "[[output]]\ntype = 'terminal'\n",
            "'deadline moved' is not a change kind",
        ),
        (
            MINIMAL + "[[rule]]\nname = 'r'\nbbox = [44, 35, 43, 36]\n"
            "[[output]]\ntype = 'terminal'\n",
            r"#1: bbox: not a box",
        ),
        (MINIMAL + "[[rule]]\nname = 'r'\nkeyword = 'dam'\n", "no \\[\\[output\\]\\] to deliver"),
        (MINIMAL + "[[output]]\ntype = 'webhook'\n", r"\[\[output\]\] #1: url: missing"),
        (MINIMAL + "[[output]]\ntype = 'pigeon'\n", "type: expected one of terminal"),
        (MINIMAL + "[http]\ntimeout = 0\n", r"\[http\] timeout: must be at least 0.1"),
        ("source = [", "not valid TOML"),
    ],
)
def test_config_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))


def test_config_defaults_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(
        MINIMAL + '[[rule]]\nname = "who"\nspeaker = "Haddad"\n[[output]]\ntype = "terminal"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.sources[0].kind == "folder" and config.interval == 900
    assert config.rules[0].records == ("quote", "claim", "deadline", "change")
    assert config.outputs[0].name == "terminal"
    with pytest.raises(ConfigError, match=r"nowhere\.toml: cannot be read"):
        load_config(tmp_path / "nowhere.toml")


EVENT = {
    "id": "a-1",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "actor1": "Military Forces of Iraq",
    "actor2": "Islamic State (Iraq)",
    "location": "Hawija",
    "admin1": "Kirkuk",
    "country": "Iraq",
    "latitude": 35.32,
    "longitude": 43.77,
    "fatalities": 4,
    "evidence": {"text": "Jets struck a hideout near Hawija, killing four militants."},
    "article": {"id": "a"},
}


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"event_type": "air/drone strike", "place": "kirkuk"}, True),
        ({"event_type": "Explosions/Remote violence"}, True),
        ({"event_type": "Battles"}, False),
        ({"place": "Nineveh"}, False),
        ({"bbox": (43.0, 35.0, 44.5, 36.0)}, True),
        ({"bbox": (40.0, 30.0, 41.0, 31.0)}, False),
        ({"actor": "islamic state"}, True),
        ({"min_fatalities": 5}, False),
        ({"min_fatalities": 4}, True),
        ({"keyword": "hideout"}, True),
        ({"keyword": "hide"}, False),  # whole words only
    ],
)
def test_event_rules(conditions: dict[str, Any], expected: bool) -> None:
    rule = Rule(name="r", records=("event",), **conditions)
    assert matches(rule, "event", EVENT) is expected


def test_change_and_speaker_rules() -> None:
    change = {
        "kind": "deadline differs",
        "speaker": "Khalid Nouri al-Hashimi",
        "why": "by 2026-09 against by 2027-12-31",
        "earlier": {"record": {"evidence": {"text": "by September 2026"}}},
        "later": {"record": {"evidence": {"text": "by the end of 2027"}}},
    }
    assert matches(Rule("r", ("change",), change=("deadline differs",)), "change", change)
    assert not matches(Rule("r", ("change",), change=("stance changed",)), "change", change)
    assert matches(Rule("r", ("change",), speaker="al-hashimi"), "change", change)
    assert matches(Rule("r", ("change",), keyword="end of 2027"), "change", change)
    assert not matches(Rule("r", ("event",), change=("deadline differs",)), "change", change)


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [backoff(n, 60, 300) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]


@pytest.fixture()
def server() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    hits: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            hits.append((self.path, headers))
            if self.path == "/robots.txt":
                status, body, extra = 200, b"User-agent: *\nDisallow: /closed/\n", {}
            elif headers.get("if-modified-since") == "Tue, 10 Mar 2026 08:00:00 GMT":
                status, body, extra = 304, b"", {}
            else:
                status, body = 200, b"<rss/>"
                extra = {"Last-Modified": "Tue, 10 Mar 2026 08:00:00 GMT"}
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def test_fetcher_waits_its_turn_per_host_and_asks_conditionally(
    server: tuple[str, list[tuple[str, dict[str, str]]]],
) -> None:
    base, hits = server
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    settings = HttpSettings(user_agent="nl-test/1", host_interval=5.0)
    with Fetcher(settings, clock=lambda: now[0], sleep=sleep) as fetcher:
        first = fetcher.get(f"{base}/feed.xml")
        assert first.status == 200 and first.body == b"<rss/>"
        again = fetcher.get(f"{base}/feed.xml", last_modified=first.last_modified)
        assert again.status == 304 and again.body == b""
        with pytest.raises(Disallowed, match=r"closed/page\.html: robots\.txt disallows"):
            fetcher.get(f"{base}/closed/page.html")
        with pytest.raises(FetchError, match="ConnectError"):
            fetcher.get("http://127.0.0.1:9/feed.xml")
    # robots.txt, then the feed 5 s later, then the conditional request 5 s after that
    assert [p for p, _ in hits] == ["/robots.txt", "/feed.xml", "/feed.xml"]
    assert slept == [5.0, 5.0]
    assert {h["user-agent"] for _, h in hits} == {"nl-test/1"}


def test_watch_state_survives_reopening(ledger_url: str) -> None:
    with open_ledger(ledger_url) as ledger:
        source = state.source_state(ledger, "tigris", "feed", "https://x.example/rss")
        assert source.failures == 0 and source.etag is None
        source.etag, source.failures, source.next_try = '"v2"', 2, 1234.5
        state.save_source(ledger, source)
        article = Article("art-1", "Tigris Wire", "2026-03-10", None, None, "Text.", "Text.")
        ledger.store(Extraction(article, (), (), (), (), ()))
        state.mark_seen(ledger, "tigris", "https://x.example/1", "1 article", ["art-1"], 1000.0)
        state.mark_seen(ledger, "tigris", "https://x.example/1", "again", ["art-1"], 1001.0)
        assert state.unmatched(ledger) == ["art-1"]
        alert = {"rule": "r", "summary": "s", "evidence": "Text."}
        made = state.record_matches(
            ledger, "art-1", [("r", "event", "art-1-1", alert)], ["jsonl", "hook"], 1000.0
        )
        assert made == 1
    with open_ledger(ledger_url) as ledger:  # a restart
        source = state.source_state(ledger, "tigris", "feed", "https://x.example/rss")
        assert (source.etag, source.failures, source.next_try) == ('"v2"', 2, 1234.5)
        assert state.is_seen(ledger, "tigris", "https://x.example/1")
        assert not state.is_seen(ledger, "basra", "https://x.example/1")
        assert state.unmatched(ledger) == []
        # matching the same record again makes no second alert
        again = state.record_matches(
            ledger, "art-1", [("r", "event", "art-1-1", {"rule": "r"})], ["jsonl", "hook"], 2000.0
        )
        assert again == 0
        due = state.pending(ledger, 1000.0)
        assert sorted(d.output for d in due) == ["hook", "jsonl"]
        assert due[0].alert == alert and due[0].day == "1970-01-01"
        hook = next(d for d in due if d.output == "hook")
        state.mark_failed(ledger, [hook.id], "HTTP 500", 1100.0)
        state.mark_sent(ledger, [d.id for d in due if d.output == "jsonl"], 1000.0)
        assert state.pending(ledger, 1050.0) == []
        (retry,) = state.pending(ledger, 1100.0)
        assert retry.output == "hook" and retry.attempts == 1
        (history,) = state.alert_history(ledger)
        by_output = {d["output"]: d for d in history["deliveries"]}
        assert by_output["jsonl"]["status"] == "sent"
        assert by_output["hook"]["status"] == "pending"
        assert by_output["hook"]["last_error"] == "HTTP 500"


def test_the_readme_config_is_valid(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Monitoring", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "watch.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert [s.kind for s in config.sources] == ["feed", "feed"]
    assert [r.name for r in config.rules] == ["kirkuk-airstrikes", "deadline-moved"]
    assert config.rules[0].records == ("event",) and config.rules[1].change == ("deadline differs",)
    assert [o.type for o in config.outputs] == ["terminal", "jsonl", "webhook", "email"]
    assert config.outputs[3].digest and config.outputs[3].port == 587


def test_a_folder_gives_each_new_file_once_and_a_missing_one_fails(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("Police in Basra arrested two men on Friday.\n")
    (inbox / "sub" / "b.jsonl").write_text(
        '{"id": "b-1", "text": "Salim Haddad said the council would meet."}\n'
        '{"id": "b-2", "text": "The council met on Monday."}\n'
    )
    (inbox / ".a-partial.txt").write_text("half written")
    (inbox / "notes.doc").write_text("not an input")
    source = Source("inbox", "folder", str(inbox))
    settings = HttpSettings()
    with Fetcher(settings) as fetcher:
        found = list(poll(source, fetcher, lambda key: key == "a.txt").items)
        assert [item.key for item in found] == [str(Path("sub", "b.jsonl"))]
        assert [a.id for a in found[0].results if isinstance(a, Article)] == ["b-1", "b-2"]
        with pytest.raises(FetchError, match="nowhere: not a folder"):
            poll(Source("gone", "folder", str(tmp_path / "nowhere")), fetcher, lambda key: False)
