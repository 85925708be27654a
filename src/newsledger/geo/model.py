"""The gazetteer's records: a place, its ACLED geo-precision, the tables it is built into, and the
distance between two points."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FEATURE_PRECISION = {
    "city": 1,
    "village": 1,
    "admin2": 2,
    "base": 2,
    "camp": 2,
    "prison": 2,
    "crossing": 2,
    "mountain": 2,
    "wadi": 2,
    "lake": 2,
    "area": 2,
    "admin1": 3,
    "country": 3,
    "desert": 3,
    "region": 3,
}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. `feature`: city, admin1, admin2, country, or a supplement kind."""

    name: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    country: str | None
    country_code: str | None
    geonameid: int | None
    feature: str
    population: int


def geo_precision(place: Place, near: bool = False) -> int:
    """ACLED's geo-precision: 1 the named town, 2 near a town or a small area (a base, a
    mountain, a district), 3 a large region, a province or a country."""
    level = FEATURE_PRECISION.get(place.feature, 2)
    if near and level == 1:
        return 2
    return level


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Tables:
    """The gazetteer's rows, column by column (fast to pickle), and its name index. The large
    columns (`columns.LARGE`) are lists when built, read in place when read from the cache."""

    name: Sequence[str]
    lat: Sequence[float]
    lon: Sequence[float]
    cc: Sequence[str]
    admin1: list[str | None]
    admin2: list[str | None]
    geonameid: Sequence[int | None]
    feature: list[str]
    population: Sequence[int]
    curated: list[bool]  # from the supplement (Iraq/Syria news names): preferred on a tie
    capital: list[bool]
    imported: list[bool]  # from the imports folder (`newsledger gazetteer import`)
    # name key -> rows: a dict when built, a `NameIndex` (index.py) when read from the cache
    index: Mapping[str, tuple[int, ...]]
    country_row: dict[str, int]  # ISO code -> row of the country
    phrases: dict[str, str]  # surface form as written (matched in text) -> its name key
    # transliteration key -> (row, spelling) of the places in Arabic-script countries
    translit: dict[str, tuple[tuple[int, str], ...]]
    # geonameids of the villages: GeoNames' towns of 500 to 999 people (cities500 beside
    # cities1000), which a name means only where the text names their province beside it
    villages: frozenset[int] = frozenset()
