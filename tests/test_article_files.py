"""Finding and reading article files in a hostile folder: links, huge files, FIFOs, permissions
and odd names each cost at most one warning line naming them, and every good file still indexes.
"""

from __future__ import annotations

import errno
import json
import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dvsearch.articles.files import (
    MAX_ARTICLE_BYTES,
    DecodedArticle,
    count_by_type,
    decode_article,
    decode_article_file,
    iter_article_files,
    read_article_bytes,
    scan_article_folder,
)
from dvsearch.cli import main
from dvsearch.errors import SeedsFolderError, UnreadableArticleError
from dvsearch.vietnamese.legacy import encode_tcvn3, encode_vni

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(AS_ROOT, reason="root reads any file whatever its mode")
needs_links = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")


def _article(word: str) -> str:
    """A small Vietnamese article whose body holds ``word``, a word no other test article has."""
    return (
        f"Nông dân trồng {word}\n\n12/05/2022\n\n"
        f"Sáng 12/5, Hội Nông dân huyện tổng kết mô hình trồng {word} năm 2022.\n\nThanh Hà\n"
    )


def _names(folder: Path) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in iter_article_files(folder)]


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableArticleError) as caught:
        read_article_bytes(path)
    return str(caught.value)


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


# ---------------------------------------------------------------- the walk


def test_walk_finds_article_files_in_subfolders_in_name_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.md", "a b.text", ".hidden/x.txt", ".x.txt", "photo.jpg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert _names(tmp_path) == ["a/z.md", "a b.text", "b.txt"]


@needs_links
def test_link_to_a_file_inside_the_folder_is_passed_over_quietly(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "alias.txt").symlink_to("a.txt")
    (tmp_path / "alias-folder").symlink_to("sub")
    (tmp_path / "self").symlink_to(".")
    assert _names(tmp_path) == ["a.txt"]


@needs_links
def test_link_to_a_file_outside_is_refused_with_its_target(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text(_article("chè"), encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert (_names(seeds), _refusal(seeds / "link.txt")) == (
        ["link.txt"],
        f"skipped '{seeds / 'link.txt'}': a link to '{tmp_path / 'outside.txt'}' "
        "(links out of the folder are not followed: copy the file in to index it)",
    )


@needs_links
def test_link_to_a_folder_outside_is_refused_not_walked(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.txt").write_text("x", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "more").symlink_to(tmp_path / "elsewhere")
    assert (_names(seeds), _refusal(seeds / "more").startswith(f"skipped '{seeds / 'more'}'")) == (
        ["more"],
        True,
    )


@needs_links
def test_link_loop_and_broken_link_are_refused_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "loop-a.txt").symlink_to("loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to("loop-a.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "up").symlink_to("..")
    names = _names(tmp_path)
    refused = [_refusal(tmp_path / name).split(":")[0] for name in names]
    assert (names, refused) == (
        ["gone.txt", "loop-a.txt", "loop-b.txt", "up"],
        [f"skipped '{tmp_path / name}'" for name in names],
    )


def test_file_name_with_a_line_break_is_refused_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "two\nlines.txt").write_text("x", encoding="utf-8")
    assert _refusal(tmp_path / "two\nlines.txt") == (
        f"skipped '{tmp_path}/two\\nlines.txt': the name has control characters or is not "
        "UTF-8: rename it"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_an_article_and_reading_it_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert (_names(tmp_path), _refusal(tmp_path / "pipe.txt")) == (
        [],
        f"skipped '{tmp_path / 'pipe.txt'}': not a regular file",
    )


def test_missing_articles_folder_is_a_folder_error(tmp_path: Path) -> None:
    with pytest.raises(SeedsFolderError):
        _names(tmp_path / "nowhere")


# ---------------------------------------------------------------- reading


def test_file_over_the_size_cap_is_skipped_without_being_read(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes(b"dan van " * 6_250_000)  # 50 MB
    assert _refusal(tmp_path / "dump.txt") == (
        f"skipped '{tmp_path / 'dump.txt'}': 50.0 MB is too large for an article "
        "(at most 1.0 MB): split it or leave it out"
    )


def test_refusal_names_the_file_as_the_caller_asks(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes(b"x" * (MAX_ARTICLE_BYTES + 1))
    with pytest.raises(UnreadableArticleError) as caught:
        read_article_bytes(tmp_path / "dump.txt", "dump.txt")
    assert str(caught.value).startswith("skipped 'dump.txt': 1.0 MB is too large")


def test_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_bytes(b"a" * MAX_ARTICLE_BYTES)
    assert len(read_article_bytes(tmp_path / "long.txt")) == MAX_ARTICLE_BYTES


@needs_permissions
def test_unreadable_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "locked.txt").write_text("x", encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    assert _refusal(tmp_path / "locked.txt") == (
        f"skipped '{tmp_path / 'locked.txt'}': cannot read it (Permission denied)"
    )


@needs_permissions
def test_folder_that_cannot_be_listed_is_named_once(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "private").chmod(0)
    try:
        names = _names(tmp_path)
        message = _refusal(tmp_path / "private")
    finally:
        (tmp_path / "private").chmod(0o755)
    assert (names, message) == (
        ["private"],
        f"skipped '{tmp_path / 'private'}': a folder that cannot be listed (Permission denied)",
    )


def _fail_for(
    monkeypatch: pytest.MonkeyPatch, name: str, failing: Path, code: int = errno.EIO
) -> None:
    """``os.<name>`` raises ``OSError(code)`` for ``failing`` only, as a bad disk sector, a
    network share gone stale or a folder swapped for a file would have it."""
    real = getattr(os, name)

    def fail(path: str | os.PathLike[str] = ".", *args: object, **kwargs: object) -> object:
        if os.path.abspath(path) == os.path.abspath(failing):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, fail)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EIO, "Input/output error"), (errno.ENOTDIR, "Not a directory")],
)
def test_folder_that_cannot_be_listed_for_any_reason_is_named_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    _fail_for(monkeypatch, "scandir", tmp_path / "sub", code)
    assert (_names(tmp_path), _refusal(tmp_path / "sub")) == (
        ["a.txt", "sub"],
        f"skipped '{tmp_path / 'sub'}': a folder that cannot be listed ({reason})",
    )


