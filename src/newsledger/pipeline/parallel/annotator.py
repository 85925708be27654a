"""Annotation in its own process, so this one extracts and stores while the next batch is parsed.

`newsledger ingest` (without `--workers` or `--dask`) runs the pipeline in two processes: a child
process loads the spaCy model once and annotates batches of repaired texts; this process reads,
repairs, extracts, stores and tracks. One batch is annotated while the one before is extracted,
so extraction (about a third of annotation's time) hides behind annotation; and while the next
batch in order is not back yet, this process annotates a later one itself, so neither waits.
`AnnotatorProcess.pipe` gives the Docs `Annotator.pipe` gives
(tests/pipeline/test_annotator_process.py), less `Doc.tensor` (the tok2vec output, which no
extractor reads), sent as `Doc.to_bytes` and read back into this process's vocabulary.

A failure in the child is raised here as an `ExtractionError` naming the article; a child that
dies is reported with the articles it was annotating; a child whose parent died stops itself
(the process handling is `process.py`'s, shared with the worker processes).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import TracebackType
from typing import Any

from spacy.tokens import Doc

from newsledger.annotate.annotator import Annotator, load_annotator
from newsledger.annotate.model import load_nlp
from newsledger.errors import ExtractionError
from newsledger.pipeline.parallel.process import (
    ChildProcesses,
    TaskFailed,
    first_failure,
    serve,
    stop_with_parent,
)
from newsledger.records import Article

WINDOW = 2  # batches with the child: it annotates the next while this process extracts one
LOCAL_AHEAD = 2  # batches this process annotates ahead while the child is behind
NOT_SENT = ["tensor"]  # Doc parts left out of the bytes (see the module docstring)
WARMUP_TEXT = "The minister said on Monday that two soldiers were killed in Baghdad."


def _annotator_main(tasks: Any, results: Any, parent: int) -> None:
    """The child: load the model once, then annotate batches until told to stop."""
    stop_with_parent(parent)
    annotator = load_annotator(load_nlp())
    for _ in annotator.docs([WARMUP_TEXT]):  # spaCy's first-call costs, paid before work comes
        pass
    serve(tasks, results, parent, lambda texts: _annotate_bytes(annotator, texts))


def _annotate_bytes(annotator: Annotator, texts: list[str]) -> list[bytes]:
    """The child's work: a batch's Docs as bytes; a failure names the text that fails alone."""
    try:
        return [d.to_bytes(exclude=NOT_SENT) for d in annotator.docs(texts, len(texts))]
    except Exception as exc:  # sent to the parent, naming the text that fails
        raise TaskFailed(_failing_text(annotator, texts)) from exc


def _failing_text(annotator: Annotator, texts: list[str]) -> tuple[int, str]:
    """The position in `texts` of the first one that fails alone, and its error and trace."""
    found = first_failure(texts, lambda text: list(annotator.docs([text])))
    return found or (0, "the batch failed, but every text in it annotates alone")


@dataclass
class _Batch:
    index: int  # the child's batch number; -1 for one annotated here
    articles: list[Article]
    docs: list[Doc] | None = None  # None while the child has it


@dataclass
class AnnotatorProcess:
    """The child process that annotates (see the module docstring). Use as a context manager:
    the child starts and loads its model on entry, while this process loads its own resources,
    and stops on exit."""

    batches_apart: int = 0  # annotated by the child
    batches_here: int = 0  # annotated in this process while the child was behind
    peak_rss_mb: float | None = None  # the child's, read as it stops
    child: ChildProcesses = field(
        default_factory=lambda: ChildProcesses(
            _annotator_main, 1, "newsledger-annotator", "the annotation process", "annotated"
        )
    )
    _sent: int = 0
    _open: bool = False

    def __enter__(self) -> AnnotatorProcess:
        self.child.__enter__()
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._open = False
        self.child.stop(at_once=exc_type is not None)
        self.peak_rss_mb = max(self.child.peak_rss_mb, default=None)

    @property
    def started(self) -> float:
        return self.child.started

    @property
    def ready_seconds(self) -> float | None:
        """From start until the child had loaded its model."""
        return self.child.ready_seconds

    def pipe(
        self, items: Iterable[tuple[str, Article]], local: Annotator, batch_size: int
    ) -> Iterator[tuple[Doc, Article]]:
        """Like `local.pipe`: each text's Doc with its article, in order. The child has
        `WINDOW` batches at any time; while the next one in order is not back from it, this
        process annotates a later batch itself with `local` (up to `LOCAL_AHEAD` ahead), so
        neither process waits while there is work. The Docs are in `local`'s vocabulary."""
        if not self._open:
            raise RuntimeError("AnnotatorProcess is used outside its `with` block")
        batches = _batches(iter(items), batch_size)
        order: deque[_Batch] = deque()
        while True:
            while sum(b.docs is None for b in order) < WINDOW and (batch := next(batches, None)):
                self.child.send(self._sent, [text for text, _ in batch])
                order.append(_Batch(self._sent, [article for _, article in batch]))
                self._sent += 1
            if not order:
                return
            head = order[0]
            if head.docs is None:
                payload = self._result(head, order, wait=False)
                ahead = sum(b.index < 0 for b in order)
                if payload is None and ahead < LOCAL_AHEAD and (batch := next(batches, None)):
                    order.append(_Batch(-1, [a for _, a in batch], _annotate_here(local, batch)))
                    self.batches_here += 1
                    continue
                if payload is None:
                    payload = self._result(head, order, wait=True)
                    assert payload is not None  # waiting gives the batch or raises
                head.docs = [Doc(local.nlp.vocab).from_bytes(data) for data in payload]
                self.batches_apart += 1
            order.popleft()
            yield from zip(head.docs, head.articles, strict=True)

    def _result(self, head: _Batch, order: deque[_Batch], wait: bool) -> list[bytes] | None:
        """The child's Docs (as bytes) for `head`, None if not back yet and not `wait`; raises
        ExtractionError when the child failed or died."""
        while True:
            message = self.child.receive(wait, lambda: _waiting(order))
            if message is None:
                return None
            kind, number, payload = message
            if kind == "ready" or number < head.index:  # a batch of an earlier, abandoned `pipe`
                continue
            if kind == "error":
                position, text = payload
                raise ExtractionError(
                    f"annotation failed on article {_name(head.articles[position])}: {text}"
                )
            docs: list[bytes] = payload
            return docs

    def wait_ready(self) -> None:
        """Block until the child has loaded its model (the bench times from there)."""
        while self.child.ready_seconds is None:
            self.child.receive(True, lambda: "")

    @property
    def pids(self) -> tuple[int, ...]:
        """The child's process id, while it runs."""
        return self.child.pids

    def cpu_seconds(self) -> float:
        """The child's CPU time so far (0 where /proc does not tell)."""
        return self.child.cpu_seconds()


def _waiting(order: deque[_Batch]) -> str:
    """The articles the child has, named."""
    return ", ".join(_name(a) for b in order if b.docs is None for a in b.articles)


def _annotate_here(local: Annotator, batch: list[tuple[str, Article]]) -> list[Doc]:
    """`batch` annotated in this process; a failure is named as the child's are."""
    texts = [text for text, _ in batch]
    try:
        return list(local.docs(texts, len(texts)))
    except Exception as exc:  # raised again below, naming the article
        position, message = _failing_text(local, texts)
        raise ExtractionError(
            f"annotation failed on article {_name(batch[position][1])}: {message}"
        ) from exc


def _batches(it: Iterator[tuple[str, Article]], size: int) -> Iterator[list[tuple[str, Article]]]:
    while batch := list(islice(it, size)):
        yield batch


def _name(article: Article) -> str:
    return f"{article.id} ({article.origin or 'no origin'})"
