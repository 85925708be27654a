"""`newsledger bench`: how fast the pipeline runs, against spaCy alone, and where the time goes.

In one process and one run: (a) a bare `nlp.pipe` over the corpus texts with the same model and
all its components, and (b) the whole pipeline (read, repair, annotate, extract, resolve, store
into a fresh temporary SQLite ledger), each as articles/s and words/s, with their ratio, the
peak memory, and the share of each stage in (b). With `workers` > 1, (c) the pipeline again in
that many worker processes, and its speed-up over (b).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from rich.table import Table

from newsledger.errors import NewsledgerError, Rejection
from newsledger.pipeline import (
    BATCH_SIZE,
    Resources,
    StageTimer,
    ingest,
    load_resources,
)
from newsledger.readers import read_inputs
from newsledger.records import Article
from newsledger.store import open_ledger
from newsledger.workers import ProcessExtractor

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
class BenchResult:
    corpus: str
    components: tuple[str, ...]  # the spaCy pipeline's components, all run in both
    bare: Throughput
    pipeline: Throughput
    stages: dict[str, float]  # stage -> seconds in the pipeline run ("other": the rest)
    peak_rss_mb: float  # this process
    workers: int = 1
    parallel: Throughput | None = None  # the pipeline in `workers` processes
    workers_ready_s: float | None = None  # until every worker had loaded its model
    workers_peak_rss_mb: float | None = None  # the largest worker process
    # (articles stored, resident MB) at each quarter of the pipeline run: flat when it streams
    rss_during: list[tuple[int, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Pipeline throughput over bare spaCy throughput (1.0: the pipeline costs nothing)."""
        return self.bare.seconds / self.pipeline.seconds if self.pipeline.seconds else 0.0

    @property
    def shares(self) -> dict[str, float]:
        total = sum(self.stages.values())
        return {k: v / total if total else 0.0 for k, v in self.stages.items()}

    @property
    def speedup(self) -> float | None:
        if self.parallel is None or not self.parallel.seconds:
            return None
        return self.pipeline.seconds / self.parallel.seconds

    @property
    def speedup_after_ready(self) -> float | None:
        """The speed-up once every worker had its model loaded (approximate)."""
        if self.parallel is None or self.workers_ready_s is None:
            return None
        working = self.parallel.seconds - self.workers_ready_s
        return self.pipeline.seconds / working if working > 0 else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bare"] = self.bare.to_dict()
        data["pipeline"] = self.pipeline.to_dict()
        data["parallel"] = self.parallel.to_dict() if self.parallel else None
        data["components"] = list(self.components)
        data["ratio"] = round(self.ratio, 3)
        data["stages"] = {k: round(v, 3) for k, v in self.stages.items()}
        data["shares"] = {k: round(v, 4) for k, v in self.shares.items()}
        data["speedup"] = round(self.speedup, 3) if self.speedup is not None else None
        after = self.speedup_after_ready
        data["speedup_after_ready"] = round(after, 3) if after is not None else None
        data["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        return data


def _peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _current_rss_mb() -> float | None:
    """This process's resident memory now (Linux's /proc; None where there is none)."""
    statm = Path("/proc/self/statm")
    if not statm.is_file():
        return None
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _RssSampler:
    """A progress callback noting the resident memory after each quarter of the articles."""

    def __init__(self, total: int) -> None:
        self.marks = {max(1, round(total * q / 4)) for q in (1, 2, 3, 4)}
        self.done = 0
        self.samples: list[tuple[int, float]] = []

    def __call__(self, outcome: str, origin: str) -> None:
        self.done += 1
        rss = _current_rss_mb() if self.done in self.marks else None
        if rss is not None:
            self.samples.append((self.done, round(rss, 1)))


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
    res: Resources | None,
    limit: int | None,
    timer: StageTimer | None = None,
    extractor: ProcessExtractor | None = None,
    sampler: _RssSampler | None = None,
) -> float:
    progress = sampler or (lambda outcome, origin: None)
    with tempfile.TemporaryDirectory(prefix="newsledger-bench-") as tmp:
        with open_ledger(Path(tmp) / "bench.db") as ledger:
            started = time.perf_counter()
            report = ingest(
                paths, ledger, res, progress, timer=timer, extractor=extractor, limit=limit
            )
            seconds = time.perf_counter() - started
        if report.stored == 0:
            raise NewsledgerError(f"the benchmark stored nothing from {', '.join(paths)}")
    return seconds


