"""The live generation opened for reading: the versions a reader accepts, and one snapshot.

Apart from ``build.py`` so that a query opens the index without loading the build and update
machinery (articles, parsing, writing, digests): a cold ``dvsearch query`` pays for every
module it imports. ``build.py`` re-exports these names and writes what this module reads.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvsearch.analysis import ANALYZER_VERSION
from dvsearch.index import store
from dvsearch.index.copies import read_copies
from dvsearch.index.folders import ArticleFolder, recorded_folders
from dvsearch.vietnamese.abbreviations import Table, parse_saved_table

if TYPE_CHECKING:
    from dvsearch.search.vocabulary import Vocabulary

SCHEMA_VERSION = 11  # 7: modules moved into packages (pickled paths); 8: ids are paths;
# 9: author and source are columns (facets); 10: frequencies equal to the weights are not
# stored again (engine/postings.py); 11: exact fields keep no positions, their accents are a
# column (engine/exact_pairs.py); block heads of a few bytes, not whoosh's pickle, and term
# infos as varints (engine/heads.py, engine/terms.py)
VERSIONS = {"analyzer_version": ANALYZER_VERSION, "schema_version": SCHEMA_VERSION}
ABBREVIATIONS_NAME = "abbreviations.json"
VOCABULARY_NAME = "vocabulary.json"
VOCABULARY_DELTA_NAME = "vocabulary-delta.json"  # the keys recounted since vocabulary.json


def rebuild_reason(index_dir: Path, requested: bool = False) -> str | None:
    """Why the index must be built from scratch (``new``, ``outdated``, ``requested``), or None
    when an update will do. Raises ``NotAnIndexError`` for a folder that is not ours."""
    if not store.index_exists(index_dir):
        store.refuse_foreign_folder(index_dir)
        return "new"
    if not store.is_current(store.read_manifest(index_dir), VERSIONS):
        return "outdated"
    return "requested" if requested else None


class IndexSnapshot:
    """One generation opened as a whole: the whoosh index and the tables a query uses come
    from the same run, even while another run publishes a newer generation.

    A plain class, not a dataclass: every query makes this class, and a dataclass costs a
    cold start five times a plain one (a tuple would clash on ``index``)."""

    __slots__ = (
        "abbreviations",
        "copies",
        "folders",
        "index",
        "vocabulary_delta",
        "vocabulary_map",
    )

    def __init__(
        self,
        index: Any,
        abbreviations: Table,
        vocabulary_map: mmap.mmap | bytes | None,  # read on demand: accented queries never do
        copies: dict[str, str],  # path of a copy -> path of the article it copies
        folders: tuple[ArticleFolder, ...] = (),  # the articles folders, to find each file
        vocabulary_delta: mmap.mmap | bytes | None = None,  # ``index/vocabulary_delta.py``
    ) -> None:
        self.index = index
        self.abbreviations = abbreviations
        self.vocabulary_map = vocabulary_map
        self.copies = copies
        self.folders = folders
        self.vocabulary_delta = vocabulary_delta

    def vocabulary(self) -> Vocabulary | None:
        """The stored vocabulary, or None for an index without one."""
        from dvsearch.search.vocabulary import parse_vocabulary

        if self.vocabulary_map is None:
            return None
        delta = self.vocabulary_delta
        return parse_vocabulary(
            self.vocabulary_map[:].decode("utf-8"),
            delta[:].decode("utf-8") if delta is not None else None,
        )


def open_snapshot(index_dir: Path) -> IndexSnapshot:
    """Open the live generation with its abbreviations, vocabulary and folders, for queries."""
    manifest = store.read_manifest(index_dir)
    folder = store.manifest_generation(index_dir, manifest, VERSIONS)
    abbreviations = read_table(folder, ABBREVIATIONS_NAME)
    return IndexSnapshot(
        store.open_generation(folder),
        parse_saved_table(abbreviations) if abbreviations is not None else {},
        _mapped_table(folder, VOCABULARY_NAME),
        read_copies(folder),
        tuple(recorded_folders(manifest)),
        _mapped_table(folder, VOCABULARY_DELTA_NAME),
    )


def _mapped_table(generation: Path, name: str) -> mmap.mmap | bytes | None:
    """A table mapped into memory, not read: at 10,000 articles the vocabulary is 1.3 MB, and
    reading it was most of opening the index (``open_snapshot`` 7.1 ms, 2.5 mapped), for
    queries that mostly never look at it. The mapping keeps this generation's table readable
    even after a later run deletes the generation."""
    path = generation / name
    if not path.is_file():
        return None
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size == 0:  # an empty file cannot be mapped
            return b""
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def read_table(generation: Path, name: str) -> str | None:
    """The text of one of a generation's tables, or None when that generation has none."""
    path = generation / name
    return path.read_text(encoding="utf-8") if path.is_file() else None
