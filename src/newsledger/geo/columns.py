"""The gazetteer's large columns as flat buffers, read in place (the cache file, memory-mapped).

Unpickling a column of a quarter of a million names, codes or numbers makes as many Python
objects (a tenth of a second for the six columns below, in every process that loads the
gazetteer, and their memory in each); read in place, a column costs nothing to open and an
entry is made when it is read (a report reads a few thousand). The layout of one column, all
integers unsigned 64-bit little-endian, each part padded to 8 bytes:

    header   magic (8 bytes), kind (8 bytes, ASCII), entries, data bytes
    text     `entries + 1` offsets into the data, then the data: UTF-8, entry after entry
    float    the data: `entries` IEEE doubles
    int      the data: `entries` signed 64-bit integers (`NONE` stands for None)
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

MAGIC = b"NLCOLMN1"
NONE = -(1 << 63)  # an int column's None
_HEADER = struct.Struct("<8s8sQQ")
LARGE = ("name", "cc", "lat", "lon", "geonameid", "population")
"""The columns of `model.Tables` kept this way (the others repeat few values: pickled)."""

T = TypeVar("T")


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 8)


def _little(view: memoryview) -> memoryview:
    if sys.byteorder != "little":  # pragma: no cover (the cache is written and read here)
        raise ValueError("the gazetteer's column cache is little-endian")
    return view


def encode_column(values: Sequence[Any]) -> bytes:
    """One column's buffer: text (str), float or int (with None) by what `values` hold."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str} and None not in values:
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        ends = [0]
        for e in encoded:
            ends.append(ends[-1] + len(e))
        data = struct.pack(f"<{len(ends)}Q", *ends) + _padded(b"".join(encoded))
        kind = b"text\0\0\0\0"
    elif kinds <= {float} and None not in values:
        data = struct.pack(f"<{len(values)}d", *values)
        kind = b"float\0\0\0"
    elif kinds <= {int}:
        if any(v is not None and (v == NONE or not -(1 << 63) < v < 1 << 63) for v in values):
            raise ValueError("an int column's values must fit 64 bits (and not be -2**63)")
        data = struct.pack(f"<{len(values)}q", *(NONE if v is None else v for v in values))
        kind = b"int\0\0\0\0\0"
    else:
        raise ValueError(f"a column of {sorted(k.__name__ for k in kinds)} cannot be encoded")
    return _HEADER.pack(MAGIC, kind, len(values), len(data)) + data


def read_column(view: memoryview) -> tuple[Sequence[Any], int]:
    """The column at the start of `view`, and how many bytes it takes."""
    if len(view) < _HEADER.size:
        raise ValueError("a gazetteer column is truncated")
    magic, kind, entries, size = _HEADER.unpack_from(view)
    if magic != MAGIC or len(view) < _HEADER.size + size:
        raise ValueError("not a gazetteer column (wrong magic, or truncated)")
    data = _little(view[_HEADER.size : _HEADER.size + size])
    column: Sequence[Any]
    if kind == b"text\0\0\0\0":
        column = TextColumn(data[: 8 * (entries + 1)].cast("Q"), data[8 * (entries + 1) :])
    elif kind == b"float\0\0\0":
        column = Column(data.cast("d"))
    elif kind == b"int\0\0\0\0\0":
        column = IntColumn(data.cast("q"))
    else:
        raise ValueError(f"unknown gazetteer column kind {kind!r}")
    if len(column) != entries:
        raise ValueError("a gazetteer column's length does not match its header")
    return column, _HEADER.size + size


class Column(Sequence[T], Generic[T]):
    """A read-only column over a typed memoryview; equal to any sequence of the same values."""

    def __init__(self, view: memoryview[Any]) -> None:
        self._view: Any = view  # a memoryview cast to its items' format

    def __len__(self) -> int:
        return len(self._view)

    def _at(self, i: int) -> T:
        value: T = self._view[i]
        return value

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("gazetteer column index out of range")
        return self._at(i)

    def __iter__(self) -> Iterator[T]:
        for i in range(len(self)):
            yield self._at(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (like a list's)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} entries)"


class TextColumn(Column[str]):
    """Strings: their end offsets and their UTF-8 bytes; an entry is decoded when read."""

    def __init__(self, ends: memoryview[Any], data: memoryview[Any]) -> None:
        super().__init__(ends)
        self._data = data

    def __len__(self) -> int:
        return len(self._view) - 1

    def _at(self, i: int) -> str:
        return str(self._data[self._view[i] : self._view[i + 1]], "utf-8", "surrogatepass")


class IntColumn(Column[int | None]):
    """Integers, `NONE` read as None."""

    def _at(self, i: int) -> int | None:
        value: int = self._view[i]
        return None if value == NONE else value
