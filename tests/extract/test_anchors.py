"""Anchored patterns: the literal words a match needs, and the same matches as the bare regex."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import json
import re
from pathlib import Path
from re import _casefix  # type: ignore[attr-defined]

import pytest

from newsledger.extract.anchors import (
    UNFOLDABLE,
    Anchored,
    AnchorMemo,
    anchor_words,
    anchored,
    lazily,
    longest_space_run,
    required_words,
)
from newsledger.extract.events.actors import find_actor_mentions
from newsledger.extract.events.rules import load_event_rules
from tests.helpers.paths import SHARED

GUARDIAN = SHARED / "corpus" / "guardian_sdf.jsonl"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bpulled out\b", {"pulled out"}),
        (r"\b(attack(ed|s)?|raid(ed|s)?|stormed)\b", {"attack", "raid", "stormed"}),
        (r"\b(re)?deployed\b", {"deployed"}),
        (r"\bsmash(ed|ing)\b", {"smash"}),
        (r"(?<![\w-])(?:(?:suspected|alleged)\s*)?(?:Daesh)(?![\w-])", {"daesh"}),
        (r"\b(threw|hurled)\b.{0,40}\b(stones?|rocks?)\b", {"threw", "hurled"}),
        (r"\bThe Mayor\b", {"the mayor"}),
    ],
)
def test_required_words(pattern: str, words: set[str]) -> None:
    assert required_words(pattern, re.IGNORECASE) == frozenset(words)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)\b\d+(\.\d+)?\s?mm\b",  # no literal of three letters
        r"(?i)\b(IS|ISIS)\b",  # one alternative too short to filter anything
        r"\b(I|ISIS)\b",  # a case-sensitive one too
        r"(?i)(ab)?cde?",  # the only mandatory literal is two letters
        r"(ab)?c[de]?",  # one letter, even case-sensitive
    ],
)
def test_no_anchor_when_no_literal_is_required(pattern: str) -> None:
    assert required_words(pattern) is None


def test_anchored_skips_texts_without_its_words_and_matches_like_the_regex() -> None:
    p = anchored(re.compile(r"\b(shell(ed|ing)|mortar(ed)?)\b", re.IGNORECASE))
    assert p.anchors == frozenset({"shell", "mortar"})
    text = "Artillery SHELLED the village; mortared positions answered."
    assert [m.group(0) for m in p.finditer(text)] == ["SHELLED", "mortared"]
    assert not p.may_match("a quiet day in the town".casefold())
    assert list(p.finditer("a quiet day")) == []
    always = Anchored(r"\d+ mm", 0, None)
    assert always.may_match("anything") and [m.group(0) for m in always.finditer("a 60 mm")]


def _lexicon_patterns() -> list[Anchored]:
    rules = load_event_rules()
    cues = [p for patterns in rules.cues.values() for p in patterns]
    return cues + [a.regex for a in rules.actors.patterns]


def test_lexicon_patterns_mostly_anchored() -> None:
    patterns = _lexicon_patterns()
    unanchored = [p for p in patterns if p.anchors is None]
    assert len(unanchored) < 0.05 * len(patterns), [p.regex.pattern[:60] for p in unanchored]


WRITTEN = [
    "Gunmen attacked a checkpoint near the town on Monday, killing two soldiers, police said.",
    "ISIS militants shelled the camp; Iraqi forces RE-DEPLOYED to the area after the raid.",
    "Protesters threw stones at the police, who fired tear gas. Hundreds of people marched.",
    "The two sides signed a ceasefire agreement in the capital.",
    "Nothing happened here at all, the mayor said, except a long meeting.",
]


def test_anchored_lexicon_matches_exactly_as_the_bare_patterns() -> None:
    texts = list(WRITTEN)
    if GUARDIAN.is_file():
        with GUARDIAN.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for _, line in zip(range(15), lines, strict=False)]
    for p in _lexicon_patterns():
        for text in texts:
            bare = [m.span() for m in p.regex.finditer(text)]
            assert [m.span() for m in p.finditer(text)] == bare, p.regex.pattern


def test_a_lazy_pattern_compiles_on_first_use_and_matches_the_same() -> None:
    lazy = lazily(r"\b(shell(ed|ing)|mortar(ed)?)\b", re.IGNORECASE)
    text = "Artillery SHELLED the village; mortared positions answered."
    assert list(lazy.finditer("a quiet day")) == []
    assert "regex" not in lazy.__dict__  # no text held an anchor: never compiled
    assert [m.span() for m in lazy.finditer(text)] == [
        m.span() for m in re.finditer(r"\b(shell(ed|ing)|mortar(ed)?)\b", text, re.IGNORECASE)
    ]
    assert lazy.anchors == anchored(re.compile(lazy.pattern, re.IGNORECASE)).anchors


def test_the_anchor_memo_keeps_the_anchors_between_loads(tmp_path: Path) -> None:
    first = load_event_rules(tmp_path)
    saved = list(tmp_path.glob("anchors-*.json"))
    assert len(saved) == 1
    memo = AnchorMemo.open(tmp_path)
    assert memo.known and not memo.learnt
    again = load_event_rules(tmp_path)  # read from the file: the same anchors
    assert again.cues == first.cues
    assert [p.regex for p in again.actors.patterns] == [p.regex for p in first.actors.patterns]
    for patterns in again.cues.values():
        for p in patterns:
            assert p.anchors == required_words(p.pattern, p.flags)
    assert not AnchorMemo.open(tmp_path).learnt


def test_an_unreadable_anchor_memo_is_rebuilt(tmp_path: Path) -> None:
    load_event_rules(tmp_path)
    (saved,) = tmp_path.glob("anchors-*.json")
    saved.write_text("{not json")
    with pytest.warns(UserWarning, match="anchor cache .* unreadable"):
        memo = AnchorMemo.open(tmp_path)
    assert memo.anchors(r"\bshell(ed|ing)\b", re.IGNORECASE) == (frozenset({"shell"}), frozenset())
    memo.save()
    assert json.loads(saved.read_text()) == {
        f"{re.IGNORECASE} \\bshell(ed|ing)\\b": [["shell"], []]
    }


@pytest.mark.parametrize(
    ("pattern", "words", "exact"),
    [
        (
            r"(?-i:ISIS|ISIL|IS|I\.S\.|Isis|Isil)|Islamic State(?: group)?|(?-i:Daesh|DAESH)",
            {"islamic state"},
            {"IS", "I.S.", "Isis", "Isil", "Daesh", "DAESH"},  # "ISIS" holds "IS"
        ),
        (r"(?-i:PMF|PMU)|Hashd al-Sha'?abi", {"hashd al-sha"}, {"PMF", "PMU"}),
        (r"(?-i:YPG|YPJ)", set(), {"YPG", "YPJ"}),
        (r"(?-i:AA)|Arakan Army", {"arakan army"}, {"AA"}),
        (
            r"Ma[iy]i[- ]Ma[iy]i(?: militia)?|Raia Mutomboki",
            {"maii", "mayi", "raia mutomboki"},  # a class spelt out
            set(),
        ),
        (r"(?<![\w-])(?-i:ANDSF|ANA)(?![\w-])", set(), {"ANA", "ANDSF"}),
        (r"\bstone[- ]pelting\b", {"pelting"}, set()),  # the words after the class, alone
        (r"(?i:abc)(?-i:DEF)", {"abcdef"}, set()),  # a case-sensitive part joined: ignores case
    ],
)
def test_anchor_words(pattern: str, words: set[str], exact: set[str]) -> None:
    assert anchor_words(pattern, re.IGNORECASE) == (frozenset(words), frozenset(exact))


def test_the_unfoldable_characters_are_all_there_are() -> None:
    """Every character that matches another when case is ignored casefolds as it does, but for
    `UNFOLDABLE` ("İ" and "ı" match "i"): what the anchors' casefold test rests on."""
    classes: dict[int, set[int]] = {}
    for code in range(0x110000):
        classes.setdefault(_sre.unicode_tolower(code), set()).add(code)
    for lower, extra in _casefix._EXTRA_CASES.items():
        for other in extra:
            classes[lower] |= classes.get(other, {other})
    mixed = {
        chr(c)
        for members in classes.values()
        if len({chr(c).casefold() for c in members}) > 1
        for c in members
    }
    assert mixed == {"I", "i", *UNFOLDABLE}  # the class of "i": "İ" and "ı" fold otherwise
    assert not any(set(UNFOLDABLE) & set(p.pattern) for p in _lexicon_patterns())