def test_file_that_cannot_be_looked_at_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    _fail_for(monkeypatch, "lstat", tmp_path / "a.txt")
    assert _refusal(tmp_path / "a.txt") == (
        f"skipped '{tmp_path / 'a.txt'}': cannot read it (Input/output error)"
    )


def test_subfolder_that_cannot_be_listed_costs_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "hỏng").mkdir(parents=True)
    (seeds / "hỏng" / "b.txt").write_text(_article("chè"), encoding="utf-8")
    (seeds / "a.txt").write_text(_article("lúa"), encoding="utf-8")
    _fail_for(monkeypatch, "scandir", seeds / "hỏng")
    result = _run("index", "--seeds", seeds, "--index", tmp_path / "index")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "indexed 1 article (1 skipped)\n",
        "warning: skipped 'hỏng': a folder that cannot be listed (Input/output error)\n",
    )


@pytest.mark.parametrize("call", ["scandir", "stat"])
def test_articles_folder_that_cannot_be_read_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(_article("lúa"), encoding="utf-8")
    _fail_for(monkeypatch, call, seeds)
    result = _run("index", "--seeds", seeds, "--index", tmp_path / "index")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: cannot read articles folder '{seeds}' (Input/output error): "
        "check the folder and the disk it is on, then run again\n",
    )


def test_articles_folder_refused_by_permissions_says_to_make_it_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_for(monkeypatch, "stat", tmp_path, errno.EACCES)
    with pytest.raises(SeedsFolderError) as caught:
        scan_article_folder(tmp_path)
    assert str(caught.value) == (
        f"cannot read articles folder '{tmp_path}' (Permission denied): make it readable"
    )


# ---------------------------------------------------------------- a hostile folder, end to end

GOOD = {
    "tin tức mới.txt": "chè",
    unicodedata.normalize("NFD", "bài viết về lúa.txt"): "lúa",
    "sub/cà phê.md": "cà phê",
    "dòng dài.txt": "hồ tiêu",
    "cắt giữa chữ.txt": "sầu riêng",
    "utf16.txt": "mía",
}


def _write_good(seeds: Path) -> None:
    for name, word in GOOD.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(_article(word), encoding="utf-8")
    long_line = " ".join(["Người dân trồng hồ tiêu trên đồi."] * 6_000)  # 200 KB, no newline
    (seeds / "dòng dài.txt").write_text(long_line, encoding="utf-8")
    cut = (_article("sầu riêng") + "Tin từ Huế").encode()[:-1]  # cut in the middle of "ế"
    (seeds / "cắt giữa chữ.txt").write_bytes(cut)
    (seeds / "utf16.txt").write_bytes(_article("mía").encode("utf-16"))  # BOM, and NUL bytes


