"""Copies of one article kept as one: the signatures of a generation's articles and its groups.

A folder often holds the same story twice (a UTF-8 and a UTF-16 save, a ``.txt`` and the
``.html`` it came from, one agency story on two sites). Each article's MinHash signature
(``articles/duplicates.py``) is kept beside the index, so an update signs only the files it
reads; the groups are recomputed over all signatures on every run (under a second at 38,000
articles) and stored as ``copy -> primary``. Queries leave the copies out and list them
under their primary.
"""

from __future__ import annotations

import base64
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dvsearch.index import store

SIGNATURES_NAME = "signatures.json"  # path -> signature of every indexed article
COPIES_NAME = "copies.json"  # path of a copy -> path of the article it copies
# Comparing one article with 10,000 signatures takes about a millisecond, grouping all of them
# about 0.15 s: an update that signed more than this many, and more than this share of them
# (1/64), groups all again.
_MAX_COMPARED = 64
# Up to this many signed articles, in an archive of up to so many, are compared without numpy:
# at 10,000 articles in 93 ms, with numpy in 48 ms after its import's 200 ms.
_PLAIN_COMPARED = 2
_PLAIN_ARCHIVE = 30_000


def signature_of(body: str) -> str:
    """An article body's signature as stored: the first few of a process signed in plain
    Python (an update that reads one file then never loads numpy, 0.2 s), the others with
    numpy (ten times faster an article); both give the same signature."""
    if _signed[0] < _SIGNED_PLAIN:
        from dvsearch.articles.minhash import plain_signature_json

        _signed[0] += 1
        return plain_signature_json(body)
    from dvsearch.articles.duplicates import article_signature

    return article_signature(body).to_json()


_SIGNED_PLAIN = 16  # 16 articles in plain Python cost about 40 ms, numpy's import 200 ms
_signed = [0]  # signatures made in plain Python by this process


def saved_signatures(generation: Path) -> dict[str, str]:
    """The signatures a generation recorded (none for one written before they were)."""
    path = generation / SIGNATURES_NAME
    if not path.is_file():
        return {}
    saved: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return saved


def write_copies(
    generation: Path, base: Path | None, new: Mapping[str, str], paths: Iterable[str]
) -> None:
    """Store the signatures of the articles at ``paths`` (``new`` ones, the others from the
    ``base`` generation) and the groups of copies among them."""
    saved = saved_signatures(base) if base is not None else {}
    kept = {
        path: new.get(path) or saved[path] for path in sorted(paths) if path in new or path in saved
    }
    (generation / SIGNATURES_NAME).write_text(json.dumps(kept), encoding="utf-8")
    copies = _updated_copies(base, saved, kept) if base is not None else None
    if copies is None:
        copies = _all_copies(kept)
    store.write_or_share(generation, base, COPIES_NAME, json.dumps(copies, ensure_ascii=False))


def _all_copies(kept: Mapping[str, str]) -> dict[str, str]:
    from dvsearch.articles.duplicates import Signature, group_duplicates

    parsed = {path: Signature.from_json(value) for path, value in kept.items()}
    return group_duplicates({path: sig for path, sig in parsed.items() if sig is not None})


def _updated_copies(
    base: Path, saved: Mapping[str, str], kept: Mapping[str, str]
) -> dict[str, str] | None:
    """The groups ``group_duplicates`` finds in ``kept``, from ``base``'s groups of ``saved``:
    only the articles signed since are compared, each with all the others. None when an
    article that left or changed was in a group (its group may split: all are compared)."""
    if not (base / COPIES_NAME).is_file():
        return None
    previous = read_copies(base)
    grouped = previous.keys() | set(previous.values())
    if any(kept.get(path) != value and path in grouped for path, value in saved.items()):
        return None
    added = [path for path, value in kept.items() if saved.get(path) != value]
    if not added:
        return previous
    if len(added) > _MAX_COMPARED and len(added) * _MAX_COMPARED > len(kept):
        return None  # comparing each with all would cost more than grouping all at once
    plain = len(added) <= _PLAIN_COMPARED and len(kept) <= _PLAIN_ARCHIVE
    links = _plain_links_of if plain else _links_of
    return _merged(previous, links(added, kept))


