"""Annotation in its own process (`newsledger ingest`'s default): the same Docs, in order, from
both processes; failures and a dead child named; no child outlives a killed parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy
import pytest
from spacy.language import Language

from newsledger.annotate.annotator import load_annotator
from newsledger.errors import ExtractionError
from newsledger.pipeline.parallel.annotator import AnnotatorProcess
from newsledger.records import Article
from tests.annotate.test_annotate import ATTRS, WRITTEN
from tests.helpers.paths import SAMPLES

pytestmark = pytest.mark.slow

REPORTS = [
    "Gunmen killed {n} people at a checkpoint near Kirkuk on Monday, police said.",
    '"We will not leave," the defence minister, Salim Haddad, told reporters in Baghdad.',
    "Coalition aircraft struck {n} targets west of Mosul, the ministry said on 3 May 2024.",
    "Protesters gathered outside the governor's office in Basra. The crowd dispersed at noon.",
]


def article(n: int, text: str) -> Article:
    return Article(
        id=f"a{n}",
        source="T",
        published="2025-01-02",
        url=None,
        title=None,
        text=text,
        raw_text=text,
        origin=f"in.jsonl:{n}",
    )


def texts(count: int) -> list[str]:
    return [REPORTS[n % len(REPORTS)].format(n=n + 2) for n in range(count)] + WRITTEN


def test_docs_from_both_processes_are_the_docs_of_one(nlp: Language) -> None:
    local = load_annotator(nlp)
    items = [(text, article(n, text)) for n, text in enumerate(texts(40))]
    expected = [d.to_array(ATTRS) for d in local.docs([text for text, _ in items], 2)]
    with AnnotatorProcess() as apart:
        got = list(apart.pipe(items, local, 2))
        # a second run through the same child: numbering goes on, nothing stale comes back
        again = [a.id for _, a in apart.pipe(items[:5], local, 2)]
    assert [a.id for _, a in got] == [a.id for _, a in items]  # input order
    assert again == [a.id for _, a in items[:5]]
    for (doc, a), want in zip(got, expected, strict=True):
        assert doc.vocab is nlp.vocab
        assert numpy.array_equal(doc.to_array(ATTRS), want), a.text
        assert doc.text == a.text
    # both processes annotated: the child most batches, this one while it waited
    assert apart.batches_apart >= 5 and apart.batches_here >= 1, (
        apart.batches_apart,
        apart.batches_here,
    )
    assert apart.batches_apart + apart.batches_here == (len(items) + 1) // 2 + 3
    assert apart.ready_seconds is not None and apart.ready_seconds > 0
    assert apart.peak_rss_mb is not None and 100 < apart.peak_rss_mb < 1500


def test_a_text_that_cannot_be_annotated_is_named(nlp: Language) -> None:
    local = load_annotator(nlp)
    too_long = "word " * (nlp.max_length // 5 + 1)
    items = [(text, article(n, text)) for n, text in enumerate(texts(11))]
    items.insert(9, (too_long, article(99, too_long)))
    with AnnotatorProcess() as apart, pytest.raises(ExtractionError) as caught:
        list(apart.pipe(items, local, 3))
    message = str(caught.value)
    assert message.startswith("annotation failed on article a99 (in.jsonl:99): ValueError")
    assert "[E088]" in message  # spaCy's own reason


def test_a_dead_child_is_reported_with_the_articles_it_had(nlp: Language) -> None:
    local = load_annotator(nlp)
    items = [(text, article(n, text)) for n, text in enumerate(texts(30))]
    with AnnotatorProcess() as apart, pytest.raises(ExtractionError) as caught:
        for n, _ in enumerate(apart.pipe(items, local, 2)):
            if n == 0:
                (pid,) = apart.pids
                os.kill(pid, signal.SIGKILL)
    message = str(caught.value)
    assert "the annotation process stopped (exit code -9)" in message
    assert "while these articles were being annotated: a" in message


CHILDREN = """
import sys, time
from newsledger.pipeline.parallel.annotator import AnnotatorProcess
from newsledger.pipeline.parallel.workers import ProcessExtractor
with AnnotatorProcess() as apart, ProcessExtractor(1) as workers:
    apart.wait_ready()
    print(*apart.pids, *workers.pids, flush=True)
    time.sleep(600)
"""


def test_children_stop_when_their_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILDREN], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.2)
    alive = [p for p in pids if _running(p)]
    assert not alive, f"children still running after their parent was killed: {alive}"


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    return "Z" not in state  # a zombie has stopped; only its exit status is left


def test_the_same_records_as_in_one_process() -> None:
    from newsledger.pipeline.core import extract_articles, load_resources
    from newsledger.readers import read_inputs

    samples = SAMPLES
    articles = [a for a in read_inputs([str(samples)]) if isinstance(a, Article)]
    assert len(articles) == 7
    res = load_resources()
    one = list(extract_articles(articles, res))
    with AnnotatorProcess() as apart:
        two = list(extract_articles(articles, res, apart=apart))
    assert two == one
    assert sum(len(x.events) + len(x.quotes) + len(x.deadlines) for x in one) > 20
