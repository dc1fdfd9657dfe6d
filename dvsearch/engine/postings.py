"""dvsearch's posting blocks on disk: whoosh's W3 layout, with data numpy reads without pickle.

whoosh pickles each block of up to 128 postings, and each posting's positions again inside it.
A query over 38,000 articles spent a third of its time unpickling and decompressing them: every
block it read became a tuple of Python ints and one bytes object per article. Here a block's
data is flat little-endian arrays in two parts: the first, ids and weights in the narrowest
integer type that holds them, is stored as it is, so scoring a term decompresses nothing (the
index is 6% larger than with it compressed); the second, positions, is zlib-compressed and
only read for phrase checks.

What whoosh reads to navigate (count, last id, maximum weight, article lengths) is in a head
of a few bytes before each block (``heads.py``; whoosh pickled it), and the matcher below
gives whoosh's own view of a block from the arrays (``decoding.py``), so whoosh's matchers,
its segment merges and the reference engine in ``Searcher(engine="whoosh")`` all read the
same files.

Block data, after the head (``blocks.py`` describes the whole layout):

- part one: id gaps after the first id (which the head holds), then weights unless every
  weight is 1; the head gives each one's type (uint8, uint16 or uint32; weights may also be
  float32);
- part two, for fields with values: for positions, each posting's position count (uint32) and
  then every position gap (uint16 when all fit, else uint32); for fixed-size values, the values
  end to end, unless they are the weights again: a field without positions (``Frequency``,
  the compound words) stores each posting's frequency as a value beside a weight equal to it,
  a sixth of that field's postings, so such a block stores none and rebuilds them.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions, tokens

from dvsearch.engine import blocks, heads
from dvsearch.engine.decoding import Block, PlainBlock
from dvsearch.engine.field_writer import FieldWriter
from dvsearch.engine.heads import Head
from dvsearch.engine.terms import TermsReader

_LAST = blocks.LAST
_little_endian = blocks.little_endian
Posting = tuple[bytes, int, float, bytes]  # a posting as a writer adds it, less the article


def _to_bytes(positions: array[int]) -> bytes:
    """``CompactPositions.encode`` of positions already in an array."""
    return _little_endian(positions).tobytes()


class CompactPositions(Positions):  # type: ignore[misc]
    """whoosh's ``Positions`` with each posting's value as uint32 positions, not a pickle of
    their gaps: one C call to write and to read. The blocks store gaps (see ``encode_block``).
    """

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        """whoosh's, less the per-token boosts: dvsearch's tokens all weigh 1."""
        places = _places_without_tokens(value, analyzer, kwargs)
        if places is None:
            places = defaultdict(list)
            kwargs["positions"] = True
            for token in tokens(value, analyzer, kwargs):
                places[token.text].append(token.pos)
        boost = self.field_boost
        for word, positions in places.items():
            yield word, len(positions), len(positions) * boost, self.encode(positions)

    def postings(self, value: Any, analyzer: Any) -> list[Posting] | None:
        """``word_values`` as the writer's postings, each term as UTF-8, in one list and
        without a generator step or an ``encode`` call per term (a body has 500 terms); None
        when the analyzer offers no shortcut, for whoosh's token stream to give them."""
        places = _places_without_tokens(value, analyzer, {})
        if places is None:
            return None
        boost = self.field_boost
        return [
            (term.encode("utf-8"), len(found), len(found) * boost, _to_bytes(array("I", found)))
            for term, found in places.items()
        ]

    def encode(self, poslist: list[int]) -> bytes:
        return _little_endian(array("I", poslist)).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I")
        positions.frombytes(valuestring)
        return _little_endian(positions).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return float(self.decode_frequency(valuestring) * self.field_boost)


def _places_without_tokens(
    value: Any, analyzer: Any, kwargs: dict[str, Any]
) -> dict[str, list[int]] | None:
    """Term -> positions from the analyzer's tokenizer directly, when it offers that for the
    analyzer's filters (``term_places``: dvsearch's syllables), else None."""
    stages = getattr(analyzer, "items", None) or [analyzer]
    shortcut = getattr(stages[0], "term_places", None)
    if shortcut is None or not isinstance(value, str) or set(kwargs) - {"mode"}:
        return None
    places: dict[str, list[int]] | None = shortcut(value, stages[1:])
    return places


