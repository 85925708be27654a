"""repair: raw scraped text -> clean text, with a map from clean offsets back to raw offsets.

Scraped news glues words together where line breaks were lost (`renewedfighting`,
`theTigris`, `al-Abadirecently`, `March2027`, `2021.They`). The repair only ever inserts a
space between two characters, except for mojibake, which it replaces. Everything else in the
text (line breaks, quotes, dashes) is left as it was.

The steps, rules first and the word splitter last:

1. Mojibake (`donâ€™t`, stray C1 controls): only when `ftfy.badness.is_bad` flags the text
   (NFC-composed, so decomposed `Ã` counts), each token that it flags is fixed with
   `ftfy.fix_encoding` (nothing else: quotes are not uncurled, HTML is not unescaped), and only
   the differing middle of the token is replaced, so the offset map stays exact around it.
   Replaced characters map to the raw start of what they replace.
2. Punctuation glued to a word: `2021.They`, `Raqqa.Officials` (two word characters, `.!?`, then a
   capitalised word), `Basra,Najaf` (`,;` then a letter), `Syria:The`, `(SDF)and`, curly quotes
   (`“` glued after a word, `”` glued before one), and straight quotes glued on both sides
   (`is"full,"he`), told apart by their parity within the paragraph (an opening one gets a
   space before, a closing one after; none when a paragraph's count is odd).
3. Case boundaries, lower to upper (`theTigris`, `mainlyF-35`, `JamesMorrison`). A lower-case
   left part splits (two letters: only a function word, `inAl-Qaim`; one letter: only
   `a`, not `eBay`), except inside a word of the camel-case lexicon (`YouTube`, `PhD`, `iPhone`:
   repair_camel.txt). A capitalised left part (`JamesMorrison`) splits unless it is a surname prefix
   (`McGurk`, `MacArthur`: repair_camel_prefixes.txt) or a number word follows
   (`FiveThirtyEight`), and only with evidence, since brands glue words too: a sentence-opening
   function word follows (`KinneyThe`), the text also writes the two words apart or has both
   standing alone, or both parts have five letters or more (brands glue short ones: `YouGov`,
   `KurdSat`). A two-letter one (`InSyria`) splits only before a name the text or
   repair_names.txt knows (not `OnStar`, `MoD`, `DfID`). An acronym on the right must be known
   (`theUS`, `ofISIS`).
4. Acronym + word (`NATOtroops`, `UNMission`, `USMarines`): the acronym is one of
   repair_acronyms.txt or an all-capitals word standing alone elsewhere in the same text; the
   boundary goes where both sides are known. A plural `s` is never split off (`NGOs`).
5. Digits: a word glued to a year (`March2027`, `in2014`) or a word of three letters or more
   glued to a number (`approximately11,000`), and a word glued after a number (`2024targeting`,
   `2014The`). Decision on units: abbreviations of repair_units.txt stay glued (`10km`, `5bn`,
   `3pm`, `22nd`, `1990s`), as newspapers print them; `3D`, `F-16`, `COVID-19` are untouched.
6. A capitalised word glued to a lower-case word (`Mosulremains`, `al-Abadirecently`): split
   only when the first part is a known name, from repair_names.txt or standing alone elsewhere in
   the same text, and the rest is a function word (`Mosulin`), an inflected common word
   (`recently`, `remains`) or, for two long common words, any (`Coalitionstrategy`). A common
   word glued to a function word that ends no name (repair_glue_words.txt: `Councilfor`)
   splits too. A name that is not known that way (`Qayyarah`, `Makhmour`) is never cut, nor
   is a rest that only looks like a word (`Abdulkarim`, `Airwars`, `Staffan`).
7. Lower-case runs (`convoywas`, `renewedfighting`, `saidit`): only a run that is not a known
   word goes to the word splitter (wordninja). Known means in wordninja's word list,
   repair_words.txt, or derived from a known word by the prefixes and suffixes of
   repair_affixes.txt (`radicalised`, `unaccounted`, `jihadists`). The split is kept only if
   every piece is a function word or a common word (three letters: very common), no piece is an
   affix, no prefix-like particle starts it (`overstretched`), and either a piece is a function
   word or the first piece is inflected (`renewed`, `fleeing`) or both pieces are long. A run
   that is a known word is split only when it is a rare glue of function words (`inthe`, `isa`)
   that the splitter scores much better apart.

Some rules use what the text says about itself, and a repair can add such evidence (a name now
stands alone), so the cut points are looked for again on the repaired text until nothing new
turns up: repairing repaired text changes nothing.

URLs, e-mail addresses, handles, hashtags, markup and HTML entities are left alone. Non-ASCII
words are not split. Control characters still in the repaired text (terminal escapes, BEL,
backspace, C1 controls; not tab, line feed or carriage return) become spaces, one for one, so
that no name or record taken from the text carries them.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import ftfy
import wordninja
from ftfy.badness import is_bad

from newsledger.datafiles import read_lines
from newsledger.records import Article, OffsetMap

# Thresholds, on the rank of a word in wordninja's frequency-ordered list (0 = most frequent).
CONTENT_MAX_RANK = 30_000  # a piece of four or five letters must be at least this common
SHORT_CONTENT_MAX_RANK = 3_000  # a three-letter piece (`war`, `end`) must be this common
COMPOUND_MAX_RANK = 20_000  # two long content words glued (`policeforces`): both this common
KNOWN_GLUE_MIN_RANK = 10_000  # a listed word rarer than this may be a glue (`inthe`)
KNOWN_GLUE_MARGIN = 3.5  # ...if splitting it lowers the splitter's cost by this much (nats)
MAX_EXAMPLES = 100  # examples kept by repair_stats
MAX_PASSES = 3  # the cut points are looked for again on the repaired text, at most this often

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…*–—-"  # stripped off a token to see its word
_LETTERS = re.compile(r"[^\W\d_]+")
# UTF-8 read as Latin-1 or cp1252 starts each character with one of Â..ô, or leaves C1 controls:
# a text without these has no mojibake for ftfy to fix, and is_bad need not scan it
_MOJIBAKE_HINT = re.compile(r"[\u0080-\u009f\u00c2-\u00f4]|A\u0303|A\u0302")
_URLISH = re.compile(
    r"://|www\.|@|^#|&\w+;|=|[<>]|\.(?:com|org|net|gov|edu|int|mil|info|io|co|uk)\b", re.IGNORECASE
)
_PUNCT_CUTS = (
    re.compile(r"(?<=[^\W_][^\W_][.!?])(?=[\"“‘]?[A-Z][a-z])"),  # 2021.They
    re.compile(r"(?<=[^\W_][,;])(?=[A-Za-z]|“[^\W_])"),  # Basra,Najaf
    re.compile(r"(?<=[^\W\d_][^\W\d_]:)(?=[A-Z][a-z])"),  # Syria:The
    re.compile(r"(?<=[^\W_][^\W_]\))(?=[^\W\d_])"),  # (SDF)and
    re.compile(r"(?<=[^\W\d_][^\W\d_])(?=\([A-Z])"),  # forces(SDF)
    re.compile(r"(?<=”)(?=[^\W\d_])"),  # said,”he
    re.compile(r"(?<=[^\W_]|[.,;:!?])(?=“[^\W_])"),  # threat.“Unless
)
_LETTERS_DIGITS = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})(\d+)")
_DIGITS_LETTERS = re.compile(r"(?<![^\W\d_])(\d+)([^\W\d_]+)")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]{2,}")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+")
_UPPER_RUN = re.compile(r"[A-Z]+")
_ACRONYM_WORD = re.compile(r"([A-Z]{2,})([a-z]{2,})")
_QUOTE_OPENER_BEFORE = re.compile(r"[^\W_]|[.,;:!?]")
_WORD_CHAR = re.compile(r"[^\W_]")
_INFLECTIONS = ("ed", "ing", "ly", "ive", "ous", "ful")


@dataclass(frozen=True)
class Repairer:
    """The loaded lexicons and the word splitter (build it with `load_repairer`)."""

    splitter: Any  # wordninja.LanguageModel
    rank: Mapping[str, int]  # word -> rank in the splitter's frequency-ordered list
    function_words: frozenset[str]  # closed-class words and number words
    number_words: frozenset[str]
    glue_words: frozenset[str]  # function words that end no name
    head_particles: frozenset[str]
    tail_particles: frozenset[str]
    compound_tails: frozenset[str]
    prefixes: frozenset[str]
    suffixes: tuple[str, ...]  # longest first
    camel: tuple[str, ...]
    camel_prefixes: frozenset[str]
    acronyms: frozenset[str]
    names: frozenset[str]
    units: frozenset[str]
    words: frozenset[str]

    def repair(self, raw: str) -> tuple[str, OffsetMap]:
        return repair(self, raw)


@dataclass(frozen=True)
class RepairStats:
    """How many whitespace tokens of the raw texts the repair changed, with examples."""

    tokens: int
    changed: int
    examples: tuple[tuple[str, str], ...]  # (raw token, repaired text)


@dataclass(frozen=True)
class _Edit:
    start: int  # raw offsets
    end: int
    text: str


@dataclass(frozen=True)
class _Context:
    """What one text says about itself: its words as written, and its acronyms."""

    words: Counter[str]
    bigrams: frozenset[tuple[str, str]]  # adjacent lower-cased words, as written
    acronyms: frozenset[str]


def _sections(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for line in read_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        out.setdefault(current, []).append(line)
    return out


def load_repairer() -> Repairer:
    """Load the lexicons (src/newsledger/data/repair_*.txt) and wordninja's model, once."""
    word_file = Path(wordninja.__file__).parent / "wordninja" / "wordninja_words.txt.gz"
    with gzip.open(word_file, "rt", encoding="utf-8") as handle:
        ranked = handle.read().split()
    affixes = _sections("repair_affixes.txt")
    particles = _sections("repair_particles.txt")
    function_words = _sections("repair_function_words.txt")
    return Repairer(
        # wordninja builds this model from the same file when it is imported; reuse it
        splitter=wordninja.DEFAULT_LANGUAGE_MODEL,
        rank={word: i for i, word in reversed(list(enumerate(ranked)))},
        function_words=frozenset(function_words["closed"] + function_words["numbers"]),
        number_words=frozenset(function_words["numbers"]),
        glue_words=frozenset(read_lines("repair_glue_words.txt")),
        head_particles=frozenset(particles["head"]),
        tail_particles=frozenset(particles["tail"]),
        compound_tails=frozenset(particles["compound"]),
        prefixes=frozenset(affixes["prefix"]),
        suffixes=tuple(sorted(set(affixes["suffix"]), key=len, reverse=True)),
        camel=tuple(read_lines("repair_camel.txt")),
        camel_prefixes=frozenset(read_lines("repair_camel_prefixes.txt")),
        acronyms=frozenset(read_lines("repair_acronyms.txt")),
        names=frozenset(read_lines("repair_names.txt")),
        units=frozenset(read_lines("repair_units.txt")),
        words=frozenset(read_lines("repair_words.txt")),
    )


