"""Every whoosh query class that ranking builds has a handler in the array scorer.

The array scorer walks whoosh's query trees class by class and refuses a class it does not
know; a new clause in ``ranking.py`` must therefore come with its handler. Queries of every
shape the query language allows are built here and the classes in their trees collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dvsearch.engine import scoring
from dvsearch.engine.exact_pairs import ExactPair
from dvsearch.engine.public import query as wq
from dvsearch.index.build import open_snapshot
from dvsearch.search.query import parse_query
from dvsearch.search.ranking import QueryBuilder
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.abbreviations import Expander

SHAPES = (
    "dân vận",  # words typed with accents: folded, exact, pairs, compounds, the Require anchor
    "dan van kheo",  # without accents: accents restored from the vocabulary
    "triên khai",  # a typo repaired
    "Dân",  # one syllable
    "ý kiến ở",  # one-letter syllables
    "của Hội Nông dân",  # a word in most articles acts as a stop word
    "của",  # only common words
    '"Ban Dân vận"',  # a phrase
    '"dân"',  # a phrase of one word
    '"ban dan van"',  # a phrase without accents
    "title:khéo",  # field prefixes
    'title:"dân vận"',
    "author:Mai Trâm",
    "body:dân AND title:vận",
    'body:"Dân vận" AND title:khéo',
    "MTTQ",  # abbreviations, short and long, and expansions
    "TU",
    "HĐND tỉnh",
    "Mặt trận Tổ quốc",
    "464-QĐ/TU",
    "dân vận OR mặt trận",
    "hội nghị AND (sơ kết OR tổng kết)",
    "dân vận NOT 2017",
    "dân vận -Lang",
    "-2017",
    "NOT dân",
    'khéo "dân vận"',  # a phrase beside plain words: the words only rank
    'title:khéo dân vận -"Ban Dân vận"',
    "Tỉnh uỷ",
    "(dân OR vận) AND (khéo OR -mặt)",
)
# What ranking builds today; a new class here needs a handler in the array scorer first.
RANKING_CLASSES = frozenset(
    {wq.Term, wq.Phrase, ExactPair, wq.Or, wq.And, wq.AndMaybe, wq.AndNot, wq.Require, wq.Every}
)


@pytest.fixture(scope="module")
def builder(seeds_index: Path) -> QueryBuilder:
    """A builder with the seed index's abbreviations and vocabulary; ``của`` is common."""
    snapshot = open_snapshot(seeds_index)
    shares = {"cua": 0.9, "trien": 0.0}
    return QueryBuilder(
        Expander(snapshot.abbreviations),
        snapshot.vocabulary,
        lambda folded: shares.get(folded, 0.1),
    )


def _classes(query: Any) -> Iterator[type]:
    yield type(query)
    for child in query.children():
        yield from _classes(child)


def test_every_query_class_ranking_builds_has_a_handler(builder: QueryBuilder) -> None:
    built = {cls for shape in SHAPES for cls in _classes(builder.build(parse_query(shape)))}
    assert (built, built - scoring.handled_query_classes()) == (RANKING_CLASSES, set())


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_ranks_the_same_on_both_engines(seeds_index: Path, shape: str) -> None:
    with (
        Searcher(seeds_index, engine="arrays") as fast,
        Searcher(seeds_index, engine="whoosh") as plain,
    ):
        ours, theirs = fast.search(shape, passages=0), plain.search(shape, passages=0)
    assert [h.id for h in ours.hits] == [h.id for h in theirs.hits]
    assert [h.score for h in ours.hits] == pytest.approx([h.score for h in theirs.hits])
    assert ours.total == theirs.total
