"""Where the tests find the repository's files and the reference data beside it."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "src" / "newsledger" / "samples"
SCRIPTS = REPO / "scripts"
SHARED = REPO.parent / "shared"
