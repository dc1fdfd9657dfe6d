"""Exact fields without positions: their accents as a column, their pairs matched through it.

An exact field (``body_exact``) keeps what its terms score with, article numbers and
frequencies, and no positions; what each position bears is its column, one byte per syllable
(``accents.py``), which whoosh writes with the article, merges with its segment and zlib-packs
per article. An accented pair is then matched where both exact terms are held, the folded pair
stands side by side in the twin field at ``p``, and the column says the exact forms stand at
``p`` and ``p + 1``: the articles the exact field's own positions found, by construction, and
the same score (whoosh scores a phrase as the AND of its terms, the exact terms here).

- ``AccentedText``: the exact field type, pickled into the schema (keep its import path);
- ``ExactPair``: whoosh's ``Phrase`` over such a field, for whoosh's matchers (the array
  scorer reads the same column through ``reader.py``);
- ``PairCheck``: whether one article of a whoosh reader holds the exact words side by side,
  for ``ExactPair``'s matcher and accent restoration's ``adjacent.py``.

No numpy here: the whoosh engine must not load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import matching
from whoosh.columns import CompressedBytesColumn
from whoosh.fields import TEXT
from whoosh.query import Phrase, Term
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.system import pack_uint
from whoosh.util import make_binary_tree

from dvsearch.engine.accents import AccentMarks, encode_marks
from dvsearch.vietnamese.syllables import folded_syllable, term_places

_LEVEL = 9  # zlib level of each article's accent bytes: written once, read for few articles


class AccentedText(TEXT):  # type: ignore[misc]
    """A text field of exact syllables, frequencies only, whose column holds each position's
    accents; ``folded_twin`` names the positional field of the same text, folded."""

    def __init__(self, analyzer: Any, folded_twin: str) -> None:
        super().__init__(analyzer=analyzer, phrase=False)
        self.column_type = CompressedBytesColumn(level=_LEVEL)
        self.folded_twin = folded_twin

    def __eq__(self, other: object) -> bool:
        same_twin = getattr(other, "folded_twin", None) == self.folded_twin
        return bool(super().__eq__(other)) and same_twin

    def index(self, value: Any, **kwargs: Any) -> Any:
        """whoosh's ``Frequency`` postings of the exact syllables, from the scan the folded
        twin made of the same text (``term_places``), without a token per syllable."""
        if not isinstance(value, str) or kwargs:
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        return [
            (term.encode("utf-8"), len(found), len(found) * boost, pack_uint(len(found)))
            for term, found in term_places(value)[0].items()
        ]

    def to_column_value(self, value: Any) -> bytes:
        """Each position's accents (``accents.encode_marks``)."""
        return encode_marks(exact_forms(value))

    def from_column_value(self, value: Any) -> Any:
        return value


def exact_forms(value: str) -> list[str]:
    """The exact syllables of a text in position order, as the exact analyzer indexes them."""
    places = term_places(value)[0]
    forms = [""] * sum(len(found) for found in places.values())
    for form, found in places.items():
        for position in found:
            forms[position] = form
    return forms


class ExactPair(Phrase):  # type: ignore[misc]
    """Exact words side by side: a ``Phrase`` the engine matches through the accents column
    when the field is an ``AccentedText`` (on a positional field, whoosh's phrase)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        schema = searcher.schema
        field = schema[self.fieldname] if self.fieldname in schema.names() else None
        if not isinstance(field, AccentedText) or len(self.words) < 2:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        terms = [Term(self.fieldname, word) for word in self.words]
        if not all((self.fieldname, field.to_bytes(word)) in reader for word in self.words):
            return matching.NullMatcher()
        check = PairCheck(reader, self.fieldname, field.folded_twin, self.words)
        found = _PairMatcher([term.matcher(searcher, context) for term in terms], check)
        return found if self.boost == 1.0 else matching.WrappingMatcher(found, boost=self.boost)


class _PairMatcher(SpanWrappingMatcher):  # type: ignore[misc]
    """Articles of the exact terms' intersection where ``check`` finds them side by side,
    scored as that intersection (as whoosh's ``SpanNear2`` scores a phrase)."""

    def __init__(self, matchers: Sequence[Any], check: PairCheck) -> None:
        self._matchers = list(matchers)
        self._check = check
        super().__init__(make_binary_tree(matching.IntersectionMatcher, self._matchers))

    def copy(self) -> _PairMatcher:
        return _PairMatcher([m.copy() for m in self._matchers], self._check)

    def _replacement(self, newchild: Any) -> Any:
        return self  # whoosh's span matchers do not replace themselves either

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self) -> list[Any]:
        start = self._check.first_start(self.id())
        return [] if start is None else [Span(start, start + len(self._check.words) - 1)]


class PairCheck:
    """Whether articles of a whoosh reader (a segment's or the whole index's, numbered as it
    numbers them) hold ``words`` side by side in an ``AccentedText`` field; ask in ascending
    article order, as matchers step (a step back starts the folded postings afresh)."""

    def __init__(self, reader: Any, field: str, folded_field: str, words: Sequence[str]) -> None:
        self.words = list(words)
        self._reader = reader
        self._field = field
        self._folded_field = folded_field
        self._folded = [folded_syllable(word) for word in self.words]
        self._matchers: list[Any] | None = None
        self._last = -1  # the article asked about last
        self._column: Any = None

    def __call__(self, docnum: int) -> bool:
        return self.first_start(docnum) is not None

    def first_start(self, docnum: int) -> int | None:
        """The first position where the words stand in article ``docnum``, or None. The
        accents are read first: a byte search of the article's codes, where the folded words'
        positions would be a posting list each to step and decode."""
        starts = AccentMarks(self._marks(docnum)).starts_of(self.words)
        if not starts:
            return None
        if self._matchers is None or docnum < self._last:
            self._matchers = [self._folded_matcher(word) for word in self._folded]
        self._last = docnum
        for i, matcher in enumerate(self._matchers):  # a word's positions only while needed
            at = set(self._positions(matcher, docnum))
            starts = [start for start in starts if start + i in at]
            if not starts:
                return None
        return starts[0]

    @staticmethod
    def _positions(matcher: Any, docnum: int) -> list[int]:
        """Where a folded word stands in the article (none if it is absent)."""
        if matcher is None or not matcher.is_active():
            return []
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            return []
        return list(matcher.value_as("positions"))

    def _folded_matcher(self, word: str) -> Any:
        encoded = self._reader.schema[self._folded_field].to_bytes(word)
        if (self._folded_field, encoded) not in self._reader:
            return None
        return self._reader.postings(self._folded_field, encoded)

    def _marks(self, docnum: int) -> bytes:
        if self._column is None:
            self._column = accents_column(self._reader, self._field)
        value: bytes = self._column[docnum] if self._column is not None else b""
        return value


def accents_column(reader: Any, field: str) -> Any:
    """The accents column of ``field`` in a whoosh reader, or None when it has none. A
    segment's is the one its per-article reader opened with the index: whoosh's
    ``column_reader`` makes a new one each time, summing every article's length in Python."""
    if not reader.has_column(field):
        return None
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None:
        return perdoc._cached_reader(field, reader.schema[field].column_type)
    return reader.column_reader(field, translate=False)
