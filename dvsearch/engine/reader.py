"""One open index as the interface in ``dvsearch.engine`` describes it: arrays, not matchers.

This is the only module that unwraps whoosh's readers for the array scorer: its leaf matchers
(block by block, and straight to a block by its file offset), its per-article length columns
and its deletion sets. What it hands on is plain numpy arrays indexed by article number across
all segments, so the scorer neither knows nor cares how whoosh lays out a segment.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import _length_byte_cache

from dvsearch.engine.accents import AccentMarks, accent_code
from dvsearch.engine.exact_pairs import AccentedText, accents_column

Scores = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Docnums = npt.NDArray[np.int64]

POSITION_BITS = 32  # an occurrence key is article << 32 | position
_LENGTH_OF_BYTE = np.array(_length_byte_cache, dtype=np.float64)
# Decoded positions kept between queries: phrase checks of one query read the same blocks
# pass after pass, and queries that share a word read them again. Cleared when over this.
_DECODED_BUDGET = 64 << 20
_FREQUENCIES_KEPT = 1 << 16  # terms whose article count is remembered
_Directory = tuple[int, Any, Docnums, list[int]]  # base, matcher, last ids, block offsets


@dataclass(frozen=True)
class Postings:
    """One term's postings across the index: article numbers and in-article frequencies."""

    docnums: Docnums
    weights: Scores


