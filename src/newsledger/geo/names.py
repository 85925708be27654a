"""Name keys: the matching form of a place name, and the names a division is also known by."""

from __future__ import annotations

import functools
import re
import unicodedata

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

# Generic words after a name ("Kirkuk province", "the Anbar desert"): tried without them.
ADMIN_SUFFIXES = frozenset({"province", "governorate", "state", "oblast", "region"})
TOWN_SUFFIXES = frozenset(
    {"city", "town", "village", "district", "area", "countryside"}
    | {"subdistrict", "nahiya", "nahia", "qada", "qadaa"}  # Iraq's and Syria's units: seat's name
    # the units named after their seat elsewhere: Nigeria's local government areas ("Bungudu
    # LGA"), South Asia's tehsils, taluks, mandals and upazilas, Ukraine's raions and hromadas
    | {"lga", "tehsil", "taluk", "taluka", "mandal", "upazila", "raion", "rayon", "hromada"}
)
# Generic words before a name: "the Municipality of X", "the town of X" are also X's town
TOWN_PREFIXES = frozenset({"municipality", "town", "city", "village"})

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


def division_names(name: str) -> list[str]:
    """A division's GeoNames name and the name without its generic words, when a name is left
    ("Comuna Mitrofani": "Mitrofani"; "Yalta municipality": "Yalta"; "Muhafazat al Bayda'":
    "al Bayda'"; but "Northern Region" stays whole)."""
    bare = _DIVISION_SUFFIX.sub("", _DIVISION_PREFIX.sub("", name)).strip(" -")
    if not bare or bare == name or name_key(bare) in _COMPASS:
        return [name]
    return [name, bare]
