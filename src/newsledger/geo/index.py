"""The gazetteer's name index (name key -> rows) as one flat buffer, read in place.

A dict of half a million name keys takes a third of a second to unpickle in every process that
loads the gazetteer; this index is a hash table over a buffer (the cache file, memory-mapped),
so opening it costs nothing and a lookup reads a few slots. The layout, all integers unsigned
32-bit little-endian except the rows (signed):

    header   magic (8 bytes), keys, slots, rows, key bytes
    slots    `slots` entries: 0 empty, else 1 + the key's number (linear probing on crc32)
    key_ends `keys + 1` offsets into the key bytes (key k is key_bytes[key_ends[k]:key_ends[k+1]])
    row_ends `keys + 1` offsets into the rows
    rows     the row numbers of every key, key after key
    key bytes the keys in UTF-8, sorted
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

MAGIC = b"NLNAMES1"
# names looked up are remembered (a report looks up some 400, most of them again and again across
# reports: then a dict answers); the memory is emptied when it holds this many
SEEN_MAX = 1 << 16
_UNSEEN: Any = object()
_HEADER = struct.Struct("<8sIIII")


def encode_index(index: Mapping[str, Sequence[int]]) -> bytes:
    """The buffer `NameIndex` reads: `index`'s keys and rows, in key order."""
    keys = sorted(index)
    encoded = [k.encode("utf-8", "surrogatepass") for k in keys]
    slots = 1
    while slots < 2 * len(keys):  # at most half full: short probes
        slots *= 2
    table = [0] * slots
    mask = slots - 1
    for number, kb in enumerate(encoded):
        i = zlib.crc32(kb) & mask
        while table[i]:
            i = (i + 1) & mask
        table[i] = number + 1
    key_ends = [0]
    for kb in encoded:
        key_ends.append(key_ends[-1] + len(kb))
    row_ends = [0]
    rows: list[int] = []
    for k in keys:
        rows.extend(index[k])
        row_ends.append(len(rows))
    parts = [
        _HEADER.pack(MAGIC, len(keys), slots, len(rows), key_ends[-1]),
        _array("I", table),
        _array("I", key_ends),
        _array("I", row_ends),
        _array("i", rows),
        b"".join(encoded),
    ]
    return b"".join(parts)


def _array(code: str, values: list[int]) -> bytes:
    return struct.pack(f"<{len(values)}{code}", *values)


class NameIndex(Mapping[str, tuple[int, ...]]):
    """A read-only mapping from name keys to row numbers over an `encode_index` buffer (bytes,
    or a memoryview of a memory-mapped file)."""

    def __init__(self, buffer: bytes | memoryview) -> None:
        view = memoryview(buffer)
        if len(view) < _HEADER.size:
            raise ValueError("the name index is truncated")
        magic, keys, slots, rows, key_bytes = _HEADER.unpack_from(view)
        if magic != MAGIC:
            raise ValueError("not a name index (wrong magic)")
        sizes = (4 * slots, 4 * (keys + 1), 4 * (keys + 1), 4 * rows, key_bytes)
        if len(view) < _HEADER.size + sum(sizes):
            raise ValueError("the name index is truncated")
        if sys.byteorder != "little":  # the casts below read the machine's order
            view = memoryview(_swapped(bytes(view), keys, slots, rows))
        offset = _HEADER.size
        arrays = []
        for size in sizes:
            arrays.append(view[offset : offset + size])
            offset += size
        self._buffer = view[:offset]
        self._keys = keys
        self._mask = slots - 1
        self._slots = arrays[0].cast("I")
        self._key_ends = arrays[1].cast("I")
        self._row_ends = arrays[2].cast("I")
        self._rows = arrays[3].cast("i")
        self._key_bytes = arrays[4]
        self._seen: dict[str, tuple[int, ...] | None] = {}

    @classmethod
    def of(cls, index: Mapping[str, Sequence[int]]) -> NameIndex:
        return cls(encode_index(index))

    def _number(self, key: str) -> int:
        """The key's number, or -1."""
        kb = key.encode("utf-8", "surrogatepass")
        slots, ends, key_bytes, mask = self._slots, self._key_ends, self._key_bytes, self._mask
        i = zlib.crc32(kb) & mask
        while True:
            s = slots[i]
            if not s:
                return -1
            k = s - 1
            start, end = ends[k], ends[k + 1]
            if end - start == len(kb) and key_bytes[start:end] == kb:
                return k
            i = (i + 1) & mask

    @overload
    def get(self, key: str, /) -> tuple[int, ...] | None: ...
    @overload
    def get(self, key: str, default: Any, /) -> tuple[int, ...] | Any: ...
    def get(self, key: str, default: Any = None, /) -> Any:
        found = self._seen.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._find(key)
            if len(self._seen) >= SEEN_MAX:
                self._seen.clear()
            self._seen[key] = found
        return default if found is None else found

    def _find(self, key: str) -> tuple[int, ...] | None:
        k = self._number(key) if isinstance(key, str) else -1
        if k < 0:
            return None
        return tuple(self._rows[self._row_ends[k] : self._row_ends[k + 1]])

    def __getitem__(self, key: str) -> tuple[int, ...]:
        found = self.get(key, None)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return self._keys

    def __iter__(self) -> Iterator[str]:
        ends, key_bytes = self._key_ends, self._key_bytes
        for k in range(self._keys):
            yield bytes(key_bytes[ends[k] : ends[k + 1]]).decode("utf-8", "surrogatepass")

    def __reduce__(self) -> tuple[Any, ...]:
        return (NameIndex, (bytes(self._buffer),))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NameIndex):
            return bytes(self._buffer) == bytes(other._buffer)
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"NameIndex({self._keys} names)"


def _swapped(data: bytes, keys: int, slots: int, rows: int) -> bytes:
    """The buffer with its integer arrays in this (big-endian) machine's byte order."""
    count = slots + 2 * (keys + 1) + rows
    start = _HEADER.size
    ints = struct.unpack_from(f"<{count}I", data, start)
    return data[:start] + struct.pack(f"={count}I", *ints) + data[start + 4 * count :]
