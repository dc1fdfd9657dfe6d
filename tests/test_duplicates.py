"""Duplicate signatures and groups: copies in other forms group, different stories do not."""

from __future__ import annotations

import base64
import json
import random
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dvsearch.articles.duplicates import (
    BINS,
    MIN_SHINGLES,
    Signature,
    article_signature,
    group_duplicates,
    similar_pairs,
    similarity,
)

_SYLLABLE_TEXT = (
    "hòa bình thủy lợi ủy ban khỏe mạnh tỉnh huyện xã dân vận mặt trận tổ quốc công tác "
    "người dân cán bộ đảng viên nông thôn mới kinh tế xã hội phát triển đường giao thông "
    "học sinh trường lớp bệnh viện bác sĩ lúa gạo mùa vụ nước sạch điện lưới chợ búa"
)
_SYLLABLES = _SYLLABLE_TEXT.split()


def _story(seed: int, sentences: int = 12) -> str:
    """A made-up article of ``sentences`` sentences of 8-20 syllables, the same for a seed."""
    rng = random.Random(seed)
    lines = []
    for _ in range(sentences):
        words = rng.choices(_SYLLABLES, k=rng.randint(8, 20))
        lines.append(" ".join(words).capitalize() + ".")
    return " ".join(lines)


def _old_tone_nfd(text: str) -> str:
    """The text as an old editor's file: tones on the second vowel (hoà, thuỷ, uỷ), NFD."""
    for new, old in (("òa", "oà"), ("ủy", "uỷ"), ("ỏe", "oẻ")):
        text = text.replace(new, old)
    return unicodedata.normalize("NFD", text)


def test_a_copy_in_nfd_with_old_tone_placement_has_the_same_signature() -> None:
    text = _story(1) + " Hòa bình, thủy lợi, ủy ban, khỏe mạnh."
    copy = _old_tone_nfd(text)
    assert (copy != text, article_signature(copy)) == (True, article_signature(text))
    assert group_duplicates(
        {"a.txt": article_signature(text), "b.txt": article_signature(copy)}
    ) == {"b.txt": "a.txt"}


def test_different_articles_sharing_a_few_sentences_do_not_group() -> None:
    shared = _story(99, sentences=3)
    first, second = _story(2) + " " + shared, shared + " " + _story(3)
    signatures = {"a.txt": article_signature(first), "b.txt": article_signature(second)}
    assert (group_duplicates(signatures), similarity(*signatures.values()) < 0.3) == ({}, True)


def test_the_same_body_with_another_header_and_footer_groups() -> None:
    body = _story(4, sentences=25)
    first = "Báo Một - Thời sự\n" + body + "\nBản quyền thuộc Báo Một."
    second = "Trang chủ | Xã hội\n" + body + "\nTheo Báo Hai. Ghi rõ nguồn khi đăng lại."
    signatures = {"hai.txt": article_signature(second), "mot.txt": article_signature(first)}
    assert group_duplicates(signatures) == {"mot.txt": "hai.txt"}


def test_the_primary_is_the_first_key_whatever_the_order() -> None:
    base = _story(5, sentences=20)
    texts = {f"{name}.txt": base + f" Cập nhật {name}." for name in ("c", "a", "d", "b")}
    texts["z.txt"] = _story(6)
    signatures = {key: article_signature(text) for key, text in texts.items()}
    expected = {"b.txt": "a.txt", "c.txt": "a.txt", "d.txt": "a.txt"}
    orders = [list(signatures), sorted(signatures), sorted(signatures, reverse=True)]
    results = [group_duplicates({key: signatures[key] for key in order}) for order in orders]
    assert results == [expected, expected, expected]


def test_a_short_text_groups_only_with_an_identical_one() -> None:
    short = "Lịch cắt điện ngày 12/5 tại xã Hòa Bình, huyện Tân Phú."
    near = "Lịch cắt điện ngày 13/5 tại xã Hòa Bình, huyện Tân Phú."
    signatures = {key: article_signature(text) for key, text in (("a", short), ("b", short))}
    signatures["c"] = article_signature(near)
    assert (signatures["a"].shingles < MIN_SHINGLES, signatures["a"].minima) == (True, b"")
    assert group_duplicates(signatures) == {"b": "a"}


def test_texts_without_words_are_not_copies_of_each_other() -> None:
    signatures = {"a": article_signature("★ ★ ★"), "b": article_signature("— … —")}
    assert group_duplicates(signatures) == {}


def test_signatures_survive_a_json_round_trip() -> None:
    signatures = [article_signature(_story(7)), article_signature("Tin ngắn.")]
    stored = json.loads(json.dumps([signature.to_json() for signature in signatures]))
    restored = [Signature.from_json(value) for value in stored]
    assert (restored, len(signatures[0].minima)) == (signatures, 2 * BINS)


def test_anything_but_a_signature_of_this_version_reads_as_none() -> None:
    stored = base64.b64decode(article_signature(_story(8)).to_json())
    old = base64.b64encode(b"\x00" + stored[1:]).decode()  # version 0
    values = [old, "not base64!", "", 42, None, "đ", "AQ=="]
    assert [Signature.from_json(value) for value in values] == [None] * len(values)


def test_similar_pairs_give_their_estimated_similarity() -> None:
    body = _story(9, sentences=30)
    signatures = {"a": article_signature(body), "b": article_signature(body + " Hết.")}
    [(first, second, value)] = similar_pairs(signatures)
    assert (first, second, 0.9 <= value <= 1.0) == ("a", "b", True)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(
    text=st.lists(st.sampled_from([*_SYLLABLES, " ", ". ", ", "]), max_size=400).map("".join),
    others=st.lists(st.integers(0, 10_000), max_size=4),
)
def test_an_article_always_groups_with_its_exact_copy(text: str, others: list[int]) -> None:
    signatures = {f"other-{seed}": article_signature(_story(seed)) for seed in others}
    signatures |= {"copy.txt": article_signature(_old_tone_nfd(text))}
    signatures |= {"article.txt": article_signature(text)}
    groups = group_duplicates(signatures)
    words = article_signature(text).digest != article_signature("").digest
    assert groups.get("copy.txt") == ("article.txt" if words else None)


def test_a_signature_does_not_depend_on_the_texts_signed_before_it() -> None:
    """The letter table is filled as characters are met: a text signed first, or after texts
    that filled it with other characters (CJK, Hangul, NFD marks, emoji), signs the same."""
    from dvsearch.articles import duplicates

    text = unicodedata.normalize("NFD", " ".join(_SYLLABLES * 3)) + " Ðảng ỦY 漢字 한국어 😀"
    duplicates._letter_table.cache_clear()
    first = article_signature(text)
    for other in ("漢字 한국어 😀 abc", "Hoà Bình ỦY", unicodedata.normalize("NFC", text)):
        article_signature(other)
    assert article_signature(text) == first
    duplicates._letter_table.cache_clear()
    assert article_signature(unicodedata.normalize("NFC", text)).digest == first.digest
