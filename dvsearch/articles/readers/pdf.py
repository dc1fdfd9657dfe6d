"""PDF files with a text layer, read with pypdf: text per page, info-dictionary metadata, fonts.

pypdf takes 130-300 ms to import, so it is imported inside ``read_pdf``: a query never pays.
A scanned PDF has pages but no text; it is refused with a message saying so, not indexed empty.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dvsearch.articles.readers.document import Document, compose_text
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import printable

if TYPE_CHECKING:
    from pypdf import PdfReader

_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2}))?")
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# Titles that word processors fill in from the file name say nothing about the article.
_FILE_NAME_TITLE = re.compile(r"^Microsoft \w+ - |\.(?:docx?|pdf|odt|rtf|txt)$", re.IGNORECASE)
_LINE_END = re.compile(r"[.!?:;…\"”)\]]$")


def is_pdf(data: bytes) -> bool:
    """PDF files start with ``%PDF-``, which readers accept within the first kilobyte."""
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, name: str) -> Document:
    """The text of every page, the info title/author/creation date, the fonts' base names."""
    from pypdf.errors import PyPdfError

    shown = printable(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about every repairable flaw
            return _read(data, shown)
    # pypdf raises its own errors for a broken file, and these built-in ones on malformed
    # objects (a missing key, a null where a dictionary belongs).
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableArticleError(f"skipped '{shown}': not a readable PDF ({error})") from error


def _read(data: bytes, shown: str) -> Document:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableArticleError(f"skipped '{shown}': the PDF is password-protected")
    lines = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
    if not any(line.strip() for line in lines):
        raise UnreadableArticleError(
            f"skipped '{shown}': the PDF has no text layer (a scanned PDF?): "
            "run OCR on it (ocrmypdf) to index it"
        )
    title, author, published = _info(reader)
    return Document(
        text=compose_text(title, join_lines(lines)),
        format="pdf",
        title=title,
        published=published,
        author=author,
        fonts=frozenset(_fonts(reader)),
    )


def join_lines(lines: Iterable[str]) -> list[str]:
    """PDF lines into paragraphs: a line goes on with the next when it ends mid-sentence and
    the next starts in lower case (``giá vàng`` / ``tăng mạnh.``)."""
    paragraphs: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if paragraphs and line[0].islower() and not _LINE_END.search(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def _info(reader: PdfReader) -> tuple[str | None, str | None, str | None]:
    """``(title, author, published)`` from the document information dictionary."""
    info = reader.metadata
    if info is None:
        return None, None, None
    title = _clean(info.get("/Title"))
    if title and _FILE_NAME_TITLE.search(title):
        title = None
    return title, _clean(info.get("/Author")), _pdf_date(_clean(info.get("/CreationDate")))


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _pdf_date(raw: str | None) -> str | None:
    """``D:20240102100400+07'00'`` → ``2024-01-02T10:04``: the clock as the PDF wrote it."""
    match = _PDF_DATE.match(raw or "")
    if match is None:
        return None
    day = f"{match[1]}-{match[2]}-{match[3]}"
    return f"{day}T{match[4]}:{match[5]}" if match[4] else day


def _fonts(reader: PdfReader) -> Iterator[str]:
    """Each page's font resources by base name, without the ``ABCDEF+`` subset tag."""
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in fonts.get_object().values() if fonts is not None else ():
            base = font.get_object().get("/BaseFont")
            if base is not None:
                yield _SUBSET_PREFIX.sub("", str(base).lstrip("/"))
