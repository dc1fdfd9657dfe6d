"""Damaged index files end in one line, `dvsearch check` finds them, `dvsearch index` repairs."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dvsearch.cli import main
from dvsearch.errors import IndexDamagedError
from dvsearch.index import integrity
from dvsearch.index.build import update_index
from dvsearch.search.searcher import ENGINE_VARIABLE

from .conftest import ENGINES
from .test_store import _add_article, _live

SEED_ID = "003_c32616b67ea77d11"


def _run(*args: str | Path, engine: str | None = None) -> Result:
    environment = {ENGINE_VARIABLE: engine} if engine else {}
    return CliRunner().invoke(main, [str(a) for a in args], env=environment)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garble(path: Path) -> None:
    """Flip every bit of the last two thirds: the size stays, the contents do not."""
    data = bytearray(path.read_bytes())
    for position in range(len(data) // 3, len(data)):
        data[position] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "emptied": _empty,
    "garbled": _garble,
}
# Each kind of file a generation holds: whoosh's postings, terms, stored fields, field lengths,
# dates column and table of contents, and dvsearch's own tables.
FILE_KINDS = {
    "postings": "*.pst",
    "terms": "*.trm",
    "stored fields": "*._stored.col",
    "body lengths": "*._body_len.col",
    "dates": "*.published.col",
    "table of contents": "_MAIN_*.toc",
    "vocabulary": "vocabulary.json",
    "abbreviations": "abbreviations.json",
    "file digests": "digests.json",
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the seeds, copied by each test that damages it."""
    seeds = tmp_path_factory.mktemp("articles") / "seeds"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", seeds)
    index_dir = seeds.parent / "index"
    update_index(seeds, index_dir)
    return index_dir


def _damaged_copy(pristine: Path, tmp_path: Path, pattern: str, damage: str) -> tuple[Path, str]:
    index_dir = tmp_path / "index"
    shutil.copytree(pristine, index_dir)
    [target] = (index_dir / _live(index_dir)).glob(pattern)
    DAMAGE[damage](target)
    return index_dir, target.name


def _is_one_line_error(result: Result) -> bool:
    lines = result.output.strip().splitlines()
    return (
        result.exit_code == 1
        and len(lines) == 1
        and lines[0].startswith("Error: ")
        and "dvsearch index --rebuild" in lines[0]
    )


def _no_traceback(result: Result) -> bool:
    return result.exception is None or isinstance(result.exception, SystemExit)


READING = (("query", "dân vận"), ("list",), ("show", SEED_ID))


@pytest.mark.parametrize("damage", ["truncated", "emptied"])
@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_file_of_another_size_is_one_line_naming_it_on_every_read(
    pristine: Path, tmp_path: Path, kind: str, damage: str
) -> None:
    index_dir, name = _damaged_copy(pristine, tmp_path, FILE_KINDS[kind], damage)
    for command in READING:
        for engine in ENGINES:
            result = _run(*command, "--index", index_dir, engine=engine)
            assert _is_one_line_error(result), (command, engine, result.output)
            assert f"'{name}' is " in result.output


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_a_garbled_file_never_gives_a_traceback_and_check_names_it(
    pristine: Path, tmp_path: Path, kind: str
) -> None:
    index_dir, name = _damaged_copy(pristine, tmp_path, FILE_KINDS[kind], "garbled")
    for command in READING:
        for engine in ENGINES:
            result = _run(*command, "--index", index_dir, engine=engine)
            assert _no_traceback(result), (command, engine, result.exception)
            assert result.exit_code == 0 or _is_one_line_error(result), result.output
    checked = _run("check", "--index", index_dir)
    assert checked.exit_code == 1
    assert f"damaged: '{name}' does not hold what was written" in checked.output


