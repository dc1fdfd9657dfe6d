"""Copies of one article: a MinHash signature of its text, and the groups signatures fall into.

The same story saved twice (UTF-8 and UTF-16, .txt and .html, or one agency story on two sites
with its own chrome and a few edits) should be one search hit. Two texts are copies when their
sets of 3-word shingles overlap by a Jaccard similarity of at least ``THRESHOLD``; a signature
estimates that similarity without the texts, so the index can keep the signatures of unchanged
articles across updates and compare all of them at once.

Only the index imports this module, never a query; numpy is imported by queries anyway.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

# The signature's parameters are minhash.py's, which signs in plain Python; callers name them here.
from dvsearch.articles.minhash import BAND_ROWS as BAND_ROWS
from dvsearch.articles.minhash import BINS as BINS
from dvsearch.articles.minhash import (
    DROPPED,
    HEADER,
    NO_WORDS,
    PROBE_TABLE,
    PROBES,
    RADIX,
    SEPARATOR,
    letter_value,
)
from dvsearch.articles.minhash import MIN_SHINGLES as MIN_SHINGLES
from dvsearch.articles.minhash import MIX as _MIX_INT
from dvsearch.articles.minhash import SHINGLE_WEIGHTS as _WEIGHTS_INT
from dvsearch.articles.minhash import SHINGLE_WORDS as SHINGLE_WORDS
from dvsearch.articles.minhash import SIGNATURE_VERSION as SIGNATURE_VERSION
from dvsearch.articles.minhash import THRESHOLD as THRESHOLD

_HEADER = HEADER
_SEPARATOR = SEPARATOR
_DROPPED = DROPPED
_UNKNOWN = 0xFFFFFFFE  # table value of a unit not looked up yet (no letter is this high)
_EMPTY_BIN = np.uint64(0xFFFFFFFFFFFFFFFF)
_BIN_SHIFT = np.uint64(64 - (BINS - 1).bit_length())
_LOW_BITS = np.uint64(0xFFFF)
_RADIX = RADIX
_MIX = np.uint64(_MIX_INT)
_SHINGLE_WEIGHTS = (np.uint64(_WEIGHTS_INT[0]), np.uint64(_WEIGHTS_INT[1]))
_PROBES = PROBES

_NO_WORDS = NO_WORDS

U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Signature:
    """What the index keeps of an article's text to find its copies: about 360 bytes as JSON."""

    shingles: int  # shingle positions in the text (repeats counted)
    digest: bytes  # 8 bytes of BLAKE2b over the normalised words: equal for identical texts
    minima: bytes  # BINS little-endian uint16 of one-permutation MinHash; empty for short texts

    def to_json(self) -> str:
        """The signature as one base64 string, for a JSON manifest."""
        header = _HEADER.pack(SIGNATURE_VERSION, self.shingles, self.digest)
        return base64.b64encode(header + self.minima).decode("ascii")

    @classmethod
    def from_json(cls, value: object) -> Signature | None:
        """The signature ``to_json`` wrote, or None for anything else (an older version, a
        damaged manifest): the caller then signs the article again."""
        if not isinstance(value, str):
            return None
        try:
            data = base64.b64decode(value, validate=True)
        except ValueError:  # binascii.Error and non-ASCII text are ValueErrors
            return None
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature | None:
        """The signature whose bytes (header, then bins) ``to_json`` encodes, or None for
        anything else."""
        try:
            version, shingles, digest = _HEADER.unpack_from(data)
        except struct.error:
            return None
        minima = data[_HEADER.size :]
        if version != SIGNATURE_VERSION or len(minima) not in (0, 2 * BINS):
            return None
        return cls(shingles, digest, minima)


# ---------------------------------------------------------------- signatures


def article_signature(text: str) -> Signature:
    """The signature of an article's cleaned text (its body: titles differ between sites).

    Words are compared in their bare form (lowercase, no diacritics, y as i): NFC or NFD,
    old or new tone placement and the file's encoding do not change them, and punctuation is
    not part of them.
    """
    words = _word_hashes(text)
    digest = hashlib.blake2b(words.tobytes(), digest_size=8).digest()
    shingles = _shingle_hashes(words)
    if len(shingles) < MIN_SHINGLES:
        return Signature(len(shingles), digest, b"")
    return Signature(len(shingles), digest, _one_permutation_minima(shingles).tobytes())


