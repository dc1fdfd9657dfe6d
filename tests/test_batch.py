"""Batch runs: qid<TAB>query lines in, TREC run lines out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dvsearch.errors import BatchFormatError
from dvsearch.index.build import update_index
from dvsearch.search.batch import (
    BatchQuery,
    read_batch,
    read_batch_file,
    read_batch_stream,
    trec_docid,
    trec_run,
)
from dvsearch.search.searcher import Searcher


def test_batch_lines_are_read_and_blank_lines_skipped() -> None:
    assert read_batch(["q1\tDân vận khéo\n", "\n", "q2\tTỉnh uỷ\r\n"], "f") == [
        BatchQuery("q1", "Dân vận khéo"),
        BatchQuery("q2", "Tỉnh uỷ"),
    ]


def test_line_without_a_tab_names_its_line_number() -> None:
    with pytest.raises(BatchFormatError) as caught:
        read_batch(["q1\tok", "no tab here"], "queries.tsv")
    assert str(caught.value) == "line 2 of 'queries.tsv' is not 'qid<TAB>query': fix or remove it"


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.tsv"
    path.write_bytes("q1\tDân vận".encode("utf-16"))
    with pytest.raises(BatchFormatError):
        read_batch_file(path)


def test_trec_run_lists_hits_in_rank_order(seeds_index: Path) -> None:
    with Searcher(seeds_index) as searcher:
        lines = list(trec_run(searcher, [BatchQuery("q7", "Năm dân vận khéo")], limit=2))
    fields = [line.split() for line in lines]
    assert [(f[0], f[1], f[2], f[3], f[5]) for f in fields] == [
        ("q7", "Q0", "003_c32616b67ea77d11", "1", "dvsearch"),
        ("q7", "Q0", fields[1][2], "2", "dvsearch"),
    ]


def test_malformed_query_in_a_batch_is_searched_as_plain_words(seeds_index: Path) -> None:
    with Searcher(seeds_index) as searcher:
        lines = list(trec_run(searcher, [BatchQuery("q1", '"Năm dân vận khéo')], 1))
    assert [line.split()[2] for line in lines] == ["003_c32616b67ea77d11"]


def test_a_docid_is_one_token_whatever_the_file_name() -> None:
    assert trec_docid("tin tức/bài\t1 100%.txt") == "tin%20tức/bài%091%20100%25"
    assert trec_docid("003_c32616b67ea77d11.txt") == "003_c32616b67ea77d11"


def test_a_run_line_for_a_file_name_with_spaces_has_six_fields(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "tin tức").mkdir(parents=True)
    article = "Hội nghị dân vận khéo\n\n12/05/2022\n\nSáng 12/5, hội nghị dân vận khéo họp.\n"
    (seeds / "tin tức" / "bài số 1.txt").write_text(article, encoding="utf-8")
    update_index(seeds, tmp_path / "index")
    with Searcher(tmp_path / "index") as searcher:
        lines = list(trec_run(searcher, [BatchQuery("q1", "dân vận khéo")], limit=5))
    assert [line.split() for line in lines] == [
        ["q1", "Q0", "tin%20tức/bài%20số%201", "1", lines[0].split()[4], "dvsearch"]
    ]


def test_queries_are_read_from_a_stream_and_named_standard_input_in_errors() -> None:
    queries = read_batch_stream(io.BytesIO("\ufeffq1\tDân vận\n".encode()))
    with pytest.raises(BatchFormatError) as caught:
        read_batch_stream(io.BytesIO("q1 Dân vận\n".encode()))
    assert (queries, str(caught.value)) == (
        [BatchQuery("q1", "Dân vận")],
        "line 1 of standard input is not 'qid<TAB>query': fix or remove it",
    )


def test_standard_input_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(BatchFormatError) as caught:
        read_batch_stream(io.BytesIO("q1\tDân vận".encode("utf-16")))
    assert str(caught.value) == "standard input is not UTF-8 text: save it as UTF-8"


def test_trec_run_honours_since_and_until(seeds_index: Path) -> None:
    query = BatchQuery("q1", "dân vận")
    with Searcher(seeds_index) as searcher:
        every = list(trec_run(searcher, [query], limit=10))
        dated = list(trec_run(searcher, [query], 10, since="2020", until="2021"))
        undated = list(trec_run(searcher, [query], 10, since="2020", undated=True))
    assert ([len(every)], [line.split()[2] for line in dated], len(undated)) == (
        [5],
        ["002_eb21abf2a673adb1"],
        3,
    )
