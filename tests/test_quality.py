"""The project's own strictness: ruff and mypy --strict stay clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "dvsearch", "tests", "benchmarks")
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_mypy_strict_finds_nothing() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "dvsearch")
    assert (result.returncode, result.stdout.startswith("Success: no issues found")) == (0, True)
