"""The rerank by the longest run of query words in a row (dvsearch/search/runs.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.engine.results import Ranked
from dvsearch.search import runs
from dvsearch.search.runs import RunRerank, factor
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.syllables import syllables

Build = Callable[[dict[str, str]], Path]

# The fragment a reader remembers, said once in a row in a long article; the distractor, short,
# says its words more often, in pairs at most, and so wins on BM25 and the pair phrases alone.
FRAGMENT = "phát hiện thi thể không đầu"
ARTICLES = {
    "target.txt": "Tin trong tỉnh\n\nSáng nay người dân đi thả lưới ở lòng hồ. Họ phát hiện thi"
    " thể không đầu trôi gần bờ. Công an xã đã có mặt và lập biên bản. Người dân trong vùng cho"
    " biết mực nước hồ năm nay dâng cao, thuyền bè qua lại nhiều hơn mọi năm. Chính quyền"
    " khuyến cáo bà con cẩn thận khi ra hồ.",
    "distractor.txt": "Điều tra vụ án\n\nCông an phát hiện một thi thể. Đầu tiên không ai phát"
    " hiện ra. Thi thể được đưa về. Không có dấu hiệu gì, đầu mối phát hiện không rõ. Thi thể"
    " nằm ở đầu cầu.",
    "weather.txt": "Thời tiết\n\nTrời nắng đẹp, không mưa.",
}


def _ids(index_dir: Path, engine: str, query: str) -> list[str]:
    with Searcher(index_dir, engine=engine) as searcher:
        return [hit.id for hit in searcher.search(query, limit=5).hits]


def _without_rerank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RunRerank, "for_query", classmethod(lambda cls, runs, limit: None))


@pytest.mark.parametrize("query", [FRAGMENT, "phat hien thi the khong dau"])
def test_the_article_holding_the_fragment_in_a_row_outranks_one_with_its_words_scattered(
    build_corpus: Build, engine: str, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = build_corpus(ARTICLES)
    reranked = _ids(index_dir, engine, query)
    _without_rerank(monkeypatch)
    assert (_ids(index_dir, engine, query)[:2], reranked[:2]) == (
        ["distractor.txt", "target.txt"],
        ["target.txt", "distractor.txt"],
    )


def test_a_headline_whose_words_no_article_holds_in_a_row_keeps_its_order(
    build_corpus: Build, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = build_corpus(ARTICLES)
    headline = "Công an điều tra thi thể trôi trên hồ"
    reranked = _ids(index_dir, engine, headline)
    _without_rerank(monkeypatch)
    assert reranked == _ids(index_dir, engine, headline)


def test_a_short_query_is_not_reranked() -> None:
    assert RunRerank.for_query([syllables("thi thể không")], limit=10) is None


def test_a_run_shorter_than_three_syllables_changes_no_score() -> None:
    expected = (1.0, 1.0 + runs.WEIGHT * 0.75**runs.EXPONENT, 1.0 + runs.WEIGHT)
    assert (factor(2, 2), factor(3, 4), factor(6, 6)) == expected


def test_a_run_of_less_than_three_quarters_of_the_query_changes_no_score() -> None:
    # A question's framing words in a row (5 of "Iqbal mở công ty khai thác mỏ nào") are
    # what a distractor holds; the answer paraphrases them.
    assert (factor(5, 8), factor(6, 8)) == (1.0, 1.0 + runs.WEIGHT * 0.75**runs.EXPONENT)


class _Runs:
    """Runs of a made-up archive: article 1 holds the whole query in a row, the others two."""

    def longest_runs(self, field: str, terms: list[str], docnums: list[int]) -> dict[int, int]:
        return {d: 4 if d == 1 else 2 for d in docnums}


def test_the_rerank_cuts_to_the_limit_and_keeps_the_all_words_flags_of_those_kept() -> None:
    rerank = RunRerank((("a", "b", "c", "d"),), limit=1)
    ranked = Ranked([(0, 3.0), (1, 2.0), (2, 1.0)], 3, True, 2, True, frozenset({0, 1}))
    reordered = rerank.apply(ranked, _Runs())
    assert (reordered.best, reordered.all_words) == ([(1, 2.0 * (1 + runs.WEIGHT))], {1})


class _AskedRuns(_Runs):
    """``_Runs``, remembering which articles it was asked about."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def longest_runs(self, field: str, terms: list[str], docnums: list[int]) -> dict[int, int]:
        self.asked += docnums
        return super().longest_runs(field, terms, docnums)


def test_an_article_no_run_can_lift_into_the_hits_is_not_looked_up() -> None:
    """Article 2 doubled stays below article 1, the last kept: its runs cannot matter."""
    rerank = RunRerank((("a", "b", "c", "d"),), limit=2)
    source = _AskedRuns()
    ranked = Ranked([(0, 7.0), (1, 4.0), (3, 2.5), (2, 1.0)], 4, True, 4, True, frozenset())
    reordered = rerank.apply(ranked, source)
    assert (source.asked, reordered.best) == ([0, 1, 3], [(1, 4.0 * (1 + runs.WEIGHT)), (0, 7.0)])
