"""Raw Telex and VNI keystrokes read as the syllables they spell."""

from __future__ import annotations

import pytest

from dvsearch.vietnamese.keystrokes import decode_telex, decode_vni


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("hooij", "hội"),
        ("nghij", "nghị"),
        ("toongr", "tổng"),
        ("keets", "kết"),
        ("ys", "ý"),  # one-letter syllable
        ("owr", "ở"),
        ("ddi", "đi"),
        ("DDaij", "Đại"),  # the case typed is kept
        ("NAWMS", "NẮM"),
        ("nguwowif", "người"),  # ươ as uwow
        ("truowngf", "trường"),  # ươ as uow
        ("tw", "tư"),  # w alone: ư
        ("hoaf", "hòa"),  # tone on the first of an open oa
        ("hoangf", "hoàng"),
        ("quas", "quá"),  # u of qu is no vowel of the rhyme
        ("giuwowngf", "giường"),
        ("tosan", "toán"),  # tone key typed right after the vowel
        ("hoiz", "hoi"),  # z removes the tone
        ("Nguyeenx", "Nguyễn"),  # ê as the third vowel of uyê
        ("thuyeets", "thuyết"),
    ],
)
def test_telex_keystrokes_decode_to_the_syllable(typed: str, syllable: str) -> None:
    assert decode_telex(typed) == syllable


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("ho65i", "hội"),
        ("nghi5", "nghị"),
        ("to63ng", "tổng"),
        ("ke61t", "kết"),
        ("o73", "ở"),  # one-letter syllable
        ("y1", "ý"),
        ("d9i", "đi"),
        ("D9a5i", "Đại"),
        ("ngu7o72i", "người"),
        ("tru7o72ng", "trường"),
        ("nguo72i", "người"),  # uo7: ươ
        ("na8m", "năm"),
        ("hoi65", "hội"),  # the digits typed at the end
    ],
)
def test_vni_keystrokes_decode_to_the_syllable(typed: str, syllable: str) -> None:
    assert decode_vni(typed) == syllable


@pytest.mark.parametrize(
    "typed", ["ke", "nghi", "class", "news", "2024", "hội", "café", "w3c", "dd", "toongrr"]
)
def test_telex_leaves_words_without_keystrokes_alone(typed: str) -> None:
    assert decode_telex(typed) is None


@pytest.mark.parametrize("typed", ["ke", "2024", "464", "h5n1", "covid19", "g20", "QD9", "hội"])
def test_vni_leaves_numbers_codes_and_words_alone(typed: str) -> None:
    assert decode_vni(typed) is None
