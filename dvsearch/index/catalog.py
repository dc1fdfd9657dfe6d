"""What the index holds: one stored article, the list of them (filtered, sorted, cut short),
counts by year."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from dvsearch.errors import ArticleNotFoundError
from dvsearch.index import store
from dvsearch.index.build import open_index
from dvsearch.index.fields import stored_article
from dvsearch.search.query import in_date_range
from dvsearch.vietnamese.text import folded_form, search_form

if TYPE_CHECKING:
    from dvsearch.articles.parsing import Article


@dataclass(frozen=True)
class ArticleSummary:
    """One line of the article list."""

    id: str
    path: str
    title: str
    published: str | None
    author: str | None
    words: int


CATALOG_ORDERS = ("date", "title", "path")


@dataclass(frozen=True)
class CatalogFilter:
    """Which articles to list and in what order; by default every one, newest first.

    ``since``/``until`` are ISO prefixes as ``parse_date_bound`` gives them (a range leaves
    undated articles out); ``author`` matches whole words of the byline, whatever the case or
    accents (``huong lan`` finds ``Hương Lan``, not ``Hương Lanh``).
    """

    since: str | None = None
    until: str | None = None
    author: str | None = None
    sort: str = "date"
    limit: int | None = None


def load_article(index_dir: Path, key: str) -> Article:
    """The indexed article whose id (its path under the articles folder), file name or name
    without extension is ``key``; a name two articles share is refused with both paths."""
    with store.reading(index_dir), open_index(index_dir).searcher() as searcher:
        found = [dict(fields) for fields in _find(searcher, key)]
        article = _article(found[0]) if len(found) == 1 else None
    if article is not None:
        return article
    if found:
        paths = ", ".join(sorted(f"'{fields['path']}'" for fields in found))
        raise ArticleNotFoundError(
            f"'{key}' names {len(found)} articles ({paths}): give the path of the one you want"
        )
    raise ArticleNotFoundError(
        f"no indexed article is called '{key}': run 'dvsearch list' to see the ids"
    )


def _find(searcher: Any, key: str) -> list[dict[str, Any]]:
    """The articles ``key`` names: by path first; else by file name or stem, in any folder."""
    # File names may be stored composed or decomposed (macOS writes NFD): try both.
    for form in ("NFC", "NFD"):
        wanted = PurePosixPath(unicodedata.normalize(form, key.replace("\\", "/")))
        fields = searcher.document(path=wanted.as_posix())
        if fields is not None:
            return [fields]
    named = PurePosixPath(unicodedata.normalize("NFC", key.replace("\\", "/")))
    found = []
    for stem in {named.stem, named.name}:
        for fields in searcher.documents(stem=stem):
            file_name = unicodedata.normalize("NFC", PurePosixPath(fields["path"]).name)
            if named.name in (file_name, PurePosixPath(file_name).stem):
                found.append(fields)
    return found


@dataclass(frozen=True)
class Listing:
    """The articles a filter selected, as listed (at most its limit), and how many it matched."""

    articles: list[ArticleSummary]
    matching: int


def list_articles(index_dir: Path, wanted: CatalogFilter | None = None) -> list[ArticleSummary]:
    """The indexed articles ``wanted`` selects, in its order and at most ``limit`` of them;
    by default all, newest first, undated ones last by path."""
    return list_catalog(index_dir, wanted or CatalogFilter()).articles


def list_catalog(index_dir: Path, wanted: CatalogFilter) -> Listing:
    """The listing ``wanted`` asks for, from the articles in the index."""
    with store.reading(index_dir), open_index(index_dir).searcher() as searcher:
        summaries = [_summary(fields) for fields in searcher.all_stored_fields()]
    return select_articles(summaries, wanted)


def select_articles(summaries: list[ArticleSummary], wanted: CatalogFilter) -> Listing:
    """Filter, sort and cut ``summaries`` as ``wanted`` says."""
    matches = _author_matcher(wanted.author)
    chosen = [
        s
        for s in summaries
        if in_date_range(s.published, wanted.since, wanted.until) and matches(s.author)
    ]
    _sort(chosen, wanted.sort)
    listed = chosen if wanted.limit is None else chosen[: wanted.limit]
    return Listing(listed, len(chosen))


def _sort(summaries: list[ArticleSummary], order: str) -> None:
    """Newest first (undated last), by title (accents aside, then with them) or by path;
    ties by path, so the order never depends on how the index was built."""
    summaries.sort(key=lambda s: s.path)
    if order == "date":
        summaries.sort(key=lambda s: s.published or "", reverse=True)
    elif order == "title":
        summaries.sort(key=lambda s: (folded_form(s.title), search_form(s.title)))
    elif order != "path":
        raise ValueError(f"unknown order {order!r}: one of {', '.join(CATALOG_ORDERS)}")


def _author_matcher(author: str | None) -> Callable[[str | None], bool]:
    """Whether a byline holds the words of ``author`` in a row, case and accents aside."""
    if author is None or not author.split():
        return lambda _: True
    needle = _padded_words(author)
    return lambda byline: byline is not None and needle in _padded_words(byline)


def _padded_words(text: str) -> str:
    """``Hương  Lan`` as ``" huong lan "``: a substring test on it matches whole words."""
    return f" {' '.join(folded_form(text).split())} "


def count_by_year(summaries: list[ArticleSummary]) -> dict[str, int]:
    """How many articles were published each year, oldest first; ``unknown`` for undated."""
    counts = Counter(s.published[:4] if s.published else "unknown" for s in summaries)
    return dict(sorted(counts.items()))


def _article(fields: dict[str, Any]) -> Article:
    from dvsearch.articles.parsing import Article  # its parsing rules cost a query's start-up

    stored = stored_article(fields)
    return Article(
        id=stored.id,
        path=stored.path,
        title=stored.title,
        title_derived=stored.title_derived,
        published=stored.published,
        page_date=stored.page_date,
        author=stored.author,
        source=stored.source,
        paragraphs=stored.paragraphs,
    )


def _summary(fields: dict[str, Any]) -> ArticleSummary:
    stored = stored_article(fields)
    return ArticleSummary(
        id=stored.id,
        path=stored.path,
        title=stored.title,
        published=stored.published,
        author=stored.author,
        words=stored.word_count,
    )
