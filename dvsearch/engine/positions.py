"""The longest run of consecutive terms in a few given articles, on either engine.

What the run rerank (``dvsearch/search/runs.py``) asks of the index: for a query's folded
syllables ``t0 t1 … tn`` and its best few dozen articles, the most consecutive ones of them
each article holds at consecutive positions of a field, like a phrase that may match in part.
A run ending at ``ti`` in position ``p`` is one longer than the run ending at ``ti-1`` in
``p - 1``; the longest over every ``i`` and ``p`` is the article's. Both sources answer
``{article number: longest run}`` for the articles holding a term:

- ``MatcherRuns``: positions from whoosh's own posting matchers, skipped to each article in
  turn (the whoosh engine, which must not load numpy);
- ``ArrayRuns``: positions from the array scorer's ``IndexReader`` as sorted keys, with the
  step above done for every article at once (the query's phrase checks have mostly just
  decoded the same blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dvsearch.engine.scoring import ArrayScorer

Runs = dict[int, int]


class RunSource(Protocol):
    """The longest run of consecutive ``terms`` of ``field`` in each of a few articles."""

    def longest_runs(self, field: str, terms: Sequence[str], docnums: Sequence[int]) -> Runs:
        """``{docnum: longest run}`` for those of ``docnums`` holding one of the terms."""
        ...


class MatcherRuns:
    """Runs found through whoosh's matchers of an open searcher."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher

    def longest_runs(self, field: str, terms: Sequence[str], docnums: Sequence[int]) -> Runs:
        """``{docnum: longest run}`` for those of ``docnums`` holding one of the terms."""
        known: dict[str, dict[int, list[int]]] = {}
        best: Runs = {}
        ending: dict[int, dict[int, int]] = {}  # docnum -> position -> run ending there
        for term in terms:
            places = known.get(term)
            if places is None:
                places = known[term] = self._positions(field, term, sorted(docnums))
            ending = {
                docnum: {p: ending.get(docnum, {}).get(p - 1, 0) + 1 for p in at}
                for docnum, at in places.items()
            }
            for docnum, runs in ending.items():
                best[docnum] = max(best.get(docnum, 0), *runs.values())
        return best

    def _positions(self, field: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
        reader = self._searcher.reader()
        if field not in self._searcher.schema or (field, text) not in reader:
            return {}
        matcher = reader.postings(field, text)
        found: dict[int, list[int]] = {}
        for docnum in docnums:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum] = list(matcher.value_as("positions"))
        return found


class ArrayRuns:
    """Runs found in the array scorer's position keys, every article at once."""

    def __init__(self, scorer: ArrayScorer) -> None:
        self._scorer = scorer

    def longest_runs(self, field: str, terms: Sequence[str], docnums: Sequence[int]) -> Runs:
        """``{docnum: longest run}`` for those of ``docnums`` holding one of the terms."""
        import numpy as np  # loaded already: this engine is the numpy one

        from dvsearch.engine.reader import POSITION_BITS

        if not docnums:
            return {}
        wanted = self._scorer.mask_of(docnums)
        best = np.zeros(self._scorer.reader.size, dtype=np.int64)
        keys = np.zeros(0, dtype=np.int64)
        runs = np.zeros(0, dtype=np.int64)
        for term in terms:
            found = self._scorer.reader.positions(field, term, wanted)
            if keys.size:
                at = np.minimum(np.searchsorted(keys, found - 1), keys.size - 1)
                runs = np.where(keys[at] == found - 1, runs[at], 0) + 1
            else:
                runs = np.ones(found.size, dtype=np.int64)
            keys = found
            np.maximum.at(best, keys >> POSITION_BITS, runs)
        held = np.flatnonzero(best)
        return dict(zip(held.tolist(), best[held].tolist(), strict=True))
