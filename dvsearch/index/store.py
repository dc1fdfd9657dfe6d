"""The index folder on disk: manifest, generations, and the lock that lets one process write.

Layout::

    index/
      dvsearch.json     manifest: format marker, versions, the live generation and the one before
      .dvsearch.lock    locked by the one process writing; queries never take it
      gen-000004/       the live generation: whoosh files, abbreviations.json, vocabulary.json
                        and the counts behind it (vocabulary-index.bin), both shared with the
                        generation that wrote them, with the keys recounted since
                        (vocabulary-delta.json, vocabulary-delta-counts.json), digests.json
                        (shared too) with digests-delta.json,
                        terms-<segment>.json (term counts per segment), the copies' signatures
                        in layers shared with the generations before (signatures-<n>.bin) and
                        folders.json (folder times, for telling a query the files changed)
      gen-000003/       the one before, kept until the next run for queries that just opened it

A published generation is never written to again. Each run writes the next generation beside
the live one (a rebuild from nothing, an update as a hard-link copy of the live one) and
publishes it by replacing the manifest with one atomic rename. Wherever a run is killed, the
manifest names a complete generation; the next run, under the lock, removes the unfinished one.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import re
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from dvsearch.engine import files as engine_files
from dvsearch.errors import (
    DvsearchError,
    IndexDamagedError,
    IndexMissingError,
    IndexVersionError,
    IndexWriteError,
    NotAnIndexError,
)
from dvsearch.index import durability, integrity

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
    r"_?MAIN[_.].*|abbreviations\.json|vocabulary(-counts|-delta|-delta-counts)?\.json"
    r"|vocabulary-index\.bin|digests(-delta)?\.json"
    r"|terms-MAIN_\w+\.json"
    r"|signatures\.json|signatures-\d{6}\.bin|copies\.json|folders\.json|checksums\.json"
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
        raise _damaged(index_dir, "its manifest names no generation")
    if not (index_dir / name).is_dir():
        raise _damaged(index_dir, f"its folder '{name}' is missing")
    return index_dir / name


def open_generation(folder: Path) -> Any:
    """The whoosh index in a generation folder; a file missing or not of the size it was
    published with, or a broken TOC, is reported as damage."""
    damage = integrity.size_damage(folder)
    if damage is not None:
        raise _damaged(folder.parent, str(damage))
    try:
        return engine_files.open_index(folder)
    except engine_files.UnreadableIndexFilesError:
        pass
    raise _damaged(folder.parent, f"the whoosh files in '{folder.name}' cannot be read")


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
                link_or_copy(path, folder / path.name)
    return folder


def write_or_share(generation: Path, base: Path | None, name: str, text: str) -> None:
    """A generation's table ``name`` as ``text``; hard-linked from ``base`` when that holds the
    same, so that an update neither writes it nor forces it to disk again."""
    shared = base / name if base is not None else None
    if shared is not None and shared.is_file() and shared.read_text(encoding="utf-8") == text:
        link_or_copy(shared, generation / name)
    else:
        (generation / name).write_text(text, encoding="utf-8")


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where links are not possible)."""
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
    """Remove a generation that was never published (its run failed or was interrupted); one
    the manifest names already (a failure after the rename) is the live index and stays."""
    try:
        published = _live_name(folder.parent) == folder.name
    except DvsearchError:
        published = False
    if not published:
        shutil.rmtree(folder, ignore_errors=True)


