"""The index folder on disk: manifest, generations, and the lock that lets one process write.

Layout::

    index/
      dvsearch.json     manifest: format marker, versions, the live generation and the one before
      .dvsearch.lock    locked by the one process writing; queries never take it
      gen-000004/       the live generation: whoosh files, abbreviations.json, vocabulary.json,
                        digests.json, terms-<segment>.json (term counts per segment) and
                        folders.json (folder times, for telling a query the files changed)
      gen-000003/       the one before, kept until the next run for queries that just opened it

A published generation is never written to again. Each run writes the next generation beside
the live one (a rebuild from nothing, an update as a hard-link copy of the live one) and
publishes it by replacing the manifest with one atomic rename. Wherever a run is killed, the
manifest names a complete generation; the next run, under the lock, removes the unfinished one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dvsearch.engine import files as engine_files
from dvsearch.errors import IndexDamagedError, IndexMissingError, IndexVersionError, NotAnIndexError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

MANIFEST_NAME = "dvsearch.json"
LOCK_NAME = ".dvsearch.lock"
STORE_VERSION = 2  # 2: tables inside each generation, copy-on-write updates
_FORMAT_MARKER = "dvsearch-index"
_MANIFEST_TEMPORARY = f".{MANIFEST_NAME}.tmp"
_GENERATION_NAME = re.compile(r"gen-\d{6}")
# What a generation folder may hold: whoosh's files (``_MAIN_1.toc``, ``MAIN_x.seg``, its lock and
# temporary folder) and our tables. Anything else means the folder is not ours.
_GENERATION_CONTENT = re.compile(
    r"_?MAIN[_.].*|abbreviations\.json|vocabulary\.json|digests\.json|terms-MAIN_\w+\.json"
    r"|signatures\.json|copies\.json|folders\.json"
)
_WHOOSH_FILE = re.compile(r"_?MAIN_.*")
_WHOOSH_LOCK_NAME = "MAIN_WRITELOCK"
_LEGACY_TABLES = ("abbreviations.json", "vocabulary.json")  # beside the manifest in version 1
Versions = Mapping[str, int]


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` has a manifest (possibly an outdated or damaged index)."""
    return (index_dir / MANIFEST_NAME).is_file()


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest; raises when there is none, when it cannot be read or when it is not ours."""
    path = index_dir / MANIFEST_NAME
    if not path.is_file():
        refuse_foreign_folder(index_dir)
        raise IndexMissingError(f"no index in '{index_dir}': run 'dvsearch index' to build it")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexDamagedError(
            f"'{path}' cannot be read, so '{index_dir}' is not a usable dvsearch index: "
            "if it is a damaged index, delete the folder and run 'dvsearch index'"
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT_MARKER:
        raise NotAnIndexError(_foreign_message(index_dir))
    return manifest


def is_current(manifest: Mapping[str, Any], versions: Versions) -> bool:
    """True when the index was written with this folder layout and these analyzer versions."""
    return manifest.get("store_version") == STORE_VERSION and all(
        manifest.get(name) == value for name, value in versions.items()
    )


def live_generation(index_dir: Path, versions: Versions) -> Path:
    """The folder of the live generation; raises when it is outdated or missing."""
    return manifest_generation(index_dir, read_manifest(index_dir), versions)


def manifest_generation(index_dir: Path, manifest: Mapping[str, Any], versions: Versions) -> Path:
    """The live generation ``manifest`` (read from ``index_dir``) names; raises when it is
    outdated or missing. For a caller that needs other facts from the same manifest."""
    if not is_current(manifest, versions):
        raise IndexVersionError(
            f"the index in '{index_dir}' was built by another version of dvsearch: "
            "run 'dvsearch index --rebuild'"
        )
    name = manifest.get("generation")
    if not isinstance(name, str) or not _GENERATION_NAME.fullmatch(name):
        raise IndexDamagedError(_damaged_message(index_dir, "its manifest names no generation"))
    if not (index_dir / name).is_dir():
        raise IndexDamagedError(_damaged_message(index_dir, f"its folder '{name}' is missing"))
    return index_dir / name


def open_generation(folder: Path) -> Any:
    """The whoosh index in a generation folder; a missing or broken TOC is reported as damage."""
    try:
        return engine_files.open_index(folder)
    except engine_files.UnreadableIndexFilesError:
        pass
    raise IndexDamagedError(
        _damaged_message(folder.parent, f"the whoosh files in '{folder.name}' cannot be read")
    )


def refuse_foreign_folder(index_dir: Path) -> None:
    """A folder holding anything but dvsearch's own files is never written into or cleaned."""
    if not index_dir.exists():
        return
    if not index_dir.is_dir() or not all(_is_ours(child) for child in index_dir.iterdir()):
        raise NotAnIndexError(_foreign_message(index_dir))


