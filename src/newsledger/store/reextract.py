"""Re-extraction of a stored article with its reviews carried over (`ingest --reextract`).

In one transaction: the article's machine records (ordinals below reviews.ADDED_BASE; records a
reviewer added stay) and entities are replaced by the new extraction's, the article's clean text
and offsets by the new ones, and each reviewed record's review is carried to the new record of
the same kind with the same evidence span. A review that no longer fits is kept and listed for
re-review (`review_state.rereview` says why), never dropped and never applied blindly:

- its span is gone (no new record of that kind has it): the review moves to an ordinal from
  ORPHAN_BASE up, where it overlays nothing, and is listed;
- a field's new machine value differs from the machine value the reviewer saw (and from the
  value they set): the review is carried, shown, and the record goes back into the queue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from newsledger.records import Extraction
from newsledger.store import reviews, tallies
from newsledger.store.ledger import Ledger
from newsledger.store.reviews import ADDED_BASE, EDITABLE, KINDS, ORPHAN_BASE, loads
from newsledger.store.rows import event_names, gazetteer_id, record_row
from newsledger.store.sql.tables import (
    GAZETTEER_ADD,
    GAZETTEER_SET,
    RECORD_FIELDS,
    Statements,
    build,
)

MOVING_BASE = 2_000_000
"""Ordinals reviews pass through while they move (so two swapping records never collide)."""


@dataclass
class Carried:
    """What one re-extraction did to the article's reviews."""

    article_id: str
    kept: int = 0  # carried to a new record that fits
    rereview: list[dict[str, Any]] = field(default_factory=list)  # {kind, id, why}

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article_id, "kept": self.kept, "rereview": self.rereview}


def _record_values(record: Any) -> dict[str, Any]:
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    evidence = values.pop("evidence", None)
    if evidence is not None:
        values.update(
            evidence_start=evidence.start, evidence_end=evidence.end, evidence_text=evidence.text
        )
    return values


def _old_records(run: Any, kind: str, article_id: str) -> dict[int, dict[str, Any]]:
    columns = RECORD_FIELDS[kind]
    names = ", ".join(f'"{c}"' for c in columns)
    rows = run(
        f"SELECT ordinal, {names} FROM {kind} WHERE article_id = {{p}} AND ordinal < {{p}}",
        [article_id, ADDED_BASE],
    )
    return {int(r[0]): dict(zip(columns, r[1:], strict=True)) for r in rows}


