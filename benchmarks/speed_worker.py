"""The speed harness's child process: build a peer's index, or time warm queries on one system.

Each build and each query session runs in a process of its own, so its wall time and peak memory
are measured the same way as dvsearch's own command line. Results go to stdout as JSON.

    python benchmarks/speed_worker.py build whoosh ARTICLES INDEX
    python benchmarks/speed_worker.py query fts5 INDEX QUERIES.json ROUNDS
    python benchmarks/speed_worker.py checksums dvsearch INDEX RUNS
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import speed_recoll
import speed_tantivy
import speed_whoosh
from relevance_peers import Fts5, iter_articles
from speed_queries import fts5_match

LIMIT = 10
FTS5_SQL = (
    "SELECT docid, snippet(docs, 1, '[', ']', '…', 16) FROM docs"
    " WHERE docs MATCH ? ORDER BY rank LIMIT ?"
)

Search = Callable[[str], int]  # runs one query, returns how many hits it showed


def main(argv: list[str]) -> int:
    """Dispatch ``build SYSTEM ARTICLES INDEX``, ``query SYSTEM INDEX QUERIES ROUNDS`` or
    ``checksums dvsearch INDEX RUNS``."""
    action, system, *rest = argv
    if action == "build":
        articles, target = (Path(arg) for arg in rest)
        BUILDERS[system](articles, target)
        print(json.dumps({"built": str(target)}))
    elif action == "checksums":
        print(json.dumps(time_checksums(Path(rest[0]), int(rest[1]))))
    else:
        index, queries = Path(rest[0]), Path(rest[1])
        print(json.dumps(time_queries(system, index, _load(queries), int(rest[2]))))
    return 0


def build_whoosh(articles: Path, folder: Path) -> None:
    """The floor: bare whoosh (``speed_whoosh.py``)."""
    speed_whoosh.build(iter_articles(articles), folder)


def build_tantivy(articles: Path, folder: Path) -> None:
    """The compiled reference: tantivy (``speed_tantivy.py``)."""
    speed_tantivy.build(iter_articles(articles), folder)


def build_fts5(articles: Path, database: Path) -> None:
    """The compiled peer, exactly as the relevance harness builds it (body stored by FTS5)."""
    Fts5(database.parent).build(database.stem, articles)


BUILDERS: dict[str, Callable[[Path, Path], None]] = {
    "whoosh": build_whoosh,
    "fts5": build_fts5,
    "tantivy": build_tantivy,
    "recoll": speed_recoll.build,
}


def time_queries(system: str, index: Path, queries: dict[str, str], rounds: int) -> dict[str, Any]:
    """Open the index, run every query once untimed, then time ``rounds`` passes over them.

    The untimed pass is what makes the figures warm: the process has its modules, the index's
    files are in the page cache and any per-index caches are filled.
    """
    start = time.perf_counter()
    search = OPENERS[system](index)
    opened = time.perf_counter() - start
    hits = {qid: search(text) for qid, text in queries.items()}
    seconds: dict[str, list[float]] = {qid: [] for qid in queries}
    for _ in range(rounds):
        for qid, text in queries.items():
            start = time.perf_counter()
            search(text)
            seconds[qid].append(time.perf_counter() - start)
    latency = {qid: statistics.median(times) for qid, times in seconds.items()}
    return {"open_seconds": opened, "seconds": latency, "hits": hits}


def time_checksums(index: Path, runs: int) -> dict[str, Any]:
    """dvsearch's checksum record and verification of its live generation, each the median of
    ``runs`` calls after one untimed verification (so the files are in the page cache).

    The record is written again over the live one: its files are unchanged, so it must come
    out byte for byte the same, which is checked.
    """
    from dvsearch.index import integrity, store  # from the snapshot, as in open_dvsearch

    generation = index / store.read_manifest(index)["generation"]
    record = generation / integrity.CHECKSUMS_NAME
    before = record.read_bytes()
    report = integrity.verify(generation)
    if report.damage or not report.recorded:
        raise SystemExit(f"{generation}: not a sound, recorded generation: {report}")
    recording = _median(lambda: integrity.record_checksums(generation), runs)
    if record.read_bytes() != before:
        raise SystemExit(f"{record} changed when recorded again over unchanged files")
    verifying = _median(lambda: integrity.verify(generation), runs)
    return {
        "files": report.files,
        "bytes": report.size,
        "record_seconds": recording,
        "verify_seconds": verifying,
    }


def _median(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def open_dvsearch(index: Path) -> Search:
    """dvsearch's library, as its ``query --batch`` uses it: search, then passages for each hit."""
    from dvsearch.search.searcher import (
        Searcher,  # only this worker needs dvsearch, from the snapshot
    )

    searcher = Searcher(index)

    def search(text: str) -> int:
        result = searcher.search(text, limit=LIMIT)
        return sum(1 for hit in result.hits if hit.passages is not None)

    return search


def open_fts5(database: Path) -> Search:
    """FTS5's bm25 ranking and one ``snippet()`` a hit (FTS5 has no several-fragment call)."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)

    def search(text: str) -> int:
        match = fts5_match(text)
        return len(db.execute(FTS5_SQL, (match, LIMIT)).fetchall()) if match else 0

    return search


OPENERS: dict[str, Callable[[Path], Search]] = {
    "dvsearch": open_dvsearch,
    "whoosh": speed_whoosh.open_search,
    "fts5": open_fts5,
    "tantivy": speed_tantivy.open_search,
    "recoll": speed_recoll.open_search,
}


def _load(path: Path) -> dict[str, str]:
    loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
