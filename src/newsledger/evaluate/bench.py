"""`newsledger bench`: how fast the pipeline runs, against spaCy alone, and where the time goes.

In one command and one run: (a) a bare `nlp.pipe` over the corpus texts with the same model and
all its components; (b) the whole pipeline (read, repair, annotate, extract, resolve, store into
a fresh temporary SQLite ledger) as `newsledger ingest` runs it, annotation in its own process
(pipeline/parallel/annotator.py); (c) the same in one process, annotating and extracting in
turn. Each
as articles/s and words/s, (b) and (c) over (a), CPU time, peak memory (both processes of (b)
summed), and the share of each stage in (c). With `workers` > 1, (d) the pipeline in one worker
process and then in that many (as `ingest --workers` runs it, each timed from the workers' start,
their model loading included) and the speed-up of N workers over one.
"""

from __future__ import annotations

import contextlib
import os
import resource
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from rich.table import Table

from newsledger.errors import NewsledgerError, Rejection
from newsledger.pipeline.core import BATCH_SIZE, Extractor, StageTimer, extract_articles
from newsledger.pipeline.ingest import ingest
from newsledger.pipeline.parallel.annotator import AnnotatorProcess
from newsledger.pipeline.parallel.process import process_peak_rss_mb
from newsledger.pipeline.parallel.workers import ProcessExtractor
from newsledger.pipeline.runners import Runner, Running, open_runner
from newsledger.readers import read_inputs
from newsledger.records import Article
from newsledger.store import open_ledger

WARMUP_TEXTS = 4  # annotated once before timing, so neither run pays spaCy's first-call costs


@dataclass(frozen=True)
class Throughput:
    seconds: float
    articles: int
    words: int

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "articles": self.articles,
            "words": self.words,
            "articles_per_s": round(self.articles_per_s, 2),
            "words_per_s": round(self.words_per_s, 1),
        }


@dataclass(frozen=True)
class Memory:
    """Peak resident memory of one run: this process's, and the annotation process's if any."""

    this_process_mb: float
    annotator_mb: float | None = None

    @property
    def total_mb(self) -> float:
        return self.this_process_mb + (self.annotator_mb or 0.0)


@dataclass(frozen=True)
class WorkerRun:
    """The pipeline in `workers` worker processes, timed from their start."""

    workers: int
    throughput: Throughput
    ready_s: float | None  # until every worker had loaded its model
    peak_rss_mb: float | None  # the largest worker's

    @property
    def working_s(self) -> float:
        """The time after every model had loaded."""
        return self.throughput.seconds - (self.ready_s or 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "workers": self.workers,
            **self.throughput.to_dict(),
            "ready_s": round(self.ready_s, 3) if self.ready_s is not None else None,
            "peak_rss_mb": round(self.peak_rss_mb, 1) if self.peak_rss_mb is not None else None,
        }


@dataclass(frozen=True)
class BenchResult:
    corpus: str
    components: tuple[str, ...]  # the spaCy pipeline's components, all run in both
    bare: Throughput
    pipeline: Throughput  # as `newsledger ingest` runs: annotation in its own process
    one_process: Throughput  # annotation and extraction in turn, in this process
    stages: dict[str, float]  # stage -> seconds in the one-process run ("other": the rest)
    cpu_seconds: dict[str, float]  # run -> CPU time (the pipeline's: both processes)
    memory: Memory  # the pipeline run's
    one_process_memory: Memory
    worker_runs: tuple[WorkerRun, ...] = ()  # with --workers N > 1: one worker, then N
    # (articles stored, resident MB of both processes) at each quarter of the pipeline run:
    # flat when it streams
    rss_during: list[tuple[int, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Pipeline throughput over bare spaCy throughput (1.0: the pipeline costs nothing)."""
        return _over(self.bare.seconds, self.pipeline.seconds)

    @property
    def one_process_ratio(self) -> float:
        return _over(self.bare.seconds, self.one_process.seconds)

    @property
    def peak_rss_mb(self) -> float:
        """The pipeline run's processes together (each one's peak, summed)."""
        return self.memory.total_mb

    @property
    def shares(self) -> dict[str, float]:
        total = sum(self.stages.values())
        return {k: v / total if total else 0.0 for k, v in self.stages.items()}

    @property
    def speedup(self) -> float | None:
        """N worker processes over one worker process, both timed from their start."""
        if len(self.worker_runs) < 2:
            return None
        one, many = self.worker_runs[0], self.worker_runs[-1]
        return _over(one.throughput.seconds, many.throughput.seconds)

    @property
    def speedup_after_ready(self) -> float | None:
        """The same once the models had loaded (approximate)."""
        if len(self.worker_runs) < 2:
            return None
        return _over(self.worker_runs[0].working_s, self.worker_runs[-1].working_s)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for run in ("bare", "pipeline", "one_process"):
            data[run] = getattr(self, run).to_dict()
        data["worker_runs"] = [run.to_dict() for run in self.worker_runs]
        data["components"] = list(self.components)
        data["ratio"] = round(self.ratio, 3)
        data["one_process_ratio"] = round(self.one_process_ratio, 3)
        data["stages"] = {k: round(v, 3) for k, v in self.stages.items()}
        data["shares"] = {k: round(v, 4) for k, v in self.shares.items()}
        data["cpu_seconds"] = {k: round(v, 2) for k, v in self.cpu_seconds.items()}
        data["speedup"] = round(self.speedup, 3) if self.speedup is not None else None
        after = self.speedup_after_ready
        data["speedup_after_ready"] = round(after, 3) if after is not None else None
        data["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        return data


def _over(a: float, b: float) -> float:
    return a / b if b else 0.0


def _reset_peak_rss() -> None:
    """Start this process's peak resident memory afresh (Linux 4.0+; elsewhere the peak stays
    the one since the process began)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_since_reset() -> float:
    """This process's peak resident memory since `_reset_peak_rss` or since it began."""
    peak = process_peak_rss_mb(os.getpid())
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb(pid: int) -> float:
    """A process's resident memory now (Linux's /proc; 0 where there is none)."""
    statm = Path(f"/proc/{pid}/statm")
    if not statm.is_file():
        return 0.0
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _RssSampler:
    """A progress callback noting the resident memory of this process and `others` together
    after each quarter of the articles."""

    def __init__(self, total: int, others: tuple[int, ...] = ()) -> None:
        self.marks = {max(1, round(total * q / 4)) for q in (1, 2, 3, 4)}
        self.pids = (os.getpid(), *others)
        self.done = 0
        self.samples: list[tuple[int, float]] = []

    def __call__(self, outcome: str, origin: str) -> None:
        self.done += 1
        if self.done in self.marks:
            self.samples.append((self.done, round(sum(_rss_mb(p) for p in self.pids), 1)))


