"""Quote and speaker attribution scored on PolNeAR (`eval/polnear_dev`: `text/`, `gold.jsonl`).

Each gold record has a source, a cue and a content (character spans into the article). The
scoring follows the shared conventions:

* found: a gold attribution is found when a predicted quote's text covers half or more of the gold
  content (white space and case folded); predictions and gold are matched one to one, best
  overlap first;
* precision: the share of predicted quotes matched to a gold attribution;
* speaker right: for a matched pair whose gold record has a source, the predicted speaker names
  that source: the source's head word (the surname of "Retired Lt. Gen. Adel Nouri", the noun
  of "sources") is a word of the predicted speaker or of its title ("the president" is named by
  a speaker whose title is "President"). A gold pronoun is scored against the person it
  refers to, which the gold data itself says: "I"/"we" inside another record's content refer to
  that record's source; "who"/"which" to the noun the relative clause hangs from; "he", "she",
  "they", "it" to the nearest earlier named source of the same annotator (for "he"/"she", one whose
  name does not mark the other gender and whose head is a name or a singular noun for a
  person: not "The party's existing rules", "Delegates" or "a Donald Trump tweet"; for "it",
  one that is no person). Gold records without a source are left out of this score.

A verbatim fragment (a quotation inside an indirect quote, recorded again as a direct quote with
the note `FRAGMENT_NOTE`) is part of its indirect quote's attribution and is not scored apart.

Two articles carry six annotators' records each: every annotator's records are scored as their own
layer against the same predictions (so the 2,319 gold records are all counted).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import FRAGMENT_NOTE, extract_quotes
from newsledger.records import Quote


@dataclass(frozen=True)
class PolnearScore:
    articles: int
    gold: int
    predicted: int  # predictions, counted once per annotation layer
    found: int  # gold records matched
    matched_predictions: int
    speaker_right: int
    speaker_total: int  # matched gold records that have a source
    seconds: float

    @property
    def found_rate(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.matched_predictions / self.predicted if self.predicted else 0.0

    @property
    def speaker_rate(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(
            found_rate=round(self.found_rate, 4),
            precision=round(self.precision, 4),
            speaker_rate=round(self.speaker_rate, 4),
            seconds=round(self.seconds, 2),
        )
        return out


@dataclass(frozen=True)
class _Gold:
    source: str | None
    source_span: tuple[int, int] | None
    content: tuple[tuple[int, int], ...]


def _fold_map(text: str) -> tuple[str, list[int]]:
    """`text` with white space removed and lower-cased, and each folded char's offset."""
    chars = []
    offsets = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch.lower())
            offsets.append(i)
    return "".join(chars), offsets


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _locate(folded_doc: str, offsets: Sequence[int], quote: Quote) -> set[int]:
    """Folded-doc positions of a quote's text, found piece by piece from its evidence on."""
    import bisect

    pos = bisect.bisect_left(offsets, quote.evidence.start)
    rest = _fold(quote.text)
    covered: set[int] = set()
    while rest:
        lo, hi = 0, len(rest)
        while lo < hi:  # the longest prefix of `rest` found at or after pos
            mid = (lo + hi + 1) // 2
            if folded_doc.find(rest[:mid], pos) >= 0:
                lo = mid
            else:
                hi = mid - 1
        if lo < 4:
            rest = rest[1:]
            continue
        at = folded_doc.find(rest[:lo], pos)
        covered.update(range(at, at + lo))
        pos = at + lo
        rest = rest[lo:]
    return covered


def _positions(offsets: Sequence[int], spans: Iterable[tuple[int, int]]) -> set[int]:
    import bisect

    out: set[int] = set()
    for start, end in spans:
        a = bisect.bisect_left(offsets, start)
        b = bisect.bisect_left(offsets, end)
        out.update(range(a, b))
    return out


def _read_gold(folder: Path) -> dict[str, dict[str, list[_Gold]]]:
    """doc -> annotator -> records."""
    gold: dict[str, dict[str, list[_Gold]]] = defaultdict(lambda: defaultdict(list))
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            source = row.get("source")
            gold[row["doc"]][row["annotator"]].append(
                _Gold(
                    source=source["text"] if source else None,
                    source_span=tuple(source["spans"][0]) if source else None,
                    content=tuple(tuple(s) for s in row["content"]["spans"]),
                )
            )
    return gold


def _head_word(doc: Doc, start: int, end: int, lex: AttributionLexicon) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if root.pos_ not in ("PROPN", "NOUN", "PRON") or root.is_punct:
        words = [t for t in span if t.pos_ in ("PROPN", "NOUN")]
        if not words:
            return root.lower_
        root = words[-1]
    if root.pos_ == "NOUN" and root.lower_ in lex.title_words:
        names = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if names:
            root = names[0]
    return root.lower_


