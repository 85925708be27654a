"""What the annotator tests compare (annotate/test_annotate.py, pipeline/test_annotator_process.py):
the token attributes of a Doc that must be equal, and written texts that are hard to tokenise."""

from __future__ import annotations

from spacy.attrs import (  # type: ignore[import-not-found]
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    ORTH,
    POS,
    SENT_START,
    TAG,
)

ATTRS = [POS, TAG, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START, ORTH]

WRITTEN = [
    "",
    " ",
    "\n\n",
    "Gunmen ain't gonna stop, y'all know it: there were 12 of them, said Col. Salim Haddad.",
    "Let's go. C'mon!  \t Nothin' happened in Kirkuk's old market on Monday , police said .",
    "THE ISLAMIC STATE CLAIMED THE ATTACK. who is to blame? Is it that one or those?",
    "Iraqi forces, backed by coalition aircraft, retook the village of Tal Abta on 3 March 2024.",
    "x" * 40,
]
