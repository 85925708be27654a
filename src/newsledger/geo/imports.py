"""Gazetteer data an analyst adds: GeoNames dump files and plain CSV, read, validated and kept in
the imports folder (beside newsledger's configuration, never inside the installed package).

Formats, told apart by their name and first line:

- a GeoNames dump of places (`IQ.txt`, `IQ.zip`, `allCountries.zip`, `cities500.txt`; 19
  tab-separated columns): populated places (feature class P), divisions (ADM1 to ADM4), and bases,
  camps, prisons, mountains, wadis and lakes; other features are skipped, not errors;
- GeoNames alternate names (`alternateNamesV2.zip`/`.txt`, `alternateNames.txt`): the Latin-script
  names of places the gazetteer has (bundled or imported), by geonameid;
- GeoNames `admin2Codes.txt`: the names of second-level divisions, used for the imported towns'
  admin2 and for divisions the country file has no feature of (placed at the median of their
  imported towns);
- a plain CSV with the header `name,alternate_names,latitude,longitude,country_code,admin1,kind`
  (alternate names separated by `|`; kind one of KINDS, empty for a town).

Rows are validated one by one: a bad row is named by file and line and skipped, the rest are
imported. Importing a file again replaces what it brought before. The folder holds `places.tsv`,
`names.tsv`, `admin2.tsv` (normalised rows, each with the file it came from) and `manifest.json`
(what was imported, when, how many rows). `load_gazetteer` reads the folder and keys its cache on
the folder's content, so the cache is rebuilt after an import.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import statistics
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsledger.errors import InputError

KINDS = frozenset(
    {"city", "admin1", "admin2", "base", "camp", "prison", "crossing", "mountain", "wadi"}
    | {"lake", "area", "region", "desert"}
)
CSV_HEADER = ("name", "alternate_names", "latitude", "longitude", "country_code", "admin1", "kind")
IMPORT_FILES = ("places.tsv", "names.tsv", "admin2.tsv", "manifest.json")
MAX_ERRORS_KEPT = 200  # bad rows named in the report (all are counted)

# GeoNames feature codes -> gazetteer kinds (feature class P is always a town)
_FEATURE_KINDS = {
    "ADM1": "admin1",
    "ADM2": "admin2",
    "ADM3": "admin2",
    "ADM4": "admin2",
    "MILB": "base",
    "AIRB": "base",
    "INSM": "base",
    "CMP": "camp",
    "CMPRF": "camp",
    "RFGCMP": "camp",
    "PRN": "prison",
    "MT": "mountain",
    "MTS": "mountain",
    "HLL": "mountain",
    "HLLS": "mountain",
    "WAD": "wadi",
    "WADS": "wadi",
    "LK": "lake",
    "RGN": "region",
    "DSRT": "desert",
    "BDGQ": "crossing",
    "PSTB": "crossing",
}
_LATIN = re.compile(r"^[\sA-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF'’‘`ʿʾ.,()\-‐–]+$")
_NOT_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "wkdt"})
_ADMIN2_CODE = re.compile(r"^[A-Z]{2}\.[^.\t]+\.[^.\t]+$")


@dataclass(frozen=True)
class ImportedPlace:
    name: str
    aliases: tuple[str, ...]
    latitude: float
    longitude: float
    country_code: str
    admin1: str | None  # a name, or a GeoNames admin1 code (resolved when the tables are built)
    admin2: str | None  # a name, or a GeoNames "CC.A1.A2" code
    kind: str
    population: int
    geonameid: int | None
    origin: str  # the file it came from


@dataclass(frozen=True)
class Imports:
    """What the imports folder holds."""

    places: tuple[ImportedPlace, ...] = ()
    names: tuple[tuple[int, str, str], ...] = ()  # (geonameid, name, origin)
    admin2: tuple[tuple[str, str, str], ...] = ()  # ("CC.A1.A2", name, origin)
    manifest: tuple[dict[str, object], ...] = ()


@dataclass
class FileReport:
    """What one imported file gave: rows kept, rows skipped as other features, bad rows."""

    path: str
    kind: str
    rows: int = 0
    skipped: int = 0
    bad: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"{self.path}:{line}: {reason}")


def default_imports_dir() -> Path:
    """`$NEWSLEDGER_GAZETTEER`, else `$XDG_CONFIG_HOME/newsledger/gazetteer`, else
    `~/.config/newsledger/gazetteer`."""
    explicit = os.environ.get("NEWSLEDGER_GAZETTEER")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "newsledger" / "gazetteer"


# --- reading the files -------------------------------------------------------------------


def _tab_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of each non-blank line of a GeoNames text file."""
    for line_no, line in enumerate(_text_lines(path), start=1):
        line = line.rstrip("\r\n")
        if line.strip():
            yield line_no, line.split("\t")


