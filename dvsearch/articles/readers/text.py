"""Plain-text article files (``.txt``, ``.text``), decoded as ``files.decode_article`` does."""

from __future__ import annotations

from dvsearch.articles.files import decode_article
from dvsearch.articles.readers.document import Document


def read_text(data: bytes, name: str) -> Document:
    """The decoded text as is: a scraped text file carries no metadata of its own."""
    return Document(text=decode_article(data, name), format="text")
