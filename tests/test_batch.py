"""Batch runs: qid<TAB>query lines in, TREC run lines out."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvsearch.errors import BatchFormatError
from dvsearch.search.batch import BatchQuery, read_batch, read_batch_file, trec_run
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
