"""Quality gate: events in whole articles
(`newsledger eval ../shared/eval/guardian_events_dev.jsonl`).

The floors are the figures reached (docs/events.md gives the commands and the error analysis);
the issue's targets (recall 0.80, precision 0.70, all_right 0.45) are not all reached yet.
The scoring itself is checked against a small invented case, so that `newsledger eval` and the
shared `score.py events` keep counting the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.evaluate.articles import score_article_events
from newsledger.evaluate.run import detect_kind, evaluate_path
from newsledger.pipeline.core import load_resources
from newsledger.records import Event, Evidence

FLOORS = {"recall": 0.80, "precision": 0.76, "all_right": 0.25, "type": 0.60, "fatal": 0.71}


@pytest.mark.slow
def test_whole_article_events_gate(shared: Path) -> None:
    gold = shared / "eval" / "guardian_events_dev.jsonl"
    assert detect_kind(gold) == "events"
    scores = evaluate_path(gold, load_resources()).scores
    assert scores["articles"] == 30
    assert scores["gold"] == 35
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, (name, scores[name])


def _event(text: str, start: int, event_type: str, lat: float, day: str) -> Event:
    return Event(
        event_date=day,
        time_precision=1,
        event_type=event_type,
        sub_event_type="Armed clash",
        actor1="Military Forces of Iraq",
        assoc_actor_1=None,
        actor2=None,
        assoc_actor_2=None,
        location="X",
        admin1=None,
        admin2=None,
        country="Iraq",
        latitude=lat,
        longitude=44.0,
        geo_precision=1,
        fatalities=2,
        notes=text,
        evidence=Evidence(start, start + len(text), text),
        confidence=0.9,
    )


def test_scoring_matches_by_evidence_or_by_type_place_and_date() -> None:
    gold = [
        {
            "article": "a",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": "Military Forces of Iraq",
            "latitude": 35.0,
            "longitude": 44.0,
            "event_date": "2020-01-02",
            "fatalities": 2,
            "evidence": "Troops clashed with militants near the town on Monday.",
        },
        {
            "article": "a",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "latitude": 36.0,
            "longitude": 44.0,
            "event_date": "2020-01-02",
            "fatalities": 0,
            "evidence": "Something else happened far away.",
            "doubtful": True,
        },
        {"article": "b", "no_events": True},
    ]
    predicted = {
        "a": [
            # the same type 10 km away on the same day: found, and right in every field
            _event("Fighting was reported.", 0, "Battles", 35.09, "2020-01-02"),
            _event("An unrelated sentence.", 30, "Protests", 30.0, "2020-01-02"),
        ],
        "b": [_event("A note of nothing.", 0, "Battles", 35.0, "2020-01-02")],
    }
    scores = score_article_events(gold, predicted).to_dict()
    assert (scores["gold"], scores["predicted"], scores["recall"]) == (1, 3, 1.0)
    assert scores["precision"] == round(1 / 3, 3)
    assert scores["all_right"] == 1.0
    assert scores["misses"] == []