class Codec(W3Codec):  # type: ignore[misc]
    """whoosh's W3 codec with dvsearch's posting blocks and term infos (``terms.py``); every
    other file is whoosh's own."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return FieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        """whoosh's, reading dvsearch's term infos (``terms.py``)."""
        name = segment.make_filename(self.TERMS_EXT)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return TermsReader(self, storage.open_file(name), storage.file_length(name), postfile)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors, which dvsearch does not store
            return super().postings_writer(dbfile, byteids)
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, terminfo, term=term, scorer=scorer)


class PostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Writes blocks as flat arrays behind a head of a few bytes (``heads.py``), and no
    magic number before a term's first block: whoosh's readers never see these files."""

    def add_term(
        self,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[Any],
        lengths: Sequence[int | None],
    ) -> None:
        """A term's postings, as ``add_posting`` for each would add them: blocks of
        ``blocklimit``, each written when the next posting comes, the last one left for
        ``finish_postings``."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            end = start + limit
            self._fill_block(ids[start:end], weights[start:end], values[start:end])
            known = [length for length in lengths[start:end] if length]
            self._minlength = min(known) if known else None
            self._maxlength = max(known) if known else 0

    def _fill_block(
        self, ids: Sequence[int], weights: Sequence[float], values: Sequence[Any]
    ) -> None:
        self._ids = array("I", ids)
        self._weights = array("f", weights)
        self._values = [value for value in values if value]
        heaviest = max(weights)
        self._maxweight = heaviest if heaviest > 0 else 0  # whoosh's starts at 0

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        ids = self._ids
        positions = isinstance(self._format, CompactPositions)
        flags, widths, first, second = blocks.encode_block(
            ids, self._weights, self._values, self._format, self._compression, positions
        )
        head = Head(
            len(ids),
            flags | _LAST if last else flags,
            widths,
            ids[0],
            ids[-1],
            self._maxweight,
            self._minlength or 0,
            self._maxlength,
            len(second),
        )
        only = last and not self._blockcount
        # One write, not three: a build writes a block for nearly every term.
        self._postfile.write(heads.encode_head(head, only) + first + second)
        self._blockcount += 1
        self._new_block()


class LeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Reads dvsearch's blocks: as numpy arrays for dvsearch's scorer (``block``), and with
    the standard library for whoosh's own matcher methods (``PlainBlock``), so that whoosh's
    engine never imports numpy. ``terminfo`` gives the statistics of a term's only block."""

    def __init__(
        self,
        postfile: Any,
        startoffset: int,
        length: int,
        format_: Any,
        terminfo: Any,
        term: Any = None,
        scorer: Any = None,
    ) -> None:
        """whoosh's, less its magic-number check (a term's first block starts its extent)
        and its ``reset``: opening a matcher for every query word is on the query path."""
        self._postfile = postfile
        self._startoffset = self._baseoffset = startoffset
        self._length = length
        self.format = format_
        self._term = term
        self._byteids = None
        self.scorer = scorer
        self._fixedsize = format_.fixed_value_size()
        self._positions = isinstance(format_, CompactPositions)
        self._terminfo = terminfo
        self._lastblock = self._atend = False
        self._goto(startoffset)

    def reset(self) -> None:
        self._lastblock = self._atend = False
        self._goto(self._baseoffset)

    def _goto(self, position: int) -> None:
        """Read the head of the block at ``position``; its postings wait until asked for."""
        self._data: Any = None
        self._ids: Any = None
        self._weights: Any = None
        self._values: Any = None
        self._i = 0
        self._arrays: Block | None = None
        self._plain: PlainBlock | None = None
        raw: bytes = self._postfile.get(position, heads.REACH)
        term = self._terminfo if position == self._baseoffset else None
        head, size = heads.decode_head(raw, term)
        self._head = head
        self._blocklength = head.postings
        self._maxid = head.last_id
        self._maxweight = head.max_weight
        self._minlength = head.min_length
        self._maxlength = head.max_length
        self._dataoffset = start = position + size
        self._lastblock = last = bool(head.flags & _LAST)
        if last:
            self._nextoffset = self._startoffset + self._length
        else:
            self._nextoffset = start + head.first_size() + head.second
        end = self._nextoffset - position
        self._head_raw = raw[size:end] if end <= len(raw) else None

    def _raw(self) -> bytes:
        if self._head_raw is not None:  # a small block: read with its head
            return self._head_raw
        data: bytes = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        return data

    def block(self, with_values: bool = False) -> Block:
        """The current block, its second part decompressed only when asked for."""
        if self._arrays is None:
            self._arrays = Block(self._head, self._raw(), self._positions)
        if with_values:
            self._arrays.read_values()
        return self._arrays

    def _plain_block(self) -> PlainBlock:
        if self._plain is None:
            self._plain = PlainBlock(self._head, self._raw(), self._positions)
        return self._plain

    def _read_ids(self) -> None:
        self._ids = self._plain_block().ids

    def _read_weights(self) -> None:
        self._weights = self._plain_block().weights

    def _read_values(self) -> None:
        self._values = self._plain_block().values()


def encode_block(
    ids: array[int], weights: array[float], values: list[bytes], format_: Any, level: int
) -> tuple[Head, bytes]:
    """One block as the head that a term's last block gets and its data (see the module
    docstring and ``blocks.py``); ``PostingsWriter`` writes them."""
    positions = isinstance(format_, CompactPositions)
    flags, widths, first, second = blocks.encode_block(
        ids, weights, values, format_, level, positions
    )
    heaviest = max(weights, default=0.0)
    head = Head(len(ids), flags | _LAST, widths, ids[0], ids[-1], heaviest, 0, 0, len(second))
    return head, first + second
