"""What a generation holds of each article file: its sha1, size and modification time.

The table (``digests.json``, 3.9 MB at 37,773 articles) is written whole by a rebuild and then
shared, hard-linked, by the generations after it; an update writes only the records that
changed since it, and the paths that left, in ``digests-delta.json`` (JSON ``null`` for a path
gone). Writing the whole table again and forcing it to disk was about 50 ms of a one-article
update at 37,773 articles. Once the delta holds more than ``_MAX_SHARE`` of the table's
records, the table is written whole again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dvsearch.index import store

DIGESTS_NAME = "digests.json"  # article id -> [sha1, size, mtime] of every indexed file
DELTA_NAME = "digests-delta.json"  # article id -> its record, or null: changes since the table
FileRecord = tuple[str, int, int]  # sha1 of the bytes indexed, size and mtime (ns) seen then
_MAX_SHARE = 8


def has_digests(generation: Path) -> bool:
    return (generation / DIGESTS_NAME).is_file()


def read_digests(generation: Path) -> dict[str, FileRecord]:
    """The records of a generation's files: its table with its delta applied."""
    saved = _records(generation / DIGESTS_NAME)
    for path, record in _delta(generation, len(saved))[1].items():
        if record is None:
            saved.pop(path, None)
        else:
            saved[path] = _record(record)
    return saved


def write_digests(
    generation: Path,
    base: Path | None,
    previous: Mapping[str, FileRecord],
    records: Mapping[str, FileRecord],
) -> None:
    """Store ``records`` as the generation's: ``base``'s table shared and the changes since
    it (``previous`` is what ``base`` holds), or the whole table."""
    if base is not None and has_digests(base):
        table_size, changes = _delta(base, len(previous))
        changes.update(
            (path, list(record)) for path, record in records.items() if previous.get(path) != record
        )
        changes.update((path, None) for path in previous.keys() - records.keys())
        if _MAX_SHARE * len(changes) <= table_size:
            store.link_or_copy(base / DIGESTS_NAME, generation / DIGESTS_NAME)
            stored = {"records": table_size, "changes": changes}
            (generation / DELTA_NAME).write_text(json.dumps(stored), encoding="utf-8")
            return
    (generation / DIGESTS_NAME).write_text(json.dumps(dict(records)), encoding="utf-8")


def _delta(generation: Path, held: int) -> tuple[int, dict[str, Any]]:
    """The size of a generation's table and its changes since; for a generation without a
    delta, ``held`` (what it holds is its table) and none."""
    path = generation / DELTA_NAME
    if not path.is_file():
        return held, {}
    stored = json.loads(path.read_text(encoding="utf-8"))
    return int(stored["records"]), dict(stored["changes"])


def _records(path: Path) -> dict[str, FileRecord]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    return {name: (digest, size, mtime) for name, (digest, size, mtime) in saved.items()}


def _record(value: Any) -> FileRecord:
    digest, size, mtime = value
    return str(digest), int(size), int(mtime)
