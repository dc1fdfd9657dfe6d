"""What `pip install .` gives a user: the wheel carries every file dvsearch reads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _source_copy(target: Path) -> Path:
    target.mkdir()
    """Only what a build reads, so no earlier build/ folder can stand in for the real thing."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "dvsearch", target / "dvsearch", ignore=ignore)
    return target


def test_the_wheel_contains_the_package_data(tmp_path: Path) -> None:
    source = _source_copy(tmp_path / "source")
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1:]}")
    (wheel,) = wheels.glob("dvsearch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"dvsearch/data/abbreviations.tsv", "dvsearch/py.typed"} <= names
