"""Where to insert spaces: the cut rules (punctuation, quotes, case boundaries, acronyms, digits,
names glued to words, lower-case runs through the word splitter), applied again on the repaired
text until nothing new turns up."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from newsledger.repair.lexicon import (
    COMPOUND_MAX_RANK,
    KNOWN_GLUE_MARGIN,
    KNOWN_GLUE_MIN_RANK,
    Repairer,
    common,
    cost,
    inflected,
    known,
)
from newsledger.repair.offsets import TOKEN

MAX_PASSES = 3  # the cut points are looked for again on the repaired text, at most this often

_EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…*–—-"  # stripped off a token to see its word
_LETTERS = re.compile(r"[^\W\d_]+")
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


@dataclass(frozen=True)
class _Context:
    """What one text says about itself: its words as written, and its acronyms."""

    words: Counter[str]
    bigrams: frozenset[tuple[str, str]]  # adjacent lower-cased words, as written
    acronyms: frozenset[str]


def fixpoint_cuts(rep: Repairer, text: str) -> list[int]:
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


def _cut_points(rep: Repairer, text: str) -> list[int]:
    runs = _LETTERS.findall(text)
    words = Counter(runs)
    low_runs = [w.lower() for w in runs]
    bigrams = frozenset(itertools.pairwise(low_runs))
    seen_acronyms = {w for w in words if len(w) >= 2 and w.isupper() and w.isascii()}
    ctx = _Context(words, bigrams, rep.acronyms | seen_acronyms)
    cuts = set(_quote_cuts(text))
    for m in TOKEN.finditer(text):
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
        if not (word.islower() or word.istitle()) or not known(rep, word.lower()):
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
        elif (word.islower() and len(word) >= 3 and known(rep, word)) or (
            _CAPITALISED_WORD.fullmatch(word)
        ):
            cuts.append(m.start(2))  # 2024targeting, 2014The
    return cuts


def _possessive_cuts(rep: Repairer, run: str) -> list[int]:
    """`Tikrit’sresidents`: the possessive s glued to the next word."""
    if len(run) < 4 or not run.islower() or run[0] != "s" or known(rep, run):
        return []
    return [1] if known(rep, run[1:]) and run[1:] not in rep.suffixes else []


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
    before_last = len(upper) >= 3 and known(rep, last_word) and last_word not in rep.suffixes
    after = lower not in rep.suffixes and (
        lower in rep.function_words or (len(lower) >= 3 and known(rep, lower))
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
    if known(rep, low) or ctx.words[seg] >= 2:
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
        if inflected(rest) and common(rep, rest):
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
    if known(rep, seg):
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
        elif piece in rep.prefixes or piece in rep.suffixes or not common(rep, piece):
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
        if k > 0 and content[k - 1] and not inflected(pieces[k - 1]):
            return False  # exhortatory -> exhort a tory
    if not any(content):
        return len(pieces) == 2  # saidit, ofthem; not here-in-after
    if not all(content):
        last = pieces[-1]
        return not (last in rep.tail_particles and content[-2] and not inflected(pieces[-2]))
    if len(pieces) != 2 or ctx.words[seg] >= 2:
        return False  # two content words seen twice are a compound (airstrike)
    first, second = pieces
    if second in rep.compound_tails:
        return False  # committeewoman, monthslong
    if (inflected(first) and len(first) >= 5) or (first, second) in ctx.bigrams:
        return True
    return (
        min(len(first), len(second)) >= 4
        and max(len(first), len(second)) >= 8
        and max(rep.rank[first], rep.rank[second]) <= COMPOUND_MAX_RANK
    )


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
            cand = (cost(rep, word[:i]) + cost(rep, word[i:]), [i])
            best = cand if best is None or cand[0] < best[0] else best
        for j in range(i + 1, len(word)):
            if word[i:j] in fw and word[j:] in fw:
                total = sum(cost(rep, w) for w in (word[:i], word[i:j], word[j:]))
                best = (total, [i, j]) if best is None or total < best[0] else best
    if best is None or cost(rep, word) - best[0] < KNOWN_GLUE_MARGIN:
        return []
    return best[1]
