"""The command line as a user meets it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from dvsearch import cli
from dvsearch.cli import main
from dvsearch.engine import scoring
from dvsearch.search import searcher as search

from .conftest import SEEDS, WriteCorpus

SEED_IDS_WITH_THE_WORDS = [
    "001_0e11b1891a069118.txt",
    "002_eb21abf2a673adb1.txt",
    "003_c32616b67ea77d11.txt",
    "004_69e811af1379700c.txt",
]


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _query_json(index_dir: Path, seeds_dir: Path, text: str) -> dict[str, object]:
    result = _run("query", text, "--json", "--index", index_dir, "--seeds", seeds_dir)
    assert result.exit_code == 0
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


@pytest.mark.parametrize("query", ["Dân vận khéo", "dan van kheo"])
def test_seed_query_lists_the_four_articles_with_the_words_above_the_fifth(
    seeds_copy: Path, tmp_path: Path, query: str
) -> None:
    found = _query_json(tmp_path / "index", seeds_copy, query)
    hits = found["hits"]
    assert isinstance(hits, list)
    assert (sorted(h["path"] for h in hits[:4]), hits[4]["path"]) == (
        SEED_IDS_WITH_THE_WORDS,
        "000_a4d017e73d7b9be0.txt",
    )


@pytest.mark.parametrize("query", ["Dân vận khéo", "dan van kheo"])
def test_each_seed_with_the_words_shows_a_highlighted_passage_containing_them(
    seeds_copy: Path, tmp_path: Path, query: str
) -> None:
    hits = _query_json(tmp_path / "index", seeds_copy, query)["hits"]
    assert isinstance(hits, list)
    highlighted = {
        hit["path"]: any(
            p["text"][s["start"] : s["end"]].lower() == "dân vận khéo"
            for p in hit["passages"]
            for s in p["spans"]
        )
        for hit in hits[:4]
    }
    assert highlighted == dict.fromkeys(SEED_IDS_WITH_THE_WORDS, True)


def test_old_style_tinh_uy_query_finds_articles_that_write_the_new_style(
    seeds_copy: Path, tmp_path: Path
) -> None:
    hits = _query_json(tmp_path / "index", seeds_copy, "Tỉnh uỷ")["hits"]
    assert isinstance(hits, list)
    assert sorted(h["path"] for h in hits) == sorted(
        ["000_a4d017e73d7b9be0.txt", *SEED_IDS_WITH_THE_WORDS]
    )


def test_nfd_query_gives_the_same_results_as_nfc(seeds_copy: Path, tmp_path: Path) -> None:
    nfc = _query_json(tmp_path / "index", seeds_copy, "Tỉnh ủy dân vận")
    nfd = _query_json(
        tmp_path / "index", seeds_copy, unicodedata.normalize("NFD", "Tỉnh ủy dân vận")
    )
    assert [h["path"] for h in nfd["hits"]] == [h["path"] for h in nfc["hits"]]  # type: ignore[union-attr]


EXPECTED_OUTPUT = """\
Did you mean: dân vận khéo
1. Phong trào Dân vận khéo ở Lạng Sơn
   2020-12-01 · a.txt · score 9.83
   Năm 2020, toàn tỉnh có 1.635 mô hình dân vận khéo.

2. Hội nghị Mặt trận
   b.txt · score 4.13
   Ủy ban MTTQ tỉnh họp bàn công tác dân vận.