class IndexReader:
    """Postings, positions, lengths, live articles, statistics and stored fields of one open
    whoosh searcher; keep one per open index (it caches field lengths and decoded blocks)."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._leaves = [(leaf, int(base)) for leaf, base in self._reader.leaf_readers()]
        self.size = int(self._reader.doc_count_all())
        self.live = self._live_mask()
        self._lengths: dict[str, Scores] = {}
        # Decoded position blocks by term, then by (segment base, block number).
        self._decoded: dict[tuple[str, str], dict[tuple[int, int], tuple[Docnums, Docnums]]] = {}
        self._decoded_bytes = 0
        self._directories: dict[tuple[str, str], list[_Directory]] = {}
        self._frequencies: dict[tuple[str, str], int] = {}

    # -------------------------------------------------------------- statistics

    def doc_count(self) -> int:
        """Articles in the index, deleted ones included, as whoosh's idf counts them."""
        return self.size

    def doc_frequency(self, field: str, text: str) -> int:
        """How many articles hold a term (deleted ones included until a merge drops them);
        remembered, since whoosh looks it up in every segment's term table each time."""
        key = (field, text)
        known = self._frequencies.get(key)
        if known is None:
            if len(self._frequencies) >= _FREQUENCIES_KEPT:
                self._frequencies.clear()
            known = self._frequencies[key] = int(self._searcher.doc_frequency(field, text))
        return known

    def average_field_length(self, field: str) -> float:
        """The mean length of ``field`` over all articles (0 when unknown or empty)."""
        return float(self._searcher.avg_field_length(field) or 0.0)

    def terms(self, field: str) -> Iterator[str]:
        """Every term of ``field``, in order."""
        for term in self._reader.lexicon(field):
            yield term.decode("utf-8") if isinstance(term, bytes) else term

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        """What was stored for an article (its id, path, headline, body…)."""
        fields: dict[str, Any] = self._searcher.stored_fields(docnum)
        return fields

    # -------------------------------------------------------------- postings and positions

    def postings(self, field: str, text: str) -> Postings:
        """A term's postings, read afresh (callers cache what they reuse)."""
        docnums: list[Docnums] = []
        weights: list[Scores] = []
        for base, matcher in self._leaf_matchers(field, text):
            for ids, block_weights in _blocks(matcher):
                docnums.append(ids + base)
                weights.append(block_weights)
        if not docnums:
            return Postings(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        return Postings(np.concatenate(docnums), np.concatenate(weights))

    def positions(self, field: str, text: str, wanted: Mask) -> Docnums:
        """Where a term stands in the wanted articles, for phrases, as one key per occurrence:
        ``article << POSITION_BITS | position``, in ascending order. Only blocks holding a
        wanted article are read, and each is decoded once while it stays in the cache."""
        wanted_docs = np.flatnonzero(wanted)
        decoded = self._decoded.setdefault((field, text), {})
        keys: list[Docnums] = []
        for base, matcher, last_ids, starts in self._block_directory(field, text):
            inside = wanted_docs[(wanted_docs >= base) & (wanted_docs <= last_ids[-1])]
            for index in dict.fromkeys(np.searchsorted(last_ids, inside).tolist()):
                block = decoded.get((base, index))
                if block is None:
                    matcher._goto(starts[index])
                    block = decoded[(base, index)] = _occurrences(matcher, base)
                    self._decoded_bytes += block[0].nbytes + block[1].nbytes
                docs, block_keys = block
                keys.append(block_keys[wanted[docs]])
        return np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)

    def folded_twin(self, field: str) -> str | None:
        """The positional field whose positions stand for ``field``'s, when ``field`` keeps
        its accents as a column instead (``exact_pairs.AccentedText``), else None."""

        schema = self._searcher.schema
        found = schema[field] if field in schema.names() else None
        return found.folded_twin if isinstance(found, AccentedText) else None

    def accents_hold(self, field: str, words: Sequence[str], keys: Docnums) -> Mask:
        """For each occurrence key where the folded ``words`` stand side by side (the key of
        the first), whether the exact ``words`` stand there, by ``field``'s accents column,
        read for those articles alone."""
        docs, inverse = np.unique(keys >> POSITION_BITS, return_inverse=True)
        marks = [AccentMarks(value) for value in self._column_values(field, docs)]
        codes = np.frombuffer(b"".join(m.codes for m in marks), dtype=np.uint8)
        if not codes.size:
            return np.zeros(keys.size, dtype=bool)
        sizes = np.array([m.count for m in marks], dtype=np.int64)
        starts = (np.cumsum(sizes) - sizes)[inverse]
        positions = keys & ((1 << POSITION_BITS) - 1)
        held = np.ones(keys.size, dtype=bool)
        for offset, word in enumerate(words):
            at = positions + offset
            code = accent_code(word)
            if code is None:  # a form spelled out after the codes: rare, asked one by one
                pairs = zip(inverse.tolist(), at.tolist(), strict=True)
                held &= np.array([marks[d].holds(p, word) for d, p in pairs], dtype=bool)
                continue
            inside = at < sizes[inverse]
            held &= inside & (codes[np.where(inside, starts + at, 0)] == code)
        return held

    def _column_values(self, field: str, docnums: Docnums) -> list[bytes]:
        """A column's raw values for ascending article numbers (``b""`` where none)."""
        values: list[bytes] = []
        wanted = docnums.tolist()
        for leaf, base in self._leaves:
            count = leaf.doc_count_all()
            inside = [d - base for d in wanted if base <= d < base + count]
            if not inside:
                continue
            column = accents_column(leaf, field)
            values.extend(b"" if column is None else column[d] for d in inside)
        return values

    def trim_caches(self) -> None:
        """Forget decoded positions once they pass their budget; called between queries, so
        that one query never decodes a block twice."""
        if self._decoded_bytes > _DECODED_BUDGET:
            self._decoded.clear()
            self._directories.clear()
            self._decoded_bytes = 0

    def field_lengths(self, field: str) -> Scores:
        """Each article's length in ``field`` as whoosh stores it (one byte, log-scaled)."""
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = np.zeros(self.size, dtype=np.float64)
            for leaf, base in self._leaves:
                lengths[base : base + leaf.doc_count_all()] = _leaf_lengths(leaf, field)
            self._lengths[field] = lengths
        return lengths

    # -------------------------------------------------------------- whoosh's side

    def _leaf_matchers(self, field: str, text: str) -> Iterator[tuple[int, Any]]:
        """The raw per-segment matchers; deletions are applied through ``live`` instead."""
        if field not in self._searcher.schema:
            return
        encoded = self._searcher.schema[field].to_bytes(text)
        for leaf, base in self._leaves:
            try:  # one look-up in the segment's term table, not a test and then another
                matcher = leaf.postings(field, encoded)
            except TermNotFound:
                continue
            yield base, getattr(matcher, "child", matcher)

    def _block_directory(self, field: str, text: str) -> list[_Directory]:
        """Per segment holding the term: its matcher, and each block's last article and file
        offset, found by walking the blocks once; phrase checks then go straight to the
        blocks they need."""
        directory = self._directories.get((field, text))
        if directory is None:
            directory = []
            for base, matcher in self._leaf_matchers(field, text):
                last_ids, starts = [], []
                start = matcher._baseoffset
                while matcher.is_active():
                    last_ids.append(base + matcher.block_max_id())
                    starts.append(start)
                    start = matcher._nextoffset
                    matcher._next_block()
                if starts:
                    directory.append((base, matcher, np.array(last_ids, dtype=np.int64), starts))
            self._directories[(field, text)] = directory
        return directory

    def _live_mask(self) -> Mask:
        live = np.ones(self.size, dtype=bool)
        for leaf, base in self._leaves:
            if leaf.has_deletions():
                live[[base + d for d in leaf.deleted_docs_set]] = False
        return live


def _blocks(matcher: Any) -> Iterator[tuple[Docnums, Scores]]:
    """A posting list block by block (dvsearch's block format, postings.py): ids and weights."""
    while matcher.is_active():
        block = matcher.block()
        yield block.ids, block.weights
        matcher._next_block()


def _occurrences(matcher: Any, base: int) -> tuple[Docnums, Docnums]:
    """Every occurrence in the matcher's current block: its article, and its key
    ``article << POSITION_BITS | position``."""
    docs, positions = matcher.block(with_values=True).occurrences()
    docs = docs + base
    return docs, (docs << POSITION_BITS) | positions


def _leaf_lengths(leaf: Any, field: str) -> Scores:
    """One segment's lengths of ``field``, read from its column in one go (zeros without
    one: whoosh's reader of an index with no article has no columns at all)."""
    count = leaf.doc_count_all()
    lengths = np.zeros(count, dtype=np.float64)
    perdoc = getattr(leaf, "_perdoc", None)
    column = None if perdoc is None else perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return lengths
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored)
    lengths[:stored] = _LENGTH_OF_BYTE[np.frombuffer(raw, dtype=np.uint8)]
    return lengths
