"""The seed reports through the real pipeline, then tracking: the gold changes with their kinds,
and no other `stance changed` or `deadline differs` (reads ../shared; skips without it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsledger.pipeline.core import load_resources
from newsledger.pipeline.ingest import ingest
from newsledger.store import open_ledger
from newsledger.track import load_tracker, track_article
from newsledger.track.views import list_changes

pytestmark = pytest.mark.slow


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _overlaps(found: str, gold: str) -> bool:
    f, g = set(_norm(found).split()), set(_norm(gold).split())
    return bool(g) and len(f & g) >= len(g) / 2


def _matches(
    side: dict[str, Any], gold: dict[str, Any], gold_data: dict[str, Any], ids: dict[str, str]
) -> bool:
    if ids.get(gold["article"]) != side["article"]:
        return False
    record = side["record"]
    if "quote" in gold:
        q = next(q for q in gold_data["quotes"] if q["id"] == gold["quote"])
        return _overlaps(str(record.get("text") or ""), q["text"])
    d = next(d for d in gold_data["deadlines"] if d["id"] == gold["deadline"])
    return str(record.get("deadline") or "")[:7] == d["deadline"][:7]


def test_seed_changes(shared: Path, tmp_path: Path) -> None:
    gold = json.loads((shared / "eval" / "seeds.gold.json").read_text(encoding="utf-8"))
    corpus = shared / "corpus" / "seeds"
    res = load_resources()
    tracker = load_tracker()
    with open_ledger(tmp_path / "seeds.db") as ledger:
        ingest([str(corpus)], ledger, res)
        articles = sorted(ledger.iter_rows("articles"), key=lambda a: a["published"] or "")
        if not any(True for _ in ledger.iter_rows("quotes")):
            pytest.xfail(
                "pipeline.extract_from_doc does not run the people/quote/claim/deadline "
                "extractors yet; tracking needs quotes (speaker, text, evidence) and deadlines "
                "(subject, deadline, relation, evidence) stored"
            )
        for article in articles:  # idempotent when the pipeline has tracked them already
            track_article(ledger, article["id"], tracker)
        # gold names articles by file name; the ledger by id: map through the origin
        ids = {Path(a["origin"].split(":")[0]).name: a["id"] for a in articles}
        changes = list_changes(ledger)
    for g in gold["changes"]:
        hits = [
            c
            for c in changes
            if c["kind"] == g["kind"]
            and _matches(c["earlier"], g["earlier"], gold, ids)
            and _matches(c["later"], g["later"], gold, ids)
        ]
        assert hits, f"gold change {g['id']} ({g['kind']}) not found among {len(changes)}"
    strict = [c for c in changes if c["kind"] in ("stance changed", "deadline differs")]
    gold_strict = [
        g for g in gold["changes"] if g["kind"] in ("stance changed", "deadline differs")
    ]
    assert len(strict) == len(gold_strict), [c["why"] for c in strict]
