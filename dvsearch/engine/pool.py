"""whoosh's pool of postings waiting to be sorted, with a cheaper ``add``.

A writer adds every posting of every field to the pool (270,000 for 390 articles); whoosh's
``PostingPool.add`` checks types and adds up nine sizes for each, the most called method of
a build. This one keeps the same size estimate (so the pool spills to disk at the same
postings) in one expression.
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import PostingPool

# whoosh's estimate of a posting tuple's bytes, less its three variable parts: the tuple,
# the field name, the term, the article number, the weight and the value as Python objects.
_FIXED_SIZE = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


class LeanPostingPool(PostingPool):  # type: ignore[misc]
    """``PostingPool`` whose ``add`` does whoosh's accounting without its asserts."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        value = item[4]
        self.currentsize += (
            _FIXED_SIZE + len(item[0]) + 2 * len(item[1]) + (len(value) if value else 0)
        )
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


def with_lean_pool(writer: Any) -> Any:
    """``writer`` with its empty whoosh pool swapped for a ``LeanPostingPool``."""
    pool = writer.pool
    lean = LeanPostingPool.__new__(LeanPostingPool)
    lean.__dict__.update(pool.__dict__)
    writer.pool = lean
    return writer
