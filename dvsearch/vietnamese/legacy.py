"""Vietnamese text in the legacy 8-bit encodings TCVN3 (ABC, ``.VnTime``) and VNI-Windows.

Both predate Unicode and hide behind Windows-1252: a TCVN3 ``.txt`` read as cp1252 shows
``D©n vËn`` for *Dân vận*, a VNI one ``Daân vaän``; a DOCX run in a ``.VnTime`` or ``VNI-Times``
font or an HTML page holds the same cp1252 characters. Here they become NFC Unicode::

    decode_tcvn3(b"D\\xa9n v\\xcbn")             -> "Dân vận"
    repair_legacy_text("Daân vaän", "VNI-Times") -> "Dân vận"

Which encoding a text is in: the font name if there is one, else the share of words that the
decoding turns into valid Vietnamese syllables. Text in ordinary Windows-1252 (``café``,
``Müller``) decodes into no such words and is left alone.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from dvsearch.errors import LegacyEncodingError

LegacyEncoding = Literal["tcvn3", "vni"]

# ---------------------------------------------------------------- fonts

# ABC's fonts all start with ".Vn" (.VnTime, .VnArial, .VnCentury Schoolbook, .VnTimeH);
# VNI's with "VNI-" (VNI-Times, VNI-Helve, VNI-Top). The dot keeps the two apart.
_TCVN3_FONT = re.compile(r"\s*\.vn", re.IGNORECASE)
_VNI_FONT = re.compile(r"\s*vni[-_ ]", re.IGNORECASE)


def font_encoding(font: str | None) -> LegacyEncoding | None:
    """The legacy encoding a font name implies: ``".VnTime"`` -> ``"tcvn3"``, ``"Arial"`` -> None.

    The font of a DOCX run or an HTML ``face`` is the surest sign of its encoding.
    """
    if font is None:
        return None
    if _TCVN3_FONT.match(font):
        return "tcvn3"
    return "vni" if _VNI_FONT.match(font) else None


def is_capitals_font(font: str | None) -> bool:
    """A TCVN3 heading font (``.VnTimeH``, ``.VnArial NarrowH``), which draws lower case as
    capitals: TCVN3 has no accented capitals, so headings were typed in lower case in these."""
    return font_encoding(font) == "tcvn3" and font is not None and font.rstrip().endswith("H")


# ---------------------------------------------------------------- TCVN3


@cache
def _tcvn3_rows() -> tuple[tuple[int, str, str], ...]:
    """``(byte, character, set)`` from the shipped table (see benchmarks/legacy_tables.py)."""
    text = resources.files("dvsearch").joinpath("data", "tcvn3.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            byte, code, charset = line.split("\t")[:3]
            rows.append((int(byte, 16), chr(int(code.removeprefix("U+"), 16)), charset))
    return tuple(rows)


@cache
def _tcvn3_decoding() -> str:
    """The 256-character table for ``codecs.charmap_decode``."""
    table = [chr(byte) for byte in range(256)]
    for byte, char, _ in _tcvn3_rows():
        table[byte] = char
    return "".join(table)


@cache
def _tcvn3_repair() -> dict[int, str]:
    """Text read as cp1252 or Latin-1 back to what its bytes mean in TCVN3.

    Bytes 0x80-0x9F mean their cp1252 characters in both, so only their Latin-1 reading (C1
    controls) changes; every character above 0x9F is the byte of that number.
    """
    table = _tcvn3_decoding()
    return {byte: table[byte] for byte in range(0x80, 0x100)}


@cache
def _tcvn3_encoding() -> dict[str, int]:
    # VN3's letters and Windows punctuation, what a .VnTime document holds; not VN1's extras.
    return {char: byte for byte, char, charset in _tcvn3_rows() if charset != "vn1"}


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes as NFC text: ``b"D\\xa9n v\\xcbn"`` -> ``"Dân vận"``."""
    text, _ = codecs.charmap_decode(data, "strict", _tcvn3_decoding())
    return unicodedata.normalize("NFC", text)


def encode_tcvn3(text: str) -> bytes:
    """Text as TCVN3 bytes; ``LegacyEncodingError`` for a letter TCVN3 lacks (accented capitals)."""
    table = _tcvn3_encoding()
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        byte = ord(char) if char.isascii() else table.get(char)
        if byte is None:
            raise LegacyEncodingError(
                f"TCVN3 has no '{char}': write capitals in lower case in a .VnTimeH font"
            )
        out.append(byte)
    return bytes(out)


# ---------------------------------------------------------------- VNI-Windows

