"""Warm query time, this checkout against a baseline checkout, in one run.

Times a query set on an index built beforehand, with each engine, in two worker processes: one
on this checkout's Python, one on the baseline's. The workers take turns round by round, so a
busy machine slows both alike. Run by hand from the repository root:

    python benchmarks/warm_compare.py --index DIR --baseline ../base [--queries speed] [--rounds 7]

``--queries abbreviations`` (the default) times the queries an abbreviation or expansion makes
expensive (scored through its reading, ``QueryBuilder._reading`` in
``dvsearch/search/ranking.py``, which costs phrase clauses) and a few plain ones as a control;
``--queries speed`` the 67 queries of the speed harness (``speed_queries.py``), top 10 with
passages as ``speed.py`` times them, with p50 and p95 over the queries' medians.

``DIR`` is any dvsearch index (``dvsearch index --seeds ARTICLES --index DIR``); the baseline is
a worktree with its own ``.venv``, or a plain copy of a commit (``git archive`` or ``git worktree
add``), run on this Python with the copy first on the path. Prints, per engine and query, the
median milliseconds of each side, their ratio (this / baseline) and the ratio of the workers'
CPU time, and which source each worker imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from speed_measure import percentile
from speed_queries import QUERIES

ROOT = Path(__file__).resolve().parents[1]
ABBREVIATIONS = {
    "abbreviation": [
        "UBND tỉnh",
        "MTTQ",
        "HĐND tỉnh",
        "BCH Trung ương",
        "Mặt trận Tổ quốc",
        "Ủy ban nhân dân tỉnh",
        "464-QĐ/TU",
    ],
    "plain": ["tham nhũng", "cải cách hành chính", "giá xăng", "bóng đá"],
}
ENGINES = ("arrays", "whoosh")


def _speed_queries() -> dict[str, list[str]]:
    """The speed harness's queries by category."""
    grouped: dict[str, list[str]] = {}
    for query in QUERIES:
        grouped.setdefault(query.category, []).append(query.text)
    return grouped


QUERY_SETS = {"abbreviations": lambda: ABBREVIATIONS, "speed": _speed_queries}


def main() -> None:
    """Parse the options and either serve as a worker or compare two checkouts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a dvsearch index folder")
    parser.add_argument("--baseline", type=Path, help="a worktree with its own .venv")
    parser.add_argument("--rounds", type=int, default=7, help="timed passes (default 7)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="arrays,whoosh")
    parser.add_argument("--queries", choices=sorted(QUERY_SETS), default="abbreviations")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    queries = QUERY_SETS[args.queries]()
    if args.worker:
        serve(args.index, args.worker, queries)
        return
    if args.baseline is None:
        parser.error("--baseline is required")
    for engine in args.engines.split(","):
        compare(args.index, args.baseline, engine, args.rounds, args.queries, queries)


def serve(index: Path, engine: str, grouped: dict[str, list[str]]) -> None:
    """Worker: open the index, search every query once to warm it, then time one pass over the
    queries per line read from stdin and answer with a JSON line of milliseconds per query,
    elapsed and of this process's CPU (which other work on a busy machine slows less)."""
    import dvsearch
    from dvsearch.search.searcher import Searcher

    queries = [q for group in grouped.values() for q in group]
    with Searcher(index, engine=engine) as searcher:
        for text in queries:
            searcher.search(text, limit=10)
        print(f"ready {Path(dvsearch.__file__).parent}", flush=True)
        for _ in sys.stdin:
            timings = {}
            for text in queries:
                start, cpu = time.perf_counter(), time.process_time()
                searcher.search(text, limit=10)
                elapsed = time.perf_counter() - start, time.process_time() - cpu
                timings[text] = [seconds * 1000 for seconds in elapsed]
            print(json.dumps(timings), flush=True)


def compare(
    index: Path,
    baseline: Path,
    engine: str,
    rounds: int,
    query_set: str,
    grouped: dict[str, list[str]],
) -> None:
    """Time both checkouts turn about and print the table for ``engine``."""
    sides = {
        "baseline": _start(baseline, index, engine, query_set),
        "this": _start(ROOT, index, engine, query_set),
    }
    times: dict[str, dict[str, list[list[float]]]] = {name: {} for name in sides}
    for _ in range(rounds):
        for name, worker in sides.items():
            for text, ms in _one_round(worker).items():
                times[name].setdefault(text, []).append(ms)
    for worker in sides.values():
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    _report(engine, rounds, times, grouped)


def _start(checkout: Path, index: Path, engine: str, query_set: str) -> subprocess.Popen[str]:
    """A worker on ``checkout``'s own venv, or on this Python with ``checkout`` first on the
    path when it has none (a ``git archive`` of a commit)."""
    venv = checkout / ".venv" / "bin" / "python"
    python = venv if venv.exists() else Path(sys.executable)
    environment = dict(os.environ)
    if not venv.exists():
        environment["PYTHONPATH"] = str(checkout.resolve())
    command = [str(python), str(Path(__file__).resolve()), "--index", str(index.resolve())]
    worker = subprocess.Popen(
        [*command, "--queries", query_set, "--worker", engine],
        cwd=checkout,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    ready = _read_line(worker.stdout)
    if not ready.startswith("ready"):
        raise SystemExit(f"the worker in {checkout} did not start")
    print(f"worker for {checkout}: dvsearch from {ready.removeprefix('ready ')}")
    return worker


def _one_round(worker: subprocess.Popen[str]) -> dict[str, list[float]]:
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()
    answer: dict[str, list[float]] = json.loads(_read_line(worker.stdout))
    return answer


def _read_line(stream: IO[str] | None) -> str:
    assert stream is not None
    return stream.readline().strip()


def _report(
    engine: str,
    rounds: int,
    times: dict[str, dict[str, list[list[float]]]],
    grouped: dict[str, list[str]],
) -> None:
    print(f"\nengine {engine}, median of {rounds} warm rounds (ms; ratio = this / baseline)")
    print(f"{'query':<24} {'baseline':>9} {'this':>9} {'ratio':>6} {'cpu ratio':>10}")
    for group, queries in grouped.items():
        ratios: list[list[float]] = [[], []]
        for text in queries:
            before = [statistics.median(run[k] for run in times["baseline"][text]) for k in (0, 1)]
            after = [statistics.median(run[k] for run in times["this"][text]) for k in (0, 1)]
            for k in (0, 1):
                ratios[k].append(after[k] / before[k])
            wall, cpu = after[0] / before[0], after[1] / before[1]
            print(f"{text:<24} {before[0]:9.1f} {after[0]:9.1f} {wall:6.2f} {cpu:10.2f}")
        wall, cpu = (statistics.geometric_mean(r) for r in ratios)
        print(f"{group + ' (geometric mean)':<44} {wall:6.2f} {cpu:10.2f}")
    medians = {
        side: sorted(statistics.median(run[0] for run in runs) for runs in by_query.values())
        for side, by_query in times.items()
    }
    for label, share in (("p50", 0.50), ("p95", 0.95)):
        before, after = (percentile(medians[side], share) for side in ("baseline", "this"))
        print(f"{label + ' over the queries':<24} {before:9.1f} {after:9.1f} {after / before:6.2f}")


if __name__ == "__main__":
    main()
