"""Load: a thousand queries in one process and a hundred command-line runs in a row, watching
memory, open files, threads and child processes for anything that grows or is left behind.

Run by hand from the repository root (Linux: the figures come from /proc):

    python benchmarks/load.py                    # the seeds, indexed under benchmarks/work/load/
    python benchmarks/load.py --index DIR        # an index you built, e.g. of 16,000 articles

Queries are the speed harness's fixed set plus malformed ones, cycled. In one process they run
twice: through one ``Searcher`` kept open (as ``--batch`` does) and through ``search()``, which
opens and closes the index for every query (as a script calling the library would).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from speed_queries import QUERIES

from dvsearch.errors import QuerySyntaxError
from dvsearch.index.build import update_index
from dvsearch.search.searcher import Searcher, search

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work" / "load"
ODD_QUERIES = ['"dân vận', "((dân", "", "title:dân vận", "author:Hương Lan", "dan van kheoo"]
TEXTS = [query.text for query in QUERIES] + ODD_QUERIES
CHECKPOINTS = (100, 1000)
RUNAWAY_MB = 1000  # stop a run that has grown this much: the machine is shared


class Snapshot(NamedTuple):
    """What the process holds at one moment."""

    rss_mb: float
    fds: int
    threads: int
    objects: int


def main(argv: list[str] | None = None) -> int:
    """Print the in-process and the many-processes figures; 1 when something leaked."""
    options = parse_args(sys.argv[1:] if argv is None else argv)
    index_dir = options.index or _seeds_index()
    print(f"index: {index_dir}; Python {sys.version.split()[0]}; pid {os.getpid()}\n")
    leaks = run_processes(index_dir, options.processes)  # first, while this process is small
    leaks += run_in_process(index_dir, options.queries, options.rss_bound)
    print("\n" + ("no growth or leftovers beyond the bounds" if not leaks else "\n".join(leaks)))
    return 1 if leaks else 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="index folder (default: the seeds, indexed)")
    parser.add_argument("--queries", type=int, default=1000, help="queries in one process")
    parser.add_argument("--processes", type=int, default=100, help="command-line runs")
    parser.add_argument(
        "--rss-bound", type=float, default=10.0, help="MB of growth allowed after 100 queries"
    )
    return parser.parse_args(argv)


def _seeds_index() -> Path:
    index_dir = WORK / "index"
    update_index(ROOT / "seeds", index_dir)
    return index_dir


# ---------------------------------------------------------------- one process


def snapshot() -> Snapshot:
    """RSS, open file descriptors, threads and live Python objects, after a full collection."""
    gc.collect()
    status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    fields = dict(line.split(":", 1) for line in status)
    return Snapshot(
        rss_mb=int(fields["VmRSS"].split()[0]) / 1024,
        fds=len(os.listdir("/proc/self/fd")),
        threads=int(fields["Threads"]),
        objects=len(gc.get_objects()),
    )


def run_in_process(index_dir: Path, count: int, rss_bound: float) -> list[str]:
    """Both ways of querying from Python; the growth of each, checked against the bounds."""
    with Searcher(index_dir) as searcher:
        kept_open = _measure("one Searcher", lambda text: searcher.search(text), count)
    each_time = _measure("search() each time", lambda text: search(index_dir, text), count)
    return _growth("one Searcher", kept_open, rss_bound) + _growth(
        "search() each time", each_time, rss_bound
    )


def _measure(label: str, run_one: Callable[[str], object], count: int) -> list[Snapshot]:
    """Snapshots after a 10-query warm-up and at each checkpoint, printed with the time per
    query; a run whose memory runs away is stopped before it takes the machine with it."""
    for text in TEXTS[:10]:
        _query(run_one, text)
    shots = [snapshot()]
    print(f"\n{label}: {count} queries in one process")
    print(f"  {'after':>6} {'RSS MB':>8} {'fds':>4} {'threads':>7} {'objects':>8} {'ms/query':>8}")
    print(_row(0, shots[0], 0.0))
    started = time.perf_counter()
    for number in range(1, count + 1):
        _query(run_one, TEXTS[(number - 1) % len(TEXTS)])
        runaway = _rss_mb() - shots[0].rss_mb > RUNAWAY_MB
        if number in CHECKPOINTS or number == count or runaway:
            shots.append(snapshot())
            print(_row(number, shots[-1], (time.perf_counter() - started) / number * 1000))
        if runaway:
            print(f"  stopped: RSS grew by more than {RUNAWAY_MB} MB")
            break
    return shots


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(status.split("VmRSS:", 1)[1].split()[0]) / 1024


def _query(run_one: Callable[[str], object], text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):  # malformed on purpose: must not leak either
        run_one(text)


def _row(after: int, shot: Snapshot, per_query: float) -> str:
    return (
        f"  {after:>6} {shot.rss_mb:>8.1f} {shot.fds:>4} {shot.threads:>7} "
        f"{shot.objects:>8} {per_query:>8.1f}"
    )


def _growth(label: str, shots: list[Snapshot], rss_bound: float) -> list[str]:
    """Open files and threads must not grow at all; memory, not after the first checkpoint
    (caches fill during the first hundred queries)."""
    first, steady, last = shots[0], shots[min(1, len(shots) - 1)], shots[-1]
    leaks = []
    if last.fds > first.fds:
        leaks.append(f"{label}: open files grew from {first.fds} to {last.fds}")
    if last.threads > first.threads:
        leaks.append(f"{label}: threads grew from {first.threads} to {last.threads}")
    if last.rss_mb - first.rss_mb > RUNAWAY_MB:
        leaks.append(f"{label}: RSS ran away, from {first.rss_mb:.1f} to {last.rss_mb:.1f} MB")
    elif last.rss_mb - steady.rss_mb > rss_bound:
        leaks.append(f"{label}: RSS grew from {steady.rss_mb:.1f} MB to {last.rss_mb:.1f} MB")
    return leaks


# ---------------------------------------------------------------- many processes


def run_processes(index_dir: Path, count: int) -> list[str]:
    """``dvsearch query`` run ``count`` times in a row, as a shell loop would."""
    if count < 1:
        return []
    fds_before, files_before = snapshot().fds, _listing(index_dir)
    seconds: list[float] = []
    peaks: list[float] = []
    exits: Counter[int] = Counter()
    for number in range(count):
        started = time.perf_counter()
        exit_code, peak = _run_cli(index_dir, TEXTS[number % len(TEXTS)])
        seconds.append(time.perf_counter() - started)
        exits[exit_code] += 1
        peaks.append(peak)
    fds_after, children = snapshot().fds, _children()
    print(f"{count} command-line runs (python -m dvsearch query ..., one after the other)")
    print(f"  exit codes: {dict(sorted(exits.items()))}")
    print(
        f"  seconds per run: mean {statistics.mean(seconds):.2f}, "
        f"median {statistics.median(seconds):.2f}, max {max(seconds):.2f}"
    )
    print(f"  peak RSS of a run: median {statistics.median(peaks):.1f} MB, max {max(peaks):.1f}")
    print(f"  parent open files: {fds_before} before, {fds_after} after")
    print(f"  child processes left: {len(children)}")
    added = sorted(_listing(index_dir) - files_before)
    print(f"  files left in the index folder: {added or 'none'}")
    return _process_leaks(fds_before, fds_after, children, added, exits)


# ``python -m dvsearch``, reporting its own peak RSS on the way out: rusage cannot tell, as a
# child started with vfork inherits the parent's high-water mark at exec.
_REPORTING_PEAK = """
import runpy, sys
sys.argv[0] = "dvsearch"
try:
    runpy.run_module("dvsearch", run_name="__main__")
