"""Events in whole articles: the pipeline's events for hand-coded articles against
`eval/guardian_events_dev.jsonl` (one JSON object per gold event; an article coded as having
none is `{"article": ID, "no_events": true}`).

The matching is the shared scorer's (`eval/score.py events`), so both give the same figures: a
gold event is found by the predicted event of its article whose evidence overlaps the gold
evidence most (at least half of the shorter one's words), or failing that one of the same event
type within 50 km and 7 days; each prediction matches one gold event at most. Gold events marked
`doubtful` count neither for recall nor against precision (a prediction they match is no false
one). Field figures (type, sub-type, place within 25 km, date within 3 days, fatalities, actor1,
and `all_right`: type, place, date and fatalities together) are shares of all non-doubtful gold
events, so a missed event counts as wrong in each. Precision is matched predictions over all
predicted events of the coded articles.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.records import Event

MATCH_KM = 50.0
MATCH_DAYS = 7
PLACE_KM = 25.0
DATE_DAYS = 3
FIELDS = ("type", "subtype", "loc25", "date", "fatal", "actor1", "all_right")


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The gold lines; InputError naming the line that is not a JSON object with `article`."""
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}", f"not JSON: {exc}") from exc
        if not isinstance(row, dict) or "article" not in row:
            raise InputError(f"{path}:{number}", "a gold line needs an `article` id")
        rows.append(row)
    return rows


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (text or "").lower().replace("\u2019", "'")))


def _km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float:
    if None in (lat1, lon1, lat2, lon2):
        return math.inf
    a, b, c, d = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    h = math.sin((c - a) / 2) ** 2 + math.cos(a) * math.cos(c) * math.sin((d - b) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _days(a: str | None, b: str | None) -> int:
    try:
        return abs((date.fromisoformat((a or "")[:10]) - date.fromisoformat((b or "")[:10])).days)
    except ValueError:
        return 999


def _same_actor(predicted: str | None, gold: str | None) -> bool:
    if not gold:
        return not predicted
    stop = {"al", "the", "a", "of"}
    return bool((_words(predicted) - stop) & (_words(gold) - stop))


def _fatalities(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ArticleEventsScore:
    articles: int
    gold: int  # non-doubtful gold events
    predicted: int
    found: int  # non-doubtful gold events found
    matched: int  # predictions that match a gold event (doubtful ones too)
    fields: Mapping[str, int]  # field -> gold events right in it
    misses: tuple[str, ...]  # "article: evidence" of the gold events not found

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "gold": self.gold,
            "predicted": self.predicted,
            "recall": round(self.found / max(1, self.gold), 3),
            "precision": round(self.matched / max(1, self.predicted), 3),
        }
        for name in FIELDS:
            out[name] = round(self.fields.get(name, 0) / max(1, self.gold), 3)
        out["misses"] = list(self.misses)
        return out


def score_article_events(
    gold_rows: Sequence[Mapping[str, Any]], predicted: Mapping[str, Sequence[Event]]
) -> ArticleEventsScore:
    """Score the events predicted per article id against the gold rows."""
    articles = {str(g["article"]) for g in gold_rows}
    gold = [g for g in gold_rows if not g.get("no_events")]
    used: set[tuple[str, int]] = set()
    counts: Counter[str] = Counter()
    misses: list[str] = []
    for g in sorted(gold, key=lambda g: bool(g.get("doubtful"))):
        article = str(g["article"])
        gold_words = _words(g.get("evidence"))
        candidates = []
        for i, p in enumerate(predicted.get(article, ())):
            if (article, i) in used:
                continue
            words = _words(p.evidence.text)
            overlap = (
                len(words & gold_words) / min(len(words), len(gold_words))
                if words and gold_words
                else 0.0
            )
            km = _km(p.latitude, p.longitude, g.get("latitude"), g.get("longitude"))
            near = (
                p.event_type == g["event_type"]
                and km <= MATCH_KM
                and _days(p.event_date, g["event_date"]) <= MATCH_DAYS
            )
            if overlap >= 0.5 or near:
                candidates.append((overlap, -km if km == km else -1e9, i, p, km))
        key = "doubtful" if g.get("doubtful") else "gold"
        counts[key] += 1
        if not candidates:
            if key == "gold":
                misses.append(f"{article}: {g.get('evidence', '')}")
            continue
        _, _, i, p, km = max(candidates, key=lambda c: (c[0], c[1], c[2]))
        used.add((article, i))
        if key == "doubtful":
            continue
        counts["found"] += 1
        type_ok = p.event_type == g["event_type"]
        date_ok = _days(p.event_date, g["event_date"]) <= DATE_DAYS
        fatal_ok = _fatalities(p.fatalities) == _fatalities(g.get("fatalities"))
        counts["type"] += type_ok
        counts["subtype"] += p.sub_event_type == g["sub_event_type"]
        counts["loc25"] += km <= PLACE_KM
        counts["date"] += date_ok
        counts["fatal"] += fatal_ok
        counts["actor1"] += _same_actor(p.actor1, g.get("actor1"))
        counts["all_right"] += type_ok and km <= PLACE_KM and date_ok and fatal_ok
    return ArticleEventsScore(
        articles=len(articles),
        gold=counts["gold"],
        predicted=sum(len(predicted.get(a, ())) for a in articles),
        found=counts["found"],
        matched=len(used),
        fields={name: counts[name] for name in FIELDS},
        misses=tuple(misses),
    )
