"""The file records of a generation: a shared table and the changes since it read back as
exactly what each generation was given, over a long history of updates."""

from __future__ import annotations

import os
import random
from pathlib import Path

from dvsearch.index.digests import (
    DELTA_NAME,
    DIGESTS_NAME,
    FileRecord,
    read_digests,
    write_digests,
)


def _generation(root: Path, number: int, base: Path | None, records: dict[str, FileRecord]) -> Path:
    folder = root / f"gen-{number}"
    folder.mkdir()
    previous = read_digests(base) if base is not None else {}
    write_digests(folder, base, previous, records)
    return folder


def test_every_generation_of_a_long_history_reads_back_what_it_was_given(tmp_path: Path) -> None:
    chooser = random.Random(3)
    records = {f"bài-{n}.txt": (f"{n:040x}", n, 10 * n) for n in range(100)}
    base = _generation(tmp_path, 0, None, records)
    tables = {os.stat(base / DIGESTS_NAME).st_ino}
    for number in range(1, 30):
        records = dict(records)
        for path in chooser.sample(sorted(records), 2):
            del records[path]
        changed = chooser.choice(sorted(records))
        records[changed] = ("f" * 40, -1, number)  # a touched file: new stamp
        records[f"mới-{number}.txt"] = ("e" * 40, number, number)
        base = _generation(tmp_path, number, base, records)
        assert read_digests(base) == records
        tables.add(os.stat(base / DIGESTS_NAME).st_ino)
    # about 4 changes an update against 100 records: written again about every third update
    assert 2 <= len(tables) <= 12


def test_an_update_shares_the_table_and_writes_only_what_changed(tmp_path: Path) -> None:
    records = {f"a{n}.txt": ("0" * 40, n, n) for n in range(40)}
    base = _generation(tmp_path, 0, None, records)
    updated = _generation(tmp_path, 1, base, {**records, "b.txt": ("1" * 40, 1, 2)})
    assert os.path.samefile(base / DIGESTS_NAME, updated / DIGESTS_NAME)
    assert (updated / DELTA_NAME).read_text(encoding="utf-8") == (
        '{"records": 40, "changes": {"b.txt": ["' + "1" * 40 + '", 1, 2]}}'
    )
