"""`newsledger gazetteer import` and `lookup`: small files in GeoNames' dump formats and in the
plain CSV, written for these tests (the places in them are invented, the format is GeoNames')."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.errors import InputError
from newsledger.geo import Gazetteer, import_files, load_gazetteer
from newsledger.geo.cache import inputs_hash
from newsledger.geo.imports import detect_format, read_imports


def _geonames_row(
    gid: int,
    name: str,
    alternates: str,
    lat: float,
    lon: float,
    fclass: str,
    fcode: str,
    cc: str,
    a1: str,
    a2: str,
    population: int,
) -> str:
    cells = [
        str(gid),
        name,
        name,
        alternates,
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        a1,
        a2,
        "",
        "",
        str(population),
        "",
        "300",
        "Asia/Baghdad",
        "2024-01-01",
    ]
    assert len(cells) == 19
    return "\t".join(cells)


COUNTRY_ROWS = [
    # a village GeoNames has and cities1000 lacks, in an invented district 99 of Ninewa (15)
    _geonames_row(
        990001,
        "Qaryat Zafrana",
        "Zafranah,Qaryat az Zafranah",
        36.41,
        42.77,
        "P",
        "PPL",
        "IQ",
        "15",
        "99",
        800,
    ),
    _geonames_row(
        990002,
        "Tell Warda Saghira",
        "Tall Wardah as Saghirah",
        36.45,
        42.81,
        "P",
        "PPL",
        "IQ",
        "15",
        "99",
        600,
    ),
    # the district's own feature
    _geonames_row(
        990003, "Qada' Zafrana", "Zafrana District", 36.43, 42.79, "A", "ADM2", "IQ", "15", "99", 0
    ),
    # a feature of another kind: skipped, not an error
    _geonames_row(990004, "Bi'r Zafrana", "", 36.42, 42.78, "H", "WLL", "IQ", "15", "99", 0),
    # bad rows: latitude out of range, then a cut line
    _geonames_row(990005, "Broken Village", "", 136.0, 42.0, "P", "PPL", "IQ", "15", "99", 0),
    "990006\tCut Line\tCut Line",
]
ALTERNATE_ROWS = [
    "1\t990001\ten\tZaafraneh\t\t\t\t\t\t",
    "2\t990001\tar\tزعفرانة\t\t\t\t\t\t",  # Arabic script: not a Latin name, skipped
    "3\t990001\tlink\thttps://example.org/Zafrana\t\t\t\t\t\t",  # a link: skipped
    "4\tnot-a-number\ten\tBroken\t\t\t\t\t\t",
]
ADMIN2_ROWS = [
    "IQ.15.99\tZafrana District\tZafrana District\t990003",
    "IQ.15.98\tEmpty District\tEmpty District\t990007",
    "no code here",
]
CSV_TEXT = (
    "name,alternate_names,latitude,longitude,country_code,admin1,kind\n"
    "Camp Testbed,Testbed Base|Al-Testbed Camp,34.10,43.20,IQ,Salah al-Din,base\n"
    "Nowhere Farm,,95.0,10.0,IQ,,\n"
    "Odd Kind,,34.0,43.0,IQ,,castle\n"
    "No Country,,34.0,43.0,Iraq,,\n"
    "Harat Example,Harat al-Example,33.31,44.42,IQ,Baghdad,\n"
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("gazetteer-files")
    (root / "IQ.txt").write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    with zipfile.ZipFile(root / "IQ.zip", "w") as archive:
        archive.writestr("IQ.txt", "\n".join(COUNTRY_ROWS) + "\n")
        archive.writestr("readme.txt", "GeoNames readme")
    with zipfile.ZipFile(root / "alternateNamesV2.zip", "w") as archive:
        archive.writestr("alternateNamesV2.txt", "\n".join(ALTERNATE_ROWS) + "\n")
        archive.writestr("iso-languagecodes.txt", "ISO 639-3\n")
    (root / "admin2Codes.txt").write_text("\n".join(ADMIN2_ROWS) + "\n", encoding="utf-8")
    (root / "places.csv").write_text(CSV_TEXT, encoding="utf-8")
    (root / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    return {p.name: p for p in root.iterdir()}


def test_formats_are_told_apart(files: dict[str, Path]) -> None:
    assert detect_format(files["IQ.txt"]) == "places"
    assert detect_format(files["IQ.zip"]) == "places"
    assert detect_format(files["alternateNamesV2.zip"]) == "alternate_names"
    assert detect_format(files["admin2Codes.txt"]) == "admin2_codes"
    assert detect_format(files["places.csv"]) == "csv"
    with pytest.raises(InputError, match=r"notes\.txt: not a gazetteer format"):
        detect_format(files["notes.txt"])


def test_rows_are_validated_and_bad_rows_named_by_line(
    files: dict[str, Path], tmp_path: Path
) -> None:
    reports = {
        Path(r.path).name: r
        for r in import_files(
            [files[n] for n in ("IQ.zip", "alternateNamesV2.zip", "admin2Codes.txt", "places.csv")],
            tmp_path,
        )
    }
    country = reports["IQ.zip"]
    assert (country.rows, country.skipped, country.bad) == (3, 1, 2)
    assert country.errors[0].endswith(":5: latitude/longitude 136.0, 42.0 out of range")
    assert ":6: 3 tab-separated columns" in country.errors[1]
    names = reports["alternateNamesV2.zip"]
    assert (names.rows, names.skipped, names.bad) == (1, 2, 1)
    assert (reports["admin2Codes.txt"].rows, reports["admin2Codes.txt"].bad) == (2, 1)
    csv_report = reports["places.csv"]
    assert (csv_report.rows, csv_report.bad) == (2, 3)
    assert [e.rsplit(":", 2)[1] for e in csv_report.errors] == ["3", "4", "5"]
    assert "kind 'castle'" in csv_report.errors[1] and "'IRAQ'" in csv_report.errors[2]
    held = read_imports(tmp_path)
    assert len(held.places) == 5 and len(held.names) == 1 and len(held.admin2) == 2
    # importing a file again replaces its rows
    import_files([files["IQ.txt"], files["IQ.txt"]], tmp_path)
    again = read_imports(tmp_path)
    assert len(again.places) == 8  # 3 from IQ.zip, 3 from IQ.txt, 2 from the CSV
    assert sorted(m["file"] for m in again.manifest) == sorted(
        ["IQ.zip", "IQ.txt", "alternateNamesV2.zip", "admin2Codes.txt", "places.csv"]
    )


def test_the_import_changes_the_cache_key(files: dict[str, Path], tmp_path: Path) -> None:
    before = inputs_hash(1000, None)
    import_files([files["places.csv"]], tmp_path)
    assert inputs_hash(1000, tmp_path) != before


@pytest.fixture(scope="module")
def imported(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("imports")
    import_files(
        [files[n] for n in ("IQ.zip", "alternateNamesV2.zip", "admin2Codes.txt", "places.csv")],
        folder,
    )
    return load_gazetteer(imports_dir=folder, use_cache=False)


def test_imported_places_are_found_with_their_kind_and_origin(imported: Gazetteer) -> None:
    village = imported.resolve("Zaafraneh", ["IQ"])  # by an imported alternate name
    assert village is not None and village.name == "Qaryat Zafrana"
    assert village.admin1 == "Ninewa" and village.admin2 == "Zafrana District"
    district = imported.resolve("Zafrana District", ["IQ"])
    assert district is not None and district.feature == "admin2"
    assert (district.latitude, district.longitude) == (36.43, 42.79)  # its own ADM2 feature
    camp = imported.resolve("Al-Testbed Camp", ["IQ"])
    assert camp is not None and camp.feature == "base" and camp.admin1 == "Salah al-Din"
    top = imported.explain("Camp Testbed", ["Iraq"])[0]
    assert top.origin == "imported" and top.place.name == "Camp Testbed"
    # a spelling the files do not write, found by the transliteration index
    assert imported.resolve("Tal Warda Saghirah", ["IQ"]) is not None
    # an admin2 code without a feature or towns has no point: not added
    assert imported.resolve("Empty District", ["IQ"]) is None


def test_cli_import_and_lookup(files: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    env = {
        "NEWSLEDGER_GAZETTEER": str(tmp_path / "imports"),
        "NEWSLEDGER_CACHE": str(tmp_path / "cache"),
    }
    result = runner.invoke(main, ["gazetteer", "import", str(files["places.csv"])], env=env)
    assert result.exit_code == 0, result.output
    assert "2 rows imported (csv)" in result.output and "3 bad" in result.output
    assert "places.csv:3: latitude/longitude 95.0, 10.0 out of range" in result.output
    assert "gazetteer rebuilt" in result.output
    looked = runner.invoke(
        main, ["gazetteer", "lookup", "Harat Example", "--country", "IQ"], env=env
    )
    assert looked.exit_code == 0, looked.output
    assert "imported" in looked.output and "33.3100, 44.4200" in looked.output
    assert "why:" in looked.output and "imported: places.csv" in looked.output
    stats = runner.invoke(
        main, ["stats", "--db", str(tmp_path / "l.db"), "--format", "json"], env=env
    )
    assert stats.exit_code == 0, stats.output
    sources = json.loads(stats.output)["gazetteer"]
    assert sources[0].startswith("bundled: GeoNames cities500") and "places.csv" in sources[1]
    bad = runner.invoke(main, ["gazetteer", "import", str(files["notes.txt"])], env=env)
    assert bad.exit_code != 0 and "not a gazetteer format" in bad.output
