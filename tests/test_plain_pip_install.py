"""The install path of a user without `make` (issue 13, item 5): a fresh `python -m venv` with the
pip it ships (23.x with Python 3.11), `pip install -e .`, then `newsledger ingest` of the bundled
samples.

It installs from the package index pip is configured with (PyPI, or this machine's mirror and
wheel folders in pip.conf), through pip's own download cache, so a second run takes about a
minute instead of several: nothing is copied from the development venv, and the venv does not see
its packages. Skipped, saying why, when no index can be reached. Marked slow.
"""

from __future__ import annotations

import os
import socket
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "newsledger" / "samples"
INSTALL_TIMEOUT_S = 1800


def _index_reachable() -> bool:
    """PyPI answers, or pip is told to use local wheels only."""
    if os.environ.get("PIP_NO_INDEX") or os.environ.get("PIP_FIND_LINKS"):
        return True
    try:
        with socket.create_connection(("pypi.org", 443), timeout=5):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_a_fresh_venv_with_its_own_pip_installs_and_ingests(tmp_path: Path) -> None:
    if not _index_reachable():
        pytest.skip("no package index reachable (PyPI, or PIP_FIND_LINKS / PIP_NO_INDEX)")
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)  # python -m venv: ensurepip's pip
    python = target / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    version = subprocess.run(
        [python, "-m", "pip", "--version"], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert version.startswith("pip "), version
    install = subprocess.run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", "-e", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        env=env,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    db = tmp_path / "ledger.db"
    ingest = subprocess.run(
        [target / "bin" / "newsledger", "ingest", "--no-track", "--db", str(db), str(SAMPLES)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**env, "NEWSLEDGER_CACHE": str(tmp_path / "cache")},
        cwd=tmp_path,
    )
    assert ingest.returncode == 0, (version, ingest.stderr[-3000:])
    assert "stored 7" in ingest.stdout + ingest.stderr, ingest.stdout
    assert "rejected 0" in ingest.stdout + ingest.stderr
    # the venv's own python and packages did the work (an editable install: the code is ROOT's)
    where = subprocess.run(
        [python, "-c", "import sys, lxml_html_clean, newsledger; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    ).stdout
    assert Path(where.strip()) == target
