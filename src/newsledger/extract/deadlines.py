"""Deadlines: what is promised or planned by when.

`extract_deadlines(doc, published, quotes, people, lex)` finds a relation cue from
`deadlines.json` ("by", "until", "no later than", "scheduled for", "within", ...) followed by a
date or a duration, and periods ("a two-year evaluation period"):

| written                                   | deadline     | precision | relation       |
|-------------------------------------------|--------------|-----------|----------------|
| "by September 2025"                       | 2025-09      | month     | by             |
| "no later than the end of September 2025" | 2025-09-30   | day       | no later than  |
| "until 15 March 2026", "by March 15, 2026"| 2026-03-15   | day       | until / by     |
| "scheduled for September 2026"            | 2026-09      | month     | scheduled for  |
| "by 2027"                                 | 2027-12      | year      | by             |
| "by the end of 2027"                      | 2027-12-31   | day       | by             |
| "by mid-2026"                             | 2026-06      | month     | by             |
| "by next year" (published 2024-12-19)     | 2025-12      | year      | by             |
| "within two years" (published 2024-12-19) | 2026-12      | month     | within         |
| "within 90 days" (published 2024-12-19)   | 2025-03-19   | day       | within         |
| "a two-year evaluation period" after "In November 2024" | 2026-11 | month | period      |

A year alone is written YYYY-12 with precision "year" (the record needs a month); a month with no
year is the next such month on or after publication. A period counts from the last date written
in its sentence or the two before it, else from publication. A date before publication is history,
not a deadline ("until 2014, ISIS held ..."), and is skipped; so is anything without a
publication date to resolve a relative expression against.

`subject` is the commitment's noun phrase ("the closure of the northern base") or, when the
cue hangs on a verb, its subject and verb ("foreign troops will stay");
`stated_by` is the speaker of the quote whose text holds the date, else None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from newsledger.extract.claims import parse_number, quoted_by
from newsledger.extract.doctext import lower_words, sentence_of
from newsledger.extract.lexicons import DeadlineLexicon
from newsledger.records import Deadline, Entity, Evidence, Quote


@dataclass(frozen=True)
class _When:
    value: str  # YYYY-MM or YYYY-MM-DD
    precision: str  # day, month, year
    end: int  # token index after the expression


def _published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _year(tok: Token) -> int | None:
    """A year, also when scraping glued the next word to it ("2026.They")."""
    m = re.match(r"((?:19|20)\d\d)(?![\d,])", tok.text)
    return int(m.group(1)) if m else None


def _glued_month_year(tok: Token, lex: DeadlineLexicon) -> tuple[int, int] | None:
    """ "September2025" (a line break lost between month and year) -> (2025, 9)."""
    m = re.fullmatch(r"([A-Za-z]+)((?:19|20)\d\d)", tok.text)
    if m and m.group(1).lower() in lex.months:
        return int(m.group(2)), lex.months[m.group(1).lower()]
    return None


def _day(tok: Token) -> int | None:
    m = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?", tok.lower_)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def parse_when(doc: Doc, i: int, lex: DeadlineLexicon, published: date | None) -> _When | None:
    """A date expression starting at token i ("the end of September 2025", "March 15, 2026")."""
    n = len(doc)

    def low(k: int) -> str:
        return doc[k].lower_ if k < n else ""

    boundary = None
    if low(i) == "the":
        i += 1
    if low(i) in ("end", "close", "beginning", "start", "middle") and low(i + 1) == "of":
        boundary = {"close": "end", "beginning": "start", "middle": "mid"}.get(low(i), low(i))
        i += 2
        if low(i) == "the":
            i += 1
    elif low(i) in ("mid", "early", "late") and low(i + 1) == "-":
        boundary = {"mid": "mid", "early": "start", "late": "end"}[low(i)]
        i += 2
    elif low(i) in ("early", "late", "mid"):
        boundary = {"mid": "mid", "early": "start", "late": "end"}[low(i)]
        i += 1
    # relative years and months
    if low(i) in ("this", "next", "the") and low(i + 1) in ("year", "month"):
        if published is None:
            return None
        step = 1 if low(i) == "next" else 0
        if low(i + 1) == "year":
            return _year_when(published.year + step, boundary, i + 2)
        d = _add_months(published.replace(day=1), step)
        if boundary == "end":
            return _When(_last_day(d.year, d.month), "day", i + 2)
        return _When(f"{d.year:04d}-{d.month:02d}", "month", i + 2)
    one = re.fullmatch(r"(mid|early|late)-((?:19|20)\d\d)", low(i))  # "mid-2026" as one token
    if one:
        edge = {"mid": "mid", "early": "start", "late": "end"}[one.group(1)]
        return _year_when(int(one.group(2)), edge, i + 1)
    glued = _glued_month_year(doc[i], lex) if i < n else None
    if glued is not None:
        return _resolve(glued[0], glued[1], None, i + 1, published, boundary)
    # "30 September 2025"
    first_day = _day(doc[i]) if i < n else None
    if first_day is not None and low(i + 1) in lex.months:
        year_after = _year(doc[i + 2]) if i + 2 < n else None
        end = i + (3 if year_after else 2)
        return _resolve(year_after, lex.months[low(i + 1)], first_day, end, published, boundary)
    if low(i) in lex.months and doc[i].text[:1].isupper():
        # "September 2025", "March 15, 2026", "March 15"
        k = i + 1
        day = _day(doc[k]) if k < n else None
        if day is not None:
            k += 1
            if low(k) == ",":
                k += 1
        year = _year(doc[k]) if k < n else None
        if year is not None:
            k += 1
        return _resolve(year, lex.months[low(i)], day, k, published, boundary)
    bare_year = _year(doc[i]) if i < n else None
    if bare_year is not None:
        return _year_when(bare_year, boundary, i + 1)
    return None


def _year_when(year: int, boundary: str | None, end: int) -> _When:
    if boundary == "end":
        return _When(f"{year:04d}-12-31", "day", end)
    if boundary == "start":
        return _When(f"{year:04d}-01", "month", end)
    if boundary == "mid":
        return _When(f"{year:04d}-06", "month", end)
    return _When(f"{year:04d}-12", "year", end)


def _resolve(
    year: int | None,
    month: int,
    day: int | None,
    end: int,
    published: date | None,
    boundary: str | None,
) -> _When | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        if (month, day or 31) < (published.month, published.day):
            year += 1
    if day is not None:
        day = min(day, calendar.monthrange(year, month)[1])
        return _When(f"{year:04d}-{month:02d}-{day:02d}", "day", end)
    if boundary == "end":
        return _When(_last_day(year, month), "day", end)
    if boundary == "start":
        return _When(f"{year:04d}-{month:02d}-01", "day", end)
    return _When(f"{year:04d}-{month:02d}", "month", end)


def _duration(doc: Doc, i: int, lex: DeadlineLexicon) -> tuple[float, str, int] | None:
    """ "two years", "12 months", "a year", "90 days" at token i: (amount, unit word, end)."""
    k = i
    words = []
    while k < len(doc) and (doc[k].like_num or doc[k].lower_ in lex.numbers.units):
        words.append(doc[k].text)
        k += 1
    if k < len(doc) and doc[k].text == "-":
        k += 1
    if not words or k >= len(doc) or doc[k].lower_ not in lex.duration_units:
        return None
    amount = parse_number(words, lex.numbers)
    if amount is None:
        return None
    return amount, doc[k].lower_, k + 1


def _after(start: date, amount: float, unit: str, lex: DeadlineLexicon) -> tuple[str, str]:
    months = lex.duration_units[unit]
    if months:
        d = _add_months(start, round(amount * months))
        return f"{d.year:04d}-{d.month:02d}", "month"
    days = amount * (7 if unit.startswith("week") else 1)
    d = date.fromordinal(start.toordinal() + round(days))
    return d.isoformat(), "day"


def _cues(doc: Doc, lex: DeadlineLexicon) -> list[tuple[int, int, str]]:
    """(first token, token after the cue, relation) for every relation cue in the text."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, relation in lex.relations.items():
        words = tuple(phrase.split())
        by_first.setdefault(words[0], []).append((words, relation))
    for options in by_first.values():
        options.sort(key=lambda p: -len(p[0]))  # the longest phrase first
    lowers = lower_words(doc)
    found = []
    i = 0
    while i < len(lowers):
        for words, relation in by_first.get(lowers[i], []):
            if tuple(lowers[i : i + len(words)]) == words:
                found.append((i, i + len(words), relation))
                i += len(words) - 1
                break
        i += 1
    return found