def similarity(first: Signature, second: Signature) -> float:
    """The estimated Jaccard similarity of two texts' shingles; 1.0 for identical texts."""
    if first.digest == second.digest:
        return 1.0
    if not (first.minima and second.minima):
        return 0.0
    matches = np.frombuffer(first.minima, "<u2") == np.frombuffer(second.minima, "<u2")
    return float(np.count_nonzero(matches)) / BINS


def _word_hashes(text: str) -> U64:
    """A 64-bit polynomial hash of each word's bare letters, vectorised over the whole text.

    ``(P[end] - P[start]) * R**-start`` is the hash of the word in ``[start, end)``, whatever
    its position, when ``P`` is the prefix sum of ``letter * R**position`` (all modulo 2**64).
    """
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)
    letters = _letters_of(units)
    letters = letters[letters != _DROPPED]
    size = len(letters)
    powers, inverse_powers = _powers(size + 1)
    prefix = np.zeros(size + 1, np.uint64)
    np.cumsum(letters * powers[:size], out=prefix[1:])
    in_word = np.zeros(size + 2, np.int8)
    in_word[1:-1] = letters != _SEPARATOR
    edges = np.flatnonzero(np.diff(in_word))
    starts, ends = edges[0::2], edges[1::2]
    hashes: U64 = (prefix[ends] - prefix[starts]) * inverse_powers[starts]
    return hashes


def _shingle_hashes(words: U64) -> U64:
    """One well-mixed 64-bit hash per run of ``SHINGLE_WORDS`` words.

    The word hashes are polynomial, so their low bits are weak: the multiply carries every bit
    upwards and the shift brings the high bits back down.
    """
    if len(words) < SHINGLE_WORDS:
        return np.empty(0, np.uint64)
    first, second = _SHINGLE_WEIGHTS
    hashes: U64 = words[:-2] * first + words[1:-1] * second + words[2:]
    hashes *= _MIX
    hashes ^= hashes >> np.uint64(31)
    hashes *= _MIX
    return hashes


def _one_permutation_minima(shingles: U64) -> npt.NDArray[np.uint16]:
    """The low 16 bits of the smallest hash in each of ``BINS`` bins (by the top bits).

    One hash per shingle instead of one per shingle and bin (128 times the work); an empty bin
    borrows from the bin a fixed probe sequence finds first ("optimal densification",
    Shrivastava 2017), which keeps the chance that two signatures agree equal to the Jaccard
    similarity. Sixteen bits per bin suffice: unrelated bins agree by chance once in 65,536.
    """
    smallest = np.full(BINS, _EMPTY_BIN)
    np.minimum.at(smallest, (shingles >> _BIN_SHIFT).astype(np.intp), shingles)
    filled = smallest != _EMPTY_BIN
    minima = (smallest & _LOW_BITS).astype("<u2")
    empty = np.flatnonzero(~filled)
    for probes in _probe_table():
        if not len(empty):
            break
        targets = probes[empty]
        found = filled[targets]
        minima[empty[found]] = minima[targets[found]]
        empty = empty[~found]
    return minima


def _letters_of(units: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint32]:
    """Each UTF-16 code unit as its bare lowercase letter, ``_SEPARATOR`` or ``_DROPPED``.

    A table of all 65,536 units took 0.15 s to build, most of an update that signs one
    article: it is filled as units are met, so a text looks up only the units no text before
    it had, and the rest is one ``take``, never a Python loop over its characters.
    """
    table = _letter_table()
    letters = table.take(units)
    unknown = letters == _UNKNOWN
    if unknown.any():
        codes = sorted(set(units[unknown].tolist()))  # np.unique: 27 ms of imports at first
        table[codes] = np.fromiter(map(letter_value, codes), np.uint32, len(codes))
        letters = table.take(units)
    return letters


@cache
def _letter_table() -> npt.NDArray[np.uint32]:
    """The units looked up so far in this process; ``_UNKNOWN`` for the others."""
    return np.full(0x10000, _UNKNOWN, np.uint32)


def _powers(size: int) -> tuple[U64, U64]:
    """``R**i`` and ``R**-i`` modulo 2**64 for ``i < size`` at least."""
    return _power_table(max(4096, 1 << (size - 1).bit_length()))


