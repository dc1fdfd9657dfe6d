"""Raw Telex and VNI keystrokes, typed with the input method off, read as the syllables meant.

A user whose keyboard is in the wrong mode types ``hooij nghij`` (Telex) or ``ho65i nghi5``
(VNI) for *hội nghị*. Each word decodes on its own to one candidate syllable, or to None when it
holds no keystrokes or does not decode to a valid Vietnamese syllable: ``ke``, ``2024`` and
``café`` stay None. Whether a decoded query is more plausible than what was typed is for the
index's vocabulary to judge (``dvsearch/search/vocabulary.py``); nothing here knows an index.

>>> decode_telex("hooij"), decode_vni("ho65i")
('hội', 'hội')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dvsearch.vietnamese.text import normalize

_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_VOWELS = frozenset("aeiouy")
_TELEX_TONES = {"s": _ACUTE, "f": _GRAVE, "r": _HOOK, "x": _TILDE, "j": _DOT, "z": ""}
_VNI_TONES = {"1": _ACUTE, "2": _GRAVE, "3": _HOOK, "4": _TILDE, "5": _DOT, "0": ""}
_VNI_SHAPES = {"6": (_CIRCUMFLEX, "aeo"), "7": (_HORN, "ou"), "8": (_BREVE, "a")}
_TELEX_DOUBLES = {"a": _CIRCUMFLEX, "e": _CIRCUMFLEX, "o": _CIRCUMFLEX}
_HORNED = {"a": _BREVE, "o": _HORN, "u": _HORN}
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_MAX_WORD = 12  # longer than any syllable's keystrokes: not worth decoding

# A letter being decoded: its base and the shape mark (circumflex, breve, horn) it took, or đ.
_Letter = list[str]


def decode_telex(word: str) -> str | None:
    """The syllable a word of Telex keystrokes spells: ``toongr`` -> ``tổng``, ``DDaij`` ->
    ``Đại``; None when the word has no Telex keys or they do not make a syllable."""
    if not (word.isascii() and word.isalpha()) or len(word) > _MAX_WORD:
        return None
    return _with_case(_telex(word.lower()), word)


def decode_vni(word: str) -> str | None:
    """The syllable a word of VNI keystrokes spells: ``ke61t`` -> ``kết``, ``d9i`` -> ``đi``;
    None without letters and digits, or when the digits do not make a syllable (``2024``)."""
    if not (word.isascii() and word.isalnum()) or len(word) > _MAX_WORD:
        return None
    if not word[0].isalpha() or word.isalpha():
        return None
    return _with_case(_vni(word.lower()), word)


def holds_keystrokes(text: str) -> bool:
    """True when some word of ``text`` decodes as Telex or VNI keystrokes: only then is the
    index's vocabulary worth loading to judge whether the query was typed so."""
    words = _ASCII_WORD.findall(text)
    return any(decode_telex(w) or decode_vni(w) for w in words)


@lru_cache(maxsize=4096)
def _telex(word: str) -> str | None:
    letters: list[_Letter] = []
    tone: str | None = None
    keyed = False
    for char in word:
        if char in _TELEX_TONES and any(base in _VOWELS for base, _ in letters):
            if tone is not None:
                return None  # a tone key twice (ss) types the letter itself: a real word
            tone, keyed = _TELEX_TONES[char], True
        elif _telex_shape(letters, char):
            keyed = True
        else:
            letters.append([char, ""])
    return _composed(letters, tone or "") if keyed else None


