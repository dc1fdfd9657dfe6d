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
    """The ``Article`` of a read file: ``parse_article`` on its text, then ``apply_document``."""
    # Imported here: parsing will import the readers once they are wired into indexing.
    from dvsearch.articles.parsing import parse_article

    return apply_document(parse_article(document.text, article_id, relative_path), document)
