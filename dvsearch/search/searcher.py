"""Run a query against the index and return plain ``Hit`` records with their passages.

How articles are scored is ``ranking.py``'s business; this module opens the index, runs the
query, applies date filters and order, and assembles hits with passages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from dvsearch.engine import bm25, matchers
from dvsearch.engine.files import open_columns
from dvsearch.errors import DvsearchError
from dvsearch.index.build import open_snapshot
from dvsearch.index.fields import stored_article
from dvsearch.search.highlight import MatchTerms, Passage, find_passages
from dvsearch.search.query import parse_query, parse_query_leniently
from dvsearch.search.ranking import QueryBuilder, positive_syllables
from dvsearch.vietnamese.abbreviations import Expander
from dvsearch.vietnamese.text import has_diacritics

if TYPE_CHECKING:
    from dvsearch.engine.scoring import ArrayScorer
    from dvsearch.search.vocabulary import Vocabulary

SORT_ORDERS = ("relevance", "date")
FEW_HITS = 3
# Up to this many articles, ``engine="auto"`` takes whoosh's matchers: the numpy scorer is
# faster per query, but importing numpy costs a fresh process about 65 ms, more than whoosh's
# matchers spend on a query over an archive this small (17 ms median over the speed
# benchmark's queries at 1,000 articles).
SMALL_ARCHIVE = 1_000
ENGINES = ("auto", "whoosh", "arrays")
# Set to ``whoosh`` or ``arrays``, it replaces ``auto``: the command line's tests run on both
# engines this way, and it is how to compare them on an archive by hand.
ENGINE_VARIABLE = "DVSEARCH_ENGINE"


@dataclass(frozen=True)
class Hit:
    """One ranked article."""

    rank: int
    id: str
    path: str
    title: str
    title_derived: bool
    published: str | None
    author: str | None
    score: float | None  # None when sorted by date: whoosh scores only for relevance order
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class SearchResult:
    """The hits for a query, best first, and how many articles matched in all."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None  # the query with accents restored or typos repaired
    total_exact: bool = True  # False when ``total`` is estimated on a large archive


