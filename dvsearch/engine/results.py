"""What either engine answers for a query: whoosh's matchers and the array scorer alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    """The top articles as ``(docnum, score)``, and how many matched in all.

    A score is None where the engine gives none: whoosh's matchers sorting by date."""

    best: list[tuple[int, float | None]]
    total: int
    total_exact: bool  # False when estimated (see ``ArrayScorer.top``)
