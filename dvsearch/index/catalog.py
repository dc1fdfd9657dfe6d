"""What the index holds: one stored article, the list of all of them, counts by year."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from dvsearch.errors import ArticleNotFoundError
from dvsearch.index.build import open_index
from dvsearch.index.fields import stored_article

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


def load_article(index_dir: Path, key: str) -> Article:
    """The indexed article whose id (its path under the articles folder), file name or name
    without extension is ``key``; a name two articles share is refused with both paths."""
    with open_index(index_dir).searcher() as searcher:
        found = _find(searcher, key)
    if len(found) == 1:
        return _article(found[0])
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


def list_articles(index_dir: Path) -> list[ArticleSummary]:
    """Every indexed article, newest first; undated ones last, by file name."""
    with open_index(index_dir).searcher() as searcher:
        summaries = [_summary(fields) for fields in searcher.all_stored_fields()]
    summaries.sort(key=lambda s: s.path)
    summaries.sort(key=lambda s: s.published or "", reverse=True)
    return summaries


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