def _write_bad(seeds: Path, outside: Path) -> list[str]:
    """The hostile files; returns the warning each must give, as printed."""
    (seeds / "ảnh.txt").write_bytes(bytes(range(256)) * 40)
    (seeds / "latin.txt").write_bytes("Ça coûte très cher à Noël".encode("cp1252") * 9)
    (seeds / "trống.txt").write_bytes(b"")
    (seeds / "nul.txt").write_bytes(_article("chè").encode() + b"\x00" * 3)
    (seeds / "dump.txt").write_bytes(b"dan van " * 6_250_000)
    warnings = [
        "skipped 'ảnh.txt': not text (binary data)",
        "skipped 'latin.txt': not UTF-8, UTF-16 or Windows-1258 text",
        "skipped 'trống.txt': the file is empty",
        "skipped 'nul.txt': not text (binary data)",
        "skipped 'dump.txt': 50.0 MB is too large for an article "
        "(at most 1.0 MB): split it or leave it out",
    ]
    if not AS_ROOT:
        (seeds / "khoá.txt").write_text(_article("chè"), encoding="utf-8")
        (seeds / "khoá.txt").chmod(0)
        warnings.append("skipped 'khoá.txt': cannot read it (Permission denied)")
    if hasattr(os, "symlink"):
        warnings += _write_links(seeds, outside)
    return warnings


def _write_links(seeds: Path, outside: Path) -> list[str]:
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(_article("bí mật"), encoding="utf-8")
    (seeds / "ra ngoài.txt").symlink_to(outside / "secret.txt")
    (seeds / "thư mục ngoài").symlink_to(outside / "folder")
    (seeds / "vòng.txt").symlink_to("vòng.txt")
    (seeds / "bản sao.txt").symlink_to("tin tức mới.txt")  # inside: passed over quietly
    rule = "(links out of the folder are not followed: copy the file in to index it)"
    return [
        f"skipped 'ra ngoài.txt': a link to '{outside / 'secret.txt'}' {rule}",
        f"skipped 'thư mục ngoài': a link to '{outside / 'folder'}' {rule}",
        f"skipped 'vòng.txt': a link to 'vòng.txt' {rule}",
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, list[str]]:
    """A folder of good and bad files indexed once: (index folder, the run, expected warnings)."""
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    _write_good(seeds)
    warnings = _write_bad(seeds, root / "outside")
    return root / "index", _run("index", "--seeds", seeds, "--index", root / "index"), warnings


def test_hostile_folder_indexes_the_good_files_with_one_warning_per_bad_one(
    hostile: tuple[Path, Result, list[str]],
) -> None:
    _, result, warnings = hostile
    assert (result.exit_code, result.stdout, sorted(result.stderr.splitlines())) == (
        0,
        f"indexed {len(GOOD)} articles ({len(warnings)} skipped)\n",
        sorted(f"warning: {line}" for line in warnings),
    )


@pytest.mark.parametrize("name", list(GOOD), ids=range(len(GOOD)))
def test_each_good_file_of_the_hostile_folder_is_searchable(
    hostile: tuple[Path, Result, list[str]], name: str
) -> None:
    result = _run("query", f'"{GOOD[name]}"', "--json", "--index", hostile[0])
    assert [hit["path"] for hit in json.loads(result.stdout)["hits"]] == [name]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("tin tức mới.txt", "Nông dân trồng chè"),
        ("tin tức mới", "Nông dân trồng chè"),
        ("sub/cà phê.md", "Nông dân trồng cà phê"),
    ],
)
def test_show_finds_names_with_spaces_and_vietnamese_letters(
    hostile: tuple[Path, Result, list[str]], name: str, title: str
) -> None:
    result = _run("show", name, "--index", hostile[0])
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, title)


def test_show_finds_a_decomposed_file_name_as_listed(
    hostile: tuple[Path, Result, list[str]],
) -> None:
    name = unicodedata.normalize("NFD", "bài viết về lúa.txt")
    result = _run("show", name, "--index", hostile[0])
    assert (result.exit_code, unicodedata.normalize("NFC", result.stdout.splitlines()[0])) == (
        0,
        "Nông dân trồng lúa",
    )


def test_show_finds_a_decomposed_file_name_typed_composed(
    hostile: tuple[Path, Result, list[str]],
) -> None:
    result = _run("show", "bài viết về lúa.txt", "--index", hostile[0])
    assert result.exit_code == 0


def test_folder_of_only_bad_files_indexes_nothing_with_a_warning_each(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "trống.txt").write_bytes(b"")
    (seeds / "ảnh.txt").write_bytes(bytes(range(256)))
    result = _run("index", "--seeds", seeds, "--index", tmp_path / "index")
    assert (result.exit_code, result.stdout, len(result.stderr.splitlines())) == (
        0,
        "indexed 0 articles (2 skipped)\n",
        2,
    )


def test_binary_controls_are_exactly_the_controls_text_does_not_use() -> None:
    import unicodedata

    from dvsearch.articles.files import _BINARY_CONTROLS

    for code in range(0x3000):
        char = chr(code)
        expected = unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v"
        assert bool(_BINARY_CONTROLS.match(char)) == expected, hex(code)


