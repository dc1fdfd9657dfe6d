"""Run a query against the index and return plain ``Hit`` records with their passages.

Ranking is BM25F over title and body, on top of which each query syllable typed with accents
also scores its exact (accented) form, and each pair of adjacent query syllables scores as a
phrase and as a pyvi compound word. So for ``dân vận`` an article saying *dân vận* outranks one
saying *dẫn văn*, and one with the words side by side outranks one where they are scattered.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from dvsearch.analysis import Syllable, compound_term, syllables
from dvsearch.highlight import MatchTerms, Passage, find_passages
from dvsearch.index import open_index
from dvsearch.query import (
    AllOf,
    AnyOf,
    Clause,
    Phrase,
    Sequence,
    Without,
    Words,
    parse_query,
    parse_query_leniently,
)

FIELD_BOOST = {"title": 2.0, "body": 1.0, "author": 1.0}
EXACT_BOOST = 1.0
PAIR_BOOST = 1.5
FOLDED_PAIR_BOOST = 0.5
COMPOUND_BOOST = 1.0
_DEFAULT_FIELDS = ("title", "body", "author")
SORT_ORDERS = ("relevance", "date")


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


class Searcher:
    """An open index ready for many queries; load once, search often (batch mode uses this)."""

    def __init__(self, index_dir: Path) -> None:
        self._index = open_index(index_dir)
        self._searcher = self._index.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))

    def __enter__(self) -> Searcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

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
        whoosh_query = compile_clause(clause)
        terms = MatchTerms.from_syllables(positive_syllables(clause))
        results = self._collect(whoosh_query, limit, _date_filter(since, until), sort)
        hits = tuple(_make_hit(rank, hit, terms, passages) for rank, hit in enumerate(results, 1))
        return SearchResult(query=query_text, total=len(results), hits=hits)

    def _collect(self, whoosh_query: Any, limit: int, date_filter: Any, sort: str) -> Any:
        """Run the query with whoosh's score-based shortcuts turned off.

        whoosh skips blocks by estimated quality and swaps matchers for "cheaper" ones once it
        knows a minimum score; with Require and phrase clauses both drop true top documents
        (and skipping trips an assertion). Exact ranking first: speed is measured separately.
        """
        collector = self._searcher.collector(
            limit=limit,
            filter=date_filter,
            sortedby="published" if sort == "date" else None,
            reverse=sort == "date",
            optimize=False,
        )
        _disable_matcher_replacement(collector)
        self._searcher.search_with_collector(whoosh_query, collector)
        return collector.results()


def _disable_matcher_replacement(collector: Any) -> None:
    while collector is not None:
        if hasattr(collector, "replace"):
            collector.replace = 0
        collector = getattr(collector, "child", None)


def _make_hit(rank: int, hit: Any, terms: MatchTerms, passages: int) -> Hit:
    fields = hit.fields()
    body = fields.get("body", "")
    return Hit(
        rank=rank,
        id=fields["id"],
        path=fields["path"],
        title=fields.get("title", ""),
        title_derived=bool(fields.get("title_derived")),
        published=fields.get("published") or None,
        author=fields.get("author") or None,
        score=float(hit.score) if isinstance(hit.score, int | float) else None,
        passages=tuple(find_passages(body, terms, passages)) if passages else (),
    )


def _date_filter(since: str | None, until: str | None) -> Any:
    if since is None and until is None:
        return None
    # Dates are stored as ISO strings, so a string range is a date range; "~" sorts after any
    # time suffix, which makes --until inclusive of the whole day.
    return wq.TermRange("published", since or "0", (until + "~") if until else "9999~")


def search(index_dir: Path, query_text: str, limit: int = 10, **options: Any) -> SearchResult:
    """Open the index, run one query, close it."""
    with Searcher(index_dir) as searcher:
        return searcher.search(query_text, limit=limit, **options)


def compile_clause(clause: Clause) -> Any:
    """The whoosh query for a parsed clause."""
    match clause:
        case Words(text=text, field=field):
            return _words_query(syllables(text), _fields(field))
        case Phrase(text=text, field=field):
            return _phrase_query(syllables(text), _fields(field))
        case AnyOf(parts=parts):
            return wq.Or([compile_clause(part) for part in parts])
        case AllOf(parts=parts):
            return _combine(required=list(parts), optional=[])
        case Sequence(parts=parts):
            optional: list[Clause] = [p for p in parts if _ranks_only(p)]
            required: list[Clause] = [p for p in parts if not _ranks_only(p)]
            return _combine(required, optional)
        case Without():
            return _combine(required=[clause], optional=[])
    raise TypeError(f"unknown clause {clause!r}")


def _ranks_only(clause: Clause) -> bool:
    """Plain words beside a required part rank results; fielded words filter like a phrase."""
    return isinstance(clause, Words) and clause.field is None


def _combine(required: list[Clause], optional: list[Clause]) -> Any:
    """Required parts must match, optional plain words only rank, negated parts exclude."""
    negated = [compile_clause(p.part) for p in required if isinstance(p, Without)]
    musts = [compile_clause(p) for p in required if not isinstance(p, Without)]
    shoulds = [compile_clause(p) for p in optional]
    if musts:
        query = wq.And(musts) if len(musts) > 1 else musts[0]
        if shoulds:
            query = wq.AndMaybe(query, wq.Or(shoulds))
    elif shoulds:
        query = wq.Or(shoulds) if len(shoulds) > 1 else shoulds[0]
    else:
        query = wq.Every()
    if negated:
        query = wq.AndNot(query, wq.Or(negated))
    return query


def _fields(field: str | None) -> tuple[str, ...]:
    return (field,) if field else _DEFAULT_FIELDS


def _words_query(query: list[Syllable], fields: tuple[str, ...]) -> Any:
    """Any syllable may match; exact accents, adjacent pairs and compounds add to the score."""
    if not query:
        return wq.NullQuery
    clauses = [c for s in query for c in _syllable_clauses(s, fields)]
    for left, right in itertools.pairwise(query):
        clauses += _pair_clauses(left, right, fields)
    if fields == _DEFAULT_FIELDS:
        clauses += _compound_clauses(query)
    return _anchored(wq.Or(clauses), query, fields)


def _anchored(scoring: Any, query: list[Syllable], fields: tuple[str, ...]) -> Any:
    """Keep only articles with at least one query syllable as the user typed it.

    A syllable typed with accents is met by those accents, or by the bare letters in an article
    written without accents; not by other accents: for ``bóng đá`` an article that only says
    *đã* is not a match. Folded matches still add to the score of the articles kept.
    """
    if not any(s.accented for s in query):
        return scoring
    anchors = [
        wq.Term(f"{f}_exact" if s.accented else f, form)
        for s in query
        for form in ((s.exact, s.folded) if s.accented else (s.folded,))
        for f in fields
    ]
    return wq.Require(scoring, wq.Or(anchors))


def _pair_clauses(left: Syllable, right: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """Adjacent query syllables score as a phrase; a pair typed with accents earns the full
    bonus only with those accents, so *dẫn văn* side by side does not pass for *dân vận*."""
    if not (left.accented and right.accented):
        return [
            wq.Phrase(f, [left.folded, right.folded], boost=PAIR_BOOST * FIELD_BOOST[f])
            for f in fields
        ]
    exact = [
        wq.Phrase(f"{f}_exact", [left.exact, right.exact], boost=PAIR_BOOST * FIELD_BOOST[f])
        for f in fields
    ]
    folded = [
        wq.Phrase(f, [left.folded, right.folded], boost=FOLDED_PAIR_BOOST * FIELD_BOOST[f])
        for f in fields
    ]
    return exact + folded


def _syllable_clauses(syllable: Syllable, fields: tuple[str, ...]) -> list[Any]:
    clauses = [wq.Term(f, syllable.folded, boost=FIELD_BOOST[f]) for f in fields]
    if syllable.accented:
        clauses += [
            wq.Term(f"{f}_exact", syllable.exact, boost=EXACT_BOOST * FIELD_BOOST[f])
            for f in fields
        ]
    return clauses


def _compound_clauses(query: list[Syllable]) -> list[Any]:
    """Adjacent syllables looked up as the compound words pyvi found at index time."""
    clauses = []
    for size in (2, 3):
        for start in range(len(query) - size + 1):
            words = [s.exact for s in query[start : start + size]]
            clauses.append(wq.Term("words", compound_term(words), boost=COMPOUND_BOOST))
    return clauses


def _phrase_query(query: list[Syllable], fields: tuple[str, ...]) -> Any:
    """All syllables in order must match; exact accents still add to the score."""
    if not query:
        return wq.NullQuery
    if len(query) == 1:
        required = wq.Or([wq.Term(f, query[0].folded, boost=FIELD_BOOST[f]) for f in fields])
    else:
        folded = [s.folded for s in query]
        required = wq.Or([wq.Phrase(f, folded, boost=FIELD_BOOST[f]) for f in fields])
    bonus = [c for s in query if s.accented for c in _syllable_clauses(s, fields)[len(fields) :]]
    scoring = wq.AndMaybe(required, wq.Or(bonus)) if bonus else required
    return _anchored(scoring, query, fields)


def positive_syllables(clause: Clause) -> list[Syllable]:
    """The syllables a hit is expected to contain, for highlighting (negated parts excluded)."""
    return list(_positive(clause))


def _positive(clause: Clause) -> Iterable[Syllable]:
    match clause:
        case Words(text=text) | Phrase(text=text):
            yield from syllables(text)
        case AnyOf(parts=parts) | AllOf(parts=parts) | Sequence(parts=parts):
            for part in parts:
                yield from _positive(part)
