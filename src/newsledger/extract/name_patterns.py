"""The regular expressions that find a person's mentions in an article's text: the name as
written (particles in any case, any space or dash between them), the surname alone with an
optional particle, each as a whole name in text whose dashes are folded to "-" (`FOLD_DASHES`),
compiled once per name form and searched from their literal lead."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser as _P  # type: ignore[attr-defined]

from newsledger.extract.lexicons import AttributionLexicon

DASHES = "-‐‑–"
DASH_CLASS = r"\-‐‑–"  # the dashes, escaped for a character class
# Name patterns search a copy of the text with every dash written "-" (same offsets): a class of
# non-ASCII dashes beside \w makes each of the hundreds of per-name patterns slow to compile
FOLD_DASHES = str.maketrans({d: "-" for d in DASHES})


def name_regex(words: Sequence[str], lex: AttributionLexicon) -> str:
    parts: list[str] = []
    for word in words:
        if word.lower() in lex.name_particles:
            parts.append("(?i:" + re.escape(word) + r")[\s\-]*")
        else:
            parts.append(re.escape(word) + r"\s+")
    pattern = "".join(parts)
    if pattern.endswith(r"\s+"):
        pattern = pattern[: -len(r"\s+")]
    return pattern


def surname_regex(words: Sequence[str], lex: AttributionLexicon) -> str:
    """The surname with an optional particle: "al-Jabouri", "Al-Jabouri", "Jabouri"."""
    last = len(words) - 1
    while last > 0 and words[last].lower() in ("jr.", "jr", "sr.", "sr", "ii", "iii"):
        last -= 1
    particles = []
    i = last - 1
    while i >= 0 and words[i].lower() in lex.name_particles:
        particles.append(words[i])
        i -= 1
    surname = re.escape(words[last])
    if particles:
        alt = "|".join(re.escape(p) for p in particles)
        return rf"(?:(?i:{alt})[\s\-]*)?{surname}"
    return surname


@functools.lru_cache(maxsize=4096)  # one compiled pattern per name form, reused across articles
def bounded(pattern: str) -> re.Pattern[str]:
    r"""The pattern as a whole name, for text whose dashes are folded (`FOLD_DASHES`).

    The same matches as ``(?<![\w\-])(?:PATTERN)(?![\w\-])``; when the pattern opens with
    literal text ("Jabouri\s+..."), that text comes first and the look-behind after it
    (``Jabouri(?<![\w\-]Jabouri)...``), so that the regex engine finds the places to try by
    searching for the literal instead of trying the pattern at every character.
    """
    folded = pattern.translate(FOLD_DASHES)
    lead, rest = literal_lead(folded)
    if not lead:
        return re.compile(rf"(?<![\w\-])(?:{folded})(?![\w\-])")
    return re.compile(rf"{lead}(?<![\w\-]{lead})(?:{rest})(?![\w\-])")


_LEAD_UNIT = re.compile(r"\\[^0-9A-Za-z]|[^\\()\[\]{}|.*+?^$]")


def literal_lead(pattern: str) -> tuple[str, str]:
    """(lead, rest): `pattern` = lead + rest, lead the literal characters it opens with (as
    written), rest what follows; ("", pattern) when it opens otherwise or has a top-level
    alternative (checked on the parsed pattern: as many literals as the lead's units)."""
    units: list[str] = []
    pos = 0
    while (m := _LEAD_UNIT.match(pattern, pos)) is not None:
        units.append(m.group())
        pos = m.end()
    if pos < len(pattern) and pattern[pos] in "*+?{":
        units.pop()  # the quantifier repeats the last character: not part of the lead
    if not units:
        return "", pattern
    parsed = list(_parse(pattern))
    literal = [op for op, _ in parsed[: len(units)] if op is _LITERAL]
    if len(literal) < len(units):
        return "", pattern
    lead = "".join(units)
    return lead, pattern[len(lead) :]


_LITERAL = _C.LITERAL


def _parse(pattern: str) -> list[tuple[object, object]]:
    return list(_P.parse(pattern).data)
