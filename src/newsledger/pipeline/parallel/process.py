"""Child processes that load a model once and then work through numbered tasks: the one helper
behind the annotation process (`annotator.py`) and the worker processes (`workers.py`).

The parent starts the children (multiprocessing, spawn start method) with a task queue and a
result queue; each child loads what it needs, says ("ready", pid, None), then answers each
task (index, payload) with ("done", index, result) or ("error", index, payload of its
`TaskFailed`). The parent polls: a child that died is raised as an `ExtractionError` naming the
articles it was working on; a child whose parent died stops itself (it polls its parent, and
asks Linux to stop it when the parent dies). On exit the parent tells the children to stop,
waits, and terminates the ones that do not; on an error, Ctrl+C or SIGTERM (which `newsledger`
raises as SystemExit) it terminates them at once. Children ignore Ctrl+C: the terminal sends it
to the whole process group, and the parent stops them.

`first_failure` runs a failed batch again one item at a time, to name the item that fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import queue
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, TypeVar

from newsledger.errors import ExtractionError

POLL_SECONDS = 1.0  # how often a waiting parent checks its children, and a child its parent
STOP_SECONDS = 10.0  # how long a child may take to stop when told before it is terminated
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies

T = TypeVar("T")
Message = tuple[str, int, Any]


class TaskFailed(Exception):
    """Raised by a child's work function: its `payload` goes to the parent as the error."""

    def __init__(self, payload: Any) -> None:
        super().__init__(payload)
        self.payload = payload


def stop_with_parent(parent: int | None = None) -> None:
    """A child's first call: ignore Ctrl+C (its parent stops it), and ask Linux to send it
    SIGTERM when its parent dies (elsewhere it notices within `POLL_SECONDS` while it waits for
    a task). A parent (process id `parent`) that died before that, while this child was still
    starting, is noticed here: the child leaves before loading its model (on a loaded machine
    that took long enough for a killed ingest's children to outlive it by a minute)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        leave()


def next_task(tasks: Any, parent: int) -> Any:
    """The next task from `tasks`, or None once told to stop or once the parent process `parent`
    is gone (killed: a child waiting on its queue would otherwise live on, holding its model)."""
    while True:
        try:
            return tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def serve(tasks: Any, results: Any, parent: int, work: Callable[[Any], Any]) -> NoReturn:
    """A child's life once loaded: say ready, answer each task with `work(payload)`, then
    `leave`."""
    results.put(("ready", os.getpid(), None))
    while (task := next_task(tasks, parent)) is not None:
        index, payload = task
        try:
            message: Message = ("done", index, work(payload))
        except TaskFailed as failed:
            message = ("error", index, failed.payload)
        results.put(message)
    results.cancel_join_thread()  # results no one reads (a dead parent) must not keep it alive
    leave()


def leave() -> NoReturn:
    """A child's end once told to stop: exit at once, without the interpreter's teardown.

    Tearing down frees the model's, the lexicons' and the gazetteer's objects one by one: a
    second or more of CPU per child at the end of every run, while the parent waits for it
    (docs/speed.md, "Fourth pass"). Nothing of it is needed: the parent has read every result
    it waits for, a child registers no exit handlers, and its result queue's feeder thread is
    not waited for either way (`cancel_join_thread`)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def first_failure(items: Sequence[T], run: Callable[[T], object]) -> tuple[int, str] | None:
    """Each item run alone: the position of the first one that fails, with its error and
    traceback; None when each runs alone (the batch failed only together)."""
    for position, item in enumerate(items):
        try:
            run(item)
        except Exception as exc:  # what the caller reports, naming the item
            return position, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    return None


def process_cpu_seconds(pid: int) -> float | None:
    """A live process's CPU time so far (user + system, from /proc); None where /proc does not
    tell."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.is_file():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command name
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def process_peak_rss_mb(pid: int) -> float | None:
    """A live process's peak resident memory (Linux's VmHWM, which starts afresh at exec, unlike
    getrusage's figure for children); None where /proc does not tell."""
    status = Path(f"/proc/{pid}/status")
    if not status.is_file():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return None


