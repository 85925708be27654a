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
def test_bench_compares_at_equal_cores_whole_process() -> None:
    args = ["bench", str(SAMPLES), "--format", "json", "--workers", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == 7 and data["words"] > 100
    # each run's figures on stderr as it ends: 2 pairs of 2 runs, then the 3 start-up runs
    lines = result.stderr.splitlines()
    assert sum(line.startswith(("bare spaCy", "pipeline (")) for line in lines) == 4, lines
    assert sum(line.startswith("start-up, ") for line in lines) == 3, lines
    up = data["startup"]
    for name in ("help", "one_article"):
        assert len(up[name]["runs"]) == 1 and up[name]["wall_s"] > 0, up
    # --help imports no model; one article loads one
    assert up["help"]["cpu_s"] < up["one_article"]["cpu_s"], up
    assert 0 < up["serve_first_answer_s"] < 300, up
    equal, one = data["pairs"]
    assert (equal["processes"], one["processes"]) == (2, 1)
    assert equal["runner"] == "2 worker processes" and one["runner"] == "this process"
    for pair in (equal, one):
        for side in ("bare", "pipeline"):
            figures = pair[side]
            assert len(figures["runs"]) == 1
            # whole processes: imports and a model loaded in each, so seconds, not milliseconds
            assert figures["wall_s"] > 1 and figures["cpu_s"] > 1, figures
            assert 100 < figures["peak_mb"] < 6000, figures
        bare, pipeline = pair["bare"]["runs"][0], pair["pipeline"]["runs"][0]
        assert pair["time_ratio"] == pytest.approx(pipeline["wall_s"] / bare["wall_s"], rel=0.02)
        assert pair["cpu_ratio"] == pytest.approx(pipeline["cpu_s"] / bare["cpu_s"], rel=0.02)
    # two processes, each with a model, hold more memory together than one does
    assert equal["pipeline"]["peak_mb"] > one["pipeline"]["peak_mb"]
    assert "ner" in data["components"] and "parser" in data["components"]
    shares = data["shares"]
    assert abs(sum(shares.values()) - 1) < 0.01
    for stage in ("read", "repair", "annotate", "store", "extract.places", "extract.events"):
        assert shares[stage] > 0, stage


@pytest.mark.slow
def test_bench_on_a_few_articles_compares_one_process_with_one() -> None:
    """Under `SMALL_INPUT` articles the default ingest runs in one process: one pair only."""
    result = CliRunner().invoke(main, ["bench", str(SAMPLES), "--limit", "2"])
    assert result.exit_code == 0, result.output
    for text in (
        "bare spaCy, 1 process",
        "pipeline (this process), 1 process",
        "ratio pipeline / bare, 1 process",
        "s CPU",
        "stage annotate",
        "words/s",
        "start-up: newsledger --help",
        "start-up: ingest one article",
        "start-up: serve to its first answer",
    ):
        assert text in result.output
    assert "2 processes" not in result.output


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
