"""The array scorer against whoosh's own matchers: the same articles, order, scores and counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dvsearch.engine import scoring
from dvsearch.index.build import update_index
from dvsearch.search import runs
from dvsearch.search.searcher import Searcher

from .conftest import write_sentence_corpus

QUERIES = [
    "Dân vận khéo",
    "dan van kheo",
    "công tác dân vận",
    '"Ban Dân vận"',
    '"giao ban công tác"',
    "Mặt trận Tổ quốc",
    "MTTQ",
    "HĐND tỉnh",
    "Tỉnh uỷ Thanh Hóa",
    "464-QĐ/TU",
    "dân vận -Lang",
    "dân vận OR mặt trận",
    "title:dân vận",
    "hội nghị AND (sơ kết OR tổng kết)",
    "ý kiến ở cơ sở",
    "triên khai",
]


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty dated articles made of seed sentences, so that phrases, ties and near-ties abound."""
    root = tmp_path_factory.mktemp("mixed")
    folder = write_sentence_corpus(root / "articles", 60, 6, seed=7, dated=True)
    index_dir = folder.parent / "index"
    update_index(folder, index_dir)
    return index_dir


@contextmanager
def _engines(index_dir: Path) -> Iterator[tuple[Searcher, Searcher]]:
    """The numpy scorer and whoosh's matchers, the reference, on one index."""
    with (
        Searcher(index_dir, engine="arrays") as fast,
        Searcher(index_dir, engine="whoosh") as plain,
    ):
        yield fast, plain


Ranking = tuple[list[tuple[str, bool]], int, int]


def _ranking(searcher: Searcher, query: str, **options: object) -> Ranking:
    """The hits (with whether each has every word) and both counts."""
    result = searcher.search(query, passages=0, **options)  # type: ignore[arg-type]
    hits = [(Path(hit.path).stem, hit.all_words) for hit in result.hits]
    return hits, result.total, result.total_all


@pytest.mark.parametrize("limit", [1, 3, 10, 100])
def test_array_scorer_ranks_as_whoosh_does(mixed_index: Path, limit: int) -> None:
    with _engines(mixed_index) as (fast, plain):
        for query in QUERIES:
            assert _ranking(fast, query, limit=limit) == _ranking(plain, query, limit=limit), query


def test_array_scores_equal_whoosh_scores(mixed_index: Path) -> None:
    with _engines(mixed_index) as (fast, plain):
        for query in QUERIES:
            ours = [hit.score for hit in fast.search(query, limit=20, passages=0).hits]
            theirs = [hit.score for hit in plain.search(query, limit=20, passages=0).hits]
            assert ours == pytest.approx(theirs, rel=1e-9), query


def test_array_scorer_filters_and_sorts_by_date_as_whoosh_does(mixed_index: Path) -> None:
    options = {"since": "2019", "until": "2021-06-30", "limit": 50}
    with _engines(mixed_index) as (fast, plain):
        for query in ("dân vận", '"Ban Dân vận"'):
            assert _ranking(fast, query, **options) == _ranking(plain, query, **options)
            fast_dates = [(h.published, h.id) for h in fast.search(query, sort="date").hits]
            plain_dates = [(h.published, h.id) for h in plain.search(query, sort="date").hits]
            assert fast_dates == plain_dates
            dates = [published or "" for published, _ in fast_dates]
            assert dates == sorted(dates, reverse=True)


def test_array_scorer_skips_deleted_articles(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"Tin {n}\n\nCông tác dân vận số {n}.\n", "utf-8")
    index_dir = tmp_path / "index"
    update_index(folder, index_dir)
    (folder / "a1.txt").unlink()
    update_index(folder, index_dir)
    with Searcher(index_dir, engine="arrays") as fast:
        assert sorted(_ranking(fast, "dân vận")[0]) == [("a0", True), ("a2", True)]


