"""Corpora of the speed harness: the shared news articles written as article files.

The shared data is licensed for evaluation only, so it is read from ``../shared`` at run time and
written only under the git-ignored work folder. Writing 38k files takes a while, so a folder is
reused when a fingerprint file beside it says it already holds exactly these articles.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from relevance_data import news_articles, write_articles

SEED = 42
HELD_BACK = 100  # articles kept out of every corpus, added to time incremental updates

Documents = dict[str, str]  # docid -> file text


@dataclass(frozen=True)
class Corpus:
    """An article folder as a user would have it, and how much text it holds."""

    name: str
    folder: Path
    articles: int
    text_bytes: int
    reused: bool

    @property
    def text_mb(self) -> float:
        return self.text_bytes / 1e6


def ordered_articles(data: Path) -> list[tuple[str, str]]:
    """Every news article in one fixed shuffled order.

    Shuffled so that a 1k corpus mixes both sources and every topic instead of taking the first
    ids of one; fixed so that each smaller corpus is a prefix of the larger ones.
    """
    docs = news_articles(data)
    ids = sorted(docs)
    random.Random(SEED).shuffle(ids)
    return [(docid, docs[docid]) for docid in ids]


def corpus_documents(ordered: list[tuple[str, str]], size: int | None) -> Documents:
    """The first ``size`` articles after the held-back ones; ``None`` means all of them."""
    rest = ordered[HELD_BACK:]
    return dict(rest if size is None else rest[:size])


def held_back_documents(ordered: list[tuple[str, str]]) -> Documents:
    """The articles no corpus contains, to be added during the incremental update test."""
    return dict(ordered[:HELD_BACK])


def prepare_corpus(name: str, folder: Path, docs: Documents) -> Corpus:
    """Write ``docs`` as ``<docid>.txt`` files in ``folder``, or reuse the folder if it has them."""
    marker = folder.with_name(folder.name + ".fingerprint")
    digest = fingerprint(docs)
    unchanged = marker.is_file() and marker.read_text(encoding="utf-8") == digest
    if not unchanged and folder.exists():
        shutil.rmtree(folder)  # write_articles trusts the file names alone
    marker.unlink(missing_ok=True)
    reused = write_articles(folder, docs)
    marker.write_text(digest, encoding="utf-8")
    size = sum(len(text.encode("utf-8")) for text in docs.values())
    return Corpus(name, folder, len(docs), size, reused)


def fingerprint(docs: Documents) -> str:
    """A short hash of every docid and text, in docid order."""
    digest = hashlib.sha256()
    for docid in sorted(docs):
        digest.update(docid.encode() + b"\0" + docs[docid].encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]
