"""Whether the articles folder changed since the index was last built or updated, told cheaply.

Each run records, in its generation's ``folders.json``, the modification time of every folder
under the articles folder, taken before it scans them, and the size and modification time of
the files it indexed most recently. A query stats a bounded share of those and compares: the
folder itself, the most recently modified folders (where files arrive), a window of the others
that moves with the clock, and the recent files; at most about 460 stats, about 10 ms here.

Adding, removing or renaming a file or a folder changes the modification time of the folder
that holds it, so those are seen at once in an archive of up to ``RECENT_FOLDERS`` folders, and
in an older folder of a larger one when the moving window reaches it. A file edited in place
changes only its own time: that is seen for the recently modified files in the record, not for
the others (statting every file would cost about as much as the query). A change that leaves no
real difference (an editor's temporary or hidden file) is reported too; the next index run
clears it.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from dvsearch.errors import DvsearchError
from dvsearch.index import store

RECORD_NAME = "folders.json"
RECORD_VERSION = 1
SAMPLED_FILES = 64  # the most recently modified indexed files, statted on every check
RECENT_FOLDERS = 300  # the most recently modified folders, statted on every check...
ROTATING_FOLDERS = 100  # ...and this many of the others, a different window each second
FileStamps = Mapping[str, Sequence[object]]  # relative path -> [sha1, size, mtime_ns]


class FolderSnapshot(NamedTuple):
    """The modification time (ns) of every folder under an articles folder, ``""`` its own."""

    root: Path
    folders: dict[str, int]  # filled by ``snapshot_folders``: one dict each, never shared


class Staleness(NamedTuple):
    """What a check found: ``stale`` when something under ``root`` changed (at ``path``, a
    folder or file under it, ``""`` for the folder itself); ``known`` is False for an index
    that has no record to compare with (built by an older dvsearch)."""

    stale: bool
    known: bool = True
    root: Path | None = None
    path: str | None = None

    def notice(self, shown: str) -> str:
        """The line telling the user, who knows the articles folder as ``shown``."""
        return (
            f"note: files in '{shown}' changed since the last index run: "
            "run 'dvsearch index' to bring the index up to date"
        )


def snapshot_folders(root: Path, exclude: Path | None = None) -> FolderSnapshot:
    """The folders a scan of ``root`` walks (hidden ones and links are skipped, as it skips
    them), with their times; ``exclude`` (an index kept inside the folder) is left out."""
    real_root = root.resolve()
    skipped = str(exclude.resolve()) if exclude is not None else None
    snapshot = FolderSnapshot(real_root, {})
    stack = [str(real_root)]
    while stack:
        folder = stack.pop()
        try:
            snapshot.folders[_relative(folder, real_root)] = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as entries:
                stack += [
                    entry.path
                    for entry in entries
                    if not entry.name.startswith(".")
                    and entry.is_dir(follow_symlinks=False)
                    and entry.path != skipped
                ]
        except OSError:  # unreadable: the scan warns about it; a later change is still seen
            continue
    return snapshot


def write_record(generation: Path, roots: Sequence[tuple[FolderSnapshot, FileStamps]]) -> None:
    """Store each articles folder's snapshot and the stamps of the most recently modified of
    its files (what the run indexed, as it saw them, by path under the folder) in an
    unpublished generation."""
    record = {"version": RECORD_VERSION, "roots": [_root_record(*root) for root in roots]}
    text = json.dumps(record, ensure_ascii=False)
    (generation / RECORD_NAME).write_text(text, encoding="utf-8")


def _root_record(snapshot: FolderSnapshot, files: FileStamps) -> dict[str, object]:
    recent = sorted(files.items(), key=lambda item: _mtime(item[1]), reverse=True)
    # The folder itself first, then the others newest first: the order the check takes them in.
    folders = sorted(snapshot.folders.items(), key=lambda item: (item[0] != "", -item[1]))
    return {
        "path": str(snapshot.root),
        "folders": dict(folders),
        "files": {path: list(stamp[1:3]) for path, stamp in recent[:SAMPLED_FILES]},
    }


def check_staleness(index_dir: Path) -> Staleness:
    """Whether the files the live generation was built from changed since; never raises for
    a missing, old or unreadable record (the answer is then not ``known``)."""
    try:
        name = store.read_manifest(index_dir).get("generation")
        text = (index_dir / str(name) / RECORD_NAME).read_text(encoding="utf-8")
        record = json.loads(text)
    except (OSError, ValueError, DvsearchError):
        return Staleness(stale=False, known=False)
    if not isinstance(record, dict) or record.get("version") != RECORD_VERSION:
        return Staleness(stale=False, known=False)
    try:
        for root in record.get("roots", []):
            found = _changed_under(root, int(time.time()))
            if found is not None:
                return Staleness(stale=True, root=Path(root["path"]), path=found)
    except (KeyError, TypeError, AttributeError):  # a record written by hand or damaged
        return Staleness(stale=False, known=False)
    return Staleness(stale=False)


def _changed_under(root: dict[str, dict[str, object]], clock: int) -> str | None:
    """The first folder or file of ``root`` checked whose time or size is not as recorded."""
    base = os.path.join(str(root["path"]), "")
    for relative, mtime in _folders_to_check(list(root["folders"].items()), clock):
        if _stat(base + relative if relative else base) != (None, mtime):
            return relative
    for relative, stamp in root["files"].items():
        if not isinstance(stamp, list) or _stat(base + relative) != tuple(stamp):
            return relative
    return None


def _folders_to_check(folders: list[tuple[str, object]], clock: int) -> list[tuple[str, object]]:
    """The recent folders (the record lists them first), and a window of the rest chosen by
    ``clock`` (seconds), so that successive queries cover an archive of any size."""
    rest = folders[RECENT_FOLDERS:]
    if len(rest) <= ROTATING_FOLDERS:
        return folders
    start = clock * ROTATING_FOLDERS % len(rest)
    window = (rest + rest[:ROTATING_FOLDERS])[start : start + ROTATING_FOLDERS]
    return folders[:RECENT_FOLDERS] + window


def _stat(path: str) -> tuple[int | None, int]:
    """``(size, mtime_ns)`` of a file, ``(None, mtime_ns)`` of a folder; ``(-1, -1)`` when gone."""
    try:
        info = os.lstat(path)
    except OSError:
        return (-1, -1)
    if stat.S_ISDIR(info.st_mode):
        return (None, info.st_mtime_ns)
    return (info.st_size, info.st_mtime_ns)


def _relative(folder: str, root: Path) -> str:
    return "" if folder == str(root) else os.path.relpath(folder, root).replace(os.sep, "/")


def _mtime(stamp: Sequence[object]) -> int:
    value = stamp[2] if len(stamp) > 2 else -1
    return value if isinstance(value, int) else -1
