"""`newsledger bench`: the pipeline against spaCy alone at equal cores, and where the time goes.

Whole-process runs, each a fresh Python process timed from its start to its end (imports and
model loading included, as a user waits for them):
- at equal cores: `newsledger ingest` as it runs by default on this corpus and machine (N worker
  processes; `--workers N` to choose) into a fresh SQLite ledger, against bare spaCy
  (`nlp.pipe` over the raw texts, every component, spaCy's own `n_process=N`; bare_spacy.py);
- in one process: `ingest --workers 0` against bare spaCy in one process.
Each gives wall time, CPU time (the process and all its children, from the kernel's accounts of
the children it waited for) and peak memory (the largest sum of the resident memory of the
process and all its descendants, sampled every `SAMPLE_SECONDS`). With `repeats` > 1 the runs
are interleaved (bare, pipeline, bare, pipeline, ...) so that each pair sees the same load of
the machine; the ratios are the medians of the pairs' ratios.

Then how fast it starts, each a fresh process as a user runs it (`startup`): `newsledger --help`,
`newsledger ingest` of the corpus's first article into a fresh ledger, and `newsledger serve` (as
it runs by default) on that ledger from its start to its first answer of `GET /api/events`.

Then, in this process (models loaded before timing), the pipeline's stages over the same
articles: where the time goes (`StageTimer`).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rich.table import Table

from newsledger.errors import NewsledgerError
from newsledger.evaluate.bare_spacy import read_corpus
from newsledger.pipeline.core import StageTimer, extract_articles, load_resources
from newsledger.pipeline.ingest import ingest
from newsledger.pipeline.runners import SMALL_INPUT, choose_runner
from newsledger.records import Article
from newsledger.store import open_ledger


def _quiet(line: str) -> None:
    return None


WARMUP_TEXTS = 4  # annotated once before the stage timing, so it pays no first-call costs
SAMPLE_SECONDS = 0.1  # how often the memory of a whole-process run is summed
SERVE_POLL_SECONDS = 0.05  # how often the started server is asked for its first answer
SERVE_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class ProcessRun:
    """One whole-process run."""

    wall_s: float
    cpu_s: float  # user + system, the process and its children
    peak_mb: float  # the largest sum of resident memory over the process and its descendants

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in vars(self).items()}


@dataclass(frozen=True)
class Pair:
    """Bare spaCy and the pipeline in `processes` annotating processes, run `repeats` times in
    turn (`bare[i]` just before `pipeline[i]`)."""

    processes: int
    runner: str  # how `ingest` ran the pipeline
    bare: tuple[ProcessRun, ...]
    pipeline: tuple[ProcessRun, ...]

    @property
    def time_ratio(self) -> float:
        """Pipeline wall time over bare spaCy's (1.0: the pipeline costs nothing more)."""
        return statistics.median(
            p.wall_s / b.wall_s for b, p in zip(self.bare, self.pipeline, strict=True)
        )

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(
            p.cpu_s / b.cpu_s for b, p in zip(self.bare, self.pipeline, strict=True)
        )

    def median(self, side: str, figure: str) -> float:
        runs: tuple[ProcessRun, ...] = getattr(self, side)
        return float(statistics.median(getattr(r, figure) for r in runs))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"processes": self.processes, "runner": self.runner}
        for side in ("bare", "pipeline"):
            data[side] = {
                figure: round(self.median(side, figure), 2)
                for figure in ("wall_s", "cpu_s", "peak_mb")
            }
            data[side]["runs"] = [r.to_dict() for r in getattr(self, side)]
        data["time_ratio"] = round(self.time_ratio, 3)
        data["cpu_ratio"] = round(self.cpu_ratio, 3)
        return data


@dataclass(frozen=True)
class Startup:
    """How fast the commands start, whole-process, each run `repeats` times."""

    help: tuple[ProcessRun, ...]  # newsledger --help
    one_article: tuple[ProcessRun, ...]  # newsledger ingest of one article, fresh ledger
    serve_first_answer_s: tuple[float, ...]  # newsledger serve: start to first answer

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ("help", "one_article"):
            runs: tuple[ProcessRun, ...] = getattr(self, name)
            data[name] = {
                "wall_s": round(statistics.median(r.wall_s for r in runs), 2),
                "cpu_s": round(statistics.median(r.cpu_s for r in runs), 2),
                "runs": [r.to_dict() for r in runs],
            }
        data["serve_first_answer_s"] = round(statistics.median(self.serve_first_answer_s), 2)
        data["serve_runs"] = [round(s, 2) for s in self.serve_first_answer_s]
        return data


