"""Abbreviations match their expansions both ways, from a file users can extend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.errors import AbbreviationFileError
from dvsearch.index.build import update_index
from dvsearch.search.searcher import search
from dvsearch.vietnamese.abbreviations import Expander, load_table, parse_table
from dvsearch.vietnamese.syllables import syllables

from .conftest import WriteCorpus

Build = Callable[[dict[str, str]], Path]


def _ids(index_dir: Path, query: str) -> list[str]:
    return [Path(hit.path).stem for hit in search(index_dir, query, limit=20).hits]


def _expansions(query: str) -> list[str]:
    found = Expander(load_table()).alternatives(syllables(query), query)
    return [" ".join(s.exact for s in form) for a in found for form in a.forms]


def test_shipped_table_has_the_domain_abbreviations() -> None:
    table = load_table()
    assert (table["MTTQ"], table["HĐND"], table["UBND"], table["GPMB"]) == (
        ["Mặt trận Tổ quốc"],
        ["Hội đồng nhân dân"],
        ["Ủy ban nhân dân"],
        ["giải phóng mặt bằng"],
    )


def test_abbreviation_expands_and_expansion_abbreviates() -> None:
    assert (_expansions("MTTQ tỉnh"), _expansions("Mặt trận Tổ quốc")) == (
        ["mặt trận tổ quốc"],
        ["mttq"],
    )


def test_two_letter_abbreviations_expand_only_in_capitals() -> None:
    assert (_expansions("QĐ 464"), _expansions("tu tập")) == (["quyết định"], [])


def test_malformed_line_is_an_error_naming_the_line() -> None:
    with pytest.raises(AbbreviationFileError) as caught:
        parse_table(["# comment", "MTTQ"], "mine.tsv")
    assert str(caught.value) == "line 2 of 'mine.tsv' is not 'ABBREVIATION<TAB>expansion': fix it"


def test_abbreviation_query_finds_article_with_the_expansion(build_corpus: Build) -> None:
    index_dir = build_corpus(
        {
            "a-long.txt": "Tin\n\nỦy ban Mặt trận Tổ quốc tỉnh họp phiên thường kỳ.",
            "b-other.txt": "Tin\n\nHội Nông dân tỉnh họp phiên thường kỳ.",
        }
    )
    assert _ids(index_dir, "MTTQ") == ["a-long"]


def test_expansion_query_finds_article_with_the_abbreviation(build_corpus: Build) -> None:
    index_dir = build_corpus(
        {
            "a-short.txt": "Tin\n\nỦy ban MTTQ tỉnh họp phiên thường kỳ.",
            "b-other.txt": "Tin\n\nHội Nông dân tỉnh họp phiên thường kỳ.",
        }
    )
    assert _ids(index_dir, "Mặt trận Tổ quốc") == ["a-short"]


def test_users_addition_takes_effect_after_the_next_index_run(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    folder = write_corpus({"a.txt": "Tin\n\nHội Cựu thanh niên xung phong tỉnh họp mặt."})
    index_dir = tmp_path / "index"
    update_index(folder, index_dir)
    before = _ids(index_dir, "CTNXP")
    (folder / "abbreviations.tsv").write_text("CTNXP\tCựu thanh niên xung phong\n", "utf-8")
    update_index(folder, index_dir, rebuild=True)
    assert (before, _ids(index_dir, "CTNXP")) == ([], ["a"])


def test_alternatives_say_which_side_is_the_abbreviation() -> None:
    expander = Expander(load_table())
    found = [
        (a.start, a.end, a.abbreviation)
        for query in ("MTTQ tỉnh", "Mặt trận Tổ quốc")
        for a in expander.alternatives(syllables(query), query)
    ]
    assert found == [(0, 1, True), (0, 4, False)]
