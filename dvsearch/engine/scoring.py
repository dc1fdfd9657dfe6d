"""BM25F over whoosh's postings with numpy: the same scores as whoosh's matchers, in arrays.

whoosh scores a query by stepping a tree of matchers through the postings one article at a
time in Python; dvsearch's queries (every syllable in three fields, exact accents, pairs as
phrases) took seconds at 16,000 articles that way. Here each term's postings come as arrays
(from ``reader.py``, the engine's interface to the index) and every article is scored at once,
with whoosh's own BM25F formula, idf and encoded field lengths, so the ranking is the one
whoosh would give (a test compares them). Query trees are whoosh's public query classes, one
handler each; nothing here touches whoosh's matchers.

Positions are the expensive part (a pickled list per article), so phrases are checked lazily:
a first pass scores every article with each unchecked phrase both as matched and as not
(an upper and a lower bound); only articles whose upper bound can still reach the top, or
whose membership depends on a phrase, get their positions read in a second pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dvsearch.engine import bm25
from dvsearch.engine.arrays import Arrays
from dvsearch.engine.exact_pairs import ExactPair
from dvsearch.engine.public import query as wq
from dvsearch.engine.reader import POSITION_BITS, Docnums, IndexReader, Mask, Postings, Scores
from dvsearch.engine.results import Ranked
from dvsearch.vietnamese.syllables import folded_syllable

# Postings and phrase verdicts kept between queries, forgotten together when either bound is
# passed: a batch's queries share their common syllables (the speed benchmark's 67 queries
# read 960 postings, 10 MB at 10,000 articles, which a bound of 512 forgot every pass).
_POSTINGS_CACHE_SIZE = 4096
_POSTINGS_BUDGET = 64 << 20
_FIRST_BATCH = 64  # articles whose phrases are checked first
EXACT_COUNT_LIMIT = 2_000  # articles a count may hang on before it is estimated
_COUNT_SAMPLE = 256
_UNKNOWN = -1


@dataclass(frozen=True)
class Matches:
    """What a query matches and scores, as bounds while some phrases are unchecked.

    ``certain`` articles match whatever the unchecked phrases say, ``possible`` ones match if
    they hold; ``low`` and ``high`` bound each article's score (equal once all is checked).
    """

    certain: Mask
    possible: Mask
    low: Scores
    high: Scores

    @classmethod
    def exact(cls, matched: Mask, scores: Scores) -> Matches:
        """Matches with nothing left to check."""
        return cls(matched, matched, scores, scores)

    def scaled(self, factor: float, live: Mask | None, arrays: Arrays) -> Matches:
        """The same bounds times a query's boost, without deleted articles (``live`` None:
        nothing is deleted). Matches are never changed in place, so an unchanged one is
        returned as it is."""
        if live is None and factor == 1.0:
            return self
        # Settled matches share one array for both bounds (and for both masks): each is
        # computed once, and stays shared.
        low = arrays.times(self.low, factor)
        high = low if self.high is self.low else arrays.times(self.high, factor)
        if live is None:
            return Matches(self.certain, self.possible, low, high)
        certain = arrays.common([self.certain, live])
        possible = (
            certain if self.possible is self.certain else arrays.common([self.possible, live])
        )
        return Matches(certain, possible, low, high)


class ArrayScorer:
    """Scores whoosh query trees over one open index, read only through ``IndexReader`` (the
    interface ``dvsearch.engine`` describes); keep one per open index."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self._size = reader.size
        self._live = reader.live
        self._live_if_deletions: Mask | None = None if self._live.all() else self._live
        self.arrays = Arrays(self._size)
        self._postings: dict[tuple[str, str], Postings] = {}
        self._cached_bytes = 0  # of the postings and phrase verdicts kept
        # Per phrase and article: _UNKNOWN, 0 (words not side by side) or 1.
        self._phrases: dict[tuple[str, tuple[str, ...]], npt.NDArray[np.int8]] = {}
        self._published: npt.NDArray[np.int64] | None = None
        # Per ``top`` call, by node id: what clauses without a phrase to check give (the
        # same in every pass), and each phrase's words held together with their scores.
        self._settled: dict[tuple[int, bool], Matches] = {}
        self._held_together: dict[tuple[int, bool], tuple[Mask, Scores]] = {}
        # Whether the clause being evaluated is scored, or only tested for membership (the
        # required side of a Require, the excluded side of an AndNot, the all-words query):
        # then every score is the shared zero, and no score is computed or summed.
        self._scored = True
        self._term_masks: dict[tuple[str, str], Mask] = {}
        # Per ``top`` call, by field, term and boost: a query names one term in many clauses
        # (its folded term, pairs, readings of an abbreviation), each scored once; a boost is
        # applied to the term's postings alone, not to an archive-long array.
        self._term_scores: dict[tuple[str, str, float], Matches] = {}

    @property
    def live(self) -> Mask:
        """Articles not deleted from the index."""
        return self._live

    def evaluate(self, query: Any, checked: Mask) -> Matches:
        """Bounds for a query built from whoosh's query classes, phrases checked in ``checked``.

        Within one ``top`` call, a clause with no phrase to check is computed once, not again
        in every pass of the phrase checks."""
        key = (id(query), self._scored)
        settled = self._settled.get(key)
        if settled is not None:
            return settled
        handler = _HANDLERS.get(type(query))
        if handler is None:
            raise TypeError(f"cannot score {type(query).__name__} queries")
        found = handler(self, query, checked)
        boost = 1.0 if type(query) in _BOOSTED_BY_HANDLER else float(query.boost)
        result = found.scaled(boost, self._live_if_deletions, self.arrays)
        if not any(_checks_positions(leaf) for leaf in query.leaves()):
            self._settled[key] = result
        return result

    def membership(self, query: Any, checked: Mask) -> Matches:
        """``evaluate`` for a clause whose scores are never read: its masks, and zero scores."""
        if not self._scored:
            return self.evaluate(query, checked)
        self._scored = False
        try:
            return self.evaluate(query, checked)
        finally:
            self._scored = True

    def held_together(self, query: Any) -> tuple[Mask, Scores]:
        """The articles holding all of a phrase's words, and the sum of their BM25 scores
        times the phrase's boost (applied once here, not in every pass of the checks)."""
        key = (id(query), self._scored)
        known = self._held_together.get(key)
        if known is None:
            parts = [self.bm25(query.fieldname, word) for word in query.words]
            together = self.arrays.common([part.certain for part in parts])
            total = self.arrays.where(together, self.arrays.total([part.low for part in parts]))
            boosted = self.arrays.times(total, float(query.boost))
            known = self._held_together[key] = (together, boosted)
        return known

    def top(
        self,
        query: Any,
        limit: int,
        keep: Mask | None = None,
        by_date: bool = False,
        all_words: Any = None,
    ) -> Ranked:
        """The best ``limit`` articles and how many matched in all.

        The matches of ``all_words`` (a boolean query) are counted apart and flagged in the
        top, which stays in score order. Ties keep the lower article number first, as whoosh
        does; ``by_date`` orders by publication date, newest first. The top is always exact.
        The counts are exact too unless more than ``EXACT_COUNT_LIMIT`` articles hold a
        phrase's words without being known to match otherwise: checking them all would cost
        seconds (a quoted *"dân vận"* on a large archive), so the counts are then estimated
        from an even sample of them.
        """
        self._forget_per_query()
        self.reader.trim_caches()
        try:
            return self._top(query, all_words, limit, keep, by_date)
        finally:
            self._forget_per_query()

    def matching(self, query: Any, keep: Mask | None = None) -> Mask:
        """Every article the query matches among ``keep``, every phrase checked: the exact
        set behind ``top``'s total, even where that total is estimated (so this costs what a
        query sorted by date costs)."""
        self._forget_per_query()
        self.reader.trim_caches()
        try:
            keep = self._live if keep is None else keep & self._live
            nothing = np.zeros(self._size, dtype=bool)
            first = self.evaluate(query, nothing)
            unsure = first.possible & ~first.certain & keep
            found = self.evaluate(query, unsure) if unsure.any() else first
            matched: Mask = found.certain & keep
            return matched
        finally:
            self._forget_per_query()

    def _forget_per_query(self) -> None:
        self._settled.clear()
        self._held_together.clear()
        self._term_scores.clear()
        self._term_masks.clear()

    def _top(
        self, query: Any, all_words: Any, limit: int, keep: Mask | None, by_date: bool
    ) -> Ranked:
        keep = self._live if keep is None else keep & self._live
        nothing = np.zeros(self._size, dtype=bool)
        first = _Grouped(self.evaluate(query, nothing), self._members(all_words, nothing))
        unsure = first.unsure & keep
        count_all = by_date or int(unsure.sum()) <= EXACT_COUNT_LIMIT
        sample = nothing if count_all else _evenly_spaced(unsure, _COUNT_SAMPLE)
        checked = unsure if count_all else sample
        found = self._checked_enough(query, all_words, keep, 0 if by_date else limit, checked)
        matches, members = found.matches, found.members
        candidates = np.flatnonzero(matches.certain & keep)
        if by_date:
            order = np.lexsort((candidates, -self.published_order()[candidates]))
        else:
            order = np.lexsort((candidates, -matches.low[candidates]))
        best: list[tuple[int, float | None]] = [
            (int(d), float(matches.low[d])) for d in candidates[order[:limit]]
        ]
        with_all = frozenset(d for d, _ in best if members.certain[d])
        total, total_exact = _estimated(matches, keep, sample, first.matches)
        total_all, all_exact = _estimated(found.both(), keep, sample, first.both())
        return Ranked(best, total, total_exact, min(total_all, total), all_exact, with_all)

    def _members(self, all_words: Any, checked: Mask) -> Matches:
        """The articles with every word (all when there is no such query), as bounds."""
        if all_words is None:
            return Matches.exact(self._live, self.arrays.zeros)
        return self.membership(all_words, checked)

    def _checked_enough(
        self, query: Any, all_words: Any, keep: Mask, limit: int, checked: Mask
    ) -> _Grouped:
        """Check phrases in ``checked``, then in the articles with the best upper bounds,
        batch by batch, until no unchecked article can still reach the top ``limit``."""
        batch = max(4 * limit, _FIRST_BATCH)
        while True:
            found = _Grouped(self.evaluate(query, checked), self._members(all_words, checked))
            pending = found.matches.possible & keep & found.uncertain_rank & ~checked
            pending &= found.may_reach(keep, limit)
            if limit == 0 or not pending.any():
                return found
            contenders = np.flatnonzero(pending)
            if contenders.size > batch:
                bounds = found.matches.high[contenders]
                contenders = contenders[np.argpartition(-bounds, batch)[:batch]]
            checked = checked.copy()
            checked[contenders] = True
            batch *= 2

    def terms_in_range(self, field: str, low: str, high: str) -> Mask:
        """Articles with a term of ``field`` between ``low`` and ``high`` (dates as ISO text)."""
        mask = np.zeros(self._size, dtype=bool)
        for text in self.reader.terms(field):
            if low <= text <= high:
                mask[self.postings(field, text).docnums] = True
        return mask

    def mask_of(self, docnums: Iterable[int]) -> Mask:
        """The articles numbered ``docnums``."""
        mask = np.zeros(self._size, dtype=bool)
        mask[np.fromiter(docnums, dtype=np.int64)] = True
        return mask

    def published_order(self) -> npt.NDArray[np.int64]:
        """Each article's publication date as a rank (0 for undated), for sorting by date."""
        if self._published is None:
            order = np.zeros(self._size, dtype=np.int64)
            for rank, text in enumerate(self.reader.terms("published"), start=1):
                order[self.postings("published", text).docnums] = rank
            self._published = order
        return self._published

    # -------------------------------------------------------------- what is read, cached

    def postings(self, field: str, text: str) -> Postings:
        """A term's postings, cached: a query names the same terms in several clauses."""
        key = (field, text)
        cached = self._postings.get(key)
        if cached is None:
            cached = self.reader.postings(field, text)
            self._make_room()
            self._postings[key] = cached
            self._cached_bytes += cached.docnums.nbytes + cached.weights.nbytes
        return cached

    def _make_room(self) -> None:
        """Forget every postings list and phrase verdict kept once over either bound."""
        if len(self._postings) >= _POSTINGS_CACHE_SIZE or self._cached_bytes > _POSTINGS_BUDGET:
            self._postings.clear()
            self._phrases.clear()
            self._cached_bytes = 0

    def side_by_side(self, field: str, words: tuple[str, ...], wanted: Mask) -> Mask:
        """The wanted articles where ``words`` stand in order side by side; each article is
        checked once per phrase, however many passes ask."""
        known = self._phrases.get((field, words))
        if known is None:
            known = self._phrases[(field, words)] = np.full(self._size, _UNKNOWN, dtype=np.int8)
            self._cached_bytes += known.nbytes
        unknown = wanted & (known == _UNKNOWN)
        if unknown.any():
            starts = self._starts(field, words, unknown)
            known[unknown] = 0
            known[starts >> POSITION_BITS] = 1
        found: Mask = wanted & (known == 1)
        return found

    def _starts(self, field: str, words: tuple[str, ...], wanted: Mask) -> Docnums:
        """The occurrence keys of ``words[0]`` followed by the other words, in the wanted
        articles: by the field's positions, or for an exact field keeping none by its folded
        twin's and its accents column (``exact_pairs.py``)."""
        twin = self.reader.folded_twin(field)
        typed = words if twin is None else tuple(folded_syllable(word) for word in words)
        starts = self.reader.positions(twin or field, typed[0], wanted)
        for offset, word in enumerate(typed[1:], start=1):
            places = self.reader.positions(twin or field, word, wanted)
            starts = starts[_among(starts, places - offset)]
        if twin is not None:
            starts = starts[self.reader.accents_hold(field, words, starts)]
        return starts

    # -------------------------------------------------------------- scoring

    def bm25(self, field: str, text: str, boost: float = 1.0) -> Matches:
        """whoosh's BM25F for one term: idf * tf(K1+1) / (tf + K1(1 - B + B dl/avgdl)), times
        ``boost``, computed once per ``top`` call (Matches are never changed in place, so one
        is shared; the boosts of one term share its mask). Zero while only membership is
        asked for."""
        postings = self.postings(field, text)
        if postings.docnums.size == 0:
            return self.nothing()
        matched = self._term_masks.get((field, text))
        if matched is None:
            matched = self._term_masks[(field, text)] = np.zeros(self._size, dtype=bool)
            matched[postings.docnums] = True
        if not self._scored:
            return Matches.exact(matched, self.arrays.zeros)
        key = (field, text, boost)
        known = self._term_scores.get(key)
        if known is None:
            known = self._term_scores[key] = Matches.exact(
                matched, self._bm25(field, text, postings, boost)
            )
        return known

    def _bm25(self, field: str, text: str, postings: Postings, boost: float) -> Scores:
        scores = np.zeros(self._size, dtype=np.float64)
        idf = bm25.idf(self.reader.doc_frequency(field, text), self.reader.doc_count())
        average = self.reader.average_field_length(field) or 1
        lengths = self.reader.field_lengths(field)[postings.docnums]
        tf = postings.weights
        norm = bm25.K1 * ((1 - bm25.B) + bm25.B * lengths / average)
        found = idf * (tf * (bm25.K1 + 1)) / (tf + norm)
        # The boost times each posting's score: the product a boosted whole-archive array
        # would hold there (and zero elsewhere), at the cost of the postings alone.
        scores[postings.docnums] = found if boost == 1.0 else found * boost
        return scores

    def nothing(self) -> Matches:
        """No article (``Arrays``' shared empty arrays)."""
        return Matches.exact(self.arrays.none, self.arrays.zeros)


