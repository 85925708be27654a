"""Transliteration keys: one form for the many romanizations of an Arabic, Kurdish or Persian name.

English (and French) reporting writes the same town many ways: Tell Abyad / Tal Abyad / Tall
Abyad, Hasakah / Al-Hasakah / Hassakeh, Baiji / Bayji / Beiji, Tal Afar / Telafer, Khan Shaykhun /
Khan Sheikhoun. `translit_key` folds them to one consonant skeleton:

1. the name key first (case, diacritics, apostrophes and ayn/hamza marks, hyphens; articles
   al-/el-/ad-/ar-/as-/ash-/az- before another word; doubled letters);
2. generic words to one form: Tal/Tell/Tall/Tel, Ain/Ayn/Ein/Ayin, Deir/Dayr/Dair, Jabal/Jebel/
   Jbel, Kafr/Kfar/Kafar, Umm/Um, Abu/Abou/Albu, Beit/Bayt/Bait, Khirbet/Khirbat, Sheikh/Shaykh;
   an article glued to a name ("Alhasakah", "Elmina") is dropped;
3. a trailing -a/-ah/-eh/-iyah/-iya to the stem ("Fallujah", "Falluja");
4. digraphs to one letter (kh, gh, sh/ch, th, dh, ph, dj; French ou), q/c/k to k, and the vowels
   (with y and w between vowels) dropped, the words then joined ("tal afar" and "telafer" meet).

The key is lossy on purpose: it gathers candidates, and `similarity` (on the name keys) decides
which of them is close enough. Only names of the countries in `ARABIC_SCRIPT_COUNTRIES` are
indexed this way.
"""

from __future__ import annotations

import difflib
import functools
import re

from newsledger.geo.names import name_key

# countries whose place names English reporting romanizes from Arabic, Kurdish or Persian
ARABIC_SCRIPT_COUNTRIES = frozenset(
    {"IQ", "SY", "YE", "LY", "LB", "JO", "PS", "IL", "EG", "SA", "TN", "DZ", "MA", "MR", "SD"}
    | {"KW", "QA", "BH", "AE", "OM", "IR", "AF"}
)

_GENERIC = {
    **dict.fromkeys(("tal", "tel", "tell", "tall", "til", "tul"), "tal"),
    **dict.fromkeys(("ain", "ayn", "ein", "ayin", "aine", "ayoun", "ayun", "ain"), "ain"),
    **dict.fromkeys(("deir", "dayr", "dair", "der", "dir"), "dayr"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "djebel", "jebal", "jibal"), "jabal"),
    **dict.fromkeys(("kafr", "kfar", "kafar", "kefr", "kufr", "kfr"), "kafr"),
    **dict.fromkeys(("umm", "um", "om", "oum"), "um"),
    **dict.fromkeys(("abu", "abou", "albu", "abo", "bou", "bu"), "abu"),
    **dict.fromkeys(("beit", "bayt", "bait", "bet", "beyt"), "bayt"),
    **dict.fromkeys(("khirbet", "khirbat", "khirbit", "kherbet", "khirba", "khirbeh"), "khirba"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "cheikh", "chaykh"), "shaykh"),
    **dict.fromkeys(("wadi", "oued", "wad"), "wadi"),
    **dict.fromkeys(("ras", "rass", "rass"), "ras"),
    **dict.fromkeys(("bir", "beer", "bi'r", "bi'ir"), "bir"),
    **dict.fromkeys(("qasr", "kasr", "ksar", "gasr"), "qasr"),
    **dict.fromkeys(("mazraa", "mazraat", "mazraah", "mazra"), "mazraa"),
    **dict.fromkeys(("ibn", "bin", "ben"), "ibn"),
}
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz]{1}[aeiou])")
_ENDING = re.compile(r"(?:iyah|iyeh|iya|iye|ah|eh|a|e|i)$")
_DIGRAPHS = (
    ("dj", "j"),
    ("tch", "S"),
    ("ch", "S"),
    ("sh", "S"),
    ("kh", "x"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("zh", "j"),
    ("ou", "u"),
    ("q", "k"),
    ("c", "k"),
)
_VOWELS = re.compile(r"(?<=[aeiou])w|[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def _fold_word(word: str) -> str:
    generic = _GENERIC.get(word)
    if generic is not None:
        word = generic
    elif len(word) > 5:
        word = _GLUED_ARTICLE.sub("", word)
    if len(word) > 3:
        word = _ENDING.sub("", word) or word
    for a, b in _DIGRAPHS:
        word = word.replace(a, b)
    skeleton = _VOWELS.sub("", word)
    return _REPEATS.sub(r"\1", skeleton)


@functools.lru_cache(maxsize=1 << 16)
def translit_key(text: str) -> str:
    """The transliteration key of a name ("" when nothing is left of it)."""
    return _REPEATS.sub(r"\1", "".join(_fold_word(w) for w in name_key(text).split()))


_VOWEL_RUN = re.compile(r"[aeiouy]+")


def _loose_word(word: str) -> str:
    word = _GENERIC.get(word, word)
    if len(word) > 3:
        word = _ENDING.sub("", word) or word
    for a, b in _DIGRAPHS:
        word = word.replace(a, b)
    return _REPEATS.sub(r"\1", _VOWEL_RUN.sub("a", word))


@functools.lru_cache(maxsize=1 << 16)
def loose_form(text: str) -> str:
    """The spelling with generic words, endings and digraphs folded and every vowel run written
    "a", kept for the distance ("huwayjah" and "hawija" both give "hawaj")."""
    return "".join(_loose_word(w) for w in name_key(text).split())


_DIPHTHONGS = (
    (re.compile(r"(?:aw|au|ow)(?![aeiou])"), "u"),
    (re.compile(r"(?:ay|ai|ei|ey)(?![aeiou])"), "i"),
)
_VOWEL_CLASSES = str.maketrans({"e": "a", "o": "u", "y": "i"})


def _voweled_word(word: str) -> str:
    word = _GENERIC.get(word, word)
    if len(word) > 3:
        word = _ENDING.sub("", word) or word
    for a, b in _DIGRAPHS:
        word = word.replace(a, b)
    for pattern, vowel in _DIPHTHONGS:
        word = pattern.sub(vowel, word)
    return _REPEATS.sub(r"\1", word.translate(_VOWEL_CLASSES))


@functools.lru_cache(maxsize=1 << 16)
def _plain(text: str) -> str:
    """The folded spelling with its vowels in three classes (a/e, i/y/ay, u/o/aw)."""
    return "".join(_voweled_word(w) for w in name_key(text).split())


def _ratio(x: str, y: str) -> float:
    if not x or not y:
        return 0.0
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


def similarity(a: str, b: str) -> float:
    """How alike two spellings are, 0 to 1: the mean of difflib's ratio on their loose forms
    (every vowel alike) and on their voweled forms (vowels in three classes)."""
    return (_ratio(loose_form(a), loose_form(b)) + _ratio(_plain(a), _plain(b))) / 2
