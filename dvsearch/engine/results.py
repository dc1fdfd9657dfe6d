"""What either engine answers for a query: whoosh's matchers and the array scorer alike."""

from __future__ import annotations

from typing import NamedTuple


class Ranked(NamedTuple):
    """The top articles as ``(docnum, score)``, and how many matched in all.

    A score is None where the engine gives none: whoosh's matchers sorting by date. Both
    engines take an "all words" query beside the scored one (``QueryBuilder.all_words``): the
    matches it also matches are counted apart and flagged among ``best`` (whose order it does
    not change); without one, every match counts as having all the words."""

    best: list[tuple[int, float | None]]
    total: int
    total_exact: bool  # False when estimated (see ``ArrayScorer.top``)
    total_all: int  # the matches with every word, ``total`` at most
    total_all_exact: bool
    all_words: frozenset[int]  # which docnums of ``best`` have every word