def _np(doc: Doc, head: Token, exclude: set[int]) -> str | None:
    toks = [t for t in head.subtree if t.i not in exclude]
    if not toks:
        return None
    toks = [t for t in toks if t.i <= max(x.i for x in toks)]
    # keep the contiguous stretch around the head
    run = [head]
    by_i = {t.i: t for t in toks}
    k = head.i - 1
    while k in by_i:
        run.insert(0, by_i[k])
        k -= 1
    k = head.i + 1
    while k in by_i:
        run.append(by_i[k])
        k += 1
    while run and (run[0].pos_ in ("DET", "CCONJ") or run[0].is_punct):
        run = run[1:]
    while run and (run[-1].is_punct or run[-1].pos_ in ("CCONJ", "ADP")):
        run = run[:-1]
    if not run:
        return None
    text = doc[run[0].i : run[-1].i + 1].text
    return re.sub(r"\s+", " ", text)


def _subject(doc: Doc, cue: int, end: int) -> str | None:
    """The commitment the deadline is set on: the noun or the verb the cue hangs from."""
    exclude = set(range(cue, end))
    node = doc[cue]
    for t in doc[cue:end]:
        exclude.update(x.i for x in t.subtree if x.i >= cue)
    first = node.pos_ in ("VERB", "AUX")  # "scheduled for": the cue is the verb itself
    for _ in range(6):
        if not first:
            if node.head.i == node.i:
                break
            node = node.head
            if node.i in exclude:
                continue
        first = False
        if node.pos_ in ("NOUN", "PROPN"):
            top = node
            while (
                top.dep_ == "pobj"
                and top.head.lower_ == "of"
                and top.head.head.pos_ == "NOUN"
                and top.head.head.i not in exclude
            ):
                top = top.head.head  # "the closure of the base"
            return _np(doc, top, exclude)
        if node.pos_ in ("VERB", "AUX"):
            if node.tag_ == "VBN" and node.dep_ in ("acl", "amod") and node.head.pos_ == "NOUN":
                return _np(doc, node.head, exclude | {t.i for t in node.subtree})
            obj = next((c for c in node.children if c.dep_ in ("dobj", "attr")), None)
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ != "PRON":
                toks = [*subj.subtree]
                aux = [c for c in node.children if c.dep_ in ("aux", "auxpass", "neg")]
                words = sorted([*toks, *aux, node], key=lambda t: t.i)
                text = " ".join(t.text for t in words if not t.is_punct or t.text in "’'")
                return re.sub(r"\s+(’s|'s)", r"\1", text)
            if obj is not None:
                thing = _np(doc, obj, exclude)
                return f"{node.text} {thing}" if thing else node.text  # "withdraw all troops"
            return node.lemma_
    return None


