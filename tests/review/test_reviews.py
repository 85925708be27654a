"""The review trail in the ledger, on SQLite and PostgreSQL: accounts, saves appended with their
version, conflicts, undo, history, current values overlaid, status filters and the reviewed-only
export."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsledger.records import Article, Extraction
from newsledger.review import accounts
from newsledger.review.quality import quality, write_gold
from newsledger.review.reextract import reextract
from newsledger.store import accounts as store_accounts
from newsledger.store import open_ledger, review_queue, reviews
from newsledger.store import queries as q
from newsledger.store.export import export
from newsledger.store.reviews import ReviewConflict, ReviewError, Save
from newsledger.track import load_tracker, track_article
from tests.helpers.web_ledger import build_ledger, extractions


@pytest.fixture()
def url(ledger_urls: Callable[[str], str]) -> str:
    found = ledger_urls("reviews.db")
    build_ledger(found)  # type: ignore[arg-type]
    return found


def test_accounts_store_only_hashes_and_disable_stops_token(url: str) -> None:
    with open_ledger(url) as ledger:
        made = accounts.add_user(ledger, "rana", "reviewer")
        assert accounts.login(ledger, "rana", made.password) is not None
        assert accounts.login(ledger, "rana", "wrong") is None
        assert accounts.login(ledger, "nobody", made.password) is None
        found = accounts.by_token(ledger, made.token)
        assert found is not None and found.role == "reviewer" and found.can_write
        stored = ledger.query("SELECT password_hash, token_hash FROM accounts")
        assert made.password not in str(stored) and made.token not in str(stored)
        assert str(stored[0][0]).startswith("scrypt$16384$8$1$")
        with pytest.raises(ReviewError, match="already exists"):
            accounts.add_user(ledger, "rana", "admin")
        with pytest.raises(ReviewError, match="role"):
            accounts.add_user(ledger, "omar", "boss")
        store_accounts.set_disabled(ledger, "rana")
        assert accounts.by_token(ledger, made.token) is None
        assert accounts.login(ledger, "rana", made.password) is None
        assert [a.disabled for a in store_accounts.list_accounts(ledger)] == [True]
        with pytest.raises(ReviewError, match="no account"):
            store_accounts.set_disabled(ledger, "nobody")


def test_saves_conflict_undo_history_and_overlay(url: str) -> None:
    with open_ledger(url) as ledger:
        machine = q.get_record(ledger, "events", "a1-1")
        assert machine is not None
        first = Save(
            "events", "a1", 0, 0, "corrected",
            {"location": ("Kirkuk", "Hawija"), "latitude": (35.47, 35.33)},
            "rana", note="the checkpoint is in Hawija",
        )  # fmt: skip
        assert reviews.save_review(ledger, first) == 1
        # a second reviewer who also started from the unreviewed record gets a conflict
        other = Save("events", "a1", 0, 0, "accepted", {}, "omar")
        with pytest.raises(ReviewConflict) as conflict:
            reviews.save_review(ledger, other)
        assert conflict.value.current is not None
        assert conflict.value.current.reviewed_by == "rana"
        assert conflict.value.current.version == 1
        item = q.get_record(ledger, "events", "a1-1")
        assert item is not None
        assert item["location"] == "Hawija" and item["latitude"] == 35.33
        assert item["review_status"] == "corrected" and item["reviewed_by"] == "rana"
        assert item["reviewed_at"]
        # the machine's record is untouched
        (stored,) = ledger.query(
            "SELECT location FROM events WHERE article_id = 'a1' AND ordinal = 0"
        )
        assert stored[0] == "Kirkuk"
        # fatalities corrected in a second save, then the first save undone alone
        second = Save("events", "a1", 0, 1, "corrected", {"fatalities": (4, 5)}, "omar")
        assert reviews.save_review(ledger, second) == 2
        assert reviews.undo_save(ledger, "events", "a1", 0, 1, "rana") == 3
        item = q.get_record(ledger, "events", "a1-1")
        assert item is not None
        assert (item["location"], item["fatalities"]) == ("Kirkuk", 5)
        saves = reviews.history(ledger, "events", "a1", 0)
        assert [s["version"] for s in saves] == [1, 2, 3]
        assert saves[0]["note"] == "the checkpoint is in Hawija"
        assert saves[2]["undoes"] == 1
        assert {c["field"]: c["new"] for c in saves[2]["changes"]} == {
            "location": "Kirkuk",
            "latitude": 35.47,
        }
        with pytest.raises(ReviewError, match="no editable field"):
            reviews.save_review(
                ledger, Save("events", "a1", 0, 3, "corrected", {"id": (1, 2)}, "x")
            )
        unreviewed = q.get_record(ledger, "events", "a1-2")
        assert unreviewed is not None and unreviewed["review_status"] == "unreviewed"


def test_status_filter_and_reviewed_only_export(url: str) -> None:
    with open_ledger(url) as ledger:
        reviews.save_review(ledger, Save("events", "a1", 0, 0, "accepted", {}, "rana"))
        reviews.save_review(ledger, Save("events", "a1", 1, 0, "rejected", {}, "rana"))
        quote = q.get_record(ledger, "quotes", "a1-1")
        assert quote is not None
        ordinal = reviews.add_record(
            ledger,
            "quotes",
            "a1",
            {
                "speaker": "Someone Else",
                "speaker_title": None,
                "text": "added words",
                "kind": "indirect",
                "cue": None,
                "evidence_start": 0,
                "evidence_end": 10,
                "evidence_text": "Islamic St",
            },
            "rana",
            "missed",
        )
        assert ordinal == reviews.ADDED_BASE

        def ids(kind: str, status: str) -> list[str]:
            flt = q.Filters(review_status=q.parse_status(status))
            return sorted(i["id"] for i in q.list_items(ledger, kind, flt).items)

        assert ids("events", "accepted") == ["a1-1"]
        assert ids("events", "rejected") == ["a1-2"]
        assert ids("events", "reviewed") == ["a1-1"]
        assert "a1-1" not in ids("events", "unreviewed")
        assert ids("quotes", "added") == [f"a1-{reviews.ADDED_BASE + 1}"]
        with pytest.raises(q.QueryError, match="status"):
            q.parse_status("maybe")
        out = io.StringIO()
        assert export(ledger, "events", "jsonl", out, reviewed_only=True) == 1
        row = json.loads(out.getvalue())
        assert (row["article_id"], row["ordinal"], row["review_status"]) == ("a1", 0, "accepted")
        out = io.StringIO()
        export(ledger, "events", "csv", out, reviewed_only=True)
        header, line = out.getvalue().splitlines()[:2]
        assert header.endswith("review_status,reviewed_by,reviewed_at")
        assert ",accepted,rana," in line


def test_reextract_carries_reviews_that_fit_and_lists_the_rest(url: str, tmp_path: Path) -> None:
    built = extractions()
    a1 = built[0]
    with open_ledger(url) as ledger:
        reviews.save_review(ledger, Save("events", "a1", 0, 0, "accepted", {}, "rana"))
        moved = Save(
            "events", "a1", 1, 0, "corrected", {"location": ("Mosul", "Tel Keppe")}, "rana"
        )
        reviews.save_review(ledger, moved)
        speaker = Save("quotes", "a1", 0, 0, "corrected", {"speaker": ("X", "Y")}, "rana")
        reviews.save_review(ledger, speaker)
        # a new version of the pipeline: the events in the other order, the first one's
        # fatalities read differently, the quote gone
        first, second = a1.events
        again = replace(a1, events=(second, replace(first, fatalities=9)), quotes=())
        source = tmp_path / "a1.jsonl"
        source.write_text(
            json.dumps({"id": "a1", "text": a1.article.raw_text, "published": "2024-12-19"})
            + "\n"
            + json.dumps({"id": "new", "text": "Not stored before."})
            + "\n",
            encoding="utf-8",
        )

        def extractor(articles: Iterable[Article]) -> Iterator[Extraction]:
            for article in articles:
                assert article.id == "a1"
                yield replace(again, article=replace(a1.article, id=article.id))

        report = reextract([str(source)], ledger, extractor)
        assert (report.articles, report.not_stored, report.kept) == (1, 1, 1)
        why = {item["id"]: item["why"] for item in report.rereview}
        assert why["a1-2"] == "the machine's fatalities changed on re-extraction"
        (gone,) = [k for k in why if k.startswith("a1-1000")]
        assert "no longer a quote" in why[gone]
        # the corrected event is now the first record and still corrected
        now_first = q.get_record(ledger, "events", "a1-1")
        assert now_first is not None
        assert (now_first["location"], now_first["review_status"]) == ("Tel Keppe", "corrected")
        assert now_first["rereview"] is None
        # the accepted one moved with its span and is back in the queue, to review again
        now_second = q.get_record(ledger, "events", "a1-2")
        assert now_second is not None and now_second["fatalities"] == 9
        assert now_second["review_status"] == "accepted" and now_second["rereview"]
        keys, _ = review_queue.queue(ledger, "events", limit=50)
        assert ("a1", 1) in keys and ("a1", 0) not in keys
        # nothing was dropped: the quote's review is listed, its history kept
        assert {r["id"] for r in reviews.rereview_list(ledger)} == set(why)
        ordinal = int(gone.rpartition("-")[2]) - 1
        assert reviews.history(ledger, "quotes", "a1", ordinal)[0]["changes"][0]["new"] == "Y"


def test_queue_suggestions_quality_and_gold_on_both_backends(url: str) -> None:
    with open_ledger(url) as ledger:
        keys, left = review_queue.queue(ledger, "events", limit=50)
        assert left == len(keys) >= 4
        flt = review_queue.QueueFilters(place="kirk", country="Iraq", max_confidence=1.0)
        kirkuk, n = review_queue.queue(ledger, "events", flt, order="date", limit=50)
        assert kirkuk == [("a1", 0)] and n == 1
        quotes, _ = review_queue.queue(
            ledger, "quotes", review_queue.QueueFilters(source="Levant Monitor")
        )
        assert quotes and all(a == "a1" for a, _ in quotes)
        with pytest.raises(ReviewError, match="events only"):
            review_queue.queue(ledger, "quotes", review_queue.QueueFilters(country="Iraq"))
        assert "Islamic State (Iraq)" in review_queue.actor_names(ledger, "islamic")
        assert review_queue.people_of_article(ledger, "a1")
        reviews.save_review(ledger, Save("events", "a1", 0, 0, "accepted", {}, "rana"))
        reviews.save_review(
            ledger, Save("events", "a1", 1, 0, "corrected", {"fatalities": (0, 3)}, "rana")
        )
        _, after = review_queue.queue(ledger, "events", limit=50)
        assert after == left - 2
        figures = quality(ledger)
        got = {(r["kind"], r["field"]): (r["right"], r["n"]) for r in figures["fields"]}
        assert got[("events", "fatalities")] == (1, 2) and got[("events", "kept")] == (2, 2)
        out = io.StringIO()
        assert write_gold(ledger, out) == 2
        assert reviews.status_counts(ledger) == {"events": {"accepted": 1, "corrected": 1}}


def test_reextract_tracks_again_from_reviewed_values(url: str, tmp_path: Path) -> None:
    tracker = load_tracker()
    a1 = extractions()[0]
    with open_ledger(url) as ledger:
        for article_id in ("a1", "b2", "c3"):
            track_article(ledger, article_id, tracker)

        def statements() -> dict[tuple[str, int], str]:
            rows = ledger.query(
                "SELECT kind, ordinal, speaker FROM track_statements WHERE article_id = {p}",
                ["a1"],
            )
            return {(str(k), int(o)): str(s) for k, o, s in rows}

        before = statements()
        assert ("quote", 0) in before and ("deadline", 0) in before
        speaker = Save("quotes", "a1", 0, 0, "corrected", {"speaker": ("X", "Serhat Kobani")}, "r")
        reviews.save_review(ledger, speaker)
        reviews.save_review(ledger, Save("deadlines", "a1", 0, 0, "rejected", {}, "r"))
        source = tmp_path / "a1.jsonl"
        source.write_text(json.dumps({"id": "a1", "text": a1.article.raw_text}) + "\n")

        def extractor(articles: Iterable[Article]) -> Iterator[Extraction]:
            for article in articles:
                yield replace(a1, article=replace(a1.article, id=article.id))

        report = reextract([str(source)], ledger, extractor, tracker=tracker)
        assert (report.articles, report.kept, report.rereview) == (1, 2, [])
        after = statements()
        assert ("deadline", 0) not in after  # rejected: not tracked
        assert after[("quote", 0)] == "Serhat Kobani"  # the reviewed speaker
        assert ledger.query("SELECT 1 FROM track_done WHERE article_id = {p}", ["a1"])
