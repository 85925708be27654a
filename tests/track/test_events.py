"""One ledger event per real event: merged across reports, split when a later report differs."""

from __future__ import annotations

from pathlib import Path

from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from tests.helpers.track_articles import event, store

CLUSTERS = (
    "SELECT c.id, m.article_id FROM track_event_clusters AS c JOIN track_event_members AS m "
    "ON m.cluster_id = c.id ORDER BY c.id, m.article_id"
)


def clusters(ledger) -> list[set[str]]:  # type: ignore[no-untyped-def]
    out: dict[int, set[str]] = {}
    for cid, article in ledger.query(CLUSTERS):
        out.setdefault(cid, set()).add(article)
    return sorted(out.values(), key=sorted)


def test_two_outlets_reporting_one_clash_become_one_event(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(
            ledger,
            "e1",
            "2024-04-03",
            source="Wire A",
            events=(event("2024-04-02", "Dovrek", 35.10, 43.20, "Red Banner", "Army"),),
        )
        store(
            ledger,
            "e2",
            "2024-04-04",
            source="Wire B",
            events=(event("2024-04-03", "Dovrek outskirts", 35.15, 43.22, "Red Banner", None),),
        )
        store(
            ledger,
            "e3",
            "2024-04-04",
            source="Wire C",  # far away: another event
            events=(event("2024-04-03", "Port Salim", 31.0, 47.0, "Red Banner", "Army"),),
        )
        for article in ("e1", "e2", "e3"):
            track_article(ledger, article, tracker)
        assert clusters(ledger) == [{"e1", "e2"}, {"e3"}]
        reasons = ledger.query("SELECT reason FROM track_event_members ORDER BY id")
        assert any("merged: same type" in r[0] for r in reasons)


def test_a_later_report_that_shows_they_differ_splits_the_event(tmp_path: Path) -> None:
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(
            ledger,
            "s1",
            "2024-04-03",
            events=(event("2024-04-02", "Dovrek", 35.10, 43.20, "Red Banner", "Army"),),
        )
        store(
            ledger,
            "s2",
            "2024-04-04",
            events=(event("2024-04-03", "Dovrek", 35.10, 43.20, "Red Banner", None),),
        )
        track_article(ledger, "s1", tracker)
        track_article(ledger, "s2", tracker)
        assert clusters(ledger) == [{"s1", "s2"}]
        # a fuller report of the second clash: the other side was a militia, not the army
        store(
            ledger,
            "s3",
            "2024-04-05",
            events=(event("2024-04-03", "Dovrek", 35.11, 43.21, "Red Banner", "Hill Militia"),),
        )
        report = track_article(ledger, "s3", tracker)
        assert report.event_splits == 1
        assert clusters(ledger) == [{"s1"}, {"s2", "s3"}]
        log = ledger.query("SELECT what, reason FROM track_log")
        assert any(what.startswith("split s2") for what, _ in log)


def test_one_event_per_actor_pair_place_and_day(tmp_path: Path) -> None:
    """ACLED's rule: reports of one actor pair at one place on one day are one event; another
    actor pair, another day or a place far away is another event, even reported together."""
    tracker = load_tracker()
    with open_ledger(tmp_path / "l.db") as ledger:
        store(
            ledger,
            "a1",
            "2024-04-03",
            source="Wire A",
            events=(
                event("2024-04-02", "Dovrek", 35.10, 43.20, "Red Banner", "Army"),
                event("2024-04-02", "Dovrek", 35.10, 43.20, "Hill Militia", "Army"),
            ),
        )
        store(
            ledger,
            "a2",
            "2024-04-03",
            source="Wire B",
            events=(
                event("2024-04-02", "Dovrek", 35.11, 43.21, "Red Banner", "Army"),
                event("2024-04-06", "Dovrek", 35.10, 43.20, "Red Banner", "Army"),
                event("2024-04-02", "Port Salim", 31.0, 47.0, "Red Banner", "Army"),
            ),
        )
        for article in ("a1", "a2"):
            track_article(ledger, article, tracker)
        rows = ledger.query(
            "SELECT m.cluster_id, m.article_id, m.ordinal FROM track_event_members AS m "
            "ORDER BY m.article_id, m.ordinal"
        )
        cluster_of = {(article, ordinal): cid for cid, article, ordinal in rows}
        # the same pair, place and day from two outlets: one event listing both sources
        assert cluster_of[("a1", 0)] == cluster_of[("a2", 0)]
        # another actor pair, another day, another place: each its own event
        others = [cluster_of[k] for k in (("a1", 1), ("a2", 1), ("a2", 2))]
        assert len({cluster_of[("a1", 0)], *others}) == 4
