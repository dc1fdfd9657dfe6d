"""Timing child processes: wall time and peak memory of each, read from the kernel.

``resource.getrusage(RUSAGE_CHILDREN)`` gives the largest of all children so far, and even
``os.wait4`` on a direct child is wrong here: Linux carries the parent's peak RSS over fork and
exec into the child's ``ru_maxrss``, and this harness holds every article in memory. So each
command is started by a small Python process that waits for it with ``os.wait4``: the command's
figure then starts from that helper's ten-odd megabytes, not from the harness's hundreds.
"""

from __future__ import annotations

import shlex
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# Runs argv[2:] and writes "<peak RSS in kB> <wall seconds>" of that command alone to argv[1].
_SPAWNER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as figures:
    figures.write(f"{usage.ru_maxrss} {seconds}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


class MeasureError(Exception):
    """A measured command failed; the message names it and quotes its error output."""


@dataclass(frozen=True)
class Measured:
    """One finished command."""

    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_measured(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Measured:
    """Run ``command`` to completion; its output goes through files, so no pipe can fill up."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        figures = Path(scratch) / "figures"
        spawner = [sys.executable, "-c", _SPAWNER, str(figures), *command]
        code = subprocess.run(
            spawner, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        ).returncode
        stdout, stderr = _read(out), _read(err)
        if code != 0:
            raise MeasureError(
                f"{shlex.join(command)} exited with {code}: {stderr.strip()[-2000:]}"
            )
        kilobytes, seconds = figures.read_text().split()
    return Measured(float(seconds), int(kilobytes) * 1024 / 1e6, stdout, stderr)


def _read(file: IO[bytes]) -> str:
    """What a child wrote to one of the temporary files."""
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")


def median_seconds(
    command: Sequence[str], runs: int, cwd: Path | None = None, env: dict[str, str] | None = None
) -> float:
    """The median wall time of ``runs`` fresh processes, after one untimed run.

    The untimed run brings the interpreter and index files into the page cache: "cold" here
    means a new process, as a user typing a command gets, not a machine just booted.
    """
    run_measured(command, cwd, env)
    return statistics.median(run_measured(command, cwd, env).seconds for _ in range(runs))


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (0.5 for the median), interpolated between the nearest values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def disk_size(path: Path) -> int:
    """Bytes in a file, or in every file under a folder, each hard-linked file counted once.

    dvsearch's generations may share segment files through hard links.
    """
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    inodes = {(s.st_dev, s.st_ino): s.st_size for s in (p.stat() for p in files)}
    return sum(inodes.values())


def publish(report: str, out: Path) -> None:
    """A finished markdown report: written to ``out`` (folders made as needed) and shown, with
    where it went on stderr so that the report alone can be piped."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"report written to {out}", file=sys.stderr)
