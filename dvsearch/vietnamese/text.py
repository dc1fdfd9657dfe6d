"""Vietnamese text normalisation: look-alike letters, NFC, tone placement, diacritic folding.

Every function here keeps the length of NFC text unchanged, so a token's character offsets
computed on normalised text still point at the same characters of the NFC original.
"""

from __future__ import annotations

import re
import unicodedata

# Scraped pages write Đ with the Icelandic eth or the African D; both look identical on screen.
_LOOKALIKES = str.maketrans(
    {"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"}
)

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


# Old-style placement puts the tone on the second vowel of an open oa/oe/uy syllable (hoà, khoẻ,
# thuỷ, uỷ). The form most text uses today puts it on the first (hòa, khỏe, thủy, ủy). Syllables
# with a final consonant (hoàng, thuyền) and qu- syllables (quý, where u belongs to the onset)
# already agree in both styles, hence the q look-behind and the end-of-word look-ahead.
def _build_old_style_pattern() -> re.Pattern[str]:
    toned = {"a": "", "e": "", "y": ""}
    for base in toned:
        for mark in _TONE_MARKS:
            for letter in (base, base.upper()):
                toned[base] += unicodedata.normalize("NFC", letter + mark)
    return re.compile(
        rf"(?<![qQ])([oO])([{toned['a']}{toned['e']}])(?![\w\u0300-\u036f])"
        rf"|(?<![qQ])([uU])([{toned['y']}])(?![\w\u0300-\u036f])"
    )


_OLD_STYLE_TONE = _build_old_style_pattern()


def _move_tone_to_first_vowel(match: re.Match[str]) -> str:
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    decomposed = unicodedata.normalize("NFD", second)
    mark = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", first + mark) + unicodedata.normalize("NFC", bare)


def unify_tone_placement(text: str) -> str:
    """Write open oa/oe/uy syllables with the tone on the first vowel: ``hoà`` -> ``hòa``."""
    return _OLD_STYLE_TONE.sub(_move_tone_to_first_vowel, text)


# After h, k, l, m, qu, s, t and v, a syllable made of i alone may be written with y: lí/lý,
# kĩ/kỹ, quí/quý, mĩ/mỹ, kì/kỳ. Both spellings are correct and both occur in the same paper.
_I_VOWELS = "iíìỉĩịIÍÌỈĨỊ"
_Y_VOWELS = "yýỳỷỹỵYÝỲỶỸỴ"
_I_TO_Y = str.maketrans(_I_VOWELS, _Y_VOWELS)
_I_SPELLING = re.compile(
    rf"(?<![\w\u0300-\u036f])([hklmstvHKLMSTV]|[qQ][uU])([{_I_VOWELS}])(?![\w\u0300-\u036f])"
)


def unify_i_y_spelling(text: str) -> str:
    """Write the open i syllables that admit both spellings with y: ``lí`` -> ``lý``."""
    return _I_SPELLING.sub(lambda m: m.group(1) + m.group(2).translate(_I_TO_Y), text)


def normalize(text: str) -> str:
    """Canonical Vietnamese form: look-alike letters mapped, NFC, one tone-placement style,
    one spelling for the i/y variants.

    >>> normalize("Tỉnh uỷ") == normalize("Tỉnh ủy")
    True
    """
    nfc = unicodedata.normalize("NFC", text.translate(_LOOKALIKES))
    return unify_i_y_spelling(unify_tone_placement(nfc))


def _build_fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {0x0110: ord("D"), 0x0111: ord("d")}
    for code in range(0x00C0, 0x0250):
        _add_fold(table, code)
    for code in range(0x1E00, 0x1F00):
        _add_fold(table, code)
    for code in range(0x0300, 0x0370):
        table[code] = None  # stray combining marks in text that was not NFC
    return table


def _add_fold(table: dict[int, int | None], code: int) -> None:
    decomposed = unicodedata.normalize("NFD", chr(code))
    if len(decomposed) > 1 and all(unicodedata.combining(ch) for ch in decomposed[1:]):
        table[code] = ord(decomposed[0])


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Remove every diacritic and turn đ into d, keeping NFC length: ``Đảng`` -> ``Dang``."""
    return text.translate(_FOLD_TABLE)


def _bare(char: str) -> str:
    return fold(char.translate(_LOOKALIKES).lower()).replace("y", "i")


# One table for the look-alikes, folding and y -> i, applied after lower(): three passes of
# str.translate over every sentence of every hit were a measurable share of a query.
_BARE_TABLE = {
    code: bare or None
    for code in {*_FOLD_TABLE, *_LOOKALIKES, ord("y"), ord("Y")}
    if (bare := _bare(chr(code))) != chr(code)
}


def bare_letters(text: str) -> str:
    """Lowercase, no diacritics, look-alike Đ mapped and y written i: one form for every
    spelling ``normalize`` and ``fold`` would unify, for a fast may-contain test. Unlike the
    other forms here it can be shorter than the text (NFD marks are dropped)."""
    return text.lower().translate(_BARE_TABLE)


def _spellings_of_bare_letters() -> tuple[dict[str, str], re.Pattern[str]]:
    """Per bare letter, the lowercase characters ``bare_letters`` turns into it; and the
    characters it drops or turns into more than one (with them a text's offsets shift)."""
    spellings: dict[str, set[str]] = {}
    shifting = {"\u0130"}  # the one character whose lowercase is two
    for code, bare in _BARE_TABLE.items():
        if bare is not None and len(bare) == 1:
            spellings.setdefault(bare, {bare}).add(chr(code))
        else:
            shifting.add(chr(code))
    classes = {
        bare: "[" + re.escape("".join(sorted(chars))) + "]" for bare, chars in spellings.items()
    }
    return classes, re.compile("[" + re.escape("".join(sorted(shifting))) + "]")


_SPELLINGS, _SHIFTING = _spellings_of_bare_letters()


def spellings_pattern(bare: str) -> str:
    """A regular expression, to be compiled with ``re.IGNORECASE``, for every text that
    ``bare_letters`` turns into ``bare`` (any case or accents, y for i, look-alikes), so that
    a text is searched as written instead of translated first. It may also match a few
    others (case-insensitive matching knows more pairs than lowercasing: ``ſ`` for ``s``)."""
    return "".join(_SPELLINGS.get(letter, re.escape(letter)) for letter in bare)


def keeps_offsets(text: str) -> bool:
    """Whether ``bare_letters(text)`` has ``text``'s length, each character where it was
    (False for NFD marks, which it drops)."""
    return _SHIFTING.search(text) is None


def has_diacritics(text: str) -> bool:
    """True when folding would change the text, i.e. the writer typed accents or đ."""
    return fold(text) != text


def search_form(text: str) -> str:
    """The accent-preserving form a term is indexed under: normalised and lowercased."""
    return normalize(text).lower()


def folded_form(text: str) -> str:
    """The accentless form a term is indexed under: ``Dân`` -> ``dan``."""
    return fold(search_form(text))


_UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})  # controls, undecodable bytes, line breaks


def printable(text: str) -> str:
    """Text fit for a one-line message: control characters, line breaks and undecodable bytes
    escaped as Python writes them (a line break becomes ``\\n``); accents and the rest kept."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _UNPRINTABLE
        else ch
        for ch in text
    )
