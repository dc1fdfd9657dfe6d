"""The signatures of a generation's articles, kept in binary layers shared across generations.

One table of 37,773 signatures is 15 MB of base64 JSON: reading, decoding, writing and forcing
it to disk again for every update was about a second of adding one article. So the table is a
stack of layers (``signatures-<n>.bin``), each written once and hard-linked by the generations
after it, like whoosh's segments: an update writes one small layer with the signatures it made
and the paths it dropped. Reading applies the layers oldest first, each row replacing the one
before for its path and each dropped path removing it. Past ``MAX_LAYERS`` the layers after the
first are folded into one, and when that fold would hold more than a quarter of the first
layer, everything is written again as one layer: old rows never pile up.

A layer: ``MAGIC``, the counts of rows with bins, rows without (short texts) and dropped
paths, then JSON of those three lists of paths, the rows with bins and the rows without, each a
signature as ``articles/minhash.py`` packs it (version, shingle count, digest, bins) with three
zero bytes before the digest: the rows are whole 8-byte words, so a one-article update finds
its digest and bands in a whole layer with strided slices, no loop over the rows.
"""

from __future__ import annotations

import json
import os
import re
import struct
from collections.abc import Iterable, Mapping
from itertools import repeat
from pathlib import Path

from dvsearch.articles.minhash import BINS, HEADER
from dvsearch.index import store

MAX_LAYERS = 8
MAGIC = b"DVSIG\x00\x00\x02"
_COUNTS = struct.Struct("<IIII")  # rows with bins, rows without, dropped paths, the paths' JSON
_LAYER_NAME = re.compile(r"signatures-(\d{6})\.bin")
SHORT_SIZE = HEADER.size  # a signature without bins: version, shingle count, digest
FULL_SIZE = HEADER.size + 2 * BINS
# Stored rows are padded to whole 8-byte words (3 zero bytes before the digest), so that the
# digests and each band of bins of a whole layer are strided slices of one array of words.
ROW_HEAD = 16
FULL_ROW = ROW_HEAD + 2 * BINS
Signatures = dict[str, bytes]  # path -> the signature's bytes


class LayerError(ValueError):
    """A layer file that is not what ``write_layer`` writes (damage: the caller's to report)."""


class Layer:
    """One layer's rows (those with bins, then those without) and the paths it drops."""

    def __init__(
        self,
        full_paths: list[str],
        short_paths: list[str],
        dropped: list[str],
        full_block: bytes,
        short_block: bytes,
    ) -> None:
        self.full_paths = full_paths
        self.short_paths = short_paths
        self.dropped = dropped
        self.full_block = full_block
        self.short_block = short_block

    @classmethod
    def of_rows(cls, rows: Mapping[str, bytes], dropped: Iterable[str] = ()) -> Layer:
        """A layer of ``rows``; a value of neither signature size (damage) is left out."""
        full = [(path, value) for path, value in rows.items() if len(value) == FULL_SIZE]
        short = [(path, value) for path, value in rows.items() if len(value) == SHORT_SIZE]
        return cls(
            [path for path, _ in full],
            [path for path, _ in short],
            list(dropped),
            b"".join([value[:5] + bytes(3) + value[5:] for _, value in full]),
            b"".join([value[:5] + bytes(3) + value[5:] for _, value in short]),
        )

    @property
    def paths(self) -> list[str]:
        return self.full_paths + self.short_paths

    def value(self, row: int) -> bytes:
        """The signature of row ``row`` (those with bins first), as ``minhash.py`` packs it."""
        if row < len(self.full_paths):
            stored = self.full_block[row * FULL_ROW : (row + 1) * FULL_ROW]
        else:
            at = (row - len(self.full_paths)) * ROW_HEAD
            stored = self.short_block[at : at + ROW_HEAD]
        return stored[:5] + stored[8:]

    def rows(self) -> Signatures:
        return {path: self.value(row) for row, path in enumerate(self.paths)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layer):
            return NotImplemented
        return (self.rows(), self.dropped) == (other.rows(), other.dropped)

    __hash__ = None  # type: ignore[assignment]


class Stack:
    """Layers applied oldest first: where each path's signature is (layer, row)."""

    def __init__(self, layers: list[Layer], names: list[str]) -> None:
        self.layers = layers
        self.names = names  # the files of the first ``len(names)`` layers (none: in memory)
        self.latest: dict[str, tuple[int, int]] = {}
        for number, layer in enumerate(layers):
            for path in layer.dropped:
                self.latest.pop(path, None)
            places = zip(repeat(number), range(len(layer.paths)))
            self.latest.update(zip(layer.paths, places, strict=False))  # repeat() is endless

    def value(self, path: str) -> bytes | None:
        where = self.latest.get(path)
        return self.layers[where[0]].value(where[1]) if where is not None else None

    def held(self) -> Signatures:
        """Every signature, path by path (a whole table: for the rare full comparison)."""
        return {path: self.layers[number].value(row) for path, (number, row) in self.latest.items()}


