"""Building and updating the index as articles are added, changed and removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dvsearch.articles import parsing as articles_module
from dvsearch.articles.files import ARTICLE_SUFFIXES
from dvsearch.articles.readers.dispatch import DOCUMENT_SUFFIXES
from dvsearch.errors import (
    ArticleFolderError,
    IndexMissingError,
    IndexVersionError,
    NotAnIndexError,
    SeedsFolderError,
)
from dvsearch.index import build as index_module
from dvsearch.index.build import MANIFEST_NAME, VOCABULARY_NAME, open_index, update_index
from dvsearch.index.catalog import load_article
from dvsearch.index.integrity import CHECKSUMS_NAME
from dvsearch.search.searcher import search
from dvsearch.vietnamese.legacy import encode_tcvn3

from .conftest import WriteCorpus
from .test_readers import make_docx, make_page, make_pdf
from .test_readers import run as docx_run


def _ids(index_dir: Path, query: str) -> list[str]:
    return sorted(Path(hit.path).stem for hit in search(index_dir, query, limit=50).hits)


def test_first_run_indexes_every_article(seeds_copy: Path, tmp_path: Path) -> None:
    report = update_index(seeds_copy, tmp_path / "index")
    assert (report.added, report.rebuild_reason, report.warnings) == (5, "new", [])


def test_second_run_without_changes_changes_nothing(seeds_copy: Path, tmp_path: Path) -> None:
    update_index(seeds_copy, tmp_path / "index")
    report = update_index(seeds_copy, tmp_path / "index")
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)


def test_added_article_becomes_findable(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    (seeds_copy / "new.txt").write_text("Hợp tác xã\n\nHợp tác xã chè Thái Nguyên.", "utf-8")
    report = update_index(seeds_copy, index_dir)
    assert (report.added, _ids(index_dir, '"chè Thái Nguyên"')) == (1, ["new"])


def test_deleted_article_disappears(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    (seeds_copy / "003_c32616b67ea77d11.txt").unlink()
    report = update_index(seeds_copy, index_dir)
    assert (report.removed, "003_c32616b67ea77d11" in _ids(index_dir, "Mai Trâm")) == (1, False)


def test_changed_article_is_reindexed(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    folder = write_corpus({"a.txt": "Tin\n\nHội nghị dân vận."})
    index_dir = tmp_path / "index"
    update_index(folder, index_dir)
    (folder / "a.txt").write_text("Tin\n\nHội nghị mặt trận.", encoding="utf-8")
    report = update_index(folder, index_dir)
    assert (report.updated, _ids(index_dir, "mặt trận"), _ids(index_dir, "dân vận")) == (
        1,
        ["a"],
        [],
    )


def test_rebuild_starts_from_scratch(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    report = update_index(seeds_copy, index_dir, rebuild=True)
    live = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))["generation"]
    assert (report.added, report.rebuild_reason, live) == (5, "requested", "gen-000002")


def test_unreadable_file_is_skipped_with_a_warning(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    folder = write_corpus({"good.txt": "Tin\n\nDân vận khéo."})
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8 not text \x00\x00\x01")
    report = update_index(folder, tmp_path / "index")
    assert (report.added, len(report.warnings), "bad.txt" in report.warnings[0]) == (1, 1, True)


def test_missing_seeds_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SeedsFolderError):
        update_index(tmp_path / "nowhere", tmp_path / "index")


def test_a_folder_that_is_not_an_index_is_never_overwritten(
    seeds_copy: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "index"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(NotAnIndexError):
        update_index(seeds_copy, foreign, rebuild=True)
    assert [p.name for p in foreign.iterdir()] == ["thesis.docx"]


def test_opening_a_missing_index_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as caught:
        open_index(tmp_path / "index")
    assert "run 'dvsearch index'" in str(caught.value)


def test_index_from_another_version_is_detected_and_rebuilt(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    manifest = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["analyzer_version"] = 0
    (index_dir / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexVersionError):
        open_index(index_dir)
    assert update_index(seeds_copy, index_dir).rebuild_reason == "outdated"


def test_an_update_ends_where_a_rebuild_of_the_same_files_ends(
    seeds_copy: Path, tmp_path: Path
) -> None:
    # Updates reuse the live generation's records (file digests, per-segment term counts):
    # after adding, changing and removing files the index must match what a rebuild finds,
    # and the vocabulary what counting every segment afresh gives.
    updated = tmp_path / "updated"
    update_index(seeds_copy, updated)
    (seeds_copy / "new.txt").write_text(
        "Hội nghị Mặt trận\n\nỦy ban Mặt trận Tổ quốc xã tổ chức hội nghị hiệp thương.\n",
        encoding="utf-8",
    )
    first = sorted(seeds_copy.glob("0*.txt"))
    first[0].write_text("Tin sửa\n\nBài viết đã sửa về công tác dân vận khéo.\n", "utf-8")
    first[1].unlink()
    report = update_index(seeds_copy, updated)
    rebuilt = tmp_path / "rebuilt"
    update_index(seeds_copy, rebuilt)
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    for query in ("dân vận khéo", "mat tran", "Lang Chánh", "hiệp thương"):
        expected = {h.id for h in search(rebuilt, query, limit=20).hits}
        assert {h.id for h in search(updated, query, limit=20).hits} == expected, query
    assert update_index(seeds_copy, updated).unchanged == 5
    live = updated / _live_generation(updated)
    fresh = tmp_path / "fresh"
    unpublished = shutil.ignore_patterns("terms-*", "vocabulary*", CHECKSUMS_NAME)
    shutil.copytree(live, fresh, ignore=unpublished)
    index_module._write_vocabulary(fresh, None)
    assert (live / "vocabulary-delta.json").is_file()  # the update wrote a delta, not a table
    assert _vocabulary_seen(live) == _vocabulary_seen(fresh) == _vocabulary_seen(fresh, None)


def _live_generation(index_dir: Path) -> str:
    manifest = json.loads((index_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    return str(manifest["generation"])


def _vocabulary_seen(generation: Path, delta_name: str | None = "vocabulary-delta.json") -> object:
    """What a query reads of a generation's vocabulary: each key's forms, and the syllables
    in order of rank."""
    from dvsearch.search.vocabulary import parse_vocabulary

    delta = generation / delta_name if delta_name else None
    vocabulary = parse_vocabulary(
        (generation / VOCABULARY_NAME).read_text(encoding="utf-8"),
        delta.read_text(encoding="utf-8") if delta is not None and delta.is_file() else None,
    )
    ranked = sorted(vocabulary._syllables, key=vocabulary._rank.__getitem__)
    return vocabulary._syllables, vocabulary._compounds, ranked


def test_an_update_reads_only_files_whose_size_or_time_changed(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    read: list[str] = []
    original = articles_module.read_article_bytes

    def counting(path: Path, name: str | None = None) -> bytes:
        read.append(path.name)
        return original(path, name)

    monkeypatch.setattr(articles_module, "read_article_bytes", counting)
    assert update_index(seeds_copy, index_dir).unchanged == 5
    touched = sorted(seeds_copy.glob("0*.txt"))[2]
    touched.write_bytes(touched.read_bytes())  # same bytes, new time: read, found unchanged
    changed = sorted(seeds_copy.glob("0*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một đoạn mới.", "utf-8")
    report = update_index(seeds_copy, index_dir)
    assert (read, report.unchanged, report.updated) == ([touched.name, changed.name], 4, 1)


# ---------------------------------------------------------------- documents of every kind

_STORY = (
    "Sáng 12/5, Ban Dân vận Huyện ủy tổng kết phong trào dân vận khéo năm 2025 tại hội trường.",
    "Hội nghị biểu dương 12 mô hình dân vận khéo tiêu biểu của các xã trong huyện.",
)


def _docx_paragraphs(lines: list[str], font: str | None = None) -> str:
    return "".join(f"<w:p>{docx_run(line, font)}</w:p>" for line in lines)


def test_pages_word_and_pdf_files_are_indexed_with_their_metadata(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.html").write_bytes(make_page())
    core = {"dc:title": "Tổng kết dân vận khéo", "dc:creator": "Minh Đức"}
    (seeds / "report.docx").write_bytes(make_docx(_docx_paragraphs(list(_STORY)), core))
    (seeds / "scan.pdf").write_bytes(make_pdf([]))
    (seeds / "notes.pdf").write_bytes(make_pdf(["Hội nghị dân vận khéo của huyện."]))
    report = update_index(seeds, tmp_path / "index")
    assert (report.added, report.warnings) == (
        3,
        [
            "skipped 'scan.pdf': the PDF has no text layer (a scanned PDF?): "
            "run OCR on it (ocrmypdf) to index it"
        ],
    )
    word = load_article(tmp_path / "index", "report.docx")
    assert (word.title, word.title_derived, word.author) == (
        "Tổng kết dân vận khéo",
        False,
        "Minh Đức",
    )
    page = load_article(tmp_path / "index", "page.html")
    assert (page.title, page.published) == (
        "Hà Nội tổng kết phòng chống thiên tai",
        "2026-03-07T08:15",
    )
    assert _ids(tmp_path / "index", '"dân vận khéo"') == ["notes", "report"]


def test_a_word_file_set_in_a_tcvn3_font_is_read_as_unicode(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    legacy = [encode_tcvn3(line).decode("cp1252") for line in _STORY]
    (seeds / "cu.docx").write_bytes(make_docx(_docx_paragraphs(legacy, ".VnTime")))
    update_index(seeds, tmp_path / "index")
    assert _ids(tmp_path / "index", "dân vận khéo") == ["cu"]
    assert load_article(tmp_path / "index", "cu").body.startswith("Sáng 12/5, Ban Dân vận")


def test_the_folder_walk_and_the_readers_know_the_same_formats() -> None:
    assert ARTICLE_SUFFIXES == DOCUMENT_SUFFIXES


def test_copies_follow_updates(tmp_path: Path) -> None:
    """A copy added later joins its article; when the article goes, the copy is a hit again."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    story = "Tin dân vận\n\n" + " ".join(_STORY) + "\n"
    (seeds / "a.txt").write_text(story, encoding="utf-8")
    index_dir = tmp_path / "index"
    update_index(seeds, index_dir)
    (seeds / "b.txt").write_bytes(story.encode("utf-16"))
    update_index(seeds, index_dir)
    update_index(seeds, index_dir)  # nothing changed: the groups are kept
    hits = search(index_dir, "dân vận khéo").hits
    assert [(hit.path, hit.copies) for hit in hits] == [("a.txt", ("b.txt",))]
    (seeds / "a.txt").unlink()
    update_index(seeds, index_dir)
    assert [(hit.path, hit.copies) for hit in search(index_dir, "dân vận khéo").hits] == [
        ("b.txt", ())
    ]