def _text_lines(path: Path) -> Iterator[str]:
    """The lines of a text file, or of the one .txt member of a GeoNames .zip that matters."""
    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8", newline="") as handle:
            yield from handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(str(path), f"not a readable zip file ({exc})") from exc
    with archive:
        members = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n]
        if not members:
            raise InputError(str(path), "the zip file holds no .txt file")
        member = min(members, key=len)  # IQ.zip: IQ.txt; alternateNamesV2.zip: alternateNamesV2
        with archive.open(member) as raw:
            yield from io.TextIOWrapper(raw, encoding="utf-8", newline="")


def detect_format(path: Path) -> str:
    """ "places", "alternate_names", "admin2_codes" or "csv"; InputError when none fits."""
    name = path.name.lower()
    if not path.is_file():
        raise InputError(str(path), "no such file")
    if name.startswith("alternatenames"):
        return "alternate_names"
    if name.startswith("admin2codes"):
        return "admin2_codes"
    if name.endswith(".csv"):
        return "csv"
    first = next(iter(_text_lines(path)), "")
    columns = first.rstrip("\r\n").split("\t")
    if len(columns) == 19 and columns[0].isdigit():
        return "places"
    if len(columns) == 4 and _ADMIN2_CODE.match(columns[0]):
        return "admin2_codes"
    raise InputError(
        str(path),
        "not a gazetteer format newsledger knows: a GeoNames dump (19 tab-separated columns, "
        "as IQ.txt, IQ.zip or allCountries.zip), alternateNamesV2, admin2Codes.txt, or a CSV "
        f"with the header {','.join(CSV_HEADER)}",
    )


def _coordinates(lat: str, lon: str) -> tuple[float, float]:
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        raise ValueError(f"latitude/longitude {lat!r}, {lon!r} are not numbers") from None
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise ValueError(f"latitude/longitude {latitude}, {longitude} out of range")
    return latitude, longitude


def _country(code: str) -> str:
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"country code {code!r} is not two letters (ISO 3166-1 alpha-2)")
    return code


def read_places(path: Path, report: FileReport) -> list[ImportedPlace]:
    """The places of a GeoNames dump (19 columns)."""
    found = []
    for line_no, f in _tab_rows(path):
        if len(f) != 19:
            report.fail(line_no, f"{len(f)} tab-separated columns, a GeoNames dump has 19")
            continue
        feature_class, code = f[6], f[7]
        kind = "city" if feature_class == "P" else _FEATURE_KINDS.get(code)
        if kind is None:
            report.skipped += 1
            continue
        try:
            if not f[0].isdigit():
                raise ValueError(f"geonameid {f[0]!r} is not a number")
            if not f[1].strip():
                raise ValueError("no name")
            lat, lon = _coordinates(f[4], f[5])
            cc = _country(f[8])
            population = int(f[14] or 0)
        except ValueError as exc:
            report.fail(line_no, str(exc))
            continue
        names = [f[2], *f[3].split(",")]
        aliases = tuple(dict.fromkeys(n.strip() for n in names if n.strip() and _LATIN.match(n)))
        admin2 = f"{cc}.{f[10]}.{f[11]}" if f[10] and f[11] else None
        found.append(
            ImportedPlace(
                name=f[1].strip(),
                aliases=tuple(a for a in aliases if a != f[1].strip()),
                latitude=lat,
                longitude=lon,
                country_code=cc,
                admin1=f"{cc}.{f[10]}" if f[10] else None,
                admin2=admin2,
                kind=kind,
                population=population,
                geonameid=int(f[0]),
                origin=path.name,
            )
        )
        report.rows += 1
    return found


def read_alternate_names(path: Path, report: FileReport) -> list[tuple[int, str, str]]:
    """(geonameid, name, origin) of GeoNames alternate names in Latin script."""
    found = []
    for line_no, f in _tab_rows(path):
        if len(f) < 4 or not f[1].isdigit():
            report.fail(line_no, "an alternate name row has at least 4 columns, geonameid second")
            continue
        language, name = f[2], f[3].strip()
        historic = len(f) > 7 and f[7] == "1"
        if language in _NOT_LANGUAGES or historic or len(name) < 3 or not _LATIN.match(name):
            report.skipped += 1
            continue
        found.append((int(f[1]), name, path.name))
        report.rows += 1
    return found


def read_admin2_codes(path: Path, report: FileReport) -> list[tuple[str, str, str]]:
    """("CC.A1.A2", name, origin) of GeoNames' admin2Codes.txt."""
    found = []
    for line_no, f in _tab_rows(path):
        if len(f) < 2 or not _ADMIN2_CODE.match(f[0]) or not f[1].strip():
            report.fail(line_no, "an admin2 code row is CC.A1.A2, a tab, then the name")
            continue
        found.append((f[0], f[1].strip(), path.name))
        report.rows += 1
    return found


