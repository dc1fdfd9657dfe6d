"""Reading article files into ``Article`` records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dvsearch.errors import SeedsFolderError, UnreadableArticleError

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})

_DMY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_YMD = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATELINE_SEARCH_LINES = 6


@dataclass(frozen=True)
class Article:
    """One news article as dvsearch understands it."""

    id: str
    path: str
    title: str
    title_derived: bool
    published: str | None
    page_date: str | None
    author: str | None
    source: str | None
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """The article text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


def iter_article_files(root: Path) -> Iterator[Path]:
    """Every article file under ``root`` in a stable order; hidden files and folders are skipped."""
    if not root.is_dir():
        raise SeedsFolderError(
            f"articles folder '{root}' does not exist: pass --seeds with a folder of article files"
        )
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
            yield path


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableArticleError(
            f"skipped '{name}': not UTF-8 text ({error.reason})"
        ) from error


def read_article_bytes(path: Path) -> bytes:
    """The raw bytes of an article file, with a user-facing error when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableArticleError(f"skipped '{path}': {error.strerror}") from error


def parse_article(text: str, article_id: str, relative_path: str) -> Article:
    """Turn the text of an article file into an ``Article``."""
    lines = [line.strip() for line in text.splitlines()]
    non_empty = [line for line in lines if line]
    if not non_empty:
        raise UnreadableArticleError(f"skipped '{relative_path}': the file is empty")
    return Article(
        id=article_id,
        path=relative_path,
        title=non_empty[0],
        title_derived=False,
        published=_find_dateline(non_empty[:_DATELINE_SEARCH_LINES]),
        page_date=None,
        author=None,
        source=None,
        paragraphs=tuple(non_empty[1:]),
    )


def _find_dateline(lines: list[str]) -> str | None:
    for line in lines:
        if match := _YMD.search(line):
            return f"{match[1]}-{match[2]}-{match[3]}"
        if match := _DMY.search(line):
            return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    return None


def read_article(path: Path, root: Path) -> Article:
    """Read one article file under ``root``; raises ``UnreadableArticleError`` to skip it."""
    relative = path.relative_to(root).as_posix()
    text = decode_article(read_article_bytes(path), relative)
    return parse_article(text, path.stem, relative)
