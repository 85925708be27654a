"""`newsledger eval`: recognise a gold file's format and score the pipeline against it.

Formats (from ../shared/eval): the seeds' hand annotation (JSON with `articles`), ACLED's CSV
export (`notes` is the text), PolNeAR (a folder with `gold.jsonl` and `text/`), LGL (JSONL
with `toponyms`) and events hand-coded in whole articles (JSONL with `event_type` or
`no_events`, the articles read from a JSONL corpus).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.evaluate.acled import evaluate_acled
from newsledger.evaluate.articles import read_gold, score_article_events
from newsledger.evaluate.lgl import evaluate_lgl
from newsledger.evaluate.polnear import evaluate_polnear
from newsledger.evaluate.seeds import evaluate_seeds
from newsledger.extract.places import extract_places
from newsledger.pipeline.core import Resources, extract_articles
from newsledger.pipeline.ingest import extract_paths
from newsledger.readers.inputs import read_inputs
from newsledger.records import Article, Event, Extraction

GOLD_KINDS = ("seeds", "acled", "polnear", "lgl", "events")


@dataclass(frozen=True)
class EvalResult:
    gold: str  # the path
    kind: str  # one of GOLD_KINDS
    scores: dict[str, Any]  # the scorer's to_dict(): figures, and lists such as misses


def detect_kind(path: Path) -> str:
    """Which gold format `path` holds; InputError naming it when none fits."""
    if path.is_dir():
        if (path / "gold.jsonl").is_file() and (path / "text").is_dir():
            return "polnear"
        raise InputError(str(path), "a folder of gold data needs gold.jsonl and text/ (PolNeAR)")
    if not path.is_file():
        raise InputError(str(path), "no such file or folder")
    if path.suffix == ".csv":
        with path.open(encoding="utf-8") as handle:
            header = handle.readline()
        if "notes" in header and "event_type" in header:
            return "acled"
        raise InputError(str(path), "a CSV gold file needs ACLED's columns (notes, event_type)")
    with path.open(encoding="utf-8") as handle:
        head = handle.read(4096).lstrip()
    if path.suffix == ".json" and '"articles"' in head:
        return "seeds"
    if path.suffix == ".jsonl" and '"toponyms"' in head:
        return "lgl"
    if path.suffix == ".jsonl" and ('"event_type"' in head or '"no_events"' in head):
        return "events"
    raise InputError(
        str(path),
        "not a gold format newsledger knows (seeds JSON, ACLED CSV, PolNeAR folder, LGL JSONL, "
        "whole-article events JSONL)",
    )


def seed_extractions(gold: Path, corpus: Path, res: Resources) -> dict[str, Extraction]:
    """Run the whole pipeline over the seed articles the gold file names (by file name)."""
    names = [a["file"] for a in json.loads(gold.read_text(encoding="utf-8"))["articles"]]
    missing = [n for n in names if not (corpus / n).is_file()]
    if missing:
        raise InputError(str(corpus), f"the seed articles {missing} are not in this folder")
    out: dict[str, Extraction] = {}
    for item in extract_paths([str(corpus / n) for n in names], res):
        if not isinstance(item, Extraction):
            raise InputError(item.origin, item.reason)
        out[Path(item.article.origin).name] = item
    return out


def article_events(
    gold: Path, corpus: Path, res: Resources, limit: int | None = None
) -> dict[str, list[Event]]:
    """Run the whole pipeline over the articles of a JSONL corpus the gold file codes."""
    wanted = list(dict.fromkeys(str(row["article"]) for row in read_gold(gold)))
    if limit is not None:
        wanted = wanted[:limit]
    if not corpus.is_file():
        raise InputError(str(corpus), "the corpus of the coded articles (JSONL) is not there")
    ids = set(wanted)
    found: dict[str, list[Event]] = {}
    articles = (a for a in read_inputs([str(corpus)]) if isinstance(a, Article) and a.id in ids)
    for item in extract_articles(articles, res):
        found[item.article.id] = list(item.events)
    missing = [a for a in wanted if a not in found]
    if missing:
        raise InputError(str(corpus), f"the coded articles {missing[:5]} are not in this corpus")
    return found


def evaluate_path(
    path: Path, res: Resources, limit: int | None = None, corpus: Path | None = None
) -> EvalResult:
    """Score the pipeline against one gold file or folder."""
    kind = detect_kind(path)
    scores: dict[str, Any]
    if kind == "acled":
        acled = evaluate_acled(
            path,
            res.nlp,
            res.event_rules,
            places_fn=lambda doc: extract_places(doc, res.gazetteer, actors=res.event_rules.actors),
            limit=limit,
        )
        scores = acled.to_dict()
    elif kind == "lgl":
        scores = evaluate_lgl(
            path, res.nlp, res.gazetteer, limit=limit, actors=res.event_rules.actors
        ).to_dict(misses=True)
    elif kind == "events":
        source = corpus or path.resolve().parent.parent / "corpus" / "guardian_sdf.jsonl"
        rows = read_gold(path)
        predicted = article_events(path, source, res, limit)
        if limit is not None:
            rows = [r for r in rows if str(r["article"]) in predicted]
        scores = score_article_events(rows, predicted).to_dict()
    elif kind == "polnear":
        scores = evaluate_polnear(path, res.nlp, res.attribution, limit=limit).to_dict()
    else:
        seeds = corpus or path.resolve().parent.parent / "corpus" / "seeds"
        scores = evaluate_seeds(path, seed_extractions(path, seeds, res)).to_dict()
    return EvalResult(gold=str(path), kind=kind, scores=scores)


def figures(scores: dict[str, Any]) -> list[tuple[str, Any]]:
    """The scalar figures of a score, flattened one level (`quotes.found`), for a table."""
    rows: list[tuple[str, Any]] = []
    for key, value in scores.items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{k}", v) for k, v in value.items() if not isinstance(v, list))
        elif not isinstance(value, list):
            rows.append((key, value))
    return rows


def listed(scores: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The lists in a score (misses, confusions), flattened one level, for the table's tail."""
    out: list[tuple[str, list[Any]]] = []
    for key, value in scores.items():
        if isinstance(value, list):
            out.append((key, value))
        elif isinstance(value, dict):
            out.extend((f"{key}.{k}", v) for k, v in value.items() if isinstance(v, list))
    return out
