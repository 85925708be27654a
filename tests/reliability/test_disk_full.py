"""A full disk: the SQLite ledger on a small tmpfs that fills up while `newsledger ingest` (a real
process) writes. Ingest must stop with a clear error (the ledger named, "disk is full"; no
traceback) and a non-zero exit; the ledger must pass its integrity checks and hold only whole
articles; once there is room again, a second ingest stores the rest and the ledger equals a
clean run. Mounting needs root (CI runs as root); elsewhere the test skips, saying why.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsledger.pipeline.core import Resources
from newsledger.pipeline.ingest import ingest
from newsledger.store import open_ledger
from newsledger.track import load_tracker, tracking
from tests.helpers.reliability import ARTICLES, START_S, Snapshot, check_whole, start_ingest

pytestmark = pytest.mark.slow  # spawns processes

SIZE = "16m"  # the ledger, and its write-ahead log growing to 4 MB before a checkpoint
LEFT_FREE = 512 * 1024  # bytes left free once the ledger exists: room for a few articles


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs mounted on a fresh folder (unmounted afterwards)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """A file filling `folder`'s file system up to `leave` free bytes."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler"
    with filler.open("wb") as out:
        out.write(b"\0" * (free - leave))
    return filler


def test_full_disk_gives_a_clear_error_and_no_partial_article(
    small_disk: Path, reports: Path, resources: Resources, clean: tuple[Path, Snapshot]
) -> None:
    expected = clean[1]
    db = small_disk / "ledger.db"
    open_ledger(db).close()  # the empty ledger first, so the disk fills while articles go in
    filler = fill(small_disk, LEFT_FREE)
    run = start_ingest(str(db), reports)
    out, err = run.communicate(timeout=START_S + 120)
    assert run.returncode != 0, (out, err)
    assert str(db) in err and re.search(r"disk is full|no space", err, re.IGNORECASE), err
    assert "Traceback" not in err, err
    stored = check_whole(str(db), "sqlite", expected)
    assert 0 < len(stored.articles) < ARTICLES, "the disk filled too early or not at all"

    filler.unlink()  # room again: the next run stores the rest
    with open_ledger(db) as ledger:
        report = ingest([str(reports)], ledger, resources, track=tracking(ledger, load_tracker()))
    assert report.ok and report.stored == ARTICLES - len(stored.articles), report.to_dict()
    after = check_whole(str(db), "sqlite", expected)
    assert after.articles == expected.articles
    assert after.records == expected.records
    assert after.changes == expected.changes
    assert after.tracked == frozenset(expected.articles)
    print(f"full disk: {len(stored.articles)} whole articles stored before: {err.strip()}")
