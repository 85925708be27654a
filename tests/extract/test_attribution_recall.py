"""Attributions beyond "X said that …" (issue 17, recall): where a statement's content ends,
quotations split by their cue, nominal and adjectival cues, stances with objects, content in
the next paragraph, and what is left out. Made-up sentences only."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import extract_quotes
from newsledger.records import Quote


def quotes_of(nlp: Language, lex: AttributionLexicon, text: str) -> list[Quote]:
    doc = nlp(text)
    return extract_quotes(doc, extract_people(doc, lex), lex)


def with_words(quotes: list[Quote], words: str) -> Quote:
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, [(q.cue, q.speaker, q.text) for q in quotes]
    return found[0]


# --- where the content of a statement ends ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first_words", "last_words"),
    [
        (  # the parser hangs the second verb on the cue
            "The president declined to threaten the militia or even directly declare it "
            "responsible.",
            "to threaten the militia",
            "declare it responsible",
        ),
        (  # a second clause with a subject of its own goes on with the statement
            "Karim Haddad also said that it was too early to tell who fired the shells, and "
            "there was no evidence yet of a new offensive.",
            "too early to tell",
            "of a new offensive",
        ),
    ],
)
def test_content_runs_on_to_the_end_of_the_sentence(
    nlp: Language, lex: AttributionLexicon, text: str, first_words: str, last_words: str
) -> None:
    quote = with_words(quotes_of(nlp, lex, text), first_words)
    assert quote.text.endswith(last_words)


@pytest.mark.parametrize(
    ("text", "last_words", "left_out"),
    [
        (  # a second finite verb of the speaker is what they did next
            "The Interior Ministry promised a new inquiry and ordered the border closed.",
            "a new inquiry",
            "ordered",
        ),
        (  # the speaker's next act after ", and"
            "Omar Khalil urged the rebels to join the talks, and criticized the army's silence.",
            "to join the talks",
            "criticized",
        ),
        (  # a participle clause after a comma
            "Karim Haddad condemned the attack on the convoy, sending more troops to the valley.",
            "the attack on the convoy",
            "sending",
        ),
        (  # a clause on when it was said
            "The council condemned the shelling of the market as the fighting spread to the north.",
            "the shelling of the market",
            "fighting",
        ),
    ],
)
def test_content_stops_before_what_is_not_more_of_it(
    nlp: Language, lex: AttributionLexicon, text: str, last_words: str, left_out: str
) -> None:
    quote = with_words(quotes_of(nlp, lex, text), last_words)
    assert quote.text.endswith(last_words)
    assert left_out not in quote.text


def test_a_main_clause_after_a_reported_one_is_not_its_content(
    nlp: Language, lex: AttributionLexicon
) -> None:
    text = (
        "Though his aides have suggested that the talks will fail, Karim Haddad is determined "
        "to meet the rebels."
    )
    quote = with_words(quotes_of(nlp, lex, text), "talks will fail")
    assert "Haddad" not in quote.text


# --- quotations ----------------------------------------------------------------------------------


def test_a_quotation_split_by_its_cue_is_one_quote(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Karim Haddad spoke on Monday.\n\n“Honestly,” Haddad said, “the border is secure now.”"
    quotes = quotes_of(nlp, lex, text)
    quote = with_words(quotes, "border is secure")
    assert "Honestly" in quote.text
    assert quote.speaker == "Karim Haddad"
    assert len([q for q in quotes if "Honestly" in q.text]) == 1


def test_a_quotation_ending_a_sentence_is_not_joined_to_the_next(
    nlp: Language, lex: AttributionLexicon
) -> None:
    text = (
        "Iraq watches the border, “even though the war is elsewhere.” Karim Haddad explained, "
        "“The agencies know what is happening.”"
    )
    quote = with_words(quotes_of(nlp, lex, text), "agencies know")
    assert "war is elsewhere" not in quote.text


def test_the_cue_after_a_quotation_is_in_its_paragraph(
    nlp: Language, lex: AttributionLexicon
) -> None:
    text = (
        "“The cuts hurt us,” Karim Haddad said. “It was hard. We could not pay the guards.”\n\n"
        "While he acknowledged the budget was tight, Haddad also noted other problems."
    )
    quote = with_words(quotes_of(nlp, lex, text), "could not pay")
    assert quote.cue != "acknowledge"
    assert quote.speaker == "Karim Haddad"


# --- cues that are not "say" ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "speaker", "cue"),
    [
        (  # a noun of saying with its possessor
            "Karim Haddad's claim that the rebels had left was false.",
            "rebels had left",
            "Karim Haddad",
            "claim",
        ),
        (
            "Omar Khalil's decision to close the crossing angered the traders.",
            "close the crossing",
            "Omar Khalil",
            "decision",
        ),
        (  # a holder of a position, set beside a name
            "Omar Khalil, a longtime critic of the ceasefire deal, spoke at the rally.",
            "ceasefire deal",
            "Omar Khalil",
            "critic",
        ),
        (  # a stance written as an adjective
            "Karim Haddad has been critical of the new curfew since May.",
            "new curfew",
            "Karim Haddad",
            "critical",
        ),
        (  # an object and what it is taken for
            "Omar Khalil sees the ceasefire as a trap for the villages.",
            "a trap for the villages",
            "Omar Khalil",
            "see",
        ),
        (  # the speaker of "by saying"
            "Karim Haddad began by saying that the army would stay in the valley.",
            "army would stay",
            "Karim Haddad",
            "say",
        ),
        (  # a that-clause the parser hangs on the object of "told"
            "Karim Haddad told a meeting of local leaders that few people understood the risks.",
            "few people understood",
            "Karim Haddad",
            "tell",
        ),
        (  # a name as the whole object
            "The Kurdistan Democratic Party endorsed Haddad on Friday.",
            "Haddad",
            "Kurdistan Democratic Party",
            "endorse",
        ),
        (  # what is supported, in the passive
            "The new curfew is supported by the Kurdistan Democratic Party.",
            "new curfew",
            "Kurdistan Democratic Party",
            "support",
        ),
    ],
)
def test_cues_beyond_reporting_verbs(
    nlp: Language, lex: AttributionLexicon, text: str, words: str, speaker: str, cue: str
) -> None:
    quote = with_words(quotes_of(nlp, lex, text), words)
    assert (quote.speaker, quote.cue, quote.kind) == (speaker, cue, "indirect")


def test_said_as_much(nlp: Language, lex: AttributionLexicon) -> None:
    quote = with_words(quotes_of(nlp, lex, "Karim Haddad said as much on Monday."), "as much")
    assert (quote.speaker, quote.cue) == ("Karim Haddad", "say")


def test_the_paragraph_after_a_colon_is_what_was_said(
    nlp: Language, lex: AttributionLexicon
) -> None:
    text = (
        "Karim Haddad spoke to the council on Monday. The minister added:\n\n"
        "The border is calm. The army will stay in the valley until the spring.\n\n"
        "The council did not vote."
    )
    quote = with_words(quotes_of(nlp, lex, text), "border is calm")
    assert quote.text.endswith("until the spring")
    assert quote.cue == "add"
    assert "council did not vote" not in quote.text


def test_a_document_as_a_label(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Poll: Most voters in the north back the ceasefire.\n\nThe survey ran in May."
    quote = with_words(quotes_of(nlp, lex, text), "Most voters")
    assert (quote.speaker, quote.cue) == ("Poll", ":")


def test_a_stance_nobody_is_named_for_is_no_record(nlp: Language, lex: AttributionLexicon) -> None:
    """ "They backed the curfew" with no one "they" can be is dropped; "they said that …" is
    a statement and stays, with no speaker."""
    quotes = quotes_of(nlp, lex, "They backed the new curfew in the north.")
    assert not [q for q in quotes if "curfew" in q.text]
    quotes = quotes_of(nlp, lex, "They said that the new curfew would end in May.")
    assert with_words(quotes, "curfew would end").speaker is None
