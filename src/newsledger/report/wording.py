"""Small wording helpers shared by the briefing and the web pages: a reporting verb as the text
wrote it, an article's name when it has no title, dates in words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from newsledger import datafiles


def verb_forms() -> dict[str, tuple[str, ...]]:
    """Lemma -> its irregular forms (data/verb_forms.tsv)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in datafiles.read_lines("verb_forms.tsv"):
        lemma, *forms = line.split("\t")
        out[lemma] = tuple(forms)
    return out


def _regular(lemma: str) -> list[str]:
    forms = [lemma, lemma + "s", lemma + "ing"]
    if lemma.endswith("e"):
        forms += [lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms += [lemma[:-1] + "ied", lemma[:-1] + "ies"]
    else:
        forms += [lemma + "ed", lemma + lemma[-1] + "ed"]
    return forms


def past(lemma: str) -> str:
    """A regular past tense ('conclude' -> 'concluded'), for a verb the text does not show."""
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def cue_as_written(
    cue: str | None, evidence: str, forms: Mapping[str, tuple[str, ...]] | None = None
) -> str:
    """The reporting verb as the evidence sentence writes it in lower case ('concluded' for the
    lemma 'conclude'); its past tense when the sentence has no such form of it; 'said' without a
    cue or for a phrase ('according to')."""
    if not cue or " " in cue.strip():
        return "said"
    lemma = cue.strip().lower()
    known = forms if forms is not None else verb_forms()
    candidates = [*known.get(lemma, ()), *_regular(lemma)]
    pattern = (
        r"\b(" + "|".join(re.escape(f) for f in sorted(set(candidates), key=len)[::-1]) + r")\b"
    )
    # as written in lower case: a capitalised "Said" is more often a name than the verb
    found = re.search(pattern, evidence)
    if found:
        return found.group(1)
    irregular = known.get(lemma)
    return irregular[0] if irregular else past(lemma)


def month_names() -> list[str]:
    """'January' to 'December' (data/months.json, `datafiles.full_names`)."""
    return [name.capitalize() for name in datafiles.full_names(datafiles.month_numbers())]


def day_words(day: date) -> str:
    """'14 February 2025'."""
    return f"{day.day} {month_names()[day.month - 1]} {day.year}"
