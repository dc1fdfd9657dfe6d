"""A generation's whoosh files: creating, opening, writing, and reading them for the vocabulary.

Segments are written as separate files: whoosh reads a compound segment through an in-memory
copy (354 MB at 38,000 articles, on every query), but maps separate files without copying.
Postings use dvsearch's own blocks (``postings.py``): flat arrays instead of pickles.
"""

from __future__ import annotations

import pickle
import struct
import warnings
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield
from whoosh.fields import Schema

from dvsearch.engine.postings import Codec

_WRITER_MEMORY_MB = 128
WRITER_OPTIONS: dict[str, Any] = {
    "limitmb": _WRITER_MEMORY_MB,
    "compound": False,
    "codec": Codec(),
}
# What whoosh raises for a missing, truncated or garbage TOC (EmptyIndexError is an IndexError).
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    ValueError,
    TypeError,
    struct.error,
    pickle.UnpicklingError,
    whoosh_index.IndexError,
)


class UnreadableIndexFilesError(Exception):
    """whoosh could not open a generation's table of contents."""


def create_index(folder: Path, schema: Schema) -> Any:
    """An empty whoosh index in ``folder``."""
    return whoosh_index.create_in(str(folder), schema)


def open_index(folder: Path) -> Any:
    """The whoosh index in ``folder``; raises ``UnreadableIndexFilesError`` when its table of
    contents is missing or broken."""
    with warnings.catch_warnings():
        # whoosh leaves a broken TOC file open; it is closed, unremarked, when whoosh's error
        # is dropped at the end of this block.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(folder))
        except READ_ERRORS:
            pass
    raise UnreadableIndexFilesError(str(folder))


def writer(ix: Any) -> Any:
    """A writer with dvsearch's codec and file layout. The pool is imported here: it loads
    whoosh's writing module (and tempfile), which a query never needs."""
    from dvsearch.engine.pool import lean_writer

    return lean_writer(ix.writer(**WRITER_OPTIONS))


def open_columns(searcher: Any) -> None:
    """Open the per-article files now, not at the first query that needs them: a searcher
    must keep answering from its generation even after a later run has removed it (open
    files outlive their names; unopened ones are gone). An index without articles has none."""
    schema = searcher.schema
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is None:  # whoosh's EmptyReader: no segment, no columns
            continue
        perdoc._cached_reader("_stored", STORED_COLUMN)
        for name in schema.scorable_names():
            perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
        for name, field in schema.items():
            if field.column_type is not None and perdoc.has_column(name):
                perdoc._cached_reader(name, field.column_type)


def segments(ix: Any) -> Generator[tuple[str, Any], None, None]:
    """Each segment of an index as ``(segment id, leaf reader)``; the caller closes nothing
    (the readers close with the index's reader, which this opens and closes)."""
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            if leaf.segment() is None:  # an index with no article has no segment
                continue
            yield leaf.segment().segment_id(), leaf


def term_counts(leaf: Any, fields: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """Every term of ``fields`` in one segment with its document frequency."""
    for field_name in fields:
        for term, info in leaf.iter_field(field_name):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            yield text, info.doc_frequency()
