"""Passages and spans: what the user sees highlighted."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvsearch.search import highlight
from dvsearch.search.highlight import (
    MAX_PASSAGE_CHARS,
    MatchTerms,
    Span,
    find_passages,
    highlight_spans,
)
from dvsearch.vietnamese.syllables import syllables

from .conftest import SEEDS


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