def _anchor(doc: Doc, i: int, lex: DeadlineLexicon, published: date | None) -> date | None:
    """The last date written before token i in its sentence or the two before it."""
    sent = sentence_of(doc, i)
    first = sent.start
    for _ in range(2):
        if first > 0:
            first = sentence_of(doc, first - 1).start
    best = None
    for ent in doc.ents:
        if ent.label_ != "DATE" or not first <= ent.start < i:
            continue
        for k in range(ent.start, ent.end):
            when = parse_when(doc, k, lex, published)
            if when is not None:
                y, m = int(when.value[:4]), int(when.value[5:7])
                d = int(when.value[8:10]) if len(when.value) == 10 else 1
                best = date(y, m, d)
                break
    return best or published


WIDER = {"day": "day", "week": "month", "month": "month", "year": "year"}
"""A deadline's precision when resolved against a publication date known to that precision."""
_ORDER = ("day", "month", "year")


def extract_deadlines(
    doc: Doc,
    published: str | None,
    quotes: Sequence[Quote],
    people: Sequence[Entity],
    lex: DeadlineLexicon,
    published_precision: str | None = None,
) -> list[Deadline]:
    """Deadlines in `doc`, resolved against the publication date `published` (ISO 8601); with
    a `published_precision` (a free-form publication date, readers/dates.py) those resolved
    against it ("within 90 days", "next month") take the wider precision."""
    pub = _published(published)
    wider = WIDER.get(published_precision or "day", "day")

    def widen(precision: str) -> str:
        return max(precision, wider, key=_ORDER.index)

    out: list[Deadline] = []
    seen: set[tuple[str, int]] = set()

    def add(
        start: int,
        end: int,
        value: str,
        precision: str,
        relation: str,
        subject: str | None = None,
    ) -> None:
        if pub is not None and value[:7] < pub.isoformat()[:7] and relation != "period":
            return  # history, not a deadline
        sent = sentence_of(doc, start)
        if (value, sent.start) in seen:
            return
        seen.add((value, sent.start))
        subject = subject or _subject(doc, start, end) or doc[start:end].text
        phrase = doc[start:end].text
        out.append(
            Deadline(
                subject=subject,
                deadline=value,
                precision=precision,  # type: ignore[arg-type]
                relation=relation,
                stated_by=quoted_by(quotes, doc[start].idx, phrase),
                evidence=Evidence(sent.start_char, sent.end_char, sent.text),
            )
        )

    for start, after, relation in _cues(doc, lex):
        if relation == "within":
            span = _duration(doc, after, lex) if after < len(doc) else None
            if span is not None and pub is not None:
                amount, unit, end = span
                value, precision = _after(pub, amount, unit, lex)
                add(start, end, value, widen(precision), relation)
            continue
        when = parse_when(doc, after, lex, pub)
        if when is not None:
            # resolved against the publication date when it cannot be without it
            against = wider != "day" and parse_when(doc, after, lex, None) is None
            add(
                start,
                when.end,
                when.value,
                widen(when.precision) if against else when.precision,
                relation,
            )
    # "a two-year evaluation period", "a six-month transition"
    for tok in [doc[i] for i, word in enumerate(lower_words(doc)) if word in lex.period_nouns]:
        if tok.dep_ == "compound":
            continue
        k = tok.i - 1
        while k >= 0 and doc[k].pos_ in ("NOUN", "ADJ") and doc[k].lower_ not in lex.duration_units:
            k -= 1
        if k < 2 or doc[k].lower_ not in lex.duration_units or doc[k - 1].text != "-":
            continue
        span = _duration(doc, k - 2, lex)
        if span is None:
            continue
        amount, unit, _ = span
        start_date = _anchor(doc, k - 2, lex, pub)
        if start_date is None:
            continue
        value, precision = _after(start_date, amount, unit, lex)
        if start_date == pub:
            precision = widen(precision)
        add(k - 2, tok.i + 1, value, precision, "period", _np(doc, tok, set()))
    return sorted(out, key=lambda d: d.evidence.start)
