"""dvsearch's posting blocks: what goes in comes back out, through whoosh, through numpy, and
through the engine's reader (``IndexReader``), which the array scorer reads them by."""

from __future__ import annotations

import itertools
import random
import shutil
from array import array
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint

from dvsearch.engine.decoding import Block, PlainBlock
from dvsearch.engine.postings import Codec, CompactPositions, encode_block
from dvsearch.engine.reader import POSITION_BITS, IndexReader

_WORDS = ["common", "often", "rare", "dân", "vận"]


def _schema() -> Schema:
    body = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)
    body.format = CompactPositions()
    return Schema(
        id=ID(stored=True),
        body=body,
        counted=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False),
    )


def _documents() -> list[list[str]]:
    """300 articles, enough for several blocks of 128, and one so long that its position gaps
    no longer fit in 16 bits."""
    chance = random.Random(3)
    documents = []
    for number in range(300):
        words = ["common"] + [chance.choice(_WORDS[:2]) for _ in range(chance.randint(1, 30))]
        if number % 37 == 0:
            words.append("rare")
        if number % 5 == 0:
            words += ["dân", "vận"]
        documents.append(words)
    documents[150] = ["far"] + ["x"] * 70_000 + ["far", "common"]
    return documents


def _expected(documents: list[list[str]], word: str) -> dict[int, list[int]]:
    found = {}
    for docnum, words in enumerate(documents):
        positions = [position for position, w in enumerate(words) if w == word]
        if positions:
            found[docnum] = positions
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    """The documents in two segments, the second written by a later writer."""
    folder = tmp_path_factory.mktemp("postings")
    documents = _documents()
    ix = whoosh_index.create_in(str(folder), _schema())
    for share in (documents[:200], documents[200:]):
        writer = ix.writer(codec=Codec())
        for words in share:
            text = " ".join(words)
            writer.add_document(id=str(len(words)), body=text, counted=text)
        writer.commit()
    return folder, documents


@pytest.mark.parametrize("word", ["common", "often", "rare", "dân", "far"])
def test_whoosh_reads_the_positions_written(
    written: tuple[Path, list[list[str]]], word: str
) -> None:
    """whoosh's own matchers (its phrase queries and the reference engine use them)."""
    folder, documents = written
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        matcher = searcher.postings("body", word)
        read = dict(matcher.items_as("positions"))
    assert read == _expected(documents, word)


@pytest.mark.parametrize("word", ["common", "often", "rare", "far", "x"])
def test_blocks_give_ids_weights_and_positions_as_arrays(
    written: tuple[Path, list[list[str]]], word: str
) -> None:
    folder, documents = written
    expected = _expected(documents, word)
    read: dict[int, list[int]] = {}
    weights: dict[int, float] = {}
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        for leaf, base in searcher.reader().leaf_readers():
            if ("body", word) not in leaf:
                continue
            matcher = leaf.postings("body", word)
            while matcher.is_active():
                block = matcher.block(with_values=True)
                for docnum, position in zip(*block.occurrences(), strict=True):
                    read.setdefault(base + int(docnum), []).append(int(position))
                for docnum, weight in zip(block.ids.tolist(), block.weights.tolist(), strict=True):
                    weights[base + docnum] = weight
                matcher._next_block()
    assert read == expected
    assert weights == {docnum: float(len(places)) for docnum, places in expected.items()}


def test_frequencies_without_positions_are_kept(written: tuple[Path, list[list[str]]]) -> None:
    folder, documents = written
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        read = dict(searcher.postings("counted", "often").items_as("frequency"))
    expected = {d: len(places) for d, places in _expected(documents, "often").items()}
    assert read == expected


def test_frequencies_equal_to_the_weights_are_not_stored_twice() -> None:
    """A field without positions gives each posting its frequency as a value and as a weight:
    the block keeps the weights only, and gives whoosh the same value bytes back."""
    ids, frequencies = array("I", [1, 4, 9]), [1, 3, 70_000]
    values = [pack_uint(frequency) for frequency in frequencies]
    head, data = encode_block(ids, array("f", frequencies), values, Frequency(), 3)
    doubled = [2.0 * frequency for frequency in frequencies]  # a field boost of 2
    kept_head, kept = encode_block(ids, array("f", doubled), values, Frequency(field_boost=2.0), 3)
    assert PlainBlock(head, data, False).values() == tuple(values)
    assert PlainBlock(kept_head, kept, False).values() == tuple(values)
    assert len(kept) - len(data) == 4 * len(values)


def test_phrases_and_a_merge_read_the_same(
    written: tuple[Path, list[list[str]]], tmp_path: Path
) -> None:
    """whoosh's phrase query on the blocks, before and after merging the segments into one."""
    from whoosh.query import Phrase

    original, documents = written
    folder = tmp_path / "merged"
    shutil.copytree(original, folder)
    expected = {d for d, words in enumerate(documents) if "dân vận" in " ".join(words)}
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        assert set(searcher.docs_for_query(Phrase("body", ["dân", "vận"]))) == expected
    ix.writer(codec=Codec()).commit(optimize=True)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 1
        assert set(searcher.docs_for_query(Phrase("body", ["dân", "vận"]))) == expected
        assert dict(searcher.postings("body", "far").items_as("positions")) == {150: [0, 70_001]}
        read = dict(searcher.postings("counted", "often").items_as("frequency"))
    assert read == {d: len(places) for d, places in _expected(documents, "often").items()}


