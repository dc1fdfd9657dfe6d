"""A published generation is on disk before the manifest names it, and the rename after."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dvsearch.index import durability
from dvsearch.index.build import MANIFEST_NAME, update_index
from tests.test_store import _add_article, _live

_FD_LINKS = Path("/proc/self/fd")


class _Recorder:
    """os.fsync and os.replace as the store calls them, in order, by path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str]] = []
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(descriptor: int) -> None:
            self.events.append(("fsync", os.readlink(_FD_LINKS / str(descriptor))))
            real_fsync(descriptor)

        def replace(source: str | Path, target: str | Path) -> None:
            self.events.append(("replace", os.fspath(target)))
            real_replace(source, target)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def synced(self) -> list[str]:
        return [path for kind, path in self.events if kind == "fsync"]

    def position(self, kind: str, path: Path) -> int:
        return self.events.index((kind, str(path.resolve())))


def _check_publish_order(
    events: _Recorder, index_dir: Path, shared: frozenset[str] = frozenset()
) -> None:
    """Every file of the live generation (but those ``shared`` with the one before) and its
    folder, then the temporary manifest, synced before the rename; the index folder after."""
    generation = (index_dir / _live(index_dir)).resolve()
    rename = events.position("replace", index_dir / MANIFEST_NAME)
    before = set(path for kind, path in events.events[:rename] if kind == "fsync")
    files = {str(path) for path in generation.iterdir() if path.is_file()} - shared
    assert shared & before == set()
    temporary = str((index_dir / f".{MANIFEST_NAME}.tmp").resolve())
    assert files - before == set()
    assert {str(generation), temporary} <= before
    assert str(index_dir.resolve()) in events.synced()[len(before) :]


@pytest.mark.skipif(not _FD_LINKS.is_dir(), reason="needs /proc/self/fd to name descriptors")
def test_a_rebuild_forces_every_file_to_disk_before_the_manifest_names_it(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    events = _Recorder(monkeypatch)
    update_index(seeds_copy, index_dir)
    _check_publish_order(events, index_dir)
    assert str(tmp_path.resolve()) in events.synced()  # the new index folder's own entry


@pytest.mark.skipif(not _FD_LINKS.is_dir(), reason="needs /proc/self/fd to name descriptors")
def test_an_update_forces_its_generation_to_disk_too(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    previous = index_dir / _live(index_dir)
    _add_article(seeds_copy)
    events = _Recorder(monkeypatch)
    report = update_index(seeds_copy, index_dir)
    assert report.added == 1
    generation = (index_dir / _live(index_dir)).resolve()
    shared = {
        str(path)
        for path in generation.iterdir()
        if (previous / path.name).exists() and path.samefile(previous / path.name)
    }
    assert len(shared) > 10  # the first build's segment, hard-linked: already on disk
    _check_publish_order(events, index_dir, frozenset(shared))


def test_dvsearch_fsync_0_skips_the_forced_writes(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(os, "fsync", calls.append)
    monkeypatch.setenv(durability.SYNC_VARIABLE, "0")
    update_index(seeds_copy, tmp_path / "index")
    assert calls == []


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_strace_sees_the_fsyncs_of_a_rebuild(seeds_copy: Path, tmp_path: Path) -> None:
    """The same promise, seen from outside the process: the system calls themselves."""
    index_dir = tmp_path / "index"
    log = tmp_path / "strace.log"
    strace = ["strace", "-f", "-y", "-e", "trace=fsync,rename,renameat,renameat2", "-o", str(log)]
    command = [sys.executable, "-m", "dvsearch", "index", "--seeds", str(seeds_copy)]
    traced = subprocess.run(
        [*strace, *command, "--index", str(index_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if traced.returncode != 0 and "ptrace" in traced.stderr:
        pytest.skip(f"strace cannot trace here: {traced.stderr.strip()}")
    assert traced.returncode == 0, traced.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    manifest = f'"{index_dir.resolve() / MANIFEST_NAME}"'
    rename = next(n for n, line in enumerate(lines) if "rename" in line and manifest in line)
    synced_before = "\n".join(line for line in lines[:rename] if "fsync(" in line)
    synced_after = "\n".join(line for line in lines[rename:] if "fsync(" in line)
    generation = (index_dir / _live(index_dir)).resolve()
    for path in [*generation.iterdir(), generation, index_dir.resolve() / f".{MANIFEST_NAME}.tmp"]:
        assert f"<{path}>" in synced_before, path.name
    assert f"<{index_dir.resolve()}>" in synced_after
