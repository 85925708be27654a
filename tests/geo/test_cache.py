"""The gazetteer cache: a file pickled by another layout of the package is rebuilt, not fatal."""

from __future__ import annotations

import pickle
import sys
import types
from pathlib import Path

import pytest

from newsledger.geo.cache import inputs_hash, read_cache


def test_a_cache_naming_a_module_that_is_gone_is_rebuilt(tmp_path: Path) -> None:
    # an upgrade that moved the tables' module: the old pickle names a path that no longer imports
    gone = types.ModuleType("newsledger_moved_away")
    exec("class Tables:\n    pass\n", gone.__dict__)
    gone.Tables.__module__ = gone.__name__
    sys.modules[gone.__name__] = gone
    try:
        data = pickle.dumps(gone.Tables())
    finally:
        del sys.modules[gone.__name__]
    path = tmp_path / f"gazetteer-{inputs_hash(1000)}.pickle"
    path.write_bytes(data)
    with pytest.warns(UserWarning, match="unreadable .*No module named 'newsledger_moved_away'"):
        assert read_cache(path) is None
