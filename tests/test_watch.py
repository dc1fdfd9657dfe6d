"""Keeping an index current while files arrive: the loop, Ctrl-C, and one real watcher."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.errors import SeedsFolderError
from dvsearch.index import watch
from dvsearch.index.build import IndexReport, update_index
from dvsearch.index.catalog import list_articles
from dvsearch.index.watch import file_changes, watch_index

Step = Callable[[Path], set[str]]  # makes a change under the folder, returns the batch


def _source(*steps: Step, interrupt: bool = False) -> watch.ChangeSource:
    """A change source that is watching at once and makes each change before its batch."""

    def changes(root: Path, stop: threading.Event | None) -> Iterator[set[str]]:
        yield set()
        for step in steps:
            yield step(root)
        if interrupt:
            raise KeyboardInterrupt

    return changes


def _add(name: str) -> Step:
    def add(root: Path) -> set[str]:
        (root / name).write_text(f"Bài {name} về dân vận khéo.\n", encoding="utf-8")
        return {str(root / name)}

    return add


def _touch(relative: str) -> Step:
    def touch(root: Path) -> set[str]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        return {str(path)}

    return touch


def test_updates_once_watching_starts_and_after_each_batch(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    reports: list[IndexReport] = []
    source = _source(_add("a.txt"), _add("b.txt"))
    runs = watch_index(
        seeds_copy, index_dir, lambda: reports.append(update_index(seeds_copy, index_dir)), source
    )
    assert runs == 3
    assert [(r.added, r.total) for r in reports] == [(5, 5), (1, 6), (1, 7)]
    assert len(list_articles(index_dir)) == 7


def test_hidden_files_and_the_index_own_writes_do_not_trigger_an_update(
    seeds_copy: Path,
) -> None:
    calls: list[int] = []
    source = _source(_touch(".a.txt.swp"), _touch(".git/HEAD"), _touch("index/gen-000001/x"))
    runs = watch_index(seeds_copy, seeds_copy / "index", lambda: calls.append(1), source)
    assert (runs, calls) == (1, [1])


def test_a_removed_folder_triggers_an_update(seeds_copy: Path, tmp_path: Path) -> None:
    calls: list[int] = []
    source = _source(lambda root: {str(root / "2024")}, lambda root: {str(root)})
    assert watch_index(seeds_copy, tmp_path / "index", lambda: calls.append(1), source) == 3


def test_setting_stop_ends_the_loop(seeds_copy: Path, tmp_path: Path) -> None:
    stop = threading.Event()

    def endless(root: Path, _: threading.Event | None) -> Iterator[set[str]]:
        while True:
            yield {str(root / "a.txt")}

    def update() -> None:
        if len(calls) == 1:
            stop.set()
        calls.append(1)

    calls: list[int] = []
    assert watch_index(seeds_copy, tmp_path / "index", update, endless, stop) == 2


def test_an_interrupted_update_leaves_the_index_as_it_was(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    def update() -> None:
        first = not index_dir.exists()
        update_index(seeds_copy, index_dir, progress=None if first else interrupt)

    with pytest.raises(KeyboardInterrupt):
        watch_index(seeds_copy, index_dir, update, _source(_add("a.txt")))
    assert len(list_articles(index_dir)) == 5
    assert sorted(p.name for p in index_dir.iterdir() if p.is_dir()) == ["gen-000001"]
    assert update_index(seeds_copy, index_dir).added == 1


def test_a_missing_folder_is_our_error(tmp_path: Path) -> None:
    with pytest.raises(SeedsFolderError, match="does not exist"):
        watch_index(tmp_path / "nothing", tmp_path / "index", lambda: None, _source())


def test_a_folder_that_fails_to_read_is_our_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk or share failing with EIO on the folder's stat: one line naming the folder."""
    folder = tmp_path / "articles"
    folder.mkdir()
    real_stat = Path.stat

    def failing_stat(path: Path, **options: bool) -> os.stat_result:
        if path == folder:
            raise OSError(errno.EIO, "Input/output error")
        return real_stat(path, **options)

    monkeypatch.setattr(Path, "stat", failing_stat)
    with pytest.raises(SeedsFolderError, match=r"cannot read articles folder .*Input/output error"):
        watch_index(folder, tmp_path / "index", lambda: None, _source())


def _watch_cli(
    monkeypatch: pytest.MonkeyPatch, source: watch.ChangeSource, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(watch, "file_changes", source)
    result = CliRunner().invoke(main, ["index", "--watch", *args])
    return result.exit_code, result.stdout, result.stderr


def test_watch_prints_a_summary_per_update_and_ctrl_c_exits_130(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    source = _source(_add("a.txt"), interrupt=True)
    folders = ["--seeds", str(seeds_copy), "--index", str(index_dir)]
    code, stdout, stderr = _watch_cli(monkeypatch, source, *folders)
    assert code == 130
    assert stdout == (
        "indexed 5 articles (0 skipped)\n"
        "1 added, 0 updated, 0 removed, 5 unchanged (6 articles, 0 skipped)\n"
    )
    assert stderr == f"stopped watching '{seeds_copy}'\n"
    assert len(list_articles(index_dir)) == 6


def test_watch_json_prints_one_line_per_update(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = ["--seeds", str(seeds_copy), "--index", str(tmp_path / "index"), "--json"]
    code, stdout, _ = _watch_cli(monkeypatch, _source(_add("a.txt"), interrupt=True), *folders)
    assert code == 130
    assert [json.loads(line)["total"] for line in stdout.splitlines()] == [5, 6]


def test_watch_on_a_missing_folder_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nothing"
    args = ["--seeds", str(missing), "--index", str(tmp_path / "index")]
    code, stdout, stderr = _watch_cli(monkeypatch, _source(), *args)
    assert (code, stdout) == (1, "")
    assert stderr == (
        f"Error: articles folder '{missing}' does not exist: "
        "pass --seeds with a folder of article files\n"
    )


def test_the_real_watcher_reports_a_new_file_and_stops(tmp_path: Path) -> None:
    """watchfiles itself: under about three seconds (one quiet second, one for the stop)."""
    stop = threading.Event()
    batches: list[set[str]] = []
    watching = threading.Event()

    def run() -> None:
        for batch in file_changes(tmp_path, stop):
            watching.set()
            if batch:
                batches.append(batch)
                stop.set()

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    assert watching.wait(5)
    (tmp_path / "mới.txt").write_text("Bài mới.\n", encoding="utf-8")
    thread.join(8)
    assert (thread.is_alive(), batches) == (False, [{str(tmp_path / "mới.txt")}])
    assert time.monotonic() - started < 5
