"""whoosh's matchers as the engine adjusts them (``engine/matchers.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.matching import ArrayUnionMatcher

from dvsearch.engine import matchers
from dvsearch.engine.public import query as wq
from dvsearch.index.build import open_snapshot

WORDS = ("dan", "van", "kheo", "mat", "tran")


def _scored(matcher: Any) -> list[tuple[int, float]]:
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.score()))
        matcher.next()
    return found


def _or(words: tuple[str, ...]) -> Any:
    return wq.Or([wq.Term("body", word, boost=1.0 + i / 10) for i, word in enumerate(words)])


def test_an_or_over_a_small_segment_scores_as_whoosh_with_a_block_its_size(
    seeds_index: Path,
) -> None:
    """whoosh preloads an Or of three or more words into 2,048 scores on a small segment; the
    engine's array is the segment's size, and every article scores exactly the same."""
    with open_snapshot(seeds_index).index.searcher() as searcher:
        context = searcher.context(weighting=searcher.weighting)
        plain = _or(WORDS).matcher(searcher, context)
        sized = matchers.synced(_or(WORDS)).matcher(searcher, context)
        assert isinstance(plain, ArrayUnionMatcher) and plain._partsize == 2048
        assert isinstance(sized, ArrayUnionMatcher)
        assert sized._partsize == searcher.doc_count_all() == 5
        found = _scored(sized)
        assert found == _scored(plain)
        assert len(found) >= 3


def test_an_or_whoosh_unions_pairwise_is_left_to_whoosh(seeds_index: Path) -> None:
    """Two words, or a parent that needs the current article, keep whoosh's union tree."""
    with open_snapshot(seeds_index).index.searcher() as searcher:
        context = searcher.context(weighting=searcher.weighting)
        pair = matchers.synced(_or(WORDS[:2])).matcher(searcher, context)
        current = matchers.synced(_or(WORDS)).matcher(searcher, context.set(needs_current=True))
        assert not isinstance(pair, ArrayUnionMatcher)
        assert not isinstance(current, ArrayUnionMatcher)
        assert _scored(pair) == _scored(_or(WORDS[:2]).matcher(searcher, context))
