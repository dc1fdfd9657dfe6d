"""Telling a query that the articles folder changed since the last index run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dvsearch.cli import main
from dvsearch.index import staleness
from dvsearch.index.build import update_index
from dvsearch.index.staleness import RECORD_NAME, Staleness, check_staleness, snapshot_folders

NOTE = (
    "note: files in '{}' changed since the last index run: "
    "run 'dvsearch index' to bring the index up to date\n"
)


def _indexed(seeds_copy: Path, tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    return index_dir


def _first(seeds: Path) -> Path:
    return sorted(seeds.glob("*.txt"))[0]


def _add(seeds: Path) -> None:
    (seeds / "mới.txt").write_text("Bài mới về dân vận.\n", encoding="utf-8")


def _add_subfolder(seeds: Path) -> None:
    (seeds / "2024").mkdir()


def _rename(seeds: Path) -> None:
    first = _first(seeds)
    first.rename(first.with_name("đổi-tên.txt"))


def _remove(seeds: Path) -> None:
    _first(seeds).unlink()


@pytest.mark.parametrize("change", [_add, _remove, _rename, _add_subfolder])
def test_adding_removing_renaming_or_a_new_folder_makes_the_index_stale(
    seeds_copy: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    change(seeds_copy)
    assert check_staleness(index_dir) == Staleness(True, root=seeds_copy.resolve(), path="")


def test_nothing_changed_is_not_stale(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    assert check_staleness(index_dir) == Staleness(False)


def test_a_change_in_a_subfolder_names_that_folder(seeds_copy: Path, tmp_path: Path) -> None:
    (seeds_copy / "2024" / "05").mkdir(parents=True)
    index_dir = _indexed(seeds_copy, tmp_path)
    _add(seeds_copy / "2024" / "05")
    assert check_staleness(index_dir).path == "2024/05"


def test_the_next_index_run_clears_it(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    _add(seeds_copy)
    update_index(seeds_copy, index_dir)
    assert check_staleness(index_dir) == Staleness(False)


def test_an_edit_in_place_is_seen_only_for_the_recently_modified_files(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented limitation: editing a file leaves its folder's time alone, so only the
    files in the record's sample (here 1, the newest) are checked."""
    monkeypatch.setattr(staleness, "SAMPLED_FILES", 1)
    files = sorted(seeds_copy.glob("*.txt"))
    for age, path in enumerate(reversed(files), start=1):
        os.utime(path, ns=(10**18 - age * 10**9, 10**18 - age * 10**9))  # files[-1] newest
    index_dir = _indexed(seeds_copy, tmp_path)
    with files[0].open("a", encoding="utf-8") as old:
        old.write("Thêm một câu.\n")
    assert check_staleness(index_dir) == Staleness(False)
    with files[-1].open("a", encoding="utf-8") as newest:
        newest.write("Thêm một câu.\n")
    found = check_staleness(index_dir)
    assert (found.stale, found.path) == (True, files[-1].name)


def test_a_missing_articles_folder_is_stale(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    seeds_copy.rename(tmp_path / "moved")
    assert check_staleness(index_dir).stale is True


def test_an_index_without_a_record_is_not_known(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    generation = json.loads((index_dir / "dvsearch.json").read_text("utf-8"))["generation"]
    (index_dir / generation / RECORD_NAME).unlink()
    _add(seeds_copy)
    assert check_staleness(index_dir) == Staleness(False, known=False)
    assert check_staleness(tmp_path / "nothing") == Staleness(False, known=False)
    (index_dir / generation / RECORD_NAME).write_text('{"version": 1, "roots": [{}]}', "utf-8")
    assert check_staleness(index_dir) == Staleness(False, known=False)


def test_hidden_folders_and_an_index_inside_the_folder_are_not_recorded(
    seeds_copy: Path,
) -> None:
    (seeds_copy / ".git").mkdir()
    (seeds_copy / "index").mkdir()
    (seeds_copy / "tin").mkdir()
    snapshot = snapshot_folders(seeds_copy, exclude=seeds_copy / "index")
    assert sorted(snapshot.folders) == ["", "tin"]


def test_an_index_kept_inside_the_articles_folder_is_not_stale_after_its_own_run(
    seeds_copy: Path,
) -> None:
    index_dir = seeds_copy / "index"
    update_index(seeds_copy, index_dir)
    update_index(seeds_copy, index_dir)
    assert check_staleness(index_dir) == Staleness(False)


def _query(seeds: Path, index_dir: Path, *options: str) -> Result:
    args = ["query", "dân vận", "--seeds", str(seeds), "--index", str(index_dir), *options]
    return CliRunner().invoke(main, args)


def test_query_notes_on_stderr_that_files_changed(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    _add(seeds_copy)
    result = _query(seeds_copy, index_dir)
    assert result.exit_code == 0
    assert result.stderr == NOTE.format(seeds_copy)
    assert "dân vận" in result.stdout.lower()


def test_query_json_says_stale_and_keeps_the_note_off_stdout(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    assert "stale" not in json.loads(_query(seeds_copy, index_dir, "--json").stdout)
    _remove(seeds_copy)
    result = _query(seeds_copy, index_dir, "--json")
    assert (result.exit_code, result.stderr) == (0, NOTE.format(seeds_copy))
    assert json.loads(result.stdout)["stale"] is True


def test_query_names_the_recorded_folder_when_seeds_is_another(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    _add(seeds_copy)
    result = _query(tmp_path / "elsewhere", index_dir)
    assert result.stderr == NOTE.format(seeds_copy.resolve())


def test_query_says_nothing_when_nothing_changed(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _indexed(seeds_copy, tmp_path)
    result = _query(seeds_copy, index_dir)
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_large_archive_is_checked_in_windows_that_cover_every_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(staleness, "RECENT_FOLDERS", 2)
    monkeypatch.setattr(staleness, "ROTATING_FOLDERS", 2)
    folders: list[tuple[str, object]] = [(str(n), n) for n in range(7)]
    checked = [staleness._folders_to_check(folders, clock) for clock in range(3)]
    assert [len(each) for each in checked] == [4, 4, 4]
    assert all(each[:2] == folders[:2] for each in checked)
    assert {name for each in checked for name, _ in each} == {name for name, _ in folders}


def test_the_record_lists_the_folder_itself_then_the_newest_folders(seeds_copy: Path) -> None:
    for name, age in (("cũ", 3), ("mới", 1), ("giữa", 2)):
        (seeds_copy / name).mkdir()
        os.utime(seeds_copy / name, ns=(10**18 - age, 10**18 - age))
    staleness.write_record(seeds_copy.parent, [(snapshot_folders(seeds_copy), {})])
    record = json.loads((seeds_copy.parent / RECORD_NAME).read_text("utf-8"))
    assert list(record["roots"][0]["folders"]) == ["", "mới", "giữa", "cũ"]