@dataclass(frozen=True)
class _Grouped:
    """A query's matches and the all-words query's, as bounds: a top article's score and
    whether it has every word must both be known."""

    matches: Matches
    members: Matches

    @property
    def unsure(self) -> Mask:
        """Articles whose membership, or group among the matches, hangs on a phrase."""
        matches, members = self.matches, self.members
        undecided_group = matches.possible & members.possible & ~members.certain
        return (matches.possible & ~matches.certain) | undecided_group

    @property
    def uncertain_rank(self) -> Mask:
        """Articles whose score or group is not known yet."""
        return (self.matches.low < self.matches.high) | (
            self.members.possible & ~self.members.certain
        )

    def both(self) -> Matches:
        """The matches with every word."""
        matches, members = self.matches, self.members
        certain = matches.certain & members.certain
        return Matches(certain, matches.possible & members.possible, matches.low, matches.high)

    def may_reach(self, keep: Mask, limit: int) -> Mask:
        """Articles whose best score can still enter the top ``limit``."""
        sure = self.matches.certain & keep
        reach: Mask = self.matches.high >= _kth_largest(self.matches.low[sure], limit)
        return reach


def _estimated(found: Matches, keep: Mask, sample: Mask, first: Matches) -> tuple[int, bool]:
    """How many articles ``found`` holds, and whether exactly: those still undecided are
    estimated by the share of the sample (undecided at first, all checked) that matched."""
    counted = int((found.certain & keep).sum())
    unresolved = int((found.possible & ~found.certain & keep).sum())
    if unresolved == 0:
        return counted, True
    sampled = sample & first.possible & ~first.certain
    share = float((sampled & found.certain).sum()) / max(int(sampled.sum()), 1)
    return counted + round(unresolved * share), False


