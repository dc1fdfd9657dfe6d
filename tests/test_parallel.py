"""A build split over worker processes gives the index a one-process build gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvsearch.index import parallel
from dvsearch.index.build import update_index
from dvsearch.index.parallel import contiguous_shares
from dvsearch.search.searcher import Searcher

from .conftest import write_sentence_corpus
from .test_scoring import QUERIES


def _corpus(folder: Path) -> Path:
    write_sentence_corpus(folder, 41, 5, seed=11)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def _build(monkeypatch: pytest.MonkeyPatch, seeds: Path, index_dir: Path, workers: int) -> str:
    monkeypatch.setattr(parallel, "worker_count", lambda articles: workers)
    report = update_index(seeds, index_dir)
    return f"{report.added} added, warnings: {report.warnings}"


def test_parallel_build_ranks_exactly_as_a_single_process_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = _corpus(tmp_path / "articles")
    serial = _build(monkeypatch, seeds, tmp_path / "serial", 1)
    parallel = _build(monkeypatch, seeds, tmp_path / "parallel", 2)
    assert parallel == serial
    assert "41 added" in serial and "empty.txt" in serial
    with Searcher(tmp_path / "serial") as one, Searcher(tmp_path / "parallel") as two:
        for query in QUERIES:
            expected = one.search(query, limit=50, passages=1)
            found = two.search(query, limit=50, passages=1)
            assert found.total == expected.total, query
            assert [(h.id, h.passages) for h in found.hits] == [
                (h.id, h.passages) for h in expected.hits
            ], query
            assert [h.score for h in found.hits] == pytest.approx(
                [h.score for h in expected.hits], rel=1e-9
            ), query


def test_workers_are_started_only_for_enough_articles() -> None:
    assert [parallel.worker_count(n, cores=2) for n in (0, 399, 400, 38_000)] == [1, 1, 2, 2]
    assert parallel.worker_count(1_000, cores=8) == 1_000 // parallel.MIN_ARTICLES_PER_WORKER


@pytest.mark.parametrize(
    ("sizes", "workers", "shares"),
    [
        ([1] * 10, 2, [(0, 5), (5, 10)]),
        ([1] * 10, 3, [(0, 3), (3, 7), (7, 10)]),
        ([50, 10, 10, 10, 10, 10], 2, [(0, 1), (1, 6)]),
        ([10, 10, 10, 10, 10, 50], 2, [(0, 5), (5, 6)]),
        ([7], 2, [(0, 0), (0, 1)]),
    ],
)
def test_shares_keep_order_and_balance_the_text(
    sizes: list[int], workers: int, shares: list[tuple[int, int]]
) -> None:
    assert contiguous_shares(sizes, workers) == shares