# VNI-Windows as the cp1252 characters its bytes show: a letter is its base letter and one mark
# character. Checked against the VNI column of "Bảng đối chiếu encoding các bộ chữ hiện hành với
# Unicode" (https://www.scribd.com/document/23311958/Bang-Ma-Unicode) and against the VNI table
# of xvnkb (https://github.com/lamdao/xvnkb, vni.h).
_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_VNI_TONE_MARKS = "ùøûõï"  # after a e o u y ơ ư: that tone
_VNI_CIRCUMFLEX_MARKS = "âáàåãä"  # after a e o: circumflex alone, then with each tone
_VNI_BREVE_MARKS = "êéèúüë"  # after a: breve alone, then with each tone
# Letters of one character: ơ ư đ, and i (and ỵ) with their tones.
_VNI_LETTERS = {
    **{"ô": "ơ", "ö": "ư", "ñ": "đ"},
    **{"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"},
}


@cache
def _vni_canonical() -> dict[str, str]:
    """VNI sequence -> NFC letter, both in lower and in upper case, as VNI writes them."""
    pairs = dict(_VNI_LETTERS)
    for base, vni_base in (*zip("aeouy", "aeouy", strict=True), ("ơ", "ô"), ("ư", "ö")):
        for mark, tone in zip(_VNI_TONE_MARKS, _TONES, strict=True):
            pairs.setdefault(vni_base + mark, base + tone)
    for base in "aeo":
        for mark, tone in zip(_VNI_CIRCUMFLEX_MARKS, ("", *_TONES), strict=True):
            pairs[base + mark] = base + "\u0302" + tone
    for mark, tone in zip(_VNI_BREVE_MARKS, ("", *_TONES), strict=True):
        pairs["a" + mark] = "a\u0306" + tone
    pairs = {vni: unicodedata.normalize("NFC", letter) for vni, letter in pairs.items()}
    return pairs | {vni.upper(): letter.upper() for vni, letter in pairs.items()}


@cache
def _vni_decoding() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of base letter and mark, or one-character letter, and what each VNI means.

    Besides VNI's own spelling (``AÙ``, ``aù``) the mark may be in the other case (``Aù``, as
    a capital typed with Shift in a lower-case word): the base letter decides the case.
    """
    table = dict(_vni_canonical())
    for vni, letter in _vni_canonical().items():
        if len(vni) == 2:
            table.setdefault(vni[0] + vni[1].swapcase(), letter)
    pairs = [vni for vni in table if len(vni) == 2]
    bases, marks = ({vni[i] for vni in pairs} for i in (0, 1))
    singles = {vni for vni in table if len(vni) == 1}
    classes = ["".join(sorted(chars)) for chars in (bases, marks, singles)]
    return re.compile("[{}][{}]|[{}]".format(*classes)), table


def _vni_letter(match: re.Match[str], table: dict[str, str]) -> str:
    """What a match means; a base and a mark that do not go together (``uâ``) stay apart."""
    vni = match.group()
    letter = table.get(vni)
    return letter if letter is not None else table.get(vni[0], vni[0]) + vni[1:]


@cache
def _vni_encoding() -> dict[str, str]:
    """NFC letter -> VNI; the first spelling wins, so ỵ is VNI's own ``î``, not ``yï``."""
    table: dict[str, str] = {}
    for vni, letter in _vni_canonical().items():
        table.setdefault(letter, vni)
    return table


