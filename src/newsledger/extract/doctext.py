"""What the extractors ask of a whole Doc again and again, found once per Doc.

spaCy's `Doc.text` joins every token's text again on each access (a Token object made per
token); the extractors ask for it about ten times per article. `doc_text` keeps it in the
Doc's `user_data` the first time it is asked for. `Token.sent` checks the whole Doc for
sentence boundaries on every call (`Doc.has_annotation`) before walking to the sentence's ends:
`sentence_of` finds the sentence from the Doc's sentence starts, found once; `lower_words`,
`token_words`, `pos_words`, `tag_words` and `ent_type_words` give every token's `lower_`, `text`,
`pos_`, `tag_` and `ent_type_` from one array of the Doc.
"""

from __future__ import annotations

import bisect

from spacy.attrs import ENT_TYPE, LOWER, ORTH, POS, TAG  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span

_KEY = "newsledger.text"
_BREAKS = "newsledger.line_breaks"
_STARTS = "newsledger.sentence_starts"


def doc_text(doc: Doc) -> str:
    """`doc.text`, remembered in the Doc (its text does not change once it is parsed)."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def line_breaks(doc: Doc) -> list[int]:
    """The indices of the tokens holding a line break (in their text or the space after them),
    in order; found once per Doc (`people` asks where a name's line starts for every name)."""
    found = doc.user_data.get(_BREAKS)
    if found is None:
        found = [t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_]
        doc.user_data[_BREAKS] = found
    return found


def sentence_of(doc: Doc, i: int) -> Span:
    """`doc[i].sent`: the sentence holding token i."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = [sent.start for sent in doc.sents]
        doc.user_data[_STARTS] = starts
    at = bisect.bisect_right(starts, i) - 1
    end = starts[at + 1] if at + 1 < len(starts) else len(doc)
    return doc[starts[at] : end]


def lower_words(doc: Doc) -> list[str]:
    """`[t.lower_ for t in doc]`, remembered in the Doc."""
    return _words(doc, LOWER, "newsledger.lower_words")


def token_words(doc: Doc) -> list[str]:
    """`[t.text for t in doc]`, remembered in the Doc."""
    return _words(doc, ORTH, "newsledger.token_words")


def pos_words(doc: Doc) -> list[str]:
    """`[t.pos_ for t in doc]`, remembered in the Doc."""
    return _words(doc, POS, "newsledger.pos_words")


def tag_words(doc: Doc) -> list[str]:
    """`[t.tag_ for t in doc]`, remembered in the Doc."""
    return _words(doc, TAG, "newsledger.tag_words")


def ent_type_words(doc: Doc) -> list[str]:
    """`[t.ent_type_ for t in doc]`, remembered in the Doc."""
    return _words(doc, ENT_TYPE, "newsledger.ent_type_words")


def _words(doc: Doc, attr: int, key: str) -> list[str]:
    words = doc.user_data.get(key)
    if words is None:
        hashes = doc.to_array(attr).tolist() if len(doc) else []
        strings = doc.vocab.strings
        text = {h: strings[h] for h in set(hashes)}
        words = [text[h] for h in hashes]
        doc.user_data[key] = words
    return words
