"""Syllables: the units every view of a Vietnamese text is made of, with exact offsets.

The index's analyzers (``dvsearch/analysis.py``), queries, abbreviations, the vocabulary and
the highlighter all cut text here, so what a query asks for and what gets highlighted are the
terms the index holds. Nothing here imports whoosh: a module that only needs syllables does not
pay for loading it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from dvsearch.vietnamese import text as text_forms

# A syllable is a run of letters and digits with any combining marks (NFD input); a number
# written with Vietnamese digit grouping or a decimal comma stays one token (1.635, 3,5).
_SYLLABLE = re.compile(r"\d+(?:[.,]\d+)+|(?:[^\W_]|[\u0300-\u036f])+")
_SYLLABLE_OR_GAP = re.compile(f"({_SYLLABLE.pattern})")  # split: gap, syllable, gap, …
_COMPOUND_JOINER = "_"


class TextParts(str):
    """Texts joined by line breaks that the syllable tokenizer scans one by one, with the same
    tokens as the joined text (a test holds it to that). A string to whoosh, which takes a
    tuple for words already split."""

    parts: tuple[str, ...]

    def __new__(cls, *parts: str) -> TextParts:
        joined = super().__new__(cls, "\n".join(parts))
        joined.parts = parts
        return joined


_Scanned = tuple[str, str, int, int, bool]  # normalised text, original, start, end, breaks


@lru_cache(maxsize=4)
def scan(value: str) -> tuple[_Scanned, ...]:
    """The syllables of a text, found once: the folded, exact and compound analyzers of a
    field all read the same body one after another. The text is split, gaps and syllables
    in turn, rather than matched: no match object per syllable (a fifth of scanning)."""
    found: list[_Scanned] = []
    pieces = iter(_SYLLABLE_OR_GAP.split(value))
    gap = next(pieces)
    end = 0
    for original, after in zip(pieces, pieces, strict=False):
        start = end + len(gap)
        end = start + len(original)
        # _breaks, inlined: a build scans every syllable of every article
        breaks = gap != " " and ((bool(found) and not gap.isspace()) or "\n" in gap)
        found.append((_normalized(original), original, start, end, breaks))
        gap = after
    return tuple(found)


Places = dict[str, list[int]]  # each term of a text with its positions, in text order


@lru_cache(maxsize=2)
def term_places(value: str) -> tuple[Places, Places]:
    """The exact and the folded terms of a text with their positions, as the ``EXACT`` and
    ``FOLDED`` analyzers' tokens give them (a test holds them to that), in one pass and without
    a token per syllable: indexing a body's two positional fields this way was a tenth of a
    build. Cached: the folded field and its exact twin index the same text one after another.

    ``"Dân dan"`` -> ``({"dân": [0], "dan": [1]}, {"dan": [0, 1]})``
    """
    exact: Places = {}
    folded: Places = {}
    pos = 0
    for part in value.parts if isinstance(value, TextParts) else (value,):
        for normalised, *_ in scan(part):
            exact_form, folded_form = _syllable_forms(normalised)
            if exact_form in exact:
                exact[exact_form].append(pos)
            else:
                exact[exact_form] = [pos]
            if folded_form in folded:
                folded[folded_form].append(pos)
            else:
                folded[folded_form] = [pos]
            pos += 1
    return exact, folded


def _breaks(gap: str, pos: int) -> bool:
    """Whether punctuation or a line break stands between a syllable and the one before."""
    return (pos > 0 and not gap.isspace()) or "\n" in gap


def compound_term(syllables: list[str]) -> str:
    """The folded term a compound word is ranked by: ``["dân", "vận"]`` -> ``dan_van``."""
    return _COMPOUND_JOINER.join(map(folded_syllable, syllables))


def exact_compound_term(syllables: list[str]) -> str:
    """The accented term a compound is also indexed under, for the vocabulary: ``dân_vận``."""
    return _COMPOUND_JOINER.join(syllables)


class Syllable(NamedTuple):
    """One syllable of a text: normalised lowercase, folded, and where it stands in the original."""

    exact: str
    folded: str
    start: int
    end: int
    breaks: bool

    @property
    def accented(self) -> bool:
        """True when the writer typed accents or đ on this syllable."""
        return self.exact != self.folded


def syllables(text: str) -> list[Syllable]:
    """The syllables of a text, analysed exactly as the index analyses documents (``EXACT``,
    which a test holds it to) without whoosh's per-token machinery: the highlighter runs it
    over every hit's body on every query.

    Queries and the highlighter both use this, so what a query asks for and what gets
    highlighted are the same terms the index holds.
    """
    return [
        Syllable(*_syllable_forms(normalised), start, end, breaks)
        for normalised, _, start, end, breaks in scan(text)
    ]


def syllables_among(text: str, folded: frozenset[str]) -> list[Syllable]:
    """``[s for s in syllables(text) if s.folded in folded]`` (a test holds it to that),
    without building the others: the highlighter wants a query's few syllables out of every
    sentence of every hit."""
    found = []
    previous_end = 0
    for pos, match in enumerate(_SYLLABLE.finditer(text)):
        exact, folded_form = _syllable_forms(_normalized(match.group()))
        if folded_form in folded:
            breaks = _breaks(text[previous_end : match.start()], pos)
            found.append(Syllable(exact, folded_form, match.start(), match.end(), breaks))
        previous_end = match.end()
    return found


@lru_cache(maxsize=1 << 16)
def _syllable_forms(normalised: str) -> tuple[str, str]:
    """``(exact, folded)`` of one normalised syllable; a text repeats its syllables a lot."""
    exact = normalised.lower()
    return exact, text_forms.fold(exact)


@lru_cache(maxsize=1 << 16)
def _normalized(raw: str) -> str:
    return text_forms.normalize(raw)


@lru_cache(maxsize=1 << 16)
def folded_syllable(syllable: str) -> str:
    return text_forms.fold(syllable)
