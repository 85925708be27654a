"""Speed-ups of the extractors that must not change what they find (docs/speed.md)."""

from __future__ import annotations

import re

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract.anchors import longest_space_run, reach_of
from newsledger.extract.doctext import doc_text
from newsledger.extract.events.grouping import sentences_of
from newsledger.extract.events.rules import load_event_rules
from newsledger.extract.name_patterns import FOLD_DASHES, bounded, literal_lead
from newsledger.extract.people import _same_stretch

TEXT = (
    "Samir Jabouri met al-Jabouri and Al Jabouri; xJabouri -Jabouri Jabouri-x Jabouri, "
    "O'Neil, U.N. abbbc ab a b aa Dr. Who JABOURI Ch-J\nJabouri"
)

PATTERNS = [
    "Jabouri",
    r"Samir\s+Jabouri",
    r"(?:(?i:al)[\s\-]*)?Jabouri",
    r"(?i:al)[\s\-]*Jabouri",
    "al-Jabouri",
    "ab+c",
    "a|b",
    "O'Neil",
    r"U\.N\.",
    r"Dr\.\ Who",
    "JABOURI",
    "a{2}",
    "ab?",
    r"Ch\-J",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_bounded_finds_what_the_plain_pattern_finds(pattern: str) -> None:
    folded = pattern.translate(FOLD_DASHES)
    plain = re.compile(rf"(?<![\w\-])(?:{folded})(?![\w\-])")
    for text in (TEXT, TEXT[8:], "Jabouri", ""):
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in bounded(pattern).finditer(text)] == expected


def testliteral_lead() -> None:
    assert literal_lead(r"Samir\s+Jabouri") == ("Samir", r"\s+Jabouri")
    assert literal_lead(r"U\.N\.") == (r"U\.N\.", "")
    assert literal_lead("ab+c") == ("a", "b+c")  # the quantifier's character stays out
    assert literal_lead("a|b") == ("", "a|b")  # a top-level alternative: no lead
    assert literal_lead("(?i:al)-X") == ("", "(?i:al)-X")
    assert bounded("Jabouri").pattern.startswith("Jabouri(?<!")  # the engine searches for it


def test_doc_text_is_the_docs_text_and_is_kept(nlp: Language) -> None:
    doc = nlp("Two people were killed in Aden on Tuesday.  Police said so.\n")
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)


STRETCHES = (
    "Interior Minister\nSamir Jabouri said on Monday that two people died.\n\n"
    'Headline Here\nPolice spokesman Ali Hassan, a colonel, said:\n"We will act."\n'
)


def _same_stretch_by_tokens(doc: Doc, start: int, end: int) -> int:
    first = max(start, doc[end - 1].sent.start if end > 0 else 0)
    for i in range(end - 1, first - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            return i + 1
    return first


def test_same_stretch_as_by_tokens(nlp: Language) -> None:
    doc = nlp(STRETCHES)
    for start in (0, 3, 9):
        for end in range(0, len(doc) + 1):
            assert _same_stretch(doc, start, end) == _same_stretch_by_tokens(doc, start, end)


def _sentences_by_span_text(doc: Doc) -> list[tuple[int, int]]:
    found = []
    for sentence in doc.sents:
        start = sentence.start_char
        for brk in re.finditer(r"\n\s*\n", sentence.text):
            piece = doc.char_span(start, sentence.start_char + brk.start(), "contract")
            if piece is not None and piece.text.strip():
                found.append((piece.start, piece.end))
            start = sentence.start_char + brk.end()
        piece = doc.char_span(start, sentence.end_char, alignment_mode="contract")
        if piece is not None and piece.text.strip():
            found.append((piece.start, piece.end))
    return found


def test_sentences_of_as_with_span_texts(nlp: Language) -> None:
    for text in (STRETCHES, "One.\n\n \nTwo words\n\n\nthree.  ", "\n\n", "Hi"):
        doc = nlp(text)
        pieces = [(s.start, s.end) for s in sentences_of(doc)]
        assert pieces == _sentences_by_span_text(doc)


def test_reach_of() -> None:
    assert reach_of("abc") == (3, 0)
    assert reach_of(r"a\s*b(?![\w-])") == (3, 1)  # the look-ahead reads one more
    assert reach_of(r"(?<![\w-])(?:x|yy)\s+z") == (3, 1)  # the look-behind reads behind
    assert reach_of(r"a[a-z]+") is None
    assert reach_of(r"(a)\1") is None
    assert reach_of(r"(?:ab\s*){2}") == (4, 2)


ACTOR_TEXTS = (
    "Suspected     ISIS fighters and  Syrian\n\n  soldiers met pro-Houthi rebels; the IS and "
    "Isis.  Police-led raid, policemen, off-duty police officers, Iraqi forces, U.S.-led "
    "coalition, Hezbollah's men, gunmen.",
    "Straße ISIS ﬁ police",  # a casefold that changes lengths: scanned whole
    "ISIS",
    "",
)


def test_actor_matches_are_finditers() -> None:
    lexicon = load_event_rules().actors
    assert sum(p.regex.reach is not None for p in lexicon.patterns) > len(lexicon.patterns) / 2
    for text in ACTOR_TEXTS:
        folded, run = text.casefold(), longest_space_run(text)
        for pattern in lexicon.patterns:
            expected = [m.span() for m in pattern.regex.finditer(text, folded)]
            assert [m.span() for m in pattern.regex.matches(text, folded, run)] == expected
