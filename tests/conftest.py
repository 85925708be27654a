"""Fixtures every test folder shares, and the fixture modules registered once for the suite.

The tests mirror `src/newsledger/` (tests/readers, tests/extract, tests/store, ...); each folder
is a package, so two folders may hold test files of the same name (pytest's default `prepend`
import mode: modules are imported as `tests.<folder>.<file>`). What tests share lives in
`tests/helpers/` (see its `__init__`).

- `nlp`: the spaCy model, loaded once a session;
- `lex`, `numbers`, `deadline_lexicon`: the attribution, number and deadline lexicons, loaded
  once;
- `gazetteer`: the offline gazetteer (places, events), loaded once (it writes its cache);
- `shared`: the reference folder beside the repository (tests that need it skip without it);
- `browser`: Debian's headless chromium under Playwright, one per module (skips without it);
- from `tests.helpers.pg`: `backend`, `ledger_url`, `ledger_urls`, `pg_server`;
- from `tests.helpers.reliability_fixtures`: `reports`, `resources`, `clean`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from newsledger.annotate.model import load_nlp
from newsledger.extract.lexicons import (
    AttributionLexicon,
    DeadlineLexicon,
    NumberLexicon,
    load_attribution_lexicon,
    load_deadline_lexicon,
    load_number_lexicon,
)
from newsledger.geo import Gazetteer, load_gazetteer
from tests.helpers.browser import launch_chromium
from tests.helpers.paths import SHARED

pytest_plugins = ("tests.helpers.pg", "tests.helpers.reliability_fixtures")


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="session")
def lex() -> AttributionLexicon:
    return load_attribution_lexicon()


@pytest.fixture(scope="session")
def numbers() -> NumberLexicon:
    return load_number_lexicon()


@pytest.fixture(scope="session")
def deadline_lexicon(numbers: NumberLexicon) -> DeadlineLexicon:
    return load_deadline_lexicon(numbers)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference folder beside the repository; tests that need it skip without it."""
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"reference data not found at {SHARED} (it sits beside the repository in CI)")
    return SHARED


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless chromium (Playwright), one per test module; skips without it."""
    with launch_chromium() as chromium:
        yield chromium
