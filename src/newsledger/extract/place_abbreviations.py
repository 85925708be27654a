"""Provinces written by their abbreviation after a place: "Kaushambi (UP)", "Warangal city
(Warangal, TS)", "Nellore, AP" (`data/province_abbreviations.tsv`). An abbreviation is a
mention of its province only where it qualifies a name of that province and the report is
that country's: a town or district of the province is named so, or only a village of it and
the name is best known as a place of that country or the report names the country. So "Salem
city (Salem, TN)" is Tamil Nadu's, "Nashville, TN" stays Tennessee (and a dateline's
"WASHINGTON (AP)" the news agency's)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from newsledger.datafiles import read_lines
from newsledger.extract.place_mentions import NAME, PLACE_NOUNS, Candidate
from newsledger.geo import Gazetteer

ABBREVIATIONS_FILE = "province_abbreviations.tsv"
SOURCE = "ABBREVIATION"
# the name an abbreviation qualifies: "Kaushambi (", "Nellore, ", "Budgam district, "
_NAME_BEFORE = re.compile(rf"(?P<name>{NAME.pattern})(?:\s+{PLACE_NOUNS})?\s*[,(]\s*$")
# the name a parenthesis the abbreviation closes follows: "Wana town (SW, KPK)"
_NAME_BEFORE_PAREN = re.compile(rf"(?P<name>{NAME.pattern})(?:\s+{PLACE_NOUNS})?\s*\([^()]*$")
_CLOSES = re.compile(r"\s*[),]")


@dataclass(frozen=True)
class Abbreviations:
    """abbreviation as written -> (country code, admin1 name), and a pattern finding them."""

    provinces: MappingProxyType[str, tuple[str, str]]
    pattern: re.Pattern[str]


@functools.cache
def load_abbreviations() -> Abbreviations:
    """`data/province_abbreviations.tsv`, read once."""
    provinces: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(read_lines(ABBREVIATIONS_FILE), start=1):
        fields = line.split("\t")
        if len(fields) != 3 or len(fields[0]) != 2 or not fields[1] or not fields[2]:
            raise ValueError(
                f"{ABBREVIATIONS_FILE}: line {number} of its rows: expected country code, "
                f"abbreviations and province separated by tabs, got {line!r}"
            )
        for short in fields[1].split("|"):
            provinces[short] = (fields[0], fields[2])
    forms = "|".join(re.escape(s) for s in sorted(provinces, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w&])(?:{forms})(?![\w&])")
    return Abbreviations(MappingProxyType(provinces), pattern)


def abbreviation_candidates(
    text: str, candidates: Sequence[Candidate], gazetteer: Gazetteer
) -> list[Candidate]:
    """The province abbreviations of the text that qualify a name of their province (see the
    module docstring), each a candidate whose text is the province's name."""
    abbreviations = load_abbreviations()
    named = {gazetteer.country_code(c.text) for c in candidates} - {None}
    found = []
    for match in abbreviations.pattern.finditer(text):
        if not _CLOSES.match(text, match.end()):
            continue
        window = max(0, match.start() - 80), match.start()
        names = [
            m.group("name")
            for m in (_NAME_BEFORE.search(text, *window), _NAME_BEFORE_PAREN.search(text, *window))
            if m is not None
        ]
        code, province = abbreviations.provinces[match.group(0)]
        if any(_of_province(gazetteer, n, code, province, code in named) for n in names):
            found.append(Candidate(match.start(), match.end(), province, SOURCE))
    return found


def _of_province(gazetteer: Gazetteer, name: str, code: str, province: str, named: bool) -> bool:
    """Whether `name` is a town or district of the province, or a village of it while the name
    is best known as a place of its country or the report names that country (`named`)."""
    t = gazetteer.tables
    rows = gazetteer.rows(name) + gazetteer.village_rows(name)
    inside = [r for r in rows if (t.cc[r], t.admin1[r]) == (code, province)]
    if not inside:
        return False
    if named or any(t.feature[r] != "village" for r in inside):
        return True
    best = next(iter(gazetteer.candidates(name)), None)
    return best is not None and best.country_code == code
