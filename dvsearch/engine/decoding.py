"""Reading one posting block (``blocks.py`` gives the layout): with the standard library for
whoosh's matcher methods, which the reference engine runs without numpy, and as numpy arrays
for dvsearch's scorer. ``positions`` says the values are positions as ``CompactPositions``
encodes them (``postings.py``), not fixed-size values.
"""

from __future__ import annotations

import itertools
from array import array
from typing import TYPE_CHECKING, Any

from whoosh.system import pack_uint

from dvsearch.engine import blocks
from dvsearch.engine.heads import Head

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]

_TYPES = blocks.TYPES
_CODES = blocks.CODES
_ALL_WEIGHTS_ONE = blocks.ALL_WEIGHTS_ONE
_NARROW_GAPS = blocks.NARROW_GAPS
_HAS_VALUES = blocks.HAS_VALUES
_VALUES_ARE_WEIGHTS = blocks.VALUES_ARE_WEIGHTS
_second_part = blocks.second_part
_little_endian = blocks.little_endian


class PlainBlock:
    """A block as whoosh's matcher methods want it, decoded with the array module: ids as a
    list, weights as an array of floats, values as each posting's bytes."""

    def __init__(self, head: Head, data: bytes, positions: bool) -> None:
        self._count = count = head.postings
        self._flags = head.flags
        self._positions = positions
        first_size = head.first_size()
        first, self._second = data[:first_size], data[first_size:]
        gaps = _numbers(_CODES[head.widths & 3], first, 0, count - 1)
        self.ids = list(itertools.accumulate(gaps, initial=head.first_id))
        if self._flags & _ALL_WEIGHTS_ONE:
            self.weights = array("f", [1.0]) * count
        else:
            offset = gaps.itemsize * (count - 1)
            self.weights = array("f", _numbers(_CODES[head.widths >> 2], first, offset, count))

    def values(self) -> tuple[Any, ...]:
        """whoosh's per-posting value bytes: positions as ``CompactPositions`` encodes them."""
        if self._flags & _VALUES_ARE_WEIGHTS:
            return tuple(pack_uint(int(weight)) for weight in self.weights)
        if not self._flags & _HAS_VALUES:
            return (None,) * self._count
        data = _second_part(self._flags, self._second)
        if not self._positions:
            size = len(data) // self._count
            return tuple(data[i : i + size] for i in range(0, len(data), size))
        counts = _numbers("I", data, 0, self._count)
        code = "H" if self._flags & _NARROW_GAPS else "I"
        gaps = _numbers(code, data, 4 * self._count, sum(counts))
        values = []
        end = 0
        for count in counts:
            start, end = end, end + count
            positions = array("I", itertools.accumulate(gaps[start:end]))
            values.append(_little_endian(positions).tobytes())
        return tuple(values)


def _numbers(code: str, data: bytes, offset: int, count: int) -> array[Any]:
    """``count`` little-endian numbers of array type ``code`` from ``data`` at ``offset``."""
    numbers = array(code)
    numbers.frombytes(data[offset : offset + count * numbers.itemsize])
    return _little_endian(numbers)


class Block:
    """One block as numpy arrays for dvsearch's scorer: ids and weights at once, positions on
    demand."""

    def __init__(self, head: Head, data: bytes, positions: bool) -> None:
        import numpy as np

        self._positions = positions
        self._count = count = head.postings
        self._flags = flags = head.flags
        first_size = head.first_size()
        self._second = data[first_size:]
        id_type, weight_type = _TYPES[head.widths & 3], _TYPES[head.widths >> 2]
        self.ids: Ints = np.array((head.first_id,), dtype=np.int64)
        gap_bytes = 0
        if count > 1:  # most blocks hold one posting: no gaps to add up
            gaps = np.frombuffer(data, dtype=id_type, count=count - 1)
            self.ids = np.empty(count, dtype=np.int64)
            self.ids[0] = head.first_id
            self.ids[1:] = gaps
            np.cumsum(self.ids, out=self.ids)
            gap_bytes = gaps.nbytes
        if flags & _ALL_WEIGHTS_ONE:
            self.weights = np.ones(count, dtype=np.float64)
        else:
            weights = np.frombuffer(data, dtype=weight_type, count=count, offset=gap_bytes)
            self.weights = weights.astype(np.float64)
        self.counts: Ints | None = None
        self.gaps: Ints | None = None

    def read_values(self) -> None:
        import numpy as np

        if self.counts is not None or not (self._flags & _HAS_VALUES and self._positions):
            return  # other values (fixed-size) are only read through ``PlainBlock``
        data = _second_part(self._flags, self._second)
        self.counts = np.frombuffer(data, dtype="<u4", count=self._count).astype(np.int64)
        dtype = "<u2" if self._flags & _NARROW_GAPS else "<u4"
        self.gaps = np.frombuffer(data, dtype=dtype, offset=4 * self._count).astype(np.int64)

    def occurrences(self) -> tuple[Ints, Ints]:
        """Every position in the block, with the block-local article it is in: two arrays of
        equal length, articles in order and positions ascending within each."""
        import numpy as np

        self.read_values()
        assert self.counts is not None and self.gaps is not None
        docs = np.repeat(self.ids, self.counts)
        running = np.cumsum(self.gaps)
        firsts = np.cumsum(self.counts) - self.counts  # where each posting's gaps begin
        before = np.where(firsts > 0, running[np.maximum(firsts - 1, 0)], 0)
        return docs, running - np.repeat(before, self.counts)
