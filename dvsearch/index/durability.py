"""Forcing a generation to disk before the manifest names it: what makes a publish survive a
power cut, not only a killed process.

The rename that publishes a generation is atomic for processes, but after a power cut the
disk may hold the new manifest and not yet the files it names, unless they were forced to
disk first: every file of the generation, its folder, the temporary manifest before the rename,
and the index folder after it, in that order (SQLite's and Xapian's commit does the same).
``DVSEARCH_FSYNC=0`` skips the calls, for an index that is thrown away after a run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SYNC_VARIABLE = "DVSEARCH_FSYNC"
# Folders cannot be opened on Windows to force their entries to disk; NTFS journals them.
_FOLDERS_SYNC = sys.platform != "win32"


def syncing() -> bool:
    """False when ``DVSEARCH_FSYNC=0`` asks for no forced writes."""
    return os.environ.get(SYNC_VARIABLE, "1").strip() != "0"


def sync_file(path: Path) -> None:
    """Force a file's contents to disk. Opened read-only: on the systems dvsearch runs on, an
    fsync through any descriptor of a file flushes all of its written data."""
    if syncing():
        _sync_path(path, os.O_RDONLY)


def sync_folder(path: Path) -> None:
    """Force a folder's entries (files created, renamed or removed in it) to disk."""
    if syncing() and _FOLDERS_SYNC:
        _sync_path(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def sync_generation(folder: Path, shared: frozenset[str] = frozenset()) -> None:
    """Every file of a generation but the ``shared`` ones, then the folder that lists them.

    A shared file is a hard link to a file of the generation before, forced to disk when that
    one was published: its new name is a folder entry, which the folder's sync makes durable.
    An update that adds one article then syncs its own few files, not the whole index's.
    """
    for path in sorted(folder.iterdir()):
        if path.name not in shared and path.is_file():
            sync_file(path)
    sync_folder(folder)


def write_durably(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one atomic rename, on disk before the rename and the
    rename on disk after it: a reader or a power cut sees the old file or the new, whole."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            if syncing():
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a disk that filled up mid-write gets its space back
        raise
    sync_folder(path.parent)


def _sync_path(path: Path, flags: int) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
