"""Stored statements read back as candidates of a later article (`track_article`).

A statement is a candidate of every later article that shares a lookup key with it, so the same
rows are read again and again. Two ways to read them, giving the same statements in the same
order:

- the plain one (`track_article` without `kept`): every row under each key
  (`TRACK_KEY_RECORDS`), a row read as text (SQLite) parsed once while it is among the
  `STATEMENTS_KEPT` last parsed (`parsed`, keyed by the row itself);
- `KeptStatements` (what `tracking`, and so `ingest`, uses): the row ids under each key only
  (`TRACK_KEY_IDS`, read from an index), and the rows of the ids it has not kept, parsed and
  kept by id. Rows of `track_statements` are never updated (only inserted, and deleted when an
  article is re-extracted); PostgreSQL never reuses a row id, and SQLite may reuse the id of a
  deleted row, so on SQLite what is kept is forgotten when another connection has committed
  (`Ledger.data_version`). It lives as long as one `tracking` function (an ingest run).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsledger.store.rows import from_json
from newsledger.store.sql import track as track_sql
from newsledger.track.changes import Statement

Run = Callable[..., list[Sequence[Any]]]  # `Ledger.transaction`'s run(template, params)

STATEMENTS_KEPT = 4096  # about the statements of the last 250 articles (a few MB)


def parsed(row: Sequence[Any]) -> Statement:
    """A stored statement (a row of `STATEMENT_COLUMNS`). A row read as text (SQLite) is
    parsed once and the parse kept while it is among the `STATEMENTS_KEPT` last used (the row
    itself is the key, so a statement filed again with other values is parsed again)."""
    if all(value is None or isinstance(value, str | int) for value in row):
        return kept_parse(tuple(row))
    return parse_statement(row)


@functools.lru_cache(maxsize=STATEMENTS_KEPT)
def kept_parse(row: tuple[Any, ...]) -> Statement:
    return parse_statement(row)


def parse_statement(row: Sequence[Any]) -> Statement:
    values = dict(zip(track_sql.STATEMENT_COLUMNS, row, strict=True))
    stance, record = from_json(values["stance"]), from_json(values["record"])
    return Statement(
        article=str(values["article_id"]),
        kind=str(values["kind"]),
        ordinal=int(values["ordinal"]),
        published=str(values["published"] or ""),
        source=values["source"],
        speaker_key=values["speaker_key"],
        speaker=values["speaker"],
        topic=str(values["topic"]),
        # (side, cue, before, after); ledgers tracked before "after" was kept have three
        stance={
            k: (int(v[0]), str(v[1]), str(v[2]), str(v[3]) if len(v) > 3 else "")
            for k, v in stance.items()
        },
        record=record,
    )


_NOT_YET = object()  # no data version seen yet


@dataclass
class KeptStatements:
    """Statements read by row id, kept for later articles (the first `limit` read are let go
    first when it is full). Not shared between ledgers. Other connections' commits are seen
    (`statements`' `version`); this connection's own are not: it is for a run that only
    stores and tracks through it (ingest, watch), and re-extraction tracks without one."""

    limit: int = 2 * STATEMENTS_KEPT
    rows_read: int = 0  # rows read from the ledger (the others were kept)
    _by_id: dict[int, Statement] = field(default_factory=dict, repr=False)
    _version: object = field(default=_NOT_YET, repr=False)

    def statements(self, run: Run, ids: Iterable[int], version: int | None) -> list[Statement]:
        """The statements with these row ids, in their order (an id whose row is gone since it
        was listed, deleted by another connection, is left out). `version`: the ledger's
        `data_version` within the same transaction; when it differs from the last one, what
        was kept is forgotten first."""
        if version != self._version:
            self._by_id.clear()
            self._version = version
        wanted = list(ids)
        kept = self._by_id
        missing = [i for i in wanted if i not in kept]
        chunk = track_sql.STATEMENTS_BY_ID_CHUNK
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            for row in run(track_sql.track_statements_by_id(len(part)), part):
                kept[int(row[0])] = parse_statement(row[1:])
                self.rows_read += 1
        out = [kept[i] for i in wanted if i in kept]
        while len(kept) > self.limit:
            del kept[next(iter(kept))]
        return out
