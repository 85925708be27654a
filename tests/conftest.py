"""Shared fixtures: the spaCy model (loaded once a session) and the ../shared folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from newsledger.annotate.model import load_nlp

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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium (Playwright), one per test module; skips without it."""
    from browser import launch_chromium

    with launch_chromium() as chromium:
        yield chromium