def test_compact_positions_encode_what_they_decode() -> None:
    compact = CompactPositions()
    for positions in ([0], [3, 4, 90], [5, 70_000, 140_001], list(range(0, 1000, 7))):
        value = compact.encode(positions)
        assert compact.decode_positions(value) == positions
        assert compact.decode_frequency(value) == len(positions)
        assert len(value) == 4 * len(positions)


@pytest.mark.parametrize(
    ("ids", "weights"),
    [
        ([0, 1, 2, 300], [1.0, 1.0, 1.0, 1.0]),
        ([5, 70_000, 5_000_000], [3.0, 255.0, 70_001.0]),
        ([7, 9], [0.5, 2.25]),
    ],
)
def test_a_block_keeps_ids_and_weights_of_any_size(ids: list[int], weights: list[float]) -> None:
    head, data = encode_block(array("I", ids), array("f", weights), [], Existence(), 3)
    block = Block(head, data, False)
    assert block.ids.tolist() == ids
    assert block.weights.tolist() == weights


def test_block_statistics_hold_the_article_lengths(written: tuple[Path, list[list[str]]]) -> None:
    """The shortest and longest article of each block, which whoosh's block quality uses, are
    the lengths whoosh stored for those articles."""
    folder, _ = written
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        for (leaf, _base), word in itertools.product(
            searcher.reader().leaf_readers(), ["common", "dân", "rare"]
        ):
            matcher = leaf.postings("body", word)
            while matcher.is_active():
                lengths = [leaf.doc_field_length(d, "body") for d in matcher.block().ids.tolist()]
                assert (matcher.block_min_length(), matcher.block_max_length()) == (
                    min(lengths),
                    max(lengths),
                )
                matcher._next_block()


@pytest.mark.parametrize("word", ["common", "often", "rare", "far", "x", "absent"])
def test_the_index_reader_gives_postings_positions_and_statistics(
    written: tuple[Path, list[list[str]]], word: str
) -> None:
    """The engine's interface (``IndexReader``) over two segments, against the documents."""
    folder, documents = written
    expected = _expected(documents, word)
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = IndexReader(searcher)
        postings = reader.postings("body", word)
        keys = reader.positions("body", word, np.ones(reader.size, dtype=bool))
        statistics = (reader.doc_count(), reader.doc_frequency("body", word))
    read: dict[int, list[int]] = {}
    for key in keys.tolist():
        read.setdefault(key >> POSITION_BITS, []).append(key & ((1 << POSITION_BITS) - 1))
    assert (postings.docnums.tolist(), postings.weights.tolist()) == (
        sorted(expected),
        [float(len(expected[d])) for d in sorted(expected)],
    )
    assert read == expected
    assert statistics == (len(documents), len(expected))


def test_the_index_reader_reads_positions_only_of_the_wanted_articles(
    written: tuple[Path, list[list[str]]],
) -> None:
    folder, documents = written
    wanted_docs = [0, 5, 150, 201, 299]
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = IndexReader(searcher)
        wanted = np.zeros(reader.size, dtype=bool)
        wanted[wanted_docs] = True
        keys = reader.positions("body", "common", wanted)
    articles = sorted(set((keys >> POSITION_BITS).tolist()))
    assert articles == [d for d in wanted_docs if "common" in documents[d]]


def test_the_index_reader_gives_lengths_and_live_articles(
    written: tuple[Path, list[list[str]]], tmp_path: Path
) -> None:
    original, documents = written
    folder = tmp_path / "deleted"
    shutil.copytree(original, folder)
    ix = whoosh_index.open_dir(str(folder))
    with ix.writer(codec=Codec()) as writer:
        writer.delete_document(7)
    with ix.searcher() as searcher:
        reader = IndexReader(searcher)
        lengths = reader.field_lengths("body").tolist()
        whoosh_lengths = [searcher.reader().doc_field_length(d, "body") for d in range(300)]
        average = (reader.average_field_length("body"), searcher.avg_field_length("body"))
        live, stored = reader.live, reader.stored_fields(8)
    assert lengths == [float(length) for length in whoosh_lengths]
    assert average[0] == average[1] > 0
    assert (live.size, np.flatnonzero(~live).tolist()) == (len(documents), [7])
    assert stored == {"id": str(len(documents[8]))}


def test_the_index_reader_of_an_index_without_documents_reads_nothing(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), _schema())
    with ix.searcher() as searcher:
        reader = IndexReader(searcher)
        nothing = np.zeros(0, dtype=bool)
        read = (
            reader.size,
            reader.postings("body", "common").docnums.size,
            reader.positions("body", "common", nothing).size,
            reader.field_lengths("body").size,
            reader.live.size,
            list(reader.terms("body")),
        )
    assert read == (0, 0, 0, 0, 0, [])
