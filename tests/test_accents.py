"""The accent bytes of an exact field: one code per position, told apart among the forms of
the same folded letters, anything else spelled out."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from dvsearch.engine.accents import ESCAPE, AccentMarks, accent_code, encode_marks
from dvsearch.vietnamese.syllables import syllables
from dvsearch.vietnamese.text import fold

_MODIFIED = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}
_TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"


def _spellings(folded: str) -> set[str]:
    """Every Vietnamese-looking way of writing ``folded``: each letter's modifiers, with no
    tone or one tone on any vowel (more than the language allows, never fewer)."""
    found = set()
    for letters in itertools.product(*(_MODIFIED.get(c, c) for c in folded)):
        bare = "".join(letters)
        found.add(bare)
        for i, letter in enumerate(bare):
            if fold(letter) in "aeiouy":
                for tone in _TONE_MARKS:
                    found.add(
                        unicodedata.normalize("NFC", bare[:i] + letter + tone + bare[i + 1 :])
                    )
    return found


@pytest.mark.parametrize(
    "folded", ["nguoi", "duong", "khuyen", "nghieng", "hoa", "do", "uy", "a", "y", "o", "dao"]
)
def test_the_spellings_of_one_folded_syllable_all_have_codes_and_none_shares_one(
    folded: str,
) -> None:
    spellings = _spellings(folded)
    codes = {accent_code(form) for form in spellings}
    assert (None in codes, len(codes), max(c for c in codes if c is not None) < ESCAPE) == (
        False,
        len(spellings),
        True,
    )


def test_letters_without_marks_code_zero_and_marks_no_code_describes_escape() -> None:
    """The tone's vowel is part of the code: *hoà* and *hòa* differ (the analyzer unifies
    them before; the code must not)."""
    forms = ["dan", "2024", "ubnd", "café", "naïve", "über", "ǎ", "hoà", "hòa"]
    assert [accent_code(form) for form in forms] == [0, 0, 0, 6, None, None, None, 7, 2]


def test_the_bytes_say_which_form_stands_at_each_position() -> None:
    text = "Tỉnh ủy naïve Đà Lạt, Ý kiến ở đây: tinh uy."
    forms = [s.exact for s in syllables(text)]
    marks = AccentMarks(encode_marks(forms))
    everything = sorted(set(forms) | {"tinh", "ùy", "dà", "naive", "y", "ý", "ơ"})
    held = {
        (p, form)
        for p, typed in enumerate([*forms, "a"])
        for form in everything
        if fold(form) == fold(typed) and marks.holds(p, form)
    }
    assert (marks.count, held) == (len(forms), set(enumerate(forms)))


def test_an_empty_field_has_no_bytes() -> None:
    assert (encode_marks([]), AccentMarks(b"").holds(0, "a")) == (b"", False)


def test_the_starts_of_a_pair_are_where_its_codes_follow_each_other() -> None:
    """By codes alone, so *dân vận* also starts where other letters bear the same accents
    (*dâm bận*: the caller checks the folded letters); a spelled-out form by its spelling."""
    text = "dân vận dâm bận dân vân naïve café naive café naïve cafe"
    marks = AccentMarks(encode_marks([s.exact for s in syllables(text)]))
    found = [marks.starts_of(pair) for pair in (["dân", "vận"], ["naïve", "café"], ["ở"])]
    assert found == [[0, 2], [6], []]
