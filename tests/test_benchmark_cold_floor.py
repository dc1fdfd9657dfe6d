"""The cold-start floor in benchmarks/: the table of fresh processes and what it leaves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from tests.conftest import benchmark_script


def _report(seconds: list[float], seeds: float) -> str:
    """The report of a run whose import lines took ``seconds`` and the seeds' query ``seeds``."""
    floor = benchmark_script("cold_floor")
    timed = [(label, s, base) for (label, _, base), s in zip(floor.IMPORTS, seconds, strict=True)]
    timed.append(("dvsearch query on the seeds", seeds, floor.CLI))
    report: str = floor.render(argparse.Namespace(runs=3, index=[]), timed)
    return report


def test_each_line_is_set_against_the_interpreter_and_the_line_it_adds_to() -> None:
    floor = benchmark_script("cold_floor")
    report = _report([0.020, 0.032, 0.046, 0.064, 0.094, 0.080], seeds=0.120)
    assert "| + click | 32.0 | 1.60 | +12.0 (python -c pass) |" in report
    assert f"| {floor.CLI} | 80.0 | 4.00 | +16.0 ({floor.LIBRARIES}) |" in report
    assert "| dvsearch query on the seeds | 120.0 | 6.00 |" in report
    # 5 × 20 ms leaves 100 - 64 ms for dvsearch once click, rich and whoosh are loaded
    assert "the target (5×) is 100.0 ms, which leaves 36.0 ms" in report
    assert "56.0 ms of it is dvsearch's own" in report


def test_a_real_run_writes_the_report(tmp_path: Path) -> None:
    floor = benchmark_script("cold_floor")
    if not (Path(sys.executable).parent / "dvsearch").exists():
        pytest.skip("no dvsearch console script beside this interpreter")
    out = tmp_path / "cold.md"
    assert floor.main(["--runs", "1", "--out", str(out)]) == 0
    report = out.read_text(encoding="utf-8")
    assert "| dvsearch query on the seeds |" in report
    assert report.count("\n| ") == 9  # the header, its rule and seven processes


def test_libraries_past_the_target_are_said_to_overrun_it() -> None:
    report = _report([0.010, 0.037, 0.056, 0.075, 0.122, 0.107], seeds=0.126)
    assert (
        "the target (5×) is 50.0 ms, which these three libraries alone overrun by 25.0 ms" in report
    )