def _merged(previous: Mapping[str, str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``previous`` groups (copy -> primary, the first path of its group) joined by ``links``."""
    parent = dict(previous)

    def root(path: str) -> str:
        while path in parent:
            path = parent[path]
        return path

    for first, second in links:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {path: root(path) for path in sorted(parent)}


def _links_of(added: list[str], kept: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """``(added path, path)`` for each article of ``kept`` that ``group_duplicates`` would link
    with an ``added`` one: the same words, or a shared band and ``THRESHOLD`` of bins alike.

    Texts with one digest are one group whichever of them ``group_duplicates`` compares by
    bins, so comparing each pair directly finds the same groups."""
    import numpy as np

    from dvsearch.articles.duplicates import BINS, THRESHOLD, Signature
    from dvsearch.articles.minhash import NO_WORDS as no_words

    table = _SignatureTable(kept, no_words)
    bands = table.minima.view(np.uint64)  # bands of BAND_ROWS bins, as duplicates.py reads them
    for path in added:
        signature = Signature.from_json(kept[path])
        if signature is None or signature.digest == no_words:
            continue
        for row in np.flatnonzero(table.digests == np.frombuffer(signature.digest, "<u8")[0]):
            yield path, table.paths[row]
        if signature.minima:
            mine = np.frombuffer(signature.minima, "<u2")
            candidates = np.flatnonzero((bands == mine.view(np.uint64)).any(axis=1))
            agree = np.count_nonzero(table.minima[candidates] == mine, axis=1) / BINS
            for row in candidates[agree >= THRESHOLD]:
                yield path, table.full[row]


def _plain_links_of(added: list[str], kept: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """``_links_of`` without numpy (its import is 0.2 s, comparing one article 10 ms): every
    signature's bands in arrays, each added one's digest and bands found in them by ``index``."""
    from dvsearch.articles.minhash import BAND_ROWS, BINS, HEADER, SIGNATURE_VERSION, THRESHOLD
    from dvsearch.articles.minhash import NO_WORDS as no_words

    full_size = HEADER.size + 2 * BINS
    heads: list[tuple[str, bytes]] = []  # every usable signature's path and digest
    rows: list[tuple[str, bytes]] = []  # those with bins: path and bins
    for path, data in _plain_decoded(kept, full_size):
        usable = len(data) in (HEADER.size, full_size) and data[0] == SIGNATURE_VERSION
        if usable and data[5 : HEADER.size] != no_words:
            heads.append((path, data[5 : HEADER.size]))
            if len(data) == full_size:
                rows.append((path, data[HEADER.size :]))
    digests = array("Q", b"".join(digest for _, digest in heads))
    bands = array("Q", b"".join(row for _, row in rows))  # BINS // BAND_ROWS bands a row
    per_row = BINS // BAND_ROWS
    columns = [bands[band::per_row] for band in range(per_row)]
    for path in added:
        mine = _decoded(kept[path])
        if len(mine) not in (HEADER.size, full_size) or mine[0] != SIGNATURE_VERSION:
            continue
        if mine[5 : HEADER.size] == no_words:
            continue
        for row in _indices(digests, array("Q", mine[5 : HEADER.size])[0]):
            yield path, heads[row][0]
        minima = mine[HEADER.size :]
        if not minima:
            continue
        mine_bands = array("Q", minima)
        candidates = {
            row for band, column in enumerate(columns) for row in _indices(column, mine_bands[band])
        }
        for row in sorted(candidates):
            theirs = rows[row][1]
            agree = sum(theirs[i : i + 2] == minima[i : i + 2] for i in range(0, 2 * BINS, 2))
            if agree / BINS >= THRESHOLD:
                yield path, rows[row][0]


def _indices(numbers: array[int], value: int) -> Iterator[int]:
    """Where ``value`` is in ``numbers``, found at C speed."""
    at = -1
    while True:
        try:
            at = numbers.index(value, at + 1)
        except ValueError:
            return
        yield at


def _plain_decoded(kept: Mapping[str, str], size: int) -> Iterator[tuple[str, bytes]]:
    """Each signature's bytes: those of ``size`` bytes decoded in one pass when all are clean
    base64 (one at a time took 50 ms at 10,000 articles), the others one by one."""
    length = _encoded_length(size)
    block = [path for path, value in kept.items() if len(value) == length and value[-1:] == "="]
    halves = _decoded_halves([kept[path] for path in block], size)
    if halves is None:
        block, halves = [], (b"", b"")
    (head, last), width = halves, size - 2
    for row, path in enumerate(block):
        yield path, head[row * width : (row + 1) * width] + last[3 * row : 3 * row + 2]
    in_block = set(block)
    for path, value in kept.items():
        if path not in in_block:
            yield path, _decoded(value)


class _SignatureTable:
    """Every stored signature decoded at once into arrays (``Signature`` objects for 10,000
    articles took 0.1 s): the digests of all, and the bins of those that have them."""

    def __init__(self, kept: Mapping[str, str], no_words: bytes) -> None:
        import numpy as np

        from dvsearch.articles.duplicates import BINS, SIGNATURE_VERSION

        size = _HEADER_SIZE + 2 * BINS
        length = _encoded_length(size)
        block = [
            path for path, value in kept.items() if isinstance(value, str) and len(value) == length
        ]
        rows = _decoded_rows([kept[path] for path in block], size)
        if rows is None:  # not all clean base64: each value decoded on its own below
            block, rows = [], np.empty((0, size), np.uint8)
        in_block = set(block)
        rest = [(path, _decoded(kept[path])) for path in kept if path not in in_block]
        full = block + [path for path, data in rest if len(data) == size]
        rows = np.vstack([rows, *(_row(data) for _, data in rest if len(data) == size)])
        short = [(path, data) for path, data in rest if len(data) == _HEADER_SIZE]
        heads = np.vstack([rows[:, :_HEADER_SIZE], *(_row(data) for _, data in short)])
        paths = full + [path for path, _ in short]
        words = np.frombuffer(no_words, np.uint8)
        usable = (heads[:, 0] == SIGNATURE_VERSION) & (heads[:, 5:] != words).any(axis=1)
        self.paths = [path for path, ok in zip(paths, usable, strict=True) if ok]
        self.digests = np.ascontiguousarray(heads[usable, 5:]).view("<u8").ravel()
        mine = usable[: len(full)]
        self.full = [path for path, ok in zip(full, mine, strict=True) if ok]
        minima = np.ascontiguousarray(rows[mine, _HEADER_SIZE:])
        self.minima = minima.view("<u2").reshape(len(self.full), BINS)


_HEADER_SIZE = 13  # version, shingle count, digest: ``duplicates._HEADER``
_BASE64 = re.compile("[A-Za-z0-9+/]*")


def _encoded_length(size: int) -> int:
    return 4 * ((size + 2) // 3)


def _decoded_rows(values: list[str], size: int) -> Any:
    """``values``, each the base64 of ``size`` bytes (``size % 3 == 2``: one ``=`` of padding),
    decoded in one pass into an ``(n, size)`` array; None when any is not clean base64."""
    import numpy as np

    halves = _decoded_halves(values, size)
    if halves is None:
        return None
    if not values:
        return np.empty((0, size), np.uint8)
    head = np.frombuffer(halves[0], np.uint8).reshape(len(values), -1)
    last = np.frombuffer(halves[1], np.uint8).reshape(len(values), 3)[:, :2]
    return np.hstack([head, last])


def _decoded_halves(values: list[str], size: int) -> tuple[bytes, bytes] | None:
    """``values``, each the base64 of ``size`` bytes (``size % 3 == 2``), decoded in two
    passes for all: the complete 3-byte groups of each, ``size - 2`` bytes a value, then 3
    bytes a value whose first 2 are its last; None when any is not clean base64."""
    whole = 4 * (size // 3)  # characters of the complete 3-byte groups
    if size % 3 != 2 or not all(value[-1:] == "=" for value in values):
        return None
    body = "".join(value[:whole] for value in values)
    tail = "".join(value[whole:-1] + "A" for value in values)  # 'A' pads with zero bits
    if not (_BASE64.fullmatch(body) and _BASE64.fullmatch(tail)):
        return None
    return base64.b64decode(body), base64.b64decode(tail)


def _decoded(value: object) -> bytes:
    if not isinstance(value, str):
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return b""


def _row(data: bytes) -> Any:
    import numpy as np

    return np.frombuffer(data, np.uint8)[None]


def read_copies(generation: Path) -> dict[str, str]:
    """``copy -> primary`` for a generation; empty for one without the table."""
    text = read_copies_text(generation)
    copies: dict[str, str] = json.loads(text) if text is not None else {}
    return copies


def read_copies_text(generation: Path) -> str | None:
    """The stored table as text; None for a generation without one."""
    path = generation / COPIES_NAME
    return path.read_text(encoding="utf-8") if path.is_file() else None


def copies_by_primary(copies: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """``primary -> its copies``, each list sorted."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for copy, primary in copies.items():
        grouped[primary].append(copy)
    return {primary: tuple(sorted(paths)) for primary, paths in grouped.items()}