def repair(repairer: Repairer, raw: str) -> tuple[str, OffsetMap]:
    """The repaired text and the map from its offsets to offsets in `raw`."""
    return _apply(raw, _edits(repairer, raw))


_CONTROL_TO_SPACE = {c: " " for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"}


def repair_article(repairer: Repairer, article: Article) -> Article:
    """The article with `text` repaired from `raw_text` and `offsets` mapping back to it."""
    clean, offsets = repair(repairer, article.raw_text)
    # one character for one: the offset map stays exact
    return replace(article, text=clean.translate(_CONTROL_TO_SPACE), offsets=offsets)


def repair_stats(repairer: Repairer, texts: Iterable[str]) -> RepairStats:
    """Count the whitespace tokens of `texts` that the repair changes."""
    tokens = changed = 0
    examples: list[tuple[str, str]] = []
    for raw in texts:
        edits = _edits(repairer, raw)
        k = 0
        for m in _TOKEN.finditer(raw):
            tokens += 1
            while k < len(edits) and edits[k].end < m.start():
                k += 1
            inside = []
            j = k
            while j < len(edits) and edits[j].start < m.end():
                if edits[j].start > m.start() or edits[j].end > edits[j].start:
                    inside.append(edits[j])
                j += 1
            if not inside:
                continue
            changed += 1
            if len(examples) < MAX_EXAMPLES:
                local = [_Edit(e.start - m.start(), e.end - m.start(), e.text) for e in inside]
                examples.append((m.group(), _apply(m.group(), local)[0]))
    return RepairStats(tokens=tokens, changed=changed, examples=tuple(examples))


# --- edits and the offset map ---------------------------------------------------------------


def _apply(raw: str, edits: list[_Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; anchor every inserted character to `edit.start`."""
    parts: list[str] = []
    clean_at = [0]
    raw_at = [0]

    def anchor(c: int, r: int) -> None:
        if clean_at[-1] == c:
            raw_at[-1] = r
        elif raw_at[-1] + (c - clean_at[-1]) != r:
            clean_at.append(c)
            raw_at.append(r)

    pos = out = 0
    for edit in edits:
        parts.append(raw[pos : edit.start])
        out += edit.start - pos
        for j in range(len(edit.text)):
            anchor(out + j, edit.start)
        parts.append(edit.text)
        out += len(edit.text)
        anchor(out, edit.end)
        pos = edit.end
    parts.append(raw[pos:])
    return "".join(parts), OffsetMap(tuple(clean_at), tuple(raw_at))


def _edits(repairer: Repairer, raw: str) -> list[_Edit]:
    fixes = _mojibake_edits(raw)
    if not fixes:
        return [_Edit(p, p, " ") for p in _fixpoint_cuts(repairer, raw)]
    mid, _ = _apply(raw, fixes)
    return _compose(fixes, _fixpoint_cuts(repairer, mid))


def _fixpoint_cuts(rep: Repairer, text: str) -> list[int]:
    """Cut points, found again on the repaired text until nothing new turns up.

    Some rules use what the text says about itself (a name standing alone, two words written
    apart), and a repair can add such evidence; repeating makes the repair idempotent."""
    cuts = _cut_points(rep, text)
    new = cuts
    for _ in range(MAX_PASSES - 1):
        if not new:
            break
        current = "".join(
            text[a:b] + (" " if b < len(text) else "")
            for a, b in itertools.pairwise([0, *cuts, len(text)])
        )
        spaces = [c + k for k, c in enumerate(cuts)]  # where the inserted spaces are
        found = [q - bisect.bisect_left(spaces, q) for q in _cut_points(rep, current)]
        new = sorted(set(found) - set(cuts))
        cuts = sorted(set(cuts) | set(new))
    return cuts


def _compose(fixes: list[_Edit], cuts: list[int]) -> list[_Edit]:
    """Turn cut points in the mojibake-fixed text into edits of the raw text.

    A cut inside or at either end of a fix's replacement goes into that replacement."""
    spans = []  # (start, end) of each fix's text in the fixed text, and its shift
    shift = 0
    for fix in fixes:
        at = fix.start + shift
        spans.append((at, at + len(fix.text), shift))
        shift += len(fix.text) - (fix.end - fix.start)
    inserts: list[list[int]] = [[] for _ in fixes]
    out: list[_Edit] = []
    k = 0
    for q in cuts:
        while k < len(fixes) and spans[k][1] < q:
            k += 1
        if k < len(fixes) and spans[k][0] <= q:
            inserts[k].append(q - spans[k][0])
            continue
        before = spans[k][2] if k < len(fixes) else shift
        out.append(_Edit(q - before, q - before, " "))
    for fix, offsets in zip(fixes, inserts, strict=True):
        text = fix.text
        for at in reversed(offsets):
            text = text[:at] + " " + text[at:]
        out.append(_Edit(fix.start, fix.end, text))
    return sorted(out, key=lambda e: (e.start, e.end))


def _mojibake_edits(raw: str) -> list[_Edit]:
    if not _MOJIBAKE_HINT.search(raw) or not is_bad(unicodedata.normalize("NFC", raw)):
        return []
    edits = []
    for m in _TOKEN.finditer(raw):
        token = m.group()
        if token.isascii():
            continue
        composed = unicodedata.normalize("NFC", token)  # ftfy needs Ã, not A + tilde
        if not is_bad(composed):
            continue
        fixed = ftfy.fix_encoding(composed)
        if fixed == composed:
            continue
        a = 0
        while a < min(len(token), len(fixed)) and token[a] == fixed[a]:
            a += 1
        b = 0
        while b < min(len(token), len(fixed)) - a and token[-1 - b] == fixed[-1 - b]:
            b += 1
        edits.append(_Edit(m.start() + a, m.end() - b, fixed[a : len(fixed) - b]))
    return edits


# --- where to insert spaces -----------------------------------------------------------------


def _cut_points(rep: Repairer, text: str) -> list[int]:
    runs = _LETTERS.findall(text)
    words = Counter(runs)
    low_runs = [w.lower() for w in runs]
    bigrams = frozenset(itertools.pairwise(low_runs))
    seen_acronyms = {w for w in words if len(w) >= 2 and w.isupper() and w.isascii()}
    ctx = _Context(words, bigrams, rep.acronyms | seen_acronyms)
    cuts = set(_quote_cuts(text))
    for m in _TOKEN.finditer(text):
        token, base = m.group(), m.start()
        core = token.strip(_EDGE_PUNCTUATION)
        if core.isalpha() and core.isascii():  # one word between punctuation: the common case
            base += token.index(core)
            if core.islower():
                rank = rep.rank.get(core)
                if rank is None or rank >= KNOWN_GLUE_MIN_RANK:
                    cuts.update(base + p for p in _lower_cuts(rep, ctx, core))
            elif not _plain(rep, core):
                cuts.update(base + p for p in _run_cuts(rep, ctx, core))
            continue
        if _URLISH.search(token):
            continue
        for pattern in _PUNCT_CUTS:
            cuts.update(base + p.start() for p in pattern.finditer(token))
        cuts.update(base + p for p in _digit_cuts(rep, token))
        for run in _LETTERS.finditer(token):
            s, e = run.span()
            if s > 0 and token[s - 1] in "'’":
                cuts.update(base + s + p for p in _possessive_cuts(rep, run.group()))
                continue
            if s > 0 and (token[s - 1] == "‘" or token[s - 1].isdigit()):
                continue
            if e < len(token) and unicodedata.combining(token[e]):
                continue  # a letter with a combining accent: not ASCII after all
            if run.group().isascii():
                cuts.update(base + s + p for p in _run_cuts(rep, ctx, run.group()))
    return sorted(c for c in cuts if 0 < c < len(text))


def _plain(rep: Repairer, token: str) -> bool:
    """An all-capitals word, or a capitalised word of the splitter's list: nothing to cut."""
    if token.isupper():
        return True
    return token[0].isupper() and token[1:].islower() and token.lower() in rep.rank


def _quote_cuts(text: str) -> list[int]:
    """Straight double quotes glued to a word, by their parity in the paragraph."""
    cuts = []
    start = 0
    for paragraph in text.split("\n"):
        quotes = [start + m.start() for m in re.finditer('"', paragraph)]
        if len(quotes) % 2 == 0:
            for i, q in enumerate(quotes):
                if q == 0 or q + 1 >= len(text) or text[q - 1].isspace() or text[q + 1].isspace():
                    continue  # only a quote glued on both sides is ambiguous
                if i % 2 == 0 and _QUOTE_OPENER_BEFORE.match(text[q - 1]):
                    cuts.append(q)  # opening: is"full
                elif i % 2 == 1 and _WORD_CHAR.match(text[q + 1]):
                    cuts.append(q + 1)  # closing: full,"he
        start += len(paragraph) + 1
    return cuts


def _digit_cuts(rep: Repairer, token: str) -> list[int]:
    cuts = []
    for m in _LETTERS_DIGITS.finditer(token):
        word, digits = m.group(1), m.group(2)
        if not word.isascii():
            continue
        if not (word.islower() or word.istitle()) or not _known(rep, word.lower()):
            continue
        if _YEAR.fullmatch(digits) or (word.islower() and len(word) >= 3):
            cuts.append(m.start(2))  # March2027, approximately11,000; not Future45
    for m in _DIGITS_LETTERS.finditer(token):
        digits, word = m.group(1), m.group(2)
        if not word.isascii():
            continue
        low = word.lower()
        if (
            _YEAR.fullmatch(digits)
            and word.islower()
            and low in rep.function_words
            and len(low) > 1
        ):
            cuts.append(m.start(2))
        elif low in rep.units:
            continue
        elif (word.islower() and len(word) >= 3 and _known(rep, word)) or (
            _CAPITALISED_WORD.fullmatch(word)
        ):
            cuts.append(m.start(2))  # 2024targeting, 2014The
    return cuts


def _possessive_cuts(rep: Repairer, run: str) -> list[int]:
    """`Tikrit’sresidents`: the possessive s glued to the next word."""
    if len(run) < 4 or not run.islower() or run[0] != "s" or _known(rep, run):
        return []
    return [1] if _known(rep, run[1:]) and run[1:] not in rep.suffixes else []


def _run_cuts(rep: Repairer, ctx: _Context, run: str) -> list[int]:
    """Cuts inside one run of letters: case boundaries first, then each piece's glue."""
    cuts = _case_cuts(rep, ctx, run)
    bounds = [0, *cuts, len(run)]
    out = list(cuts)
    for a, b in itertools.pairwise(bounds):
        seg = run[a:b]
        if len(seg) < 3:
            continue
        if seg.islower():
            out.extend(a + p for p in _lower_cuts(rep, ctx, seg))
        elif seg[0].isupper() and seg[1:].islower():
            out.extend(a + p for p in _capital_cuts(rep, ctx, seg))
    return out


def _case_cuts(rep: Repairer, ctx: _Context, run: str) -> list[int]:
    if run.islower() or run.isupper() or (run[0].isupper() and run[1:].islower()):
        return []
    protected = []
    for word in rep.camel:
        at = run.find(word)
        while at >= 0:
            protected.append((at, at + len(word)))
            at = run.find(word, at + 1)
    cuts = [
        i
        for i in range(1, len(run))
        if run[i - 1].islower()
        and run[i].isupper()
        and not any(a < i < b for a, b in protected)
        and _case_boundary(rep, ctx, run, i)
    ]
    out = list(cuts)
    bounds = [0, *cuts, len(run)]
    for a, b in itertools.pairwise(bounds):
        m = _ACRONYM_WORD.fullmatch(run, a, b)
        if m and not any(x < m.end(1) < y for x, y in protected):
            cut = _acronym_cut(rep, ctx, m.group(1), m.group(2))
            if cut is not None:
                out.append(a + cut)
    return sorted(out)


def _case_boundary(rep: Repairer, ctx: _Context, run: str, i: int) -> bool:
    """Whether a lower-to-upper boundary at `i` is a lost space."""
    j = i - 1
    while j > 0 and run[j - 1].islower():
        j -= 1
    upper = _UPPER_RUN.match(run, i)
    right = _TITLE_WORD.match(run, i)
    if upper is not None and right is None and i + 1 < len(run) and run[i + 1].isupper():
        caps = upper.group()  # an acronym on the right: theUS, ofISIS (not F-16: one capital)
        if not (caps in ctx.acronyms or (len(caps) > 2 and caps[:-1] in ctx.acronyms)):
            return False
    if j > 0 and run[j - 1].isupper():
        return _capitalised_boundary(rep, ctx, run[j - 1 : i], right)
    left = run[j:i]
    if len(left) == 1:
        return left == "a" and right is not None and len(right.group()) >= 3
    if len(left) == 2:
        return left in rep.function_words
    return True


def _capitalised_boundary(
    rep: Repairer, ctx: _Context, left: str, right: re.Match[str] | None
) -> bool:
    """`JamesMorrison`, `NorthernCommand`, `InSyria` are glues; `OnStar`, `BlueCross` are not."""
    if left in rep.camel_prefixes:
        return False
    if right is None:  # an acronym the text knows
        return len(left) >= 3 or left.lower() in rep.function_words
    word = right.group()
    low = word.lower()
    if low in rep.number_words:
        return False  # FiveThirtyEight, SpaceShipOne
    if len(left) <= 2:  # InSyria, OfIraq; not OnStar, MySpace
        known_right = bool(ctx.words[word]) or word in rep.names
        return left.lower() in rep.function_words and len(word) >= 3 and known_right
    if (
        low in rep.function_words
        and low not in rep.number_words
        and low not in rep.head_particles
        and len(left) >= 4
    ):
        return True  # KinneyThe; not StandUp, FiveThirtyEight
    if (left.lower(), word.lower()) in ctx.bigrams:
        return True  # the text also writes the two words apart
    if ctx.words[left] and ctx.words[word]:
        return True  # both stand alone elsewhere in the text
    return min(len(left), len(word)) >= 5  # brands glue short words: YouGov, BlueCross


def _acronym_cut(rep: Repairer, ctx: _Context, upper: str, lower: str) -> int | None:
    """Where to cut `NATOtroops` / `UNMission`: after the acronym, or before its last
    capital."""
    last_word = (upper[-1] + lower).lower()
    before_last = len(upper) >= 3 and _known(rep, last_word) and last_word not in rep.suffixes
    after = lower not in rep.suffixes and (
        lower in rep.function_words or (len(lower) >= 3 and _known(rep, lower))
    )
    if before_last and upper[:-1] in ctx.acronyms:
        return len(upper) - 1
    if after and upper in ctx.acronyms:
        return len(upper)
    return None


def _capital_cuts(rep: Repairer, ctx: _Context, seg: str) -> list[int]:
    """`Mosulremains` -> `Mosul remains`, only after a known name."""
    if len(seg) < 6:
        return []
    low = seg.lower()
    if _known(rep, low) or ctx.words[seg] >= 2:
        return []
    for j in range(len(seg) - 2, 2, -1):
        head, rest = seg[:j], seg[j:]
        head_rank = rep.rank.get(head.lower(), len(rep.rank))
        if not (ctx.words[head] or head in rep.names):
            if rest in rep.glue_words and len(head) >= 5 and head_rank <= COMPOUND_MAX_RANK:
                return [j]  # Councilfor: a common word, then a word that ends no name
            continue
        if rest in rep.function_words and len(rest) >= 2 and len(head) >= 4:
            return [j]  # Mosulin
        if rest in rep.function_words or rest in rep.suffixes or rest in rep.prefixes:
            continue
        if _inflected(rest) and _common(rep, rest):
            return [j]  # a verb or adverb after a name: Mosulremains, al-Abadirecently
        if (
            min(len(head), len(rest)) >= 4
            and max(len(head), len(rest)) >= 8
            and max(head_rank, rep.rank.get(rest, len(rep.rank))) <= COMPOUND_MAX_RANK
        ):
            return [j]  # Coalitionstrategy
    return []


def _lower_cuts(rep: Repairer, ctx: _Context, seg: str) -> list[int]:
    """Cuts in a lower-case run: a glue of words the splitter finds, if the split is good."""
    if len(seg) < 3:
        return []
    if _known(rep, seg):
        return _function_glue(rep, seg)
    pieces = [str(p) for p in rep.splitter.split(seg)]
    if "".join(pieces) != seg or not _good_split(rep, ctx, seg, pieces):
        return []
    cuts = []
    at = 0
    for piece in pieces[:-1]:
        at += len(piece)
        cuts.append(at)
    return cuts


def _good_split(rep: Repairer, ctx: _Context, seg: str, pieces: list[str]) -> bool:
    if not 2 <= len(pieces) <= 3:
        return False
    content = []
    for piece in pieces:
        if piece in rep.function_words:
            content.append(False)
        elif piece in rep.prefixes or piece in rep.suffixes or not _common(rep, piece):
            return False
        else:
            content.append(True)
    for k in range(len(pieces) - 1):
        if pieces[k] in rep.head_particles and content[k + 1]:
            return False  # overstretched, outgunned, onside
    for k, piece in enumerate(pieces):
        if piece != "a":
            continue
        if k + 1 < len(pieces) and not content[k + 1]:
            return False  # "a" before a function word: destinaiton -> destin a it on
        if k > 0 and content[k - 1] and not _inflected(pieces[k - 1]):
            return False  # exhortatory -> exhort a tory
    if not any(content):
        return len(pieces) == 2  # saidit, ofthem; not here-in-after
    if not all(content):
        last = pieces[-1]
        return not (last in rep.tail_particles and content[-2] and not _inflected(pieces[-2]))
    if len(pieces) != 2 or ctx.words[seg] >= 2:
        return False  # two content words seen twice are a compound (airstrike)
    first, second = pieces
    if second in rep.compound_tails:
        return False  # committeewoman, monthslong
    if (_inflected(first) and len(first) >= 5) or (first, second) in ctx.bigrams:
        return True
    return (
        min(len(first), len(second)) >= 4
        and max(len(first), len(second)) >= 8
        and max(rep.rank[first], rep.rank[second]) <= COMPOUND_MAX_RANK
    )


def _common(rep: Repairer, piece: str) -> bool:
    """Whether a piece is a common enough word to stand alone in a split."""
    rank = rep.rank.get(piece)
    if rank is None or len(piece) < 3:
        return False
    if len(piece) == 3:
        return rank <= SHORT_CONTENT_MAX_RANK
    return len(piece) >= 6 or rank <= CONTENT_MAX_RANK


def _inflected(word: str) -> bool:
    if word.endswith(_INFLECTIONS):
        return True
    return len(word) >= 6 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _function_glue(rep: Repairer, word: str) -> list[int]:
    """`inthe`, `isa`: listed by the splitter but a glue of function words."""
    rank = rep.rank.get(word)
    if rank is None or rank < KNOWN_GLUE_MIN_RANK or len(word) > 12:
        return []
    fw = rep.function_words
    best: tuple[float, list[int]] | None = None
    for i in range(1, len(word)):
        if word[:i] not in fw:
            continue
        if word[i:] in fw:
            cand = (_cost(rep, word[:i]) + _cost(rep, word[i:]), [i])
            best = cand if best is None or cand[0] < best[0] else best
        for j in range(i + 1, len(word)):
            if word[i:j] in fw and word[j:] in fw:
                cost = sum(_cost(rep, w) for w in (word[:i], word[i:j], word[j:]))
                best = (cost, [i, j]) if best is None or cost < best[0] else best
    if best is None or _cost(rep, word) - best[0] < KNOWN_GLUE_MARGIN:
        return []
    return best[1]


def _cost(rep: Repairer, word: str) -> float:
    """wordninja's cost of a word: log(rank * log(vocabulary size))."""
    return math.log((rep.rank[word] + 1) * math.log(len(rep.rank)))


def _known(rep: Repairer, word: str, depth: int = 0) -> bool:
    """A word of the splitter's list or repair_words.txt, or one derived from one by affixes."""
    if word in rep.rank or word in rep.words:
        return True
    if depth >= 3:
        return False
    for prefix in rep.prefixes:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 4 and _known(rep, rest, depth + 1):
            return True
    for suffix in rep.suffixes:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        candidates = [stem, stem + "e"]
        if len(stem) >= 4 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # targetting -> target
        if stem.endswith("i"):
            candidates.append(stem[:-1] + "y")  # loyalties -> loyalty
        if any(_known(rep, c, depth + 1) for c in candidates):
            return True
    for british, american in (("is", "iz"), ("our", "or"), ("tre", "ter")):
        if british in word and _known(rep, word.replace(british, american), depth + 1):
            return True
    return False