def _referent(
    doc: Doc, g: _Gold, layer: Sequence[_Gold], lex: AttributionLexicon, depth: int = 0
) -> _Gold | None:
    """The gold record whose source a pronoun source refers to (itself when not a pronoun)."""
    if g.source is None or g.source_span is None or depth > 3:
        return None
    words = g.source.lower().split()
    if len(words) != 1 or words[0] not in lex.pronouns:
        return g
    pronoun = words[0]
    start = g.source_span[0]
    if pronoun in lex.first_person:
        for other in layer:
            if other is not g and any(s <= start < e for s, e in other.content):
                return _referent(doc, other, layer, lex, depth + 1)
        return None
    if pronoun in lex.relative_pronouns:
        span = doc.char_span(start, g.source_span[1], alignment_mode="expand")
        if span is None:
            return None
        tok = span[0]
        if tok.head.dep_ == "relcl":
            ante = tok.head.head
            sub = list(ante.subtree)
            left = sub[0].idx
            right = ante.idx + len(ante.text)
            return _Gold(doc[sub[0].i : ante.i + 1].text, (left, right), ())
        return None
    earlier = sorted(
        (o for o in layer if o.source_span is not None and o.source_span[0] < start),
        key=lambda o: o.source_span[0] if o.source_span else 0,
    )
    for other in reversed(earlier):
        text = other.source or ""
        low = text.lower().split()
        if not low or low[0] in lex.pronouns:
            continue
        if pronoun in lex.male_pronouns or pronoun in lex.female_pronouns:
            if not any(w[:1].isupper() for w in text.split()):
                continue
            if not _one_person(doc, other, lex):
                continue  # "he" is no "The party's existing rules", "Delegates", "a tweet"
            female = any(w in lex.female_names or w in lex.female_honorifics for w in low)
            male = any(w in lex.male_honorifics for w in low)
            if (pronoun in lex.male_pronouns and female) or (
                pronoun in lex.female_pronouns and male
            ):
                continue
        if pronoun in lex.neuter_pronouns and _a_person(doc, other, lex):
            continue  # "it" is no person
        return other
    return None


def _source_root(doc: Doc, g: _Gold) -> Token | None:
    """The head word of a gold source with a span (None when the span covers no token)."""
    assert g.source_span is not None
    span = doc.char_span(g.source_span[0], g.source_span[1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _one_person(doc: Doc, g: _Gold, lex: AttributionLexicon) -> bool:
    """Whether a gold source can be what "he"/"she" refers to: its head word is a name, or a
    singular noun for a person or a title ("The GOP candidate")."""
    if g.source_span is None:
        return False
    root = _source_root(doc, g)
    if root is None:
        return True
    if root.tag_ in ("NNS", "NNPS"):
        return False
    if root.pos_ == "NOUN":
        lemma = root.lemma_.lower()
        return lemma in lex.people_nouns or lemma in lex.title_words
    return True


def _a_person(doc: Doc, g: _Gold, lex: AttributionLexicon) -> bool:
    """Whether a gold source names a person: its head is a person's name or a noun for one."""
    if g.source_span is None:
        return False
    root = _source_root(doc, g)
    if root is None:
        return False
    if root.ent_type_ == "PERSON" or root.lower_ in lex.male_pronouns | lex.female_pronouns:
        return True
    return root.pos_ == "NOUN" and root.lemma_.lower() in lex.people_nouns


def _speaker_right(
    doc: Doc, g: _Gold, layer: Sequence[_Gold], quote: Quote, lex: AttributionLexicon
) -> bool:
    ref = _referent(doc, g, layer, lex)
    if ref is None or ref.source_span is None or quote.speaker is None:
        return False
    head = _head_word(doc, ref.source_span[0], ref.source_span[1], lex)
    if head is None:
        return False
    said = _words(quote.speaker)
    titled = _words(quote.speaker_title or "")
    if {head, head.rstrip(".")} & (said | titled):
        return True
    # a head with an apostrophe or a hyphen ("o'neill") is split as the speaker's words are
    pieces = _words(head)
    return len(pieces) > 1 and pieces <= said | titled


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\s\-‐’'(),.]+", text.lower()) if w}


def _score_layer(
    doc: Doc,
    folded: str,
    offsets: Sequence[int],
    quotes: Sequence[Quote],
    placed: Sequence[set[int]],
    layer: Sequence[_Gold],
    lex: AttributionLexicon,
) -> tuple[int, int, int, int]:
    """(found, matched predictions, speaker right, speaker total) for one annotator's records."""
    pairs = []
    for gi, g in enumerate(layer):
        gpos = _positions(offsets, g.content)
        if not gpos:
            continue
        for pi, ppos in enumerate(placed):
            inter = len(gpos & ppos)
            if inter * 2 >= len(gpos):
                pairs.append((inter / len(gpos), gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    right = total = 0
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g = layer[gi]
        if g.source is not None:
            total += 1
            right += _speaker_right(doc, g, layer, quotes[pi], lex)
    return len(used_g), len(used_p), right, total


def evaluate_polnear(
    folder: Path, nlp: Language, lex: AttributionLexicon, limit: int | None = None
) -> PolnearScore:
    """Run people + quotes over the PolNeAR articles in `folder` and score them against gold."""
    started = time.perf_counter()
    gold = _read_gold(folder)
    names = sorted(gold)[:limit] if limit is not None else sorted(gold)
    texts = [(folder / "text" / f"{name}.txt").read_text(encoding="utf-8") for name in names]
    totals = [0, 0, 0, 0, 0, 0]  # gold, predicted, found, matched, right, speaker total
    for name, doc in zip(names, nlp.pipe(texts, batch_size=16), strict=True):
        # a verbatim fragment repeats words of its indirect quote: one attribution, not two
        quotes = [
            q
            for q in extract_quotes(doc, extract_people(doc, lex), lex)
            if q.notes != FRAGMENT_NOTE
        ]
        folded, offsets = _fold_map(doc.text)
        placed = [_locate(folded, offsets, q) for q in quotes]
        for layer in gold[name].values():
            found, matched, right, total = _score_layer(
                doc, folded, offsets, quotes, placed, layer, lex
            )
            for i, v in enumerate((len(layer), len(quotes), found, matched, right, total)):
                totals[i] += v
    return PolnearScore(
        articles=len(names),
        gold=totals[0],
        predicted=totals[1],
        found=totals[2],
        matched_predictions=totals[3],
        speaker_right=totals[4],
        speaker_total=totals[5],
        seconds=time.perf_counter() - started,
    )
