"""`newsledger bench` on the bundled samples: every figure is there and sane."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsledger.cli import main
from newsledger.pipeline.core import StageTimer
from tests.helpers.paths import SAMPLES, SCRIPTS


def test_stage_timer_counts_nested_stages_exclusively() -> None:
    timer = StageTimer()
    with timer.stage("outer"):
        with timer.stage("inner"):
            sum(range(10_000))
        sum(range(10_000))
    assert set(timer.seconds) == {"outer", "inner"}
    assert all(v > 0 for v in timer.seconds.values())
    assert list(timer.timed("read", iter([1, 2, 3]))) == [1, 2, 3]
    assert timer.seconds["read"] > 0


@pytest.mark.slow
def test_bench_json_reports_every_figure() -> None:
    result = CliRunner().invoke(main, ["bench", str(SAMPLES), "--format", "json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for run in ("bare", "pipeline", "one_process"):
        assert data[run]["articles"] == 5
        assert data[run]["words"] > 100
        assert data[run]["articles_per_s"] > 0
        assert data[run]["words_per_s"] > 0
    assert data["ratio"] > 0 and data["one_process_ratio"] > 0
    cpu = data["cpu_seconds"]
    assert set(cpu) == {
        "bare",
        "pipeline, this process",
        "pipeline, annotation process",
        "one_process",
    }
    assert all(seconds > 0 for seconds in cpu.values()), cpu
    # both processes of the pipeline run hold a loaded model; the peak is their sum
    memory = data["memory"]
    assert 100 < memory["this_process_mb"] < 3000 and 100 < memory["annotator_mb"] < 3000
    assert data["peak_rss_mb"] == pytest.approx(
        memory["this_process_mb"] + memory["annotator_mb"], abs=0.2
    )
    assert data["one_process_memory"]["this_process_mb"] > 100
    # resident memory after each quarter of the 5 articles (stored 1, 2, 4, 5 by rounding)
    counts = [n for n, _ in data["rss_during"]]
    assert counts == sorted(set(counts)) and counts[-1] == 5 and len(counts) >= 3
    assert all(100 < mb <= data["peak_rss_mb"] + 1 for _, mb in data["rss_during"])
    assert "ner" in data["components"] and "parser" in data["components"]
    shares = data["shares"]
    assert abs(sum(shares.values()) - 1) < 0.01
    for stage in ("read", "repair", "annotate", "store", "extract.places", "extract.events"):
        assert shares[stage] > 0, stage
    assert data["worker_runs"] == [] and data["speedup"] is None


@pytest.mark.slow
def test_bench_workers_times_one_worker_then_n() -> None:
    args = ["bench", str(SAMPLES), "--format", "json", "--limit", "4", "--workers", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    runs = data["worker_runs"]
    assert [run["workers"] for run in runs] == [1, 2]
    assert all(run["articles"] == 4 and 100 < run["peak_rss_mb"] < 3000 for run in runs)
    # one batch of 4: the second worker may still be loading when the first has done it all
    assert runs[0]["seconds"] > runs[0]["ready_s"] > 0
    assert runs[1]["ready_s"] is None or runs[1]["seconds"] > runs[1]["ready_s"] > 0
    assert data["speedup"] == pytest.approx(runs[0]["seconds"] / runs[1]["seconds"], rel=0.01)
    # seconds and ready_s are rounded to 1 ms in the JSON; on 4 articles the N-worker run may
    # have only milliseconds left after its last model loaded, so bound the ratio by that
    one, many = (run["seconds"] - (run["ready_s"] or 0) for run in runs)
    slack = 0.002
    assert (one - slack) / (many + slack) <= data["speedup_after_ready"]
    assert many <= slack or data["speedup_after_ready"] <= (one + slack) / (many - slack)


@pytest.mark.slow
def test_bench_table_names_the_figures() -> None:
    result = CliRunner().invoke(main, ["bench", str(SAMPLES), "--limit", "2"])
    assert result.exit_code == 0, result.output
    names = (
        "bare spaCy",
        "pipeline in one process",
        "ratio in one process / bare",
        "CPU time",
        "annotation process",
        "peak RSS",
        "stage annotate",
        "words/s",
    )
    for text in (*names, "resident memory while ingesting"):
        assert text in result.output


def test_bench_names_an_empty_corpus(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = CliRunner().invoke(main, ["bench", str(empty)])
    assert result.exit_code != 0
    assert "no articles to benchmark" in result.output


@pytest.mark.slow
def test_sentence_needs_script_reports_each_share(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    texts = [
        '"We will stay," the defence minister, Salim Haddad, said on 3 May.',
        "The river was quiet. Gunmen attacked a checkpoint near the town.",
    ]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    script = SCRIPTS / "sentence_needs.py"
    out = subprocess.run(
        [sys.executable, str(script), str(corpus)], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("3 sentences in 2 texts")
    assert "any of them: 2 (67%)" in out  # "The river was quiet." needs nothing
    assert "quotation mark: 1 (33%)" in out


@pytest.mark.slow
def test_batch_sizes_script_reports_each_size(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    texts = ["Gunmen attacked a checkpoint near Kirkuk.", "The minister spoke in Baghdad."] * 2
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    script = SCRIPTS / "batch_sizes.py"
    out = subprocess.run(
        [sys.executable, str(script), str(corpus), "--limit", "3", "--sizes", "1", "2"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert [line.split(":")[0] for line in out] == ["batches of 1", "batches of 2"]
    assert all(" 3 texts in " in line and line.endswith(" MB") for line in out), out
