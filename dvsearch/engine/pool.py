"""whoosh's pool of postings waiting to be sorted, and the writer's loop that fills it, leaner.

A writer adds every posting of every field to the pool (270,000 for 390 articles); whoosh's
``PostingPool.add`` checks types and adds up nine sizes for each, the most called method of
a build. This pool keeps the same size estimate (so it spills to disk at the same postings)
in one expression, and takes a field's postings in one call (``add_postings``).

whoosh's ``SegmentWriter.add_document`` pulled each posting out of a generator and called the
pool for it; ``LeanSegmentWriter`` hands the pool a field's postings together, and asks a
field without positions for its terms' counts directly (``term_counts``: dvsearch's compound
words) instead of through a token per word. The postings are whoosh's own (``tests/test_pool.py``
holds them to that).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.fields import FieldType
from whoosh.formats import Frequency
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

# whoosh's estimate of a posting tuple's bytes, less its three variable parts: the tuple,
# the field name, the term, the article number, the weight and the value as Python objects.
_FIXED_SIZE = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21

Posting = tuple[bytes, int, float, bytes | None]  # term, frequency, weight, value


class LeanPostingPool(PostingPool):  # type: ignore[misc]
    """``PostingPool`` whose ``add`` does whoosh's accounting without its asserts."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        value = item[4]
        self.currentsize += (
            _FIXED_SIZE + len(item[0]) + 2 * len(item[1]) + (len(value) if value else 0)
        )
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def add_postings(
        self, fieldname: str, docnum: int, postings: Iterable[Posting], boost: float
    ) -> int:
        """``add`` for each of an article's postings in one field, weights times ``boost``;
        returns the sum of their frequencies (the field's length, as whoosh counts it)."""
        self.fieldnames.add(fieldname)
        fixed = _FIXED_SIZE + len(fieldname)
        length = 0
        for term, frequency, weight, value in postings:
            length += frequency
            self.currentsize += fixed + 2 * len(term) + (len(value) if value else 0)
            if self.currentsize > self.limit:
                self.save()
            self.current.append((fieldname, term, docnum, weight * boost, value))
        return length


class LeanSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """whoosh's segment writer whose ``add_document`` gives the pool each field's postings at
    once. A schema with spelling or vector fields (dvsearch's has none) takes whoosh's way."""

    def add_document(self, **fields: Any) -> None:
        schema = self.schema
        if any(f.separate_spelling() or f.vector for _, f in schema.items()):
            super().add_document(**fields)
            return
        self._check_state()
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdoc = self.perdocwriter
        perdoc.start_doc(self.docnum)
        try:
            for fieldname in fieldnames:
                if fields[fieldname] is not None:
                    self._add_field(fields, fieldname, docboost)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field(self, fields: dict[str, Any], fieldname: str, docboost: float) -> None:
        """One field of the article being added, as whoosh's ``add_document`` adds it."""
        value = fields[fieldname]
        field = self.schema[fieldname]
        length = 0
        if field.indexed:
            boost = self._field_boost(fields, fieldname, docboost)
            length = self.pool.add_postings(fieldname, self.docnum, _postings(field, value), boost)
            if not field.scorable:
                length = 0
        stored = fields.get(f"_stored_{fieldname}", value)
        self.perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
        if field.column_type and stored is not None:
            column_value = field.to_column_value(stored)
            self.perdocwriter.add_column_value(fieldname, field.column_type, column_value)


def _postings(field: Any, value: Any) -> Iterable[Posting]:
    """What ``field.index(value)`` gives, without its generator or type checks for the
    fields dvsearch writes, and without tokens for a field whose analyzer counts its terms."""
    if type(field).index is not FieldType.index or not isinstance(value, str):
        postings: Iterable[Posting] = field.index(value)
        return postings
    format_ = field.format
    if type(format_) is Frequency:
        counts = _counts_without_tokens(value, field.analyzer)
        if counts is not None:
            boost = format_.field_boost
            return [
                (term.encode("utf-8"), count, float(count) * boost, pack_uint(count))
                for term, count in counts.items()
            ]
    shortcut = getattr(format_, "postings", None)  # dvsearch's positions (``postings.py``)
    if shortcut is not None:
        found: list[Posting] | None = shortcut(value, field.analyzer)
        if found is not None:
            return found
    words = format_.word_values(value, field.analyzer, mode="index")
    return [(term.encode("utf-8"), freq, weight, data) for term, freq, weight, data in words]


def _counts_without_tokens(value: str, analyzer: Any) -> dict[str, int] | None:
    """Term -> frequency from the analyzer's tokenizer directly, when it offers that for the
    analyzer's filters (``term_counts``), else None."""
    stages: Sequence[Any] = getattr(analyzer, "items", None) or [analyzer]
    shortcut = getattr(stages[0], "term_counts", None)
    if shortcut is None:
        return None
    counts: dict[str, int] | None = shortcut(value, stages[1:])
    return counts


def lean_writer(writer: Any) -> Any:
    """``writer`` (whoosh's ``SegmentWriter``, just made) as a ``LeanSegmentWriter`` with its
    empty pool swapped for a ``LeanPostingPool``."""
    if type(writer) is SegmentWriter:
        writer.__class__ = LeanSegmentWriter
    pool = writer.pool
    lean = LeanPostingPool.__new__(LeanPostingPool)
    lean.__dict__.update(pool.__dict__)
    writer.pool = lean
    return writer
