"""A posting block's head: what whoosh's matcher navigates by, in a few bytes, not a pickle.

whoosh reads a block's count, last id, maximum weight and the lengths of its shortest and
longest article before (or instead of) its postings: to skip to an article, to skip blocks by
quality, to find the next block. It pickled them, a 27-byte tuple a block that each block read
unpickled; a term of one block (most terms) repeated what its term info holds. The layout is in
``blocks.py``'s docstring.
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

from whoosh.util.numeric import byte_to_length, length_to_byte

from dvsearch.engine.blocks import ALL_WEIGHTS_ONE, HAS_VALUES, LAST, SIZES
from dvsearch.engine.varints import get_varint as _get
from dvsearch.engine.varints import put_varint as _put

REACH = 32  # bytes that always hold a head (its longest is 32)
_DOUBLE = struct.Struct("<d")  # a float32-weighted block's maximum weight, as whoosh has it
_FLAG_BITS = 0x3F
_ID_SHIFT = 6


class Head(NamedTuple):
    """A block's head; ``second`` is the bytes of its second part, -1 when the block is the
    term's last (its data runs to the end of the term's extent)."""

    postings: int
    flags: int
    widths: int  # id width code | weight width code << 2
    first_id: int
    last_id: int
    max_weight: float
    min_length: int  # as whoosh's length bytes give them back (``byte_to_length``)
    max_length: int
    second: int

    def first_size(self) -> int:
        """Bytes of the first part: the id gaps after the first id, then the weights."""
        size = (self.postings - 1) * SIZES[self.widths & 3]
        if not self.flags & ALL_WEIGHTS_ONE:
            size += self.postings * SIZES[self.widths >> 2]
        return size


def encode_head(head: Head, only: bool) -> bytes:
    """``head`` as bytes; ``only`` for a term's only block, whose statistics the term info
    holds."""
    flags = head.flags
    out = bytearray((flags | (head.widths & 3) << _ID_SHIFT,))
    if not flags & ALL_WEIGHTS_ONE:
        out.append(head.widths >> 2)
    fractional = head.widths >> 2 == 3
    if fractional:  # whoosh's maximum is a double; the term info's a float32
        out += _DOUBLE.pack(head.max_weight)
    if only:
        return bytes(out)
    _put(out, head.postings - 1)
    _put(out, head.first_id)
    _put(out, head.last_id - head.first_id)
    if not flags & ALL_WEIGHTS_ONE and not fractional:
        _put(out, int(head.max_weight))
    out += bytes((length_to_byte(head.min_length), length_to_byte(head.max_length)))
    if not flags & LAST and flags & HAS_VALUES:
        _put(out, head.second)
    return bytes(out)


def decode_head(raw: bytes, term: Any) -> tuple[Head, int]:
    """The head at the start of ``raw`` and its size; ``term`` is the term's info (whoosh's
    ``TermInfo``), for a term's only block, or None when the block is not the first."""
    first = raw[0]
    flags, widths = first & _FLAG_BITS, first >> _ID_SHIFT
    at, max_weight = 1, None
    if not flags & ALL_WEIGHTS_ONE:
        widths |= raw[1] << 2
        at = 2
        if widths >> 2 == 3:
            max_weight = _DOUBLE.unpack_from(raw, at)[0]
            at += _DOUBLE.size
    if term is not None and flags & LAST:
        if max_weight is None:
            max_weight = term._maxweight
        head = Head(
            term._df,
            flags,
            widths,
            term._minid,
            term._maxid,
            max_weight,
            term._minlength,
            term._maxlength,
            -1,
        )
        return head, at
    return _decode_rest(raw, at, flags, widths, max_weight)


def _decode_rest(
    raw: bytes, at: int, flags: int, widths: int, max_weight: float | None
) -> tuple[Head, int]:
    count, at = _get(raw, at)
    first_id, at = _get(raw, at)
    span, at = _get(raw, at)
    if max_weight is None:
        max_weight = 1.0
        if not flags & ALL_WEIGHTS_ONE:
            whole, at = _get(raw, at)
            max_weight = float(whole)
    min_length, max_length = byte_to_length(raw[at]), byte_to_length(raw[at + 1])
    at += 2
    second = -1
    if not flags & LAST:
        second = 0
        if flags & HAS_VALUES:
            second, at = _get(raw, at)
    head = Head(
        count + 1,
        flags,
        widths,
        first_id,
        first_id + span,
        max_weight,
        min_length,
        max_length,
        second,
    )
    return head, at
