"""The scale curve: how build time, index size and query time grow with the archive, per system.

Run by hand from the repository root; it reuses the speed harness's machinery (``speed_*.py``):
the same article files, builds, warm queries, cold processes and peak-RSS measurement.

    python benchmarks/scale.py --quick                                   # tiny sizes, < 2 min
    python benchmarks/scale.py --sizes 1000,10000,all,sim150000          # the default

A size is a number of real articles (a prefix of the speed harness's fixed shuffle), ``all``
(every real article but the held-back ones, 37,773), or ``simN``: N simulated articles
recombined from the real ones (``scale_corpus.py`` says exactly how). For each size and system:
a full build (wall time, peak RSS, index size), the warm queries (p50, p95) and a cold query
(the median of fresh processes). The report goes to ``benchmarks/results/`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
from pathlib import Path

from scale_corpus import PREFIX, prepare_simulated
from scale_report import Point, ScaleResults, render
from scale_targets import render_targets
from speed import make_harness
from speed_corpus import (
    Corpus,
    Documents,
    corpus_documents,
    held_back_documents,
    ordered_articles,
    prepare_corpus,
)
from speed_measure import MeasureError, median_seconds, run_measured
from speed_results import SYSTEMS
from speed_steps import FSYNC_VARIABLE, Harness, log

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = "1000,10000,all,sim150000"
QUICK_SIZES = "60,120,sim240"


def main(argv: list[str] | None = None) -> int:
    """Run the curve, print the report and write it; 1 when a step failed."""
    arguments = sys.argv[1:] if argv is None else argv
    options = parse_args(arguments)
    command = shlex.join(["python", "benchmarks/scale.py", *arguments])
    try:
        markdown = run_scale(options, command)
    except (MeasureError, OSError) as error:
        print(f"scale: {error}", file=sys.stderr)
        return 1
    print(markdown, end="")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, help=f"e.g. {DEFAULT_SIZES} (the default)")
    parser.add_argument(
        "--quick", action="store_true", help=f"sizes {QUICK_SIZES}, one query per category"
    )
    parser.add_argument("--systems", type=_systems, default=SYSTEMS, help=",".join(SYSTEMS))
    parser.add_argument("--rounds", type=int, help="timed passes over the queries (default 3)")
    parser.add_argument("--cold-runs", type=int, help="runs of each cold query (default 10)")
    parser.add_argument(
        "--update-runs",
        type=int,
        default=3,
        help="updates adding 1 article to dvsearch's index, fsync on; the median (0 skips)",
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "benchmarks" / "work" / "scale", help="work folder"
    )
    parser.add_argument("--out", type=Path, help="report file (default under benchmarks/results)")
    options = parser.parse_args(argv)
    if options.sizes is None:
        options.sizes = sizes(QUICK_SIZES if options.quick else DEFAULT_SIZES)
    options.skip_build, options.durability_runs = False, 1  # what make_harness expects
    return options


def sizes(value: str) -> list[str]:
    """Sizes as given (``1000``, ``all``, ``sim150000``), checked; the run sorts them."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    for part in parts:
        number = part.removeprefix(PREFIX)
        if part != "all" and not (number.isdigit() and int(number) > 0):
            raise argparse.ArgumentTypeError(f"'{part}': sizes are N, all or {PREFIX}N")
    return parts


def _systems(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names or any(name not in SYSTEMS for name in names):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SYSTEMS)}")
    return [name for name in SYSTEMS if name in names]