1 of 1 article with all the words and 1 of 1 with some of them shown.
"""


def test_query_prints_ranked_titles_details_and_passages(
    two_article_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path / "articles")  # file paths are shown as they open from here
    result = _run("query", "dan van kheo", "--index", two_article_index)
    assert (result.exit_code, result.stdout) == (0, EXPECTED_OUTPUT)


def test_query_builds_a_missing_index_and_says_so_on_stderr(
    seeds_copy: Path, tmp_path: Path
) -> None:
    result = _run("query", "dân vận", "--index", tmp_path / "index", "--seeds", seeds_copy)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        0,
        f"no index in '{tmp_path / 'index'}': building it from '{seeds_copy}' first",
    )


def test_no_hits_prints_a_friendly_line_and_exits_zero(seeds_index: Path) -> None:
    result = _run("query", "bóng đá", "--index", seeds_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "No articles match 'bóng đá'. Try fewer or other words.\n",
    )


def test_limit_caps_the_number_of_hits(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--limit", "2", "--json", "--index", seeds_index)
    assert len(json.loads(result.stdout)["hits"]) == 2


def test_index_command_reports_added_updated_removed(seeds_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = _run("index", "--seeds", seeds_copy, "--index", index_dir)
    (seeds_copy / "new.txt").write_text(
        "Hội Nông dân họp\n\nHội Nông dân xã họp bàn kế hoạch sản xuất vụ đông.", encoding="utf-8"
    )
    (seeds_copy / "000_a4d017e73d7b9be0.txt").unlink()
    second = _run("index", "--seeds", seeds_copy, "--index", index_dir)
    assert (first.stdout, second.stdout) == (
        "indexed 5 articles (0 skipped)\n",
        "1 added, 0 updated, 1 removed, 4 unchanged (5 articles, 0 skipped)\n",
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Error: the query is empty: type some words to search for\n"),
        (
            '"dân vận',
            "Error: the query has an unbalanced quote: "
            'close the phrase with " or remove the quote\n',
        ),
    ],
)
def test_bad_query_is_a_one_line_usage_error(seeds_index: Path, query: str, message: str) -> None:
    result = _run("query", query, "--index", seeds_index)
    assert (result.exit_code, result.stderr) == (2, message)


def test_missing_seeds_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = _run("index", "--seeds", tmp_path / "nowhere", "--index", tmp_path / "index")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: articles folder '{tmp_path / 'nowhere'}' does not exist: "
        "pass --seeds with a folder of article files\n",
    )


def test_a_folder_that_is_not_an_index_is_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = _run("query", "dân vận", "--index", folder)
    assert (result.exit_code, len(result.stderr.splitlines()), folder.exists()) == (1, 1, True)


def test_unreadable_file_warns_on_one_line_and_the_rest_indexes(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    folder = write_corpus({"good.txt": "Tin\n\nDân vận khéo."})
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary")
    result = _run("index", "--seeds", folder, "--index", tmp_path / "index")
    assert (result.exit_code, result.stdout, len(result.stderr.splitlines())) == (
        0,
        "indexed 1 article (1 skipped)\n",
        1,
    )


def _all_commands() -> list[tuple[str, ...]]:
    group = main
    assert isinstance(group, click.Group)
    return [(), *((name,) for name in group.commands)]


@pytest.mark.parametrize("command", _all_commands(), ids=lambda c: " ".join(c) or "dvsearch")
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = _run(*command, "--help")
    assert (result.exit_code, "Example:" in result.stdout) == (0, True)


def test_version_option() -> None:
    result = _run("--version")
    assert (result.exit_code, result.stdout.startswith("dvsearch, version ")) == (0, True)


def test_since_returns_only_articles_published_from_that_date(seeds_index: Path) -> None:
    result = _run(
        "query", "Dân vận khéo", "--since", "2020-01-01", "--json", "--index", seeds_index
    )
    published = [h["published"][:10] for h in json.loads(result.stdout)["hits"]]
    assert sorted(published) == ["2021-01-07", "2024-07-24"]


def test_until_and_since_accept_vietnamese_dates(seeds_index: Path) -> None:
    args = ("--since", "01/01/2017", "--until", "31/12/2017", "--json", "--index", seeds_index)
    result = _run("query", "dân vận", *args)
    assert sorted(h["path"] for h in json.loads(result.stdout)["hits"]) == [
        "001_0e11b1891a069118.txt",
    ]


def test_sort_by_date_lists_newest_first(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--sort", "date", "--json", "--index", seeds_index)
    dates = [h["published"] or "" for h in json.loads(result.stdout)["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_author_field_finds_articles_by_byline(seeds_index: Path) -> None:
    result = _run("query", "author:huong lan", "--json", "--index", seeds_index)
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["002_eb21abf2a673adb1.txt"]


def test_query_output_shows_date_and_author(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEEDS)
    result = _run("query", '"Năm dân vận khéo"', "--index", seeds_index)
    heading, details = result.stdout.splitlines()[:2]
    assert (heading, details.startswith("   2019-12-19T16:00 · Mai Trâm · 003_")) == (
        "1. Ban Dân vận Tỉnh ủy triển khai nhiệm vụ công tác năm 2020",
        True,
    )


def test_bad_date_is_a_usage_error(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--since", "2020-13", "--index", seeds_index)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '--since': '2020-13' is not a real date: month must be in 1..12",
    )


def test_show_prints_the_cleaned_article_with_its_metadata(seeds_index: Path) -> None:
    result = _run("show", "004_69e811af1379700c.txt", "--index", seeds_index)
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[1], lines[2], "Số lượt xem" in result.stdout) == (
        0,
        "2024-07-24T16:42:07 · Minh Khang · Trung tâm VHTT và Truyền thông thành phố · "
        "004_69e811af1379700c.txt",
        "(title made from the lead sentence)",
        False,
    )


def test_show_json_has_the_article_record(seeds_index: Path) -> None:
    result = _run("show", "000_a4d017e73d7b9be0", "--json", "--index", seeds_index)
    found = json.loads(result.stdout)
    assert (found["title"], found["published"], found["page_date"], found["author"]) == (
        "Giao ban công tác dân vận",
        None,
        "2020-11-01",
        "NÔNG ĐÌNH QUANG",
    )


def test_show_unknown_article_is_a_one_line_error(seeds_index: Path) -> None:
    result = _run("show", "nope", "--index", seeds_index)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: no indexed article is called 'nope': run 'dvsearch list' to see the ids\n",
    )


def test_list_shows_articles_and_counts_by_year(seeds_index: Path) -> None:
    result = _run("list", "--index", seeds_index)
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[-1], lines[2].split()[0]) == (
        0,
        "5 articles. By year: 2017: 1 · 2019: 1 · 2021: 1 · 2024: 1 · unknown: 1",
        "2024-07-24",
    )


def test_list_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    result = _run("list", "--index", tmp_path / "index")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: no index in '{tmp_path / 'index'}': run 'dvsearch index' to build it\n",
    )


def test_batch_prints_a_trec_run(seeds_index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tMai Trâm\nq2\tNÔNG ĐÌNH QUANG\n", encoding="utf-8")
    result = _run("query", "--batch", queries, "--limit", "1", "--index", seeds_index)
    assert (result.exit_code, [line.split()[:4] for line in result.stdout.splitlines()]) == (
        0,
        [["q1", "Q0", "003_c32616b67ea77d11", "1"], ["q2", "Q0", "000_a4d017e73d7b9be0", "1"]],
    )


def test_query_needs_text_or_batch(seeds_index: Path) -> None:
    result = _run("query", "--index", seeds_index)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: give either a query TEXT or --batch FILE",
    )


def test_index_reads_an_abbreviations_file_given_on_the_command_line(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    folder = write_corpus({"a.txt": "Tin\n\nHội Cựu thanh niên xung phong tỉnh họp mặt."})
    mine = tmp_path / "mine.tsv"
    mine.write_text("CTNXP\tCựu thanh niên xung phong\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    _run("index", "--seeds", folder, "--index", index_dir, "--abbreviations", mine)
    result = _run("query", "CTNXP", "--json", "--index", index_dir)
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.txt"]


def test_outdated_index_is_rebuilt_from_the_folder_it_was_built_from(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    folder = write_corpus({"a.txt": "Tin\n\nHợp tác xã chè Thái Nguyên mở rộng vùng trồng."})
    index_dir = tmp_path / "index"
    _run("index", "--seeds", folder, "--index", index_dir)
    manifest_path = index_dir / "dvsearch.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["analyzer_version"] = 0
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = _run("query", "chè Thái Nguyên", "--json", "--index", index_dir, "--seeds", other)
    assert (result.exit_code, [h["path"] for h in json.loads(result.stdout)["hits"]]) == (
        0,
        ["a.txt"],
    )


def test_a_damaged_index_is_a_one_line_error_until_it_is_rebuilt(
    seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    _run("index", "--seeds", seeds_copy, "--index", index_dir)
    shutil.rmtree(index_dir / "gen-000001")
    broken = _run("query", "dân vận", "--index", index_dir, "--seeds", seeds_copy)
    rebuilt = _run("index", "--rebuild", "--seeds", seeds_copy, "--index", index_dir)
    assert (broken.exit_code, broken.stderr, rebuilt.exit_code, rebuilt.stdout) == (
        1,
        f"Error: the index in '{index_dir}' is damaged (its folder 'gen-000001' is missing): "
        "run 'dvsearch index --rebuild'\n",
        0,
        "indexed 5 articles (0 skipped)\n",
    )


@pytest.mark.parametrize("command", ["show", "query"])
def test_argument_that_is_not_utf8_is_a_one_line_usage_error(
    seeds_index: Path, command: str
) -> None:
    result = _run(command, "d\udce2n", "--index", seeds_index)  # "dân" sent as Latin-1 bytes
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        f"Error: Invalid value for '{'ARTICLE' if command == 'show' else '[TEXT]'}': "
        "'d\\udce2n' is not UTF-8 text: set your terminal to UTF-8",
    )


def test_date_with_a_line_break_is_quoted_on_one_line(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--since", "2020\n01", "--index", seeds_index)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '--since': '2020\\n01' is not a date: "
        "write 2020-01-31, 31/01/2020, 2020-01, 2020 or 2019-12-19T16:00",
    )


def test_overlong_query_is_a_one_line_usage_error(seeds_index: Path) -> None:
    result = _run("query", "dân vận " * 200, "--index", seeds_index)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: the query is 1,600 characters long: shorten it to at most 1,000 "
        "(a sentence or two is plenty)\n",
    )


def test_an_estimated_count_says_about(seeds_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SMALL_ARCHIVE", 0)  # counts are estimated by the numpy scorer
    monkeypatch.setattr(scoring, "EXACT_COUNT_LIMIT", 0)
    monkeypatch.setattr(scoring, "_COUNT_SAMPLE", 1)
    monkeypatch.setattr(scoring, "_FIRST_BATCH", 1)
    shown = _run("query", '"dân vận"', "--limit", "1", "--index", seeds_index)
    as_json = json.loads(
        _run("query", '"dân vận"', "--limit", "1", "--json", "--index", seeds_index).stdout
    )
    assert "1 of about " in shown.stdout
    assert as_json["total_exact"] is False


MARKUP_ARTICLES = {
    "[x].txt": "Nông dân [x]\n\n01/12/2020\n\nHội Nông dân [x] họp bàn công tác dân vận.\n",
    "[/x].txt": "Tin [red]đỏ[/red]\n\nBài [bold]viết về dân vận khéo [/x] ở xã.\n",
    "[bold]y.txt": "Tiêu đề\n\nMô hình [dân vận khéo] tại xã.\n",
}


@pytest.fixture
def markup_index(tmp_path: Path) -> Path:
    """An index of articles whose file names, titles and text look like rich markup."""
    folder = tmp_path / "seeds"
    (folder / "[").mkdir(parents=True)  # '[/x].txt' is 'x].txt' in the folder '['
    for name, text in MARKUP_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    result = _run("index", "--seeds", folder, "--index", index_dir)
    assert (result.exit_code, result.stdout) == (0, "indexed 3 articles (0 skipped)\n")
    return index_dir


MARKUP_LIST = [  # rich pads each cell to its column, so lines end in spaces
    " date         title               author   words   file        ",
    "─" * 63,
    " 2020-12-01   Nông dân [x]                    10   [x].txt     ",
    "              Tin [red]đỏ[/red]                9   [/x].txt    ",
    "              Tiêu đề                          7   [bold]y.txt ",
    "3 articles. By year: 2020: 1 · unknown: 2",
]


def test_list_prints_names_and_titles_that_look_like_markup_as_themselves(
    markup_index: Path,
) -> None:
    result = _run("list", "--index", markup_index)
    assert (result.exit_code, result.stdout) == (0, "\n".join(MARKUP_LIST) + "\n")


MARKUP_QUERY = """\
1. Tiêu đề
   [bold]y.txt · score 7.38
   Mô hình [dân vận khéo] tại xã.

