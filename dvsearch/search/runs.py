"""A rerank of a long query's best articles by the longest run of its words in a row.

A user who remembers a few words of an article (*phát hiện thi thể không đầu*) types them in
order. BM25 and the pair phrases score each word and each adjacent pair wherever it stands, so
an article that repeats the words here and there can outrank the one that says them all in a
row. Here the best ``CANDIDATES`` articles of a query of at least ``MIN_SYLLABLES`` syllables
have their scores raised by how long a stretch of the query (folded syllables, in order,
side by side) they hold, as a share of the query's length, cubed; runs shorter than
``MIN_RUN`` syllables or ``MIN_SHARE`` of the query change nothing. A short query, a
headline's few words, or a query whose words no article holds together, keeps its order.

The runs are found in the index's positions (``dvsearch/engine/positions.py``), for those few
articles only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from dvsearch.engine.positions import RunSource
from dvsearch.engine.results import Ranked
from dvsearch.vietnamese.syllables import Syllable

MIN_SYLLABLES = 4  # shorter queries: a run of their words is what the pair phrases score
MIN_RUN = 3  # a run of two is a pair, already scored
# A run must hold this share of the query: a remembered fragment is there whole, while a
# question's framing words in a row (*công ty khai thác mỏ* of *Iqbal mở công ty khai thác mỏ
# nào*) are what a distractor holds and the answer paraphrases.
MIN_SHARE = 0.75
CANDIDATES = 50  # articles reranked: the rest cannot gain enough to matter
WEIGHT = 1.0  # a whole query in a row multiplies the score by 1 + WEIGHT
# The share of the query in a row is cubed, so only long runs pay: half the query adds 12.5%.
# MRR@10 of the quick harness's 150 fragments / 150 vietnews headlines, typed as written,
# against 0.962 / 0.947 without the rerank: share as is, 0.983 / 0.941; squared, 0.983 /
# 0.948; cubed, 0.983 / 0.949 (MIN_RUN 4 with the share as is: 0.983 / 0.943).
EXPONENT = 3.0
FIELD = "body"  # a headline typed whole already scores as the title's pairs and terms


class RunRerank(NamedTuple):
    """The rerank for one query's runs of plain words or quoted phrases (folded syllables)."""

    runs: tuple[tuple[str, ...], ...]
    limit: int

    @classmethod
    def for_query(cls, runs: Sequence[Sequence[Syllable]], limit: int) -> RunRerank | None:
        """The rerank of a query's runs (``highlight.query_runs``, typos repaired), None when
        no run is long enough to be worth it."""
        folded = tuple(tuple(s.folded for s in run) for run in runs)
        if not any(len(run) >= MIN_SYLLABLES for run in folded):
            return None
        return cls(folded, limit)

    @property
    def depth(self) -> int:
        """How many articles to ask the engine for."""
        return max(self.limit, CANDIDATES)

    def apply(self, ranked: Ranked, source: RunSource) -> Ranked:
        """``ranked`` with its first ``CANDIDATES`` articles reordered, cut to the limit."""
        head = [(d, s) for d, s in ranked.best[:CANDIDATES] if s is not None]
        if len(head) < 2:
            return _cut(ranked, ranked.best, self.limit)
        runs = self.longest_runs(source, self._may_reach_the_cut(head))
        size = sum(len(run) for run in self.runs)
        rescored = [(d, score * factor(runs.get(d, 0), size)) for d, score in head]
        rescored.sort(key=lambda item: -item[1])  # stable: ties keep the engine's order
        return _cut(ranked, rescored + ranked.best[len(head) :], self.limit)

    def _may_reach_the_cut(self, head: list[tuple[int, float]]) -> list[int]:
        """The articles whose runs can change the hits: no factor is below 1, so the first
        ``limit`` articles keep at least their scores, and one that even a whole query in a
        row leaves below the last of them stays out of the hits: its positions are never read
        (19 of the 50 candidates of ``cải cách hành chính`` on the quick speed index)."""
        if len(head) <= self.limit:
            return [docnum for docnum, _ in head]
        cut = head[self.limit - 1][1]
        return [docnum for docnum, score in head if score * (1.0 + WEIGHT) >= cut]

    def longest_runs(self, source: RunSource, docnums: list[int]) -> dict[int, int]:
        """Per article, the longest stretch of a query run it holds in a row in its body."""
        best: dict[int, int] = {}
        for run in self.runs:
            for docnum, length in source.longest_runs(FIELD, run, docnums).items():
                best[docnum] = max(best.get(docnum, 0), length)
        return best


def factor(run: int, size: int) -> float:
    """What a run of ``run`` syllables of a ``size``-syllable query multiplies a score by."""
    if run < MIN_RUN or size < MIN_SYLLABLES or run < MIN_SHARE * size:
        return 1.0
    share: float = (run / size) ** EXPONENT
    return 1.0 + WEIGHT * share


def _cut(ranked: Ranked, best: list[tuple[int, float | None]], limit: int) -> Ranked:
    kept = best[:limit]
    numbers = {docnum for docnum, _ in kept}
    return ranked._replace(best=kept, all_words=ranked.all_words & numbers)