def _telex_shape(letters: list[_Letter], char: str) -> bool:
    """Apply ``char`` as a Telex shape key to the letters so far; False when it is a letter."""
    last = letters[-1] if letters else None
    if char == "d" and last == ["d", ""] and len(letters) == 1:
        last[1] = "đ"
        return True
    # Up to three vowels: the ê of uyê (nguyeenx: Nguyễn, thuyeets: thuyết) is the third.
    if char in _TELEX_DOUBLES and last == [char, ""] and _vowel_run(letters) <= 3:
        last[1] = _TELEX_DOUBLES[char]
        return True
    if char != "w":
        return False
    horned = [letter for letter in letters[-2:] if letter[0] in _HORNED and not letter[1]]
    if horned and letters[-1] in horned:
        if [letter[0] for letter in letters[-2:]] == ["u", "o"]:
            horned = letters[-2:]  # uow: ươ
        for letter in horned[-2:]:
            letter[1] = _HORNED[letter[0]]
        return True
    if horned or (letters and letters[-1][0] in _VOWELS):
        return False
    letters.append(["u", _HORN])  # w alone: ư
    return True


def _vowel_run(letters: list[_Letter]) -> int:
    run = 0
    for base, _ in reversed(letters):
        if base not in _VOWELS:
            break
        run += 1
    return run


@lru_cache(maxsize=4096)
def _vni(word: str) -> str | None:
    letters: list[_Letter] = []
    tone: str | None = None
    for char in word:
        if char.isalpha():
            letters.append([char, ""])
        elif char in _VNI_TONES and any(base in _VOWELS for base, _ in letters):
            if tone is not None:
                return None
            tone = _VNI_TONES[char]
        elif not _vni_shape(letters, char):
            return None  # a digit that marks nothing: a number or a code, not keystrokes
    return _composed(letters, tone or "")


def _vni_shape(letters: list[_Letter], digit: str) -> bool:
    if digit == "9":
        first = letters[0] if letters else None
        if first != ["d", ""]:
            return False
        first[1] = "đ"
        return True
    if digit not in _VNI_SHAPES:
        return False
    mark, bases = _VNI_SHAPES[digit]
    target = [letter for letter in letters if letter[0] in bases and not letter[1]]
    if not target:
        return False
    last = target[-1]
    if mark == _HORN and [letter[0] for letter in letters[-2:]] == ["u", "o"]:
        letters[-2][1] = _HORN  # uo7: ươ
    last[1] = mark
    return True


def _composed(letters: list[_Letter], tone: str) -> str | None:
    """The letters with their shapes and the tone on the vowel that bears it, if they make a
    Vietnamese syllable."""
    spelled = [
        ("đ" if mark == "đ" else unicodedata.normalize("NFC", base + mark))
        for base, mark in letters
    ]
    at = _tone_position(letters)
    if tone and at is None:
        return None
    if tone and at is not None:
        spelled[at] = unicodedata.normalize("NFC", spelled[at] + tone)
    syllable = normalize("".join(spelled))
    # Imported here: the legacy tables cost a query that holds no keystrokes its start-up.
    from dvsearch.vietnamese.legacy import is_vietnamese_syllable

    return syllable if is_vietnamese_syllable(syllable) else None


def _tone_position(letters: list[_Letter]) -> int | None:
    """Which letter carries the tone: a shaped vowel (ơ of ươ), else the last vowel before a
    final consonant, else the first of two open vowels or the middle of three."""
    vowels = [i for i, (base, _) in enumerate(letters) if base in _VOWELS]
    if (vowels[:1] == [1] and letters[0][0] == "q") or _gi_onset(letters, vowels):
        vowels = vowels[1:]
    if not vowels:
        return None
    shaped = [i for i in vowels if letters[i][1]]
    if shaped:
        return shaped[-1]
    if vowels[-1] + 1 < len(letters):
        return vowels[-1]
    return vowels[len(vowels) // 2] if len(vowels) == 3 else vowels[0]


def _gi_onset(letters: list[_Letter], vowels: list[int]) -> bool:
    """``gi`` followed by another vowel: the i belongs to the onset (già, giờ)."""
    return len(vowels) > 1 and vowels[:1] == [1] and letters[0][0] == "g" and letters[1][0] == "i"


def _with_case(decoded: str | None, typed: str) -> str | None:
    if decoded is None:
        return None
    if typed.isupper() and len(typed) > 1:
        return decoded.upper()
    if typed[:1].isupper():
        return decoded[:1].upper() + decoded[1:]
    return decoded
