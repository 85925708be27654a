"""Shared fixtures: the spaCy model (loaded once a session) and the ../shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.annotate import load_nlp

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference folder beside the repository; tests that need it skip without it."""
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"reference data not found at {SHARED} (it sits beside the repository in CI)")
    return SHARED
