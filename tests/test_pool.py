"""The lean pool of postings counts their sizes as whoosh's does, so it spills at the same
postings."""

from __future__ import annotations

from typing import Any

from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

from dvsearch.engine.pool import LeanPostingPool


def _sizes(pool_class: Any) -> tuple[list[int], list[int]]:
    """The pool's size estimate after each posting, and its number of runs saved to storage
    after each posting, with a limit of about a dozen postings."""
    pool = pool_class(RamStorage(), None, limitmb=1)
    pool.limit = 2_000
    sizes, runs = [], []
    for docnum in range(40):
        value = None if docnum % 3 == 0 else b"\x00" * docnum
        pool.add(("body", f"term{docnum % 7}".encode(), docnum, 1.0 + docnum, value))
        sizes.append(pool.currentsize)
        runs.append(len(pool.runs))
    assert sorted(pool.fieldnames) == ["body"]
    pool.cleanup()
    return sizes, runs


def test_the_lean_pool_counts_and_spills_as_whooshs() -> None:
    sizes, runs = _sizes(LeanPostingPool)
    assert (sizes, runs) == _sizes(PostingPool)
    assert runs[-1] >= 2