def _repair_vni(text: str) -> str:
    pattern, table = _vni_decoding()
    return unicodedata.normalize("NFC", pattern.sub(lambda match: _vni_letter(match, table), text))


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes as NFC text: ``"Daân vaän".encode("cp1252")`` -> ``"Dân vận"``."""
    return _repair_vni(_cp1252_text(data))


def encode_vni(text: str) -> bytes:
    """Text as VNI-Windows bytes; ``LegacyEncodingError`` for a character cp1252 lacks."""
    table = _vni_encoding()
    vni = "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))
    try:
        return vni.encode("cp1252")
    except UnicodeEncodeError as error:
        raise LegacyEncodingError(f"VNI-Windows has no '{error.object[error.start]}'") from error


@cache
def _cp1252_decoding() -> str:
    """cp1252, whose five unassigned bytes read as the C1 control of that number (as Latin-1)."""
    table = []
    for byte in range(256):
        try:
            table.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(byte))
    return "".join(table)


def _cp1252_text(data: bytes) -> str:
    text, _ = codecs.charmap_decode(data, "strict", _cp1252_decoding())
    return text


# ---------------------------------------------------------------- detection


def repair_legacy(text: str, encoding: LegacyEncoding) -> str:
    """Text read as cp1252 or Latin-1 decoded again as ``encoding``, as NFC."""
    if encoding == "vni":
        return _repair_vni(text)
    return unicodedata.normalize("NFC", text.translate(_tcvn3_repair()))


def repair_legacy_text(text: str, font: str | None = None) -> str | None:
    """The Unicode text of ``text`` when it is TCVN3 or VNI read as cp1252 or Latin-1, else None.

    For a DOCX run or HTML page, with the run's font when known: ``("D©n vËn", ".VnTime")`` ->
    ``"Dân vận"``, in capitals for a ``.VnTimeH`` font; ``"café"`` -> None.
    """
    encoding = detect_legacy(text, font)
    if encoding is None:
        return None
    repaired = repair_legacy(text, encoding)
    return repaired.upper() if is_capitals_font(font) else repaired


# Legacy text decodes into almost nothing but Vietnamese syllables (names and abbreviations such
# as "QĐ" are the rest); European text in cp1252 decodes into a few at most.
_MIN_SHARE = 0.75
_MIN_WORDS = 2  # one word is no evidence: French "à" is TCVN3 for "ổ"
_SAMPLE_CHARS = 20_000  # some 4,000 words decide; a 1 MB file has 200,000
_WORD = re.compile(r"[^\W\d_]+")
_ENCODINGS: tuple[LegacyEncoding, ...] = ("tcvn3", "vni")


def detect_legacy(data: bytes | str, font: str | None = None) -> LegacyEncoding | None:
    """``"tcvn3"``, ``"vni"`` or None for bytes, or for text already read as cp1252/Latin-1.

    A font name decides (``.VnTime`` -> TCVN3, ``VNI-Times`` -> VNI). Otherwise the encoding
    whose decoding gives the highest share of valid Vietnamese syllables among the words with
    letters beyond ASCII, if that share is high and higher than the text had undecoded (which
    keeps plain Vietnamese such as ``cá và bà`` from being "decoded" again).
    """
    if isinstance(data, str) and not _readable_as_cp1252(data[:_SAMPLE_CHARS]):
        return None  # already Unicode, whatever font its style names
    by_font = font_encoding(font)
    if by_font is not None:
        return by_font
    text = data[:_SAMPLE_CHARS] if isinstance(data, str) else _cp1252_text(data[:_SAMPLE_CHARS])
    undecoded = _syllable_share(text)[1]
    fitting = []
    for encoding in _ENCODINGS:
        words, share = _syllable_share(repair_legacy(text, encoding))
        if words >= _MIN_WORDS and share >= _MIN_SHARE and share > undecoded:
            fitting.append((share, encoding))
    return max(fitting, key=lambda fit: fit[0])[1] if fitting else None  # a tie: the first


def _readable_as_cp1252(text: str) -> bool:
    """True when every character is one that reading bytes as cp1252 or Latin-1 gives: legacy
    text read that way never holds ă, ơ, ư, đ, ạ… or a combining mark, which Unicode
    Vietnamese is full of."""
    return set(text) <= _cp1252_repertoire()


@cache
def _cp1252_repertoire() -> frozenset[str]:
    return frozenset(_cp1252_decoding()) | frozenset(map(chr, range(256)))


def _syllable_share(text: str) -> tuple[int, float]:
    """How many words have letters beyond ASCII, and what share of them are Vietnamese."""
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    if not words:
        return 0, 0.0
    return len(words), sum(map(is_vietnamese_syllable, words)) / len(words)


# ---------------------------------------------------------------- syllables

_ONSETS = (
    *("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng"),
    *("ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"),
)


def _groups(spelled: str) -> frozenset[str]:
    return frozenset(spelled.split())


# Vowel groups that may end a syllable, and those that may take a final consonant.
_OPEN = _groups(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uơ uy ưa ưi ưu "
    "oai oay oao oeo uây uôi ươi ươu uya uyu iêu yêu"
)
_CLOSED = _groups("a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uy ươ uyê")
_RHYME = re.compile(r"([aăâeêioôơuưy]+)(c|ch|m|n|ng|nh|p|t)?")
_STOPS = frozenset({"c", "ch", "p", "t"})
_STOP_TONES = frozenset({"\u0301", "\u0323"})  # the only tones after a final c, ch, p, t
_TONE_BEARERS = frozenset("aeiouy")


@lru_cache(maxsize=8192)
def is_vietnamese_syllable(word: str) -> bool:
    """Onset, vowels, final consonant and tone fit together: ``"nghiệp"`` yes, ``"café"`` no."""
    split = _split_tone(word.lower())
    if split is None:
        return False
    bare, tone = split
    return any(_is_rhyme(bare[len(onset) :], tone) for onset in _ONSETS if bare.startswith(onset))


def _split_tone(word: str) -> tuple[str, str] | None:
    """The syllable without its tone, and the tone; None for two tones or one on a consonant."""
    bare: list[str] = []
    tones = []
    for char in unicodedata.normalize("NFD", word):
        if char not in _TONES:
            bare.append(char)
        elif _last_letter(bare) in _TONE_BEARERS:
            tones.append(char)
        else:
            return None
    if len(tones) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(bare)), "".join(tones)


def _last_letter(chars: list[str]) -> str:
    """The last base letter of decomposed characters, past its circumflex, breve or horn."""
    return next((char for char in reversed(chars) if not unicodedata.combining(char)), "")


def _is_rhyme(rhyme: str, tone: str) -> bool:
    match = _RHYME.fullmatch(rhyme)
    if match is None:
        return False
    vowels, final = match.groups()
    if final is None:
        return vowels in _OPEN
    return vowels in _CLOSED and (final not in _STOPS or tone in _STOP_TONES)
