"""Term infos of a few bytes in whoosh's term dictionary, instead of its fixed 37.

whoosh's W3 codec gives each term of the dictionary (``.trm``) a struct of eight numbers, four
of them 32-bit (total weight, document frequency, maximum weight, first and last article), and
a 64-bit offset and 32-bit length into the postings file: 37 bytes for a term that, in most
cases, is in one article of a few thousand. Here they are varints, in this order:

- a flags byte: ``COMPACT`` (always; whoosh's own entries start with 0 or 1), and
  ``FRACTIONAL`` when a weight is not a whole number that float32 holds;
- document frequency, first article, last article less the first, offset, length;
- total weight and maximum weight: varints, or float32 when ``FRACTIONAL`` (whoosh stores
  both as float32, so either way they read back as whoosh's did);
- the shortest and longest article as whoosh's length bytes.

Postings inlined in the dictionary (whoosh's ``inlinelimit``; dvsearch's codec never inlines)
and a term without postings keep whoosh's own entry, which ``from_bytes`` still reads.
"""

from __future__ import annotations

import struct
from typing import Any

from whoosh.codec.whoosh3 import W3FieldCursor, W3TermInfo, W3TermsReader
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

from dvsearch.engine.varints import get_varint, put_varint

COMPACT = 2
FRACTIONAL = 4
_FLOAT = struct.Struct("<f")
_WHOLE_LIMIT = 1 << 24  # whole numbers up to here are exact in float32


class TermInfo(W3TermInfo):  # type: ignore[misc]
    """whoosh's term info, written in a few bytes (see the module docstring)."""

    def to_bytes(self) -> bytes:
        if self.is_inlined() or self._minid is None:
            data: bytes = super().to_bytes()
            return data
        fractional = not (_whole(self._weight) and _whole(self._maxweight))
        out = bytearray((COMPACT | (FRACTIONAL if fractional else 0),))
        for number in (
            self._df,
            self._minid,
            self._maxid - self._minid,
            self._offset,
            self._length,
        ):
            put_varint(out, number)
        if fractional:
            out += _FLOAT.pack(self._weight) + _FLOAT.pack(self._maxweight)
        else:
            put_varint(out, int(self._weight))
            put_varint(out, int(self._maxweight))
        minlength = 0 if self._minlength is None else length_to_byte(self._minlength)
        out += bytes((minlength, length_to_byte(self._maxlength)))
        return bytes(out)

    @classmethod
    def from_bytes(cls, data: bytes) -> Any:
        """A term info from ``to_bytes``, or from whoosh's own ``W3TermInfo.to_bytes``."""
        flags = data[0]
        if not flags & COMPACT:
            return _whooshs(data)
        info = cls()
        info._df, at = get_varint(data, 1)
        info._minid, at = get_varint(data, at)
        span, at = get_varint(data, at)
        info._maxid = info._minid + span
        info._offset, at = get_varint(data, at)
        info._length, at = get_varint(data, at)
        if flags & FRACTIONAL:
            info._weight, info._maxweight = struct.unpack_from("<ff", data, at)
            at += 8
        else:
            weight, at = get_varint(data, at)
            maxweight, at = get_varint(data, at)
            info._weight, info._maxweight = float(weight), float(maxweight)
        info._minlength = byte_to_length(data[at])
        info._maxlength = byte_to_length(data[at + 1])
        return info


def _whole(number: float) -> bool:
    """True when ``number`` reads back from a varint as whoosh's float32 of it."""
    return float(number).is_integer() and 0 <= number < _WHOLE_LIMIT


def _whooshs(data: bytes) -> Any:
    """whoosh's own entry, its postings length unpacked (whoosh leaves it a 1-tuple)."""
    info = W3TermInfo.from_bytes(data)
    if isinstance(info._length, tuple):
        (info._length,) = info._length
    return info


class FieldCursor(W3FieldCursor):  # type: ignore[misc]
    """whoosh's cursor over a field's terms, reading dvsearch's term infos."""

    def term_info(self) -> Any:
        if self._pos is None:
            return None
        return TermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class TermsReader(W3TermsReader):  # type: ignore[misc]
    """whoosh's reader of the term dictionary, reading dvsearch's term infos: whoosh's
    methods name ``W3TermInfo`` and read its fixed offsets, so each one that decodes an
    entry is here again."""

    def cursor(self, fieldname: str, fieldobj: Any) -> Any:
        return FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self) -> Any:
        decode = self._keydecoder
        return ((decode(k), TermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        decode = self._keydecoder
        found = self._tindex.items_from(self._keycoder(fieldname, prefix))
        return ((decode(k), TermInfo.from_bytes(v)) for k, v in found)

    def term_info(self, fieldname: str, tbytes: bytes) -> Any:
        try:
            return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        """The term's total weight; KeyError when absent, as whoosh's reader expects."""
        weight: float = TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])._weight
        return weight

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        """The term's article count; KeyError when absent, as whoosh's reader expects."""
        data = self._tindex[self._keycoder(fieldname, tbytes)]
        if not data[0] & COMPACT:
            count: int = _whooshs(data)._df
            return count
        return get_varint(data, 1)[0]
