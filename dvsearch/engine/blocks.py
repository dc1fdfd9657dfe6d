"""One posting block in dvsearch's layout: its head (what navigation reads) and its data.

A build encodes a block for every term of every field, and most terms have a handful of
postings: numpy's dozen calls a block (about 100 µs) were a third of writing the postings. A
small block is encoded with the standard library, a large one with numpy; both give the same
bytes (a test holds them to that).

A term's blocks follow each other in the postings file, with no magic number before them.
Each block is a head, then its first part (id gaps, weights) stored as it is, then its second
part (positions or values), zlib-compressed when the head's flags say so. The head:

- one byte: the flags (bits 0-5) and the width code of the id gaps (bits 6-7);
- one byte, the width code of the weights, unless every weight is 1;
- when the weights are float32, their maximum as whoosh keeps it (a double);
- for a term's only block, nothing more: its count, first and last ids, maximum weight and
  length bytes are the term info's, which whoosh's dictionary already holds;
- else varints: count - 1, first id, last id - first id; the maximum weight when the weights
  are whole (none when every weight is 1); the shortest and longest article as whoosh's
  length bytes; and, unless the block is the term's last (which ends where the term's extent
  does), the second part's length when there is one.

whoosh pickled a tuple of six for each block and wrote a four-byte length, four magic bytes a
term and a marker byte a part: 47 bytes for a term of one block, here 1 or 2.
"""

from __future__ import annotations

import itertools
import operator
import sys
import zlib
from array import array
from typing import TYPE_CHECKING, Any

from whoosh.formats import Frequency
from whoosh.system import pack_uint

if TYPE_CHECKING:
    import numpy.typing as npt

TYPES = ("<u1", "<u2", "<u4", "<f4")  # by the width codes (ids: 0-2, weights: 0-3)
CODES = ("B", "H", "I", "f")  # the same types for the array module
SIZES = (1, 2, 4, 4)
ALL_WEIGHTS_ONE = 1
NARROW_GAPS = 2  # position gaps stored as uint16
HAS_VALUES = 4
VALUES_ARE_WEIGHTS = 8  # values not stored: each is its weight as whoosh's uint (Frequency)
LAST = 16  # the term's last block
COMPRESSED = 32  # the second part is zlib-compressed
Parts = tuple[int, int, bytes, bytes]  # flags, widths (ids | weights << 2), first, second part
_NO_COMPRESSION_BELOW = 64  # bytes; zlib only makes tiny parts longer
# Above this many numbers (ids and positions), numpy's fixed cost is worth paying.
_PLAIN_UP_TO = 256


