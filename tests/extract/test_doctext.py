"""The whole-Doc answers `doctext` remembers equal what spaCy computes each time."""

from __future__ import annotations

from spacy.language import Language

from newsledger.extract.doctext import (
    doc_text,
    ent_type_words,
    line_breaks,
    lower_words,
    pos_words,
    sentence_of,
    tag_words,
    token_words,
)

TEXT = (
    "Gunmen attacked a checkpoint near Kirkuk on Monday. Two soldiers were killed.\n\n"
    '"We will respond," the governor said. Police said the attackers fled toward the hills, '
    "where an operation began at dawn."
)


def test_sentence_of_is_the_tokens_sentence(nlp: Language) -> None:
    doc = nlp(TEXT)
    assert len(list(doc.sents)) >= 4
    for token in doc:
        mine, theirs = sentence_of(doc, token.i), token.sent
        assert (mine.start, mine.end) == (theirs.start, theirs.end), token.text
        assert mine.text == theirs.text


def test_text_and_line_breaks_are_remembered(nlp: Language) -> None:
    doc = nlp(TEXT)
    assert doc_text(doc) == doc.text and doc_text(doc) is doc_text(doc)
    breaks = line_breaks(doc)
    assert breaks == [t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_] and breaks


def test_lower_words_are_the_tokens_lowercase_forms(nlp: Language) -> None:
    doc = nlp(TEXT + " ÉTAT Straße İstanbul")
    assert lower_words(doc) == [t.lower_ for t in doc]
    assert token_words(doc) == [t.text for t in doc] != lower_words(doc)
    assert lower_words(doc) is lower_words(doc)
    assert pos_words(doc) == [t.pos_ for t in doc] and "PROPN" in pos_words(doc)
    assert tag_words(doc) == [t.tag_ for t in doc]
    assert ent_type_words(doc) == [t.ent_type_ for t in doc] and "GPE" in ent_type_words(doc)
    assert lower_words(nlp("")) == []
