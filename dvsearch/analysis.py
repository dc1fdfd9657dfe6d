"""whoosh analyzers for Vietnamese: syllable tokens with exact offsets, folding, compound words.

Three analyzers share one tokenizer:

- ``FOLDED``: accentless lowercase syllables, the base terms every query can reach
  (``Dân vận`` -> ``dan`` ``van``);
- ``EXACT``: lowercase syllables with their accents, so an accented query can prefer exact
  matches over folded ones (``Dân vận`` -> ``dân`` ``vận``);
- ``COMPOUND``: only the multi-syllable words pyvi finds, folded and joined, plus the same
  word with its accents (``Ban Dân vận`` -> ``dan_van`` ``dân_vận``, both at position 1).
  Used at index time only: queries look their adjacent syllables up in this field instead of
  running the segmenter, so a query never loads pyvi. The accented forms feed the vocabulary
  that restores accents to queries typed without them.

Offsets (``startchar``/``endchar``) always point into the caller's original text, even when
that text is NFD or uses old tone placement: highlighting relies on it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dvsearch.engine.public import Filter, Token, Tokenizer
from dvsearch.vietnamese import text as vntext

ANALYZER_VERSION = 6  # 6: article metadata and chrome rules of issue 12

# A syllable is a run of letters and digits with any combining marks (NFD input); a number
# written with Vietnamese digit grouping or a decimal comma stays one token (1.635, 3,5).
_SYLLABLE = re.compile(r"\d+(?:[.,]\d+)+|(?:[^\W_]|[\u0300-\u036f])+")
_COMPOUND_JOINER = "_"


class _Stateless:
    """Stages without settings: equal when of the same class (whoosh compares the analyzers
    it unpickles from an index with the schema's), and hashable."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class SyllableTokenizer(_Stateless, Tokenizer):  # type: ignore[misc]
    """Splits text into normalised lowercase syllables with exact offsets.

    ``"Tỉnh uỷ 464-QĐ/TU"`` -> ``tỉnh`` ``ủy`` ``464`` ``qđ`` ``tu``. Each token also says
    whether punctuation or a line break separates it from the previous one (``breaks``), which
    segmentation and phrase logic use as a hard boundary.

    ``TextParts`` is scanned part by part: the ``words`` field gets title and body that way,
    and the body's scan is then the one the body fields already made, not a second one.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for index, part in enumerate(value.parts if isinstance(value, TextParts) else (value,)):
            for number, (text, original, start, end, breaks) in enumerate(_scan(part)):
                token.text = text.lower()
                token.original = original
                token.boost = 1.0
                token.stopped = False
                token.breaks = breaks or (index > 0 and number == 0)
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                pos += 1
                yield token
            start_char += len(part) + 1


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
def _scan(value: str) -> tuple[_Scanned, ...]:
    """The syllables of a text, found once: the folded, exact and compound analyzers of a
    field all read the same body one after another."""
    found = []
    previous_end = 0
    for pos, match in enumerate(_SYLLABLE.finditer(value)):
        breaks = _breaks(value[previous_end : match.start()], pos)
        original = match.group()
        found.append((_normalized(original), original, match.start(), match.end(), breaks))
        previous_end = match.end()
    return tuple(found)


def _breaks(gap: str, pos: int) -> bool:
    """Whether punctuation or a line break stands between a syllable and the one before."""
    return (pos > 0 and not gap.isspace()) or "\n" in gap


class FoldFilter(_Stateless, Filter):  # type: ignore[misc]
    """Removes diacritics and maps đ to d: ``dân`` -> ``dan``, ``đảng`` -> ``dang``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = _folded(token.text)
            yield token


class CompoundFilter(_Stateless, Filter):  # type: ignore[misc]
    """Replaces the syllable stream with the folded multi-syllable words pyvi finds in it.

    ``ban dân vận tỉnh ủy`` -> ``dan_van`` (pos 1) ``tinh_uy`` (pos 3). Input must be lowercase:
    pyvi segments ``Công_Nghệ_Thông_Tin`` but ``công_nghệ thông_tin``, so lowercasing first
    makes headlines and queries agree.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        from dvsearch.vietnamese.segmentation import segment

        tokens = iter(tokens)
        head = next(tokens, None)
        if head is None:
            return
        compound = head.copy()  # one token, reused for every compound yielded
        for run in _runs_between_breaks(itertools.chain([head], tokens)):
            for first, last in segment(run.texts):
                parts = run.texts[first:last]
                folded = compound_term(parts)
                yield run.place(compound, first, last, folded)
                accented = exact_compound_term(parts)
                if accented != folded:
                    yield run.place(compound, first, last, accented)


@dataclass
class _Run:
    """Syllables between two breaks: their texts and places, not copies of whoosh's tokens
    (copying every token was a twentieth of a build)."""

    texts: list[str]
    positions: list[int]
    starts: list[int]
    ends: list[int]

    def place(self, token: Token, first: int, last: int, text: str) -> Token:
        """``token`` as the compound of syllables ``first:last``, as whoosh reuses tokens."""
        token.text = text
        if self.positions:
            token.pos = self.positions[first]
        if self.starts:
            token.startchar = self.starts[first]
            token.endchar = self.ends[last - 1]
        return token


def _runs_between_breaks(tokens: Iterator[Token]) -> Iterator[_Run]:
    run: _Run | None = None
    for token in tokens:
        if run is None or (token.breaks and run.texts):
            if run is not None:
                yield run
            run = _Run([], [], [], [])
        run.texts.append(token.text)
        if token.positions:
            run.positions.append(token.pos)
        if token.chars:
            run.starts.append(token.startchar)
            run.ends.append(token.endchar)
    if run is not None and run.texts:
        yield run


def compound_term(syllables: list[str]) -> str:
    """The folded term a compound word is ranked by: ``["dân", "vận"]`` -> ``dan_van``."""
    return _COMPOUND_JOINER.join(vntext.fold(s) for s in syllables)


def exact_compound_term(syllables: list[str]) -> str:
    """The accented term a compound is also indexed under, for the vocabulary: ``dân_vận``."""
    return _COMPOUND_JOINER.join(syllables)


# The tokenizer lowercases itself: whoosh's LowercaseFilter was one more generator step for
# every token of every field.
FOLDED = SyllableTokenizer() | FoldFilter()
EXACT = SyllableTokenizer()
COMPOUND = SyllableTokenizer() | CompoundFilter()


@dataclass(frozen=True)
class Syllable:
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
        for normalised, _, start, end, breaks in _scan(text)
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
    return exact, vntext.fold(exact)


@lru_cache(maxsize=1 << 16)
def _normalized(raw: str) -> str:
    return vntext.normalize(raw)


@lru_cache(maxsize=1 << 16)
def _folded(syllable: str) -> str:
    return vntext.fold(syllable)
