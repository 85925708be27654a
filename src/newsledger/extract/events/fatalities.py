"""Fatalities counted the way ACLED counts them, from an event's sentences.

`count_fatalities(text, words)` gives the most conservative figure the text reports (the wounded
are not counted; a range gives its lower end; "killed 3 ... killed 2" adds up), 0 for an explicit
"no fatalities", and None when the text says nothing of deaths. Counts in words, exact and vague
("several", "dozens"), come from `data/fatality_words.tsv` (`load_count_words`); an ACLED note's
own "fatalities coded as N" wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from newsledger.datafiles import read_lines

_DEATH = (
    r"(?:killed|dead|died|slain|murdered|executed|beheaded|shot dead|lynched|assassinated|"
    r"lost (?:their|his|her) li(?:fe|ves)|perished|(?:burned|burnt|beaten|stabbed|hacked) to death)"
)
_KILL_VERB = (
    r"(?:killed|killing|kills|kill|executed|executing|beheaded|murdered|massacred|shot dead|"
    r"shooting dead|shot and killed|gunned down|killed and (?:injured|wounded)|"
    r"killing and (?:injuring|wounding))"
)
_QUAL = (
    r"(?:(?:at least|more than|over|about|around|nearly|almost|approximately|up to|as many as|"
    r"an estimated|a total of|another|a further|further|some|reportedly|also)\s+)*"
)
_GAP = r"(?:[^\W\d][\w'’-]*\s+){0,6}?"
_NOISE = re.compile(
    r"\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+\d{4})?\b|\b(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2}(?:,?\s+\d{4})?\b|\b(?:19|20)\d\d\b|"
    r"\b\d+(?:\.\d+)?\s*(?:mm|km|kg|m|cm|%|percent|kilometers|kilometres|metres|meters|"
    r"hectares|tons?|years? old|-year-old|year-old)\b|\b[A-Z]+-?\d+\b|\b\d+(?:st|nd|rd|th)\b"
)
_CODED = re.compile(
    r"fatalit(?:y|ies)\s+(?:were\s+|was\s+|are\s+)?coded\s+as\s+(\d+)|coded\s+as\s+(\d+)\s+fatalit",
    re.IGNORECASE,
)
_NONE = re.compile(
    r"\bno (?:reports? of )?(?:fatalities|casualties|deaths)\b|\bneither fatalities\b|"
    r"\bno (?:one|body) (?:was|were) (?:killed|hurt)\b|\bnobody was killed\b",
    re.IGNORECASE,
)
_SINGULAR = [
    r"\b(?:a|an|one)\s+" + _GAP + r"(?:was|has been|had been|is)\s+(?:\w+\s+)?"
    r"(?:shot dead|found dead|killed|murdered|executed|beheaded|lynched|assassinated|"
    r"(?:burned|burnt|beaten|stabbed|hacked|tortured|strangled) to death)\b",
    r"\b(?:the\s+)?(?:dead\s+)?body of (?:a|an)\b",
    r"\b(?:killing|killed|kills|murdered|shot dead|executed) (?:him|her)\b",
    r"\b(?:a|an|one)\s+" + _GAP + r"died\b",
    r"\b(?:a|an)\s+(?:\w+\s+){0,2}(?:corpse|dead body)\b",
]


# one person named or referred to, when nothing else is counted: "she was killed", "Jones was
# killed", "who was shot dead"
_ONE_PERSON = re.compile(
    r"\b(?:(?:he|she|(?-i:[A-Z][a-z]+))\s+(?:was|had been|has been)|who\s+was)\s+(?:\w+\s+)?"
    r"(?:shot dead|killed|murdered|executed|beheaded|assassinated)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CountWords:
    """Counts in words (exact and vague) and the patterns built from them."""

    words: Mapping[str, int]
    vague: frozenset[str]
    by_subject: re.Pattern[str]  # "2 soldiers were killed"
    by_object: re.Pattern[str]  # "killing 2 soldiers"
    by_object_more: re.Pattern[str]  # "killed 120 fighters and 60 mercenaries": the 60
    totals: re.Pattern[str]  # "2 fatalities", "death toll rose to 2"
    singular: tuple[re.Pattern[str], ...]


def load_count_words() -> CountWords:
    words: dict[str, int] = {}
    vague: set[str] = set()
    for line in read_lines("fatality_words.tsv"):
        cells = line.split("\t")
        if len(cells) < 3:
            raise ValueError(f"fatality_words.tsv: need word, number and kind: {line!r}")
        words[cells[0].lower()] = int(cells[1])
        if cells[2].strip() == "vague":
            vague.add(cells[0].lower())
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    num = (
        rf"(?P<num>between\s+\d[\d,]*\s+and\s+\d[\d,]*|\d[\d,]*(?:\s*(?:-|–|to|or)\s*\d[\d,]*)?"
        rf"|{alternation})"
    )
    by_subject = re.compile(
        rf"(?<![\w-]){_QUAL}{num}\s+(?:of\s+)?{_GAP}(?:(?:were|was|have been|had been|are|got|"
        rf"being)\s+)?(?:(?:also|reportedly|allegedly|later|all)\s+)*{_DEATH}\b"
        # "An airstrike killed four": a count after the verb makes the subject the killer
        rf"(?!\s+{_QUAL}(?:\d|(?:{alternation})\b))",
        re.IGNORECASE,
    )
    by_object = re.compile(rf"\b{_KILL_VERB}\s+{_QUAL}{num}(?![\w-])", re.IGNORECASE)
    by_object_more = re.compile(
        rf"\b{_KILL_VERB}\s+{_QUAL}\d[\d,]*\s+(?:[^\W\d][\w'’-]*\s+){{1,4}}?and\s+{_QUAL}"
        rf"(?P<num>\d[\d,]*)(?![\w-])(?!\s+(?:[^\W\d][\w'’-]*\s+){{0,3}}?"
        rf"(?:were|was|are|have been)\s+(?:injured|wounded|hurt|arrested|detained))",
        re.IGNORECASE,
    )
    num2 = num.replace("num", "num2")
    totals = re.compile(
        rf"(?<![\w-]){_QUAL}{num}\s+(?:\w+\s+)?(?:fatalit(?:y|ies)|deaths)\b|"
        rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at|reached)\s+{_QUAL}{num2}",
        re.IGNORECASE,
    )
    singular = tuple(re.compile(p, re.IGNORECASE) for p in _SINGULAR)
    return CountWords(
        words, frozenset(vague), by_subject, by_object, by_object_more, totals, singular
    )


def _value(text: str, words: CountWords) -> int | None:
    """The most conservative number a count expression gives."""
    text = text.lower().strip()
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    if numbers:
        return min(numbers)
    return words.words.get(text)


def _mask_noise(text: str) -> str:
    return _NOISE.sub(lambda m: " " * len(m.group(0)), text)


def count_fatalities(text: str, words: CountWords) -> int | None:
    """Fatalities reported in the text, or None when it reports none at all.

    None lets the caller tell "no deaths mentioned" from an explicit "no fatalities" (0).
    """
    coded = _CODED.search(text)
    if coded is not None:
        return int(coded.group(1) or coded.group(2))
    clean = _mask_noise(text)
    totals = [
        v
        for m in words.totals.finditer(clean)
        if (v := _value(m.group("num") or m.group("num2"), words)) is not None
    ]
    if totals:
        return max(totals)
    found: dict[int, int] = {}  # start of the count -> value (one count is not taken twice)
    for pattern in (words.by_subject, words.by_object, words.by_object_more):
        for m in pattern.finditer(clean):
            value = _value(m.group("num"), words)
            if value is not None:
                found.setdefault(m.start("num"), value)
    for pattern in words.singular:
        for m in pattern.finditer(clean):
            if not any(m.start() <= start < m.end() for start in found):
                found[m.start()] = 1
    if not found and _ONE_PERSON.search(clean):
        return 1
    if found:
        return sum(found.values())
    if _NONE.search(text):
        return 0
    return None
