"""The private parts of whoosh the engine relies on are all in the installed whoosh.

A new whoosh-reloaded release may rename any of them; this fails first, naming them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3TermInfo, _lenfield
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.structfile import StructFile

from dvsearch.engine import internals, matchers
from dvsearch.engine.postings import Codec, CompactPositions
from dvsearch.engine.public import query as wq
from dvsearch.index.build import open_snapshot


def _has(dotted: str) -> bool:
    module_name, _, path = dotted.partition(":")
    found: Any = importlib.import_module(module_name)
    for name in path.split("."):
        if not hasattr(found, name):
            return False
        found = getattr(found, name)
    return True


@pytest.fixture
def objects(seeds_index: Path) -> Iterator[dict[str, Any]]:
    """One of each object ``OBJECT_ATTRIBUTES`` reads from, made the way the engine makes it."""
    with open_snapshot(seeds_index).index.searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        writer = Codec().postings_writer(StructFile(BytesIO()))
        writer.start_postings(CompactPositions(), W3TermInfo())
        storage = RamStorage()
        field_writer = Codec().field_writer(storage, Codec().new_segment(storage, "canary"))
        field_writer.start_field("body", leaf.schema["body"])
        field_writer.start_term(b"dan")
        and_maybe = wq.AndMaybe(wq.Term("body", "dan"), wq.Term("body", "van"))
        yield {
            "codec": Codec(),
            "postings writer": writer,
            "leaf reader": leaf,
            "terms reader": leaf._terms,
            "field cursor": leaf._terms.cursor("body", leaf.schema["body"]),
            "term info": leaf.term_info("body", "dan"),
            "field writer": field_writer,
            "leaf matcher": leaf.postings("body", "dan"),
            "length column": leaf._perdoc._cached_reader(_lenfield("body"), LENGTHS_COLUMN),
            "AndMaybe matcher": matchers.synced(and_maybe).matcher(searcher),
            "collector": searcher.collector(limit=1),
        }


def test_every_private_part_of_whoosh_the_engine_uses_is_there(objects: dict[str, Any]) -> None:
    missing = [name for name in internals.IMPORTED_NAMES if not _has(name)] + [
        f"{name} on the {owner}"
        for owner, names in internals.OBJECT_ATTRIBUTES.items()
        for name in names
        if not hasattr(objects[owner], name)
    ]
    assert missing == []


def test_the_objects_checked_are_the_ones_the_engine_uses(objects: dict[str, Any]) -> None:
    """dvsearch's own matcher (not an inlined posting list), writers, term dictionary reader
    and term info, and the synced AndMaybe."""
    owners = ("leaf matcher", "postings writer", "terms reader", "term info", "field writer")
    names = {owner: type(objects[owner]).__name__ for owner in owners}
    assert names == {
        "leaf matcher": "LeafMatcher",
        "postings writer": "PostingsWriter",
        "terms reader": "TermsReader",
        "term info": "TermInfo",
        "field writer": "FieldWriter",
    }
    assert isinstance(objects["AndMaybe matcher"], matchers._SyncedAndMaybeMatcher)
