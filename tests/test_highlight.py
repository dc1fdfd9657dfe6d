"""Passages and spans: what the user sees highlighted."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dvsearch.cli import main
from dvsearch.search import highlight
from dvsearch.search.highlight import (
    MAX_PASSAGE_CHARS,
    MatchTerms,
    Span,
    find_passages,
    highlight_spans,
    query_runs,
)
from dvsearch.search.query import parse_query
from dvsearch.vietnamese.syllables import Syllable, syllables

from .conftest import SEEDS, WriteCorpus


def _terms(query: str) -> MatchTerms:
    return MatchTerms.from_syllables(syllables(query))


def _marked(text: str, spans: tuple[Span, ...]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in spans]


def test_adjacent_matches_merge_into_one_span() -> None:
    text = "Phong trào Dân vận khéo lan tỏa."
    assert _marked(text, highlight_spans(text, _terms("dân vận khéo"))) == [
        ("Dân vận khéo", "exact")
    ]


def test_accentless_query_highlights_accented_words_as_matches() -> None:
    text = "Phong trào Dân vận khéo."
    assert _marked(text, highlight_spans(text, _terms("dan van kheo"))) == [
        ("Dân vận khéo", "exact")
    ]


def test_words_matched_only_through_folding_are_marked_folded() -> None:
    text = "Ban Dận vận họp."
    assert _marked(text, highlight_spans(text, _terms("Dân vận"))) == [
        ("Dận", "folded"),
        ("vận", "exact"),
    ]


def test_old_tone_placement_in_the_article_matches_new_style_query() -> None:
    text = "Thường trực Tỉnh uỷ họp."
    assert _marked(text, highlight_spans(text, _terms("Tỉnh ủy"))) == [("Tỉnh uỷ", "exact")]


def test_passages_prefer_sentences_with_more_query_words() -> None:
    text = "Dân vận là công tác lớn. Phong trào dân vận khéo lan tỏa. Khéo léo trong việc."
    passages = find_passages(text, _terms("dân vận khéo"), limit=1)
    assert [p.text for p in passages] == ["Phong trào dân vận khéo lan tỏa."]


def test_passages_come_in_reading_order() -> None:
    text = "Khéo léo. Trời mưa. Dân vận khéo. Nắng."
    passages = find_passages(text, _terms("dân vận khéo"), limit=2)
    assert [p.text for p in passages] == ["Khéo léo.", "Dân vận khéo."]


def test_a_sentence_printed_twice_is_offered_once() -> None:
    text = "Dân vận khéo ở xã.\nDân vận khéo ở xã.\nDân vận ở huyện."
    passages = find_passages(text, _terms("dân vận khéo"))
    assert [p.text for p in passages] == ["Dân vận khéo ở xã.", "Dân vận ở huyện."]


def test_long_sentence_is_cut_around_its_matches_and_spans_follow() -> None:
    text = "Mở đầu " * 80 + "phong trào Dân vận khéo" + " kết thúc" * 80 + "."
    (passage,) = find_passages(text, _terms("dân vận khéo"))
    assert (
        len(passage.text) <= MAX_PASSAGE_CHARS + 2,
        passage.text[0],
        passage.text[-1],
        _marked(passage.text, passage.spans),
    ) == (True, "…", "…", [("Dân vận khéo", "exact")])


def test_no_passages_when_nothing_matches() -> None:
    assert find_passages("Trời hôm nay đẹp.", _terms("dân vận")) == []


_GUIDE = "Bản hướng dẫn soạn văn bản của tỉnh."


def test_a_lone_syllable_in_other_accents_is_not_a_match_of_a_longer_query() -> None:
    """*dẫn* and *văn* share letters with *dân vận* but match no word the user asked for."""
    text = _GUIDE + " Phong trào dân vận khéo."
    assert _marked(text, highlight_spans(text, _terms("Dân vận khéo"))) == [
        ("dân vận khéo", "exact")
    ]


def test_a_lone_syllable_with_the_typed_accents_is_still_a_match() -> None:
    text = "Người dân đến họp. Ban dẫn đường."
    assert _marked(text, highlight_spans(text, _terms("Dân vận khéo"))) == [("dân", "exact")]


def test_a_one_word_query_still_shows_its_folded_matches() -> None:
    text = "Bản hướng dẫn của dân."
    assert _marked(text, highlight_spans(text, _terms("dân"))) == [
        ("dẫn", "folded"),
        ("dân", "exact"),
    ]


def test_a_pair_found_across_punctuation_is_still_a_pair() -> None:
    text = "Ban Dận, vận họp."
    assert _marked(text, highlight_spans(text, _terms("Dân vận"))) == [
        ("Dận", "folded"),
        ("vận", "exact"),
    ]


def test_a_quoted_phrase_marks_its_words_in_any_accents() -> None:
    text = "Ông dẫn văn khéo léo."
    terms = MatchTerms.from_runs(query_runs(parse_query('"dân vận khéo"')))
    assert _marked(text, highlight_spans(text, terms)) == [
        ("dẫn văn", "folded"),
        ("khéo", "exact"),
    ]


def test_pairs_are_made_only_inside_one_part_of_the_query() -> None:
    """``dân OR vận``: two one-word parts, so *dẫn văn* side by side is two folded words, and
    ``"phong trào" dân`` makes no pair of *trào dân*."""
    either = MatchTerms.from_runs(query_runs(parse_query("dân OR vận")))
    apart = MatchTerms.from_runs(query_runs(parse_query('"phong trào" dân')))
    assert (either.pairs, either.words, ("trao", "dan") in apart.pairs) == (
        frozenset(),
        frozenset({"dan", "van"}),
        False,
    )


def _restored(query: str, forms: list[str]) -> list[Syllable]:
    return [
        Syllable(form, s.folded, s.start, s.end, s.breaks)
        for s, form in zip(syllables(query), forms, strict=True)
    ]


def test_an_accentless_query_restored_marks_the_pair_and_not_a_lone_other_reading() -> None:
    text = _GUIDE + " Công tác dân vận. Người dân."
    terms = MatchTerms.from_syllables(_restored("dan van", ["dân", "vận"]))
    assert _marked(text, highlight_spans(text, terms)) == [("dân vận", "exact"), ("dân", "exact")]


def test_an_accentless_query_without_a_restoration_takes_any_accents() -> None:
    text = "Bản hướng dẫn."
    assert _marked(text, highlight_spans(text, _terms("dan van"))) == [("dẫn", "exact")]


def test_passages_are_chosen_around_real_matches() -> None:
    text = _GUIDE + " Trời mưa. Ban dân vận họp."
    passages = find_passages(text, _terms("Dân vận khéo"), limit=3)
    assert [p.text for p in passages] == ["Ban dân vận họp."]


def _query_spans(index_dir: Path, query: str) -> dict[str, list[tuple[str, str]]]:
    result = CliRunner().invoke(main, ["query", query, "--json", "--index", str(index_dir)])
    assert result.exit_code == 0
    return {
        hit["path"]: [
            (p["text"][s["start"] : s["end"]], s["kind"])
            for p in hit["passages"]
            for s in p["spans"]
        ]
        for hit in json.loads(result.stdout)["hits"]
    }


_PRECISION_CORPUS = {
    "guide.txt": "Hướng dẫn soạn văn bản\n\nBản hướng dẫn soạn văn bản hành chính.\n",
    "movement.txt": "Dân vận khéo\n\nPhong trào dân vận khéo lan tỏa khắp tỉnh.\n",
    "people.txt": "Người dân\n\nNgười dân công tác dân vận. Người dân đến họp.\n",
}


@pytest.mark.parametrize(
    ("query", "guide"),
    [("Dân vận khéo", {}), ("dan van kheo", {"guide.txt": []})],
)
def test_the_command_line_marks_no_stray_syllable(
    query: str, guide: dict[str, list[tuple[str, str]]], write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    """The guide matches ``dan van`` letter for letter (and is a hit for the accentless
    query), yet nothing in it is marked: ``dan van kheo`` is read as the index's *dân vận
    khéo*, the same as typed with accents."""
    folder = write_corpus(_PRECISION_CORPUS)
    index_dir = tmp_path / "index"
    built = CliRunner().invoke(main, ["index", "--seeds", str(folder), "--index", str(index_dir)])
    assert built.exit_code == 0
    assert _query_spans(index_dir, query) == {
        **guide,
        "movement.txt": [("dân vận khéo", "exact")],
        "people.txt": [("dân", "exact"), ("dân vận", "exact"), ("dân", "exact")],
    }


_SEED_QUERIES = [
    "Dân vận khéo",
    "dan van kheo",
    "Tỉnh uỷ",
    "hoà giải",
    "ý kiến",
    "ở",
    "lí luận",
    "ly luan",
    "464-QĐ/TU",
    "Mặt trận Tổ quốc",
    "Đảng uỷ",
]


@pytest.mark.parametrize("query", _SEED_QUERIES)
def test_skipping_sentences_without_query_letters_changes_no_passage(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cheap pre-test only saves time: with it off, every seed gives the same passages,
    NFC and NFD alike."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [unicodedata.normalize("NFD", text) for text in texts]
    terms = _terms(query)
    filtered = [find_passages(text, terms, limit=50) for text in texts]
    monkeypatch.setattr(highlight, "may_match", lambda sentence, terms: True)
    assert filtered == [find_passages(text, terms, limit=50) for text in texts]
    assert any(filtered), f"no seed matched {query!r}: the comparison proves nothing"


def test_pre_test_rejects_sentences_without_the_letters() -> None:
    assert not highlight.may_match("Hội nghị tổng kết năm 2024.", _terms("dân vận"))
    assert highlight.may_match("Công tác DÂN VẬN khéo.", _terms("dan van"))
    assert highlight.may_match("Ông nói lí lẽ.", _terms("lý"))
    assert highlight.may_match("Cấp 3.000m đường.", _terms("3.000"))
    assert highlight.may_match("Tỉnh uỷ và ĐẢNG ỦY", _terms("Tinh uy"))
    assert not highlight.may_match("Đảng viên", _terms("dan"))


def test_every_syllable_of_a_text_passes_the_pre_test() -> None:
    """No false negative: each syllable the highlighter finds is let through."""
    text = "Ngày 12/3, Tỉnh uỷ (Ðảng bộ) chi 3.000m² đường_làng; lí do: ý kiến ở xã Quý Lộc."
    for syllable in syllables(text):
        assert highlight.may_match(text, _terms(syllable.exact)), syllable.exact


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="aăâdđeêioơuưyAĐYlíỳ \u0301\u0323_-.,/²01239\n", max_size=40))
def test_no_text_hides_a_syllable_from_the_pre_test(text: str) -> None:
    for syllable in syllables(text):
        assert highlight.may_match(text, _terms(syllable.exact)), syllable.exact


_WHOLE_TEXT_CASES = [
    # a match of "5ha" starts inside the number 1.5ha and covers the syllable "ha" after it
    ("Diện tích 1.5ha; còn ha nữa.\nHà Nội (ha) mới", "5ha ha"),
    ("Dân vận khéo. Dận vận... dan-van? «dân» vận;  dẫn\n\nvăn bản dân", "Dân vận khéo"),
    ("Thủy điện\tthuỷ điện; THỦY ĐIỆN, thuy dien", "thủy điện"),
    ("Giá 3.000m và 3,5 tấn; 3.000 đồng", "3.000 tấn"),
]


def _with_spans(passages: list[highlight.Passage]) -> list[highlight.Passage]:
    return [p for p in passages if p.spans]  # the only ones find_passages keeps


@pytest.mark.parametrize(("text", "query"), _WHOLE_TEXT_CASES)
def test_passages_found_from_the_whole_text_are_those_of_each_sentence(
    text: str, query: str
) -> None:
    terms = _terms(query)
    expected = _with_spans(highlight._sentences_one_by_one(text, terms))
    assert _with_spans(highlight._sentences(text, terms)) == expected


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    # with Kelvin's K and the long s, which case-insensitive matching takes for k and s
    st.text(alphabet="aăâdđeêioơuưyAĐYlíỳİÐkK\u212asſ \u0301\u0323_-.,/²01239\n;", max_size=60),
    st.sampled_from(["a", "đi", "1.0", "ya ă", "3 li", "di đa", "0a a", "ka", "sa ki"]),
)
def test_no_text_gives_other_passages_read_whole(text: str, query: str) -> None:
    terms = _terms(query)
    expected = _with_spans(highlight._sentences_one_by_one(text, terms))
    assert _with_spans(highlight._sentences(text, terms)) == expected


@pytest.mark.parametrize("text", ["Dân vận khe\u0301o. Dân", "İstanbul dân vận. Dân vận"])
def test_text_whose_offsets_move_when_folded_is_read_sentence_by_sentence(text: str) -> None:
    terms = _terms("dân vận khéo")
    assert highlight._sentences(text, terms) == highlight._sentences_one_by_one(text, terms)
