"""The index folder stays usable whatever happens to a run: kills, two runs at once, damage."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dvsearch.errors import IndexDamagedError, NotAnIndexError
from dvsearch.index import integrity, store
from dvsearch.index.build import (
    MANIFEST_NAME,
    IndexReport,
    open_index,
    rebuild_reason,
    update_index,
)
from dvsearch.index.catalog import list_articles
from dvsearch.search.searcher import Searcher, search

Answers = list[tuple[str, int, tuple[str, ...], str | None]]

# The same words again and again, so that every query below matches many articles.
_VOCABULARY = (
    "Hội nghị|dân vận|khéo|Mặt trận|Tổ quốc|tỉnh|huyện|xã|nông thôn mới|giao thông|kinh tế|"
    "văn hóa|thanh niên|phụ nữ|cựu chiến binh|Hội Nông dân|triển khai|thực hiện|kế hoạch|năm|"
    "công tác|đoàn viên|hợp tác xã|chè|Thái Nguyên|Lạng Sơn|Thanh Hóa|Nghệ An|đồng bào|dân tộc|"
    "thiểu số|miền núi|giảm nghèo|xây dựng|đường|trường học|trạm y tế|bảo hiểm|người dân|cán bộ|"
    "đảng viên|chi bộ|phong trào|thi đua|mô hình|hiệu quả|nhân dân|chính quyền|Ủy ban|MTTQ|HĐND|"
    "sản xuất|vụ đông|lúa|cà phê|du lịch|biên giới"
)
WORDS = _VOCABULARY.split("|")
QUERIES = ("dân vận khéo", "bão lũ miền Trung", "nông thôn mới", "dan van")


def _answers(index_dir: Path) -> Answers:
    """Ranked ids, totals and suggestions for a few queries: what a user would see."""
    with Searcher(index_dir) as searcher:
        results = [searcher.search(query, limit=20, passages=0) for query in QUERIES]
    return [(r.query, r.total, tuple(h.id for h in r.hits), r.suggestion) for r in results]


def _live(index_dir: Path) -> str:
    manifest = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    name: str = manifest["generation"]
    return name


def _generations(index_dir: Path) -> list[str]:
    return sorted(path.name for path in index_dir.glob("gen-*"))


def _fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir()}


# --- in-process: copy-on-write, cleanup, the lock, damage ---------------------------------


def _built(seeds: Path, index_dir: Path) -> Path:
    update_index(seeds, index_dir)
    return index_dir


def _add_article(seeds: Path, name: str = "new.txt") -> None:
    (seeds / name).write_text("Hợp tác xã\n\nHợp tác xã chè Thái Nguyên mở rộng.", "utf-8")


def test_update_never_writes_into_the_live_generation(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    old = index_dir / _live(index_dir)
    before = _fingerprints(old)
    _add_article(seeds_copy)
    (seeds_copy / "000_a4d017e73d7b9be0.txt").unlink()
    update_index(seeds_copy, index_dir)
    assert (_live(index_dir), _fingerprints(old)) == ("gen-000002", before)


def test_the_replaced_generation_is_kept_for_one_run(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    update_index(seeds_copy, index_dir)
    kept = _generations(index_dir)
    update_index(seeds_copy, index_dir)
    assert (kept, _generations(index_dir)) == (
        ["gen-000001", "gen-000002"],
        ["gen-000002", "gen-000003"],
    )


def test_an_open_searcher_keeps_answering_after_its_generation_is_deleted(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    expected = _answers(index_dir)
    with Searcher(index_dir) as searcher:
        _add_article(seeds_copy)
        update_index(seeds_copy, index_dir)
        update_index(seeds_copy, index_dir, rebuild=True)  # removes the searcher's generation
        found = [searcher.search(query, limit=20, passages=0) for query in QUERIES]
    answers = [(r.query, r.total, tuple(h.id for h in r.hits), r.suggestion) for r in found]
    assert (answers, (index_dir / "gen-000001").exists()) == (expected, False)


def test_an_unfinished_generation_is_removed_by_the_next_run(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    unfinished = index_dir / "gen-000007"
    (unfinished / "MAIN.tmp").mkdir(parents=True)
    (unfinished / "_MAIN_0.toc").write_bytes(b"half")
    update_index(seeds_copy, index_dir)
    assert _generations(index_dir) == ["gen-000001", "gen-000002"]


def test_a_first_build_killed_before_its_manifest_is_redone(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    (index_dir / "gen-000001" / "MAIN.tmp").mkdir(parents=True)
    (index_dir / "gen-000001" / "MAIN_x1.trm").write_bytes(b"half")
    (index_dir / store.LOCK_NAME).touch()
    report = update_index(seeds_copy, index_dir)
    assert (report.rebuild_reason, report.added, _generations(index_dir)) == (
        "new",
        5,
        ["gen-000001"],
    )


def test_a_second_writer_waits_for_the_first(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    waiting = threading.Event()
    reports: list[IndexReport] = []
    second = threading.Thread(
        target=lambda: reports.append(update_index(seeds_copy, index_dir, on_wait=waiting.set))
    )
    with store.writer_lock(index_dir):
        second.start()
        told = waiting.wait(timeout=30)
        time.sleep(0.2)
        blocked = second.is_alive() and not store.index_exists(index_dir)
    second.join(timeout=60)
    assert (told, blocked, [r.added for r in reports]) == (True, True, [5])


def _remove_generation(folder: Path) -> None:
    shutil.rmtree(folder)


def _remove_toc(folder: Path) -> None:
    next(folder.glob("_MAIN_*.toc")).unlink()


def _truncate_toc(folder: Path) -> None:
    toc = next(folder.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:100])


def _garble_toc(folder: Path) -> None:
    next(folder.glob("_MAIN_*.toc")).write_bytes(random.Random(1).randbytes(2000))


DAMAGE = {
    "generation removed": (_remove_generation, "its folder 'gen-000001' is missing"),
    "TOC removed": (_remove_toc, "'_MAIN_1.toc' is missing"),
    "TOC truncated": (_truncate_toc, "'_MAIN_1.toc' is 100 bytes, "),
    "TOC garbage": (_garble_toc, "'_MAIN_1.toc' is 2,000 bytes, "),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_index_is_reported_and_the_next_run_rebuilds_it(
    seeds_copy: Path, tmp_path: Path, damage: tuple[Callable[[Path], None], str]
) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    damage[0](index_dir / "gen-000001")
    with pytest.raises(IndexDamagedError) as on_query:
        search(index_dir, "dân vận")
    report = update_index(seeds_copy, index_dir)
    assert str(on_query.value).startswith(f"the index in '{index_dir}' is damaged ({damage[1]}")
    assert str(on_query.value).endswith("): run 'dvsearch index --rebuild'")
    assert (report.rebuild_reason, report.damage) == ("damaged", on_query.value.what)
    assert (report.added, search(index_dir, "dân vận").total) == (5, 5)


def test_an_index_without_checksums_and_a_broken_toc_is_left_alone_until_rebuild(
    seeds_copy: Path, tmp_path: Path
) -> None:
    """An index written before checksums were recorded: damage can only be seen where whoosh
    fails, and an update refuses to build on it."""
    index_dir = _built(seeds_copy, tmp_path / "index")
    (index_dir / "gen-000001" / integrity.CHECKSUMS_NAME).unlink()
    _garble_toc(index_dir / "gen-000001")
    listing = sorted(p.name for p in index_dir.rglob("*"))
    with pytest.raises(IndexDamagedError) as on_query:
        search(index_dir, "dân vận")
    with pytest.raises(IndexDamagedError) as on_update:
        update_index(seeds_copy, index_dir)
    untouched = sorted(p.name for p in index_dir.rglob("*")) == listing
    report = update_index(seeds_copy, index_dir, rebuild=True)
    message = (
        f"the index in '{index_dir}' is damaged (the whoosh files in 'gen-000001' cannot be "
        "read): run 'dvsearch index --rebuild'"
    )
    assert (str(on_query.value), str(on_update.value), untouched) == (message, message, True)
    assert (report.added, search(index_dir, "dân vận").total) == (5, 5)


def test_an_unreadable_manifest_is_never_overwritten(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    (index_dir / MANIFEST_NAME).write_text('{"format": "dvsearch-ind', encoding="utf-8")
    with pytest.raises(IndexDamagedError) as caught:
        update_index(seeds_copy, index_dir, rebuild=True)
    assert (str(caught.value), (index_dir / MANIFEST_NAME).read_text(encoding="utf-8")) == (
        f"'{index_dir / MANIFEST_NAME}' cannot be read, so '{index_dir}' is not a usable "
        "dvsearch index: if it is a damaged index, delete the folder and run 'dvsearch index'",
        '{"format": "dvsearch-ind',
    )


def test_a_foreign_manifest_is_never_overwritten(seeds_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / MANIFEST_NAME).write_text('{"theme": "dark"}', encoding="utf-8")
    with pytest.raises(NotAnIndexError):
        update_index(seeds_copy, folder, rebuild=True)
    assert [p.name for p in folder.iterdir()] == [MANIFEST_NAME]


def test_a_folder_named_like_a_generation_but_not_ours_is_never_touched(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    (index_dir / "gen-000001").mkdir(parents=True)
    (index_dir / "gen-000001" / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(NotAnIndexError):
        update_index(seeds_copy, index_dir)
    assert sorted(p.name for p in index_dir.rglob("*")) == ["gen-000001", "thesis.docx"]


def test_an_index_in_the_first_layout_is_rebuilt(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    manifest = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    del manifest["store_version"], manifest["previous"]
    (index_dir / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    (index_dir / "vocabulary.json").write_text("{}", encoding="utf-8")
    reason = rebuild_reason(index_dir)
    report = update_index(seeds_copy, index_dir)
    assert (reason, report.rebuild_reason, (index_dir / "vocabulary.json").exists()) == (
        "outdated",
        "outdated",
        False,
    )


def test_open_index_reads_the_live_generation(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = _built(seeds_copy, tmp_path / "index")
    assert open_index(index_dir).doc_count() == 5


# --- real processes: killed runs, two runs at once, queries during a run --------------------


def _article(number: int, extra: str = "") -> str:
    rng = random.Random(number)
    title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
    sentences = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() for _ in range(10)]
    return f"{title} số {number}\n\n" + ".\n\n".join(sentences) + f".{extra}\n"


def _write_archive(folder: Path, second_version: bool) -> Path:
    """200 articles; the second version changes 60, removes 20 and adds 20 about floods."""
    folder.mkdir()
    numbers = [*range(180), *range(200, 220)] if second_version else range(200)
    for number in numbers:
        flood = second_version and (number % 3 == 0 or number >= 200)
        text = _article(number, "\n\nBão lũ miền Trung." if flood else "")
        (folder / f"a{number:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Archive:
    """An index of the first version, the second version's files, and what each gives."""

    index: Path
    second: Path
    first_answers: Answers
    second_answers: Answers  # after updating the first index to the second version


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    base = tmp_path_factory.mktemp("archive")
    # The second version lives where the first was indexed from: the index remembers its
    # folder, and another folder would be added to it rather than replace it.
    first = _write_archive(base / "articles", second_version=False)
    index_dir = _built(first, base / "index")
    first.rename(base / "v1")
    second = _write_archive(base / "articles", second_version=True)
    updated = base / "updated"
    shutil.copytree(index_dir, updated)
    update_index(second, updated)
    return Archive(index_dir, second, _answers(index_dir), _answers(updated))


