"""Speakers of every kind (issue 17) on made-up sentences: organisations, groups, documents and
outlets as sources, refusal of a speaker that cannot state anything, signed quotations, verbatim
fragments, where a statement ends; and organisations as tracked speakers."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.extract.lexicons import AttributionLexicon
from newsledger.extract.people import extract_people
from newsledger.extract.quotes import FRAGMENT_NOTE, extract_quotes
from newsledger.records import Quote
from newsledger.track import _speaker_key
from newsledger.track.identities import load_name_lexicon


def quotes_of(nlp: Language, lex: AttributionLexicon, text: str) -> list[Quote]:
    doc = nlp(text)
    return extract_quotes(doc, extract_people(doc, lex), lex)


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "Residents and aid workers said the water had run out.",
            "Residents and aid workers",
            "group",
        ),
        ("Witnesses said the convoy was hit twice.", "Witnesses", "group"),
        ("Many in the town said they feared the river.", "Many in the town", "group"),
        (
            "A protester outside the court said the verdict was a disgrace.",
            "protester outside the court",
            "person",
        ),
        ("The newspaper reported that the mayor had resigned.", "newspaper", "media"),
        ("Nadia Karimi said the bridge would reopen in May.", "Nadia Karimi", "person"),
        ("A 26-year-old said the road was closed.", "26-year-old", "person"),
        ("Two rebel factions said they would attend.", "Two rebel factions", "organization"),
        ("Thousands of us said the vote was rigged.", "Thousands of us", "group"),
    ],
)
def test_speaker_kinds_and_descriptions_kept_as_written(
    nlp: Language, lex: AttributionLexicon, text: str, speaker: str, kind: str
) -> None:
    [quote] = quotes_of(nlp, lex, text)
    assert (quote.speaker, quote.speaker_kind) == (speaker, kind)


def test_a_document_speaks_for_its_issuer(nlp: Language, lex: AttributionLexicon) -> None:
    text = "A report by the Relief Council released on Monday says 40 families fled the town."
    [quote] = quotes_of(nlp, lex, text)
    assert (quote.speaker, quote.speaker_kind) == ("Relief Council", "document")
    assert quote.speaker_title is not None and "report" in quote.speaker_title


def test_a_document_with_no_issuer_is_the_speaker(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Next week will show that the plan failed, the report said."
    [quote] = quotes_of(nlp, lex, text)
    assert (quote.speaker, quote.speaker_kind) == ("report", "document")


def test_a_speaker_that_cannot_state_is_refused(nlp: Language, lex: AttributionLexicon) -> None:
    [quote] = quotes_of(nlp, lex, "Security matters said the talks would resume.")
    assert quote.text == "the talks would resume"
    assert (quote.speaker, quote.speaker_kind) == (None, "unknown")
    assert "Security matters" in quote.notes  # the refused candidate


def test_signed_quotation(nlp: Language, lex: AttributionLexicon) -> None:
    text = "“We will not leave our homes, whatever they send.” ― Leila Haddad\n"
    [quote] = quotes_of(nlp, lex, text)
    assert quote.kind == "direct" and quote.text.startswith("We will not leave")
    assert (quote.speaker, quote.speaker_kind) == ("Leila Haddad", "person")


def test_statement_ends_before_citing(nlp: Language, lex: AttributionLexicon) -> None:
    text = "Governor Omar Saleh said the troops were leaving, citing the closure of the base."
    said, cited = quotes_of(nlp, lex, text)
    assert said.text == "the troops were leaving"
    assert (cited.text, cited.speaker) == ("the closure of the base", "Omar Saleh")


def test_fragments_in_reported_speech_are_verbatim(nlp: Language, lex: AttributionLexicon) -> None:
    text = (
        "Colonel Rami Haddad said the northern border was “completely secure,” listing new posts."
    )
    quotes = quotes_of(nlp, lex, text)
    fragments = [q for q in quotes if q.notes == FRAGMENT_NOTE]
    assert [(q.text, q.kind, q.speaker) for q in fragments] == [
        ("completely secure", "direct", "Rami Haddad")
    ]
    assert any(q.kind == "indirect" and "completely secure" in q.text for q in quotes)


def test_a_quoted_name_is_no_fragment(nlp: Language, lex: AttributionLexicon) -> None:
    text = "The minister said the “Northern Shield” operation would end soon."
    assert all(q.notes != FRAGMENT_NOTE for q in quotes_of(nlp, lex, text))


def test_organisations_are_tracked_speakers() -> None:
    names = load_name_lexicon()
    assert _speaker_key("Relief Council", None, None, names, "organization") == (
        _speaker_key("Relief Council", None, None, names, "media")
    )
    key = _speaker_key("Relief Council", None, None, names, "organization")
    assert key is not None and key.startswith("org:")
    assert _speaker_key("Relief Council", None, None, names, "person").startswith("speaker:")
    assert _speaker_key("Iraqi officials", None, None, names, "group") is None


# --- who "he", "she" and "the candidate" are (this session) ------------------------------------


def _speakers(quotes: list[Quote]) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in quotes if q.notes != FRAGMENT_NOTE]


def test_a_pronoun_follows_the_pronouns_before_it(nlp: Language, lex: AttributionLexicon) -> None:
    """ "He" resolved once is a mention of its person: the next "he" goes to him, not to a
    person named since only as an object."""
    text = (
        "Omar Haddad said the talks had stalled. "
        "He blamed the delay on loyalists to Daniel Brook and Peter Kane. "
        "That is why, he argued, the committee should wait."
    )
    said = _speakers(quotes_of(nlp, lex, text))
    assert said[-1][0] == "Omar Haddad"


def test_a_description_is_the_person_before_it(nlp: Language, lex: AttributionLexicon) -> None:
    """ "The GOP candidate" is the person the sentences before are about, and "he" in the
    same sentence is that person, with the description as the title."""
    text = (
        "Daniel Brook visited the plant on Tuesday. "
        "He said the plant would stay open. "
        "The GOP candidate did not give a date, though he said the jobs would return."
    )
    quotes = [q for q in quotes_of(nlp, lex, text) if q.notes != FRAGMENT_NOTE]
    last = quotes[-1]
    assert (last.speaker, last.speaker_title) == ("Daniel Brook", "GOP candidate")


def test_honorific_picks_the_person_of_a_shared_surname(
    nlp: Language, lex: AttributionLexicon
) -> None:
    """ "Mrs. Lopez" is the woman of the two Lopezes, not the man named last."""
    text = (
        "Maria Lopez spoke first. Later, her husband, Samuel Lopez, joined her. "
        "Mrs. Lopez said the clinic would close."
    )
    quotes = quotes_of(nlp, lex, text)
    assert quotes[-1].speaker == "Maria Lopez"


def test_a_share_of_those_asked_is_a_group(nlp: Language, lex: AttributionLexicon) -> None:
    [quote] = quotes_of(nlp, lex, "Another 19 percent said they would not vote.")
    assert (quote.speaker, quote.speaker_kind) == ("19 percent", "group")


def test_a_hyphenated_given_name_is_one_word(nlp: Language, lex: AttributionLexicon) -> None:
    """ "Ban Ki-moon" is the name written whole; a particle's hyphen ("al-Jabouri") is not."""
    [quote] = quotes_of(nlp, lex, "Secretary General Ban Ki-moon said the council must act.")
    assert quote.speaker == "Ban Ki-moon"
