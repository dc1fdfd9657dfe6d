"""What ``query --facets`` and ``stats`` cost on a large archive, beside the plain query.

Run by hand from the repository root:

    python benchmarks/facets_speed.py --size 10000       # writes and indexes 10k articles first

The corpus is the speed harness's (``speed_corpus.py``: the shared vntc + vietnews articles in
its fixed order) and its index is kept under the work folder, rebuilt only when outdated. The
queries are the harness's quick set (one per category) and ``"dân vận khéo"``. For each, on
one open searcher: the median time of the search alone, the time of counting the facets of its
whole match set right after it (as ``query --facets`` does) and the median of counting them
again, with the exact match count and the search's own total (``about`` where estimated);
``archive_stats`` is timed apart, and so is a whole ``dvsearch query`` process with and
without ``--facets`` and ``--timeline``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import DEVNULL

from speed_corpus import corpus_documents, ordered_articles, prepare_corpus
from speed_queries import QUICK_QUERIES

from dvsearch.index.build import rebuild_reason, update_index
from dvsearch.index.stats import archive_stats
from dvsearch.search.facets import count_facets
from dvsearch.search.searcher import Searcher

ROOT = Path(__file__).resolve().parents[1]
COLD_QUERY = "dân vận"


def main() -> int:
    """Prepare the index, time the queries, print a markdown table."""
    options = _parse_args()
    index_dir = _prepared(options)
    queries = [q.text for q in QUICK_QUERIES] + ['"dân vận khéo"']
    with Searcher(index_dir, engine=options.engine) as searcher:
        print(f"{int(index_dir.name):,} articles; engine {searcher.engine}\n")
        print("| query | matches | search's total | search ms | facets ms, first | facets ms |")
        print("| --- | ---: | --- | ---: | ---: | ---: |")
        for text in queries:
            print(_row(searcher, text, options.runs))
    took = _median(lambda: archive_stats(index_dir), options.runs)
    print(f"\n`archive_stats` (opens the index, reads the columns): {took * 1e3:.0f} ms")
    print(_cold(index_dir, options.cold_runs))
    return 0


def _cold(index_dir: Path, runs: int) -> str:
    """Median wall time of a whole ``dvsearch query`` process with and without each option,
    the variants interleaved so that other load falls on all of them alike."""
    variants = {"plain": [], "--facets": ["--facets"], "--timeline": ["--timeline"]}
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, extra in variants.items():
            command = [sys.executable, "-m", "dvsearch", "query", COLD_QUERY, "--no-pager"]
            start = time.perf_counter()
            subprocess.run(
                [*command, "--index", str(index_dir), *extra], check=True, stdout=DEVNULL
            )
            times[name].append(time.perf_counter() - start)
    cells = ", ".join(f"{name} {statistics.median(t) * 1e3:.0f} ms" for name, t in times.items())
    return f"cold `dvsearch query {COLD_QUERY!r}` (median of {runs}): {cells}"


def _row(searcher: Searcher, text: str, runs: int) -> str:
    result = searcher.search(text)
    start = time.perf_counter()
    facets = count_facets(searcher, text)  # as the command line runs it: after the search
    first = time.perf_counter() - start
    searched = _median(lambda: searcher.search(text), runs)
    counted = _median(lambda: count_facets(searcher, text), runs)
    total = f"{'' if result.total_exact else 'about '}{result.total:,}"
    times = f"{searched * 1e3:.0f} | {first * 1e3:.0f} | {counted * 1e3:.0f}"
    return f"| {text} | {facets.total:,} | {total} | {times} |"


def _median(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _prepared(options: argparse.Namespace) -> Path:
    """An up-to-date index of the corpus."""
    docs = corpus_documents(ordered_articles(options.shared / "data"), options.size)
    corpus = prepare_corpus(str(len(docs)), options.work / "articles" / str(len(docs)), docs)
    index_dir = options.work / "index" / str(len(docs))
    if rebuild_reason(index_dir) is not None or options.update:
        start = time.perf_counter()
        update_index(corpus.folder, index_dir)
        print(f"indexed in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return index_dir


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each step")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs of each cold command")
    parser.add_argument("--engine", default="arrays", choices=("arrays", "whoosh"))
    parser.add_argument("--update", action="store_true", help="update the index first")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "facets")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
