"""Cost of telling a query that the articles folder changed, on the 37,873 shared news articles.

Run by hand from the repository root:

    python benchmarks/staleness.py              # writes the files and builds: ~5 min at first
    python benchmarks/staleness.py --no-index   # the check on a record alone, no index built

The articles are written as files in a tree like an archive's (``vntc/<split>/<topic>/<paper>/``,
``vietnews/<split>/<block of 100>/``) under the git-ignored work folder, and reused on later runs.
The index is built over them with ``update_index`` (an update when it exists; with --no-index, only
the record an index run would write), then the check a query makes (``check_staleness``) is timed
20 times and the median printed; so are the snapshot an index run takes, and the check after one
file is added (which must say stale).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from relevance_data import news_articles

from dvsearch.index.build import update_index
from dvsearch.index.staleness import check_staleness, snapshot_folders, write_record

ROOT = Path(__file__).resolve().parents[1]
RUNS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "staleness")
    parser.add_argument("--no-index", action="store_true", help="time the folder tree only")
    args = parser.parse_args()
    seeds, index = args.work / "articles", args.work / "index"
    count = write_tree(news_articles(args.shared / "data"), seeds)
    snapshot = snapshot_folders(seeds)
    print(f"{count} articles in {len(snapshot.folders)} folders under {seeds}")
    report("snapshot_folders (each index run)", lambda: snapshot_folders(seeds))
    if args.no_index:
        index = args.work / "record-only"
        record_without_index(seeds, index)
    else:
        started = time.perf_counter()
        summary = update_index(seeds, index)
        print(f"index run: {summary.total} articles in {time.perf_counter() - started:.0f} s")
    assert not check_staleness(index).stale
    report("check_staleness (each query), nothing changed", lambda: check_staleness(index))
    added = seeds / "added-by-benchmark.txt"
    added.write_text("Bài mới.\n", encoding="utf-8")
    try:
        found = check_staleness(index)
        print(f"after adding {added.name}: stale={found.stale} at '{found.path}'")
        report("check_staleness, one file added", lambda: check_staleness(index))
    finally:
        added.unlink()


def write_tree(docs: dict[str, str], seeds: Path) -> int:
    """Each article as ``<folder>/<docid>.txt``; a folder already holding them all is reused."""
    marker = seeds.with_name("articles.count")
    if marker.is_file() and marker.read_text(encoding="utf-8") == str(len(docs)):
        return len(docs)
    for docid, text in docs.items():
        path = seeds / folder_of(docid) / f"{docid}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    marker.write_text(str(len(docs)), encoding="utf-8")
    return len(docs)


def record_without_index(seeds: Path, index: Path) -> None:
    """A stand-in index folder holding only a manifest and the record an index run would
    write over ``seeds``: the check then costs what it costs on a real index."""
    generation = index / "gen-000001"
    generation.mkdir(parents=True, exist_ok=True)
    manifest = {"format": "dvsearch-index", "generation": generation.name}
    (index / "dvsearch.json").write_text(json.dumps(manifest), encoding="utf-8")
    snapshot = snapshot_folders(seeds)
    files = {}
    for path in seeds.rglob("*.txt"):
        info = path.stat()
        files[path.relative_to(seeds).as_posix()] = ("", info.st_size, info.st_mtime_ns)
    write_record(generation, snapshot, files)


def folder_of(docid: str) -> str:
    """``vntc-train-DS-NLD-T-877`` -> ``vntc/train/DS/NLD``; ``vietnews-test-000010`` ->
    ``vietnews/test/000``."""
    parts = docid.split("-")
    if parts[0] == "vietnews":
        return f"vietnews/{parts[1]}/{int(parts[2]) // 100:03d}"
    return "/".join(parts[:4])


def report(what: str, action: Callable[[], object]) -> None:
    """Wall time, and the CPU time of this process (what it costs on an idle machine)."""
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{what}: median {statistics.median(wall):.2f} ms (max {max(wall):.2f}), "
        f"CPU {statistics.median(cpu):.2f} ms ({RUNS} runs)"
    )


if __name__ == "__main__":
    sys.exit(main())
