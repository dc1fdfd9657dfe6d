"""Which reader a file needs, from its content first and its extension second.

Scrapers save pages as ``.txt`` and tools rename files, so the bytes decide when they are
unmistakable (``%PDF-``, a zip with ``word/document.xml``, an HTML doctype); the extension
decides the rest. Each reader imports its heavy library only when called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from dvsearch.articles.readers.document import Document
from dvsearch.articles.readers.docx import is_docx, read_docx
from dvsearch.articles.readers.html import is_html, read_html
from dvsearch.articles.readers.markdown import read_markdown
from dvsearch.articles.readers.pdf import is_pdf, read_pdf
from dvsearch.articles.readers.text import read_text
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import printable

Reader = Callable[[bytes, str], Document]

READERS_BY_SUFFIX: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}
DOCUMENT_SUFFIXES = frozenset(READERS_BY_SUFFIX)


def read_document(data: bytes, name: str) -> Document:
    """The ``Document`` of a file's bytes; ``name`` (its path under the articles folder) gives
    the extension and names the file in an ``UnreadableArticleError``."""
    return choose_reader(data, name)(data, name)


def choose_reader(data: bytes, name: str) -> Reader:
    """The reader the content calls for, else the one the extension names."""
    shown = printable(name)
    if not data.strip():
        raise UnreadableArticleError(f"skipped '{shown}': the file is empty")
    suffix = PurePath(name).suffix.lower()
    if is_pdf(data):
        return read_pdf
    if is_docx(data):
        return read_docx
    if suffix in (".pdf", ".docx"):
        kind = suffix[1:].upper()
        raise UnreadableArticleError(f"skipped '{shown}': named {suffix} but not a {kind} file")
    if is_html(data):
        return read_html
    if suffix not in READERS_BY_SUFFIX:
        known = ", ".join(sorted(READERS_BY_SUFFIX))
        raise UnreadableArticleError(
            f"skipped '{shown}': dvsearch does not read {suffix or 'files without an extension'}"
            f" (it reads {known})"
        )
    return READERS_BY_SUFFIX[suffix]