def publish_generation(
    index_dir: Path, folder: Path, versions: Versions, details: Mapping[str, Any]
) -> None:
    """Make ``folder`` the live generation with one atomic rename of the manifest.

    The generation it replaces stays until the next run: a query that read the old manifest an
    instant ago may not have opened its files yet. Older ones are removed.
    """
    previous = _live_name(index_dir)
    manifest = {
        "format": _FORMAT_MARKER,
        "store_version": STORE_VERSION,
        **versions,
        **details,
        "generation": folder.name,
        "previous": previous,
    }
    base = index_dir / previous if previous else None
    integrity.record_checksums(folder, base)
    durability.sync_generation(folder, _shared_files(folder, base))  # on disk before it is named
    durability.write_durably(index_dir / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")
    if previous is None:  # a new index folder: its own entry in the folder above, too
        durability.sync_folder(index_dir.resolve().parent)
    remove_stale_generations(index_dir)
    for name in _LEGACY_TABLES:
        (index_dir / name).unlink(missing_ok=True)


def _shared_files(folder: Path, base: Path | None) -> frozenset[str]:
    """The names of ``folder``'s files that are hard links to ``base``'s (the same inode)."""
    if base is None:
        return frozenset()
    shared = set()
    for name in os.listdir(folder):
        try:
            mine, theirs = os.lstat(folder / name), os.lstat(base / name)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
            shared.add(name)
    return frozenset(shared)


def _live_name(index_dir: Path) -> str | None:
    if not index_exists(index_dir):
        return None
    name = read_manifest(index_dir).get("generation")
    return name if isinstance(name, str) else None


class IndexCheck(NamedTuple):
    """What ``check_index`` found in the live generation."""

    generation: str
    report: integrity.CheckReport
    articles: int | None  # as whoosh's table of contents counts them; None when unreadable


def check_index(index_dir: Path, versions: Versions) -> IndexCheck:
    """Compare every file of the live generation with its recorded size and checksum, then
    open its table of contents (``dvsearch check``, like ``git fsck``). A missing, foreign or
    outdated index raises as it would for a query."""
    folder = live_generation(index_dir, versions)
    report = integrity.verify(folder)
    articles = None
    if not report.damage:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                articles = open_generation(folder).doc_count()
        except IndexDamagedError:
            articles = None
    return IndexCheck(folder.name, report, articles)


def damage_of(generation: Path) -> str | None:
    """What is wrong with a generation an update is about to build on, checksums compared
    (but for segment files untouched since they were published); None when nothing is (or
    when it was published before checksums were recorded)."""
    return _described(integrity.verify(generation, trust_stamps=True).damage)


def refuse_read_damage(base: Path, generation: Path) -> None:
    """Raise when a segment file of ``base`` that an update's commit read to merge it was not
    as published: the merged segment would hold its damage under a new checksum."""
    damage = _described(integrity.read_damage(base, generation))
    if damage is not None:
        raise _damaged(base.parent, damage)


def _described(found: tuple[integrity.Damage, ...]) -> str | None:
    """The first damaged file, and how many more, for one line."""
    if not found:
        return None
    return str(found[0]) + (f" and {len(found) - 1} more" if len(found) > 1 else "")


@contextmanager
def reading(index_dir: Path) -> Iterator[None]:
    """Turn an error from whoosh or numpy while reading the live generation into the one-line
    damage error, when its files are not as published (or carry no checksums to say so); an
    error on files that are whole is a fault of dvsearch's and is raised as it is. A full disk
    or a refused permission is not damage: it is left to ``writing``."""
    try:
        yield
    except DvsearchError:
        raise
    except Exception as error:
        if isinstance(error, OSError) and error.errno in _WRITE_ADVICE:
            raise
        damage = _damage_behind(index_dir)
        if damage is None:
            raise
        _release_files(error)
        raise _damaged(index_dir, damage) from error


def _release_files(error: BaseException) -> None:
    """Close the files whoosh opened and left open when it failed (a reader on a damaged
    file, a writer on a full disk): they live on in the frames of the error's traceback and
    its context, and would each be a ResourceWarning at exit."""
    import traceback  # only after a failure: a query's start-up need not load it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        seen: BaseException | None = error
        while seen is not None:
            traceback.clear_frames(seen.__traceback__)
            seen.__traceback__ = None
            seen = seen.__cause__ or seen.__context__
        gc.collect()  # whoosh's readers and writers sit in reference cycles


def _damage_behind(index_dir: Path) -> str | None:
    try:
        folder = index_dir / str(read_manifest(index_dir).get("generation"))
    except DvsearchError:
        return "its manifest cannot be read"
    report = integrity.verify(folder)
    if not report.recorded:
        return f"the files in '{folder.name}' cannot be read"
    return _described(report.damage)


@contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Turn a failed write (disk full, read-only folder, permissions changed mid-run) into one
    line saying what to do. The caller has discarded its unpublished generation by then, so the
    index is as it was and still answers queries."""
    try:
        yield
    except OSError as error:
        _release_files(error)
        raise IndexWriteError(_write_failure(index_dir, error)) from error


def _write_failure(index_dir: Path, error: OSError) -> str:
    where = f" ('{error.filename}')" if error.filename else ""
    reason = error.strerror or str(error)
    advice = _WRITE_ADVICE.get(error.errno or 0, "fix that and run 'dvsearch index' again")
    return (
        f"cannot write the index in '{index_dir}': {reason}{where}; {advice}. "
        "The index is as it was before this run"
    )


_NO_PERMISSION = (
    "you may not write in that folder: queries still work; ask for write permission, or pass "
    "--index with a folder of your own"
)
_WRITE_ADVICE = {
    errno.ENOSPC: "free some disk space and run 'dvsearch index' again",
    errno.EDQUOT: "free some of your disk quota and run 'dvsearch index' again",
    errno.EROFS: "the folder is on a read-only disk: queries still work; to index, copy the "
    "index folder somewhere writable and pass --index with the copy",
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
}


def _damaged(index_dir: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"the index in '{index_dir}' is damaged ({what}): run 'dvsearch index --rebuild'", what
    )


def _foreign_message(index_dir: Path) -> str:
    return (
        f"'{index_dir}' is not a dvsearch index: pass --index with an empty or new folder, "
        "or remove it yourself if it is safe to"
    )