def _words(articles: list[Article]) -> int:
    return sum(len(a.raw_text.split()) for a in articles)


def read_corpus(paths: list[str], limit: int | None = None) -> list[Article]:
    """The articles of `paths` (the first `limit`), for the bare spaCy run and the counts."""
    items = islice(read_inputs(paths), limit) if limit is not None else read_inputs(paths)
    articles = [a for a in items if not isinstance(a, Rejection)]
    if not articles:
        raise NewsledgerError(f"no articles to benchmark in {', '.join(paths)}")
    return articles


def _ingest_into_fresh_ledger(
    paths: list[str],
    extractor: Extractor,
    limit: int | None,
    timer: StageTimer | None = None,
    sampler: _RssSampler | None = None,
) -> float:
    progress = sampler or (lambda outcome, origin: None)
    with tempfile.TemporaryDirectory(prefix="newsledger-bench-") as tmp:
        with open_ledger(Path(tmp) / "bench.db") as ledger:
            started = time.perf_counter()
            report = ingest(
                paths, ledger, None, progress, timer=timer, extractor=extractor, limit=limit
            )
            seconds = time.perf_counter() - started
        if report.stored == 0:
            raise NewsledgerError(f"the benchmark stored nothing from {', '.join(paths)}")
    return seconds


def run_bench(
    paths: list[str],
    workers: int = 1,
    limit: int | None = None,
) -> BenchResult:
    """Benchmark the corpus at `paths` (see the module docstring)."""
    articles = read_corpus(paths, limit)
    with open_runner(Runner("annotator")) as running:
        result = _run_bench(paths, articles, running, workers, limit)
    annotator_mb = running.children.peak_rss_mb if running.children is not None else None
    assert annotator_mb is None or isinstance(annotator_mb, float)
    return replace(result, memory=replace(result.memory, annotator_mb=annotator_mb))


