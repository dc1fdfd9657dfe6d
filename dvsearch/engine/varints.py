"""Little-endian base-128 varints: the numbers of block heads and term infos, most under 128."""

from __future__ import annotations


def put_varint(out: bytearray, number: int) -> None:
    """Append ``number`` (not negative), seven bits a byte, the high bit saying more follow."""
    while number > 0x7F:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)


def get_varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint at ``at`` in ``data`` and the offset after it."""
    byte = data[at]
    if byte < 0x80:
        return byte, at + 1
    number, shift = 0, 0
    while byte & 0x80:
        number |= (byte & 0x7F) << shift
        shift += 7
        at += 1
        byte = data[at]
    return number | byte << shift, at + 1
