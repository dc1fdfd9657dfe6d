"""Relevance of dvsearch against SQLite FTS5 and whoosh on the shared Vietnamese test collections.

Run by hand from the repository root; ``--quick`` takes about seven minutes on two cores:

    python benchmarks/relevance.py --quick

The collections are written out as article files under the work folder, every system indexes the
same files, every query is run in every typed form, and the scores go to a markdown report.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from relevance_data import (
    COLLECTIONS,
    SCALES,
    Collection,
    Scale,
    index_documents,
    load_collection,
    write_articles,
)
from relevance_forms import FORMS
from relevance_peers import OPTIONAL_SYSTEMS, Run, System, SystemRunError, make_system
from relevance_report import Results, Timed, evaluate, render

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ["dvsearch", "fts5", "whoosh"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report and write it to ``--out``; 1 when a step failed."""
    arguments = sys.argv[1:] if argv is None else argv
    options = parse_args(arguments)
    try:
        markdown = run_benchmark(
            options, shlex.join(["python", "benchmarks/relevance.py", *arguments])
        )
    except (SystemRunError, OSError) as error:
        print(f"relevance: {error}", file=sys.stderr)
        return 1
    print(markdown, end="")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="150 queries, small indexes")
    size.add_argument("--smoke", action="store_true", help="a few dozen queries, for the tests")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "relevance")
    parser.add_argument("--out", type=Path, help="report file (default under benchmarks/results)")
    parser.add_argument("--systems", type=_names(SYSTEMS + OPTIONAL_SYSTEMS), default=SYSTEMS)
    parser.add_argument("--collections", type=_names(list(COLLECTIONS)), default=list(COLLECTIONS))
    parser.add_argument("--forms", type=_names(list(FORMS)), default=list(FORMS))
    parser.add_argument("--max-queries", type=int, help="at most N queries per collection")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="dvsearch batches run at a time (default: one per core)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild dvsearch's index instead of updating it"
    )
    return parser.parse_args(argv)


def _names(choices: list[str]) -> Callable[[str], list[str]]:
    """A parser of comma-separated names, each one of ``choices``."""

    def parse(value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)}")
        return names

    return parse


def run_benchmark(options: argparse.Namespace, command: str) -> str:
    """Prepare, build, query and score; return the report after writing it."""
    scale = SCALES["quick" if options.quick else "smoke" if options.smoke else "full"]
    data = options.shared / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"no shared data in '{data}': pass --shared PATH")
    work = options.work.resolve() / scale.name
    date = datetime.now().astimezone().isoformat(timespec="seconds")
    results = Results(command, date, os.cpu_count(), scale.name, options.systems, options.forms)
    results.jobs = options.jobs
    collections = [
        load_collection(data, n, scale, options.max_queries) for n in options.collections
    ]
    systems = [make_system(name, work, options.rebuild) for name in options.systems]
    for index in dict.fromkeys(c.index for c in collections):
        articles = prepare_articles(data, index, collections, scale, work, results)
        for system in systems:
            results.builds[index, system.name] = build(system, index, articles)
    for collection in collections:
        describe(collection, results)
    batches = [Batch(c, f, s) for c in collections for f in options.forms for s in systems]
    load = os.getloadavg()[0]
    run_batches(batches, options.jobs, work, results)
    results.notes += [note for system in systems for note in system.notes()]
    results.notes.append(_load_note(load, os.getloadavg()[0]))
    out = options.out or ROOT / "benchmarks" / "results" / _report_name(scale.name)
    return write_report(results, out)


def write_report(results: Results, out: Path) -> str:
    """Render the report and write it to ``out``."""
    markdown = render(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    log(f"report written to {out}")
    return markdown


def _load_note(before: float, after: float) -> str:
    """The load average around the batches: other work on the machine slows every timing."""
    note = f"load average (1 min) {before:.1f} before the batches, {after:.1f} after"
    if max(before, after) > (os.cpu_count() or 1):
        note += ": more than the CPUs, so other work slowed the timings"
    return note


def _report_name(scale: str) -> str:
    return "relevance.md" if scale == "full" else f"relevance-{scale}.md"


def prepare_articles(
    data: Path,
    index: str,
    collections: list[Collection],
    scale: Scale,
    work: Path,
    results: Results,
) -> Path:
    """Write (or reuse) the article folder of one index and note its size in the report."""
    docs = index_documents(data, index, collections, scale)
    folder = work / "articles" / index
    reused = write_articles(folder, docs)
    megabytes = sum(len(text.encode("utf-8")) for text in docs.values()) / 1e6
    log(f"{'reused' if reused else 'wrote'} {len(docs):,} article files in {folder}")
    results.corpora[index] = f"{len(docs):,} articles, {megabytes:.1f} MB of text"
    return folder


def build(system: System, index: str, articles: Path) -> Timed:
    """Index the article folder with one system, timed."""
    start = time.perf_counter()
    note = system.build(index, articles)
    timed = Timed(time.perf_counter() - start, note)
    log(f"{system.name} built index {index} in {timed.seconds:.1f} s ({note})")
    return timed


def describe(collection: Collection, results: Results) -> None:
    """Note in the report how many queries each reported collection has."""
    for name, qids in collection.subsets.items():
        results.collections[name] = f"{len(qids):,} queries on index `{collection.index}`"


class Batch(NamedTuple):
    """Every query of a collection, in one form, through one system."""

    collection: Collection
    form: str
    system: System


def run_batches(batches: list[Batch], jobs: int, work: Path, results: Results) -> None:
    """Run, save and score every batch.

    Batches of a system in its own process run ``jobs`` at a time, one per core, which leaves
    each batch's time as it would be alone; the in-process peers then run one at a time.
    """
    apart = [batch for batch in batches if batch.system.separate_process]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            for batch, outcome in zip(apart, pool.map(search, apart), strict=True):
                record(batch, *outcome, work, results)
        except SystemRunError:
            pool.shutdown(cancel_futures=True)  # the batches already running still finish
            raise
    for batch in batches:
        if not batch.system.separate_process:
            record(batch, *search(batch), work, results)


def search(batch: Batch) -> tuple[Run, float]:
    """The run of one batch, and its wall time in seconds."""
    collection, form, system = batch
    queries = {qid: FORMS[form](text, qid) for qid, text in collection.queries.items()}
    start = time.perf_counter()
    run = system.search(collection.index, f"{collection.name}-{form}", queries)
    return run, time.perf_counter() - start


def record(batch: Batch, run: Run, seconds: float, work: Path, results: Results) -> None:
    """Save a batch's run for inspection and score it on each reported query subset."""
    collection, form, system = batch
    timed = Timed(seconds, queries=len(collection.queries))
    results.batches[collection.name, form, system.name] = timed
    trec = work / "runs" / f"{collection.name}-{collection.index}" / f"{system.name}-{form}.trec"
    save_trec(trec, run, system.name)
    for name, qids in collection.subsets.items():
        qrels = {qid: docs for qid, docs in collection.qrels.items() if qid in qids}
        results.scores[name, form, system.name] = evaluate(qrels, run)
    ndcg = results.scores[collection.name, form, system.name]["nDCG@10"]
    log(f"{collection.name} {form} {system.name}: {seconds:.1f} s, nDCG@10 {ndcg:.3f}")


def save_trec(path: Path, run: Run, tag: str) -> None:
    """Write a run in TREC format for inspection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (
        f"{qid} Q0 {docid} {rank} {score:.4f} {tag}\n"
        for qid, ranking in run.items()
        for rank, (docid, score) in enumerate(ranking, start=1)
    )
    path.write_text("".join(lines), encoding="utf-8")


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the report."""
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