class Searcher:
    """An open index ready for many queries; load once, search often (batch mode uses this)."""

    def __init__(self, index_dir: Path, engine: str = "auto") -> None:
        """``engine`` is ``arrays`` (numpy over the postings), ``whoosh`` (its matchers: the
        same ranking, slower on a large archive; the reference the tests compare with) or
        ``auto``: the engine named by the ``DVSEARCH_ENGINE`` environment variable if set,
        else whoosh's up to ``SMALL_ARCHIVE`` articles and arrays above."""
        engine = _requested_engine(engine)
        # One snapshot: the index, abbreviations and vocabulary of the same run, even when
        # another run publishes a new generation while this one is open.
        self._snapshot = open_snapshot(index_dir)
        self._searcher = self._snapshot.index.searcher(weighting=bm25.weighting())
        open_columns(self._searcher)
        if engine == "auto":
            engine = "whoosh" if self._searcher.doc_count_all() <= SMALL_ARCHIVE else "arrays"
        self.engine = engine
        self._scorer: ArrayScorer | None = None
        if engine == "arrays":
            # numpy: only where it pays for itself
            from dvsearch.engine.reader import IndexReader
            from dvsearch.engine.scoring import ArrayScorer

            self._scorer = ArrayScorer(IndexReader(self._searcher))
        self._vocabulary_loaded = False
        self._loaded_vocabulary: Vocabulary | None = None
        self._builder = QueryBuilder(
            Expander(self._snapshot.abbreviations), self._vocabulary, self._share_of_articles
        )

    def __enter__(self) -> Searcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _vocabulary(self) -> Vocabulary | None:
        """Loaded on first need and kept with this searcher (not in a class-wide cache, which
        would keep every searcher and its open files alive)."""
        if not self._vocabulary_loaded:
            self._loaded_vocabulary = self._snapshot.vocabulary()
            self._vocabulary_loaded = True
        return self._loaded_vocabulary

    def _share_of_articles(self, folded: str) -> float:
        """How common a syllable is: the share of articles whose body holds it."""
        total = self._searcher.doc_count()
        return self._searcher.doc_frequency("body", folded) / total if total else 0.0

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def search(
        self,
        query_text: str,
        limit: int = 10,
        since: str | None = None,
        until: str | None = None,
        sort: str = "relevance",
        passages: int = 3,
        lenient: bool = False,
    ) -> SearchResult:
        """Rank articles for ``query_text``; dates are ISO strings, ``sort`` is relevance|date.

        ``lenient`` searches a malformed query as plain words instead of raising.
        """
        clause = parse_query_leniently(query_text) if lenient else parse_query(query_text)
        query = self._builder.build(clause)
        terms = MatchTerms.from_syllables(positive_syllables(clause))
        found, total, total_exact = self._collect(query, limit, since, until, sort)
        hits = tuple(
            _make_hit(rank, fields, score, terms, passages)
            for rank, (fields, score) in enumerate(found, 1)
        )
        suggestion = self._suggestion(query_text, total)
        return SearchResult(query_text, total, hits, suggestion, total_exact)

    def _suggestion(self, query_text: str, total: int) -> str | None:
        """Offered when the query has no accents at all or finds little."""
        if has_diacritics(query_text) and total >= FEW_HITS:
            return None
        vocabulary = self._vocabulary()
        if vocabulary is None:
            return None
        from dvsearch.search.vocabulary import suggest  # most queries are never repaired

        return suggest(vocabulary, query_text)

    def _collect(
        self, query: Any, limit: int, since: str | None, until: str | None, sort: str
    ) -> tuple[list[tuple[dict[str, Any], float | None]], int, bool]:
        """``(stored fields, score)`` of the best articles, how many matched in all, and
        whether that count is exact (see ``ArrayScorer.top``)."""
        dates = None if since is None and until is None else _date_bounds(since, until)
        by_date = sort == "date"
        if self._scorer is None:
            ranked = matchers.top(self._searcher, query, limit, dates, by_date)
            stored = self._searcher.stored_fields
        else:
            keep = None if dates is None else self._scorer.terms_in_range("published", *dates)
            ranked = self._scorer.top(query, limit, keep, by_date=by_date)
            stored = self._scorer.reader.stored_fields
        found = [(stored(docnum), None if by_date else score) for docnum, score in ranked.best]
        return found, ranked.total, ranked.total_exact


def _requested_engine(engine: str) -> str:
    """``engine``, or for ``auto`` the one ``DVSEARCH_ENGINE`` names (``auto`` if unset)."""
    if engine == "auto":
        engine = os.environ.get(ENGINE_VARIABLE) or "auto"
        where = f" (set in {ENGINE_VARIABLE})"
    else:
        where = ""
    if engine not in ENGINES:
        choices = ", ".join(ENGINES)
        raise DvsearchError(f"unknown search engine {engine!r}{where}: use one of {choices}")
    return engine


def _make_hit(
    rank: int, fields: dict[str, Any], score: float | None, terms: MatchTerms, passages: int
) -> Hit:
    stored = stored_article(fields)
    return Hit(
        rank=rank,
        id=stored.id,
        path=stored.path,
        title=stored.title,
        title_derived=stored.title_derived,
        published=stored.published,
        author=stored.author,
        score=score,
        passages=tuple(find_passages(stored.body, terms, passages)) if passages else (),
    )


def _date_bounds(since: str | None, until: str | None) -> tuple[str, str]:
    """Dates are stored as ISO strings, so a string range is a date range; "~" sorts after any
    time suffix, which makes --until inclusive of the whole day."""
    return since or "0", (until + "~") if until else "9999~"


def search(
    index_dir: Path, query_text: str, limit: int = 10, engine: str = "auto", **options: Any
) -> SearchResult:
    """Open the index, run one query, close it."""
    with Searcher(index_dir, engine=engine) as searcher:
        return searcher.search(query_text, limit=limit, **options)
