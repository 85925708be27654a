"""Looking names up: the candidates a name may mean, ranked by population, kind, curation and the
document's countries and provinces, and the known place phrases written in a text."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from newsledger.geo.model import Place, Tables
from newsledger.geo.names import ADMIN_SUFFIXES, TOWN_SUFFIXES, name_key

# a town known by a province's name (not named so: "Durango" for Victoria de Durango) stands
# for the province when it holds this share of the province's people (not "Sinaloa" for the
# small Sinaloa de Leyva)
SHADOWING_SHARE = 0.3

# "Hays city" may be any town named Hays, but one known as "Hays City" comes first
BARE_NAME_PENALTY = 1.5


@dataclass(frozen=True)
class Gazetteer:
    tables: Tables
    automaton: Any = field(repr=False)  # ahocorasick.Automaton over lower-cased phrases
    generic_words: frozenset[str] = frozenset()  # data/place_stopwords.txt

    def __len__(self) -> int:
        return len(self.tables.name)

    def place(self, row: int) -> Place:
        t = self.tables
        cc = t.cc[row]
        crow = t.country_row.get(cc)
        return Place(
            name=t.name[row],
            latitude=t.lat[row],
            longitude=t.lon[row],
            admin1=t.admin1[row],
            admin2=t.admin2[row],
            country=t.name[crow] if crow is not None else None,
            country_code=cc or None,
            geonameid=t.geonameid[row],
            feature=t.feature[row],
            population=t.population[row],
        )

    def rows(self, name: str) -> tuple[int, ...]:
        return self.tables.index.get(name_key(name), ())

    def candidates(self, name: str) -> list[Place]:
        """Every place the name may mean, most likely first (without context)."""
        return [self.place(r) for r in self._ranked(name, (), ())]

    def country_code(self, name: str) -> str | None:
        """The ISO code a country name, alias, code or demonym stands for ("Syria", "SY",
        "Syrian"), or None."""
        if len(name) == 2 and name.isupper() and name in self.tables.country_row:
            return name
        for r in self.rows(name):
            if self.tables.feature[r] == "country":
                return self.tables.cc[r]
        return None

    def resolve(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Iterable[tuple[str, str]] = (),
    ) -> Place | None:
        """The place a name most likely means. `context_countries` (names or ISO codes of the
        countries the document is about) and `context_admin1` ((country code, admin1 name)
        pairs) favour candidates there; otherwise population, curated entries, countries and
        provinces decide (Palmyra is Syria's, not Pennsylvania's)."""
        row = self.resolve_row(name, context_countries, context_admin1)
        return None if row is None else self.place(row)

    def resolve_row(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Iterable[tuple[str, str]] = (),
    ) -> int | None:
        codes = tuple(c for c in (self.country_code(n) for n in context_countries) if c)
        ranked = self._ranked(name, codes, tuple(context_admin1))
        return ranked[0] if ranked else None

    def scored(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Iterable[tuple[str, str]] = (),
    ) -> list[tuple[Place, float]]:
        """Every candidate with its score (higher is likelier), best first: for callers that
        weigh in more evidence (places.py adds nearness to the document's other places)."""
        codes = tuple(c for c in (self.country_code(n) for n in context_countries) if c)
        admin1 = tuple(context_admin1)
        key = name_key(name)
        return [
            (self.place(r), self._score(r, key, codes, admin1))
            for r in self._ranked(name, codes, admin1)
        ]

    def _ranked(
        self, name: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> list[int]:
        key = name_key(name)
        rows = self.tables.index.get(key, ())
        wanted: frozenset[str] = frozenset()
        words = key.split()
        if len(words) > 1 and words[-1] in ADMIN_SUFFIXES | TOWN_SUFFIXES:
            # "Hays city": the towns named Hays too, not only a town known as "Hays City"
            bare = self.tables.index.get(" ".join(words[:-1]), ())
            if words[-1] in ADMIN_SUFFIXES:
                wanted = frozenset({"admin1", "region", "desert"})
            else:
                wanted = frozenset({"city", "admin2"})
            preferred = tuple(r for r in bare if self.tables.feature[r] in wanted)
            if rows:
                rows = rows + tuple(r for r in preferred if r not in rows)
            else:
                rows = preferred or bare
        rows = self._drop_shadowed(rows, key)
        scored = sorted(rows, key=lambda r: -self._score(r, key, codes, admin1))
        return scored

    def _drop_shadowed(self, rows: tuple[int, ...], key: str) -> tuple[int, ...]:
        """A province (or district) named like a town in it ("Kirkuk", "New York", "Al Bayda")
        means the town unless said otherwise ("Kirkuk province"): drop the division when a town
        in it is a candidate named so, or a town known by that name that holds 30% of its
        people ("Durango", "Gomel"; but "New York" beside "New York City" is the state)."""
        t = self.tables
        towns: dict[tuple[str, str | None], float] = {}  # (country, province) -> weight
        named: set[tuple[str, str | None, str]] = set()
        for r in rows:
            if t.feature[r] != "city":
                continue
            town = name_key(t.name[r])
            where = (t.cc[r], t.admin1[r])
            named.add((*where, town))
            if town == key:
                weight = math.inf
            elif town == f"{key} city":
                continue  # "New York" beside "New York City" is the state
            else:
                weight = float(t.population[r])  # "Durango" for Victoria de Durango
            towns[where] = max(towns.get(where, 0.0), weight)
        if not named:
            return rows
        return tuple(
            r
            for r in rows
            if not (
                t.feature[r] in ("admin1", "admin2")
                and (
                    (t.cc[r], t.admin1[r], name_key(t.name[r])) in named
                    or towns.get((t.cc[r], t.admin1[r]), -1.0) >= SHADOWING_SHARE * t.population[r]
                )
            )
        )

    def _score(
        self, row: int, key: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> float:
        t = self.tables
        feature = t.feature[row]
        population = t.population[row]
        if t.curated[row]:
            population = max(population, 100_000)
        score = math.log10(max(population, 100) + 1)
        if feature == "country":
            score += 4.0
        elif feature in ("admin1", "admin2"):
            score += 1.0
        if t.curated[row]:
            score += 1.0
        if t.capital[row]:
            score += 2.0
        if name_key(t.name[row]) == key:
            score += 1.0
        elif (
            " " in key
            and key.rsplit(" ", 1)[1] in TOWN_SUFFIXES
            and row not in t.index.get(key, (row,))
        ):
            score -= BARE_NAME_PENALTY  # "Springfield City": a town known so comes first
        if codes and t.cc[row] in codes:
            score += 3.0
        if admin1 and (t.cc[row], t.admin1[row]) in admin1:
            score += 2.5
        return score

    def find_phrases(self, text: str) -> list[tuple[int, int, str]]:
        """Known place phrases written in the text (countries, demonyms, states with their AP
        abbreviations, curated Iraq/Syria names): (start, end, phrase), whole words, and only
        where the text writes a capital letter (so "turkey" or "hit" in lower case are not
        places). Overlaps are kept; the caller picks."""
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        found = []
        for end_index, surface in self.automaton.iter(lowered):
            start = end_index - len(surface) + 1
            end = end_index + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
                continue
            if end < len(text) and (
                text[end].isalnum() or (surface[-1].isalnum() and text[end] == "-")
            ):
                continue
            written = text[start:end]
            if not any(c.isupper() for c in written):
                continue
            if "." in surface and written not in self.tables.phrases:
                continue  # abbreviations ("Ind.", "W.Va.") only as the lexicon writes them
            found.append((start, end, written))
        return found


def build_automaton(phrases: dict[str, str]) -> Any:
    automaton = ahocorasick.Automaton()
    for surface in phrases:
        lowered = surface.lower()
        if len(lowered) == len(surface):
            automaton.add_word(lowered, lowered)
    automaton.make_automaton()
    return automaton