def layer_names(generation: Path) -> list[str]:
    """The generation's layer files, oldest first."""
    return sorted(name for name in os.listdir(generation) if _LAYER_NAME.fullmatch(name))


def read_signatures(generation: Path) -> Signatures:
    """Every signature a generation holds, from its layers (schema 11 on: an older index is
    rebuilt, never updated, so its ``signatures.json`` is never read)."""
    return read_stack(generation).held()


def read_stack(generation: Path) -> Stack:
    """A generation's layers, oldest first."""
    names = layer_names(generation)
    return Stack([read_layer(generation / name) for name in names], names)


def write_signatures(
    generation: Path, base: Path | None, below: Stack, fresh: Signatures, gone: set[str]
) -> Stack:
    """Store the signatures of ``below`` (``base``'s stack) with ``fresh`` ones and without
    the ``gone`` paths: ``below``'s layers linked and one layer with what changed, or fewer
    layers when there are too many. Returns the generation's stack."""
    keep = len(below.names) if len(below.names) < MAX_LAYERS else 1
    if keep == len(below.layers):
        changed = {path: value for path, value in fresh.items() if below.value(path) != value}
        layer = Layer.of_rows(changed, sorted(gone & below.latest.keys()))
    else:
        kept = {path: value for path, value in below.held().items() if path not in gone}
        kept.update(fresh)
        layer = _difference(Stack(below.layers[:keep], []), kept)
        if keep and 4 * (len(layer.paths) + len(layer.dropped)) > len(below.layers[0].paths):
            keep, layer = 0, Layer.of_rows(dict(sorted(kept.items())))
    for name in below.names[:keep]:
        assert base is not None
        store.link_or_copy(base / name, generation / name)
    names, layers = below.names[:keep], below.layers[:keep]
    if layer.paths or layer.dropped or not keep:
        number = _number(below.names[-1]) + 1 if below.names else 1
        names, layers = [*names, f"signatures-{number:06d}.bin"], [*layers, layer]
        write_layer(generation / names[-1], layer)
    return Stack(layers, names)


def _difference(under: Stack, kept: Signatures) -> Layer:
    """The layer that turns ``under`` into ``kept``."""
    changed = {path: value for path, value in kept.items() if under.value(path) != value}
    return Layer.of_rows(changed, sorted(under.latest.keys() - kept.keys()))


def _number(name: str) -> int:
    found = _LAYER_NAME.fullmatch(name)
    assert found is not None  # ``layer_names`` lists only names that match
    return int(found.group(1))


def write_layer(path: Path, layer: Layer) -> None:
    """One layer file."""
    paths = [layer.full_paths, layer.short_paths, layer.dropped]
    text = json.dumps(paths, ensure_ascii=False).encode("utf-8")
    counts = (len(layer.full_paths), len(layer.short_paths), len(layer.dropped), len(text))
    path.write_bytes(
        b"".join([MAGIC, _COUNTS.pack(*counts), text, layer.full_block, layer.short_block])
    )


def read_layer(path: Path) -> Layer:
    """A layer file as ``write_layer`` wrote it; raises ``LayerError`` for anything else."""
    data = path.read_bytes()
    start = len(MAGIC) + _COUNTS.size
    if data[: len(MAGIC)] != MAGIC or len(data) < start:
        raise LayerError(f"'{path.name}' is not a signature layer")
    full, short, drops, size = _COUNTS.unpack_from(data, len(MAGIC))
    try:
        full_paths, short_paths, dropped = json.loads(data[start : start + size])
    except (ValueError, TypeError) as error:
        raise LayerError(f"'{path.name}' has no readable paths") from error
    if (len(full_paths), len(short_paths), len(dropped)) != (full, short, drops):
        raise LayerError(f"'{path.name}' is cut short")
    at = start + size
    middle = at + full * FULL_ROW
    if middle + short * ROW_HEAD != len(data):
        raise LayerError(f"'{path.name}' is not of the size its rows need")
    return Layer(full_paths, short_paths, dropped, data[at:middle], data[middle:])


def decoded_signature(value: object) -> bytes:
    """The bytes of a stored base64 signature; empty for anything that is not base64."""
    import base64

    if not isinstance(value, str):
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return b""


def as_signatures(values: Mapping[str, str]) -> Signatures:
    """Base64 signatures (as ``signature_of`` makes them) as bytes, unusable ones left out."""
    decoded = {path: decoded_signature(value) for path, value in values.items()}
    return {path: value for path, value in decoded.items() if value}
