"""Block heads: what goes in comes back out, and whoosh's matchers navigate dvsearch's blocks
(skip to an article, skip by quality, block statistics) exactly as they navigate whoosh's own
W3 blocks of the same postings."""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.reading import TermInfo
from whoosh.scoring import BM25F

from dvsearch.engine import blocks
from dvsearch.engine.heads import REACH, Head, decode_head, encode_head
from dvsearch.engine.postings import Codec, CompactPositions

_WORDS = ["common", "often", "some", "rare"]


@pytest.mark.parametrize(
    "head",
    [
        Head(1, blocks.ALL_WEIGHTS_ONE, 0, 7, 7, 1.0, 0, 0, 0),
        Head(
            128, blocks.HAS_VALUES | blocks.COMPRESSED, 1 | 3 << 2, 5, 90_000, 0.75, 3, 93_416, 700
        ),
        Head(2, blocks.HAS_VALUES, 2 | 1 << 2, 2**31, 2**32 - 1, 70_000.0, 106_374, 106_374, 2**20),
        Head(3, blocks.VALUES_ARE_WEIGHTS, 0, 0, 200, 0.0, 0, 9, 0),
        Head(40, blocks.HAS_VALUES | blocks.LAST, 1 | 2 << 2, 300, 4_000, 66_000.0, 1, 2, -1),
    ],
)
def test_a_head_reads_back_as_written(head: Head) -> None:
    raw = encode_head(head, only=False)
    assert len(raw) <= REACH
    assert decode_head(raw + b"\xff" * REACH, None) == (head, len(raw))


def test_a_terms_only_block_takes_its_statistics_from_the_term_info() -> None:
    """Its head is the flags and the weights' width, one or two bytes, and for fractional
    weights their maximum as whoosh has it (a double; the term info's is a float32)."""
    term = TermInfo(17.0, 5, 4, 8, 3.299999952316284, 11, 90)  # weight, count, lengths, …
    stated = Head(5, 0, 0, 11, 90, 3.299999952316284, 4, 8, -1)
    flags = blocks.LAST | blocks.HAS_VALUES
    ones = Head(5, flags | blocks.ALL_WEIGHTS_ONE, 1, 11, 90, 1.0, 4, 8, 30)
    whole = Head(5, flags, 1 | 1 << 2, 11, 90, 3.0, 4, 8, 30)
    fractional = Head(5, flags, 1 | 3 << 2, 11, 90, 3.3, 4, 8, 30)
    read = [decode_head(encode_head(head, True), term) for head in (ones, whole, fractional)]
    assert read == [
        (stated._replace(flags=ones.flags, widths=ones.widths), 1),
        (stated._replace(flags=flags, widths=whole.widths), 2),
        (stated._replace(flags=flags, widths=fractional.widths, max_weight=3.3), 10),
    ]


def _schema() -> Schema:
    body = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)
    body.format = CompactPositions()
    scaled = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False, field_boost=0.3)
    return Schema(id=ID(stored=True), body=body, scaled=scaled)


def _build(folder: Path, codec: Any) -> Path:
    """700 articles in two segments: terms of one posting, of one block and of several
    blocks of 128, fractional weights (a field boost of 0.3) and whole ones."""
    chance = random.Random(11)
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), _schema())
    for share in (range(500), range(500, 700)):
        writer = ix.writer(codec=codec)
        for number in share:
            words = [chance.choice(_WORDS[:3]) for _ in range(chance.randint(1, 60))]
            words += ["rare"] if number % 97 == 0 else []
            words += ["lonely"] if number == 321 else []
            text = " ".join(words)
            writer.add_document(id=str(number), body=text, scaled=text)
        writer.commit()
    return folder


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same articles written with dvsearch's codec and with whoosh's own."""
    folder = tmp_path_factory.mktemp("heads")
    return _build(folder / "ours", Codec()), _build(folder / "whooshs", W3Codec())


def _matchers(folder: Path, field: str, word: str) -> Iterator[tuple[Any, Any]]:
    """Each segment's matcher of the term, with a BM25F scorer for block quality."""
    with whoosh_index.open_dir(str(folder)).searcher(weighting=BM25F()) as searcher:
        for leaf, _base in searcher.reader().leaf_readers():
            if (field, word) in leaf:
                scorer = searcher.weighting.scorer(searcher, field, word)
                yield leaf, leaf.postings(field, word, scorer=scorer)


def _walk(matcher: Any, exact: bool = False) -> list[tuple[Any, ...]]:
    """Every block's statistics and postings as whoosh's matcher methods give them, its
    quality rounded unless ``exact``."""
    found = []
    while matcher.is_active():
        statistics = (
            matcher.block_max_id(),
            matcher.block_min_length(),
            matcher.block_max_length(),
        )
        weight = array("f", [matcher.block_max_weight()])[0]  # whoosh kept a double
        postings = []
        while True:
            postings.append((matcher.id(), matcher.weight(), matcher.value()))
            if matcher.next():
                break
        found.append(
            (
                *statistics,
                weight,
                matcher.block_quality() if exact else round(matcher.block_quality(), 4),
                postings,
            )
        )
    return found


_TERMS = [(field, word) for field in ("body", "scaled") for word in [*_WORDS, "lonely"]]


@pytest.mark.parametrize(("field", "word"), _TERMS)
def test_blocks_read_as_whooshs_own(indexes: tuple[Path, Path], field: str, word: str) -> None:
    ours, whooshs = indexes
    mine = [_walk(matcher) for _, matcher in _matchers(ours, field, word)]
    theirs = [_walk(matcher) for _, matcher in _matchers(whooshs, field, word)]
    assert mine == theirs
    assert sum(len(blocks_) for blocks_ in mine) >= (5 if word == "common" else 1)


def _after(matcher: Any, move: str, target: float) -> tuple[Any, ...]:
    """Where the matcher stands after ``skip_to(target)`` or ``skip_to_quality(target)``."""
    getattr(matcher, move)(target)
    if not matcher.is_active():
        return ("done",)
    return matcher.id(), matcher.block_max_id(), matcher.weight()


@pytest.mark.parametrize(("field", "word"), _TERMS)
def test_skipping_lands_where_whooshs_own_blocks_land(
    indexes: tuple[Path, Path], field: str, word: str
) -> None:
    ours, whooshs = indexes
    targets = [("skip_to", float(n)) for n in range(0, 520, 13)]
    qualities = [b[4] for _, m in _matchers(whooshs, field, word) for b in _walk(m, exact=True)]
    targets += [("skip_to_quality", q + step) for q in qualities for step in (-1e-9, 0.0)]
    for move, target in targets:
        mine = [_after(m, move, target) for _, m in _matchers(ours, field, word)]
        theirs = [_after(m, move, target) for _, m in _matchers(whooshs, field, word)]
        assert (move, target, mine) == (move, target, theirs)
