"""BM25F's parameters, in one place: whoosh's matchers and the array scorer must agree."""

from __future__ import annotations

from typing import Any

from whoosh import scoring

B = 0.75
K1 = 1.2


def weighting() -> Any:
    """whoosh's BM25F with dvsearch's parameters, for searchers that use whoosh's matchers."""
    return scoring.BM25F(B=B, K1=K1)
