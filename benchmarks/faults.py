"""Damage every file of a built index in every way and count how the command line answers.

Run by hand from the repository root, on an index you built (it is copied, never touched):

    python benchmarks/faults.py --index /tmp/index-2000 --show 00010

Each file of the live generation is truncated to half, emptied, or garbled (its last two thirds
with every bit flipped, the size kept), in a fresh copy; then two queries, ``list`` and ``show``
run on both engines, and ``dvsearch check``. A traceback is a failure; the promise is a one-line
error (exit 1) or a normal answer, and ``check`` finding every damaged copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

DAMAGE = ("truncate", "empty", "garble")
ENGINES = ("whoosh", "arrays")
Completed = subprocess.CompletedProcess[str]
QUERIES = ("dân vận", '"thành phố" kinh tế')


def main() -> int:
    """Print the counts; 1 when any run ended in a traceback or ``check`` missed damage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a built dvsearch index")
    parser.add_argument("--show", required=True, help="an article id for 'dvsearch show'")
    options = parser.parse_args()
    live = json.loads((options.index / "dvsearch.json").read_text(encoding="utf-8"))["generation"]
    names = sorted(p.name for p in (options.index / live).iterdir() if p.name != "MAIN_WRITELOCK")
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "index"
        for name in names:
            for damage in DAMAGE:
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(options.index, copy)
                _damage(copy / live / name, damage)
                for outcome in _read_everything(copy, options.show):
                    counts[outcome] += 1
                    if outcome == "traceback":
                        print(f"traceback: {name} {damage}", file=sys.stderr)
                checked = _dvsearch(["check", "--index", str(copy)], {})
                counts["check found it" if checked.returncode == 1 else "check missed it"] += 1
    print(f"{len(names)} files × {len(DAMAGE)} kinds of damage, {options.index}")
    for outcome, number in sorted(counts.items()):
        print(f"{outcome}: {number}")
    return 1 if counts["traceback"] or counts["check missed it"] else 0


def _damage(path: Path, damage: str) -> None:
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        flipped = bytearray(data)
        for position in range(len(flipped) // 3, len(flipped)):
            flipped[position] ^= 0xFF
        path.write_bytes(bytes(flipped))


def _read_everything(index: Path, article: str) -> list[str]:
    commands = [["query", text] for text in QUERIES] + [["list"], ["show", article]]
    commands = [[*command, "--no-pager"] for command in commands]
    outcomes = []
    for engine in ENGINES:
        for command in commands:
            done = _dvsearch([*command, "--index", str(index)], {"DVSEARCH_ENGINE": engine})
            outcomes.append(_outcome(done))
    return outcomes


def _outcome(done: subprocess.CompletedProcess[str]) -> str:
    if "Traceback" in done.stderr:
        return "traceback"
    if done.returncode == 0:
        return "answered"
    one_line = len(done.stderr.strip().splitlines()) == 1
    return "one-line error" if one_line and done.returncode == 1 else "other error"


def _dvsearch(arguments: list[str], environment: dict[str, str]) -> Completed:
    return subprocess.run(
        [sys.executable, "-m", "dvsearch", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **environment},
        check=False,
    )


if __name__ == "__main__":
    sys.exit(main())
