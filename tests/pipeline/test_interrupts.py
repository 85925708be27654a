"""A Ctrl+C that Python swallowed (raised inside a finalizer) still stops an ingest before the next
article; a handler that does not stop the run is called once and the run goes on."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from newsledger.pipeline.ingest import ingest_articles
from newsledger.pipeline.interrupts import checked_signals
from newsledger.records import Article, Extraction, StoreResult
from tests.helpers.factories import article, extraction

ARTICLES = 20


@dataclass
class Sink:
    stored: list[str] = field(default_factory=list)

    def stored_id(self, article_id: str, raw_text: str) -> str | None:
        return None

    def store(self, found: Extraction) -> StoreResult:
        self.stored.append(found.article.id)
        return StoreResult.STORED


class SignalWhenCollected:
    """Sends SIGINT from its finalizer: the handler's exception is raised there, and Python
    can only print it ("Exception ignored in ...")."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGINT)


def _extract_signalling_at(at: int) -> Any:
    def extractor(articles: Iterable[Article]) -> Iterator[Extraction]:
        for n, a in enumerate(articles):
            if n == at:
                SignalWhenCollected()  # collected at once: its finalizer runs here
            yield extraction(a)

    return extractor


def _articles() -> list[Article]:
    return [article(f"a{n}", f"Made-up report number {n}.") for n in range(ARTICLES)]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signals: main thread"
)
def test_a_ctrl_c_swallowed_in_a_finalizer_stops_the_run_at_the_next_article() -> None:
    sink = Sink()
    with pytest.raises(KeyboardInterrupt):
        ingest_articles(_articles(), sink, _extract_signalling_at(3))
    assert sink.stored == ["a0", "a1", "a2"]  # the article being extracted is not stored
    # the handlers are back as they were
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_handler_that_does_not_stop_the_run_is_called_once() -> None:
    calls: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        sink = Sink()
        report = ingest_articles(_articles(), sink, _extract_signalling_at(3))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert report.stored == ARTICLES
    assert calls == [signal.SIGINT]


def test_ignored_and_default_dispositions_are_left_alone() -> None:
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with checked_signals() as signals:
            assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
            assert signals.handlers == {}
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, ignored)


def test_in_another_thread_nothing_is_wrapped() -> None:
    seen: list[Any] = []

    def run() -> None:
        with checked_signals() as signals:
            seen.append(signals.handlers)
            signals.check()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [{}]
