"""Speed of dvsearch against bare whoosh, SQLite FTS5, tantivy and Recoll on shared news articles.

Run by hand from the repository root (a full run takes about half an hour on two cores):

    python benchmarks/speed.py --quick                    # 300 articles and the seeds, < 1 min
    python benchmarks/speed.py --sizes 1000,10000,all     # the default

Each corpus is written as article files under the work folder; every system indexes the same
files (tantivy and Recoll only where they are installed: otherwise the report says so in one
line), the same fixed queries are timed warm in one process per system, then what durability
costs dvsearch (a rebuild and an update with fsync on and off, its checksums), its incremental
update and the cold start of each command line are timed. The report goes to
``benchmarks/results/`` with every figure next to the target of the speed issue.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
from datetime import datetime
from pathlib import Path

from relevance_peers import Dvsearch
from speed_corpus import (
    HELD_BACK,
    Corpus,
    corpus_documents,
    held_back_documents,
    ordered_articles,
    prepare_corpus,
)
from speed_measure import MeasureError
from speed_queries import QUERIES, QUICK_QUERIES
from speed_report import render
from speed_results import SYSTEMS, Results
from speed_steps import Harness, available_systems, log

ROOT = Path(__file__).resolve().parents[1]
QUICK_SIZE = 300


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report and write it; 1 when a step failed."""
    arguments = sys.argv[1:] if argv is None else argv
    options = parse_args(arguments)
    command = shlex.join(["python", "benchmarks/speed.py", *arguments])
    try:
        markdown = run_benchmark(options, command)
    except (MeasureError, OSError) as error:
        print(f"speed: {error}", file=sys.stderr)
        return 1
    print(markdown, end="")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_SIZE} articles, one query per category"
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=[1000, 10000, None], help="e.g. 1000,10000,all"
    )
    parser.add_argument("--systems", type=_systems, default=SYSTEMS, help=",".join(SYSTEMS))
    parser.add_argument(
        "--skip-build", action="store_true", help="reuse the indexes of an earlier run"
    )
    parser.add_argument("--rounds", type=int, help="timed passes over the queries (default 3)")
    parser.add_argument("--cold-runs", type=int, help="runs of each cold command (default 10)")
    parser.add_argument(
        "--durability-runs",
        type=int,
        help="runs of each durability step with fsync on, and as many off (default 3, quick 2)",
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "speed")
    parser.add_argument("--out", type=Path, help="report file (default under benchmarks/results)")
    return parser.parse_args(argv)


def _sizes(value: str) -> list[int | None]:
    """Corpus sizes, smallest first; ``all`` is every article but the held-back ones."""
    try:
        sizes = [None if part == "all" else int(part) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are numbers or 'all', comma-separated") from None
    return sorted(sizes, key=lambda size: float("inf") if size is None else size)


def _systems(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names or any(name not in SYSTEMS for name in names):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SYSTEMS)}")
    return [name for name in SYSTEMS if name in names]


def run_benchmark(options: argparse.Namespace, command: str) -> str:
    """Prepare the corpora, then build, query, update and start cold; return the report."""
    data = options.shared / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"no shared data in '{data}': pass --shared PATH")
    harness = make_harness(options, command)
    load = os.getloadavg()[0]
    ordered = ordered_articles(data)
    corpora = [
        _corpus(harness, ordered, size)
        for size in ([QUICK_SIZE] if options.quick else options.sizes)
    ]
    for corpus in corpora:
        measure_corpus(harness, corpus)
    largest, held_back = corpora[-1], held_back_documents(ordered)
    if "dvsearch" in harness.systems:
        for corpus in corpora:
            harness.durability(corpus, held_back)
        harness.incremental(largest, held_back)
    harness.cold_starts("seeds", ROOT / "seeds")
    harness.cold_starts(_label(largest), largest.folder)
    harness.results.notes += _notes(harness, largest, load)
    quick = "speed-quick.md"
    out = options.out or ROOT / "benchmarks" / "results" / (
        quick if options.quick else _name(corpora)
    )
    return write_report(harness.results, out)


def make_harness(options: argparse.Namespace, command: str) -> Harness:
    """Snapshot dvsearch's source and set up the run's shared state."""
    work = options.work.resolve()
    dvsearch = Dvsearch(work / "dvsearch")
    dvsearch.take_snapshot()
    queries = QUICK_QUERIES if options.quick else QUERIES
    rounds = options.rounds or (1 if options.quick else 3)
    date = datetime.now().astimezone().isoformat(timespec="seconds")
    python = f"{platform.python_version()} ({platform.python_implementation()})"
    described = {q.id: (q.category, q.text) for q in queries}
    cold_runs = options.cold_runs or (3 if options.quick else 10)
    results = Results(command, date, os.cpu_count(), python, described, rounds, cold_runs)
    systems, left_out = available_systems(options.systems)
    results.notes += left_out
    cwd, env = dvsearch.process_settings()
    return Harness(
        work,
        systems,
        cwd,
        env,
        results,
        dvsearch,
        cold_runs,
        options.skip_build,
        options.durability_runs or (2 if options.quick else 3),
    )


def _corpus(harness: Harness, ordered: list[tuple[str, str]], size: int | None) -> Corpus:
    docs = corpus_documents(ordered, size)
    corpus = prepare_corpus(str(len(docs)), harness.work / "articles" / str(len(docs)), docs)
    verb = "reused" if corpus.reused else "wrote"
    log(f"{verb} {corpus.articles:,} article files in {corpus.folder}")
    harness.results.corpora[_label(corpus)] = (
        f"{corpus.articles:,} articles, {corpus.text_mb:.1f} MB"
    )
    return corpus


def measure_corpus(harness: Harness, corpus: Corpus) -> None:
    """Build every system's index of one corpus, then time the warm queries on each."""
    for system in harness.systems:
        harness.build(corpus, _label(corpus), system)
    for system in harness.systems:
        harness.warm_queries(_label(corpus), system)


def _label(corpus: Corpus) -> str:
    return f"{corpus.articles:,}"


def _name(corpora: list[Corpus]) -> str:
    return "speed-" + "-".join(str(corpus.articles) for corpus in corpora) + ".md"


def _notes(harness: Harness, largest: Corpus, load: float) -> list[str]:
    notes = harness.notes()
    notes.append(
        f"the {HELD_BACK} articles added in the incremental test are held back from every"
        " corpus, so `all` is 37,873 − 100 articles"
    )
    if largest.articles < 37_000:
        notes.append(
            f"the targets are judged on {largest.articles:,} articles, not the 38k of the issue"
        )
    where = _filesystem(harness.work)
    notes.append(f"the work folder is on {where}: what an fsync costs depends on the disk")
    after = os.getloadavg()[0]
    note = f"load average (1 min) {load:.1f} at the start, {after:.1f} at the end"
    if max(load, after) > (os.cpu_count() or 1):
        note += ": more than the cores, so other work slowed the timings"
    return [*notes, note]


def _filesystem(path: Path) -> str:
    """The type and device of the file system holding ``path``, from Linux's mount table."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "a file system this platform does not name"
    found = [line.split()[:3] for line in mounts if len(line.split()) >= 3]
    held = [(point, kind, device) for device, point, kind in found if path.is_relative_to(point)]
    point, kind, device = max(held, key=lambda mount: len(mount[0]))
    return f"{kind} (`{device}` mounted on `{point}`)"


def write_report(results: Results, out: Path) -> str:
    """Render the report and write it to ``out``."""
    markdown = render(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    log(f"report written to {out}")
    return markdown


if __name__ == "__main__":
    sys.exit(main())
