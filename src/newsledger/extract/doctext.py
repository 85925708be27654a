"""What the extractors ask of a whole Doc again and again, found once per Doc.

spaCy's `Doc.text` joins every token's text again on each access (a Token object made per
token); the extractors ask for it about ten times per article. `doc_text` keeps it in the
Doc's `user_data` the first time it is asked for.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsledger.text"
_BREAKS = "newsledger.line_breaks"


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