@cache
def _power_table(size: int) -> tuple[U64, U64]:
    tables = []
    for radix in (_RADIX, pow(_RADIX, -1, 1 << 64)):
        powers = np.full(size, radix, np.uint64)
        powers[0] = 1
        np.cumprod(powers, out=powers)
        tables.append(powers)
    return tables[0], tables[1]


@cache
def _probe_table() -> npt.NDArray[np.intp]:
    """The fixed probe sequence of every bin: the same for every signature of a version."""
    table = np.frombuffer(PROBE_TABLE, np.uint8).astype(np.intp)
    return table.reshape(_PROBES, BINS)


# ---------------------------------------------------------------- groups


def group_duplicates(
    signatures: Mapping[str, Signature], threshold: float = THRESHOLD
) -> dict[str, str]:
    """``{copy key: primary key}`` for every article that is a copy of another.

    Copies are linked when their estimated similarity is at least ``threshold`` (or their
    texts are identical) and a group is everything linked to anything in it. Its primary is
    the first key in sorted order: the same whatever the mapping's order, and it changes only
    when a file that sorts first joins or leaves, not when a copy's text is edited.
    """
    keys = sorted(signatures)
    parent = list(range(len(keys)))
    for first, second, _ in _similar_index_pairs([signatures[k] for k in keys], threshold):
        root_a, root_b = _root(parent, first), _root(parent, second)
        parent[max(root_a, root_b)] = min(root_a, root_b)
    roots = (_root(parent, index) for index in range(len(keys)))
    return {keys[index]: keys[root] for index, root in enumerate(roots) if root != index}


def similar_pairs(
    signatures: Mapping[str, Signature], threshold: float = THRESHOLD
) -> Iterator[tuple[str, str, float]]:
    """``(key, key, similarity)`` for the pairs found at ``threshold`` or above, keys sorted.

    Identical texts are paired with the first of them only; below about 0.5 a similar pair
    is found less and less often (it must share a band).
    """
    keys = sorted(signatures)
    for first, second, value in _similar_index_pairs([signatures[k] for k in keys], threshold):
        yield keys[first], keys[second], value


def _root(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def _similar_index_pairs(
    signatures: list[Signature], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """Pairs of positions: identical digests, then LSH candidates checked on all bins."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold {threshold} is not in (0, 1]")
    first_with_digest: dict[bytes, int] = {}
    distinct: list[int] = []
    for index, signature in enumerate(signatures):
        if signature.digest == _NO_WORDS:
            continue  # texts without a word (symbols, a script we do not read) are not alike
        seen = first_with_digest.setdefault(signature.digest, index)
        if seen != index:
            yield seen, index, 1.0
        elif signature.minima:
            distinct.append(index)
    yield from _near_pairs(signatures, distinct, threshold)


def _near_pairs(
    signatures: list[Signature], indices: list[int], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """Pairs that share a band of ``BAND_ROWS`` bins and agree on ``threshold`` of all bins."""
    if len(indices) < 2:
        return
    minima = np.frombuffer(b"".join(signatures[i].minima for i in indices), "<u2")
    minima = minima.reshape(len(indices), BINS)
    first, second = _band_candidates(minima.view(np.uint64))
    agree = np.count_nonzero(minima[first] == minima[second], axis=1) / BINS
    for a, b, value in zip(first, second, agree, strict=True):
        if value >= threshold:
            yield indices[a], indices[b], float(value)


def _band_candidates(bands: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row pairs ``(i, j)``, ``i < j``, equal in at least one column of ``bands``, once each."""
    rows = len(bands)
    codes = np.concatenate([_equal_in_column(column, rows) for column in bands.T])
    unique = np.unique(codes)
    return (unique // rows).astype(np.intp), (unique % rows).astype(np.intp)


def _equal_in_column(column: U64, rows: int) -> npt.NDArray[np.int64]:
    """Every pair of rows with equal values, as ``i * rows + j``: sorted, equal values are
    neighbours, and a bucket of n rows holds pairs at distances 1 to n - 1."""
    order = np.argsort(column, kind="stable").astype(np.int64)
    ordered = column[order]
    found = [np.empty(0, np.int64)]
    for distance in range(1, rows):
        same = np.flatnonzero(ordered[distance:] == ordered[:-distance])
        if not len(same):
            break
        a, b = order[same], order[same + distance]
        found.append(np.minimum(a, b) * rows + np.maximum(a, b))
    return np.concatenate(found)
