"""Query forms for the relevance harness: the ways a user may type the same query.

Written here, not imported from dvsearch, so the benchmark cannot share a bug with the system it
measures.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections.abc import Callable

QueryForm = Callable[[str, str], str]

_WORD = re.compile(r"\w+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_TONE_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}  # hòa/hoà, khỏe/khoẻ, thủy/thuỷ


def written(text: str, qid: str) -> str:
    """The query as given."""
    return text


def no_accents(text: str, qid: str) -> str:
    """Every diacritic dropped and đ typed as d: ``Đảng ủy`` → ``Dang uy``."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def old_tone(text: str, qid: str) -> str:
    """Old tone placement on open oa/oe/uy syllables: ``Hòa thủy ủy quý`` → ``Hoà thuỷ uỷ quý``."""
    return _move_tones(text, to_second=True)


def new_tone(text: str, qid: str) -> str:
    """New tone placement on open oa/oe/uy syllables: ``hoà khoẻ uỷ`` → ``hòa khỏe ủy``."""
    return _move_tones(text, to_second=False)


def nfd(text: str, qid: str) -> str:
    """Decomposed, as typed on a Mac or copied from some PDFs."""
    return unicodedata.normalize("NFD", text)


def lowercase(text: str, qid: str) -> str:
    """All lower case."""
    return text.lower()


def typo(text: str, qid: str) -> str:
    """One slip in one word of four or more letters, the same slip for the same qid on every run.

    The slip is an inner letter deleted, two adjacent letters swapped or a letter doubled:
    ``công tác dân vận`` → ``công tá dân vận`` or ``côgn tác dân vận``.
    """
    rng = random.Random(zlib.crc32(qid.encode("utf-8")))
    words = [m for m in _WORD.finditer(text) if len(m.group()) >= 4 and m.group().isalpha()]
    if not words:
        return text
    match = rng.choice(words)
    slip = rng.choice((_delete_letter, _swap_letters, _double_letter))
    return text[: match.start()] + slip(match.group(), rng) + text[match.end() :]


def _delete_letter(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1 :]


def _swap_letters(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _double_letter(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    return word[: at + 1] + word[at:]


def transposition(text: str, qid: str) -> str:
    """Two adjacent letters of one word of four or more letters swapped: ``thông`` → ``thôgn``."""
    return _slip(text, qid, "transposition", _swap_letters)


def deletion(text: str, qid: str) -> str:
    """One letter of one word of four or more letters missing: ``thông`` → ``thôg``."""
    return _slip(text, qid, "deletion", _drop_any_letter)


def _slip(text: str, qid: str, name: str, slip: Callable[[str, random.Random], str]) -> str:
    """One ``slip`` in one word, the same for the same qid on every run (seeded apart from
    ``typo`` so the forms do not all pick the same word)."""
    nfc = unicodedata.normalize("NFC", text)
    rng = random.Random(zlib.crc32(f"{name}:{qid}".encode()))
    words = [m for m in _WORD.finditer(nfc) if len(m.group()) >= 4 and m.group().isalpha()]
    if not words:
        return nfc
    match = rng.choice(words)
    return nfc[: match.start()] + slip(match.group(), rng) + nfc[match.end() :]


def _drop_any_letter(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    return word[:at] + word[at + 1 :]


# Raw keystrokes typed with the input method off. Telex: the letter keys after the vowel, the
# tone key at the end of the word (hooij nghij); VNI: the digits right after the vowel they mark
# (ho65i nghi5), as the examples type them.
_SHAPES = {"\u0302": ("6", None), "\u0306": ("8", "w"), "\u031b": ("7", "w")}
_TONE_KEYS = {
    "\u0301": ("1", "s"),  # sắc
    "\u0300": ("2", "f"),  # huyền
    "\u0309": ("3", "r"),  # hỏi
    "\u0303": ("4", "x"),  # ngã
    "\u0323": ("5", "j"),  # nặng
}


def telex(text: str, qid: str) -> str:
    """Every word as Telex keystrokes: ``Hội nghị tổng kết`` → ``Hooij nghij toongr keets``."""
    return _WORD.sub(
        lambda m: _keystrokes(m.group(), vni=False), unicodedata.normalize("NFC", text)
    )


def vni(text: str, qid: str) -> str:
    """Every word as VNI keystrokes: ``Hội nghị tổng kết`` → ``Ho65i nghi5 to63ng ke61t``."""
    return _WORD.sub(lambda m: _keystrokes(m.group(), vni=True), unicodedata.normalize("NFC", text))


def _keystrokes(word: str, vni: bool) -> str:
    keys, tone = [], ""
    for letter in _letters(unicodedata.normalize("NFD", word)):
        base, marks = letter[0], letter[1:]
        keys.append(base.translate(_D_KEYS) + _shape_keys(base, marks, vni))
        for mark in marks:
            if mark in _TONE_KEYS:
                tone = _TONE_KEYS[mark][0 if vni else 1]
                if vni:
                    keys[-1] += tone
    typed = "".join(keys) + ("" if vni else tone)
    return typed.upper() if word.isupper() and len(word) > 1 else typed


def _shape_keys(base: str, marks: str, vni: bool) -> str:
    """The keys that give a base letter its shape: ``â`` → ``a`` + ``a`` (Telex) or ``6`` (VNI)."""
    if base in "đĐ":
        return "9" if vni else "d"
    for mark in marks:
        if mark in _SHAPES:
            number, letter = _SHAPES[mark]
            return number if vni else (letter or base).lower()
    return ""


_D_KEYS = str.maketrans("đĐ", "dD")


FORMS: dict[str, QueryForm] = {
    "written": written,
    "no_accents": no_accents,
    "old_tone": old_tone,
    "new_tone": new_tone,
    "nfd": nfd,
    "lowercase": lowercase,
    "typo": typo,
    "transposition": transposition,
    "deletion": deletion,
    "telex": telex,
    "vni": vni,
}


def _move_tones(text: str, to_second: bool) -> str:
    # Words are found on NFC text because \w does not match combining marks.
    nfc = unicodedata.normalize("NFC", text)
    return _WORD.sub(lambda m: _move_tone(m.group(), to_second), nfc)


def _move_tone(word: str, to_second: bool) -> str:
    """Move the tone of a syllable ending in plain oa/oe/uy (not qu-y) between its two vowels."""
    letters = _letters(unicodedata.normalize("NFD", word))
    if len(letters) < 2 or not _ends_in_tone_pair(letters):
        return word
    source, target = (-2, -1) if to_second else (-1, -2)
    tone = [c for c in letters[source][1:] if c in _TONES]
    if not tone:
        return word
    letters[source] = "".join(c for c in letters[source] if c not in _TONES)
    letters[target] += tone[0]
    return unicodedata.normalize("NFC", "".join(letters))


def _letters(decomposed: str) -> list[str]:
    """Each base letter with the combining marks that follow it: ``hòa`` → ``h``, ``ò``, ``a``."""
    letters: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and letters:
            letters[-1] += char
        else:
            letters.append(char)
    return letters


def _ends_in_tone_pair(letters: list[str]) -> bool:
    first, second = letters[-2], letters[-1]
    bases = (first[0].lower(), second[0].lower())
    marks = first[1:] + second[1:]
    after_q = len(letters) > 2 and letters[-3][0].lower() == "q"
    return bases in _TONE_PAIRS and all(c in _TONES for c in marks) and not after_q
