"""`newsledger --help` loads no library: each command imports what it calls in its own body."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.paths import REPO

HEAVY = ("spacy", "jinja2", "rich", "fastapi", "uvicorn", "sqlite3", "trafilatura", "numpy")
"""Libraries that take tenths of a second to import, none needed to parse a command line."""
LIGHT = {
    "newsledger",
    "newsledger.errors",
    "newsledger.records",
    "newsledger.report",
    "newsledger.report.choices",
}
"""The library modules the command line may import at start (the `cli` package aside)."""


def test_help_imports_only_the_command_line() -> None:
    code = (
        "import json, sys; from newsledger.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert "Commands:" in done.stdout
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert [name for name in HEAVY if name in loaded] == []
    ours = {m for m in loaded if m.startswith("newsledger") and not m.startswith("newsledger.cli")}
    assert ours <= LIGHT, ours - LIGHT
