"""Markdown article files: the markup stripped by a few line rules, the first heading as title.

A full Markdown parser would cost an import and a dependency for what search needs: the words.
Headings, emphasis, links and lists lose their markup; images go (their alt text describes a
picture, not the article); code blocks stay as text.
"""

from __future__ import annotations

import re

from dvsearch.articles.files import decode_article
from dvsearch.articles.readers.document import Document, compose_text

_FENCE = re.compile(r"\s*(```|~~~)")
_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*")
_SETEXT_RULE = re.compile(r"\s{0,3}(=+|-+)\s*")
_RULE = re.compile(r"\s{0,3}([-*_])(?:\s*\1){2,}\s*")
_BULLET = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"\s*(?:>\s?)+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"\s{0,3}\[[^\]]+\]:\s+\S+.*")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# Emphasis markers hug a word: ``*đậm*``, ``__rất__``; a lone ``*`` or ``2 * 3`` stays.
_EMPHASIS = re.compile(r"(?<![\w*_])([*_]{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_SPAN = re.compile(r"`+([^`]+)`+")


def read_markdown(data: bytes, name: str) -> Document:
    """The text without markup, the first heading as title (None if the file has none)."""
    title, lines = strip_markdown(decode_article(data, name))
    return Document(text=compose_text(title, lines), format="markdown", title=title)


def strip_markdown(text: str) -> tuple[str | None, list[str]]:
    """``(first heading, lines of text)``: ``# Tin *mới*`` gives the title ``Tin mới``."""
    title: str | None = None
    lines: list[str] = []
    in_code = False
    for raw in text.splitlines():
        if _FENCE.match(raw):
            in_code = not in_code
        elif in_code:
            lines.append(raw)
        elif _SETEXT_RULE.fullmatch(raw) and lines and lines[-1]:
            if title is None:  # ``Tin mới`` underlined with ``===`` is a heading too
                title = lines.pop()
        elif (heading := _HEADING.fullmatch(raw)) and title is None:
            title = strip_inline(heading[1])
        elif not (_RULE.fullmatch(raw) or _LINK_DEFINITION.fullmatch(raw)):
            lines.append(strip_line(raw))
    return title, lines


def strip_line(line: str) -> str:
    """One line of prose without its block markup (heading hashes, bullet, quote) or inline."""
    if heading := _HEADING.fullmatch(line):
        return strip_inline(heading[1])
    line = _QUOTE.sub("", line, count=1) if _QUOTE.match(line) else line
    line = _BULLET.sub("", line, count=1) if _BULLET.match(line) else line
    return strip_inline(line)


def strip_inline(text: str) -> str:
    """``**Hà Nội** có [tin](http://x)`` → ``Hà Nội có tin``; images are dropped."""
    text = _CODE_SPAN.sub(r"\1", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m[1] if m[1] is not None else m[2], text)
    text = _AUTOLINK.sub(r"\1", _HTML_TAG.sub("", text))
    text = _STRIKE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        text = _EMPHASIS.sub(r"\2", text)
    return text.strip()