def run_scale(options: argparse.Namespace, command: str) -> str:
    """Every size, smallest first: write its articles, then build, query and start cold."""
    data = options.shared / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"no shared data in '{data}': pass --shared PATH")
    load = os.getloadavg()
    harness = make_harness(options, command)
    speed = harness.results
    results = ScaleResults(command, speed.date, speed.cpus, speed.python, load)
    ordered = ordered_articles(data)
    held_back = held_back_documents(ordered)
    for corpus in sorted((_corpus(harness, ordered, size) for size in options.sizes), key=_n):
        label = _label(corpus)
        results.corpora[label] = f"{corpus.articles:,} articles, {corpus.text_mb:.1f} MB"
        updates = (held_back, options.update_runs)
        results.points += measure_size(harness, corpus, label, updates)
    results.seeds_cold = seeds_cold(harness)
    results.load_after = os.getloadavg()
    results.notes += _notes(harness, options)
    out = options.out or ROOT / "benchmarks" / "results" / _name(options, results)
    markdown = render(results, render_targets(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    log(f"report written to {out}")
    return markdown


def _corpus(harness: Harness, ordered: list[tuple[str, str]], size: str) -> Corpus:
    """The article folder of one size, written or reused."""
    articles = harness.work / "articles"
    if size.startswith(PREFIX):
        count = int(size.removeprefix(PREFIX))
        log(f"simulating {count:,} articles")
        corpus = prepare_simulated(corpus_documents(ordered, None), count, articles / size)
    else:
        docs = corpus_documents(ordered, None if size == "all" else int(size))
        if size != "all" and len(docs) < int(size):
            raise FileNotFoundError(f"only {len(docs):,} real articles: ask for {PREFIX}{size}")
        corpus = prepare_corpus(str(len(docs)), articles / str(len(docs)), docs)
    verb = "reused" if corpus.reused else "wrote"
    log(f"{verb} {corpus.articles:,} article files in {corpus.folder}")
    return corpus


def _n(corpus: Corpus) -> tuple[int, bool]:
    return corpus.articles, corpus.name.startswith(PREFIX)


def _label(corpus: Corpus) -> str:
    simulated = corpus.name.startswith(PREFIX)
    return f"{PREFIX}{corpus.articles:,}" if simulated else f"{corpus.articles:,}"


def measure_size(
    harness: Harness, corpus: Corpus, label: str, updates: tuple[Documents, int] = ({}, 0)
) -> list[Point]:
    """Build, warm queries and a cold query of every system on one corpus; for dvsearch, the
    median update after adding one article (``updates``: articles no corpus holds, runs)."""
    points = []
    for system in harness.systems:
        harness.build(corpus, label, system)
        harness.warm_queries(label, system)
        cold_label, command = harness.cold_command(system, label, corpus.folder)
        cold = median_seconds(command, harness.cold_runs, harness.cwd, harness.env)
        log(f"{system} on {label}: cold {cold_label} {cold * 1e3:.0f} ms")
        update = update_seconds(harness, corpus, label, *updates) if system == "dvsearch" else 0.0
        points.append(_point(harness, corpus, label, system, cold, update))
    return points


def update_seconds(
    harness: Harness, corpus: Corpus, label: str, held_back: Documents, runs: int
) -> float:
    """The median wall time of ``dvsearch index`` after one new article is copied in, fsync
    on; each run adds another held-back article and an untimed update takes it out again.
    0.0 when ``runs`` is 0. The corpus folder is left as it was found."""
    if runs <= 0:
        return 0.0
    if len(held_back) < runs:
        raise MeasureError(f"only {len(held_back)} held-back articles for {runs} updates")
    index = harness.index_path(label, "dvsearch")
    update = [sys.executable, "-m", "dvsearch", "index", "--index", str(index)]
    env = {**harness.env, FSYNC_VARIABLE: "1"}
    run_measured(update, harness.cwd, env)  # untimed: files into the page cache, stamps settled
    times = []
    for docid, text in list(held_back.items())[:runs]:
        added = corpus.folder / f"{docid}.txt"
        added.write_text(text, encoding="utf-8")
        try:
            done = run_measured(update, harness.cwd, env)
        finally:
            added.unlink()
        if not done.stdout.strip().splitlines()[-1].startswith("1 added, 0 updated, 0 removed"):
            raise MeasureError(f"the update did not add 1 article: {done.stdout}")
        times.append(done.seconds)
        run_measured(update, harness.cwd, env)
    log(f"dvsearch on {label}: update after adding 1 article {statistics.median(times):.2f} s")
    return statistics.median(times)


def seeds_cold(harness: Harness) -> dict[str, float]:
    """Each system's cold query on the five seeds beside ``python -c pass``, for the ratio."""
    harness.cold_starts("seeds", ROOT / "seeds")
    return {step.label: step.seconds for step in harness.results.cold["seeds"]}


def _point(
    harness: Harness, corpus: Corpus, label: str, system: str, cold: float, update: float
) -> Point:
    build = harness.results.build(system, label)
    latency = harness.results.latency(system, label)
    if build is None or latency is None:
        raise MeasureError(f"{system} on {label}: no build or no warm figures")
    return Point(
        system,
        label,
        corpus.articles,
        corpus.text_mb,
        build.seconds,
        build.peak_rss_mb,
        build.index_mb,
        latency.quantile(0.5),
        latency.quantile(0.95),
        cold,
        update,
    )


def _notes(harness: Harness, options: argparse.Namespace) -> list[str]:
    queries = len(harness.results.queries)
    notes = [*harness.results.notes, *harness.notes()]
    notes.append(
        f"{queries} queries, {harness.results.rounds} timed round(s); cold queries: the median"
        f" of {harness.cold_runs} fresh processes, commands as in `speed.py`'s report"
    )
    if options.update_runs > 0:
        notes.append(
            "update +1: `python -m dvsearch index --index INDEX` with DVSEARCH_FSYNC=1 after one"
            " held-back article (in no corpus) is copied into the articles folder; the median"
            f" of {options.update_runs} runs, each adding another article, after one untimed"
            " no-change update; an untimed update removes each article again"
        )
    if any(size.startswith(PREFIX) for size in options.sizes):
        notes.append(
            f"`{PREFIX}N` corpora are simulated: real headlines and real sentences recombined"
            " to the real distribution of paragraph counts and lengths (`scale_corpus.py`);"
            " their vocabulary is the real corpus's, so their term dictionaries are smaller"
            " than those of a real archive that size"
        )
    return notes


def _name(options: argparse.Namespace, results: ScaleResults) -> str:
    if options.quick:
        return "scale-quick.md"
    sizes = [
        str(point.articles) for point in results.points if point.system == results.points[0].system
    ]
    return "scale-" + "-".join(sizes) + ".md"


if __name__ == "__main__":
    sys.exit(main())