# --- the folders an index remembers -----------------------------------------------------


def _folder(root: Path, name: str, articles: dict[str, str]) -> Path:
    folder = root / name
    folder.mkdir()
    for file_name, text in articles.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


_TIN = {"tin.txt": "Tin xã\n\nDân vận khéo ở xã bên sông.\n"}
_OTHER_TIN = {"tin.txt": "Tin huyện\n\nHội nghị mặt trận huyện họp bàn công tác.\n"}


def test_an_update_without_a_folder_updates_the_recorded_one(tmp_path: Path) -> None:
    seeds = _folder(tmp_path, "seeds", _TIN)
    update_index(seeds, tmp_path / "index")
    (seeds / "mới.txt").write_text("Bài mới\n\nDân vận ở phường.\n", encoding="utf-8")
    report = update_index(None, tmp_path / "index")
    assert (report.added, report.removed, report.unchanged) == (1, 0, 1)


def test_a_second_folder_is_added_and_a_shared_file_name_gives_two_articles(
    tmp_path: Path,
) -> None:
    first = _folder(tmp_path, "xa", _TIN)
    second = _folder(tmp_path, "huyen", _OTHER_TIN)
    update_index(first, tmp_path / "index")
    report = update_index(second, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert (report.added, report.removed, report.unchanged, manifest["folders"]) == (
        1,
        0,
        1,
        [{"path": str(first), "label": ""}, {"path": str(second), "label": "huyen"}],
    )
    assert load_article(tmp_path / "index", "huyen/tin.txt").title == "Tin huyện"
    assert load_article(tmp_path / "index", "tin.txt").title == "Tin xã"


def test_a_label_already_used_as_a_subfolder_of_the_first_folder_gets_a_number(
    tmp_path: Path,
) -> None:
    first = _folder(tmp_path, "a", _TIN)
    _folder(first, "tin", _TIN)  # ids 'tin/tin.txt' are the first folder's
    update_index(first, tmp_path / "index")
    update_index(_folder(tmp_path, "tin", _OTHER_TIN), tmp_path / "index")
    assert load_article(tmp_path / "index", "tin-2/tin.txt").title == "Tin huyện"


def test_dropping_a_folder_removes_its_articles_only(tmp_path: Path) -> None:
    first = _folder(tmp_path, "xa", _TIN)
    second = _folder(tmp_path, "huyen", _OTHER_TIN)
    update_index(first, tmp_path / "index")
    update_index(second, tmp_path / "index")
    assert index_module.articles_in_folder(tmp_path / "index", second)[1] == 1
    report = update_index(None, tmp_path / "index", drop=[second])
    assert (report.removed, report.unchanged) == (1, 1)


def test_a_recorded_folder_that_is_gone_is_an_error_not_a_removal(tmp_path: Path) -> None:
    seeds = _folder(tmp_path, "seeds", _TIN)
    update_index(seeds, tmp_path / "index")
    seeds.rename(tmp_path / "moved")
    with pytest.raises(ArticleFolderError) as raised:
        update_index(None, tmp_path / "index")
    assert str(raised.value) == (
        f"the articles folder '{seeds}' of the index in '{tmp_path / 'index'}' is gone: put it "
        f"back, or run 'dvsearch index --drop-folder \"{seeds}\"' to remove its articles from "
        "the index"
    )


def test_a_folder_inside_a_recorded_one_is_refused(tmp_path: Path) -> None:
    seeds = _folder(tmp_path, "seeds", _TIN)
    inner = _folder(seeds, "cu", _OTHER_TIN)
    update_index(seeds, tmp_path / "index")
    with pytest.raises(ArticleFolderError) as raised:
        update_index(inner, tmp_path / "index")
    assert str(raised.value) == (
        f"'{inner}' overlaps '{seeds}', which the index already holds: "
        "pass a folder that is neither inside it nor around it"
    )


def test_an_index_written_before_folders_were_listed_updates_its_seeds(tmp_path: Path) -> None:
    seeds = _folder(tmp_path, "seeds", _TIN)
    update_index(seeds, tmp_path / "index")
    manifest_path = tmp_path / "index" / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["folders"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    report = update_index(None, tmp_path / "index")
    assert (report.removed, report.unchanged) == (0, 1)


def test_a_recorded_folder_that_cannot_be_looked_at_is_one_line(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing disk or a share gone away: an error naming the folder, not a traceback."""
    import errno

    from dvsearch.errors import ArticleFolderError
    from dvsearch.index.build import planned_folders

    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    real = Path.is_dir

    def failing(path: Path) -> bool:
        if path == seeds_copy.resolve():
            raise OSError(errno.EIO, "Input/output error")
        return real(path)

    monkeypatch.setattr(Path, "is_dir", failing)
    with pytest.raises(ArticleFolderError) as caught:
        planned_folders(index_dir, None)
    assert str(caught.value) == (
        f"cannot look at the articles folder '{seeds_copy.resolve()}' (Input/output error): "
        "check the folder and the disk it is on, then run again"
    )


def test_an_update_that_reads_one_article_does_not_load_numpy(
    seeds_copy: Path, tmp_path: Path
) -> None:
    """Importing numpy costs 0.2 s, a fifth of a one-article update: its signature, its
    comparison with every other and the vocabulary's update are made without it."""
    import subprocess
    import sys

    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    (seeds_copy / "new.txt").write_text("Hợp tác xã\n\nHợp tác xã chè Thái Nguyên.", "utf-8")
    script = (
        "import sys; from pathlib import Path; from dvsearch.index.build import update_index; "
        f"report = update_index(None, Path({str(index_dir)!r})); "
        "print(report.added, 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "1 False\n")
