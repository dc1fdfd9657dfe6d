"""whoosh analyzers for Vietnamese: syllable tokens with exact offsets, folding, compound words.

Three analyzers share one tokenizer:

- ``FOLDED``: accentless lowercase syllables, the base terms every query can reach
  (``Dân vận`` -> ``dan`` ``van``);
- ``EXACT``: lowercase syllables with their accents, so an accented query can prefer exact
  matches over folded ones (``Dân vận`` -> ``dân`` ``vận``);
- ``COMPOUND``: the words pyvi finds: a multi-syllable word folded and joined, plus the
  same word with its accents (``Ban Dân vận`` -> ``ban`` ``dan_van`` ``dân_vận``, the
  compound at position 1), a syllable pyvi leaves alone folded only. Used at index time
  only: queries look their adjacent syllables up in this field instead of running the
  segmenter, so a query never loads pyvi. The accented forms feed the vocabulary that
  restores accents to queries typed without them.

Offsets (``startchar``/``endchar``) always point into the caller's original text, even when
that text is NFD or uses old tone placement: highlighting relies on it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from dvsearch.engine.public import Filter, Token, Tokenizer
from dvsearch.vietnamese.syllables import (
    Places,
    TextParts,
    compound_term,
    exact_compound_term,
    folded_syllable,
    scan,
    term_places,
)

ANALYZER_VERSION = 7  # 7: the words field holds one-syllable words too


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
            for number, (text, original, start, end, breaks) in enumerate(scan(part)):
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

    def term_places(self, value: str, filters: Sequence[Any]) -> Places | None:
        """Each term this tokenizer followed by ``filters`` gives, with its positions, for a
        positions field (``engine/postings.py``); None when the filters are not dvsearch's
        folding or nothing, which only the token stream knows."""
        if not filters:
            return term_places(value)[0]
        if len(filters) == 1 and type(filters[0]) is FoldFilter:
            return term_places(value)[1]
        return None

    def term_counts(self, value: str, filters: Sequence[Any]) -> dict[str, int] | None:
        """Each term this tokenizer followed by ``filters`` gives, with how often, in the
        order whoosh's ``Frequency`` meets them, for a field without positions; None when
        the filters are not the compound words alone, which only the token stream knows."""
        if len(filters) == 1 and type(filters[0]) is CompoundFilter:
            return compound_counts(value)
        return None


class FoldFilter(_Stateless, Filter):  # type: ignore[misc]
    """Removes diacritics and maps đ to d: ``dân`` -> ``dan``, ``đảng`` -> ``dang``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = folded_syllable(token.text)
            yield token


class CompoundFilter(_Stateless, Filter):  # type: ignore[misc]
    """Replaces the syllable stream with the words pyvi finds in it.

    ``ban dân vận tỉnh ủy`` -> ``ban`` (pos 0) ``dan_van`` ``dân_vận`` (pos 1) ``tinh_uy``
    ``tỉnh_ủy`` (pos 3). Input must be lowercase: pyvi segments ``Công_Nghệ_Thông_Tin`` but
    ``công_nghệ thông_tin``, so lowercasing first makes headlines and queries agree.

    A syllable pyvi leaves alone is a word too, with its own document frequency: *định* in
    *ngày định tinh* is rarer than the syllable pooled over *quyết định*, *ổn định*… It is
    kept folded only, as queries look it up (its accented twin would double its postings for
    the vocabulary, which restores syllables from the exact fields).
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        from dvsearch.vietnamese.segmentation import segment

        tokens = iter(tokens)
        head = next(tokens, None)
        if head is None:
            return
        compound = head.copy()  # one token, reused for every compound yielded
        for run in _runs_between_breaks(itertools.chain([head], tokens)):
            for first, last in _words(run.texts, segment(run.texts)):
                if last - first == 1:  # most words: one syllable, folded only
                    yield run.place(compound, first, last, folded_syllable(run.texts[first]))
                    continue
                parts = run.texts[first:last]
                folded = compound_term(parts)
                yield run.place(compound, first, last, folded)
                accented = exact_compound_term(parts)
                if accented != folded:
                    yield run.place(compound, first, last, accented)


def compound_counts(value: str) -> dict[str, int]:
    """The ``COMPOUND`` analyzer's terms of a text with how often each comes, as its token
    stream gives them (a test holds it to that), without a token per syllable and word: the
    words field has more postings than the body, and its tokens were a tenth of a build.

    ``"Ban dân vận, ban"`` -> ``{"ban": 2, "dan_van": 1, "dân_vận": 1}``
    """
    from dvsearch.vietnamese.segmentation import segment

    counts: dict[str, int] = {}
    for texts in _syllable_runs(value):
        for first, last in _words(texts, segment(texts)):
            if last - first == 1:
                term = folded_syllable(texts[first])
                counts[term] = counts.get(term, 0) + 1
                continue
            parts = texts[first:last]
            folded = compound_term(parts)
            counts[folded] = counts.get(folded, 0) + 1
            accented = exact_compound_term(parts)
            if accented != folded:
                counts[accented] = counts.get(accented, 0) + 1
    return counts


def _syllable_runs(value: str) -> Iterator[list[str]]:
    """The lowercase syllables of a text between breaks, as ``SyllableTokenizer`` marks them
    (each part of ``TextParts`` starts a run)."""
    for part in value.parts if isinstance(value, TextParts) else (value,):
        run: list[str] = []
        for text, _, _, _, breaks in scan(part):
            if breaks and run:
                yield run
                run = []
            run.append(text.lower())
        if run:
            yield run


def _words(texts: list[str], compounds: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Every word of a run in order: pyvi's compounds and, between them, each syllable alone.

    ``["ban", "dân", "vận"]`` with ``[(1, 3)]`` -> ``(0, 1)`` ``(1, 3)``.
    """
    i = 0
    for first, last in compounds:
        yield from ((j, j + 1) for j in range(i, first))
        yield first, last
        i = last
    yield from ((j, j + 1) for j in range(i, len(texts)))


class _Run(NamedTuple):
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


# The tokenizer lowercases itself: whoosh's LowercaseFilter was one more generator step for
# every token of every field.
FOLDED = SyllableTokenizer() | FoldFilter()
EXACT = SyllableTokenizer()
COMPOUND = SyllableTokenizer() | CompoundFilter()