def run_bench(
    paths: list[str],
    workers: int = 1,
    limit: int | None = None,
    res: Resources | None = None,
) -> BenchResult:
    """Benchmark the corpus at `paths` (see the module docstring)."""
    articles = read_corpus(paths, limit)
    res = res or load_resources()
    words = _words(articles)
    texts = [a.raw_text for a in articles]
    for _ in res.nlp.pipe(texts[:WARMUP_TEXTS]):
        pass

    started = time.perf_counter()
    for _ in res.nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    bare = Throughput(time.perf_counter() - started, len(articles), words)

    timer = StageTimer()
    sampler = _RssSampler(len(articles))
    seconds = _ingest_into_fresh_ledger(paths, res, limit, timer=timer, sampler=sampler)
    stages = dict(timer.seconds)
    stages["other"] = max(seconds - sum(stages.values()), 0.0)
    pipeline = Throughput(seconds, len(articles), words)

    parallel = None
    ready = None
    workers_rss = None
    notes = [
        "bare: nlp.pipe over the raw texts, all components; pipeline: read, repair, annotate, "
        "extract (with resolve), store into a fresh SQLite ledger; models loaded before timing",
    ]
    if workers > 1:
        with ProcessExtractor(workers) as extractor:
            seconds = _ingest_into_fresh_ledger(paths, None, limit, extractor=extractor)
            ready = extractor.ready_seconds
        parallel = Throughput(seconds, len(articles), words)
        workers_rss = max(extractor.peak_rss_mb, default=None)
        notes.append(
            f"parallel: {workers} worker processes, timed from their start, so it includes "
            "each loading its own model (workers_ready_s)"
        )
    return BenchResult(
        corpus=", ".join(paths),
        components=tuple(res.nlp.pipe_names),
        bare=bare,
        pipeline=pipeline,
        stages=stages,
        peak_rss_mb=_peak_rss_mb(resource.RUSAGE_SELF),
        workers=workers,
        parallel=parallel,
        workers_ready_s=ready,
        workers_peak_rss_mb=workers_rss,
        rss_during=sampler.samples,
        notes=notes,
    )


def format_table(result: BenchResult) -> Table:
    """The result as a rich table (the CLI's default output)."""
    table = Table(title=f"newsledger bench: {result.corpus}", min_width=70)
    table.add_column("figure")
    table.add_column("value", justify="right")
    runs = [("bare spaCy", result.bare), ("pipeline", result.pipeline)]
    if result.parallel is not None:
        runs.append((f"pipeline, {result.workers} workers", result.parallel))
    for name, run in runs:
        table.add_row(
            name,
            f"{run.articles_per_s:.2f} articles/s, {run.words_per_s:,.0f} words/s "
            f"({run.articles} in {run.seconds:.2f} s)",
        )
    table.add_row("ratio pipeline / bare", f"{result.ratio:.3f}")
    if result.speedup is not None:
        table.add_row(f"speed-up, {result.workers} workers over 1", f"{result.speedup:.2f}x")
        after = result.speedup_after_ready
        if after is not None and result.workers_ready_s is not None:
            table.add_row(
                f"  after the models loaded ({result.workers_ready_s:.1f} s)", f"{after:.2f}x"
            )
    table.add_row("peak RSS", f"{result.peak_rss_mb:.0f} MB")
    if result.rss_during:
        table.add_row(
            "resident memory while ingesting",
            ", ".join(f"{mb:,.0f} MB after {n}" for n, mb in result.rss_during),
        )
    if result.workers_peak_rss_mb is not None:
        table.add_row("peak RSS, largest worker", f"{result.workers_peak_rss_mb:.0f} MB")
    for stage, share in sorted(result.shares.items(), key=lambda kv: -kv[1]):
        table.add_row(f"stage {stage}", f"{share:6.1%}  {result.stages[stage]:.2f} s")
    table.add_row("spaCy components", ", ".join(result.components))
    return table