def _reviewed_values(run: Any, kind: str, article_id: str, ordinal: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in run(reviews.HISTORY, [kind, article_id, ordinal]):
        values = dict(zip(reviews.REVIEW_COLUMNS, row, strict=True))
        if values["field"] != "status":
            out[str(values["field"])] = loads(values["new_value"])
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    return bool(a == b)


def _fit(
    old: Mapping[str, Any], new: Mapping[str, Any], reviewed: Mapping[str, Any], kind: str
) -> list[str]:
    """The fields whose new machine value is neither what the reviewer saw nor what they set."""
    return [
        f
        for f in EDITABLE[kind]
        if not _same(new.get(f), old.get(f))
        and not (f in reviewed and _same(new.get(f), reviewed[f]))
    ]


def _insert(run: Any, statements: Statements, extraction: Extraction, article_id: str) -> None:
    for kind, columns in RECORD_FIELDS.items():
        for i, record in enumerate(getattr(extraction, kind)):
            run(statements.insert_records[kind], list(record_row(article_id, i, record, columns)))
    for i, entity in enumerate(extraction.entities):
        for j, m in enumerate(entity.mentions):
            run(statements.insert_mention, [article_id, i, article_id, j, m.start, m.end, m.text])
    for row in event_names(extraction.events):
        run(statements.add_event_names, list(row))


STATES_OF_ARTICLE = (
    "SELECT kind, ordinal FROM review_state WHERE article_id = {p} AND ordinal < {p} "
    "ORDER BY kind, ordinal"
)
NEXT_ORPHAN = (
    "SELECT COALESCE(MAX(ordinal) + 1, {p}) FROM review_state "
    "WHERE article_id = {p} AND ordinal >= {p} AND ordinal < {p}"
)
MOVE_STATE = (
    "UPDATE review_state SET ordinal = {p}, rereview = {p} "
    "WHERE kind = {p} AND article_id = {p} AND ordinal = {p}"
)
MOVE_REVIEWS = (
    "UPDATE reviews SET ordinal = {p} WHERE kind = {p} AND article_id = {p} AND ordinal = {p}"
)
UPDATE_ARTICLE = "UPDATE articles SET text = {p}, offsets = {p} WHERE id = {p}"
FORGET_TRACKING = tuple(
    f"DELETE FROM {table} WHERE article_id = {{p}}"
    for table in (
        "track_keys",
        "track_statements",
        "track_event_members",
        "track_done",
        "changes",  # those flagged when this article was tracked (it is the later report)
    )
)
"""What tracking filed for an article; cleared so that `track_article` runs again on the new
records with their reviewed values. Changes where it is the earlier report, entity aliases and
titles stay."""


Move = tuple[str, int, int, str | None]
"""(kind, old ordinal, new ordinal, why it must be reviewed again or None)."""


def _plan(
    reviewed: list[tuple[str, int]],
    old: Mapping[str, Mapping[int, Mapping[str, Any]]],
    new: Mapping[str, Mapping[int, Mapping[str, Any]]],
    seen: Mapping[tuple[str, int], Mapping[str, Any]],
    orphan: int,
) -> list[Move]:
    """Where each reviewed record's review goes: the new record of its kind with its span (or
    an orphan ordinal), and why it must be reviewed again."""
    spans = {
        kind: {
            (v["evidence_start"], v["evidence_end"]): i for i, v in reversed(list(records.items()))
        }
        for kind, records in new.items()
    }
    moves: list[Move] = []
    taken: set[tuple[str, int]] = set()
    for kind, ordinal in reviewed:
        before = old[kind].get(ordinal, {})
        span = (before.get("evidence_start"), before.get("evidence_end"))
        target = spans.get(kind, {}).get(span)
        if target is None or (kind, target) in taken:
            gone = (
                f"its evidence {span[0]}..{span[1]} is no longer a {kind[:-1]} after re-extraction"
            )
            moves.append((kind, ordinal, orphan, gone))
            orphan += 1
            continue
        taken.add((kind, target))
        changed = _fit(before, new[kind][target], seen[(kind, ordinal)], kind)
        why = f"the machine's {', '.join(changed)} changed on re-extraction" if changed else None
        moves.append((kind, ordinal, target, why))
    return moves


def replace_extraction(ledger: Ledger, extraction: Extraction, article_id: str) -> Carried:
    """Replace the machine records of stored article `article_id` by `extraction`'s and carry
    its reviews (one transaction)."""
    statements = build(ledger.dialect)
    carried = Carried(article_id)
    with ledger.transaction(f"re-extraction of article {article_id}") as run:
        reviewed = [(str(k), int(o)) for k, o in run(STATES_OF_ARTICLE, [article_id, ADDED_BASE])]
        old = {kind: _old_records(run, kind, article_id) for kind in KINDS}
        seen = {(k, o): _reviewed_values(run, k, article_id, o) for k, o in reviewed}
        named = tallies.names_of_article(run, article_id)
        for kind in (*KINDS, "entities"):
            run(
                f"DELETE FROM {kind} WHERE article_id = {{p}} AND ordinal < {{p}}",
                [article_id, ADDED_BASE],
            )
        _insert(run, statements, extraction, article_id)
        tallies.recount(run, named | tallies.names_of_article(run, article_id))  # people, places
        for statement in FORGET_TRACKING:
            run(statement, [article_id])
        article = extraction.article
        run(UPDATE_ARTICLE, [article.text, json.dumps(article.offsets.to_json()), article_id])
        gazetteer = None
        if extraction.gazetteer:
            gazetteer = gazetteer_id(extraction.gazetteer)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            run(GAZETTEER_ADD, [gazetteer, "\n".join(extraction.gazetteer), now])
        run(GAZETTEER_SET, [gazetteer, article_id])
        new = {
            kind: {i: _record_values(r) for i, r in enumerate(getattr(extraction, kind))}
            for kind in KINDS
        }
        orphan = int(run(NEXT_ORPHAN, [ORPHAN_BASE, article_id, ORPHAN_BASE, MOVING_BASE])[0][0])
        moves = _plan(reviewed, old, new, seen, orphan)
        for kind, ordinal, _, _ in moves:  # out of the way first: two records may swap
            run(MOVE_STATE, [MOVING_BASE + ordinal, None, kind, article_id, ordinal])
            run(MOVE_REVIEWS, [MOVING_BASE + ordinal, kind, article_id, ordinal])
        for kind, ordinal, target, why in moves:
            run(MOVE_STATE, [target, why, kind, article_id, MOVING_BASE + ordinal])
            run(MOVE_REVIEWS, [target, kind, article_id, MOVING_BASE + ordinal])
            if why is None:
                carried.kept += 1
            else:
                ref = f"{article_id}-{target + 1}"
                carried.rereview.append({"kind": kind, "id": ref, "was": ordinal + 1, "why": why})
    return carried
