"""Numeric claims: a number someone states about something counted.

`extract_claims(doc, quotes, people, lex)` yields one `Claim` per count in the text: "2,500 US
troops", "about 4,000 militants and their relatives", "six hideouts",
"1.5 million people", "two thousand families", plus percentages ("40 percent of voters", unit
"percent") and sums of money ("$100 million", unit "US dollars").

* `value` is the number as a float (digits, "1.5 million", number words, "a dozen");
* `unit` is the counted noun phrase ("ISIS fighters and their families");
* `subject` says what the count is about, shortly: the rest of its clause ("remain in the country");
* `claimed_by` is the speaker of the quote whose text holds the number, else None (the outlet's
  own statement).

Not claims (decided here): years, dates and times (spaCy's DATE/TIME entities, and bare four-digit
years), ordinals ("first", "2nd"), ages ("43-year-old", "aged 43", "Scott, 43,"), measures and
durations whose unit is in `numbers.json`'s `not_counts` ("45 kilometers", "12-month deadline",
"two years": deadlines are `extract.deadlines`' business), model names ("F-16"), vague counts
with no number ("dozens of", "several"), the word "one" ("one of the reasons"), and numbers that
count nothing named (no noun after them, not a percentage or money).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from newsledger.extract.doctext import lower_words, sentence_of, token_words
from newsledger.extract.lexicons import NumberLexicon
from newsledger.records import Claim, Entity, Evidence, Quote

_SKIP_ENTS = frozenset(["DATE", "TIME", "ORDINAL"])
_NOUN_DEPS = frozenset(["nummod", "quantmod", "compound", "amod", "nmod"])


def _is_number_lower(low: str, lex: NumberLexicon) -> bool:
    return low in lex.units or low in lex.tens or low in lex.scales or low == "dozen"


def _is_number_word(tok: Token, lex: NumberLexicon) -> bool:
    return _is_number_lower(tok.lower_, lex)


_NUMERIC = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


def _numeric(tok: Token) -> bool:
    return bool(_NUMERIC.fullmatch(tok.text))


def parse_number(words: Sequence[str], lex: NumberLexicon) -> float | None:
    """ "2,500" -> 2500; "1.5 million" -> 1.5e6; "two thousand" -> 2000; "a dozen" -> 12."""
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        low = word.lower()
        if low in ("and", "-"):
            continue
        if low in ("a", "an"):  # "a million", "a dozen"
            current += 1
            seen = True
            continue
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", word):
            current += float(word.replace(",", ""))
        elif low in lex.units:
            current += lex.units[low]
        elif low in lex.tens:
            current += lex.tens[low]
        elif low in lex.fractions:
            current += lex.fractions[low]
        elif low == "dozen":
            current = (current or 1) * 12
        elif low in lex.scales:
            scale = lex.scales[low]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _number_spans(doc: Doc, lex: NumberLexicon) -> list[tuple[int, int]]:
    """Token ranges [start, end) of numbers: digits and number words with their scales."""
    lowers = lower_words(doc)
    texts = token_words(doc)
    words = {w for w in set(lowers) if _is_number_lower(w, lex)}
    word = [w in words for w in lowers]  # `_is_number_word` of each token
    numeric = [t[:1].isdigit() and bool(_NUMERIC.fullmatch(t)) for t in texts]  # `_numeric`
    spans: list[tuple[int, int]] = []
    i = 0
    size = len(lowers)
    while i < size:
        if not (numeric[i] or word[i]) or lowers[i] in ("a", "an"):
            if lowers[i] in ("a", "an") and i + 1 < size:
                scale = lowers[i + 1]
                if scale in lex.scales or scale == "dozen":
                    j = i + 1
                    while j < size and (word[j] or numeric[j]):
                        j += 1
                    spans.append((i, j))
                    i = j
                    continue
            i += 1
            continue
        j = i + 1
        while j < size:
            if numeric[j] and word[j - 1]:
                break  # "two 2,500": not one number
            if word[j] and lowers[j] not in ("a", "an"):
                j += 1
            elif (
                texts[j] in ("-", "and")
                and j + 1 < size
                and word[j + 1]
                and word[j - 1]
                and lowers[j + 1] not in ("a", "an")
            ):
                j += 2
            else:
                break
        spans.append((i, j))
        i = j
    return spans


def _skip(doc: Doc, start: int, end: int, lex: NumberLexicon) -> bool:
    toks = doc[start:end]
    if any(t.ent_type_ in _SKIP_ENTS for t in toks):
        return True
    first, last = doc[start], doc[end - 1]
    if end - start == 1 and first.lower_ in ("one", "a", "an"):
        return True
    if end - start == 1 and re.fullmatch(r"(19|20)\d\d", first.text):
        return True  # a year
    if start > 0 and doc[start - 1].text in ("-", "‐") and start > 1 and doc[start - 2].is_alpha:
        return True  # "F-16"
    if (
        end + 1 < len(doc)
        and doc[end].text in ("-", "‐")
        and (doc[end + 1].lower_ in lex.not_counts or doc[end + 1].lower_.endswith("old"))
    ):
        return True  # "12-month", "43-year-old"
    if start > 0 and doc[start - 1].lower_ in ("aged", "age", "ages"):
        return True
    if start > 1 and doc[start - 1].text == "," and doc[start - 2].ent_type_ == "PERSON":
        return True  # "Scott, 43, a father of seven"
    if end < len(doc) and doc[end].text in (":", "."):
        nxt = doc[end + 1] if end + 1 < len(doc) else None
        if nxt is not None and _numeric(nxt) and not nxt.whitespace_:
            return True  # a clock time or a decimal the tokenizer split
    return bool(last.lower_ in ("hundreds", "thousands", "millions", "dozens"))


def _counted(doc: Doc, start: int, end: int) -> Token | None:
    """The noun a number counts: its head when the number modifies a noun."""
    for tok in doc[start:end]:
        head = tok.head
        if tok.dep_ in _NOUN_DEPS and head.i >= end and head.pos_ in ("NOUN", "PROPN"):
            return head
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NNPS"):
        return nxt
    if nxt is not None and nxt.lower_ == "of" and end + 1 < len(doc):
        # "57 of the detainees"
        pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
            return pobj
    return None


def _unit_text(doc: Doc, end: int, head: Token) -> str:
    """The counted phrase: from after the number to the head noun, with its conjuncts."""
    last = head.i
    for child in head.children:
        if child.dep_ == "conj" and child.i > head.i:
            last = max(last, child.right_edge.i)
        if child.dep_ in ("acl",) and child.i > head.i and child.i == last + 1:
            last = max(last, child.right_edge.i)
    first = end if end <= head.i else head.i
    toks = [t for t in doc[first : last + 1] if not t.is_punct or t.text in ("-", "’s", "'s")]
    if toks and toks[0].lower_ == "of":
        toks = toks[1:]
    while toks and toks[0].pos_ == "DET":
        toks = toks[1:]
    if not toks:
        return head.text
    text = doc[toks[0].i : toks[-1].i + 1].text
    return re.sub(r"\s+", " ", text)


_CLAUSE_DEPS = frozenset(["advcl", "ccomp", "conj", "cc", "punct", "mark", "parataxis", "relcl"])


def _short(doc: Doc, tokens: Sequence[Token], limit: int = 10) -> str | None:
    """The tokens as written (hyphens and spacing kept), at most `limit` words."""
    toks = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    out: list[str] = []
    words = 0
    for k, t in enumerate(toks):
        words += t.is_alpha or t.like_num
        if words > limit:
            break
        gap = k + 1 < len(toks) and toks[k + 1].i == t.i + 1
        out.append(t.text + (t.whitespace_ if gap else " "))
    text = "".join(out).strip()
    return re.sub(r"\s+", " ", text) or None


def _subject_text(doc: Doc, phrase: set[int], head: Token) -> str | None:
    """What the count is about, shortly: "remain in the country", "struck by jets"."""
    role = head.dep_
    verb = head.head
    if role in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
        toks = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i > head.i]
        toks.append(verb)
        for child in verb.children:
            if child.i > verb.i and child.dep_ not in _CLAUSE_DEPS and child.i not in phrase:
                toks.extend(t for t in child.subtree if t.i not in phrase)
        return _short(doc, toks)
    if role == "dobj" and verb.pos_ in ("VERB", "AUX"):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ != "PRON":
            cut = {
                x.i
                for c in subj.children
                if c.dep_ in ("relcl", "acl", "appos", "punct")
                for x in c.subtree
            }
            name = [t for t in subj.subtree if t.i not in cut and t.pos_ != "DET"]
            return f"{verb.text} by {_short(doc, name, 6)}"
        return verb.text
    if role == "pobj":
        prep = head.head
        owner = prep.head
        toks = [owner, prep]
        if owner.pos_ == "NOUN" and owner.head.pos_ == "VERB" and owner.dep_ == "dobj":
            toks.insert(0, owner.head)
        return _short(doc, toks)
    return None


def _percent_or_money(doc: Doc, start: int, end: int, lex: NumberLexicon) -> str | None:
    nxt = doc[end].lower_ if end < len(doc) else ""
    nxt2 = f"{nxt} {doc[end + 1].lower_}" if end + 1 < len(doc) else nxt
    if nxt in lex.percent_words or nxt2 in lex.percent_words:
        return "percent"
    prev = doc[start - 1].lower_ if start > 0 else ""
    if prev in lex.currency_words:
        return lex.currency_words[prev]
    if nxt in lex.currency_words:
        return lex.currency_words[nxt]
    return None


def quoted_by(quotes: Sequence[Quote], start: int, words: str) -> str | None:
    """The speaker of the (shortest) quote whose sentence holds `start` and whose text holds
    `words`: who states a number or a date, when someone does."""
    quote = quote_holding(quotes, start, words)
    return quote.speaker if quote is not None else None


def quote_holding(quotes: Sequence[Quote], start: int, words: str) -> Quote | None:
    """The (shortest) quote whose sentence holds `start` and whose text holds `words`."""
    needle = re.sub(r"\s+", "", words).lower()
    best: Quote | None = None
    for q in quotes:
        if not q.evidence.start <= start < q.evidence.end:
            continue
        inside = needle in re.sub(r"\s+", "", q.text).lower()
        if inside and (best is None or len(q.text) < len(best.text)):
            best = q
    return best


def extract_claims(
    doc: Doc, quotes: Sequence[Quote], people: Sequence[Entity], lex: NumberLexicon
) -> list[Claim]:
    """The counts stated in `doc`, with who states them (see the module's notes)."""
    claims = []
    for start, end in _number_spans(doc, lex):
        if _skip(doc, start, end, lex):
            continue
        words = [t.text for t in doc[start:end]]
        value = parse_number(words, lex)
        if value is None:
            continue
        special = _percent_or_money(doc, start, end, lex)
        head = _counted(doc, start, end)
        if special is not None:
            unit = special
            word = doc[end] if end < len(doc) else None
            if special == "percent" and word is not None:
                head = word  # "40 percent of voters backed …": the clause of "percent"
                of = next((c for c in word.children if c.lower_ == "of"), None)
                pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
                if pobj is not None:
                    unit = f"percent of {_unit_text(doc, pobj.i, pobj)}"
        elif head is None:
            continue
        else:
            if head.lemma_.lower() in lex.not_counts or head.lower_ in lex.not_counts:
                continue
            unit = _unit_text(doc, end, head)
        anchor = head if head is not None else doc[start]
        phrase = set(range(start, end))
        if head is not None:
            phrase.update(range(min(end, head.i), head.i + 1))
        sent = sentence_of(doc, start)
        number_text = doc[start:end].text
        source = quote_holding(quotes, doc[start].idx, number_text)
        claims.append(
            Claim(
                value=value,
                unit=unit,
                subject=_subject_text(doc, phrase, anchor),
                claimed_by=source.speaker if source is not None else None,
                evidence=Evidence(sent.start_char, sent.end_char, sent.text),
                speaker_kind=source.speaker_kind if source is not None else "unknown",
            )
        )
    return claims
