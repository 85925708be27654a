"""The text of a Doc, joined once per Doc.

spaCy's `Doc.text` joins every token's text again on each access (a Token object made per
token); the extractors ask for it about ten times per article. `doc_text` keeps it in the
Doc's `user_data` the first time it is asked for.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsledger.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, remembered in the Doc (its text does not change once it is parsed)."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text
