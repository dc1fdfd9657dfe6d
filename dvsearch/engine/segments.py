"""Segments written by separate processes and recorded in one table of contents, in order.

whoosh's own ``MpWriter`` interleaves batches (other article numbers) and leaves its workers
running if the parent is killed; this is the part of a parallel build that needs whoosh's
writer internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from dvsearch.engine.files import WRITER_OPTIONS
from dvsearch.engine.pool import lean_writer


def segment_writer(generation: Path) -> Any:
    """A writer for one new segment of the index in ``generation``, without its lock: the
    parent process holds the index and records the segments."""
    writer = SegmentWriter(whoosh_index.open_dir(str(generation)), _lk=False, **WRITER_OPTIONS)
    return lean_writer(writer)


def finish_segment(writer: Any) -> Any:
    """The finished segment of a writer that added articles (to pass to ``record_segments``)."""
    return writer._finalize_segment()


def record_segments(generation: Path, segments: list[Any]) -> None:
    """Write the index's table of contents with the workers' segments, in share order."""
    writer = whoosh_index.open_dir(str(generation)).writer()
    writer._close_segment()
    writer._commit_toc([segment for segment in segments if segment is not None])
    writer._finish()
