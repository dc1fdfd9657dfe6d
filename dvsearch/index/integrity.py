"""Knowing a generation's files: the size and checksum of each, recorded when it is published.

whoosh trusts its files: a truncated or garbled segment whose table of contents still reads
fails deep inside a query (``Block tag error``, ``Invalid argument`` from a short map) or, worse,
is built upon by the next update. So publishing records every file's size and CRC-32
(``checksums.json``); opening compares the sizes (a stat a file, fractions of a millisecond);
``dvsearch check`` and any error while reading compare the checksums (2.7 GB/s).

An update compares them too, but not for a whoosh segment file whose stamp (modification
time and inode, recorded beside the checksum) is as published: any write to it, a copy or a
restore changes the stamp, and re-reading 93 MB of unchanged segments was the largest cost of
adding one article at 10,000 (0.3 s at 38,000). The segments whoosh merged away, which it
did read, are compared after the update's commit (``read_damage``).
"""

from __future__ import annotations

import json
import os
import re
import zlib
from pathlib import Path
from typing import NamedTuple

CHECKSUMS_NAME = "checksums.json"
_RECORD_VERSION = 1
_NOT_RECORDED = frozenset({CHECKSUMS_NAME, "MAIN_WRITELOCK"})  # whoosh's lock comes and goes
_CHUNK = 1 << 20
FileRecord = tuple[int, int]  # size in bytes, CRC-32
Stamp = tuple[int, int]  # modification time in ns and inode, as published
# A whoosh segment's file (``MAIN_<id>.pst``): large, written once, never rewritten. The TOC
# (``_MAIN_1.toc``) and dvsearch's tables are small and are always compared.
_SEGMENT_FILE = re.compile(r"MAIN_[a-z0-9]+\..+")


class Damage(NamedTuple):
    """One file of a generation that is not as it was published."""

    name: str
    what: str

    def __str__(self) -> str:
        return f"'{self.name}' {self.what}"


class CheckReport(NamedTuple):
    """What ``verify`` found: the files it checked and their bytes, and what is wrong."""

    files: int
    size: int
    damage: tuple[Damage, ...]
    recorded: bool  # False for a generation published before checksums were recorded


def record_checksums(generation: Path, base: Path | None = None) -> None:
    """Write the sizes, checksums and stamps of a generation's files. A file hard-linked from
    ``base`` (an update shares the live generation's unchanged segments) keeps the checksum
    ``base`` recorded: it is the same file, and reading it again would cost an update a full
    read."""
    known = _shared_records(generation, base)
    files: dict[str, list[int]] = {}
    stamps: dict[str, list[int]] = {}
    for path in _recorded_files(generation):
        info = path.stat()
        record = known.get(path.name) or (info.st_size, file_checksum(path))
        files[path.name] = list(record)
        stamps[path.name] = [info.st_mtime_ns, info.st_ino]
    saved = {"version": _RECORD_VERSION, "files": files, "stamps": stamps}
    text = json.dumps(saved, indent=1, sort_keys=True)
    (generation / CHECKSUMS_NAME).write_text(text + "\n", encoding="utf-8")


def size_damage(generation: Path) -> Damage | None:
    """The first recorded file that is missing or not of its recorded size; None when all are
    as recorded, or nothing was recorded. Cheap enough for every query."""
    for name, (size, _) in sorted(read_checksums(generation).items()):
        found = _size_of(generation / name)
        if found != size:
            return _size_mismatch(name, size, found)
    return None


def verify(generation: Path, trust_stamps: bool = False) -> CheckReport:
    """Every recorded file read and its checksum compared, like ``git fsck``; with
    ``trust_stamps``, a segment file whose stamp is as published is only sized (an update)."""
    recorded = read_checksums(generation)
    if not recorded and not (generation / CHECKSUMS_NAME).is_file():
        return CheckReport(0, 0, (), recorded=False)
    stamps = read_stamps(generation) if trust_stamps else {}
    damage: list[Damage] = []
    total = 0
    for name, (size, checksum) in sorted(recorded.items()):
        path = generation / name
        try:
            info: os.stat_result | None = path.stat()
        except OSError:
            info = None
        found = info.st_size if info is not None else None
        if found != size:
            damage.append(_size_mismatch(name, size, found))
            continue
        total += size
        if info is not None and _is_trusted(name, info, stamps):
            continue
        if file_checksum(path) != checksum:
            damage.append(_checksum_mismatch(name))
    return CheckReport(len(recorded), total, tuple(damage), recorded=True)


def read_damage(base: Path, generation: Path) -> tuple[Damage, ...]:
    """The segment files of ``base`` that ``generation`` no longer shares (whoosh read them to
    merge them, or dropped them) and that are not as published, checksums compared: what an
    update read without comparing it first."""
    damage = []
    for name, (_, checksum) in sorted(read_checksums(base).items()):
        if _SEGMENT_FILE.fullmatch(name) is None or _is_shared(base / name, generation / name):
            continue
        try:
            if file_checksum(base / name) != checksum:
                damage.append(_checksum_mismatch(name))
        except OSError:
            damage.append(Damage(name, "is missing"))
    return tuple(damage)


def read_stamps(generation: Path) -> dict[str, Stamp]:
    """The stamps a generation recorded: file name -> (mtime in ns, inode); empty for one
    published before stamps were, or a record that cannot be read (then all are compared)."""
    try:
        stamps = json.loads((generation / CHECKSUMS_NAME).read_text(encoding="utf-8"))["stamps"]
        return {str(name): (int(mtime), int(inode)) for name, (mtime, inode) in stamps.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _is_trusted(name: str, info: os.stat_result, stamps: dict[str, Stamp]) -> bool:
    """A segment file not written, copied or replaced since it was published."""
    if _SEGMENT_FILE.fullmatch(name) is None:
        return False
    return stamps.get(name) == (info.st_mtime_ns, info.st_ino)


def _is_shared(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _checksum_mismatch(name: str) -> Damage:
    return Damage(name, "does not hold what was written (its checksum differs)")


def read_checksums(generation: Path) -> dict[str, FileRecord]:
    """The record of a generation: file name -> (size, CRC-32); empty when there is none.
    A record that cannot be read is itself damage, reported as a file of size -1 expected."""
    path = generation / CHECKSUMS_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return {CHECKSUMS_NAME: (-1, 0)}
    try:
        files = json.loads(text)["files"]
        return {str(name): (int(size), int(crc)) for name, (size, crc) in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {CHECKSUMS_NAME: (-1, 0)}


def file_checksum(path: Path) -> int:
    """The CRC-32 of a file, read a megabyte at a time."""
    checksum = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            checksum = zlib.crc32(chunk, checksum)
    return checksum


def _recorded_files(generation: Path) -> list[Path]:
    return sorted(
        path for path in generation.iterdir() if path.name not in _NOT_RECORDED and path.is_file()
    )


def _shared_records(generation: Path, base: Path | None) -> dict[str, FileRecord]:
    """``base``'s records of the files ``generation`` shares with it by hard link."""
    if base is None:
        return {}
    shared = {}
    for name, record in read_checksums(base).items():
        try:
            if os.path.samefile(base / name, generation / name):
                shared[name] = record
        except OSError:  # not in the new generation (merged away), or gone from base
            continue
    return shared


def _size_of(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _size_mismatch(name: str, size: int, found: int | None) -> Damage:
    if name == CHECKSUMS_NAME:
        return Damage(name, "cannot be read")
    if found is None:
        return Damage(name, "is missing")
    return Damage(name, f"is {found:,} bytes, {size:,} when it was written")
