"""Whether two terms stand side by side somewhere in a field, read straight from the postings.

A whoosh ``Phrase`` query builds scored matchers for every segment (tens of milliseconds each on
a small archive); accent restoration asks this of a few dozen pairs per query, so it walks the
two posting lists itself, unscored, and stops at the first article holding the pair.
"""

from __future__ import annotations

from typing import Any

COMMON_ARTICLES_READ = 200  # articles holding both terms looked at before giving up


def side_by_side(searcher: Any, field: str, left: str, right: str) -> bool:
    """True when ``left`` is followed by ``right`` in ``field`` of a live article; False when
    not, or not found among the first ``COMMON_ARTICLES_READ`` articles holding both."""
    if field not in searcher.schema:
        return False
    encode = searcher.schema[field].to_bytes
    terms = (encode(left), encode(right))
    budget = COMMON_ARTICLES_READ
    for leaf, _base in searcher.reader().leaf_readers():
        if not all((field, term) in leaf for term in terms):
            continue
        found, budget = _in_leaf(leaf, field, terms, budget)
        if found:
            return True
        if budget <= 0:
            return False
    return False


def _in_leaf(leaf: Any, field: str, terms: tuple[bytes, bytes], budget: int) -> tuple[bool, int]:
    first, second = (leaf.postings(field, term) for term in terms)
    while first.is_active() and second.is_active() and budget > 0:
        a, b = first.id(), second.id()
        if a < b:
            first.skip_to(b)
        elif b < a:
            second.skip_to(a)
        else:
            budget -= 1
            if not leaf.is_deleted(a):
                starts = {p + 1 for p in first.value_as("positions")}
                if not starts.isdisjoint(second.value_as("positions")):
                    return True, budget
            first.next()
            second.next()
    return False, budget