def _run_bench(
    paths: list[str],
    articles: list[Article],
    running: Running,
    workers: int,
    limit: int | None,
) -> BenchResult:
    res, apart = running.resources, running.children
    assert res is not None and isinstance(apart, AnnotatorProcess)
    words = _words(articles)
    texts = [a.raw_text for a in articles]
    for _ in res.nlp.pipe(texts[:WARMUP_TEXTS]):
        pass
    # first the pipeline as `newsledger ingest` runs it, annotation in its own process: first,
    # so this process's peak memory is its own in that run (a bare pass before would leave its
    # Docs' pages resident here)
    apart.wait_ready()
    sampler = _RssSampler(len(articles), apart.pids)
    cpu, apart_cpu = time.process_time(), apart.cpu_seconds()
    seconds = _ingest_into_fresh_ledger(paths, running.extractor, limit, sampler=sampler)
    pipeline = Throughput(seconds, len(articles), words)
    cpu_seconds = {
        "pipeline, this process": time.process_time() - cpu,
        "pipeline, annotation process": apart.cpu_seconds() - apart_cpu,
    }
    memory = Memory(_peak_rss_since_reset())

    cpu = time.process_time()
    started = time.perf_counter()
    for _ in res.nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    bare = Throughput(time.perf_counter() - started, len(articles), words)
    cpu_seconds["bare"] = time.process_time() - cpu

    # the same in one process, annotating and extracting in turn: where the time goes
    _reset_peak_rss()
    timer = StageTimer()
    cpu = time.process_time()
    seconds = _ingest_into_fresh_ledger(
        paths, partial(extract_articles, res=res, timer=timer), limit, timer=timer
    )
    one_process = Throughput(seconds, len(articles), words)
    cpu_seconds["one_process"] = time.process_time() - cpu
    one_process_memory = Memory(_peak_rss_since_reset())
    stages = dict(timer.seconds)
    stages["other"] = max(seconds - sum(stages.values()), 0.0)

    notes = [
        "bare: nlp.pipe over the raw texts, all components; pipeline: read, repair, annotate, "
        "extract (with resolve), store into a fresh SQLite ledger, annotation in its own "
        "process as `newsledger ingest` runs it; one process: the same, annotating and "
        "extracting in turn (the stage shares are its); models loaded before timing",
    ]
    worker_runs = []
    if workers > 1:
        for n in (1, workers):
            with open_runner(Runner("workers", workers=n)) as in_workers:
                seconds = _ingest_into_fresh_ledger(paths, in_workers.extractor, limit)
            extractor = in_workers.children
            assert isinstance(extractor, ProcessExtractor)
            run = WorkerRun(
                n,
                Throughput(seconds, len(articles), words),
                extractor.ready_seconds,
                max(extractor.peak_rss_mb, default=None),
            )
            worker_runs.append(run)
        notes.append(
            f"worker runs: 1 and then {workers} worker processes as `ingest --workers` runs "
            "them, each timed from the workers' start, so it includes each loading its own "
            "model (ready_s); the speed-up is of the last over the first"
        )
    return BenchResult(
        corpus=", ".join(paths),
        components=tuple(res.nlp.pipe_names),
        bare=bare,
        pipeline=pipeline,
        one_process=one_process,
        stages=stages,
        cpu_seconds=cpu_seconds,
        memory=memory,
        one_process_memory=one_process_memory,
        worker_runs=tuple(worker_runs),
        rss_during=sampler.samples,
        notes=notes,
    )


def format_table(result: BenchResult) -> Table:
    """The result as a rich table (the CLI's default output)."""
    table = Table(title=f"newsledger bench: {result.corpus}", min_width=70)
    table.add_column("figure")
    table.add_column("value", justify="right")
    runs = [
        ("bare spaCy", result.bare),
        ("pipeline", result.pipeline),
        ("pipeline in one process", result.one_process),
    ]
    for worker_run in result.worker_runs:
        runs.append((f"pipeline, {_workers_name(worker_run.workers)}", worker_run.throughput))
    for name, run in runs:
        table.add_row(
            name,
            f"{run.articles_per_s:.2f} articles/s, {run.words_per_s:,.0f} words/s "
            f"({run.articles} in {run.seconds:.2f} s)",
        )
    table.add_row("ratio pipeline / bare", f"{result.ratio:.3f}")
    table.add_row("ratio in one process / bare", f"{result.one_process_ratio:.3f}")
    table.add_row(
        "CPU time",
        ", ".join(f"{run.replace('_', ' ')} {s:.1f} s" for run, s in result.cpu_seconds.items()),
    )
    if result.speedup is not None:
        many = _workers_name(result.worker_runs[-1].workers)
        table.add_row(f"speed-up, {many} over 1 worker", f"{result.speedup:.2f}x")
        after = result.speedup_after_ready
        loading = ", ".join(f"{run.ready_s or 0:.1f} s" for run in result.worker_runs)
        table.add_row(f"  after the models loaded ({loading})", f"{after or 0:.2f}x")
    memory = result.memory
    table.add_row(
        "peak RSS",
        f"{memory.total_mb:.0f} MB (this process {memory.this_process_mb:.0f} MB, "
        f"annotation process {memory.annotator_mb or 0:.0f} MB)",
    )
    table.add_row("peak RSS, one process", f"{result.one_process_memory.total_mb:.0f} MB")
    if result.rss_during:
        table.add_row(
            "resident memory while ingesting",
            ", ".join(f"{mb:,.0f} MB after {n}" for n, mb in result.rss_during),
        )
    for worker_run in result.worker_runs:
        if worker_run.peak_rss_mb is not None:
            name = _workers_name(worker_run.workers)
            table.add_row(f"peak RSS, largest worker of {name}", f"{worker_run.peak_rss_mb:.0f} MB")
    table.add_row("stages (in one process)", "")
    for stage, share in sorted(result.shares.items(), key=lambda kv: -kv[1]):
        table.add_row(f"stage {stage}", f"{share:6.1%}  {result.stages[stage]:.2f} s")
    table.add_row("spaCy components", ", ".join(result.components))
    return table


def _workers_name(workers: int) -> str:
    return f"{workers} worker" + ("s" if workers > 1 else "")
