"""Copies of one article kept as one: the signatures of a generation's articles and its groups.

A folder often holds the same story twice (a UTF-8 and a UTF-16 save, a ``.txt`` and the
``.html`` it came from, one agency story on two sites). Each article's MinHash signature
(``articles/duplicates.py``) is kept beside the index, so an update signs only the files it
reads; the groups are recomputed over all signatures on every run (under a second at 38,000
articles) and stored as ``copy -> primary``. Queries leave the copies out and list them
under their primary.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

SIGNATURES_NAME = "signatures.json"  # path -> signature of every indexed article
COPIES_NAME = "copies.json"  # path of a copy -> path of the article it copies


def signature_of(body: str) -> str:
    """An article body's signature as stored."""
    from dvsearch.articles.duplicates import article_signature

    return article_signature(body).to_json()


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
    unchanged = base is not None and not new and kept.keys() == saved.keys()
    if unchanged and base is not None and (base / COPIES_NAME).is_file():  # reuse the groups
        (generation / SIGNATURES_NAME).write_text(json.dumps(kept), encoding="utf-8")
        copies_text = (base / COPIES_NAME).read_text(encoding="utf-8")
        (generation / COPIES_NAME).write_text(copies_text, encoding="utf-8")
        return
    from dvsearch.articles.duplicates import Signature, group_duplicates

    parsed = {path: Signature.from_json(value) for path, value in kept.items()}
    copies = group_duplicates({path: sig for path, sig in parsed.items() if sig is not None})
    (generation / SIGNATURES_NAME).write_text(json.dumps(kept), encoding="utf-8")
    (generation / COPIES_NAME).write_text(json.dumps(copies, ensure_ascii=False), encoding="utf-8")


def read_copies(generation: Path) -> dict[str, str]:
    """``copy -> primary`` for a generation; empty for one without the table."""
    path = generation / COPIES_NAME
    if not path.is_file():
        return {}
    copies: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return copies


def copies_by_primary(copies: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """``primary -> its copies``, each list sorted."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for copy, primary in copies.items():
        grouped[primary].append(copy)
    return {primary: tuple(sorted(paths)) for primary, paths in grouped.items()}
