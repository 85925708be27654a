"""The second-level divisions of data/admin2_more.tsv: their source in the header, and each row
a division of a province admin1.tsv knows, in its country."""

from __future__ import annotations

from newsledger.datafiles import read_text
from newsledger.geo import Gazetteer


def test_rows_name_their_source_and_a_known_province(gazetteer: Gazetteer) -> None:
    text = read_text("admin2_more.tsv")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("CC BY 4.0" in line for line in header)
    provinces = {
        tuple(line.split("\t")[:3:2])
        for line in read_text("admin1.tsv").splitlines()
        if line and not line.startswith("#")
    }
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 400
    for cc, admin1, name, lat, lon, _aliases, source in rows:
        assert (cc, admin1) in provinces, (cc, admin1, name)
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
        assert source == "naija-data"
    place = gazetteer.resolve("Oshimili North", ("NG",))
    assert place is not None and place.feature == "admin2" and place.admin1 == "Delta"
