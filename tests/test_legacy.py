"""TCVN3 and VNI-Windows: the tables, both directions, detection, and text left alone."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from dvsearch.errors import LegacyEncodingError
from dvsearch.vietnamese.legacy import (
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    font_encoding,
    is_capitals_font,
    is_vietnamese_syllable,
    repair_legacy_text,
)

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SENTENCE = (
    "Ban Dân vận Tỉnh ủy triển khai Quyết định số 464-QĐ/TU về công tác dân vận năm 2020, "
    "đồng chí Nguyễn Thị Hương"
)
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER = "".join(unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES) + "bcdđ"
EUROPEAN = [
    "café",
    "naïve",
    "Müller",
    "Ñandú",
    "Ça coûte très cher à Noël, où est l'hôtel ? Déjà été.",
    "Der Fußgänger geht über die Straße nach München.",
    "El niño y la señora comen piñata en Córdoba.",
    "Smörgåsbord på Malmö, Århus og Ærø.",
]


def _generator() -> ModuleType:
    """benchmarks/legacy_tables.py, which is a script rather than part of the package."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module("legacy_tables")


def _iconv_tcvn(data: bytes) -> str | None:
    """What glibc's iconv makes of TCVN5712-1 bytes, or None when it cannot say."""
    if shutil.which("iconv") is None:
        return None
    done = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=False
    )
    return done.stdout.decode() if done.returncode == 0 else None


# ---------------------------------------------------------------- TCVN3


def test_tcvn3_sentence_is_written_as_abc_typed_it() -> None:
    assert (
        encode_tcvn3("Dân vận Quyết định Hương") == b"D\xa9n v\xcbn Quy\xd5t \xae\xdenh H\xad\xacng"
    )


def test_tcvn3_sentence_round_trips() -> None:
    assert decode_tcvn3(encode_tcvn3(SENTENCE)) == SENTENCE


def test_every_lower_case_letter_with_every_tone_round_trips_in_tcvn3() -> None:
    assert decode_tcvn3(encode_tcvn3(LOWER)) == LOWER


def test_the_seven_plain_capitals_round_trip_in_tcvn3() -> None:
    assert decode_tcvn3(encode_tcvn3("ĂÂÊÔƠƯĐ")) == "ĂÂÊÔƠƯĐ"


def test_tcvn3_cannot_write_an_accented_capital() -> None:
    with pytest.raises(LegacyEncodingError) as caught:
        encode_tcvn3("Ấn Độ")
    assert str(caught.value) == "TCVN3 has no 'Ấ': write capitals in lower case in a .VnTimeH font"


def test_heading_font_turns_lower_case_tcvn3_into_capitals() -> None:
    typed = encode_tcvn3(LOWER).decode("cp1252")
    assert repair_legacy_text(typed, ".VnTimeH") == LOWER.upper()


def test_windows_punctuation_in_tcvn3_stays_punctuation() -> None:
    assert decode_tcvn3(b"\x93D\xa9n v\xcbn\x94 \x96 kh\xd0o") == "“Dân vận” – khéo"


def test_windows_punctuation_is_written_as_in_cp1252() -> None:
    assert encode_tcvn3("“Dân vận” – khéo") == b"\x93D\xa9n v\xcbn\x94 \x96 kh\xd0o"


def test_tcvn3_combining_tone_bytes_join_their_vowel() -> None:
    assert decode_tcvn3(b"a\xb3 o\xb4") == "á ọ"


def test_tcvn3_agrees_with_iconv_on_every_byte_it_takes_from_glibc() -> None:
    data = b" ".join(bytes([byte]) for byte in [*range(0x20, 0x7F), *range(0xA0, 0x100)])
    data += b"\n" + encode_tcvn3(SENTENCE)
    expected = _iconv_tcvn(data)
    if expected is None:
        pytest.skip("iconv here does not know TCVN5712-1")
    assert decode_tcvn3(data) == unicodedata.normalize("NFC", expected)


def test_shipped_tcvn3_table_is_what_the_generator_makes_from_glibc() -> None:
    generator = _generator()
    if not generator.CHARMAP.exists():
        pytest.skip("glibc's TCVN5712-1 charmap is not installed")
    rows = generator.table_rows(generator.read_charmap())
    assert generator.TABLE.read_text(encoding="utf-8") == generator.render_table(rows)


def test_shipped_tcvn3_table_has_the_75_characters_of_vn3() -> None:
    rows = _generator().TABLE.read_text(encoding="utf-8").splitlines()
    assert sum(row.split("\t")[2] == "vn3" for row in rows if not row.startswith("#")) == 75


# ---------------------------------------------------------------- VNI


