"""The longest run of consecutive terms in given articles, on both engines (engine/positions.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dvsearch.engine.positions import ArrayRuns, MatcherRuns, RunSource
from dvsearch.engine.reader import IndexReader
from dvsearch.engine.scoring import ArrayScorer
from dvsearch.index.build import open_snapshot

Build = Callable[[dict[str, str]], Path]
ARTICLES = {
    "a.txt": "Tiêu đề\n\nphát hiện thi thể không đầu ở hồ, không đầu mối",
    "b.txt": "Tiêu đề\n\nthi thể phát hiện đầu không, phát hiện thi thể",
    "c.txt": "Tiêu đề\n\nlễ lễ lễ tang",
}
QUERY = ["phat", "hien", "thi", "the", "khong", "dau"]


@pytest.fixture
def sources(build_corpus: Build, engine: str) -> Iterator[tuple[RunSource, dict[str, int]]]:
    """The engine's source of runs over the three articles, and each article's number."""
    with open_snapshot(build_corpus(ARTICLES)).index.searcher() as searcher:
        numbers = {searcher.stored_fields(n)["path"]: n for n in range(searcher.doc_count_all())}
        if engine == "whoosh":
            yield MatcherRuns(searcher), numbers
        else:
            yield ArrayRuns(ArrayScorer(IndexReader(searcher))), numbers


def test_the_longest_run_counts_terms_side_by_side_in_query_order(
    sources: tuple[RunSource, dict[str, int]],
) -> None:
    source, numbers = sources
    runs = source.longest_runs("body", QUERY, sorted(numbers.values()))
    assert {path: runs.get(n, 0) for path, n in numbers.items()} == {
        "a.txt": 6,
        "b.txt": 4,
        "c.txt": 0,
    }


def test_only_the_articles_asked_for_are_answered_and_a_repeated_term_counts_each_time(
    sources: tuple[RunSource, dict[str, int]],
) -> None:
    source, numbers = sources
    runs = source.longest_runs("body", ["le", "le", "tang"], [numbers["c.txt"], numbers["b.txt"]])
    assert runs == {numbers["c.txt"]: 3}


def test_a_term_the_index_lacks_ends_every_run(sources: tuple[RunSource, dict[str, int]]) -> None:
    source, numbers = sources
    runs = source.longest_runs("body", ["phat", "hien", "zzz", "thi"], [numbers["a.txt"]])
    assert runs == {numbers["a.txt"]: 2}
