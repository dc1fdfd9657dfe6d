"""A run that cannot write (disk full, read-only, permissions) says so in one line and leaves the
index as it was, still answering the same."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import dvsearch.engine  # noqa: F401  # whoosh loads through the engine's shim first
from dvsearch.cli import main
from dvsearch.index import parallel, store

from .conftest import SEEDS
from .test_store import _add_article

_MOUNT_TOOLS = shutil.which("mount") is not None and shutil.which("umount") is not None


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _answers(index_dir: Path) -> Any:
    result = _run("query", "dân vận", "--json", "--index", index_dir)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    return found["total"], [hit["path"] for hit in found["hits"]]


def _listing(index_dir: Path) -> list[str]:
    return sorted(str(path.relative_to(index_dir)) for path in index_dir.rglob("*"))


def _one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert (result.exit_code, len(lines)) == (1, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return lines[0]


def _failing(error_number: int) -> OSError:
    return OSError(error_number, os.strerror(error_number))


# --- injected at each place a run writes ---------------------------------------------------


def _segment_files(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    from whoosh.filedb.filestore import FileStorage  # where every whoosh file is created

    def create_file(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(FileStorage, "create_file", create_file)


def _table(*names: str) -> Callable[[pytest.MonkeyPatch, OSError], None]:
    def inject(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
        real = Path.write_text

        def write_text(self: Path, *args: Any, **kwargs: Any) -> int:
            if self.name in names:
                raise error
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)

    return inject


def _fsync(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    def fsync(descriptor: int) -> None:
        raise error

    monkeypatch.setattr(os, "fsync", fsync)


def _manifest_rename(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    def replace(source: Any, target: Any) -> None:
        raise error

    monkeypatch.setattr(os, "replace", replace)


WRITE_SITES: dict[str, Callable[[pytest.MonkeyPatch, OSError], None]] = {
    "whoosh segment": _segment_files,
    # a rebuild writes the table, an update the keys it recounted (vocabulary_delta.py)
    "vocabulary table": _table("vocabulary.json", "vocabulary-delta.json"),
    "digests table": _table("digests.json"),
    "folder times": _table("folders.json"),
    "checksums": _table("checksums.json"),
    "fsync": _fsync,
    "manifest rename": _manifest_rename,
}
ADVICE = {
    errno.ENOSPC: "No space left on device",
    errno.EACCES: "you may not write in that folder",
}


@pytest.mark.parametrize("error_number", ADVICE)
@pytest.mark.parametrize("site", WRITE_SITES)
def test_an_update_that_cannot_write_leaves_the_index_answering_the_same(
    seeds_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    site: str,
    error_number: int,
) -> None:
    index_dir = tmp_path / "index"
    assert _run("index", "--seeds", seeds_copy, "--index", index_dir).exit_code == 0
    before, listing = _answers(index_dir), _listing(index_dir)
    _add_article(seeds_copy)
    with monkeypatch.context() as patched:
        WRITE_SITES[site](patched, _failing(error_number))
        line = _one_line(_run("index", "--index", index_dir))
    assert line.startswith(f"Error: cannot write the index in '{index_dir}': ")
    assert ADVICE[error_number] in line
    assert line.endswith("The index is as it was before this run")
    assert (_answers(index_dir), _listing(index_dir)) == (before, listing)
    assert "1 added" in _run("index", "--index", index_dir).output  # and works once it can


@pytest.mark.parametrize("site", WRITE_SITES)
def test_a_first_build_that_cannot_write_leaves_no_generation_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: str
) -> None:
    index_dir = tmp_path / "index"
    WRITE_SITES[site](monkeypatch, _failing(errno.ENOSPC))
    line = _one_line(_run("index", "--seeds", SEEDS, "--index", index_dir))
    assert "free some disk space and run 'dvsearch index' again" in line
    assert _listing(index_dir) == [store.LOCK_NAME]


def test_a_parallel_build_whose_workers_cannot_write_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ARTICLES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 2)
    _segment_files(monkeypatch, _failing(errno.ENOSPC))
    line = _one_line(_run("index", "--seeds", SEEDS, "--index", tmp_path / "index"))
    assert "No space left on device" in line
    assert _listing(tmp_path / "index") == [store.LOCK_NAME]


def test_a_lock_file_that_cannot_be_created_is_one_line_and_queries_still_answer(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    _run("index", "--seeds", seeds_copy, "--index", index_dir)
    (index_dir / store.LOCK_NAME).unlink()
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any) -> int:
        if Path(path).name == store.LOCK_NAME:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    line = _one_line(_run("index", "--index", index_dir))
    assert f"Read-only file system ('{index_dir / store.LOCK_NAME}')" in line
    assert "queries still work" in line
    assert _answers(index_dir)[0] == 5


# --- a real small disk: tmpfs, where this machine lets the tests mount one ------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """A tmpfs of a given size (``mount`` needs root); skips where none can be mounted."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        mounted.append(point)
        return point

    if not _MOUNT_TOOLS or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Take all but ``leave`` bytes of the disk's free space."""
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("wb") as stream:
        stream.truncate(0)
        stream.write(b"\0" * max(free - leave, 0))


def test_a_full_disk_during_a_rebuild_leaves_no_generation(
    small_disk: Callable[[str], Path],
) -> None:
    disk = small_disk("200k")
    line = _one_line(_run("index", "--seeds", SEEDS, "--index", disk / "index"))
    assert "No space left on device" in line
    assert _listing(disk / "index") == [store.LOCK_NAME]


def test_a_full_disk_during_an_update_keeps_the_old_index_answering(
    seeds_copy: Path, small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("4m")
    index_dir = disk / "index"
    assert _run("index", "--seeds", seeds_copy, "--index", index_dir).exit_code == 0
    before, listing = _answers(index_dir), _listing(index_dir)
    for number in range(5):
        _add_article(seeds_copy, f"new-{number}.txt")
    _fill(disk, leave=16_000)
    line = _one_line(_run("index", "--index", index_dir))
    assert "free some disk space" in line
    assert (_answers(index_dir), _listing(index_dir)) == (before, listing)
    (disk / "filler").unlink()
    assert "5 added" in _run("index", "--index", index_dir).output


def test_a_read_only_index_answers_queries_and_refuses_updates_in_one_line(
    seeds_copy: Path, small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("4m")
    index_dir = disk / "index"
    _run("index", "--seeds", seeds_copy, "--index", index_dir)
    before = _answers(index_dir)
    _add_article(seeds_copy)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    line = _one_line(_run("index", "--index", index_dir))
    assert "read-only disk: queries still work" in line
    assert (_answers(index_dir), _run("check", "--index", index_dir).exit_code) == (before, 0)
