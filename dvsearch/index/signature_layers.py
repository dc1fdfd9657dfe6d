"""The signatures of a generation's articles, kept in binary layers shared across generations.

One table of 37,773 signatures is 15 MB of base64 JSON: reading, decoding, writing and forcing
it to disk again for every update was about a second of adding one article. So the table is a
stack of layers (``signatures-<n>.bin``), each written once and hard-linked by the generations
after it, like whoosh's segments: an update writes one small layer with the signatures it made
and the paths it dropped. Reading applies the layers oldest first, each row replacing the one
before for its path and each dropped path removing it. Past ``MAX_LAYERS`` the layers after the
first are folded into one, and when that fold would hold more than a quarter of the first
layer, everything is written again as one layer: old rows never pile up.

A layer: ``MAGIC``, the row and drop counts, then JSON of the row paths and the dropped
paths, each row's byte length, and the rows' bytes (a signature as ``articles/minhash.py``
packs it: header, then bins).
"""

from __future__ import annotations

import json
import os
import re
import struct
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dvsearch.index import store

OLD_NAME = "signatures.json"  # path -> base64 signature: the table before layers (read, migrated)
MAX_LAYERS = 8
MAGIC = b"DVSIG\x00\x00\x01"
_COUNTS = struct.Struct("<III")  # rows, dropped paths, bytes of the paths' JSON
_LAYER_NAME = re.compile(r"signatures-(\d{6})\.bin")
Signatures = dict[str, bytes]  # path -> the signature's bytes


class LayerError(ValueError):
    """A layer file that is not what ``write_layer`` writes (damage: the caller's to report)."""


@dataclass(frozen=True)
class Layer:
    """One layer's rows and the paths it drops from the layers before it."""

    rows: Signatures
    dropped: tuple[str, ...] = ()


def layer_names(generation: Path) -> list[str]:
    """The generation's layer files, oldest first."""
    return sorted(name for name in os.listdir(generation) if _LAYER_NAME.fullmatch(name))


def read_signatures(generation: Path) -> Signatures:
    """Every signature a generation holds, from its layers, or from the JSON table of a
    generation written before them (values that are not base64 are left out)."""
    return read_stack(generation).held


@dataclass(frozen=True)
class Stack:
    """A generation's layers, read once for both the signatures they hold and an update."""

    names: list[str]
    layers: list[Layer]
    held: Signatures


def read_stack(generation: Path) -> Stack:
    """A generation's layers and what they hold (an older generation's JSON table holds the
    signatures of a stack without layers)."""
    names = layer_names(generation)
    if not names:
        return Stack([], [], _old_table(generation))
    layers = [read_layer(generation / name) for name in names]
    return Stack(names, layers, applied(layers))


def applied(layers: list[Layer]) -> Signatures:
    """What ``layers`` hold together, oldest first."""
    held: Signatures = {}
    for layer in layers:
        for path in layer.dropped:
            held.pop(path, None)
        held.update(layer.rows)
    return held


def write_signatures(generation: Path, base: Path | None, kept: Signatures, below: Stack) -> None:
    """Store ``kept`` as the generation's signatures: the layers of ``below`` (``base``'s
    stack) linked and one layer with what changed since them, or fewer layers when there are
    too many."""
    keep = len(below.names) if len(below.names) < MAX_LAYERS else 1
    # Below a stack without layers (an older generation's JSON table) everything is written.
    under = below.held if keep == len(below.names) and keep else applied(below.layers[:keep])
    if keep < len(below.names) and 4 * _changes(under, kept) > len(below.layers[0].rows):
        keep, under = 0, {}
    for name in below.names[:keep]:
        assert base is not None
        store.link_or_copy(base / name, generation / name)
    changed = {path: value for path, value in kept.items() if under.get(path) != value}
    dropped = tuple(sorted(under.keys() - kept.keys()))
    if changed or dropped or not keep:
        number = _number(below.names[-1]) + 1 if below.names else 1
        write_layer(generation / f"signatures-{number:06d}.bin", Layer(changed, dropped))


def _number(name: str) -> int:
    found = _LAYER_NAME.fullmatch(name)
    assert found is not None  # ``layer_names`` lists only names that match
    return int(found.group(1))


def _changes(below: Signatures, kept: Signatures) -> int:
    changed = sum(1 for path, value in kept.items() if below.get(path) != value)
    return changed + len(below.keys() - kept.keys())


def write_layer(path: Path, layer: Layer) -> None:
    """One layer file."""
    paths = json.dumps([list(layer.rows), list(layer.dropped)], ensure_ascii=False).encode()
    lengths = array("H", (len(value) for value in layer.rows.values()))
    if lengths.itemsize != 2 or struct.pack("=H", 1) != struct.pack("<H", 1):
        raise LayerError("signature layers are written on little-endian machines only")
    header = MAGIC + _COUNTS.pack(len(layer.rows), len(layer.dropped), len(paths))
    path.write_bytes(b"".join([header, paths, lengths.tobytes(), *layer.rows.values()]))


def read_layer(path: Path) -> Layer:
    """A layer file as ``write_layer`` wrote it; raises ``LayerError`` for anything else."""
    data = path.read_bytes()
    start = len(MAGIC) + _COUNTS.size
    if data[: len(MAGIC)] != MAGIC or len(data) < start:
        raise LayerError(f"'{path.name}' is not a signature layer")
    count, drops, size = _COUNTS.unpack_from(data, len(MAGIC))
    try:
        paths, dropped = json.loads(data[start : start + size])
    except (ValueError, TypeError) as error:
        raise LayerError(f"'{path.name}' has no readable paths") from error
    at = start + size + 2 * count
    if len(data) < at or not isinstance(paths, list) or len(paths) != count:
        raise LayerError(f"'{path.name}' is cut short")
    if not isinstance(dropped, list) or len(dropped) != drops:
        raise LayerError(f"'{path.name}' is cut short")
    lengths = array("H", data[start + size : at])
    if at + sum(lengths) != len(data):
        raise LayerError(f"'{path.name}' is not of the size its rows need")
    rows = {}
    for row_path, length in zip(paths, lengths, strict=True):
        rows[row_path] = data[at : at + length]
        at += length
    return Layer(rows, tuple(dropped))


def _old_table(generation: Path) -> Signatures:
    path = generation / OLD_NAME
    if not path.is_file():
        return {}
    saved = json.loads(path.read_text(encoding="utf-8"))
    decoded = {path: decoded_signature(value) for path, value in saved.items()}
    return {path: value for path, value in decoded.items() if value}


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
