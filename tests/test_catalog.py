"""Reading articles back out of the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvsearch.errors import ArticleNotFoundError
from dvsearch.index.build import update_index
from dvsearch.index.catalog import (
    ArticleSummary,
    CatalogFilter,
    count_by_year,
    list_articles,
    list_catalog,
    load_article,
    select_articles,
)


@pytest.mark.parametrize(
    "key", ["003_c32616b67ea77d11", "003_c32616b67ea77d11.txt", "seeds/003_c32616b67ea77d11.txt"]
)
def test_article_is_found_by_id_file_name_or_path(seeds_index: Path, key: str) -> None:
    assert load_article(seeds_index, key).author == "Mai Trâm"


def test_loaded_article_keeps_its_paragraphs(seeds_index: Path) -> None:
    article = load_article(seeds_index, "001_0e11b1891a069118")
    assert (len(article.paragraphs), article.body.count("Lang Chánh")) == (6, 2)


def test_unknown_article_raises(seeds_index: Path) -> None:
    with pytest.raises(ArticleNotFoundError):
        load_article(seeds_index, "999")


def test_list_is_newest_first(seeds_index: Path) -> None:
    assert [s.id[:3] for s in list_articles(seeds_index)] == ["004", "002", "003", "001", "000"]


def test_counts_by_year(seeds_index: Path) -> None:
    assert count_by_year(list_articles(seeds_index)) == {
        "2017": 1,
        "2019": 1,
        "2021": 1,
        "2024": 1,
        "unknown": 1,
    }


def test_same_named_files_in_two_folders_are_two_articles(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    for folder, word in (("2020", "lúa"), ("2021", "ngô")):
        (seeds / folder).mkdir(parents=True)
        article = f"Nông dân trồng {word}\n\nSáng 12/5, nông dân huyện trồng {word}.\n"
        (seeds / folder / "tin.txt").write_text(article, encoding="utf-8")
    update_index(seeds, tmp_path / "index")
    ids = sorted(summary.id for summary in list_articles(tmp_path / "index"))
    assert ids == ["2020/tin.txt", "2021/tin.txt"]
    assert load_article(tmp_path / "index", "2021/tin.txt").title == "Nông dân trồng ngô"
    with pytest.raises(ArticleNotFoundError) as caught:
        load_article(tmp_path / "index", "tin.txt")
    assert str(caught.value) == (
        "'tin.txt' names 2 articles ('2020/tin.txt', '2021/tin.txt'): "
        "give the path of the one you want"
    )


def _summary(
    path: str, published: str | None, author: str | None, title: str = "Tin"
) -> ArticleSummary:
    return ArticleSummary(path, path, title, published, author, 100)


ARTICLES = [
    _summary("b.txt", "2021-03-01", "Hương Lan", "Đà Nẵng mưa"),
    _summary("a.txt", "2019-12-19T16:00", "Mai Trâm", "ăn tết"),
    _summary("c.txt", None, "NÔNG ĐÌNH QUANG", "Dân vận"),
    _summary("d.txt", "2019-01-05", "Hương Lanh", "an tết"),
]


def _paths(wanted: CatalogFilter) -> list[str]:
    return [s.path for s in select_articles(ARTICLES, wanted).articles]


@pytest.mark.parametrize(
    ("wanted", "paths"),
    [
        (CatalogFilter(), ["b.txt", "a.txt", "d.txt", "c.txt"]),
        (CatalogFilter(sort="path"), ["a.txt", "b.txt", "c.txt", "d.txt"]),
        (
            CatalogFilter(sort="title"),
            ["d.txt", "a.txt", "b.txt", "c.txt"],
        ),  # an tết, ăn tết, Đà Nẵng, Dân vận
        (CatalogFilter(since="2019-12-19T16:00"), ["b.txt", "a.txt"]),
        (CatalogFilter(until="2019"), ["a.txt", "d.txt"]),
        (CatalogFilter(author="huong lan"), ["b.txt"]),  # whole words: not Hương Lanh
        (CatalogFilter(author="  nông  đình "), ["c.txt"]),
        (CatalogFilter(author="HUONG"), ["b.txt", "d.txt"]),
        (CatalogFilter(limit=2), ["b.txt", "a.txt"]),
        (CatalogFilter(since="2019", author="huong", limit=1), ["b.txt"]),
    ],
)
def test_listing_filters_sorts_and_cuts(wanted: CatalogFilter, paths: list[str]) -> None:
    assert _paths(wanted) == paths


def test_a_listing_counts_what_matched_before_the_limit() -> None:
    listing = select_articles(ARTICLES, CatalogFilter(author="huong", limit=1))
    assert (len(listing.articles), listing.matching) == (1, 2)


def test_list_articles_takes_a_filter(seeds_index: Path) -> None:
    found = list_articles(seeds_index, CatalogFilter(since="2020", sort="path"))
    assert [s.id[:3] for s in found] == ["002", "004"]


def test_list_catalog_has_the_listing(seeds_index: Path) -> None:
    listing = list_catalog(seeds_index, CatalogFilter(limit=1))
    assert ([s.id[:3] for s in listing.articles], listing.matching) == (["004"], 5)