def test_a_count_hanging_on_many_phrase_checks_is_estimated_but_the_top_is_exact(
    mixed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "EXACT_COUNT_LIMIT", 0)
    monkeypatch.setattr(scoring, "_COUNT_SAMPLE", 2)
    monkeypatch.setattr(scoring, "_FIRST_BATCH", 1)
    # The run rerank asks a long query for its best 50, checked exactly: kept to the one asked.
    monkeypatch.setattr(runs, "MIN_SYLLABLES", 99)
    with _engines(mixed_index) as (fast, plain):
        for query in ['"công tác dân vận"', '"Ban Dân vận"', "MTTQ", "Dân vận khéo"]:
            ours = fast.search(query, limit=1, passages=0)
            theirs = plain.search(query, limit=1, passages=0)
            assert [h.id for h in ours.hits] == [h.id for h in theirs.hits], query
        phrase = fast.search('"công tác dân vận"', limit=1, passages=0)
        words = plain.search("công AND tác AND dân AND vận", limit=1, passages=0)
    # Estimated: at least the hit shown, at most the articles holding all the words.
    assert (phrase.total_exact, 1 <= phrase.total <= words.total) == (False, True)
    # The phrase is the "all words" query too: its count is estimated alike.
    assert (phrase.total_all_exact, phrase.total_all) == (False, phrase.total)


@pytest.fixture(scope="module")
def many_blocks_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough articles that common words span several posting blocks (128 articles each), in
    two segments: the phrase checks jump between blocks by their directory."""
    root = tmp_path_factory.mktemp("blocks")
    folder = write_sentence_corpus(root / "articles", 330, 3, seed=11)
    index_dir = root / "index"
    later = root / "later"
    later.mkdir()
    for path in sorted(folder.iterdir())[280:]:
        path.rename(later / path.name)
    update_index(folder, index_dir)
    for path in sorted(later.iterdir()):
        path.rename(folder / path.name)
    update_index(folder, index_dir)
    return index_dir


def test_phrases_over_many_blocks_and_segments_match_whoosh(many_blocks_index: Path) -> None:
    with _engines(many_blocks_index) as (fast, plain):
        assert len(fast._searcher.reader().leaf_readers()) == 2
        for query in ['"công tác dân vận"', '"dân vận"', "Ban Dân vận tỉnh", '"Mặt trận"']:
            for limit in (1, 10, 400):
                ours = _ranking(fast, query, limit=limit)
                assert ours == _ranking(plain, query, limit=limit), (query, limit)
        assert fast.search('"công tác dân vận"').total > 128, "too few matches to span blocks"


# The optional side of an AndMaybe (a phrase's exact-accent bonus) is left behind when an And
# skips to the next article: whoosh's own AndMaybe matcher skips it to the article asked for,
# "a2", where its required side (the phrase) lands on "a3". The AND then scored "a3" without
# its bonus (4.38, not 2.44 + 2.75): less than its halves, and not what the array scorer says.
AND_OF_AND_MAYBES = {
    "a1.txt": "Tin một\n\nNgười dân Hà Nội đi làm.",
    "a2.txt": "Giao thông\n\nĐường ở Hà Tĩnh.",
    "a3.txt": "Giao thông\n\nĐường phố Hà Nội đông xe.",
    "b1.txt": "Tin khác\n\nHọp bàn kế hoạch.",
}


def _scores(searcher: Searcher, query: str) -> dict[str, float | None]:
    return {Path(hit.path).stem: hit.score for hit in searcher.search(query, passages=0).hits}


def test_an_and_scores_the_sum_of_its_halves_on_both_engines(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in AND_OF_AND_MAYBES.items():
        (folder / name).write_text(text, encoding="utf-8")
    update_index(folder, tmp_path / "index")
    with _engines(tmp_path / "index") as (fast, plain):
        for searcher in (fast, plain):
            both = _scores(searcher, 'body:"Hà Nội" AND title:giao thông')
            place = _scores(searcher, 'body:"Hà Nội"')["a3"]
            topic = _scores(searcher, "title:giao thông")["a3"]
            assert place is not None and topic is not None
            assert both == {"a3": pytest.approx(place + topic, rel=1e-12)}
