"""BM25F's parameters, in one place: whoosh's matchers and the array scorer must agree."""

from __future__ import annotations

from math import log
from typing import Any

from whoosh import scoring

B = 0.75
K1 = 1.2


def weighting() -> Any:
    """whoosh's BM25F with dvsearch's parameters, for searchers that use whoosh's matchers."""
    return scoring.BM25F(B=B, K1=K1)


def idf(doc_frequency: int, doc_count: int) -> float:
    """whoosh's idf (``Weighting.idf``, which its BM25F uses), for the array scorer: articles
    deleted but not yet merged away still count, as they do in whoosh."""
    return log(doc_count / (doc_frequency + 1)) + 1
