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

Modules: `lexicon` (the word lists and what they say about a word), `offsets` (edits, the offset
map, mojibake fixes), `cuts` (the rules that place the spaces).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from newsledger.records import Article, OffsetMap
from newsledger.repair.cuts import fixpoint_cuts
from newsledger.repair.lexicon import Repairer, load_repairer
from newsledger.repair.offsets import TOKEN, Edit, apply_edits, compose, mojibake_edits

MAX_EXAMPLES = 100  # examples kept by repair_stats

__all__ = ["RepairStats", "Repairer", "load_repairer", "repair", "repair_article", "repair_stats"]


@dataclass(frozen=True)
class RepairStats:
    """How many whitespace tokens of the raw texts the repair changed, with examples."""

    tokens: int
    changed: int
    examples: tuple[tuple[str, str], ...]  # (raw token, repaired text)


def repair(repairer: Repairer, raw: str) -> tuple[str, OffsetMap]:
    """The repaired text and the map from its offsets to offsets in `raw`."""
    return apply_edits(raw, _edits(repairer, raw))


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
        for m in TOKEN.finditer(raw):
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
                local = [Edit(e.start - m.start(), e.end - m.start(), e.text) for e in inside]
                examples.append((m.group(), apply_edits(m.group(), local)[0]))
    return RepairStats(tokens=tokens, changed=changed, examples=tuple(examples))


def _edits(repairer: Repairer, raw: str) -> list[Edit]:
    fixes = mojibake_edits(raw)
    if not fixes:
        return [Edit(p, p, " ") for p in fixpoint_cuts(repairer, raw)]
    mid, _ = apply_edits(raw, fixes)
    return compose(fixes, fixpoint_cuts(repairer, mid))
