"""Which stored signatures an article signed by an update is a copy of: its digest among all
the others', and its bands, then its bins, like ``group_duplicates`` but for a few articles
against all (``copies.py`` joins what is found to the groups it had).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping

from dvsearch.articles.minhash import (
    BAND_ROWS,
    BINS,
    HEADER,
    NO_WORDS,
    SIGNATURE_VERSION,
    THRESHOLD,
)
from dvsearch.index.signature_layers import FULL_ROW, ROW_HEAD, Layer, Stack

_HEADER_SIZE = HEADER.size  # version, shingle count, digest
_FULL_SIZE = HEADER.size + 2 * BINS


def links_of(added: list[str], kept: Mapping[str, bytes]) -> Iterator[tuple[str, str]]:
    """``(added path, path)`` for each article of ``kept`` that ``group_duplicates`` would link
    with an ``added`` one: the same words, or a shared band and ``THRESHOLD`` of bins alike.

    Texts with one digest are one group whichever of them ``group_duplicates`` compares by
    bins, so comparing each pair directly finds the same groups."""
    import numpy as np

    from dvsearch.articles.duplicates import Signature

    table = _Usable(kept)
    digests = np.frombuffer(table.digests, "<u8")
    minima = np.frombuffer(table.minima, "<u2").reshape(len(table.full), BINS)
    bands = minima.view(np.uint64)  # bands of BAND_ROWS bins, as duplicates.py reads them
    for path in added:
        signature = Signature.from_bytes(kept[path])
        if signature is None or signature.digest == NO_WORDS:
            continue
        for row in np.flatnonzero(digests == np.frombuffer(signature.digest, "<u8")[0]):
            yield path, table.paths[row]
        if signature.minima:
            mine = np.frombuffer(signature.minima, "<u2")
            candidates = np.flatnonzero((bands == mine.view(np.uint64)).any(axis=1))
            agree = np.count_nonzero(minima[candidates] == mine, axis=1) / BINS
            for row in candidates[agree >= THRESHOLD]:
                yield path, table.full[row]


def plain_links_of(added: list[str], stack: Stack) -> Iterator[tuple[str, str]]:
    """``links_of`` without numpy (its import is 0.2 s): each layer's digests and bands are
    strided slices of its rows read as 8-byte words, and each added article's are found in
    them by ``bytes.find``; a row that a later layer replaced or dropped is passed over."""
    columns = [_Columns(layer) for layer in stack.layers]
    for path in added:
        mine = stack.value(path)
        if mine is None or not _is_usable(mine):
            continue
        for number, layer in enumerate(columns):
            for row in layer.rows_with_digest(mine[5:_HEADER_SIZE]):
                if stack.latest.get(layer.paths[row]) == (number, row):
                    yield path, layer.paths[row]
        minima = mine[_HEADER_SIZE:]
        if not minima:
            continue
        for number, layer in enumerate(columns):
            for row in sorted(layer.rows_with_a_band(minima)):
                alike = layer.agreement(row, minima) >= THRESHOLD
                if alike and stack.latest.get(layer.paths[row]) == (number, row):
                    yield path, layer.paths[row]


class _Columns:
    """One layer's digests and bands of bins, each a byte string of 8-byte values."""

    def __init__(self, layer: Layer) -> None:
        self.paths = layer.paths
        self._layer = layer
        words = array("Q", layer.full_block)
        width = FULL_ROW // 8
        self._digests = words[1::width].tobytes()
        self._short_digests = array("Q", layer.short_block)[1::2].tobytes()
        per_row = BINS // BAND_ROWS
        self._bands = [words[2 + band :: width].tobytes() for band in range(per_row)]
        self._full = len(layer.full_paths)

    def rows_with_digest(self, digest: bytes) -> Iterator[int]:
        """The usable rows with this digest."""
        rows = [*_indices(self._digests, digest)]
        rows += [self._full + row for row in _indices(self._short_digests, digest)]
        return (row for row in rows if self._version(row) == SIGNATURE_VERSION)

    def rows_with_a_band(self, minima: bytes) -> set[int]:
        """The usable rows with bins sharing a band with ``minima``."""
        found = {
            row
            for band, column in enumerate(self._bands)
            for row in _indices(column, minima[8 * band : 8 * band + 8])
        }
        return {row for row in found if self._version(row) == SIGNATURE_VERSION}

    def agreement(self, row: int, minima: bytes) -> float:
        """The share of bins a row with bins has equal to ``minima``."""
        start = row * FULL_ROW + ROW_HEAD
        theirs = self._layer.full_block[start : start + 2 * BINS]
        return sum(theirs[i : i + 2] == minima[i : i + 2] for i in range(0, 2 * BINS, 2)) / BINS

    def _version(self, row: int) -> int:
        if row < self._full:
            return self._layer.full_block[row * FULL_ROW]
        return self._layer.short_block[(row - self._full) * ROW_HEAD]


class _Usable:
    """The signatures of ``kept`` that can be compared (this version's, of a text with
    words): the paths and digests of all, and the paths and bins of those with bins."""

    def __init__(self, kept: Mapping[str, bytes]) -> None:
        # One comprehension, no call a row: this runs over every signature of the archive.
        sizes = (_HEADER_SIZE, _FULL_SIZE)
        usable = [
            (path, value)
            for path, value in kept.items()
            if len(value) in sizes
            and value[0] == SIGNATURE_VERSION
            and value[5:_HEADER_SIZE] != NO_WORDS
        ]
        self.paths = [path for path, _ in usable]
        self.digests = b"".join([value[5:_HEADER_SIZE] for _, value in usable])
        with_bins = [(path, value) for path, value in usable if len(value) == _FULL_SIZE]
        self.full = [path for path, _ in with_bins]
        self.minima = b"".join([value[_HEADER_SIZE:] for _, value in with_bins])


def _is_usable(value: bytes) -> bool:
    """A signature of this version, of either size, of a text with words."""
    return (
        len(value) in (_HEADER_SIZE, _FULL_SIZE)
        and value[0] == SIGNATURE_VERSION
        and value[5:_HEADER_SIZE] != NO_WORDS
    )


def _indices(block: bytes, value: bytes) -> Iterator[int]:
    """The rows of 8-byte values in ``block`` equal to ``value``, found at C speed (a match
    across two rows is passed over)."""
    at = block.find(value)
    while at >= 0:
        if at % 8 == 0:
            yield at // 8
            at = block.find(value, at + 8)
        else:
            at = block.find(value, at + 1)