def encode_block(
    ids: array[int],
    weights: array[float],
    values: list[bytes],
    format_: Any,
    level: int,
    positions: bool,
) -> Parts:
    """One block's flags, widths and two parts in dvsearch's layout, the second compressed
    at ``level`` when that pays. The ids are ``ids[0]`` (which the head holds) and the gaps
    after it. With ``positions``, each value is a posting's ascending positions as
    ``CompactPositions`` encodes them (uint32, little-endian)."""
    numbers = len(ids) + (sum(map(len, values)) // 4 if positions else 0)
    encode = _plain_parts if numbers <= _PLAIN_UP_TO else _numpy_parts
    flags, widths, first, second = encode(ids, weights, values, format_, positions)
    if level and len(second) >= _NO_COMPRESSION_BELOW:
        return flags | COMPRESSED, widths, first, zlib.compress(second, level)
    return flags, widths, first, second


def _plain_parts(
    ids: array[int], weights: array[float], values: list[bytes], format_: Any, positions: bool
) -> tuple[int, int, bytes, bytes]:
    """Flags, widths and both parts, with the standard library."""
    gaps = list(map(operator.sub, ids[1:], ids[:-1]))
    id_code = _code_of(max(gaps, default=0))
    first = _to_bytes(CODES[id_code], gaps)
    flags, weight_code = 0, 0
    if all(weight == 1.0 for weight in weights):
        flags |= ALL_WEIGHTS_ONE
    else:
        weight_code = _plain_weight_code(weights)
        kept = weights if weight_code == 3 else [int(weight) for weight in weights]
        first += _to_bytes(CODES[weight_code], kept)
    if not values:
        return flags, id_code | weight_code << 2, first, b""
    if positions:
        counts = [len(value) // 4 for value in values]
        places = _from_bytes("I", b"".join(values)).tolist()
        position_gaps = [places[0], *map(operator.sub, places[1:], places[:-1])]
        for start in itertools.accumulate(counts[:-1]):  # each posting starts from 0
            position_gaps[start] = places[start]
        code = "I"
        if max(position_gaps) <= 0xFFFF:
            flags |= NARROW_GAPS
            code = "H"
        second = _to_bytes("I", counts) + _to_bytes(code, position_gaps)
        return flags | HAS_VALUES, id_code | weight_code << 2, first, second
    flags, second = _other_values(flags | HAS_VALUES, values, weights, format_)
    return flags, id_code | weight_code << 2, first, second


def _plain_weight_code(weights: array[float]) -> int:
    """The type of weights that are not all one: the narrowest unsigned type when all are
    whole and not negative, else float32 (as ``_numpy_parts`` decides it)."""
    whole = all(weight.is_integer() for weight in weights) and min(weights) >= 0
    return _code_of(max(weights)) if whole else 3


def _numpy_parts(
    ids: array[int], weights: array[float], values: list[bytes], format_: Any, positions: bool
) -> tuple[int, int, bytes, bytes]:
    """Flags, widths and both parts, with numpy."""
    import numpy as np

    flags = 0
    id_array = np.frombuffer(ids, dtype=np.uint32)
    id_gaps = id_array[1:] - id_array[:-1]
    id_code = _narrowest(id_gaps)
    first = id_gaps.astype(TYPES[id_code]).tobytes()
    weight_array = np.frombuffer(weights, dtype=np.float32)
    weight_code = 0
    if (weight_array == 1.0).all():
        flags |= ALL_WEIGHTS_ONE
    else:
        whole = (weight_array == np.floor(weight_array)).all() and weight_array.min() >= 0
        weight_code = _narrowest(weight_array) if whole else 3
        first += weight_array.astype(TYPES[weight_code]).tobytes()
    if not values:
        return flags, id_code | weight_code << 2, first, b""
    if positions:
        counts = np.array([len(value) // 4 for value in values], dtype="<u4")
        places = np.frombuffer(b"".join(values), dtype="<u4")
        gaps = places.copy()
        gaps[1:] -= places[:-1]
        firsts = np.cumsum(counts) - counts  # each posting starts from 0, not the last one
        gaps[firsts] = places[firsts]
        if gaps.size == 0 or int(gaps.max()) <= 0xFFFF:
            flags |= NARROW_GAPS
            gaps = gaps.astype("<u2")
        second = counts.tobytes() + gaps.tobytes()
        return flags | HAS_VALUES, id_code | weight_code << 2, first, second
    flags, second = _other_values(flags | HAS_VALUES, values, weights, format_)
    return flags, id_code | weight_code << 2, first, second


def _other_values(
    flags: int, values: list[bytes], weights: array[float], format_: Any
) -> tuple[int, bytes]:
    """Flags and second part for values other than positions."""
    if _frequencies_are_weights(values, weights, format_):
        return flags ^ (HAS_VALUES | VALUES_ARE_WEIGHTS), b""
    if format_.fixed_value_size():
        return flags, b"".join(values)
    raise ValueError(f"dvsearch's postings cannot store values of {type(format_).__name__}")


def _frequencies_are_weights(values: list[bytes], weights: array[float], format_: Any) -> bool:
    """True when each value is whoosh's ``Frequency`` encoding of the posting's weight, so
    ``PlainBlock.values`` gives the same bytes back from the weights alone."""
    if type(format_) is not Frequency:
        return False
    return b"".join(values) == b"".join(pack_uint(int(weight)) for weight in weights)


def _narrowest(numbers: npt.NDArray[Any]) -> int:
    """The code of the smallest unsigned type that holds every number (0 to 2 in TYPES)."""
    return _code_of(float(numbers.max()) if numbers.size else 0.0)


def _code_of(largest: float) -> int:
    return 0 if largest <= 0xFF else 1 if largest <= 0xFFFF else 2


def _to_bytes(code: str, numbers: Any) -> bytes:
    """``numbers`` as little-endian numbers of array type ``code``."""
    return little_endian(array(code, numbers)).tobytes()


def _from_bytes(code: str, data: bytes) -> array[Any]:
    numbers = array(code)
    numbers.frombytes(data)
    return little_endian(numbers)


def second_part(flags: int, part: bytes) -> bytes:
    """A block's second part as ``encode_block`` gave it, decompressed."""
    return zlib.decompress(part) if flags & COMPRESSED else part


def little_endian(numbers: array[Any]) -> array[Any]:
    """``numbers`` in little-endian order, in place (a no-op on little-endian machines)."""
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
