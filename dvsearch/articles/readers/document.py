"""The ``Document`` record every reader returns, and how it feeds ``parse_article``.

A reader knows what the file format itself says (a DOCX's core properties, a PDF's info
dictionary, a page's JSON-LD); cleaning knows what the text says. The format is told by the
author's software, so where it speaks it overrides what cleaning guesses from the lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dvsearch.articles.parsing import Article


DECODED_AS_TEXT = frozenset({"text", "markdown"})  # formats read by ``files.decode_article``


@dataclass(frozen=True)
class Document:
    """A file's text to clean, and the metadata its format carries (None where it says nothing).

    ``text`` holds one paragraph a line, the title first when the format gives one.
    ``published`` is ``YYYY-MM-DDTHH:MM`` when the time is known, else ``YYYY-MM-DD``.
    ``fonts`` are the font names the text is set in (DOCX runs, PDF BaseFonts), so that a later
    stage can recognise legacy ``.VnTime`` or ``VNI-Times`` text.
    """

    text: str
    format: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None
    fonts: frozenset[str] = frozenset()


def compose_text(title: str | None, paragraphs: Iterable[str]) -> str:
    """The title line, then each non-blank paragraph on a line of its own, spaces collapsed.

    >>> compose_text("Tin", ["  Một  hai. ", "", "Ba"])
    'Tin\\nMột hai.\\nBa'
    """
    lines = [" ".join(part.split()) for part in ([title] if title else []) + list(paragraphs)]
    return "\n".join(line for line in lines if line)


def apply_document(article: Article, document: Document) -> Article:
    """``article`` (cleaned from ``document.text``) with the format's metadata where it has some.

    The title then counts as printed, not derived from the lead; the cleaned date the page
    printed is kept as ``page_date`` when the format's own date differs.
    """
    changes: dict[str, object] = {}
    if document.title:
        changes.update(title=document.title, title_derived=False)
    if document.published:
        changes["published"] = document.published
        if article.published and article.published != document.published:
            changes["page_date"] = article.published
    if document.author:
        changes["author"] = document.author
    if document.source:
        changes["source"] = document.source
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def parse_document(document: Document, article_id: str, relative_path: str) -> Article:
    """The ``Article`` of a read file: ``parse_article`` on its text (in Unicode again when it
    was set in a TCVN3 or VNI font), then ``apply_document``."""
    from dvsearch.articles.parsing import parse_article

    document = unlegacy_document(document)
    return apply_document(parse_article(document.text, article_id, relative_path), document)


def unlegacy_document(document: Document) -> Document:
    """``document`` with its text and metadata decoded from TCVN3 or VNI when they are that.

    A DOCX run in ``.VnTime`` or a page in ``VNI-Times`` holds Latin letters that only the font
    turns into Vietnamese; the font name decides first, then the share of valid syllables.
    """
    from dvsearch.vietnamese.legacy import detect_legacy, font_encoding, repair_legacy

    if document.format in DECODED_AS_TEXT:  # the text decoder already tried both
        return document
    fonts = sorted(font for font in document.fonts if font_encoding(font) is not None)
    encoding = detect_legacy(document.text, fonts[0] if fonts else None)
    if encoding is None:
        return document

    def repaired(value: str | None) -> str | None:
        return repair_legacy(value, encoding) if value else value

    return dataclasses.replace(
        document,
        text=repair_legacy(document.text, encoding),
        title=repaired(document.title),
        author=repaired(document.author),
        source=repaired(document.source),
    )
