"""Vietnamese normalisation: the forms a user types must meet the forms articles use."""

from __future__ import annotations

import re
import unicodedata

import pytest

from dvsearch.vietnamese.text import (
    bare_letters,
    fold,
    folded_form,
    has_diacritics,
    keeps_offsets,
    normalize,
    search_form,
    spellings_pattern,
)


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("hoà", "hòa"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("Tỉnh uỷ", "Tỉnh ủy"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("hoạ sĩ", "họa sĩ"),
        ("Thuỳ", "Thùy"),
    ],
)
def test_old_and_new_tone_placement_normalise_to_the_same_text(
    old_style: str, new_style: str
) -> None:
    assert normalize(old_style) == normalize(new_style)


@pytest.mark.parametrize("word", ["quý", "hoàng", "thuyền", "khuỷu", "thuở", "hoạch", "Quỳnh"])
def test_words_whose_tone_placement_does_not_vary_are_left_alone(word: str) -> None:
    assert normalize(word) == word


def test_nfd_input_normalises_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Dân vận khéo")
    assert normalize(decomposed) == "Dân vận khéo"


@pytest.mark.parametrize("lookalike", ["\u00d0ảng", "\u0189ảng"])
def test_lookalike_capital_d_letters_become_vietnamese_d_with_stroke(lookalike: str) -> None:
    assert normalize(lookalike) == "Đảng"


def test_fold_removes_diacritics_and_maps_d_with_stroke() -> None:
    assert fold("Đảng bộ Dân vận khéo đồng ý") == "Dang bo Dan van kheo dong y"


def test_fold_keeps_the_length_of_nfc_text() -> None:
    text = "Mặt trận Tổ quốc Việt Nam ưu tiên ở ý"
    assert len(fold(text)) == len(text)


def test_search_form_lowercases_and_unifies_tone() -> None:
    assert search_form("Tỉnh Uỷ") == "tỉnh ủy"


def test_folded_form_of_nfd_old_style_text() -> None:
    assert folded_form(unicodedata.normalize("NFD", "Hoà Bình")) == "hoa binh"


def test_has_diacritics_tells_typed_accents_apart() -> None:
    assert (has_diacritics("dân"), has_diacritics("dan"), has_diacritics("đi")) == (
        True,
        False,
        True,
    )


@pytest.mark.parametrize(
    ("i_spelling", "y_spelling"),
    [
        ("quí", "quý"),
        ("kĩ thuật", "kỹ thuật"),
        ("lí luận", "lý luận"),
        ("Mĩ", "Mỹ"),
        ("kì họp", "kỳ họp"),
    ],
)
def test_i_and_y_spellings_normalise_to_the_same_text(i_spelling: str, y_spelling: str) -> None:
    assert normalize(i_spelling) == normalize(y_spelling)


@pytest.mark.parametrize("word", ["đi", "nghĩ", "bi", "chí", "kiên", "lính", "tuy"])
def test_i_that_cannot_be_written_y_is_left_alone(word: str) -> None:
    assert normalize(word) == word


def test_bare_letters_fold_case_accents_look_alikes_and_y() -> None:
    assert bare_letters("Ðảng ỦY Hoà Bình") == "dang ui hoa binh"
    assert bare_letters(unicodedata.normalize("NFD", "Tỉnh uỷ")) == "tinh ui"
    for code in range(0x2000):
        char = chr(code)
        if char.isalpha() and unicodedata.normalize("NFC", char) == char:
            assert bare_letters(char) == fold(normalize(char).lower()).replace("y", "i"), hex(code)


def test_a_texts_bare_letters_are_found_in_it_as_written() -> None:
    """Every character that ``bare_letters`` keeps in its place is matched, as written, by the
    spellings of its bare letter: passages search article bodies that way, untranslated."""
    for code in range(0x2000):
        char = chr(code)
        bare = bare_letters(char)
        if len(bare) != 1:
            assert not keeps_offsets(char), hex(code)
        elif keeps_offsets(char):
            assert re.fullmatch(spellings_pattern(bare), char, re.IGNORECASE), hex(code)
    written = "Tỉnh uỷ ĐẢNG ỦY Hoà Bình lí lẽ"

    def found(bare: str) -> list[str]:
        return re.findall(spellings_pattern(bare), written, re.IGNORECASE)

    assert found("tinh ui dang") == ["Tỉnh uỷ ĐẢNG"]
    assert found("ui") == ["uỷ", "ỦY"]
    assert found("hoa binh li") == ["Hoà Bình lí"]
    assert found("dong") == []
    assert not keeps_offsets(unicodedata.normalize("NFD", "Tỉnh"))
    assert not keeps_offsets("İstanbul")
