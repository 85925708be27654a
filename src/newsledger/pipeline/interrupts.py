"""Ctrl+C and SIGTERM stop a run between two articles even when Python swallowed them.

A signal handler that raises (Python's own for SIGINT, or the command line's) raises wherever the
main thread is when the signal comes. If that is a finalizer (a `__del__`, a weakref callback,
a generator being closed), Python can only print the exception ("Exception ignored in ...") and
the run goes on. `checked_signals` wraps the handlers of SIGINT and SIGTERM for the length of a
run: each signal is noted before the handler runs, and forgotten only if the handler returns (it
chose not to stop the run); `Signals.check`, called between articles, calls the handler again
for a noted signal, from a place where its exception ends the run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

WATCHED = (signal.SIGINT, signal.SIGTERM)

Handler = Callable[[int, FrameType | None], Any]


@dataclass
class Signals:
    """The signals that came during a run and were not answered yet."""

    handlers: dict[int, Handler] = field(default_factory=dict)  # the wrapped handlers
    pending: list[int] = field(default_factory=list)

    def check(self) -> None:
        """Call the handler of a signal that came and was swallowed (it raises, normally); in
        another thread than the main one, nothing (the main thread answers it)."""
        if threading.current_thread() is not threading.main_thread():
            return
        while self.pending:
            signum = self.pending[0]
            self.handlers[signum](signum, None)
            self.pending.remove(signum)  # the handler returned: it does not stop the run

    def _noted(self, signum: int, frame: FrameType | None) -> None:
        self.pending.append(signum)
        self.handlers[signum](signum, frame)
        self.pending.remove(signum)  # the handler returned: it does not stop the run


@contextmanager
def checked_signals() -> Iterator[Signals]:
    """Wrap the Python handlers of SIGINT and SIGTERM (not the default or ignored dispositions)
    for the length of the block; in another thread than the main one, nothing is wrapped."""
    signals = Signals()
    if threading.current_thread() is not threading.main_thread():
        yield signals
        return
    for watched in WATCHED:
        current = signal.getsignal(watched)
        if callable(current):
            signals.handlers[int(watched)] = current
    for signum in signals.handlers:
        signal.signal(signum, signals._noted)
    try:
        yield signals
    finally:
        for signum, handler in signals.handlers.items():
            signal.signal(signum, handler)
