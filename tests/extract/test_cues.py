"""The cue patterns tried on a clause only where their anchors occur in it (`cues_in`,
`cue_matches`): the same matches as every pattern's plain `re.finditer` on the clause's text."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Span

from newsledger.extract.doctext import doc_text
from newsledger.extract.events.cues import cue_matches, cues_in
from newsledger.extract.events.rules import EventRules, load_event_rules

TEXTS = [
    "Gunmen attacked a checkpoint near the town on Monday, killing two soldiers, police said. "
    "Protesters threw stones at the police, who fired tear gas and dispersed the crowd.",
    "ISIS militants SHELLED the camp; Iraqi forces re-deployed after the air-raid. An IED "
    "exploded. Troops clashed with demonstrators, and a car bomb went off in the market.",
    "Residents rallied; hundreds of people marched. The army shot dead three men and burned "
    "tyres. Rebels retook the town and looted shops.",
    "Straße: militants attacked the ﬁeld post; a bomb exploded, killing two.",  # longer casefold
    "İSIS militants attacked the town; ıt was shelled. Kılıç said a bomb went off.",  # unfoldable
    "KILLED. Attack! shelling",  # cues at the very edges of a clause
]


def _plain(span: Span, rules: EventRules) -> list[tuple[str, tuple[int, int]]]:
    return [
        (name, m.span())
        for name, patterns in rules.cues.items()
        for p in patterns
        for m in re.finditer(p.pattern, span.text, p.flags)
    ]


def test_cue_matches_are_the_plain_patterns_matches(nlp: Language) -> None:
    rules = load_event_rules()
    tried = {True: 0, False: 0}
    for text in [*TEXTS, *(t.upper() for t in TEXTS), *(t.lower() for t in TEXTS)]:
        doc = nlp(text)
        cues = cues_in(doc_text(doc), rules)
        fast = len(text.casefold()) == len(text) and not {"İ", "ı"} & set(text)
        assert (cues.starts is not None) == fast  # the clause test by occurrences, or as before
        tried[fast] += 1
        spans = [*doc.sents, doc[:]]
        spans += [doc[i:j] for i in range(len(doc)) for j in range(i + 1, min(len(doc), i + 8))]
        for span in spans:
            found = [(name, m.span()) for name, m in cue_matches(span, cues)]
            assert found == _plain(span, rules), (text, span.text)
    assert tried[True] > 10 and tried[False] > 2


def test_a_document_without_anchors_tries_nothing(nlp: Language) -> None:
    doc = nlp("A quiet day in the town.")
    cues = cues_in(doc_text(doc), load_event_rules())
    assert all(keys is None for ps in cues.cues.values() for _, keys in ps)
    assert cues.starts == []
