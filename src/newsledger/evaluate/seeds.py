"""The first quality gate: the pipeline's records for the two seed reports against
`eval/seeds.gold.json`.

`evaluate_seeds(gold_path, extractions)` takes the pipeline's `Extraction` per seed file name and
scores, each as found/total with the misses listed:

* quotes: a gold quote is found when a predicted quote of its article covers half or more of the
  gold text (both folded: white space removed, case folded, typographic quotes and apostrophes
  made plain; coverage counts common stretches of 4+ characters); one prediction finds one gold;
* speakers: of all gold quotes, those found whose predicted speaker is the gold speaker or one of
  its `speaker_aliases` (folded the same way);
* not_quotes: quoted names that are not speech; here `found` counts those wrongly extracted as a
  quote (by the same coverage rule), so 0 is the target;
* claims: a predicted claim of the article with the gold value;
* deadlines: a predicted deadline of the article with the gold `deadline` (YYYY-MM[-DD]);
* events: a predicted event of the article with the gold type and sub-type (or one of its
  `alt_types`), within `tolerance_km` of the gold place, `event_date` inside `date_window` and
  fatalities inside `fatalities_range`; each predicted event matches one gold event at most.
  `optional_events` are neither required nor held against a run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar

from newsledger.records import Event, Extraction

_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": "-", "‑": "-"})
MIN_BLOCK = 4  # common stretches shorter than this are chance, not overlap


@dataclass(frozen=True)
class Part:
    """One score: `found` of `total`, and what was missed (or, for not_quotes, wrongly found)."""

    found: int
    total: int
    misses: tuple[str, ...]

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "total": self.total,
            "rate": round(self.rate, 4),
            "misses": list(self.misses),
        }


@dataclass(frozen=True)
class SeedsScore:
    quotes: Part
    speakers: Part
    not_quotes: Part
    claims: Part
    deadlines: Part
    events: Part

    def to_dict(self) -> dict[str, Any]:
        return {
            "quotes": self.quotes.to_dict(),
            "speakers": self.speakers.to_dict(),
            "not_quotes": self.not_quotes.to_dict(),
            "claims": self.claims.to_dict(),
            "deadlines": self.deadlines.to_dict(),
            "events": self.events.to_dict(),
        }


def fold(text: str) -> str:
    """White space removed, case folded, typographic quotes and apostrophes made plain."""
    return re.sub(r"\s+", "", text.translate(_PLAIN)).lower()


def coverage(gold: str, predicted: str) -> float:
    """The share of the folded `gold` text that the folded `predicted` text covers."""
    g, p = fold(gold), fold(predicted)
    if not g:
        return 0.0
    blocks = SequenceMatcher(None, g, p, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= MIN_BLOCK) / len(g)


T = TypeVar("T")


def _match(
    golds: Sequence[dict[str, Any]],
    predicted: Sequence[T],
    score: Callable[[dict[str, Any], T], float],
) -> dict[int, int]:
    """One-to-one matching, best score first: gold index -> predicted index (score > 0)."""
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(predicted):
            s = score(g, p)
            if s > 0:
                pairs.append((s, -gi, -pi))
    pairs.sort(reverse=True)
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, ngi, npi in pairs:
        if -ngi in out or -npi in used:
            continue
        out[-ngi] = -npi
        used.add(-npi)
    return out


def _label(g: dict[str, Any], *fields: str) -> str:
    return " ".join(str(g.get(f)) for f in fields if g.get(f) is not None)


def _by_article(items: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item["article"], []).append(item)
    return out


def _empty(article: str) -> Extraction:
    from newsledger.records import Article

    return Extraction(article=Article(article, None, None, None, None, "", ""))


def _score_quotes(
    gold: dict[str, Any], extractions: Mapping[str, Extraction]
) -> tuple[Part, Part, Part]:
    found = right = 0
    total = len(gold["quotes"])
    misses: list[str] = []
    wrong_speaker: list[str] = []
    for article, golds in _by_article(gold["quotes"]).items():
        quotes = list(extractions.get(article, _empty(article)).quotes)

        def cover(g: dict[str, Any], q: Any) -> float:
            c = coverage(g["text"], q.text)
            return c if c >= 0.5 else 0.0

        matched = _match(golds, quotes, cover)
        for gi, g in enumerate(golds):
            label = f"{g['id']} {g['speaker']}: {g['text'][:60]}"
            if gi not in matched:
                misses.append(label)
                wrong_speaker.append(label + " (not found)")
                continue
            found += 1
            names = {fold(n) for n in [g["speaker"], *g.get("speaker_aliases", [])]}
            said = quotes[matched[gi]].speaker
            if said is not None and fold(said) in names:
                right += 1
            else:
                wrong_speaker.append(f"{label} (speaker {said!r})")
    wrongly: list[str] = []
    for nq in gold.get("not_quotes", []):
        quotes = list(extractions.get(nq["article"], _empty(nq["article"])).quotes)
        if any(coverage(nq["text"], q.text) >= 0.5 for q in quotes):
            wrongly.append(nq["text"])
    return (
        Part(found, total, tuple(misses)),
        Part(right, total, tuple(wrong_speaker)),
        Part(len(wrongly), len(gold.get("not_quotes", [])), tuple(wrongly)),
    )


def _score_values(
    golds_all: Sequence[dict[str, Any]],
    extractions: Mapping[str, Extraction],
    pick: Callable[[Extraction], Sequence[Any]],
    equal: Callable[[dict[str, Any], Any], bool],
    label: Callable[[dict[str, Any]], str],
) -> Part:
    found = 0
    misses: list[str] = []
    for article, golds in _by_article(golds_all).items():
        predicted = list(pick(extractions.get(article, _empty(article))))
        matched = _match(golds, predicted, lambda g, p: 1.0 if equal(g, p) else 0.0)
        found += len(matched)
        misses.extend(label(g) for gi, g in enumerate(golds) if gi not in matched)
    return Part(found, len(golds_all), tuple(misses))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def event_matches(g: dict[str, Any], e: Event) -> bool:
    """Type and sub-type, place within tolerance, date within the window, fatalities in range."""
    types = [(g["event_type"], g["sub_event_type"]), *map(tuple, g.get("alt_types", []))]
    if (e.event_type, e.sub_event_type) not in types:
        return False
    loc = g["location"]
    if e.latitude is None or e.longitude is None:
        return False
    if haversine_km(loc["lat"], loc["lon"], e.latitude, e.longitude) > loc["tolerance_km"]:
        return False
    first, last = g["date_window"]
    if e.event_date is None or not first <= e.event_date <= last:
        return False
    low, high = g["fatalities_range"]
    return bool(low <= e.fatalities <= high)


def evaluate_seeds(gold_path: Path, extractions: Mapping[str, Extraction]) -> SeedsScore:
    """Score the pipeline's extractions (seed file name -> Extraction) against the seed gold."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    quotes, speakers, not_quotes = _score_quotes(gold, extractions)
    claims = _score_values(
        gold["claims"],
        extractions,
        lambda x: x.claims,
        lambda g, c: abs(float(g["value"]) - c.value) < 1e-6,
        lambda g: f"{g['id']} {_label(g, 'value', 'unit')}",
    )
    deadlines = _score_values(
        gold["deadlines"],
        extractions,
        lambda x: x.deadlines,
        lambda g, d: g["deadline"] == d.deadline,
        lambda g: f"{g['id']} {_label(g, 'deadline', 'subject')}",
    )
    events = _score_values(
        gold["events"],
        extractions,
        lambda x: x.events,
        event_matches,
        lambda g: f"{g['id']} {_label(g, 'event_type', 'sub_event_type')} {g['location']['name']}",
    )
    return SeedsScore(quotes, speakers, not_quotes, claims, deadlines, events)