@dataclass(frozen=True)
class BenchResult:
    corpus: str
    articles: int
    words: int
    components: tuple[str, ...]  # the spaCy pipeline's components, all run in both
    pairs: tuple[Pair, ...]  # at equal cores (the default's processes), then in one process
    startup: Startup | None
    stages: dict[str, float]  # stage -> seconds in this process ("other": the rest)
    stage_seconds: float  # the in-process run, models loaded before
    notes: list[str] = field(default_factory=list)

    @property
    def shares(self) -> dict[str, float]:
        total = sum(self.stages.values())
        return {k: v / total if total else 0.0 for k, v in self.stages.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "words": self.words,
            "components": list(self.components),
            "pairs": [pair.to_dict() for pair in self.pairs],
            "startup": self.startup.to_dict() if self.startup else None,
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "stage_seconds": round(self.stage_seconds, 3),
            "notes": self.notes,
        }


def _descendants(pid: int) -> list[int]:
    """The process's children and theirs (Linux /proc; none elsewhere)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:  # the task ended while we looked
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def _rss_mb(pid: int) -> float:
    """A process's resident memory now (0 once it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_process(command: list[str]) -> ProcessRun:
    """Run `command` to its end: wall time, CPU time with its children, peak summed memory."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = 0.0
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not finished.wait(SAMPLE_SECONDS):
            pids = [proc.pid, *_descendants(proc.pid)]
            peak = max(peak, sum(_rss_mb(p) for p in pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    finished.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise NewsledgerError(
            f"the benchmark run {' '.join(command)} failed (exit code {proc.returncode}): "
            f"{err.decode(errors='replace')[-2000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ProcessRun(wall, cpu, peak)


def _ingest_command(corpus: str, db: Path, workers: int | None) -> list[str]:
    option = [] if workers is None else ["--workers", str(workers)]
    cli = "from newsledger.cli import main; main()"
    return [sys.executable, "-c", cli, "ingest", "--quiet", "--db", str(db), *option, corpus]


def _cli_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from newsledger.cli import main; main()", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_first_answer(db: Path) -> float:
    """Seconds from the start of `newsledger serve --db DB` (its default workers) to its first
    answer of GET /api/events; the server is then stopped (SIGTERM) and waited for."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = _cli_command("serve", "--db", str(db), "--port", str(port))
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/events"
                with urllib.request.urlopen(url, timeout=SERVE_TIMEOUT_SECONDS) as answer:
                    answer.read()
                return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise NewsledgerError(
                        f"the benchmark's server stopped (exit code {proc.returncode}): "
                        f"{err[-2000:]}"
                    ) from None
                if time.perf_counter() - started > SERVE_TIMEOUT_SECONDS:
                    raise NewsledgerError(
                        f"the benchmark's server did not answer in {SERVE_TIMEOUT_SECONDS:.0f} s"
                    ) from None
                time.sleep(SERVE_POLL_SECONDS)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and its worker processes
        proc.communicate(timeout=SERVE_TIMEOUT_SECONDS)


def run_startup(
    first_article: Path, tmp: Path, repeats: int = 1, progress: Callable[[str], None] = _quiet
) -> Startup:
    """`newsledger --help`, `ingest` of one article into a fresh ledger, and `serve` on that
    ledger until its first answer, each `repeats` times in turn."""
    helps, ones, serves = [], [], []
    for n in range(repeats):
        helps.append(run_process(_cli_command("--help")))
        progress(f"start-up, newsledger --help, run {n + 1}: {_said(helps[-1])}")
        db = tmp / f"one-{n}.db"
        ones.append(
            run_process(_cli_command("ingest", "--quiet", "--db", str(db), str(first_article)))
        )
        progress(f"start-up, ingest of one article, run {n + 1}: {_said(ones[-1])}")
        serves.append(serve_first_answer(db))
        progress(f"start-up, serve to its first answer, run {n + 1}: {serves[-1]:.2f} s")
    return Startup(tuple(helps), tuple(ones), tuple(serves))


def _bare_command(corpus: str, processes: int) -> list[str]:
    module = "newsledger.evaluate.bare_spacy"
    return [sys.executable, "-m", module, corpus, "--processes", str(processes)]


def _pair(
    corpus: str,
    tmp: Path,
    processes: int,
    workers: int | None,
    runner: str,
    repeats: int,
    progress: Callable[[str], None],
) -> Pair:
    bare, pipeline = [], []
    for n in range(repeats):
        bare.append(run_process(_bare_command(corpus, processes)))
        cores = f"{processes} process" + ("es" if processes > 1 else "")
        progress(f"bare spaCy, {cores}, run {n + 1}: {_said(bare[-1])}")
        db = tmp / f"bench-{processes}-{workers}-{n}.db"
        pipeline.append(run_process(_ingest_command(corpus, db, workers)))
        progress(f"pipeline ({runner}), run {n + 1}: {_said(pipeline[-1])}")
    return Pair(processes, runner, tuple(bare), tuple(pipeline))


def _said(run: ProcessRun) -> str:
    return f"{run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU, {run.peak_mb:,.0f} MB"


def _write_corpus(articles: list[Article], path: Path) -> str:
    """The articles as JSON Lines, for both runs to read the same input."""
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            record = {"id": a.id, "source": a.source, "published": a.published}
            record.update({"url": a.url, "title": a.title, "text": a.raw_text})
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return str(path)