def _index_copy(archive: Archive, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(archive.index, target)
    return target


def _start_index(index_dir: Path, seeds: Path, *options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "dvsearch", "index", "--seeds", str(seeds)]
    return subprocess.Popen(
        [*command, "--index", str(index_dir), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _file_names(index_dir: Path) -> set[str]:
    """The names of the files in every generation: segment names are random, so a new name
    is a file the run wrote (a hard-linked copy keeps the old names)."""
    names: set[str] = set()
    for folder in index_dir.glob("gen-*"):
        try:
            names.update(child.name for child in folder.iterdir())
        except FileNotFoundError:  # removed by the run while we looked
            continue
    return names


def _wait_for_file(
    run: subprocess.Popen[str], index_dir: Path, suffix: str, known: set[str]
) -> None:
    """Poll until the run has written a new file ending in ``suffix``."""
    deadline = time.monotonic() + 60
    while not any(name.endswith(suffix) for name in _file_names(index_dir) - known):
        assert (run.poll(), time.monotonic() < deadline) == (None, True)
        time.sleep(0.002)


# Kill points: the run's new segment has started (.trm), it has run for a while, it is
# flushing its segment to disk (.col), its segment is complete and committed (a new .toc)
# while the vocabulary is built and before the generation is published.
Point = tuple[signal.Signals, str, float]
REBUILD_POINTS: list[Point] = [
    (signal.SIGKILL, ".trm", 0.0),
    (signal.SIGINT, ".trm", 0.25),  # a rebuild of these ends about 0.75 s after .trm
    (signal.SIGINT, ".col", 0.0),
]
UPDATE_POINTS: list[Point] = [
    (signal.SIGINT, ".trm", 0.0),
    (signal.SIGKILL, ".trm", 0.3),
    (signal.SIGKILL, ".col", 0.0),
    (signal.SIGKILL, ".toc", 0.0),
]


def _kill_at(index_dir: Path, seeds: Path, point: Point, *options: str) -> int:
    known = _file_names(index_dir)
    run = _start_index(index_dir, seeds, *options)
    _wait_for_file(run, index_dir, point[1], known)
    time.sleep(point[2])
    run.send_signal(point[0])
    run.communicate()
    return run.returncode


@pytest.mark.parametrize(
    ("options", "points"),
    [(("--rebuild",), REBUILD_POINTS), ((), UPDATE_POINTS)],
    ids=["rebuild", "update"],
)
def test_a_killed_run_leaves_the_previous_index_and_the_next_run_finishes(
    archive: Archive, tmp_path: Path, options: tuple[str, ...], points: list[Point]
) -> None:
    index_dir = _index_copy(archive, tmp_path)
    live = _live(index_dir)
    files = _fingerprints(index_dir / live)
    after_kills = []
    for point in points:
        code = _kill_at(index_dir, archive.second, point, *options)
        killed = code == -signal.SIGKILL if point[0] == signal.SIGKILL else code != 0
        state = (killed, _live(index_dir), _fingerprints(index_dir / live), _answers(index_dir))
        after_kills.append(state)
    report = update_index(archive.second, index_dir)
    assert after_kills == [(True, live, files, archive.first_answers)] * len(points)
    assert (report.added, report.updated, report.removed, _answers(index_dir)) == (
        20,
        60,
        20,
        archive.second_answers,
    )
    assert _generations(index_dir) == sorted([live, _live(index_dir)])


def test_two_index_runs_at_once_wait_for_each_other(archive: Archive, tmp_path: Path) -> None:
    index_dir = _index_copy(archive, tmp_path)
    known = _file_names(index_dir)
    first = _start_index(index_dir, archive.second, "--rebuild")
    _wait_for_file(first, index_dir, ".trm", known)
    second = _start_index(index_dir, archive.second)
    outputs = [(*run.communicate(), run.returncode) for run in (first, second)]
    articles = sorted(summary.path for summary in list_articles(index_dir))
    assert outputs == [
        ("indexed 200 articles (0 skipped)\n", "", 0),
        (
            "0 added, 0 updated, 0 removed, 200 unchanged (200 articles, 0 skipped)\n",
            f"waiting for another dvsearch to finish writing the index in '{index_dir}'…\n",
            0,
        ),
    ]
    assert articles == sorted(path.name for path in archive.second.iterdir())
    totals = [total for _, total, _, _ in _answers(index_dir)]
    assert totals == [total for _, total, _, _ in archive.second_answers]


def test_queries_during_a_run_see_the_old_or_the_new_index(
    archive: Archive, tmp_path: Path
) -> None:
    index_dir = _index_copy(archive, tmp_path)
    known = _file_names(index_dir)
    run = _start_index(index_dir, archive.second)
    _wait_for_file(run, index_dir, ".trm", known)
    seen = []
    while run.poll() is None:
        seen.append(_answers(index_dir))
    run.communicate()
    seen.append(_answers(index_dir))
    old_or_new = [
        "old" if a == archive.first_answers else "new" if a == archive.second_answers else "mix"
        for a in seen
    ]
    assert (run.returncode, old_or_new[0], old_or_new[-1], "mix" in old_or_new) == (
        0,
        "old",
        "new",
        False,
    )
