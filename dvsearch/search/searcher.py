"""Run a query against the index and return plain ``Hit`` records with their passages.

How articles are scored is ``ranking.py``'s business; this module opens the index, runs the
query, applies date filters and order, and assembles hits with passages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from dvsearch.engine import bm25, matchers
from dvsearch.engine.files import open_columns
from dvsearch.engine.positions import ArrayRuns, MatcherRuns, RunSource
from dvsearch.engine.results import Ranked
from dvsearch.errors import DvsearchError
from dvsearch.index import store
from dvsearch.index.copies import copies_by_primary
from dvsearch.index.fields import COMPOUND_FIELD, stored_article
from dvsearch.index.folders import file_of, folder_of
from dvsearch.index.snapshot import open_snapshot
from dvsearch.search.highlight import MatchTerms, Passage, as_meant, find_passages, query_runs
from dvsearch.search.meant import read_as_meant, suggestion
from dvsearch.search.query import parse_query, parse_query_leniently
from dvsearch.search.ranking import QueryBuilder
from dvsearch.search.runs import RunRerank
from dvsearch.vietnamese.abbreviations import Expander

if TYPE_CHECKING:
    from dvsearch.engine.reader import Mask
    from dvsearch.engine.scoring import ArrayScorer
    from dvsearch.search.vocabulary import Vocabulary

SORT_ORDERS = ("relevance", "date")
# Up to this many articles, ``engine="auto"`` takes whoosh's matchers: the numpy scorer is
# faster per query, but importing numpy costs a fresh process about 65 ms, more than whoosh's
# matchers spend on a query over an archive this small (17 ms median over the speed
# benchmark's queries at 1,000 articles).
SMALL_ARCHIVE = 1_000
ENGINES = ("auto", "whoosh", "arrays")
# Set to ``whoosh`` or ``arrays``, it replaces ``auto``: the command line's tests run on both
# engines this way, and it is how to compare them on an archive by hand.
ENGINE_VARIABLE = "DVSEARCH_ENGINE"
_SHARES_KEPT = 1 << 16  # syllables and words whose share of articles is remembered


class Hit(NamedTuple):
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
    copies: tuple[str, ...] = ()  # paths of the same article saved again, left out of the hits
    all_words: bool = True  # holds every query word (see ``SearchResult.total_all``)
    file: Path | None = None  # the article's file, absolute (None: its folder is not recorded)
    folder: Path | None = None  # the articles folder it was indexed from


class SearchResult(NamedTuple):
    """The hits for a query, best first, and how many articles matched in all.

    Of the ``total`` matches, ``total_all`` hold every query word (as typed, or through an
    abbreviation; a quoted phrase as a phrase; operators as their boolean meaning), each hit
    says whether it is one; the other ``total_some`` hold only some of the words. The order
    stays by score: listing those with every word first cost the relevance benchmark nDCG@10
    (0.810 -> 0.741 on viquad typed without accents).
    """

    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None  # the query with accents restored or typos repaired
    total_exact: bool = True  # False when ``total`` is estimated on a large archive
    undated_left_out: int = 0  # undated articles that match but a date range left out
    total_some: int = 0  # matches missing some query word
    total_all_exact: bool = True  # False when ``total_all`` is estimated on a large archive
    undated_left_out_exact: bool = True  # False when ``undated_left_out`` is estimated

    @property
    def total_all(self) -> int:
        """The matches holding every query word: adding a word never makes it larger."""
        return self.total - self.total_some


class Searcher:
    """An open index ready for many queries; load once, search often (batch mode uses this)."""

    def __init__(self, index_dir: Path, engine: str = "auto") -> None:
        """``engine`` is ``arrays`` (numpy over the postings), ``whoosh`` (its matchers: the
        same ranking, slower on a large archive; the reference the tests compare with) or
        ``auto``: the engine named by the ``DVSEARCH_ENGINE`` environment variable if set,
        else whoosh's up to ``SMALL_ARCHIVE`` articles and arrays above."""
        engine = _requested_engine(engine)
        self._index_dir = index_dir
        with store.reading(index_dir):
            try:
                self._open(index_dir, engine)
            except BaseException:
                if hasattr(self, "_searcher"):  # the files opened before a damaged one
                    self._searcher.close()
                raise

    def _open(self, index_dir: Path, engine: str) -> None:
        # One snapshot: the index, abbreviations and vocabulary of the same run, even when
        # another run publishes a new generation while this one is open.
        self._snapshot = open_snapshot(index_dir)
        self._searcher = self._snapshot.index.searcher(weighting=bm25.weighting())
        open_columns(self._searcher)
        if engine == "auto":
            engine = "whoosh" if self._searcher.doc_count_all() <= SMALL_ARCHIVE else "arrays"
        self.engine = engine
        self._scorer: ArrayScorer | None = None
        self._runs: RunSource = MatcherRuns(self._searcher)
        if engine == "arrays":
            # numpy: only where it pays for itself
            from dvsearch.engine.reader import IndexReader
            from dvsearch.engine.scoring import ArrayScorer

            self._scorer = ArrayScorer(IndexReader(self._searcher))
            self._runs = ArrayRuns(self._scorer)
        self._vocabulary_loaded = False
        self._loaded_vocabulary: Vocabulary | None = None
        self._copy_docnums: frozenset[int] | None = None
        self._copies_of = copies_by_primary(self._snapshot.copies)
        self._builder = QueryBuilder(
            Expander(self._snapshot.abbreviations),
            self._vocabulary,
            # The index does not change while open: each share is looked up once (a term's
            # frequency is a look-up in every segment's term table).
            lru_cache(maxsize=_SHARES_KEPT)(self._share_of_articles),
            lru_cache(maxsize=_SHARES_KEPT)(self._share_as_word),
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
            if self._loaded_vocabulary is not None:
                from dvsearch.search.readings import ArchivePairs

                self._loaded_vocabulary.pairs = ArchivePairs(self._searcher)
            self._vocabulary_loaded = True
        return self._loaded_vocabulary

    def _share_of_articles(self, folded: str) -> float:
        """How common a syllable is: the share of articles whose body holds it."""
        total = self._searcher.doc_count()
        return self._searcher.doc_frequency("body", folded) / total if total else 0.0

    def _share_as_word(self, folded: str) -> float:
        """How common a word is: the share of articles whose words field holds it, a compound
        (``dan_van``) or a syllable standing alone (``ban``)."""
        total = self._searcher.doc_count()
        return self._searcher.doc_frequency(COMPOUND_FIELD, folded) / total if total else 0.0

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def doc_frequency(self, field: str, text: str) -> tuple[int, int]:
        """How many articles hold ``text`` in ``field``, and how many there are: the statistics
        ``similar.py`` weighs an article's terms by."""
        return self._searcher.doc_frequency(field, text), self._searcher.doc_count()

    def copy_group(self, path: str) -> frozenset[str]:
        """The paths of the article at ``path`` and of its copies (``index/copies.py``)."""
        primary = self._snapshot.copies.get(path, path)
        return frozenset((primary, *self._copies_of.get(primary, ())))

    def rank_query(self, query: Any, limit: int) -> tuple[list[tuple[Hit, str]], int]:
        """A whoosh query built elsewhere (``similar.py``'s) ranked on this searcher's engine,
        copies left out: the best ``limit`` hits without passages, each with its stored body,
        and how many articles matched."""
        with store.reading(self._index_dir):
            ranked = self._top(query, limit, False, _Selection(None, False))
            nothing = MatchTerms.from_runs([])
            found = []
            for rank, (docnum, score) in enumerate(ranked.best, 1):
                hit = self._hit(rank, docnum, score, nothing, 0, ranked.all_words)
                found.append((hit, stored_article(self._stored_fields(docnum)).body))
            return found, ranked.total

    def _stored_fields(self, docnum: int) -> dict[str, Any]:
        reader = self._searcher if self._scorer is None else self._scorer.reader
        fields: dict[str, Any] = reader.stored_fields(docnum)
        return fields

    def search(
        self,
        query_text: str,
        limit: int = 10,
        since: str | None = None,
        until: str | None = None,
        sort: str = "relevance",
        passages: int = 3,
        lenient: bool = False,
        undated: bool = False,
    ) -> SearchResult:
        """Rank articles for ``query_text``; dates are ISO strings, ``sort`` is relevance|date.

        ``lenient`` searches a malformed query as plain words instead of raising. A date
        range leaves undated articles out (and counts those it left out) unless ``undated``.
        Copies of an article (``index/copies.py``) are left out and listed on its hit.
        Damaged index files raise ``IndexDamagedError``.
        """
        with store.reading(self._index_dir):
            return self._search(query_text, limit, since, until, sort, passages, lenient, undated)

    def _search(
        self,
        query_text: str,
        limit: int,
        since: str | None,
        until: str | None,
        sort: str,
        passages: int,
        lenient: bool,
        undated: bool,
    ) -> SearchResult:
        meant, clause = self._read(query_text, lenient)
        query = self._builder.build(clause)
        all_words = self._builder.all_words(clause)
        runs = [as_meant(run, self._vocabulary) for run in query_runs(clause)]
        terms = MatchTerms.from_runs(runs + self._builder.reading_runs(clause))
        dates = _date_range(since, until)
        by_date = sort == "date"
        rerank = None if by_date else RunRerank.for_query(runs, limit)
        depth = limit if rerank is None else rerank.depth
        ranked = self._top(query, depth, by_date, _Selection(dates, undated), all_words)
        if rerank is not None:
            ranked = rerank.apply(ranked, self._runs)
        hits = tuple(
            self._hit(rank, docnum, None if by_date else score, terms, passages, ranked.all_words)
            for rank, (docnum, score) in enumerate(ranked.best, 1)
        )
        left_out, left_out_exact = 0, True
        if dates is not None and not undated:
            undated_top = self._top(query, 1, False, _Selection(None, True, only_undated=True))
            left_out, left_out_exact = undated_top.total, undated_top.total_exact
        # Results ranked for a rewritten query say so, however many there are: the
        # correction is a guess, never shown as what was typed.
        rewritten = meant if meant != query_text else None
        offered = suggestion(query_text, ranked.total, self._builder, self._vocabulary)
        return SearchResult(
            query_text,
            ranked.total,
            hits,
            offered or rewritten,
            ranked.total_exact,
            left_out,
            total_some=ranked.total - ranked.total_all,
            total_all_exact=ranked.total_all_exact,
            undated_left_out_exact=left_out_exact,
        )

    def _read(self, query_text: str, lenient: bool) -> tuple[str, Any]:
        """The query as meant (accents restored, typos repaired, or as typed) and its parsed
        clause: one reading, for the hits and for the match set alike."""
        share = self._share_of_articles
        meant = read_as_meant(query_text, self._builder, self._vocabulary, share) or query_text
        return meant, parse_query_leniently(meant) if lenient else parse_query(meant)

    def matching_articles(
        self,
        query_text: str,
        since: str | None = None,
        until: str | None = None,
        undated: bool = False,
        lenient: bool = False,
    ) -> tuple[int, ...]:
        """The numbers of every article ``search`` counts in its total for the same query and
        dates (copies left out), ascending: what facets count. Exact, even where the total
        is estimated on a large archive (it then costs what a query sorted by date does)."""
        with store.reading(self._index_dir):
            query = self._builder.build(self._read(query_text, lenient)[1])
            dates = _date_range(since, until)
            selection = _Selection(dates, undated)
            if self._scorer is None:
                allowed = self._allowed_numbers(selection)
                found = matchers.matching(self._searcher, query, allowed, self._copy_numbers())
                return tuple(found)
            mask = self._scorer.matching(query, self._allowed_mask(selection))
            return tuple(mask.nonzero()[0].tolist())

    def column_values(self, field: str, numbers: Sequence[int]) -> list[str]:
        """The values of a column field (``sortable`` in the registry) for the articles
        numbered ``numbers`` (ascending, as ``matching_articles`` gives them), in order."""
        from dvsearch.engine.columns import column_values  # facets only: not a plain query

        with store.reading(self._index_dir):
            return column_values(self._searcher, field, numbers)

    def _top(
        self, query: Any, limit: int, by_date: bool, selection: _Selection, all_words: Any = None
    ) -> Ranked:
        """The best articles of the selection on this searcher's engine, copies left out;
        those matching ``all_words`` counted apart and flagged."""
        if self._scorer is None:
            return matchers.top(
                self._searcher,
                query,
                limit,
                by_date,
                self._allowed_numbers(selection),
                self._copy_numbers(),
                all_words,
            )
        keep = self._allowed_mask(selection)
        return self._scorer.top(query, limit, keep, by_date=by_date, all_words=all_words)

    def _allowed_numbers(self, selection: _Selection) -> frozenset[int] | None:
        """The selection as article numbers, for whoosh's matchers (None: every article)."""
        searcher = self._searcher
        return _selected(
            selection,
            lambda low, high: matchers.documents_in_range(searcher, "published", low, high),
            lambda: matchers.all_documents(searcher),
        )

    def _allowed_mask(self, selection: _Selection) -> Mask | None:
        """The selection as a mask of articles, for the array scorer (None: every article),
        copies left out."""
        scorer = self._scorer
        assert scorer is not None
        keep = _selected(
            selection,
            lambda low, high: scorer.terms_in_range("published", low, high),
            lambda: scorer.mask_of(range(self._searcher.doc_count_all())),
        )
        copies = self._copy_numbers()
        if copies:
            not_copies = ~scorer.mask_of(copies)
            keep = not_copies if keep is None else keep & not_copies
        return keep

    def _copy_numbers(self) -> frozenset[int]:
        """The article numbers of copies, found once per searcher."""
        if self._copy_docnums is None:
            copies = self._snapshot.copies
            self._copy_docnums = matchers.document_numbers(self._searcher, "path", copies)
        return self._copy_docnums

    def _hit(
        self,
        rank: int,
        docnum: int,
        score: float | None,
        terms: MatchTerms,
        passages: int,
        with_all: frozenset[int],
    ) -> Hit:
        hit = _make_hit(rank, self._stored_fields(docnum), score, terms, passages)
        folder = folder_of(self._snapshot.folders, hit.path)
        return hit._replace(
            copies=self._copies_of.get(hit.path, ()),
            all_words=docnum in with_all,
            file=file_of(self._snapshot.folders, hit.path),
            folder=folder.path if folder is not None else None,
        )


class _Selection(NamedTuple):
    """Which articles a query may return: a date range (ISO text, both ends in), whether
    undated articles come too, or only the undated ones (to count those a range left out).
    Private, so a tuple: a fifth of a dataclass's start-up cost."""

    dates: tuple[str, str] | None
    undated: bool
    only_undated: bool = False


_Articles = TypeVar("_Articles", frozenset[int], "Mask")


def _selected(
    selection: _Selection,
    in_range: Callable[[str, str], _Articles],
    every: Callable[[], _Articles],
) -> _Articles | None:
    """The articles a selection allows, in either engine's form (a set of article numbers or
    a mask: both take ``|``, and ``^`` with a subset of ``every`` leaves the rest); None when
    it allows every article."""
    if selection.dates is None and not selection.only_undated:
        return None
    undated = every() ^ in_range(*_EVERY_DATE)
    if selection.only_undated or selection.dates is None:
        return undated
    dated = in_range(*selection.dates)
    return dated | undated if selection.undated else dated


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


_EVERY_DATE = ("0", "9999~")


def _date_range(since: str | None, until: str | None) -> tuple[str, str] | None:
    """The bounds a date selection compares with, None when neither end is given (every
    article, the undated too)."""
    return None if since is None and until is None else _date_bounds(since, until)


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