def _is_ours(path: Path) -> bool:
    """What a first build killed before its manifest was written leaves behind."""
    if path.name in (LOCK_NAME, _MANIFEST_TEMPORARY):
        return True
    return _is_generation(path)


def _is_generation(path: Path) -> bool:
    if _GENERATION_NAME.fullmatch(path.name) is None:
        return False
    try:
        return all(_GENERATION_CONTENT.fullmatch(child.name) for child in path.iterdir())
    except NotADirectoryError:
        return False
    except FileNotFoundError:  # removed by the run that made it while we looked
        return True


@contextmanager
def writer_lock(index_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the index's write lock; ``on_wait`` is called once if another process holds it.

    An flock belongs to the open file, so the OS releases it when the process dies, however it
    dies: a killed run never leaves a stale lock. The lock file itself is never removed, since
    removing it would let two processes lock two different files.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(index_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, on_wait)
        yield
    finally:
        os.close(descriptor)


def _acquire(descriptor: int, on_wait: Callable[[], None] | None) -> None:
    if _try_lock(descriptor):
        return
    if on_wait is not None:
        on_wait()
    _lock(descriptor)


if sys.platform == "win32":  # untested: msvcrt's byte lock stands in for flock

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(descriptor: int) -> None:
        while not _try_lock(descriptor):
            time.sleep(0.2)

else:

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)


def remove_stale_generations(index_dir: Path) -> None:
    """Drop the generations the manifest does not name: unfinished ones from killed runs and
    ones two runs old. Call it holding the lock."""
    keep = _named_generations(index_dir)
    for child in index_dir.iterdir():
        if child.name not in keep and _is_generation(child):
            shutil.rmtree(child, ignore_errors=True)


def _named_generations(index_dir: Path) -> set[str]:
    if not index_exists(index_dir):
        return set()
    manifest = read_manifest(index_dir)
    return {name for name in (manifest.get("generation"), manifest.get("previous")) if name}


def new_generation(index_dir: Path, base: Path | None = None) -> Path:
    """An unpublished generation folder: empty, or sharing ``base``'s whoosh files.

    Sharing by hard link is safe because whoosh never writes into an existing file: each commit
    writes segments under new random names and a new numbered TOC (renamed into place), and it
    only deletes files, which removes this folder's link and leaves ``base`` whole.
    """
    if base is not None:
        open_generation(base)  # damage is reported under the live generation's name
    folder = index_dir / _next_generation_name(index_dir)
    folder.mkdir()
    if base is not None:
        for path in base.iterdir():
            if _WHOOSH_FILE.fullmatch(path.name) and path.name != _WHOOSH_LOCK_NAME:
                _link_or_copy(path, folder / path.name)
    return folder


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links: a real copy is slower but as safe
        shutil.copy2(source, target)


def _next_generation_name(index_dir: Path) -> str:
    numbers = [
        int(child.name.removeprefix("gen-"))
        for child in index_dir.iterdir()
        if _GENERATION_NAME.fullmatch(child.name)
    ]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def discard_generation(folder: Path) -> None:
    """Remove a generation that was never published (its run failed or was interrupted)."""
    shutil.rmtree(folder, ignore_errors=True)


def publish_generation(
    index_dir: Path, folder: Path, versions: Versions, details: Mapping[str, Any]
) -> None:
    """Make ``folder`` the live generation with one atomic rename of the manifest.

    The generation it replaces stays until the next run: a query that read the old manifest an
    instant ago may not have opened its files yet. Older ones are removed.
    """
    manifest = {
        "format": _FORMAT_MARKER,
        "store_version": STORE_VERSION,
        **versions,
        **details,
        "generation": folder.name,
        "previous": _live_name(index_dir),
    }
    _write_atomically(index_dir / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    remove_stale_generations(index_dir)
    for name in _LEGACY_TABLES:
        (index_dir / name).unlink(missing_ok=True)


def _live_name(index_dir: Path) -> str | None:
    if not index_exists(index_dir):
        return None
    name = read_manifest(index_dir).get("generation")
    return name if isinstance(name, str) else None


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _damaged_message(index_dir: Path, what: str) -> str:
    return f"the index in '{index_dir}' is damaged ({what}): run 'dvsearch index --rebuild'"


def _foreign_message(index_dir: Path) -> str:
    return (
        f"'{index_dir}' is not a dvsearch index: pass --index with an empty or new folder, "
        "or remove it yourself if it is safe to"
    )