def read_csv(path: Path, report: FileReport) -> list[ImportedPlace]:
    """The places of a plain CSV (see CSV_HEADER)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(h.strip().lower() for h in header) != CSV_HEADER:
            raise InputError(str(path), f"a gazetteer CSV needs the header {','.join(CSV_HEADER)}")
        found = []
        for row in reader:
            line_no = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(CSV_HEADER):
                report.fail(line_no, f"{len(row)} columns, the header has {len(CSV_HEADER)}")
                continue
            name, aliases, lat, lon, cc, admin1, kind = (cell.strip() for cell in row)
            try:
                if not name:
                    raise ValueError("no name")
                latitude, longitude = _coordinates(lat, lon)
                code = _country(cc)
                kind = kind or "city"
                if kind not in KINDS:
                    raise ValueError(f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
            except ValueError as exc:
                report.fail(line_no, str(exc))
                continue
            found.append(
                ImportedPlace(
                    name=name,
                    aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                    latitude=latitude,
                    longitude=longitude,
                    country_code=code,
                    admin1=admin1 or None,
                    admin2=None,
                    kind=kind,
                    population=0,
                    geonameid=None,
                    origin=path.name,
                )
            )
            report.rows += 1
    return found


# --- the imports folder -------------------------------------------------------------------


def _cells(values: Iterable[object]) -> str:
    return "\t".join("" if v is None else str(v).replace("\t", " ") for v in values)


def write_imports(folder: Path, imports: Imports) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    places = [
        _cells(
            (
                p.name,
                "|".join(p.aliases),
                p.latitude,
                p.longitude,
                p.country_code,
                p.admin1,
                p.admin2,
                p.kind,
                p.population,
                p.geonameid,
                p.origin,
            )
        )
        for p in imports.places
    ]
    (folder / "places.tsv").write_text("".join(f"{line}\n" for line in places), encoding="utf-8")
    names = "".join(f"{_cells(n)}\n" for n in imports.names)
    (folder / "names.tsv").write_text(names, encoding="utf-8")
    admin2 = "".join(f"{_cells(a)}\n" for a in imports.admin2)
    (folder / "admin2.tsv").write_text(admin2, encoding="utf-8")
    (folder / "manifest.json").write_text(
        json.dumps(list(imports.manifest), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _lines(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def read_imports(folder: Path | None) -> Imports:
    """What the imports folder holds (nothing when there is no such folder)."""
    if folder is None or not (folder / "manifest.json").is_file():
        return Imports()
    places = tuple(
        ImportedPlace(
            name=f[0],
            aliases=tuple(a for a in f[1].split("|") if a),
            latitude=float(f[2]),
            longitude=float(f[3]),
            country_code=f[4],
            admin1=f[5] or None,
            admin2=f[6] or None,
            kind=f[7],
            population=int(f[8] or 0),
            geonameid=int(f[9]) if f[9] else None,
            origin=f[10],
        )
        for f in _lines(folder / "places.tsv")
    )
    names = tuple((int(f[0]), f[1], f[2]) for f in _lines(folder / "names.tsv"))
    admin2 = tuple((f[0], f[1], f[2]) for f in _lines(folder / "admin2.tsv"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return Imports(places, names, admin2, tuple(manifest))


def import_files(paths: Iterable[Path], folder: Path) -> list[FileReport]:
    """Read, validate and add the files to the imports folder (a file imported again replaces
    its earlier rows). Returns what each file gave; InputError for a file that is no format."""
    current = read_imports(folder)
    reports = []
    places = list(current.places)
    names = list(current.names)
    admin2 = list(current.admin2)
    manifest = [m for m in current.manifest]
    for path in paths:
        kind = detect_format(path)
        report = FileReport(str(path), kind)
        places = [p for p in places if p.origin != path.name]
        names = [n for n in names if n[2] != path.name]
        admin2 = [a for a in admin2 if a[2] != path.name]
        manifest = [m for m in manifest if m.get("file") != path.name]
        if kind == "places":
            places.extend(read_places(path, report))
        elif kind == "csv":
            places.extend(read_csv(path, report))
        elif kind == "alternate_names":
            names.extend(read_alternate_names(path, report))
        else:
            admin2.extend(read_admin2_codes(path, report))
        manifest.append(
            {
                "file": path.name,
                "format": kind,
                "rows": report.rows,
                "bad_rows": report.bad,
                "imported": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        reports.append(report)
    write_imports(folder, Imports(tuple(places), tuple(names), tuple(admin2), tuple(manifest)))
    return reports


def admin2_points(imports: Imports) -> dict[str, tuple[float, float]]:
    """ "CC.A1.A2" -> the median point of the imported towns in that division."""
    points: dict[str, list[tuple[float, float]]] = {}
    for p in imports.places:
        if p.kind == "city" and p.admin2:
            points.setdefault(p.admin2, []).append((p.latitude, p.longitude))
    return {
        code: (statistics.median(a for a, _ in pts), statistics.median(b for _, b in pts))
        for code, pts in points.items()
    }
