"""The gazetteer cache: a file pickled by another layout of the package, or of another format, is
rebuilt, not fatal; a cache read back answers as the tables it was written from."""

from __future__ import annotations

import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

from newsledger.geo import Gazetteer
from newsledger.geo.cache import inputs_hash, packed, read_cache, write_cache
from newsledger.geo.columns import LARGE, Column, encode_column, read_column
from newsledger.geo.index import NameIndex, encode_index


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
    path = tmp_path / f"gazetteer-{inputs_hash(1000)}.cache"
    path.write_bytes(packed(data, encode_index({})))
    with pytest.warns(UserWarning, match="unreadable .*No module named 'newsledger_moved_away'"):
        assert read_cache(path) is None


@pytest.mark.parametrize("content", [b"", b"garbage", b"\x80\x05K\x01."])
def test_a_cache_of_another_format_is_rebuilt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "gazetteer-x.cache"
    path.write_bytes(content)  # empty, not ours, or a bare pickle (the former format)
    with pytest.warns(UserWarning, match="unreadable"):
        assert read_cache(path) is None


def test_a_cache_read_back_holds_the_same_tables(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "gazetteer-x.cache"
    write_cache(path, gazetteer.tables)
    read = read_cache(path)
    assert read is not None
    assert isinstance(read.index, NameIndex)
    assert read == gazetteer.tables  # every column, and the index key by key
    assert read.index.get("mosul") == gazetteer.tables.index.get("mosul")
    assert read.index.get("no such place name", ()) == ()


def test_the_name_index_answers_as_the_dict_it_encodes() -> None:
    index = {"mosul": (3, 1), "al qaim": (7,), "": (0,), "zürich": (), "ḥalab": (2, 5, 9)}
    found = NameIndex.of(index)
    assert len(found) == len(index)
    assert sorted(found) == sorted(index)
    for key, rows in index.items():
        assert found.get(key) == rows
        assert found[key] == rows
        assert key in found
    assert found.get("mosu") is None
    assert found.get("mosul ", ()) == ()
    assert "basra" not in found
    with pytest.raises(KeyError):
        found["basra"]
    assert found == index
    assert pickle.loads(pickle.dumps(found)) == found
    empty = NameIndex.of({})
    assert len(empty) == 0 and empty.get("x") is None
    with pytest.raises(ValueError, match="truncated"):
        NameIndex(encode_index(index)[:-3])


_LOAD_COUNTING_BUILDS = """
import sys
from pathlib import Path
import newsledger.geo.load as load
real = load.build_tables
def counted(*args, **kwargs):
    with open(sys.argv[2], "a") as log:
        log.write("built\\n")
    return real(*args, **kwargs)
load.build_tables = counted
gazetteer = load.load_gazetteer(15000, cache_dir=Path(sys.argv[1]), imports_dir=Path(sys.argv[3]))
assert gazetteer.candidates("Mosul"), "the gazetteer read back has no Mosul"
"""


@pytest.mark.slow
def test_processes_starting_together_build_the_cache_once(tmp_path: Path) -> None:
    """The workers of one ingest start at once on an empty cache: one builds, the others wait
    for it and read what it wrote (before: each built its own, twice the CPU and memory)."""
    cache, log, imports = tmp_path / "cache", tmp_path / "builds.log", tmp_path / "imports"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _LOAD_COUNTING_BUILDS, str(cache), str(log), str(imports)]
        )
        for _ in range(3)
    ]
    assert [child.wait(timeout=300) for child in children] == [0, 0, 0]
    assert log.read_text().splitlines() == ["built"]
    assert len(list(cache.glob("gazetteer-*.cache"))) == 1


def test_the_large_columns_are_read_in_place_as_the_lists_they_encode(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    path = tmp_path / "gazetteer-x.cache"
    write_cache(path, gazetteer.tables)
    read = read_cache(path)
    assert read is not None
    for name in LARGE:
        column, source = getattr(read, name), getattr(gazetteer.tables, name)
        assert isinstance(column, Column), name  # not unpickled into a list
        assert len(column) == len(source) > 200_000
        assert list(column) == list(source), name
        assert column[-1] == source[-1] and column[3:6] == list(source[3:6])
    assert None in read.geonameid  # the supplement's places have no GeoNames id


def test_a_column_answers_as_its_list() -> None:
    for values in (
        ["Mosul", "", "Zürich", "Ḥalab", "a\udcffb"],
        [36.335, -0.0, 1e-300, float("inf")],
        [99072, None, 0, -5, 2**62],
    ):
        column, taken = read_column(memoryview(encode_column(values) + b"more"))
        assert taken == len(encode_column(values))
        assert column == values and list(column) == values and len(column) == len(values)
        assert [column[i] for i in range(-len(values), len(values))] == values + values
        assert column[1:] == values[1:]
        with pytest.raises(IndexError):
            column[len(values)]
    with pytest.raises(ValueError, match="cannot be encoded"):
        encode_column(["Mosul", None])
    with pytest.raises(ValueError, match="truncated"):
        read_column(memoryview(encode_column([1, 2, 3])[:-1]))
