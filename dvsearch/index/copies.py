"""Copies of one article kept as one: the signatures of a generation's articles and its groups.

A folder often holds the same story twice (a UTF-8 and a UTF-16 save, a ``.txt`` and the
``.html`` it came from, one agency story on two sites). Each article's MinHash signature
(``articles/duplicates.py``) is kept beside the index (``signature_layers.py``), so an update
signs only the files it reads and compares only those with all the others
(``copy_links.py``); the groups are stored as ``copy -> primary``. Queries leave the copies
out and list them under their primary.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from dvsearch.index import store

if TYPE_CHECKING:  # loaded by the writing side only: a query reads just the copies table
    from dvsearch.index.signature_layers import Signatures, Stack

COPIES_NAME = "copies.json"  # path of a copy -> path of the article it copies
# Comparing one article with 10,000 signatures takes about a millisecond, grouping all of them
# about 0.15 s: an update that signed more than this many, and more than this share of them
# (1/64), groups all again.
_MAX_COMPARED = 64
# Up to this many signed articles are compared without numpy (whose import is 0.2 s): each
# costs about a millisecond at 37,773 articles once the table is laid out (about 30 ms).
_PLAIN_COMPARED = 16


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


def saved_signatures(generation: Path) -> Signatures:
    """The signatures a generation recorded, as bytes (none for one written before they were)."""
    from dvsearch.index.signature_layers import read_signatures

    return read_signatures(generation)


def write_copies(
    generation: Path, base: Path | None, new: Mapping[str, str], paths: Iterable[str]
) -> None:
    """Store the signatures of the articles at ``paths`` (``new`` ones, the others from the
    ``base`` generation) and the groups of copies among them."""
    from dvsearch.index.signature_layers import Stack, as_signatures, read_stack, write_signatures

    below = read_stack(base) if base is not None else Stack([], [])
    signed = as_signatures(new)
    wanted = set(paths)
    fresh = {path: signed[path] for path in sorted(new) if path in wanted and path in signed}
    gone = {path for path in below.latest if path not in wanted or path in new}
    gone -= fresh.keys()
    after = write_signatures(generation, base, below, fresh, gone)
    copies = _updated_copies(base, below, after, fresh) if base is not None else None
    if copies is None:
        copies = _all_copies(after.held())
    store.write_or_share(generation, base, COPIES_NAME, json.dumps(copies, ensure_ascii=False))


def _all_copies(kept: Mapping[str, bytes]) -> dict[str, str]:
    from dvsearch.articles.duplicates import Signature, group_duplicates

    parsed = {path: Signature.from_bytes(value) for path, value in sorted(kept.items())}
    return group_duplicates({path: sig for path, sig in parsed.items() if sig is not None})


def _updated_copies(
    base: Path, below: Stack, after: Stack, fresh: Mapping[str, bytes]
) -> dict[str, str] | None:
    """The groups ``group_duplicates`` finds in ``after``, from ``base``'s groups of
    ``below``: only the articles signed since are compared, each with all the others. None
    when an article that left or changed was in a group (its group may split: all are
    compared)."""
    if not (base / COPIES_NAME).is_file():
        return None
    previous = read_copies(base)
    grouped = previous.keys() | set(previous.values())
    if any(after.value(path) != below.value(path) for path in grouped if path in below.latest):
        return None
    added = [path for path, value in fresh.items() if below.value(path) != value]
    if not added:
        return previous
    if len(added) > _MAX_COMPARED and len(added) * _MAX_COMPARED > len(after.latest):
        return None  # comparing each with all would cost more than grouping all at once
    from dvsearch.index.copy_links import links_of, plain_links_of

    if len(added) <= _PLAIN_COMPARED:
        return _merged(previous, plain_links_of(added, after))
    return _merged(previous, links_of(added, after.held()))


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
