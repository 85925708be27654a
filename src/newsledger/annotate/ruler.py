"""The attribute ruler by index: the same attributes as spaCy's `AttributeRuler`, faster.

spaCy's attribute ruler runs a Matcher of ~180 one-token patterns (a tag map and word
exceptions) over every token, then sets each match's attributes through a Python Span: a tenth
of a bare `nlp.pipe` on news text. `IndexedRuler` looks the same patterns up by value (the tag
of each token, and only the tokens whose word or tag a pattern names) and writes the attributes
back in one `Doc.from_array`. The other patterns (several tokens, `NOT_IN`, a regular
expression) are tested a column at a time (`_Sequence`: a mask of the tokens each token spec
accepts, shifted and joined); only a pattern with an operator or another predicate goes through a
Matcher. Later patterns win, as in the ruler. tests/annotate/test_annotate.py checks the Docs
are identical to `nlp.pipe`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
class _Test:
    """One attribute's condition in a token spec: its value in (or, `negated`, not in) `values`,
    or its string searched by `regex`."""

    column: int  # attribute id
    values: numpy.ndarray
    negated: bool = False
    regex: re.Pattern[str] | None = None
    searched: dict[int, bool] = field(default_factory=dict, repr=False)  # value -> regex found


@dataclass(frozen=True)
class _Sequence:
    """A pattern of consecutive tokens, each with the tests of its spec (no operators)."""

    number: int
    tokens: tuple[tuple[_Test, ...], ...]


@dataclass(frozen=True)
class IndexedRuler:
    """An attribute ruler's patterns, indexed for lookup by value (see the module docstring)."""

    ruler: AttributeRuler
    indexes: tuple[_Index, ...]
    rest: Matcher | None  # patterns neither the indexes nor the sequences can hold
    columns: tuple[int, ...]  # every attribute an index or a sequence reads
    sequences: tuple[_Sequence, ...] = ()


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


def _ids(name: str, values: list[Any], strings: Any) -> numpy.ndarray:
    if name == "IS_SPACE":
        ids = [int(bool(v)) for v in values]
    elif name == "POS":
        ids = [IDS[v] for v in values]
    else:
        ids = [strings.add(v) for v in values]
    return numpy.array(sorted(set(ids)), dtype="uint64")


def _token_tests(spec: Mapping[str, Any], strings: Any) -> tuple[_Test, ...] | None:
    """A token spec as tests of its attributes, or None if it needs the Matcher."""
    tests: list[_Test] = []
    for name, value in spec.items():
        if name not in _PLAIN:
            return None
        if isinstance(value, bool | str):
            tests.append(_Test(IDS[name], _ids(name, [value], strings)))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((kind, values),) = value.items()
            tests.append(_Test(IDS[name], _ids(name, list(values), strings), kind == "NOT_IN"))
        elif (
            isinstance(value, dict)
            and set(value) == {"REGEX"}
            and name not in ("IS_SPACE", "POS")
            and isinstance(value["REGEX"], str)
        ):
            empty = numpy.array([], dtype="uint64")
            tests.append(_Test(IDS[name], empty, regex=re.compile(value["REGEX"])))
        else:
            return None
    return tuple(tests)


def index_ruler(ruler: AttributeRuler) -> IndexedRuler:
    strings = ruler.vocab.strings
    groups: dict[tuple[int, ...], dict[tuple[int, ...], list[int]]] = {}
    rest = Matcher(ruler.vocab)
    has_rest = False
    sequences: list[_Sequence] = []
    for number, entry in enumerate(ruler.patterns):
        patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
        plain = [
            _plain_values(spec, strings)
            for pattern in patterns
            if len(pattern) == 1
            for spec in pattern
        ]
        if len(plain) != len(patterns) or any(p is None for p in plain):
            tested = [tuple(_token_tests(spec, strings) for spec in p) for p in patterns]
            if all(t and all(x is not None for x in t) for t in tested):
                sequences.extend(_Sequence(number, t) for t in tested)  # type: ignore[arg-type]
            else:
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
    every = {c for index in indexes for c in index.columns}
    every |= {t.column for seq in sequences for tests in seq.tokens for t in tests}
    rest_or_none = rest if has_rest else None
    return IndexedRuler(ruler, indexes, rest_or_none, tuple(sorted(every)), tuple(sequences))


