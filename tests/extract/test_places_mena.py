"""Quality gate for issue 13: the place figure of ACLED's Middle East and North Africa rows.

The slice is the first MENA_SLICE rows of ../shared/eval/acled_dev.csv whose country is one of
`MENA_COUNTRIES` (written to a temporary CSV), scored by `evaluate_acled` as `newsledger eval`
does, with the actor lexicon. The floors sit a little below the figures measured when they were
set (docs/places.md: place_mena 0.78, event_type 0.8833, actor1 0.7467, 0.7833 with the
namesake rules of session 4, 0.7867 with the qualifier rules of session 5; before 0.75 / 0.8833 /
0.74, before that 0.6967 / 0.8833 / 0.7267, and before issue 13 place 0.6667)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.evaluate.acled import MENA_COUNTRIES, evaluate_acled
from newsledger.extract.events import load_event_rules
from newsledger.extract.places import extract_places
from newsledger.geo import Gazetteer

MENA_SLICE = 300
FLOORS = {"place_mena": 0.78, "event_type": 0.87, "actor1": 0.74}


@pytest.mark.slow
def test_mena_place_quality_floor(
    nlp: Language, gazetteer: Gazetteer, shared: Path, tmp_path: Path
) -> None:
    source = shared / "eval" / "acled_dev.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [r for r in reader if r["country"] in MENA_COUNTRIES][:MENA_SLICE]
    assert len(rows) == MENA_SLICE
    path = tmp_path / "mena.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    rules = load_event_rules()
    score = evaluate_acled(
        path, nlp, rules, places_fn=lambda doc: extract_places(doc, gazetteer, actors=rules.actors)
    )
    assert score.mena_rows == MENA_SLICE
    assert score.place_mena is not None and score.place_mena == score.place
    assert score.place_mena >= FLOORS["place_mena"], score.to_dict()
    assert score.event_type >= FLOORS["event_type"]
    assert score.actor1 >= FLOORS["actor1"]
    assert score.to_dict()["place_mena"] == round(score.place_mena, 4)
