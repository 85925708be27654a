"""`newsledger eval`: recognise a gold file's format and score the pipeline against it.

Formats (from ../shared/eval): the seeds' hand annotation (JSON with `articles`), ACLED's CSV
export (`notes` is the text), PolNeAR (a folder with `gold.jsonl` and `text/`) and LGL (JSONL
with `toponyms`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.evaluate.acled import evaluate_acled
from newsledger.evaluate.lgl import evaluate_lgl
from newsledger.evaluate.polnear import evaluate_polnear
from newsledger.evaluate.seeds import evaluate_seeds
from newsledger.extract.places import extract_places
from newsledger.pipeline.core import Resources
from newsledger.pipeline.ingest import extract_paths
from newsledger.records import Extraction

GOLD_KINDS = ("seeds", "acled", "polnear", "lgl")


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
    raise InputError(
        str(path),
        "not a gold format newsledger knows (seeds JSON, ACLED CSV, PolNeAR folder, LGL JSONL)",
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
            places_fn=lambda doc: extract_places(doc, res.gazetteer),
            limit=limit,
        )
        scores = acled.to_dict()
    elif kind == "lgl":
        scores = evaluate_lgl(path, res.nlp, res.gazetteer, limit=limit).to_dict(misses=True)
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
