"""Geoparsing score on LGL (Lieberman et al.'s local-news corpus, as prepared by Gritta et al.).

The file has one article a line: `id, published, source, title, text` and `toponyms`, each gold
toponym with `phrase`, `start`, `end` (offsets into `text`), `lat`, `lon`, GeoNames `name`,
`country` and feature code. Scoring (shared/README.md): a gold toponym is right when a place
entity mentions that phrase (a mention overlapping the gold span, or, failing that, a mention of
the same phrase, white space and case folded) and lies within 161 km of the gold point. Acc@161
is over all gold toponyms, found or not; `found` counts gold toponyms with an overlapping
mention wherever it was placed; `precision` is the share of predicted mentions that overlap a
gold toponym.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from newsledger.extract.events.actors import ActorLexicon
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer, haversine_km
from newsledger.records import Entity

ACC_KM = 161.0
NER_ONLY = ("parser", "lemmatizer", "tagger", "attribute_ruler", "senter")


@dataclass(frozen=True)
class LglMiss:
    article: str
    phrase: str
    start: int
    gold_name: str
    predicted: str | None  # the place the phrase was resolved to, None when not found
    distance_km: float | None


@dataclass(frozen=True)
class LglScore:
    articles: int
    gold: int
    correct: int
    found: int
    predicted: int
    predicted_matched: int
    misses: tuple[LglMiss, ...]

    @property
    def acc_161(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def found_rate(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    def to_dict(self, misses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "gold": self.gold,
            "correct": self.correct,
            "acc_161": round(self.acc_161, 4),
            "found": self.found,
            "found_rate": round(self.found_rate, 4),
            "predicted": self.predicted,
            "predicted_matched": self.predicted_matched,
            "precision": round(self.precision, 4),
            "missed": len(self.misses),
        }
        if misses:
            out["misses"] = [asdict(m) for m in self.misses]
        return out


def read_lgl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if limit is not None and i >= limit:
                break
            if line.strip():
                yield json.loads(line)


def evaluate_lgl(
    path: Path,
    nlp: Language,
    gazetteer: Gazetteer,
    limit: int | None = None,
    actors: ActorLexicon | None = None,
) -> LglScore:
    """Score `extract_places` on the first `limit` articles of the LGL file (all by default),
    with the actor lexicon the pipeline gives it (`actors`, as `newsledger eval` does)."""
    if not path.is_file():
        raise FileNotFoundError(f"LGL file not found: {path} (expected shared/eval/lgl.jsonl)")
    articles = list(read_lgl(path, limit))
    disable = [name for name in NER_ONLY if name in nlp.pipe_names]
    docs = nlp.pipe((a["text"] for a in articles), disable=disable, batch_size=32)
    totals = {"gold": 0, "correct": 0, "found": 0, "predicted": 0, "predicted_matched": 0}
    misses: list[LglMiss] = []
    for article, doc in zip(articles, docs, strict=True):
        entities = extract_places(doc, gazetteer, actors=actors)
        _score_article(article, entities, totals, misses)
    return LglScore(articles=len(articles), misses=tuple(misses), **totals)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _score_article(
    article: dict[str, Any],
    entities: list[Entity],
    totals: dict[str, int],
    misses: list[LglMiss],
) -> None:
    gold = article["toponyms"]
    mentions = [(m, e) for e in entities for m in e.mentions]
    by_phrase: dict[str, Entity] = {}
    for m, e in mentions:
        if e.latitude is not None:
            by_phrase.setdefault(_fold(m.text), e)
    totals["gold"] += len(gold)
    totals["predicted"] += len(mentions)
    totals["predicted_matched"] += sum(
        1 for m, _ in mentions if any(m.start < g["end"] and g["start"] < m.end for g in gold)
    )
    for g in gold:
        overlapping = [e for m, e in mentions if m.start < g["end"] and g["start"] < m.end]
        if overlapping:
            totals["found"] += 1
        placed = [e for e in overlapping if e.latitude is not None]
        entity = placed[0] if placed else by_phrase.get(_fold(g["phrase"]))
        distance = None
        if entity is not None and entity.latitude is not None and entity.longitude is not None:
            distance = haversine_km(g["lat"], g["lon"], entity.latitude, entity.longitude)
        if distance is not None and distance <= ACC_KM:
            totals["correct"] += 1
            continue
        misses.append(
            LglMiss(
                article=article["id"],
                phrase=g["phrase"],
                start=g["start"],
                gold_name=g.get("name") or "",
                predicted=entity.name if entity is not None else None,
                distance_km=None if distance is None else round(distance, 1),
            )
        )
