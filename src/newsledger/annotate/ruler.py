"""The attribute ruler by index: the same attributes as spaCy's `AttributeRuler`, faster.

spaCy's attribute ruler runs a Matcher of ~180 one-token patterns (a tag map and word
exceptions) over every token, then sets each match's attributes through a Python Span: a tenth
of a bare `nlp.pipe` on news text. `IndexedRuler` looks the same patterns up by value (the tag
of each token, and only the tokens whose word or tag a pattern names) and writes the attributes
back in one `Doc.from_array`; patterns of several tokens or with a regular expression still go
through a Matcher. Later patterns win, as in the ruler. tests/test_annotate.py checks the Docs
are identical to `nlp.pipe`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import IDS  # type: ignore[import-not-found]
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

RULER = "attribute_ruler"


@dataclass(frozen=True)
class _Index:
    """Single-token patterns that compare the same attributes, keyed by their values."""

    columns: tuple[int, ...]  # attribute ids, in the order of the key tuples
    by_value: Mapping[tuple[int, ...], tuple[int, ...]]  # values -> pattern numbers
    first_values: numpy.ndarray  # the values of columns[0] any key holds (a cheap pre-filter)


@dataclass(frozen=True)
class IndexedRuler:
    """An attribute ruler's patterns, indexed for lookup by value (see the module docstring)."""

    ruler: AttributeRuler
    indexes: tuple[_Index, ...]
    rest: Matcher | None  # patterns the indexes cannot hold
    columns: tuple[int, ...]  # every attribute an index reads


_PLAIN = {"TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS"}


def _plain_values(spec: Mapping[str, Any], strings: Any) -> dict[int, list[int]] | None:
    """A token spec as attribute id -> accepted values, or None if it needs the Matcher."""
    out: dict[int, list[int]] = {}
    for name, value in spec.items():
        if name not in _PLAIN:
            return None
        if isinstance(value, bool):
            values: list[Any] = [value]
        elif isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            values = list(value["IN"])
        else:
            return None
        if name == "IS_SPACE":
            out[IDS[name]] = [int(bool(v)) for v in values]
        elif name == "POS":
            out[IDS[name]] = [IDS[v] for v in values]
        else:
            out[IDS[name]] = [strings.add(v) for v in values]
    return out


def index_ruler(ruler: AttributeRuler) -> IndexedRuler:
    strings = ruler.vocab.strings
    groups: dict[tuple[int, ...], dict[tuple[int, ...], list[int]]] = {}
    rest = Matcher(ruler.vocab)
    has_rest = False
    for number, entry in enumerate(ruler.patterns):
        patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
        plain = [
            _plain_values(spec, strings)
            for pattern in patterns
            if len(pattern) == 1
            for spec in pattern
        ]
        if len(plain) != len(patterns) or any(p is None for p in plain):
            rest.add(str(number), patterns)
            has_rest = True
            continue
        for spec in plain:
            assert spec is not None
            columns = tuple(sorted(spec))
            keys: list[tuple[int, ...]] = [()]
            for column in columns:
                keys = [(*k, v) for k in keys for v in spec[column]]
            table = groups.setdefault(columns, {})
            for key in keys:
                table.setdefault(key, []).append(number)
    indexes = tuple(
        _Index(
            columns,
            {k: tuple(v) for k, v in table.items()},
            numpy.array(sorted({k[0] for k in table}), dtype="uint64"),
        )
        for columns, table in groups.items()
    )
    every = tuple(sorted({c for index in indexes for c in index.columns}))
    return IndexedRuler(ruler, indexes, rest if has_rest else None, every)


def _matches(doc: Doc, indexed: IndexedRuler) -> list[tuple[int, int, int]]:
    """(pattern number, start, end) of every match, as the ruler's Matcher would find them."""
    found: list[tuple[int, int, int]] = []
    if len(doc) == 0:
        return found
    rows = doc.to_array(list(indexed.columns))
    if rows.ndim == 1:
        rows = rows.reshape(-1, 1)
    position = {c: n for n, c in enumerate(indexed.columns)}
    for index in indexed.indexes:
        cols = [rows[:, position[c]] for c in index.columns]
        first = cols[0]
        hits = numpy.isin(first, index.first_values)
        candidates = numpy.nonzero(hits)[0]
        if not len(candidates):
            continue
        lists = [c[candidates].tolist() for c in cols]
        for n, i in enumerate(candidates.tolist()):
            numbers = index.by_value.get(tuple(values[n] for values in lists))
            if numbers:
                found.extend((number, i, i + 1) for number in numbers)
    if indexed.rest is not None:
        strings = doc.vocab.strings
        for match_id, start, end in indexed.rest(doc, allow_missing=True):
            found.append((int(strings[match_id]), start, end))
    return found


def apply_ruler(doc: Doc, indexed: IndexedRuler) -> None:
    """What `ruler(doc)` does: every match sets its token's attributes, later patterns winning."""
    ruler = indexed.ruler
    matches = sorted(_matches(doc, indexed))
    if not matches:
        return
    columns: dict[int, list[int]] = {}
    for number, start, end in matches:
        index = ruler.indices[number]
        i = start + index if index >= 0 else end + index
        if not start <= i < end:
            raise ValueError(f"attribute ruler pattern {number}: index {index} outside its match")
        for attr, value in ruler.attrs[number].items():
            if attr not in columns:
                columns[attr] = doc.to_array([attr]).tolist()
            columns[attr][i] = value
    attrs: list[int | str] = list(columns)
    values = numpy.array([columns[a] for a in columns], dtype="uint64").T
    doc.from_array(attrs, values)  # type: ignore[arg-type]