finally:
    peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
    print(f"peak-rss-kb {peak}", file=sys.stderr)
"""


def _run_cli(index_dir: Path, text: str) -> tuple[int, float]:
    """One ``dvsearch query`` process: its exit code and peak RSS in MB."""
    arguments = ["query", "--index", str(index_dir), "--", text]
    command = [sys.executable, "-c", _REPORTING_PEAK, *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    peak = done.stderr.rsplit("peak-rss-kb ", 1)[-1].split()[0]
    return done.returncode, int(peak) / 1024


def _children() -> list[int]:
    """Processes whose parent is this one (the runs must all have been reaped)."""
    mine = str(os.getpid())
    children = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            continue
        if entry.name.isdigit() and stat.rsplit(")", 1)[1].split()[1] == mine:
            children.append(int(entry.name))
    return children


def _listing(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def _process_leaks(
    fds_before: int, fds_after: int, children: list[int], added: list[str], exits: Counter[int]
) -> list[str]:
    leaks = []
    if fds_after > fds_before:
        leaks.append(f"processes: parent open files grew from {fds_before} to {fds_after}")
    if children:
        leaks.append(f"processes: {len(children)} child processes left running")
    if added:
        leaks.append(f"processes: files left in the index folder: {added}")
    if set(exits) - {0, 2}:
        leaks.append(f"processes: unexpected exit codes {dict(exits)}")
    return leaks


if __name__ == "__main__":
    sys.exit(main())
