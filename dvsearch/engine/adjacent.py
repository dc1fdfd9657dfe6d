"""Whether two terms stand side by side somewhere in a field, read straight from the postings.

A whoosh ``Phrase`` query builds scored matchers for every segment (tens of milliseconds each on
a small archive); accent restoration asks this of a few dozen pairs per query, so it walks the
two posting lists itself, unscored, and stops at the first article holding the pair. An exact
field keeping no positions (``exact_pairs.AccentedText``) is asked through its folded twin's
positions and its accents column, in the same articles: those holding both exact terms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dvsearch.engine.exact_pairs import AccentedText, PairCheck

COMMON_ARTICLES_READ = 200  # articles holding both terms looked at before giving up


def side_by_side(searcher: Any, field: str, left: str, right: str) -> bool:
    """True when ``left`` is followed by ``right`` in ``field`` of a live article; False when
    not, or not found among the first ``COMMON_ARTICLES_READ`` articles holding both."""
    if field not in searcher.schema:
        return False
    kind = searcher.schema[field]
    terms = (kind.to_bytes(left), kind.to_bytes(right))
    budget = COMMON_ARTICLES_READ
    for leaf, _base in searcher.reader().leaf_readers():
        if not all((field, term) in leaf for term in terms):
            continue
        first, second = (leaf.postings(field, term) for term in terms)
        holds: Callable[[int], bool]
        if isinstance(kind, AccentedText):
            holds = PairCheck(leaf, field, kind.folded_twin, (left, right))
        else:
            holds = _positions_check(first, second)
        found, budget = _in_leaf(leaf, first, second, holds, budget)
        if found:
            return True
        if budget <= 0:
            return False
    return False


def _in_leaf(
    leaf: Any, first: Any, second: Any, holds: Callable[[int], bool], budget: int
) -> tuple[bool, int]:
    """Step the two terms' postings to the articles holding both, and ask ``holds`` of each
    live one, within ``budget`` of them."""
    while first.is_active() and second.is_active() and budget > 0:
        a, b = first.id(), second.id()
        if a < b:
            first.skip_to(b)
        elif b < a:
            second.skip_to(a)
        else:
            budget -= 1
            if not leaf.is_deleted(a) and holds(a):
                return True, budget
            first.next()
            second.next()
    return False, budget


def _positions_check(first: Any, second: Any) -> Callable[[int], bool]:
    """Whether the two matchers, on the same article, stand side by side in it."""

    def holds(docnum: int) -> bool:
        starts = {p + 1 for p in first.value_as("positions")}
        return not starts.isdisjoint(second.value_as("positions"))

    return holds