def _words(articles: list[Article]) -> int:
    return sum(len(a.raw_text.split()) for a in articles)


def run_bench(
    paths: list[str],
    workers: int | None = None,
    limit: int | None = None,
    repeats: int = 1,
    progress: Callable[[str], None] = _quiet,
    with_startup: bool = True,
) -> BenchResult:
    """Benchmark the corpus at `paths` (see the module docstring). `workers`: the worker
    processes of the equal-cores pair (default: what `ingest` chooses on this machine);
    `progress` is told each run's figures as it ends; `with_startup`: time the start-up too."""
    if repeats < 1:
        raise ValueError(f"repeats must be 1 or more, not {repeats}")
    articles = read_corpus(paths, limit)
    runner = choose_runner(workers if workers else None)
    processes = runner.processes if len(articles) >= SMALL_INPUT or workers else 1
    with tempfile.TemporaryDirectory(prefix="newsledger-bench-") as folder:
        tmp = Path(folder)
        corpus = _write_corpus(articles, tmp / "corpus.jsonl")
        pairs = []
        if processes > 1:
            pairs.append(_pair(corpus, tmp, processes, workers, str(runner), repeats, progress))
        pairs.append(_pair(corpus, tmp, 1, 0, "this process", repeats, progress))
        first = Path(_write_corpus(articles[:1], tmp / "first.jsonl"))
        startup = run_startup(first, tmp, repeats, progress) if with_startup else None
        res = load_resources()
        for _ in res.nlp.pipe([a.raw_text for a in articles[:WARMUP_TEXTS]]):
            pass
        timer = StageTimer()
        with open_ledger(tmp / "stages.db") as ledger:
            started = time.perf_counter()
            report = ingest(
                [corpus],
                ledger,
                None,
                timer=timer,
                extractor=partial(extract_articles, res=res, timer=timer),
            )
            seconds = time.perf_counter() - started
        if report.stored == 0:
            raise NewsledgerError(f"the benchmark stored nothing from {', '.join(paths)}")
    stages = dict(timer.seconds)
    stages["other"] = max(seconds - sum(stages.values()), 0.0)
    notes = [
        "whole-process runs, each a fresh process timed from start to end (imports and model "
        "loading included); bare: nlp.pipe over the raw texts, every component, batches of "
        "12, spaCy's n_process; pipeline: `newsledger ingest` (read, repair, annotate, "
        "extract, store, track) into a fresh SQLite ledger; CPU: the process and its "
        "children; memory: the peak of the processes' resident memory summed "
        f"(sampled every {SAMPLE_SECONDS} s); ratios: medians over the interleaved pairs",
        "stages: the pipeline in this process, models loaded before, without tracking",
    ]
    return BenchResult(
        corpus=", ".join(paths),
        articles=len(articles),
        words=_words(articles),
        components=tuple(res.nlp.pipe_names),
        pairs=tuple(pairs),
        startup=startup,
        stages=stages,
        stage_seconds=seconds,
        notes=notes,
    )


def format_table(result: BenchResult) -> Table:
    """The result as a rich table (the CLI's default output)."""
    title = (
        f"newsledger bench: {result.corpus} ({result.articles} articles, {result.words:,} words)"
    )
    table = Table(title=title, min_width=70)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for pair in result.pairs:
        cores = f"{pair.processes} process" + ("es" if pair.processes > 1 else "")
        for side, name in (("bare", "bare spaCy"), ("pipeline", f"pipeline ({pair.runner})")):
            wall, cpu = pair.median(side, "wall_s"), pair.median(side, "cpu_s")
            table.add_row(
                f"{name}, {cores}",
                f"{wall:.1f} s wall, {cpu:.1f} s CPU, {pair.median(side, 'peak_mb'):,.0f} MB, "
                f"{result.words / wall:,.0f} words/s",
            )
        table.add_row(
            f"ratio pipeline / bare, {cores}",
            f"time {pair.time_ratio:.2f}x, CPU {pair.cpu_ratio:.2f}x",
        )
    if result.startup is not None:
        up = result.startup.to_dict()
        for name, label in (("help", "newsledger --help"), ("one_article", "ingest one article")):
            table.add_row(
                f"start-up: {label}",
                f"{up[name]['wall_s']:.2f} s wall, {up[name]['cpu_s']:.2f} s CPU",
            )
        table.add_row("start-up: serve to its first answer", f"{up['serve_first_answer_s']:.2f} s")
    table.add_row(f"stages (in this process, {result.stage_seconds:.1f} s)", "")
    for stage, share in sorted(result.shares.items(), key=lambda kv: -kv[1]):
        table.add_row(f"stage {stage}", f"{share:6.1%}  {result.stages[stage]:.2f} s")
    table.add_row("spaCy components", ", ".join(result.components))
    return table
