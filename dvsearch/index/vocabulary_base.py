"""The counts behind a stored vocabulary table, in one binary file an update reads a few keys of.

The table (``vocabulary.json``) lists each folded key's accented forms, keys most frequent
first. An update must know the document counts of the keys its segments touch and where a
recounted key now falls in that order; reading the whole table and its counts as JSON, and
writing them again, was most of a one-article update at 37,773 articles (0.4-0.6 s). This file
(``vocabulary-index.bin``) holds, for each kind, per key in the table's order: its total (what
orders it), its name and its counts, plus the keys' order by name, all as arrays: a key is found
by bisection by name, a recounted key's place by bisection over (total, name), each in a few
dozen reads. It is written with the table and shared with it by the generations after.

Layout: ``MAGIC``, then per kind its key count and the byte offsets of six sections: totals
(int32), the end of each key's name in the names, the keys in name order (positions), the end
of each key's counts in the counts, the names (UTF-8), the counts (JSON ``[[form, n], ...]``).
"""

from __future__ import annotations

import bisect
import json
import struct
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from dvsearch.index.vocabulary_table import KINDS, Raw, shown_total

INDEX_NAME = "vocabulary-index.bin"
MAGIC = b"DVVOC\x00\x00\x01"
_KIND = struct.Struct("<7Q")  # keys, then the offsets of the six sections


class VocabularyIndexError(ValueError):
    """An index file that is not what ``index_bytes`` writes (damage: the caller reports it)."""


def index_bytes(raws: Mapping[str, Mapping[str, Raw]]) -> bytes:
    """The index of a table whose keys, per kind, are ``raws``'s in the table's order, each
    with its counts."""
    head = len(MAGIC) + _KIND.size * len(KINDS)
    parts: list[bytes] = []
    kinds = []
    at = head
    for kind in KINDS:
        sections = _kind_sections(kind, raws[kind])
        offsets = []
        for section in sections:
            offsets.append(at)
            at += len(section)
        kinds.append(_KIND.pack(len(raws[kind]), *offsets))
        parts += sections
    return b"".join([MAGIC, *kinds, *parts])


def _kind_sections(kind: str, raws: Mapping[str, Raw]) -> list[bytes]:
    compound = kind == "compounds"
    keys = list(raws)
    names = [key.encode("utf-8") for key in keys]
    counts = [_counts_json(raw) for raw in raws.values()]
    totals = array("i", (shown_total(key, raw, compound) for key, raw in raws.items()))
    by_name = array("i", sorted(range(len(keys)), key=names.__getitem__))
    sections = [
        totals,
        _ends(names),
        by_name,
        _ends(counts),
    ]
    if any(section.itemsize != 4 for section in sections):
        raise VocabularyIndexError("this platform has no 4-byte array integers")
    return [*(_little_endian(section) for section in sections), b"".join(names), b"".join(counts)]


def _counts_json(raw: Raw) -> bytes:
    return json.dumps(list(raw.items()), ensure_ascii=False, separators=(",", ":")).encode()


def _ends(blobs: Sequence[bytes]) -> array[int]:
    ends = array("i")
    total = 0
    for blob in blobs:
        total += len(blob)
        ends.append(total)
    return ends


def _little_endian(numbers: array[int]) -> bytes:
    if struct.pack("=i", 1) != struct.pack("<i", 1):
        numbers = array("i", numbers)
        numbers.byteswap()
    return numbers.tobytes()


class KindIndex:
    """One kind's keys as the index stores them: looked up by name, placed by total."""

    def __init__(self, data: bytes, count: int, offsets: tuple[int, ...]) -> None:
        view = memoryview(data)
        totals, name_ends, by_name, count_ends, names, counts = offsets
        self._totals = _numbers(view, totals, count)
        self._name_ends = _numbers(view, name_ends, count)
        self._by_name = _numbers(view, by_name, count)
        self._count_ends = _numbers(view, count_ends, count)
        self._names = data[names:counts]
        self._counts = data[counts : counts + (self._count_ends[-1] if count else 0)]
        if count and not (
            len(self._names) == self._name_ends[-1] and len(self._counts) == self._count_ends[-1]
        ):
            raise VocabularyIndexError("the vocabulary index is cut short")
        self._count = count

    def __len__(self) -> int:
        return self._count

    def key(self, position: int) -> str:
        start = self._name_ends[position - 1] if position else 0
        return self._names[start : self._name_ends[position]].decode("utf-8")

    def total(self, position: int) -> int:
        return int(self._totals[position])

    def raw(self, position: int) -> Raw:
        """The key's document count of each form, as counted when the table was written."""
        start = self._count_ends[position - 1] if position else 0
        pairs = json.loads(self._counts[start : self._count_ends[position]])
        return {form: count for form, count in pairs}

    def position_of(self, key: str) -> int | None:
        """Where ``key`` is in the table's order; None when the table does not hold it."""
        wanted = key.encode("utf-8")
        names = _Lazy(self._count, lambda i: self._name_bytes(self._by_name[i]))
        at = bisect.bisect_left(names, wanted)
        if at < self._count and names[at] == wanted:
            return int(self._by_name[at])
        return None

    def place(self, total: int, key: str) -> int:
        """How many of the table's keys come before a key of ``total`` named ``key``."""
        ranks = _Lazy(self._count, lambda i: (-self._totals[i], self.key(i)))
        return bisect.bisect_left(ranks, (-total, key))

    def items(self) -> Iterator[tuple[str, Raw]]:
        """Every key with its counts, in the table's order."""
        for position in range(self._count):
            yield self.key(position), self.raw(position)

    def _name_bytes(self, position: int) -> bytes:
        start = self._name_ends[position - 1] if position else 0
        return self._names[start : self._name_ends[position]]


def read_index(data: bytes) -> dict[str, KindIndex]:
    """Each kind's index from the bytes of an index file."""
    head = len(MAGIC) + _KIND.size * len(KINDS)
    if data[: len(MAGIC)] != MAGIC or len(data) < head:
        raise VocabularyIndexError("not a vocabulary index")
    kinds = {}
    for number, kind in enumerate(KINDS):
        count, *offsets = _KIND.unpack_from(data, len(MAGIC) + number * _KIND.size)
        if any(offset > len(data) for offset in offsets):
            raise VocabularyIndexError("the vocabulary index is cut short")
        kinds[kind] = KindIndex(data, count, tuple(offsets))
    return kinds


def _numbers(view: memoryview, start: int, count: int) -> Any:
    """``count`` little-endian int32 from ``start``, as a sequence (no copy where it can)."""
    block = view[start : start + 4 * count]
    if len(block) != 4 * count:
        raise VocabularyIndexError("the vocabulary index is cut short")
    if struct.pack("=i", 1) == struct.pack("<i", 1) and start % 4 == 0:
        return block.cast("i")
    numbers = array("i", bytes(block))
    if struct.pack("=i", 1) != struct.pack("<i", 1):
        numbers.byteswap()
    return numbers


class _Lazy(Sequence[Any]):
    """``item(i)`` for ``i`` below ``length``, computed where bisection looks."""

    def __init__(self, length: int, item: Any) -> None:
        self._length = length
        self._item = item

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        return self._item(index)
