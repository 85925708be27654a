"""export: every kind in every format, ACLED's columns for events, GeoJSON structure, streaming."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsledger.records import (
    Change,
    Claim,
    Deadline,
    Entity,
    Evidence,
    Extraction,
    Mention,
    Quote,
    RecordRef,
)
from newsledger.store import KINDS, Ledger, open_ledger
from newsledger.store.export import ACLED_COLUMNS, FORMATS, export
from tests.helpers import factories

# A made-up report about a made-up village; coordinates are invented.
TEXT = (
    "A roadside bomb hit a supply convoy outside Qaryat Nakhla, wounding three drivers. "
    "Captain Laith Omran said the convoy would resume by 2032-05-01. "
    "Officials counted 12 damaged trucks."
)

ACLED_HEADER = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]


def sp(fragment: str) -> Evidence:
    start = TEXT.index(fragment)
    return Evidence(start, start + len(fragment), fragment)


def extraction(article_id: str, raw: str) -> Extraction:
    article = factories.article(
        article_id,
        TEXT,
        source="Sample Desk",
        published="2032-04-20T10:00:00",
        title="Convoy hit",
        raw_text=raw,
    )
    bomb = factories.event(
        sp(TEXT[: TEXT.index(" Captain")]),
        event_date="2032-04-19",
        time_precision=1,
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        actor1="Unidentified Armed Group (Iraq)",
        actor2="Military Forces of Iraq (2022-)",
        assoc_actor_2="Drivers",
        location="Qaryat Nakhla",
        admin1="Diyala",
        admin2="Baquba",
        country="Iraq",
        latitude=33.912,
        longitude=44.705,
        geo_precision=1,
        notes="A roadside bomb hit a supply convoy, wounding three drivers.",
        confidence=0.7,
    )
    vague = replace(
        bomb,
        event_date=None,
        time_precision=3,
        location=None,
        admin1=None,
        admin2=None,
        country="Atlantis",
        latitude=None,
        longitude=None,
        geo_precision=None,
        evidence=sp("Officials counted 12 damaged trucks."),
        confidence=0.3,
    )
    return Extraction(
        article=article,
        events=(bomb, vague),
        quotes=(
            Quote(
                "Laith Omran",
                "Captain",
                "the convoy would resume by 2032-05-01",
                "indirect",
                "said",
                sp("Captain Laith Omran said the convoy would resume by 2032-05-01."),
            ),
        ),
        claims=(
            Claim(
                12,
                "trucks",
                "damaged trucks",
                "officials",
                sp("Officials counted 12 damaged trucks."),
            ),
        ),
        deadlines=(
            Deadline(
                "convoy resumes",
                "2032-05-01",
                "day",
                "by",
                "Laith Omran",
                sp("the convoy would resume by 2032-05-01"),
            ),
        ),
        entities=(
            Entity(
                "place",
                "Qaryat Nakhla",
                (Mention(44, 57, "Qaryat Nakhla"),),
                latitude=33.912,
                longitude=44.705,
                admin1="Diyala",
                country="Iraq",
            ),
            Entity("place", "Wadi Nowhere", (Mention(0, 1, "A"),)),
            Entity("person", "Laith Omran", (Mention(92, 103, "Laith Omran"),), title="Captain"),
        ),
    )


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    """backend -> the URL of the ledger below (built once a module: these tests only read it)."""
    return {}


@pytest.fixture
def ledger(
    backend: str,
    built: dict[str, str],
    ledger_urls: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Ledger]:
    if backend not in built:
        url = ledger_urls("export.db")
        if backend == "sqlite":  # outlive the first test's tmp_path
            url = str(tmp_path_factory.mktemp("export") / "export.db")
        with open_ledger(url) as opened:
            opened.store(extraction("conv-1", "raw one"))
            opened.store(extraction("conv-2", "raw two"))
            change = Change("reaffirmed", "Laith Omran", "convoy",
                            RecordRef("conv-1", "deadline", {"deadline": "2032-05-01"}),
                            RecordRef("conv-2", "deadline", {"deadline": "2032-05-01"}),
                            "the same date in both reports")  # fmt: skip
            opened.store_changes([change])
        built[backend] = url
    with open_ledger(built[backend]) as opened:
        yield opened


EXPECTED_ROWS = {
    "articles": 2,
    "events": 4,
    "quotes": 2,
    "claims": 2,
    "deadlines": 2,
    "entities": 6,
    "changes": 1,
}


def run(ledger: Ledger, kind: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    n = export(ledger, kind, fmt, out)
    return n, out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_every_kind_in_every_format(ledger: Ledger, kind: str, fmt: str) -> None:
    n, text = run(ledger, kind, fmt)
    assert n == EXPECTED_ROWS[kind]
    if fmt == "csv":
        parsed = list(csv.DictReader(io.StringIO(text)))
    elif fmt == "json":
        parsed = json.loads(text)
    else:
        parsed = [json.loads(line) for line in text.splitlines()]
    assert len(parsed) == n
    first = parsed[0]
    if kind == "articles":
        assert first["id"] == "conv-1" and first["text"] == TEXT and first["raw_text"] == "raw one"
        offsets = first["offsets"] if fmt != "csv" else json.loads(first["offsets"])
        assert offsets == [[0], [0]]
    elif kind == "changes":
        assert first["why"] == "the same date in both reports"
        if fmt == "csv":
            assert (first["earlier_article"], first["later_article"]) == ("conv-1", "conv-2")
            assert json.loads(first["later_record"]) == {"deadline": "2032-05-01"}
        else:
            assert first["later"] == {
                "article": "conv-2", "kind": "deadline", "record": {"deadline": "2032-05-01"},
            }  # fmt: skip
    else:
        assert first["article_id"] == "conv-1"
        if kind != "entities":
            start = first["evidence_start"] if fmt == "csv" else first["evidence"]["start"]
            assert int(start) == 0 if kind == "events" else int(start) > 0
    if kind == "entities":
        mentions = first["mentions"] if fmt != "csv" else json.loads(first["mentions"])
        assert mentions == [{"start": 44, "end": 57, "text": "Qaryat Nakhla"}]
    if kind == "quotes":
        assert first["speaker"] == "Laith Omran" and first["kind"] == "indirect"
    if kind == "claims":
        assert float(first["value"]) == 12.0 and first["unit"] == "trucks"
    if kind == "deadlines":
        assert first["deadline"] == "2032-05-01" and first["precision"] == "day"


def test_events_csv_starts_with_acleds_columns(ledger: Ledger, shared: Path) -> None:
    with (shared / "eval" / "acled_dev.csv").open(encoding="utf-8", newline="") as f:
        acled_header = next(csv.reader(f))
    assert len(acled_header) == 31
    assert list(ACLED_COLUMNS) == acled_header == ACLED_HEADER
    _, text = run(ledger, "events", "csv")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:31] == acled_header
    assert header[31:] == [
        "article_id", "evidence_start", "evidence_end", "evidence_text", "confidence",
    ]  # fmt: skip


def test_events_csv_values(ledger: Ledger) -> None:
    _, text = run(ledger, "events", "csv")
    assert next(csv.reader(io.StringIO(text)))[:31] == ACLED_HEADER
    bomb, vague, *rest = list(csv.DictReader(io.StringIO(text)))
    assert len(rest) == 2
    assert bomb["event_id_cnty"] == "conv-1-1" and vague["event_id_cnty"] == "conv-1-2"
    assert rest[0]["event_id_cnty"] == "conv-2-1"
    assert bomb["event_date"] == "2032-04-19" and bomb["year"] == "2032"
    assert bomb["time_precision"] == "1" and bomb["geo_precision"] == "1"
    assert bomb["event_type"] == "Explosions/Remote violence"
    assert bomb["sub_event_type"] == "Remote explosive/landmine/IED"
    assert bomb["actor1"] == "Unidentified Armed Group (Iraq)"
    assert (bomb["assoc_actor_1"], bomb["assoc_actor_2"]) == ("", "Drivers")
    assert (bomb["country"], bomb["admin1"], bomb["admin2"]) == ("Iraq", "Diyala", "Baquba")
    assert (bomb["iso"], bomb["iso3"]) == ("368", "IRQ")
    assert (float(bomb["latitude"]), float(bomb["longitude"])) == (33.912, 44.705)
    assert bomb["source"] == "Sample Desk" and bomb["fatalities"] == "0"
    assert bomb["notes"].startswith("A roadside bomb")
    for unknown in ("data_id", "inter1", "inter2", "interaction", "region", "admin3",
                    "source_scale", "timestamp"):  # fmt: skip
        assert bomb[unknown] == ""
    assert bomb["evidence_text"] == TEXT[: int(bomb["evidence_end"])]
    assert bomb["confidence"] == "0.7"
    assert (vague["event_date"], vague["year"], vague["iso3"], vague["latitude"]) == ("",) * 4


def geojson(ledger: Ledger, kind: str) -> tuple[int, dict[str, Any]]:
    n, text = run(ledger, kind, "geojson")
    return n, json.loads(text)


def test_geojson_events(ledger: Ledger) -> None:
    n, collection = geojson(ledger, "events")
    assert collection["type"] == "FeatureCollection"
    assert n == len(collection["features"]) == 2  # the two events without a place are left out
    assert collection["newsledger"] == {"kind": "events", "features": 2, "without_coordinates": 2}
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [44.705, 33.912]}
        assert feature["properties"]["location"] == "Qaryat Nakhla"
        assert feature["properties"]["evidence"]["start"] == 0
    assert [f["id"] for f in collection["features"]] == ["conv-1-1", "conv-2-1"]


def test_geojson_places(ledger: Ledger) -> None:
    n, collection = geojson(ledger, "entities")
    assert n == 2
    assert {f["properties"]["kind"] for f in collection["features"]} == {"place"}
    assert collection["features"][0]["geometry"]["coordinates"] == [44.705, 33.912]
    assert collection["features"][0]["properties"]["mentions"][0]["text"] == "Qaryat Nakhla"
    assert collection["newsledger"]["without_coordinates"] == 2  # Wadi Nowhere, twice


def test_an_empty_ledger_exports_valid_empty_documents(ledger_urls: Callable[[str], str]) -> None:
    with open_ledger(ledger_urls("empty.db")) as empty:
        assert run(empty, "events", "json") == (0, "[]\n")
        assert run(empty, "quotes", "jsonl") == (0, "")
        n, text = run(empty, "events", "csv")
        assert n == 0 and text.splitlines()[0].startswith("data_id,iso,event_id_cnty,")
        n, collection = geojson(empty, "entities")
        assert n == 0 and collection["features"] == [] and collection["type"] == "FeatureCollection"


def test_unknown_kind_format_or_geojson_kind_are_value_errors(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="unknown kind 'people'; choose one of articles, events,"):
        export(ledger, "people", "csv", io.StringIO())
    with pytest.raises(ValueError, match="unknown format 'xlsx'; choose one of csv, json, jsonl"):
        export(ledger, "events", "xlsx", io.StringIO())
    with pytest.raises(ValueError, match="GeoJSON export is for events and entities"):
        export(ledger, "quotes", "geojson", io.StringIO())


class GrowingLedger:
    """Yields rows one at a time and notes how much output there was before each one."""

    def __init__(self, ledger: Ledger, out: io.StringIO) -> None:
        self.ledger, self.out, self.seen = ledger, out, []

    def iter_rows(self, kind: str) -> Iterator[dict[str, Any]]:
        for row in self.ledger.iter_rows(kind):
            self.seen.append(len(self.out.getvalue()))
            yield row


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_are_written_as_they_are_read(ledger: Ledger, fmt: str) -> None:
    out = io.StringIO()
    spy = GrowingLedger(ledger, out)
    export(spy, "events", fmt, out)  # type: ignore[arg-type]
    assert len(spy.seen) == 4
    # rows written before the next is read (geojson skips the events without coordinates)
    assert spy.seen[1] > spy.seen[0]
    assert spy.seen[-1] > spy.seen[1]