def test_vni_sentence_is_written_as_vni_typed_it() -> None:
    assert encode_vni("Dân vận Quyết định Hương") == "Daân vaän Quyeát ñònh Höông".encode("cp1252")


def test_vni_sentence_round_trips() -> None:
    assert decode_vni(encode_vni(SENTENCE)) == SENTENCE


@pytest.mark.parametrize("letters", [LOWER, LOWER.upper()], ids=["lower", "upper"])
def test_every_letter_with_every_tone_round_trips_in_vni(letters: str) -> None:
    assert decode_vni(encode_vni(letters)) == letters


def test_vni_capital_with_a_lower_case_mark_is_a_capital() -> None:
    assert decode_vni("Aùnh Ñoàng VIEÄT".encode("cp1252")) == "Ánh Đồng VIỆT"


def test_vni_cannot_write_what_cp1252_lacks() -> None:
    with pytest.raises(LegacyEncodingError) as caught:
        encode_vni("Hà Nội – Москва")
    assert str(caught.value) == "VNI-Windows has no 'М'"


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", "tcvn3"),
        (".VnArial", "tcvn3"),
        (".VnTimeH", "tcvn3"),
        (".VnCentury Schoolbook", "tcvn3"),
        (".vnarial NarrowH", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("Times New Roman", None),
        ("Vni", None),
        ("Arial", None),
        (None, None),
    ],
)
def test_font_names_say_the_encoding(font: str | None, encoding: str | None) -> None:
    assert font_encoding(font) == encoding


@pytest.mark.parametrize(
    ("font", "capitals"),
    [(".VnTimeH", True), (".VnArial NarrowH", True), (".VnTime", False), ("VNI-TimesH", False)],
)
def test_only_tcvn3_heading_fonts_draw_capitals(font: str, capitals: bool) -> None:
    assert is_capitals_font(font) == capitals


def test_font_decides_even_for_a_single_word() -> None:
    assert (repair_legacy_text("§¶ng", ".VnTime"), repair_legacy_text("ñoàng", "VNI-Times")) == (
        "Đảng",
        "đồng",
    )


def test_legacy_bytes_are_told_apart_by_their_syllables() -> None:
    assert (detect_legacy(encode_tcvn3(SENTENCE)), detect_legacy(encode_vni(SENTENCE))) == (
        "tcvn3",
        "vni",
    )


def test_legacy_text_read_as_cp1252_is_repaired_without_a_font() -> None:
    assert (
        repair_legacy_text(encode_tcvn3(SENTENCE).decode("cp1252")),
        repair_legacy_text(encode_vni(SENTENCE).decode("cp1252")),
    ) == (SENTENCE, SENTENCE)


def test_tcvn3_read_as_latin1_is_repaired_too() -> None:
    data = b"\x93D\xa9n v\xcbn\x94 T\xd8nh \xf1y"
    assert repair_legacy_text(data.decode("latin-1")) == "“Dân vận” Tỉnh ủy"


@pytest.mark.parametrize("text", EUROPEAN)
def test_european_text_in_cp1252_is_left_alone(text: str) -> None:
    assert (detect_legacy(text.encode("cp1252")), repair_legacy_text(text)) == (None, None)


@pytest.mark.parametrize(
    "text",
    [SENTENCE, "cá và bà hoà thuận", "Tôi đi chợ", "plain English, no accents"],
)
def test_text_that_is_already_unicode_is_left_alone(text: str) -> None:
    assert repair_legacy_text(text) is None


def test_one_word_without_a_font_is_no_evidence() -> None:
    assert detect_legacy("à".encode("cp1252")) is None  # TCVN3 would read "ổ"


# ---------------------------------------------------------------- syllables


@pytest.mark.parametrize(
    "word",
    ["nghiệp", "Nguyễn", "quốc", "giữ", "gì", "thuở", "khuỷu", "xoong", "hòa", "hoà", "ĐẢNG", "ý"],
)
def test_vietnamese_syllables_are_valid(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["café", "Müller", "ñam", "tiếń", "hàt", "ăn̉", "fộ", "trốs", "aim", "QĐ", "ầa"],
)
def test_other_words_are_not_vietnamese_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


def test_unicode_vietnamese_is_never_taken_for_legacy_text() -> None:
    """Text with ă, ơ, ư, đ, ạ… was not read as cp1252, whatever font its style names: a saved
    news page once came out as "Tập đồn … Thanh Hố" after a second "decoding"."""
    title = "Xử phạt Giám đốc tài chính Tập đoàn Tiên Sơn Thanh Hoá vì thao túng cổ phiếu"
    assert (detect_legacy(title), detect_legacy(title, ".VnTime")) == (None, None)
    assert repair_legacy_text(title) is None