@pytest.mark.parametrize("damage", DAMAGE)
def test_index_rebuilds_a_damaged_index_instead_of_updating_on_top_of_it(
    pristine: Path, tmp_path: Path, damage: str
) -> None:
    index_dir, name = _damaged_copy(pristine, tmp_path, "*.pst", damage)
    result = _run("index", "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert f"the index in '{index_dir}' was damaged ('{name}' " in result.output
    assert "rebuilt it from its articles folders" in result.output
    assert "indexed 5 articles" in result.output
    assert _run("check", "--index", index_dir).exit_code == 0
    found = json.loads(_run("query", "dân vận", "--json", "--index", index_dir).output)
    assert found["total"] == 5


def test_check_on_a_sound_index_counts_its_files_and_articles(pristine: Path) -> None:
    result = _run("check", "--index", pristine)
    files = len(integrity.read_checksums(pristine / _live(pristine)))
    assert result.exit_code == 0
    assert result.output.startswith(f"ok: {files} files (")
    assert result.output.rstrip().endswith("are as written; 5 articles")


def test_check_json_says_ok_or_lists_the_damage(pristine: Path, tmp_path: Path) -> None:
    sound = json.loads(_run("check", "--json", "--index", pristine).output)
    index_dir, name = _damaged_copy(pristine, tmp_path, "*.trm", "truncated")
    damaged = _run("check", "--json", "--index", index_dir)
    report = json.loads(damaged.output)
    assert (sound["ok"], sound["damaged"], sound["articles"]) == (True, [], 5)
    assert (damaged.exit_code, report["ok"], [d["file"] for d in report["damaged"]]) == (
        1,
        False,
        [name],
    )


def test_check_on_an_index_without_checksums_says_how_to_get_them(
    pristine: Path, tmp_path: Path, seeds_copy: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(pristine, index_dir)
    (index_dir / _live(index_dir) / integrity.CHECKSUMS_NAME).unlink()
    result = _run("check", "--index", index_dir)
    assert (result.exit_code, "has no checksums" in result.output) == (1, True)
    update_index(None, index_dir)  # the next run records them, for every file
    assert _run("check", "--index", index_dir).exit_code == 0


def test_check_with_no_index_is_one_line(tmp_path: Path) -> None:
    result = _run("check", "--index", tmp_path / "nothing")
    assert (result.exit_code, result.output.count("\n")) == (1, 1)
    assert "no index in" in result.output


def test_an_update_reuses_the_checksums_of_the_files_it_shares(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    first = integrity.read_checksums(index_dir / _live(index_dir))
    _add_article(seeds_copy)
    read: list[str] = []
    real = integrity.file_checksum

    def counting(path: Path) -> int:
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(integrity, "file_checksum", counting)
    update_index(seeds_copy, index_dir)
    generation = index_dir / _live(index_dir)
    second = integrity.read_checksums(generation)
    shared = {str(generation / name) for name in first if name.endswith(".pst") and name in second}
    assert shared and not shared & set(read)  # the old segment's files are not read again
    assert integrity.verify(index_dir / _live(index_dir)).damage == ()


def _garble_keeping_stamp(path: Path) -> None:
    """Damage as a failing disk would: the bytes change, the modification time does not."""
    before = path.stat()
    _garble(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _segment_file(generation: Path) -> Path:
    return max(generation.glob("MAIN_*.pst"), key=lambda path: path.stat().st_size)


def test_an_update_compares_a_segment_written_since_it_was_published(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    _garble(_segment_file(index_dir / _live(index_dir)))
    _add_article(seeds_copy)
    report = update_index(seeds_copy, index_dir)
    assert (report.rebuild_reason, report.added) == ("damaged", 6)
    assert _run("check", "--index", index_dir).exit_code == 0


def test_an_update_trusts_an_untouched_segment_and_check_still_finds_its_damage(
    seeds_copy: Path, tmp_path: Path
) -> None:
    """A segment whose stamp is as published is not read again by an update (it is shared,
    not read, by the next generation): damage that kept the stamp is carried over under its
    recorded checksum, so ``dvsearch check`` still reports it."""
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    target = _segment_file(index_dir / _live(index_dir))
    _garble_keeping_stamp(target)
    _add_article(seeds_copy)
    report = update_index(seeds_copy, index_dir)
    checked = _run("check", "--index", index_dir)
    assert (report.rebuild_reason, report.added) == (None, 1)
    assert (checked.exit_code, f"'{target.name}' does not hold" in checked.output) == (1, True)


def test_an_update_that_merges_a_damaged_segment_refuses_to_publish_it(
    seeds_copy: Path, tmp_path: Path
) -> None:
    """whoosh merges the five small segments on the fifth one-article update: what it read to
    merge is compared before the merged segment could carry the damage under a new checksum
    (garbled article lengths read without an error)."""
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    for number in range(4):
        _add_article(seeds_copy, f"new-{number}.txt")
        update_index(seeds_copy, index_dir)
    live = _live(index_dir)
    postings = _segment_file(index_dir / live)  # the first segment's: garbled, whoosh fails
    target = postings.with_name(f"{postings.stem}._body_len.col")  # garbled, it reads on
    _garble_keeping_stamp(target)
    _add_article(seeds_copy, "new-4.txt")
    with pytest.raises(IndexDamagedError) as raised:
        update_index(seeds_copy, index_dir)
    assert (
        raised.value.what
        == f"'{target.name}' does not hold what was written (its checksum differs)"
    )
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))[-1] == live