def _accepted(test: _Test, column: numpy.ndarray, strings: Any) -> numpy.ndarray:
    """Which tokens pass `test` (`column`: the attribute's values, token by token)."""
    if test.regex is None:
        hits = numpy.isin(column, test.values)
        return ~hits if test.negated else hits
    searched = test.searched
    for value in numpy.unique(column).tolist():
        if value not in searched:
            searched[value] = test.regex.search(strings[value]) is not None
    found = [value for value, hit in searched.items() if hit]
    return numpy.isin(column, numpy.array(found, dtype="uint64"))


def _sequence_starts(
    rows: numpy.ndarray, position: Mapping[int, int], sequence: _Sequence, strings: Any
) -> numpy.ndarray:
    """Where every token of the sequence, from there on, passes its spec's tests."""
    starts = len(rows) - len(sequence.tokens) + 1
    if starts <= 0:
        return numpy.array([], dtype="int64")
    ok = numpy.ones(starts, dtype=bool)
    for offset, tests in enumerate(sequence.tokens):
        for test in tests:
            ok &= _accepted(test, rows[offset : offset + starts, position[test.column]], strings)
    return numpy.flatnonzero(ok)


def _targets(doc: Doc, indexed: IndexedRuler) -> dict[int, list[numpy.ndarray]]:
    """Pattern number -> the tokens its matches set (each match's token at the pattern's
    index), for every match the ruler's Matcher would find."""
    found: dict[int, list[numpy.ndarray]] = {}
    if len(doc) == 0:
        return found
    indices = indexed.ruler.indices
    rows = doc.to_array(list(indexed.columns))
    if rows.ndim == 1:
        rows = rows.reshape(-1, 1)
    position = {c: n for n, c in enumerate(indexed.columns)}
    for index in indexed.indexes:
        values = rows[:, [position[c] for c in index.columns]]
        candidates = numpy.flatnonzero(numpy.isin(values[:, 0], index.first_values))
        if not len(candidates):
            continue
        if values.shape[1] == 1:  # one column: unique values, not rows (much faster)
            keys, inverse = numpy.unique(values[candidates, 0], return_inverse=True)
            key_tuples = [(key,) for key in keys.tolist()]
        else:
            keys, inverse = numpy.unique(values[candidates], axis=0, return_inverse=True)
            key_tuples = [tuple(key) for key in keys.tolist()]
        inverse = inverse.reshape(-1)
        for k, key in enumerate(key_tuples):
            numbers = index.by_value.get(key)
            if numbers:
                tokens = candidates[inverse == k]
                for number in numbers:
                    _index_within(indices[number], 1, number)
                    found.setdefault(number, []).append(tokens)
    strings = doc.vocab.strings
    for sequence in indexed.sequences:
        starts = _sequence_starts(rows, position, sequence, strings)
        if len(starts):
            size = len(sequence.tokens)
            at = _index_within(indices[sequence.number], size, sequence.number)
            found.setdefault(sequence.number, []).append(starts + at)
    if indexed.rest is not None:
        for match_id, start, end in indexed.rest(doc, allow_missing=True):
            number = int(strings[match_id])
            at = _index_within(indices[number], end - start, number)
            found.setdefault(number, []).append(numpy.array([start + at]))
    return found


def _index_within(index: int, size: int, number: int) -> int:
    """The offset in a match of `size` tokens of the token the pattern sets."""
    at = index if index >= 0 else size + index
    if not 0 <= at < size:
        raise ValueError(f"attribute ruler pattern {number}: index {index} outside its match")
    return at


def apply_ruler(doc: Doc, indexed: IndexedRuler) -> None:
    """What `ruler(doc)` does: every match sets its token's attributes, later patterns winning."""
    targets = _targets(doc, indexed)
    if not targets:
        return
    columns: dict[int, numpy.ndarray] = {}
    for number in sorted(targets):
        tokens = numpy.concatenate(targets[number])
        for attr, value in indexed.ruler.attrs[number].items():
            if attr not in columns:
                columns[attr] = doc.to_array([attr]).astype("uint64")
            columns[attr][tokens] = value
    attrs = list(columns)
    values = numpy.stack([columns[a] for a in attrs], axis=1)
    doc.from_array(attrs, values)  # type: ignore[arg-type]