def test_files_of_other_types_are_counted_by_extension(tmp_path: Path) -> None:
    """Nothing is left out in silence: what the walk does not read, it counts."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(_article("lúa"), encoding="utf-8")
    (tmp_path / "sub" / "b.xlsx").write_bytes(b"PK")
    (tmp_path / "c.rtf").write_text("{\\rtf1}", encoding="ascii")
    (tmp_path / "sub" / "d.RTF").write_text("{\\rtf1}", encoding="ascii")
    (tmp_path / "Makefile").write_text("all:", encoding="ascii")
    (tmp_path / "abbreviations.tsv").write_text("DVK\tdân vận khéo\n", encoding="utf-8")
    (tmp_path / ".hidden.db").write_bytes(b"x")
    scan = scan_article_folder(tmp_path)
    assert [path.name for path in scan.paths] == ["a.txt"]
    assert [path.relative_to(tmp_path).as_posix() for path in scan.not_read] == [
        "Makefile",
        "c.rtf",
        "sub/b.xlsx",
        "sub/d.RTF",
    ]
    assert count_by_type(scan.not_read) == {".rtf": 2, ".xlsx": 1, "no extension": 1}


# ---------------------------------------------------------------- legacy encodings

LEGACY_SENTENCE = (
    "Ban Dân vận Tỉnh ủy triển khai Quyết định số 464-QĐ/TU về công tác dân vận năm 2020, "
    "đồng chí Nguyễn Thị Hương"
)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: a letter's shape precomposed, its tone mark combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    letters = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        shape = "".join(mark for mark in decomposed if mark not in tones)
        tone = "".join(mark for mark in decomposed if mark in tones)
        letters.append(unicodedata.normalize("NFC", shape) + tone)
    return "".join(letters).encode("cp1258")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (encode_tcvn3(LEGACY_SENTENCE), "tcvn3"),
        (encode_vni(LEGACY_SENTENCE), "vni"),
        (_cp1258(LEGACY_SENTENCE), "cp1258"),
        (LEGACY_SENTENCE.encode(), "utf-8"),
    ],
    ids=["tcvn3", "vni", "cp1258", "utf-8"],
)
def test_vietnamese_file_decodes_and_says_its_encoding(data: bytes, encoding: str) -> None:
    assert decode_article_file(data, "a.txt") == DecodedArticle(LEGACY_SENTENCE, encoding)


@pytest.mark.parametrize(
    "text",
    ["Ça coûte très cher à Noël, où est l'hôtel ?", "Herr Müller geht über die Straße."],
)
def test_european_latin1_file_is_still_refused(text: str) -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        decode_article((text + "\n").encode("latin-1") * 5, "eu.txt")
    assert str(caught.value) == "skipped 'eu.txt': not UTF-8, UTF-16 or Windows-1258 text"


def test_tcvn3_and_vni_files_are_indexed_and_found_by_their_accented_words(
    tmp_path: Path,
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "abc.txt").write_bytes(encode_tcvn3(_article("điều") + LEGACY_SENTENCE))
    (seeds / "vni.txt").write_bytes(encode_vni(_article("bưởi") + LEGACY_SENTENCE))
    indexed = _run("index", "--seeds", seeds, "--index", tmp_path / "index")
    found = [
        json.loads(_run("query", word, "--json", "--index", tmp_path / "index").stdout)["hits"]
        for word in ('"điều"', '"bưởi"', '"Nguyễn Thị Hương"')
    ]
    assert (indexed.exit_code, indexed.stdout, indexed.stderr) == (
        0,
        "indexed 2 articles (0 skipped)\n",
        "",
    )
    assert [sorted(hit["path"] for hit in hits) for hits in found] == [
        ["abc.txt"],
        ["vni.txt"],
        ["abc.txt", "vni.txt"],
    ]


def test_a_saved_page_or_word_file_may_be_larger_than_a_text_article(tmp_path: Path) -> None:
    """Markup, images and fonts make pages and documents big; a 2 MB text file is no article."""
    page = tmp_path / "trang.html"
    page.write_bytes(b"<html><body><p>Tin</p>" + b" " * (2 << 20) + b"</body></html>")
    text = tmp_path / "bai.txt"
    text.write_bytes(b"a" * (2 << 20))
    assert len(read_article_bytes(page)) == page.stat().st_size
    assert _refusal(text) == (
        f"skipped '{text}': 2.1 MB is too large for an article (at most 1.0 MB): "
        "split it or leave it out"
    )


@pytest.mark.parametrize(
    "name", ["a.txt", "A.TXT", "a..txt", "a.b.HTML", "a.", "a", ".a.txt", "..txt", "...", "b.pdf.x"]
)
def test_an_article_name_is_told_by_its_extension_as_splitext_finds_it(name: str) -> None:
    from dvsearch.articles.files import ARTICLE_SUFFIXES, _is_article_name

    assert _is_article_name(name) == (os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES)