2. Tin [red]đỏ[/red]
   [/x].txt · score 6.40
   Bài [bold]viết về dân vận khéo [/x] ở xã.

3. Nông dân [x]
   2020-12-01 · [x].txt · score 5.41
   Hội Nông dân [x] họp bàn công tác dân vận.

2 of 2 articles with all the words and 1 of 1 with some of them shown.
"""


def test_query_prints_names_and_text_that_look_like_markup_as_themselves(
    markup_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(markup_index.parent / "seeds")
    result = _run("query", "dân vận khéo", "--index", markup_index)
    assert (result.exit_code, result.stdout) == (0, MARKUP_QUERY)


def test_show_prints_an_article_named_like_markup_as_written(markup_index: Path) -> None:
    result = _run("show", "[/x].txt", "--index", markup_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "Tin [red]đỏ[/red]\nundated · [/x].txt\n\nBài [bold]viết về dân vận khéo [/x] ở xã.\n",
    )


@pytest.fixture
def empty_index(tmp_path: Path) -> Path:
    """An index built from a folder with no articles in it."""
    (tmp_path / "empty").mkdir()
    index_dir = tmp_path / "index"
    result = _run("index", "--seeds", tmp_path / "empty", "--index", index_dir)
    assert (result.exit_code, result.stdout) == (0, "indexed 0 articles (0 skipped)\n")
    return index_dir


def test_query_on_an_empty_folder_builds_an_empty_index_and_finds_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    index_dir = tmp_path / "index"
    result = _run("query", "dân vận", "--seeds", tmp_path / "empty", "--index", index_dir)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "No articles match 'dân vận'. Try fewer or other words.\n",
        f"no index in '{index_dir}': building it from '{tmp_path / 'empty'}' first\n"
        "indexed 0 articles (0 skipped)\n",
    )


@pytest.mark.parametrize("query", ["dân vận", '"dân vận"', "dan van", "title:dân OR vận"])
@pytest.mark.parametrize("engine", ["whoosh", "arrays"])
def test_query_on_an_empty_index_is_the_no_hits_line(
    empty_index: Path, monkeypatch: pytest.MonkeyPatch, query: str, engine: str
) -> None:
    if engine == "arrays":
        monkeypatch.setattr(search, "SMALL_ARCHIVE", -1)  # even an empty archive is "large"
    result = _run("query", query, "--index", empty_index)
    assert (result.exit_code, result.stdout) == (
        0,
        f"No articles match '{query}'. Try fewer or other words.\n",
    )


def test_query_json_on_an_empty_index_has_no_hits(empty_index: Path) -> None:
    result = _run("query", "dân vận", "--json", "--index", empty_index)
    found = json.loads(result.stdout)
    assert (result.exit_code, found["total"], found["hits"]) == (0, 0, [])


def test_batch_on_an_empty_folder_is_an_empty_run(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tdân vận\nq2\tMai Trâm\n", encoding="utf-8")
    result = _run(
        "query", "--batch", queries, "--seeds", tmp_path / "empty", "--index", tmp_path / "index"
    )
    assert (result.exit_code, result.stdout) == (0, "")


def test_list_on_an_empty_index_says_it_holds_no_articles(empty_index: Path) -> None:
    result = _run("list", "--index", empty_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "The index holds no articles: run 'dvsearch index' on a folder of articles.\n",
    )


def test_list_json_on_an_empty_index_has_no_articles(empty_index: Path) -> None:
    result = _run("list", "--json", "--index", empty_index)
    assert (result.exit_code, json.loads(result.stdout)) == (
        0,
        {"total": 0, "by_year": {}, "articles": []},
    )


def test_show_on_an_empty_index_is_the_not_found_error(empty_index: Path) -> None:
    result = _run("show", "000_a4d017e73d7b9be0", "--index", empty_index)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: no indexed article is called '000_a4d017e73d7b9be0': "
        "run 'dvsearch list' to see the ids\n",
    )


def test_index_summary_counts_the_files_it_does_not_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "bảng").mkdir(parents=True)
    (seeds / "a.txt").write_text("Tin\n\nSáng 12/5, hội nghị dân vận khéo.\n", encoding="utf-8")
    (seeds / "b.rtf").write_text("{\\rtf1 tin}", encoding="ascii")
    (seeds / "bảng" / "c.xlsx").write_bytes(b"PK\x03\x04")
    (seeds / "bảng" / "d.xlsx").write_bytes(b"PK\x03\x04")
    result = _run("index", "--seeds", seeds, "--index", tmp_path / "index")
    assert (result.exit_code, result.stdout) == (
        0,
        "indexed 1 article (0 skipped); 3 files not read: .xlsx 2, .rtf 1\n",
    )
    again = _run("index", "--seeds", seeds, "--index", tmp_path / "index", "--json")
    assert json.loads(again.stdout) == {
        "added": 0,
        "updated": 0,
        "removed": 0,
        "unchanged": 1,
        "total": 1,
        "rebuilt": None,
        "damage": None,
        "skipped": [],
        "not_read": ["b.rtf", "bảng/c.xlsx", "bảng/d.xlsx"],
        "not_read_by_type": {".xlsx": 2, ".rtf": 1},
    }


_STORY = (
    "Hội nghị dân vận khéo\n\n12/05/2022\n\n"
    "Sáng 12/5, Ban Dân vận Huyện ủy tổng kết phong trào dân vận khéo năm 2022 tại hội trường "
    "huyện, biểu dương mười hai mô hình tiêu biểu của các xã trong toàn huyện.\n"
)


def test_copies_are_listed_under_their_article_and_undated_ones_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(_STORY, encoding="utf-8")
    (seeds / "a2.txt").write_bytes(_STORY.encode("utf-16"))
    (seeds / "b.txt").write_text("Xã bên\n\nDân vận khéo ở xã bên sông.\n", encoding="utf-8")
    index = tmp_path / "index"
    _run("index", "--seeds", seeds, "--index", index)
    monkeypatch.chdir(seeds)
    result = _run("query", "dân vận khéo", "--index", index, "--since", "2022")
    assert (result.exit_code, result.stdout.splitlines()[1:3], result.stdout.splitlines()[-2:]) == (
        0,
        [
            "   2022-05-12 · a.txt · score " + result.stdout.split("score ")[1].split()[0],
            "   also saved as: a2.txt",
        ],
        [
            "1 of 1 matching article shown.",
            "1 undated matching article left out by the date range: add --undated to include it.",
        ],
    )
    found = json.loads(_run("query", "dân vận khéo", "--index", index, "--json").stdout)
    assert [(hit["path"], hit["copies"]) for hit in found["hits"]] == [
        ("a.txt", ["a2.txt"]),
        ("b.txt", []),
    ]
    undated = _run("query", "dân vận khéo", "--index", index, "--since", "2022", "--undated")
    assert undated.stdout.splitlines()[-1] == "2 of 2 matching articles shown."


# Output conventions (issue 13): list filters, CSV and JSON lines, colour, the pager, dates,
# batches from standard input, Ctrl-C, shell completion.

SEEDS_BY_DATE = [  # (date column, file) of each seed, newest first
    ("2024-07-24", "004_69e811af1379700c.txt"),
    ("2021-01-07", "002_eb21abf2a673adb1.txt"),
    ("2019-12-19", "003_c32616b67ea77d11.txt"),
    ("2017-05-23", "001_0e11b1891a069118.txt"),
    ("", "000_a4d017e73d7b9be0.txt"),
]


def _listed(result: Result) -> list[tuple[str, str]]:
    """(date, file) of each row of a plain ``dvsearch list`` table."""
    rows = result.stdout.splitlines()[2:-1]
    return [(row[1:11].strip(), row.split()[-1]) for row in rows]


def test_list_limit_lists_the_newest_and_says_how_many_matched(seeds_index: Path) -> None:
    result = _run("list", "--limit", "2", "--index", seeds_index)
    assert (result.exit_code, _listed(result), result.stdout.splitlines()[-1]) == (
        0,
        SEEDS_BY_DATE[:2],
        "2 of 5 articles. By year: 2021: 1 · 2024: 1",
    )


def test_list_since_until_take_the_dates_dvsearch_prints(seeds_index: Path) -> None:
    result = _run(
        "list",
        "--since",
        "2019-12-19T16:00",
        "--until",
        "2024-07-24T16:42:07",
        "--index",
        seeds_index,
    )
    assert (result.exit_code, _listed(result), result.stdout.splitlines()[-1]) == (
        0,
        SEEDS_BY_DATE[:3],
        "3 articles. By year: 2019: 1 · 2021: 1 · 2024: 1",
    )


@pytest.mark.parametrize("name", ["mai tram", "MAI TRÂM", "Trâm", "nong dinh quang"])
def test_list_author_matches_whole_words_whatever_the_case_and_accents(
    seeds_index: Path, name: str
) -> None:
    result = _run("list", "--author", name, "--nl", "--index", seeds_index)
    authors = [json.loads(line)["author"] for line in result.stdout.splitlines()]
    expected = ["NÔNG ĐÌNH QUANG"] if "dinh" in name else ["Mai Trâm"]
    assert (result.exit_code, authors) == (0, expected)


def test_list_author_is_no_substring_match(seeds_index: Path) -> None:
    result = _run("list", "--author", "tra", "--index", seeds_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "No indexed article matches: widen --since/--until or try another --author.\n",
    )


@pytest.mark.parametrize(
    ("order", "files"),
    [
        ("path", ["000", "001", "002", "003", "004"]),
        ("title", ["001", "003", "000", "002", "004"]),
        ("date", ["004", "002", "003", "001", "000"]),
    ],
)
def test_list_sort(seeds_index: Path, order: str, files: list[str]) -> None:
    result = _run("list", "--sort", order, "--index", seeds_index)
    assert (result.exit_code, [file[:3] for _, file in _listed(result)]) == (0, files)


LIST_CSV = """\
id,path,title,published,author,words
003_c32616b67ea77d11.txt,003_c32616b67ea77d11.txt,Ban Dân vận Tỉnh ủy triển khai nhiệm vụ công tác năm 2020,2019-12-19T16:00,Mai Trâm,485
001_0e11b1891a069118.txt,001_0e11b1891a069118.txt,Ban Dân vận Tỉnh ủy tổ chức Hội nghị giao ban công tác Dân vận các huyện miền núi 6 tháng đầu năm.,2017-05-23,,725
"""  # noqa: E501  # CSV rows are as long as they are


def test_list_csv_has_a_header_and_a_row_per_article(seeds_index: Path) -> None:
    result = _run("list", "--until", "2019", "--csv", "--index", seeds_index)
    assert (result.exit_code, result.stdout) == (0, LIST_CSV)


def test_list_nl_is_one_json_object_a_line(seeds_index: Path) -> None:
    result = _run("list", "--limit", "1", "--nl", "--index", seeds_index)
    assert (result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]) == (
        0,
        [
            {
                "id": "004_69e811af1379700c.txt",
                "path": "004_69e811af1379700c.txt",
                "title": "Sáng 24/7, Ban Dân vận Thành ủy tổ chức Hội nghị sơ kết 06 tháng đầu "
                "năm, triển khai nhiệm vụ những tháng cuối năm 2024",
                "published": "2024-07-24T16:42:07",
                "author": "Minh Khang",
                "words": 1105,
            }
        ],
    )


def test_list_json_describes_what_was_listed(seeds_index: Path) -> None:
    result = _run("list", "--since", "2021", "--json", "--index", seeds_index)
    found = json.loads(result.stdout)
    assert (result.exit_code, found["total"], found["by_year"]) == (
        0,
        2,
        {"2021": 1, "2024": 1},
    )


QUERY_CSV = """\
rank,id,path,title,published,author,score,passage
1,a.txt,a.txt,Phong trào Dân vận khéo ở Lạng Sơn,2020-12-01,,9.8266,"Năm 2020, toàn tỉnh có 1.635 mô hình dân vận khéo."
2,b.txt,b.txt,Hội nghị Mặt trận,,,4.1305,Ủy ban MTTQ tỉnh họp bàn công tác dân vận.
"""  # noqa: E501


@pytest.fixture
def two_article_index(write_corpus: WriteCorpus, tmp_path: Path) -> Path:
    """The two articles of EXPECTED_OUTPUT, indexed."""
    seeds_dir = write_corpus(
        {
            "a.txt": "Phong trào Dân vận khéo ở Lạng Sơn\n\n01/12/2020\n\n"
            "Năm 2020, toàn tỉnh có 1.635 mô hình dân vận khéo. Trời mưa to.\n\n"
            "Các mô hình được nhân rộng.\n",
            "b.txt": "Hội nghị Mặt trận\n\nỦy ban MTTQ tỉnh họp bàn công tác dân vận.\n",
        }
    )
    _run("index", "--seeds", seeds_dir, "--index", tmp_path / "index")
    return tmp_path / "index"


def test_query_csv_is_a_row_per_hit_with_its_first_passage(two_article_index: Path) -> None:
    result = _run("query", "dan van kheo", "--csv", "--index", two_article_index)
    assert (result.exit_code, result.stdout) == (0, QUERY_CSV)


def test_query_nl_is_a_json_object_per_hit(two_article_index: Path) -> None:
    result = _run("query", "dân vận", "--sort", "date", "--nl", "--index", two_article_index)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert (result.exit_code, [(r["rank"], r["path"], r["score"]) for r in rows]) == (
        0,
        [(1, "a.txt", None), (2, "b.txt", None)],
    )


def test_query_csv_with_no_hits_is_the_header(two_article_index: Path) -> None:
    result = _run("query", "bóng đá", "--csv", "--index", two_article_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "rank,id,path,title,published,author,score,passage\n",
    )


def test_color_always_styles_piped_output_without_changing_its_lines(
    two_article_index: Path,
) -> None:
    plain = _run("query", "dan van kheo", "--index", two_article_index)
    styled = CliRunner(env={"NO_COLOR": "1"}).invoke(
        main, ["query", "dan van kheo", "--color", "always", "--index", str(two_article_index)]
    )
    from rich.text import Text

    unstyled = [Text.from_ansi(line).plain for line in styled.stdout.splitlines()]
    assert (styled.exit_code, styled.stdout.splitlines()[1]) == (
        0,
        "\x1b[1;36m1. \x1b[0m\x1b[1mPhong trào Dân vận khéo ở Lạng Sơn\x1b[0m",
    )
    assert unstyled == plain.stdout.splitlines()


@pytest.mark.parametrize("command", ["query", "list", "show"])
def test_color_never_and_no_pager_are_accepted_by_every_output_command(
    seeds_index: Path, command: str
) -> None:
    argument = {"query": ["dân vận"], "list": [], "show": ["003_c32616b67ea77d11"]}[command]
    plain = _run(command, *argument, "--index", seeds_index)
    never = _run(command, *argument, "--color", "never", "--no-pager", "--index", seeds_index)
    assert (never.exit_code, never.stdout, "\x1b[" in never.stdout) == (0, plain.stdout, False)


def test_bad_color_choice_is_a_usage_error(seeds_index: Path) -> None:
    result = _run("list", "--color", "sometimes", "--index", seeds_index)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '--color': 'sometimes' is not one of 'auto', 'always', 'never'.",
    )


def test_query_since_takes_a_date_as_dvsearch_prints_it(seeds_index: Path) -> None:
    result = _run(
        "query", "dân vận", "--since", "2019-12-19T16:00", "--json", "--index", seeds_index
    )
    published = sorted(h["published"] for h in json.loads(result.stdout)["hits"])
    assert (result.exit_code, published) == (
        0,
        ["2019-12-19T16:00", "2021-01-07", "2024-07-24T16:42:07"],
    )


@pytest.mark.parametrize("command", [["query", "dân vận"], ["list"], ["query", "--batch", "-"]])
def test_an_empty_date_range_is_a_one_line_usage_error(
    seeds_index: Path, command: list[str]
) -> None:
    result = _run(*command, "--since", "2021", "--until", "2019", "--index", seeds_index)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --since 2021 is after --until 2019: the date range is empty\n",
    )


def test_a_range_within_one_day_is_not_empty(seeds_index: Path) -> None:
    args = ("--since", "2019-12-19T16:00", "--until", "19/12/2019", "--index", seeds_index)
    result = _run("list", *args)
    assert (result.exit_code, _listed(result)) == (0, [SEEDS_BY_DATE[2]])


def _run_with_input(text: str, *args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=text.encode("utf-8"))


def test_batch_dash_reads_the_queries_from_standard_input(seeds_index: Path) -> None:
    result = _run_with_input(
        "q1\tMai Trâm\nq2\tNÔNG ĐÌNH QUANG\n",
        *("query", "--batch", "-", "--limit", "1", "--index", seeds_index),
    )
    assert (result.exit_code, [line.split()[:4] for line in result.stdout.splitlines()]) == (
        0,
        [["q1", "Q0", "003_c32616b67ea77d11", "1"], ["q2", "Q0", "000_a4d017e73d7b9be0", "1"]],
    )


def test_batch_from_standard_input_names_it_in_errors(seeds_index: Path) -> None:
    result = _run_with_input("q1 no tab\n", "query", "--batch", "-", "--index", seeds_index)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: line 1 of standard input is not 'qid<TAB>query': fix or remove it\n",
    )


def test_batch_honours_since_and_until(seeds_index: Path) -> None:
    args = ("query", "--batch", "-", "--since", "2020", "--until", "2021", "--index", seeds_index)
    result = _run_with_input("q1\tdân vận\n", *args)
    assert (result.exit_code, [line.split()[2] for line in result.stdout.splitlines()]) == (
        0,
        ["002_eb21abf2a673adb1"],
    )


def test_ctrl_c_exits_130_with_one_line(seeds_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **options: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("dvsearch.cli.search", interrupted)
    result = _run("query", "dân vận", "--index", seeds_index)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "interrupted\n")


def test_completion_prints_a_script_for_each_shell() -> None:
    scripts = {shell: _run("completion", shell) for shell in ("bash", "zsh", "fish")}
    assert {
        shell: (r.exit_code, "_DVSEARCH_COMPLETE" in r.stdout) for shell, r in scripts.items()
    } == {
        "bash": (0, True),
        "zsh": (0, True),
        "fish": (0, True),
    }


def test_completion_through_clicks_variable_is_the_same_script() -> None:
    runner = CliRunner(env={"_DVSEARCH_COMPLETE": "bash_source"})
    through_variable = runner.invoke(main, [], prog_name="dvsearch")
    assert (through_variable.exit_code, through_variable.stdout) == (
        0,
        _run("completion", "bash").stdout,
    )


def test_completion_completes_a_command_name() -> None:
    env = {"_DVSEARCH_COMPLETE": "bash_complete", "COMP_WORDS": "dvsearch qu", "COMP_CWORD": "1"}
    result = CliRunner(env=env).invoke(main, [], prog_name="dvsearch")
    assert (result.exit_code, result.stdout) == (0, "plain,query\n")


def _dvsearch(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "dvsearch", *(str(a) for a in args)]


def _on_a_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ``command`` with a pseudo-terminal as its standard streams: exit code and output."""
    import pty

    controller, terminal = pty.openpty()
    try:
        code = subprocess.run(
            command, stdin=terminal, stdout=terminal, stderr=terminal, env=env, timeout=60
        ).returncode
    finally:
        os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal is closed and everything was read
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return code, output.decode("utf-8")