def _evenly_spaced(mask: Mask, count: int) -> Mask:
    """``count`` of the articles in ``mask``, spread evenly over the index (an unbiased sample
    for estimating a share)."""
    docs = np.flatnonzero(mask)
    sample = np.zeros(mask.shape, dtype=bool)
    sample[docs[np.linspace(0, docs.size - 1, min(count, docs.size)).astype(np.int64)]] = True
    return sample


def _kth_largest(scores: Scores, k: int) -> float:
    """The score an article must reach to enter a top ``k`` (minus infinity when not full)."""
    if k == 0 or scores.size < k:
        return float("-inf")
    return float(np.partition(scores, scores.size - k)[scores.size - k])


# ------------------------------------------------------------------ query classes


def _term(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    text = query.text.decode("utf-8") if isinstance(query.text, bytes) else query.text
    return scorer.bm25(query.fieldname, text, float(query.boost))


def _phrase(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    """Articles with the words side by side in order, scored as the sum of the words' BM25
    (whoosh scores a phrase like the AND of its words) times its boost; positions are read
    only in ``checked``, elsewhere holding all the words makes the phrase possible."""
    words = list(query.words)
    together, total = scorer.held_together(query)
    if len(words) == 1:
        return Matches.exact(together, total)
    to_check = together & checked
    if not to_check.any():  # nothing checked yet: every article holding the words may match
        return Matches(scorer.arrays.none, together, scorer.arrays.zeros, total)
    side_by_side = scorer.side_by_side(query.fieldname, tuple(words), to_check)
    possible = together & ~(to_check & ~side_by_side)
    return Matches(
        side_by_side, possible, np.where(side_by_side, total, 0.0), np.where(possible, total, 0.0)
    )


def _checks_positions(leaf: Any) -> bool:
    return isinstance(leaf, wq.Phrase) and len(leaf.words) > 1


def _among(keys: Docnums, ordered: Docnums) -> Mask:
    """Which ``keys`` are in ``ordered`` (ascending, as ``positions`` returns them): a binary
    search, where ``np.isin`` would sort again and import ``numpy.ma`` on a cold start."""
    places = np.searchsorted(ordered, keys)
    inside = places < ordered.size
    inside[inside] = ordered[places[inside]] == keys[inside]
    return inside


def _parts(scorer: ArrayScorer, query: Any, checked: Mask) -> list[Matches]:
    return [scorer.evaluate(part, checked) for part in query.subqueries]


def _any_of(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    parts = _parts(scorer, query, checked)
    if not parts:
        return scorer.nothing()
    arrays = scorer.arrays
    certain = arrays.union([p.certain for p in parts])
    low = arrays.total([p.low for p in parts])
    possible = certain if _masks_shared(parts) else arrays.union([p.possible for p in parts])
    high = low if _bounds_shared(parts) else arrays.total([p.high for p in parts])
    return Matches(certain, possible, low, high)


def _all_of(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    parts = _parts(scorer, query, checked)
    if not parts:
        return scorer.nothing()
    arrays = scorer.arrays
    certain = arrays.common([p.certain for p in parts])
    low = arrays.where(certain, arrays.total([p.low for p in parts]))
    possible = certain if _masks_shared(parts) else arrays.common([p.possible for p in parts])
    if possible is certain and _bounds_shared(parts):
        return Matches(certain, possible, low, low)
    high = arrays.where(possible, arrays.total([p.high for p in parts]))
    return Matches(certain, possible, low, high)


def _and_maybe(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    required, optional = (scorer.evaluate(part, checked) for part in (query.a, query.b))
    arrays = scorer.arrays
    low = arrays.where(required.certain, arrays.total([required.low, optional.low]))
    if _masks_shared([required]) and _bounds_shared([required, optional]):
        return Matches(required.certain, required.possible, low, low)
    high = arrays.where(required.possible, arrays.total([required.high, optional.high]))
    return Matches(required.certain, required.possible, low, high)


def _and_not(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    kept, excluded = scorer.evaluate(query.a, checked), scorer.membership(query.b, checked)
    arrays = scorer.arrays
    certain = arrays.without(kept.certain, excluded.possible)
    if _masks_shared([kept, excluded]):
        return _restricted(arrays, kept, certain, certain)
    return _restricted(arrays, kept, certain, arrays.without(kept.possible, excluded.certain))


def _require(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    scoring, required = scorer.evaluate(query.a, checked), scorer.membership(query.b, checked)
    arrays = scorer.arrays
    certain = arrays.common([scoring.certain, required.certain])
    if _masks_shared([scoring, required]):
        return _restricted(arrays, scoring, certain, certain)
    possible = arrays.common([scoring.possible, required.possible])
    return _restricted(arrays, scoring, certain, possible)


def _restricted(arrays: Arrays, scoring: Matches, certain: Mask, possible: Mask) -> Matches:
    """``scoring``'s scores, for the articles another clause lets through."""
    low = arrays.where(certain, scoring.low)
    if possible is certain and _bounds_shared([scoring]):
        return Matches(certain, possible, low, low)
    return Matches(certain, possible, low, arrays.where(possible, scoring.high))


def _masks_shared(parts: list[Matches]) -> bool:
    """Whether each part's two masks are one array (no phrase left unchecked decides it)."""
    return all(part.possible is part.certain for part in parts)


def _bounds_shared(parts: list[Matches]) -> bool:
    """Whether each part's two bounds are one array."""
    return all(part.high is part.low for part in parts)


def _every(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    return Matches.exact(scorer.live.copy(), np.ones(scorer.live.shape, dtype=np.float64))


def _null(scorer: ArrayScorer, query: Any, checked: Mask) -> Matches:
    return scorer.nothing()


_HANDLERS: dict[type, Callable[[ArrayScorer, Any, Mask], Matches]] = {
    wq.Term: _term,
    wq.Phrase: _phrase,
    ExactPair: _phrase,
    wq.Or: _any_of,
    wq.And: _all_of,
    wq.AndMaybe: _and_maybe,
    wq.AndNot: _and_not,
    wq.Require: _require,
    wq.Every: _every,
    type(wq.NullQuery): _null,
}


# Query classes whose handler applies the query's boost itself.
_BOOSTED_BY_HANDLER = frozenset({wq.Term, wq.Phrase, ExactPair})


def handled_query_classes() -> frozenset[type]:
    """The whoosh query classes the array scorer can score (others raise ``TypeError``)."""
    return frozenset(_HANDLERS)
