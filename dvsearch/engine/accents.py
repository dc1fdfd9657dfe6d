"""Which accents each syllable of a field bears, one byte a position: the exact view of a text.

An exact field (``body_exact``…) once kept positions of its own, only so that an accented pair
(``"dân vận"``) could be matched as a phrase: a third of the index's bytes beside the text
(issue 17). Its folded twin holds the same syllables at the same positions (one tokenizer), so
the exact pair *dân vận* at ``p`` is the folded pair *dan van* at ``p`` whose syllables bear the
accents of *dân* and *vận*. This module writes, per article and field, one byte per position
saying which accents stand there (``encode_marks``), and reads it back (``AccentMarks``).

The byte is a function of the syllable alone (``accent_code``), not a rank among the forms an
archive holds: a rank by frequency changes as articles come and go, and whoosh merges copy each
article's bytes as they are, so a rank would go stale in every article not rewritten. Given
the folded letters, the code is one-to-one: a mixed-radix number of each letter's modifier
(*ă/â*, *ê*, *ô/ơ*, *ư*, *đ*) and of the tone with the vowel bearing it. ``nguoi`` has 96
codes, ``duong`` 132; forms with other marks, or past 254 codes, are written ``ESCAPE`` and
spelled out after the codes, so any token is told apart, not only Vietnamese syllables.

No whoosh and no numpy here: both engines read these bytes.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from dvsearch.vietnamese.text import fold

ESCAPE = 255  # the form is spelled out after the codes
_COUNT = struct.Struct("<I")  # positions in the field, before the codes
_SEPARATOR = "\x00"  # between spelled-out forms: a syllable never holds one
_TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_TONE_KINDS = len(_TONES)
# The marks each base letter may bear besides a tone, in code order (đ is a letter of its own).
_MODIFIERS = {
    "a": ("", "\u0306", "\u0302"),
    "e": ("", "\u0302"),
    "o": ("", "\u0302", "\u031b"),
    "u": ("", "\u031b"),
    "d": ("", "đ"),
}
_PLAIN = ("",)
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1 << 16)
def accent_code(exact: str) -> int | None:
    """The byte saying which accents ``exact`` bears over its folded letters, or None when it
    has marks no code describes (``ESCAPE``). ``dân`` -> 24: no tone (0) plus 6 tone codes
    (one vowel) times the modifiers, *d* plain (0, radix 2) and *â* (2 of *a*: 2 * 2 = 4);
    ``dan`` -> 0. Among the forms of the same folded letters, no two share a code."""
    folded = fold(exact)
    if len(folded) != len(exact):
        return None
    tone_codes = 1 + _TONE_KINDS * sum(letter in _VOWELS for letter in folded)
    modifiers, radix, tone, vowel = 0, 1, 0, 0
    for char, base in zip(exact, folded, strict=True):
        options = _MODIFIERS.get(base, _PLAIN)
        marks = _marks(char, base)
        if marks is None or marks[0] not in options:
            return None
        modifier, char_tone = marks
        if char_tone:
            if tone or base not in _VOWELS:
                return None
            tone = 1 + _TONE_KINDS * vowel + char_tone - 1
        modifiers += options.index(modifier) * radix
        radix *= len(options)
        vowel += base in _VOWELS
    code = tone + tone_codes * modifiers
    return code if code < ESCAPE else None


def _marks(char: str, base: str) -> tuple[str, int] | None:
    """``char``'s modifier marks and tone over its folded ``base`` (``ậ`` -> ``("\u0302", 5)``),
    or None when it has two tones or is not ``base`` with marks."""
    if char == base:
        return "", 0
    if char == "đ" and base == "d":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", char)
    if decomposed[0] != base:
        return None
    tones = [_TONES[mark] for mark in decomposed[1:] if mark in _TONES]
    if len(tones) > 1:
        return None
    modifier = "".join(mark for mark in decomposed[1:] if mark not in _TONES)
    return modifier, tones[0] if tones else 0


def encode_marks(forms: Sequence[str]) -> bytes:
    """The accents of a field's syllables, ``forms`` in position order (exact, lowercase):
    the count, a code per position, then each escaped form; empty for an empty field."""
    if not forms:
        return b""
    codes = bytearray()
    spelled: list[str] = []
    for form in forms:
        code = accent_code(form)
        if code is None:
            codes.append(ESCAPE)
            spelled.append(form)
        else:
            codes.append(code)
    return _COUNT.pack(len(forms)) + bytes(codes) + _SEPARATOR.join(spelled).encode("utf-8")


class AccentMarks:
    """One article's accent bytes for one field (``encode_marks``' output), asked position by
    position which exact form stands there."""

    def __init__(self, data: bytes) -> None:
        self.count = _COUNT.unpack_from(data)[0] if data else 0
        self.codes = bytes(data[_COUNT.size : _COUNT.size + self.count])
        self._tail = bytes(data[_COUNT.size + self.count :])
        self._spelled: list[str] | None = None

    def holds(self, position: int, exact: str) -> bool:
        """True when the syllable at ``position`` is ``exact`` (the caller knows its folded
        letters are ``exact``'s: the codes tell forms apart only among those)."""
        if not 0 <= position < self.count:
            return False
        code = accent_code(exact)
        if code is not None:
            return self.codes[position] == code
        return self.codes[position] == ESCAPE and self.spelled_at(position) == exact

    def starts_of(self, words: Sequence[str]) -> list[int]:
        """The positions from which the codes are those of ``words`` in turn (and the spelled
        forms theirs), ascending: where they may stand, their folded letters unchecked."""
        codes = [accent_code(word) for word in words]
        pattern = bytes(ESCAPE if code is None else code for code in codes)
        found = []
        at = self.codes.find(pattern)
        while at >= 0:
            spelled = (at + i for i, code in enumerate(codes) if code is None)
            if all(self.spelled_at(p) == words[p - at] for p in spelled):
                found.append(at)
            at = self.codes.find(pattern, at + 1)
        return found

    def spelled_at(self, position: int) -> str:
        """The escaped form at ``position`` (whose code is ``ESCAPE``)."""
        if self._spelled is None:
            self._spelled = self._tail.decode("utf-8").split(_SEPARATOR)
        return self._spelled[self.codes.count(ESCAPE, 0, position)]
