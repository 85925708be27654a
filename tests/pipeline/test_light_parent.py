"""The parent of the worker processes (the default `ingest` on many articles) reads, stores and
tracks: importing what it runs loads neither spaCy nor the extractors (docs/speed.md)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "thinc", "newsledger.extract", "newsledger.geo", "newsledger.annotate")


def test_the_parent_of_the_workers_imports_no_model() -> None:
    code = (
        "import sys\n"
        "import newsledger.pipeline.ingest, newsledger.pipeline.runners\n"
        "import newsledger.pipeline.parallel.workers, newsledger.store, newsledger.track\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m for m in sys.modules if m.startswith(heavy)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out