class ChildProcesses:
    """`count` children running `target(tasks, results, parent_pid)`; a context manager (they
    start on entry and stop on exit). `name` names the processes; `label` names a dead one in
    errors ("{name}" stands for its process name); `doing` says what the children do to the
    articles ("annotated", "extracted")."""

    def __init__(
        self, target: Callable[..., None], count: int, name: str, label: str, doing: str
    ) -> None:
        if count < 1:
            raise ValueError(f"child processes must be 1 or more, not {count}")
        self.target = target
        self.count = count
        self.name = name
        self.label = label
        self.doing = doing
        self.started = 0.0
        self.ready = 0
        self.ready_seconds: float | None = None  # from start until every child had loaded
        self.peak_rss_mb: list[float] = []  # each child's, read as it stops
        self.processes: list[BaseProcess] = []
        self._tasks: Any = None
        self._results: Any = None

    def __enter__(self) -> ChildProcesses:
        ctx = multiprocessing.get_context("spawn")
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self.started = time.perf_counter()
        for n in range(self.count):
            proc = ctx.Process(
                target=self.target,
                args=(self._tasks, self._results, os.getpid()),
                name=self.name if self.count == 1 else f"{self.name}-{n + 1}",
                daemon=True,
            )
            proc.start()
            self.processes.append(proc)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(at_once=exc_type is not None)

    def stop(self, at_once: bool = False) -> None:
        """Tell every child to stop, wait for it, terminate the ones that do not (stuck on a
        full result pipe after an error here); `at_once`: terminate them without waiting (their
        queued tasks are of no use). Their peak memory is read first."""
        if not self.processes:
            return
        peaks = (process_peak_rss_mb(p.pid) for p in self.processes if p.pid is not None)
        self.peak_rss_mb = [mb for mb in peaks if mb is not None]
        for proc in self.processes:
            if at_once and proc.is_alive():
                proc.terminate()
            elif proc.is_alive():
                self._tasks.put(None)
        deadline = time.monotonic() + STOP_SECONDS
        for proc in self.processes:
            proc.join(timeout=max(deadline - time.monotonic(), 0.0))
            if proc.is_alive():
                proc.terminate()
                proc.join()
        self.processes.clear()
        self._tasks.cancel_join_thread()  # never wait on a dead child's pipe at exit
        self._tasks.close()
        self._results.close()

    def send(self, index: int, payload: Any) -> None:
        self._tasks.put((index, payload))

    def receive(self, wait: bool, busy: Callable[[], str]) -> Message | None:
        """The children's next message (None if there is none yet and not `wait`). Raises
        ExtractionError when a child has died, naming `busy()` (the articles out with them)."""
        if not self.processes:
            raise RuntimeError(f"{self.name} is used outside its `with` block")
        while True:
            try:
                message: Message = self._results.get(timeout=POLL_SECONDS if wait else 0)
            except queue.Empty:
                dead = [p for p in self.processes if not p.is_alive()]
                if dead:
                    which = self.label.format(name=dead[0].name)
                    raise ExtractionError(
                        f"{which} stopped (exit code {dead[0].exitcode}) while these articles "
                        f"were being {self.doing}: {busy() or 'none'}"
                    ) from None
                if not wait:
                    return None
                continue
            if message[0] == "ready":
                self.ready += 1
                if self.ready == self.count:
                    self.ready_seconds = time.perf_counter() - self.started
            return message

    @property
    def pids(self) -> tuple[int, ...]:
        """The children's process ids, while they run."""
        return tuple(p.pid for p in self.processes if p.pid is not None)

    def cpu_seconds(self) -> float:
        """The children's CPU time so far (0 where /proc does not tell)."""
        return sum(process_cpu_seconds(pid) or 0.0 for pid in self.pids)
