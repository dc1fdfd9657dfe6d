"""whoosh's own matchers as the reference engine: slower on a large archive, cheaper to start.

The array scorer is tested against this path, so it must score what whoosh's query classes
define and nothing else. Three of whoosh's habits are turned off for that:

- its score shortcuts: whoosh skips blocks by estimated quality and swaps matchers for
  "cheaper" ones once it knows a minimum score; with Require and phrase clauses both drop true
  top articles (and skipping trips an assertion). The collector is told not to.
- a slip in ``AndMaybeMatcher.skip_to``: it moves its optional side to the article it was asked
  for, not to the one its required side landed on. Inside an And (``body:"Hà Nội" AND
  title:giao thông``, where the phrase's exact-accent bonus is an AndMaybe under a Require)
  the optional side is then left behind, and its score is lost for that article: whoosh
  scored an article 6.22 whose halves score 6.51 and 1.97 alone. AndMaybe is defined as the
  required score plus the optional one where both match, so the matcher here skips the
  optional side to the required side's article.
- a slip in ``AndNotMatcher``'s start: it drops the first article of the kept side only when
  the excluded side starts on the same article, not when it starts earlier and would skip to
  it. ``dân vận -Lang`` then kept an article saying *lãng* whenever an earlier article of its
  segment held *lang* without *dân vận* (article 27 of a two-segment index of 40 news
  articles, which the array scorer and a one-segment build leave out), so the matcher here
  catches the excluded side up first.
- reversing the whole order for newest first: here the date alone is reversed, so that ties
  (the same day, or no date) keep article order, as in relevance order and the array scorer.

Nothing here imports numpy: small archives are searched this way precisely to skip loading it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import query as wq
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ArrayUnionMatcher, ReadTooFar
from whoosh.query.compound import PreloadedOr
from whoosh.sorting import FieldFacet

from dvsearch.engine.results import Ranked

DATE_FIELD = "published"


class _SyncedAndMaybeMatcher(AndMaybeMatcher):  # type: ignore[misc]
    """whoosh's AndMaybe matcher, its optional side kept on the required side's article."""

    def skip_to(self, docnum: int) -> bool:
        if not self.a.is_active():
            raise ReadTooFar
        moved = bool(self.a.skip_to(docnum))
        if self.a.is_active() and self.b.is_active():
            moved = bool(self.b.skip_to(self.a.id())) or moved
        return moved


class _SyncedAndMaybe(wq.AndMaybe):  # type: ignore[misc]
    """``AndMaybe`` with the matcher above."""

    matcherclass = _SyncedAndMaybeMatcher


class _SyncedAndNotMatcher(AndNotMatcher):  # type: ignore[misc]
    """whoosh's AndNot matcher, its excluded side caught up before the first article."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _SyncedAndNot(wq.AndNot):  # type: ignore[misc]
    """``AndNot`` with the matcher above."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        kept = self.a.matcher(searcher, context)
        return _SyncedAndNotMatcher(kept, self.b.matcher(searcher, searcher.boolean_context()))


def top(
    searcher: Any,
    query: Any,
    limit: int,
    by_date: bool,
    allowed: frozenset[int] | None = None,
    excluded: frozenset[int] = frozenset(),
    all_words: Any = None,
) -> Ranked:
    """The best ``limit`` articles for a whoosh query by whoosh's matchers, and how many
    matched, among the article numbers ``allowed`` (all when None) but not ``excluded``;
    ``by_date`` orders by publication date, newest first, instead of by score.

    The matches of ``all_words`` (a boolean query) are counted apart and flagged; every match
    is collected then, to know which it holds."""
    if allowed is not None and not allowed:  # whoosh reads an empty filter as no filter
        return Ranked([], 0, True, 0, True, frozenset())
    if all_words is None:
        return _top(searcher, query, limit, by_date, allowed, excluded, None)
    members = frozenset(searcher.docs_for_query(synced(all_words)))
    return _top(searcher, query, limit, by_date, allowed, excluded, members)


def _top(
    searcher: Any,
    query: Any,
    limit: int,
    by_date: bool,
    allowed: frozenset[int] | None,
    excluded: frozenset[int],
    members: frozenset[int] | None,
) -> Ranked:
    collector = searcher.collector(
        limit=limit if members is None else None,
        filter=None if allowed is None else set(allowed),  # whoosh takes a set, not a frozenset
        mask=set(excluded) if excluded else None,
        sortedby=FieldFacet(DATE_FIELD, reverse=True) if by_date else None,
        optimize=False,
    )
    _disable_matcher_replacement(collector)
    searcher.search_with_collector(synced(query), collector)
    results = collector.results()
    found = [(int(docnum), None if by_date else float(score)) for score, docnum in results.top_n]
    if members is None:
        every = frozenset(docnum for docnum, _ in found)
        return Ranked(found, len(results), True, len(results), True, every)
    best = found[:limit]  # whoosh's order as with a limit: score down, then article number
    total_all = sum(1 for docnum, _ in found if docnum in members)
    with_all = frozenset(docnum for docnum, _ in best if docnum in members)
    return Ranked(best, len(found), True, total_all, True, with_all)


def matching(
    searcher: Any,
    query: Any,
    allowed: frozenset[int] | None = None,
    excluded: frozenset[int] = frozenset(),
) -> list[int]:
    """Every article number ``top`` counts in its total for the same arguments, ascending:
    the match set facets describe (whoosh's counts are always exact)."""
    found = searcher.docs_for_query(synced(query))
    return sorted(int(d) for d in found if (allowed is None or d in allowed) and d not in excluded)


def documents_in_range(searcher: Any, field: str, low: str, high: str) -> frozenset[int]:
    """The article numbers with a term of ``field`` between ``low`` and ``high``."""
    return frozenset(searcher.docs_for_query(wq.TermRange(field, low, high)))


def all_documents(searcher: Any) -> frozenset[int]:
    """Every live article number."""
    return frozenset(searcher.docs_for_query(wq.Every()))


def document_numbers(searcher: Any, field: str, values: Iterable[str]) -> frozenset[int]:
    """The article numbers whose unique ``field`` is one of ``values`` (absent ones left out)."""
    found = (searcher.document_number(**{field: value}) for value in values)
    return frozenset(number for number in found if number is not None)


PART = 2048  # whoosh's block of articles an array union scores at a time


class _SizedPreloadedOr(PreloadedOr):  # type: ignore[misc]
    """whoosh's array union with its block no longer than the segment: whoosh fills and clears
    2,048 scores for every Or of every query even when the segment holds five articles (a
    sixth of a query on the seeds). Each article's score is summed in the same order."""

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        scored = context.weighting is not None if context else True
        matchers = [sub.matcher(searcher, context) for sub in subs]
        doccount = searcher.doc_count_all()
        part = max(1, min(PART, doccount))
        return ArrayUnionMatcher(matchers, doccount, self.boost, scored, part)


class _SizedOr(wq.Or):  # type: ignore[misc]
    """``Or`` whose array union (whoosh's choice for small segments) is sized as above."""

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        if self.matcher_type == self.AUTO_MATCHER and _preloads(self, subs, searcher, context):
            sized = _SizedPreloadedOr(subs, self.boost, self.minmatch, self.scale)
            return sized.matcher(searcher, context)
        return super()._matcher(subs, searcher, context)


def _preloads(query: Any, subs: list[Any], searcher: Any, context: Any) -> bool:
    """whoosh's own test (``Or._matcher``) for preloading an Or's matches into an array."""
    needs_current = context.needs_current if context else True
    if len(subs) >= query.TOO_MANY_CLAUSES:
        return True
    small = searcher.doc_count_all() <= 5000
    return small and not (needs_current or query.scale or len(subs) == 2)


def synced(query: Any) -> Any:
    """The same query tree with each ``AndMaybe``, ``AndNot`` and ``Or`` matched by the
    matchers above."""
    for kind, fixed_kind in ((wq.AndMaybe, _SyncedAndMaybe), (wq.AndNot, _SyncedAndNot)):
        if isinstance(query, kind):
            fixed = fixed_kind(synced(query.a), synced(query.b))
            fixed.boost = query.boost
            return fixed
    if type(query) is wq.Or:
        subqueries = [synced(q) for q in query.subqueries]
        return _SizedOr(subqueries, query.boost, query.minmatch, query.scale)
    return query.apply(synced)  # a leaf returns itself


def _disable_matcher_replacement(collector: Any) -> None:
    """whoosh's collectors (wrapped in a filtering one for dates) swap matchers every
    ``replace`` articles; zero never does."""
    while collector is not None:
        if hasattr(collector, "replace"):
            collector.replace = 0
        collector = getattr(collector, "child", None)
