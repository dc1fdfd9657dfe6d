"""The whole archive at a glance: how many articles, when, from which sources and writers,
and the index itself (its size on disk, when it was last written, the folders it reads).

The counts are the facets of every indexed article (``search/facets.py`` says how periods,
sources and writers are counted), with copies of an article left out as a query leaves them
out and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dvsearch.engine import matchers
from dvsearch.engine.columns import column_values
from dvsearch.index import store
from dvsearch.index.folders import ArticleFolder
from dvsearch.index.snapshot import open_snapshot
from dvsearch.search.facets import COLUMNS, ArticleColumns, Facets, facets_of


@dataclass(frozen=True)
class ArchiveStats:
    """What ``dvsearch stats`` reports."""

    articles: int  # indexed articles, copies left out
    copies: int  # files that repeat another article's text, not counted above
    facets: Facets  # of the ``articles``
    size_bytes: int  # the live generation's files and the manifest
    updated: datetime  # when the live generation was written (UTC)
    generation: str  # its folder name (``gen-000007``): each index run writes the next one
    folders: tuple[ArticleFolder, ...]


def archive_stats(index_dir: Path) -> ArchiveStats:
    """Count the live generation of the index in ``index_dir``; raises as opening it for a
    query would (missing, outdated, damaged)."""
    with store.reading(index_dir):
        snapshot = open_snapshot(index_dir)
        generation = str(store.read_manifest(index_dir)["generation"])
        with snapshot.index.searcher() as searcher:
            live = matchers.all_documents(searcher)
            copies = matchers.document_numbers(searcher, "path", snapshot.copies) & live
            articles = sorted(live - copies)
            columns = ArticleColumns(*(column_values(searcher, f, articles) for f in COLUMNS))
        facets = facets_of(columns)
    folder = index_dir / generation
    return ArchiveStats(
        articles=facets.total,
        copies=len(copies),
        facets=facets,
        size_bytes=_size_on_disk(folder) + (index_dir / store.MANIFEST_NAME).stat().st_size,
        updated=_written_at(folder),
        generation=generation,
        folders=snapshot.folders,
    )


def _size_on_disk(folder: Path) -> int:
    """The bytes of a generation's files."""
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


def _written_at(folder: Path) -> datetime:
    """When a generation was last written: its newest file (whoosh's table of contents and
    dvsearch's tables are written last, just before it is published)."""
    newest = max((path.stat().st_mtime for path in folder.iterdir() if path.is_file()), default=0)
    return datetime.fromtimestamp(newest or folder.stat().st_mtime, tz=UTC)