FAST_TEXTS = [
    "ISIS, IS and Isis; the IS-held town. Is it Isil? I.S. fighters, DAESH.",
    "is this the isis? no: Islamic State group, islamic STATE organisation",
    "The YPG and YPJ; ypg; PMF and PMU units; Hashd al-Shaabi; the ANA and ANDSF; Ana.",
    "AA fighters, the Arakan Army (AA), aa, AAA, the A.A.",
    "Mai-Mai militiamen, MAYI MAYI, Mayi-Maii, mai mai, Raia Mutomboki.",
    "Straße ISIS ﬁ police, İslamic State, ıslamic state, DİYARBAKIR, Kılıç IS",
    "İS ISİS ısıs İsis",
    "IS" + " " * 30 + "fighters   and\n\n\nISIS",
    "",
]


def test_fast_paths_find_what_the_plain_regex_finds() -> None:
    """`finditer` and `matches` of every lexicon pattern against plain `re.finditer`, on texts
    with acronyms in capitals, casefolds that change lengths and the unfoldable letters."""
    patterns = _lexicon_patterns()
    actors = {id(a.regex) for a in load_event_rules().actors.patterns}
    texts = [*FAST_TEXTS, *WRITTEN, *(t.upper() for t in WRITTEN)]
    for text in texts:
        folded, run = text.casefold(), longest_space_run(text)
        for p in patterns:
            plain = [m.span() for m in re.finditer(p.pattern, text, p.flags)]
            assert [m.span() for m in p.finditer(text)] == plain, (p.pattern, text)
            if id(p) in actors or p.reach is not None:
                assert [m.span() for m in p.matches(text, folded, run)] == plain, p.pattern


def test_an_actor_spelt_with_a_dotless_i_is_found() -> None:
    """ "ı" matches "i" ignoring case but casefolds to itself: the text is scanned whole."""
    lexicon = load_event_rules().actors
    mentions = find_actor_mentions("Kılıç said ıslamic State fighters attacked.", lexicon)
    assert [m.text for m in mentions if m.template.startswith("Islamic State")] == [
        "ıslamic State fighters"
    ]
