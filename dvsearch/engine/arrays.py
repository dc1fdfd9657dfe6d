"""Element-wise arithmetic over whole-archive arrays, for the array scorer, skipping what
changes nothing.

Each clause of a query is scored as arrays as long as the archive (``scoring.py``), and every
operation on them costs the same however few articles it concerns: at 37,773 articles the
element-wise operations combining clauses were a third of a warm query. Most of them changed
nothing: an empty mask OR-ed in, a zero score added, a clause's two bounds (or two masks)
computed twice while they are one array. ``Arrays`` owns the shared "nothing" arrays and does
each operation without those.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dvsearch.engine.reader import Mask, Scores


class Arrays:
    """Element-wise arithmetic over one index's arrays: one read-only empty mask and one zero
    score stand for every "nothing" (an OR or a sum skips them, an AND with one is empty), an
    array named twice in an OR or an AND counts once, and a single array is returned as it is.
    Callers compute a result once where a clause's two bounds (or masks) are one array. Every
    value is the one the plain operation gives: adding 0.0 to a non-negative score, or OR-ing
    an empty mask, changes nothing (BM25 scores and boosts are positive).
    """

    def __init__(self, size: int) -> None:
        self.none: Mask = _read_only(np.zeros(size, dtype=bool))
        self.zeros: Scores = _read_only(np.zeros(size, dtype=np.float64))

    def union(self, masks: list[Mask]) -> Mask:
        """Articles in any of the masks."""
        distinct = [m for m in _distinct(masks) if m is not self.none]
        found: Mask = _combined(distinct or [self.none], np.logical_or)
        return found

    def common(self, masks: list[Mask]) -> Mask:
        """Articles in every mask."""
        if any(m is self.none for m in masks):
            return self.none
        found: Mask = _combined(_distinct(masks), np.logical_and)
        return found

    def without(self, mask: Mask, excluded: Mask) -> Mask:
        """Articles of ``mask`` not in ``excluded``."""
        if excluded is self.none or mask is self.none:
            return mask
        found: Mask = mask & ~excluded
        return found

    def total(self, scores: list[Scores]) -> Scores:
        """The sum of the scores, article by article, in the order given."""
        found: Scores = _combined(
            [a for a in scores if a is not self.zeros] or [self.zeros], np.add
        )
        return found

    def where(self, mask: Mask, scores: Scores) -> Scores:
        """``scores`` in the articles of ``mask``, zero elsewhere."""
        if mask is self.none or scores is self.zeros:
            return self.zeros
        found: Scores = np.where(mask, scores, 0.0)
        return found

    def times(self, scores: Scores, factor: float) -> Scores:
        """The scores times ``factor``."""
        if factor == 1.0 or scores is self.zeros:
            return scores
        found: Scores = scores * factor
        return found


def _combined(arrays: list[Any], operation: np.ufunc) -> Any:
    """``operation`` element-wise over a few whole-index arrays, in place in a copy of the
    first: numpy's reductions over a list first stack it into a new 2-D array, which cost a
    fifth of a long query's time. One array is returned as it is (never changed in place)."""
    if len(arrays) == 1:
        return arrays[0]
    result = arrays[0].copy()
    for array in arrays[1:]:
        operation(result, array, out=result)
    return result


def _distinct(masks: list[Mask]) -> list[Mask]:
    """The masks without repeats of one array (for idempotent operations only)."""
    return list({id(mask): mask for mask in masks}.values())


def _read_only(array: Any) -> Any:
    array.flags.writeable = False
    return array
