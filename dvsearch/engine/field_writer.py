"""whoosh's field writer, fed a term at a time: the loop that turns a segment's sorted postings
into terms and blocks (``postings.PostingsWriter`` encodes the blocks).

whoosh's ``FieldWriter.add_postings`` called four methods for every posting and looked each
article's length up in the column file; this one hands the postings writer each term's
postings together, with the lengths read once per field. The bytes written are whoosh's loop's
(``tests/test_blocks.py`` holds them to that).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import Any

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3FieldWriter, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

from dvsearch.engine.terms import TermInfo


class FieldWriter(W3FieldWriter):  # type: ignore[misc]
    """whoosh's field writer, given article lengths from memory: it looks one up for every
    posting it writes (for block statistics), and reading each from the column file was a
    tenth of a build. Its term infos are dvsearch's (``terms.py``)."""

    def start_term(self, btext: bytes) -> None:
        """whoosh's, with dvsearch's term info (``terms.py``), which ``finish_term`` writes."""
        if self._postwriter is None:
            raise OutOfOrderError("a term started before its field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TermInfo())

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """whoosh's loop over the sorted ``(field, term, article, weight, value)`` postings,
        handing the postings writer a term at a time: whoosh called four methods for every
        posting, a tenth of a build. Rows for article -1 are whoosh's spelling words, which it
        skips too."""
        if isinstance(lengths, W3PerDocReader):
            lengths = _LengthsInMemory(lengths)
        lengths_of = lengths.lengths_of if isinstance(lengths, _LengthsInMemory) else None
        field_length = lengths.doc_field_length if lengths else _no_length
        last_field = None
        for fieldname, in_field in itertools.groupby(items, _FIELD):
            if last_field is not None and fieldname < last_field:
                raise OutOfOrderError(f"Field {last_field!r} .. {fieldname!r}")
            self.start_field(fieldname, schema[fieldname])
            last_term = None
            for term, rows in itertools.groupby(in_field, _TERM):
                if last_term and term < last_term:
                    raise OutOfOrderError(f"Term {fieldname}:{last_term!r} .. {fieldname}:{term!r}")
                _, _, ids, weights, values = zip(*rows, strict=True)
                if -1 in ids:
                    kept = [n for n, docnum in enumerate(ids) if docnum != -1]
                    ids, weights, values = (
                        tuple(c[n] for n in kept) for c in (ids, weights, values)
                    )
                if ids:
                    self.start_term(term)
                    if lengths_of is not None:
                        lengths_ = lengths_of(ids, fieldname)
                    else:
                        lengths_ = [field_length(docnum, fieldname) for docnum in ids]
                    self._postwriter.add_term(ids, weights, values, lengths_)
                    self.finish_term()
                    last_term = term
            self.finish_field()
            last_field = fieldname


_FIELD = operator.itemgetter(0)
_TERM = operator.itemgetter(1)


def _no_length(docnum: int, fieldname: str) -> int:
    return 0


class _LengthsInMemory:
    """``doc_field_length`` of a segment's per-article reader, each field's column read once."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self._field(fieldname)
        if lengths is None:
            return default
        return lengths[docnum] if docnum < len(lengths) else None

    def lengths_of(self, docnums: Sequence[int], fieldname: str) -> list[int | None]:
        """``doc_field_length`` of each article, in one call: a term's postings ask together."""
        lengths = self._field(fieldname)
        if lengths is None:
            return [0] * len(docnums)
        size = len(lengths)
        return [lengths[docnum] if docnum < size else None for docnum in docnums]

    def _field(self, fieldname: str) -> list[int | None] | None:
        if fieldname not in self._fields:
            self._fields[fieldname] = self._read(fieldname)
        return self._fields[fieldname]

    def _read(self, fieldname: str) -> list[int | None] | None:
        """Each article's length as whoosh's reader gives it (None for a zero byte), or None
        when the field has no length column."""
        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        raw = column._dbfile.get(column._basepos, column._count)
        return [byte_to_length(byte) if byte else None for byte in raw]
