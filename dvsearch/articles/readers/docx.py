"""Word documents (``.docx``): paragraphs, tables, core properties, with the standard library.

A DOCX is a zip of XML parts. ``word/document.xml`` holds the body and ``docProps/core.xml`` the
title, author and creation date; reading them with ``zipfile`` and ``xml.etree`` costs no
import time and no dependency (python-docx takes about 107 ms to import, docx2txt gives no
metadata and no fonts).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from dvsearch.articles.readers.document import Document, compose_text
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import printable

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "author": "{http://purl.org/dc/elements/1.1/}creator",
    "created": "{http://purl.org/dc/terms/}created",
}
_BODY_PART = "word/document.xml"
_CORE_PART = "docProps/core.xml"
# A 1 MB zip may inflate a hundredfold; more than this is a zip bomb, not an article.
_MAX_PART_BYTES = 64 << 20
_FONT_ATTRIBUTES = tuple(f"{_W}{side}" for side in ("ascii", "hAnsi", "cs", "eastAsia"))
_W3CDTF = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?")


def is_docx(data: bytes) -> bool:
    """A zip archive with a Word body part: what a ``.docx`` (or a misnamed one) is."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _BODY_PART in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes, name: str) -> Document:
    """Body paragraphs and table rows in order, core title/author/creation date, run fonts."""
    shown = printable(name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = _parse_part(archive, _BODY_PART, shown)
            core = _parse_part(archive, _CORE_PART, shown) if _has(archive, _CORE_PART) else None
    except (zipfile.BadZipFile, KeyError, EOFError) as error:
        raise UnreadableArticleError(f"skipped '{shown}': not a readable DOCX ({error})") from error
    paragraphs = list(_body_paragraphs(body))
    if not any(paragraph.strip() for paragraph in paragraphs):
        raise UnreadableArticleError(f"skipped '{shown}': the document has no text")
    title = _core_value(core, "title")
    return Document(
        text=compose_text(title, paragraphs),
        format="docx",
        title=title,
        published=_core_date(core),
        author=_core_value(core, "author"),
        fonts=_run_fonts(body),
    )


def _has(archive: zipfile.ZipFile, part: str) -> bool:
    return part in archive.namelist()


def _parse_part(archive: zipfile.ZipFile, part: str, shown: str) -> ElementTree.Element:
    """One XML part, refused when it would inflate past the cap or declares a DTD (no entity
    tricks: Word never writes one)."""
    if archive.getinfo(part).file_size > _MAX_PART_BYTES:
        raise UnreadableArticleError(f"skipped '{shown}': {part} is too large for an article")
    xml = archive.read(part)
    if b"<!DOCTYPE" in xml[:4096]:
        raise UnreadableArticleError(f"skipped '{shown}': {part} declares a DTD")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise UnreadableArticleError(f"skipped '{shown}': {part} is broken ({error})") from error


def _body_paragraphs(root: ElementTree.Element) -> Iterator[str]:
    """Top-level paragraphs, and each table row as its cells joined by `` | ``."""
    body = root.find(f"{_W}body")
    for block in body if body is not None else ():
        if block.tag == f"{_W}p":
            yield _paragraph_text(block)
        elif block.tag == f"{_W}tbl":
            yield from _table_rows(block)
        elif block.tag == f"{_W}sdt":  # a content control: its paragraphs count as body
            yield from (_paragraph_text(p) for p in block.iter(f"{_W}p"))


def _table_rows(table: ElementTree.Element) -> Iterator[str]:
    for row in table.iter(f"{_W}tr"):
        cells = (
            " ".join(map(_paragraph_text, cell.iter(f"{_W}p"))) for cell in row.iter(f"{_W}tc")
        )
        yield " | ".join(cell.strip() for cell in cells if cell.strip())


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """The run texts of a paragraph; tabs and line breaks become spaces."""
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
            parts.append(" ")
    return "".join(parts)


def _run_fonts(root: ElementTree.Element) -> frozenset[str]:
    """Font names set on runs (``w:rFonts``); theme references name no font and are left out."""
    return frozenset(
        value.strip()
        for fonts in root.iter(f"{_W}rFonts")
        for attribute in _FONT_ATTRIBUTES
        if (value := fonts.get(attribute)) and value.strip()
    )


def _core_value(core: ElementTree.Element | None, key: str) -> str | None:
    node = core.find(_CORE[key]) if core is not None else None
    text = " ".join((node.text or "").split()) if node is not None else ""
    return text or None


def _core_date(core: ElementTree.Element | None) -> str | None:
    """``dcterms:created`` as ``YYYY-MM-DDTHH:MM`` (the clock as written, usually UTC)."""
    match = _W3CDTF.match(_core_value(core, "created") or "")
    if match is None:
        return None
    return f"{match[1]}T{match[2]}" if match[2] else match[1]