def _pager_env(record: Path, **more: str) -> dict[str, str]:
    """A five-line screen and a pager that records what it was given."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "NO_COLOR")}
    return {**env, "DVSEARCH_PAGER": f"cat > '{record}'", "LINES": "5", "COLUMNS": "100", **more}


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_long_list_on_a_terminal_goes_through_the_pager_with_its_colours(
    seeds_index: Path, tmp_path: Path
) -> None:
    record = tmp_path / "paged.txt"
    code, shown = _on_a_terminal(_dvsearch("list", "--index", seeds_index), _pager_env(record))
    paged = record.read_text(encoding="utf-8")
    from rich.text import Text

    last = Text.from_ansi(paged.splitlines()[-1]).plain
    assert (code, shown, "\x1b[1m" in paged, last) == (
        0,
        "",
        True,
        "5 articles. By year: 2017: 1 · 2019: 1 · 2021: 1 · 2024: 1 · unknown: 1",
    )


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_pager_of_a_latin1_terminal_gets_letters_without_accents_not_question_marks(
    seeds_index: Path, tmp_path: Path
) -> None:
    record = tmp_path / "paged.txt"
    env = _pager_env(record, PYTHONIOENCODING="latin-1")
    command = _dvsearch("list", "--color", "never", "--index", seeds_index)
    code, shown = _on_a_terminal(command, env)
    paged = record.read_bytes().decode("latin-1")
    assert (code, "Ban Dân van Tinh uy trien khai" in paged, shown.splitlines()) == (
        0,
        True,
        [
            "note: this terminal's encoding is iso8859-1, not UTF-8: Vietnamese letters were "
            "shown without their accents; set LANG=C.UTF-8 (or PYTHONIOENCODING=utf-8) to see "
            "them"
        ],
    )


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(
    "options", [["--no-pager"], ["--color", "never", "--no-pager"]], ids=["colour", "never"]
)
def test_no_pager_prints_straight_to_the_terminal(
    seeds_index: Path, tmp_path: Path, options: list[str]
) -> None:
    record = tmp_path / "paged.txt"
    command = _dvsearch("list", *options, "--index", seeds_index)
    code, shown = _on_a_terminal(command, _pager_env(record))
    assert (code, record.exists(), "5 articles." in shown, "\x1b[" in shown) == (
        0,
        False,
        True,
        "never" not in options,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_output_that_fits_the_screen_just_prints(seeds_index: Path, tmp_path: Path) -> None:
    record = tmp_path / "paged.txt"
    command = _dvsearch("show", "003_c32616b67ea77d11", "--index", seeds_index)
    code, shown = _on_a_terminal(command, _pager_env(record, LINES="200"))
    assert (code, record.exists(), shown.startswith("\x1b[1mBan Dân vận")) == (0, False, True)


def test_piped_output_never_goes_through_the_pager(seeds_index: Path, tmp_path: Path) -> None:
    record = tmp_path / "paged.txt"
    done = subprocess.run(
        _dvsearch("list", "--index", seeds_index),
        capture_output=True,
        env=_pager_env(record),
        timeout=60,
    )
    assert (done.returncode, record.exists(), done.stdout.decode("utf-8")) == (
        0,
        False,
        _run("list", "--index", seeds_index).stdout,
    )


def test_sigint_stops_an_index_run_with_130_and_leaves_the_index_as_it_was(
    seeds_copy: Path, tmp_path: Path
) -> None:
    from .conftest import write_sentence_corpus

    index_dir = tmp_path / "index"
    _run("index", "--seeds", seeds_copy, "--index", index_dir)
    before = _run("query", "Mai Trâm", "--json", "--index", index_dir).stdout
    big = write_sentence_corpus(tmp_path / "big", articles=300, per_article=20, seed=13)
    run = subprocess.Popen(
        _dvsearch("index", "--seeds", big, "--index", index_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    while not (index_dir / "gen-000002").exists() and run.poll() is None:
        assert time.monotonic() - started < 60
        time.sleep(0.02)
    time.sleep(0.2)  # well into the articles
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    after = _run("query", "Mai Trâm", "--json", "--index", index_dir).stdout
    assert (run.returncode, stderr.decode("utf-8").splitlines()[-1:], after) == (
        130,
        ["interrupted"],
        before,
    )


def test_list_sort_choices_are_the_catalogs_orders() -> None:
    from dvsearch.cli import _LIST_ORDERS
    from dvsearch.index.catalog import CATALOG_ORDERS

    assert _LIST_ORDERS == CATALOG_ORDERS


# --- a library that remembers its folders; paths that open from here ----------------------


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data and config folders in tmp_path, no DVSEARCH_INDEX."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DVSEARCH_INDEX", raising=False)
    return tmp_path / "data" / "dvsearch" / "index"


def _articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


_XA = {
    "tin.txt": "Tin xã\n\nDân vận khéo ở xã bên sông.\n",
    "b.txt": "Hội nghị\n\nDân vận khéo ở phường.\n",
}
_HUYEN = {"tin.txt": "Tin huyện\n\nDân vận khéo ở huyện miền núi, mô hình mới.\n"}


@pytest.mark.parametrize("seeds_here", [False, True], ids=["no-seeds-here", "other-seeds-here"])
def test_an_update_from_another_directory_updates_the_recorded_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_here: bool
) -> None:
    seeds = _articles(tmp_path / "archive" / "seeds", _XA)
    index = tmp_path / "chimuc"
    _run("index", "--seeds", seeds, "--index", index)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if seeds_here:
        _articles(elsewhere / "seeds", {"khac.txt": "Khác\n\nMột bài khác hẳn.\n"})
    monkeypatch.chdir(elsewhere)
    result = _run("index", "--index", index)
    assert (result.exit_code, result.stdout) == (
        0,
        "0 added, 0 updated, 0 removed, 2 unchanged (2 articles, 0 skipped)\n",
    )


def test_seeds_with_another_folder_adds_it(tmp_path: Path) -> None:
    index = tmp_path / "index"
    _run("index", "--seeds", _articles(tmp_path / "xa", _XA), "--index", index)
    result = _run("index", "--seeds", _articles(tmp_path / "huyen", _HUYEN), "--index", index)
    listed = _run("list", "--index", index, "--json")
    assert (
        result.exit_code,
        result.stdout,
        sorted(a["id"] for a in json.loads(listed.stdout)["articles"]),
    ) == (
        0,
        "1 added, 0 updated, 0 removed, 2 unchanged (3 articles, 0 skipped)\n",
        ["b.txt", "huyen/tin.txt", "tin.txt"],
    )


def test_drop_folder_with_yes_removes_its_articles_and_says_so(tmp_path: Path) -> None:
    index = tmp_path / "index"
    huyen = _articles(tmp_path / "huyen", _HUYEN)
    _run("index", "--seeds", _articles(tmp_path / "xa", _XA), "--index", index)
    _run("index", "--seeds", huyen, "--index", index)
    result = _run("index", "--drop-folder", huyen, "--yes", "--index", index)
    assert (result.exit_code, result.stderr, result.stdout) == (
        0,
        f"--drop-folder removes 1 article from '{huyen}'\n",
        "0 added, 0 updated, 1 removed, 2 unchanged (2 articles, 0 skipped)\n",
    )


def test_drop_folder_without_a_terminal_or_yes_is_refused(tmp_path: Path) -> None:
    index = tmp_path / "index"
    xa = _articles(tmp_path / "xa", _XA)
    _run("index", "--seeds", xa, "--index", index)
    result = _run("index", "--drop-folder", xa, "--index", index)
    after = _run("list", "--index", index, "--json")
    assert (result.exit_code, result.stderr, json.loads(after.stdout)["total"]) == (
        1,
        f"Error: --drop-folder removes 2 articles from '{xa}': add --yes to drop it "
        "(no terminal to ask on)\n",
        2,
    )


def test_drop_folder_on_a_terminal_asks_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    xa = _articles(tmp_path / "xa", _XA)
    _run("index", "--seeds", xa, "--index", index)
    monkeypatch.setattr(cli, "_can_ask", lambda: True)
    refused = CliRunner().invoke(
        main, ["index", "--drop-folder", str(xa), "--index", str(index)], input="n\n"
    )
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"Dropping this folder removes 2 articles from '{xa}'. Drop it? [y/N]: n\n"
        f"Error: nothing dropped: '{xa}' stays in the index\n",
    )


def test_a_folder_the_index_does_not_hold_cannot_be_dropped(tmp_path: Path) -> None:
    index = tmp_path / "index"
    xa = _articles(tmp_path / "xa", _XA)
    _run("index", "--seeds", xa, "--index", index)
    result = _run("index", "--drop-folder", tmp_path / "khac", "--yes", "--index", index)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: '{tmp_path / 'khac'}' is not one of the folders of the index in '{index}' "
        f"(it holds '{xa}'): pass one of those\n",
    )


def test_a_first_run_without_seeds_uses_the_seeds_folder_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _articles(tmp_path / "seeds", _XA)
    monkeypatch.chdir(tmp_path)
    result = _run("query", "dân vận khéo", "--index", "index")
    assert (result.exit_code, result.stderr) == (
        0,
        "no index in 'index': building it from 'seeds' first\nindexed 2 articles (0 skipped)\n",
    )


def test_a_first_run_without_seeds_and_no_seeds_folder_says_to_pass_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("index", "--index", "index")
    assert (result.exit_code, result.stderr, (tmp_path / "index").exists()) == (
        1,
        "Error: no index in 'index' and no 'seeds' folder here to build it from: "
        "pass --seeds with a folder of article files\n",
        False,
    )


def test_without_index_the_user_data_folder_is_used_and_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_dirs: Path
) -> None:
    _articles(tmp_path / "bao", _XA)
    monkeypatch.chdir(tmp_path)
    built = _run("index", "--seeds", "bao")
    monkeypatch.chdir(tmp_path / "bao")
    listed = _run("list", "--json")
    assert (built.exit_code, built.stderr, listed.stderr, json.loads(listed.stdout)["total"]) == (
        0,
        f"using the index in '{user_dirs}'\n",
        f"using the index in '{user_dirs}'\n",
        2,
    )


def test_an_index_folder_here_and_the_option_need_no_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_dirs: Path
) -> None:
    _articles(tmp_path / "seeds", _XA)
    monkeypatch.chdir(tmp_path)
    here = _run("index", "--seeds", "seeds", "--index", "index")
    again = _run("index")
    assert (here.stderr, again.exit_code, again.stderr, user_dirs.exists()) == ("", 0, "", False)


def test_the_variable_and_a_config_file_name_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_dirs: Path
) -> None:
    seeds = _articles(tmp_path / "seeds", _XA)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dvsearch.toml").write_text('index = "from-config"\n', encoding="utf-8")
    by_config = _run("index", "--seeds", seeds)
    monkeypatch.setenv("DVSEARCH_INDEX", str(tmp_path / "from-env"))
    by_variable = _run("index", "--seeds", seeds)
    assert (by_config.stderr, by_variable.stderr) == (
        "using the index in 'from-config' (set in 'dvsearch.toml')\n",
        f"using the index in '{tmp_path / 'from-env'}' (set in DVSEARCH_INDEX)\n",
    )
    assert ((tmp_path / "from-config").is_dir(), (tmp_path / "from-env").is_dir()) == (True, True)


def test_a_broken_config_file_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_dirs: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dvsearch.toml").write_text("index = [\n", encoding="utf-8")
    result = _run("list")
    assert (result.exit_code, len(result.stderr.splitlines())) == (1, 1)


def _two_folder_index(tmp_path: Path) -> tuple[Path, Path, Path]:
    xa = _articles(tmp_path / "archive" / "xa", _XA)
    huyen = _articles(tmp_path / "archive" / "huyen", _HUYEN)
    index = tmp_path / "index"
    _run("index", "--seeds", xa, "--index", index)
    _run("index", "--seeds", huyen, "--index", index)
    return index, xa, huyen


def test_hit_paths_are_relative_to_here_when_that_is_shorter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, xa, _ = _two_folder_index(tmp_path)
    monkeypatch.chdir(xa)
    result = _run("query", "huyện miền núi", "--index", index, "-n", "1")
    assert result.stdout.splitlines()[1].split(" · ")[0] == "   ../huyen/tin.txt"


def test_hit_paths_are_absolute_when_that_is_shorter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _, huyen = _two_folder_index(tmp_path)
    deep = tmp_path.joinpath(*["d"] * 40)
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = _run("query", "huyện miền núi", "--index", index, "-n", "1")
    assert result.stdout.splitlines()[1].split(" · ")[0] == f"   {huyen / 'tin.txt'}"


def test_json_hits_have_the_absolute_file_and_the_folder(tmp_path: Path) -> None:
    index, xa, huyen = _two_folder_index(tmp_path)
    result = _run("query", "tin", "--index", index, "--json")
    hits = {hit["path"]: (hit["file"], hit["folder"]) for hit in json.loads(result.stdout)["hits"]}
    assert hits == {
        "tin.txt": (str(xa / "tin.txt"), str(xa)),
        "huyen/tin.txt": (str(huyen / "tin.txt"), str(huyen)),
    }
