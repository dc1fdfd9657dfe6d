"""A query's whole match set counted by date, source and writer: the facets of a search.

The counts describe every article ``SearchResult.total`` counts, not only the page shown:
the same query as meant, the same ``--since/--until/--undated`` selection, copies left out.
They are read from the index's columns (``published``, ``source``, ``author``), never from
the stored fields, which would unpickle every match's body. The rules a reader of the
counts can rely on:

- **Periods.** Years; months instead when the dated matches lie within ``MONTHLY_SPAN``
  months of each other (first to last month, both in), so a narrow range is not one bar.
  Every period from the first to the last is listed, empty ones as 0, so a chart shows the
  gaps. The periods and ``undated`` add up to ``total``.
- **Sources.** The source an article credits (``Theo TTXVN``, ``(TTXVN)``), as stored;
  articles crediting none are counted under ``None``, never dropped. The sources add up to
  ``total``.
- **Authors.** Each writer a byline names counts once for the article (``Thu Hà - Minh
  Đức`` counts for both), so authors may add up to more than ``total``; articles without a
  byline are counted under ``None``.
- **Exact.** On a large archive the total of a query with a phrase may be estimated
  (``about N``); the facets check every phrase instead and count the exact set, whose size
  is ``Facets.total`` (it then costs what a query sorted by date costs).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dvsearch.articles.metadata import byline_writers
from dvsearch.search.searcher import Searcher, SearchResult
from dvsearch.vietnamese.text import folded_form

MONTHLY_SPAN = 24  # months: dated matches within two years are counted by month
COLUMNS = ("published", "source", "author")

Counts = tuple[tuple[str | None, int], ...]  # (value, articles), most first; None: none given


@dataclass(frozen=True)
class Facets:
    """How many of a set of articles fall in each period, source and author."""

    total: int  # the articles counted (exact)
    period: str  # "year" or "month"
    periods: tuple[tuple[str, int], ...]  # "2024" or "2024-03", oldest first, gaps as 0
    undated: int
    sources: Counts
    authors: Counts


@dataclass(frozen=True)
class ArticleColumns:
    """The date, source and byline of each of a set of articles, as the columns hold them
    (``""`` for none), one list each, in the same order."""

    published: Sequence[str]
    source: Sequence[str]
    author: Sequence[str]


def count_facets(
    searcher: Searcher,
    query_text: str,
    since: str | None = None,
    until: str | None = None,
    undated: bool = False,
    lenient: bool = False,
) -> Facets:
    """The facets of every article ``searcher.search`` counts for the same arguments."""
    numbers = searcher.matching_articles(query_text, since, until, undated, lenient)
    return facets_of(ArticleColumns(*(searcher.column_values(f, numbers) for f in COLUMNS)))


def search_with_facets(
    index_dir: Path, query_text: str, limit: int = 10, engine: str = "auto", **options: Any
) -> tuple[SearchResult, Facets]:
    """Open the index, run one query and count its facets, close it; ``options`` are
    ``Searcher.search``'s (the date ones select the facets' articles too)."""
    with Searcher(index_dir, engine=engine) as searcher:
        result = searcher.search(query_text, limit=limit, **options)
        dates = {name: options[name] for name in ("since", "until", "undated") if name in options}
        lenient = bool(options.get("lenient", False))
        return result, count_facets(searcher, query_text, lenient=lenient, **dates)


def facets_of(columns: ArticleColumns) -> Facets:
    """Count a set of articles by period, source and author."""
    dates = columns.published
    period, periods = _periods([d for d in dates if d])
    return Facets(
        total=len(dates),
        period=period,
        periods=periods,
        undated=sum(1 for d in dates if not d),
        sources=_most_first(Counter(map(_name, columns.source))),
        authors=_most_first(Counter(w for byline in columns.author for w in _writers(byline))),
    )


def _periods(dates: list[str]) -> tuple[str, tuple[tuple[str, int], ...]]:
    """Counts by year, or by month when the dates span at most ``MONTHLY_SPAN`` months;
    every period between the first and the last, empty ones included."""
    if not dates:
        return "year", ()
    months = Counter(d[:7] for d in dates)
    first, last = _month_number(min(months)), _month_number(max(months))
    if last - first < MONTHLY_SPAN:
        return "month", tuple(
            (_month_key(m), months[_month_key(m)]) for m in range(first, last + 1)
        )
    years = Counter(d[:4] for d in dates)
    span = range(int(min(years)), int(max(years)) + 1)
    return "year", tuple((f"{y:04d}", years[f"{y:04d}"]) for y in span)


def _month_number(key: str) -> int:
    """``2024-03`` as a count of months, so spans and gaps are subtractions."""
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def _month_key(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _name(value: str) -> str | None:
    """A stored name in one form (NFC, single spaces); None for none."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


def _writers(byline: str) -> list[str | None]:
    """Each writer a byline names, once; ``[None]`` for an article without a byline."""
    names = list(dict.fromkeys(filter(None, map(_name, byline_writers(byline)))))
    return list(names) if names else [None]


def _most_first(counts: Counter[str | None]) -> Counts:
    """Most articles first; ties in alphabetical order, accents aside, the unnamed last."""
    return tuple(
        sorted(
            counts.items(),
            key=lambda item: (-item[1], item[0] is None, folded_form(item[0] or ""), item[0] or ""),
        )
    )
