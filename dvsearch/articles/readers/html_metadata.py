"""What a saved news page says about its article beyond trafilatura: JSON-LD, bylines, the clock.

trafilatura's author field joins the site's name to the writer's ("Baochinhphu Vn",
"TUOI TRE ONLINE; NHẬT XUÂN") and keeps "Theo"; its date loses the time when the page gives the
time only in the visible header. The page's JSON-LD ``author`` and the markup sites use for
bylines are more precise, and the rules here only ever accept a personal name.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from dvsearch.articles.metadata import is_personal_name, nfc

# An lxml.html.HtmlElement; lxml ships no type hints.
HtmlElement = Any

_JSON_LD = "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"
_AUTHOR_MARKUP = (
    "//*[@data-role='author' or @rel='author' or @itemprop='author'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]"
)
_VISIBLE_TEXT = "//body//text()[not(ancestor::script) and not(ancestor::style)]"
_BYLINE_PREFIX = re.compile(
    r"^(?:theo|bài(?:\s+và\s+ảnh)?|tác\s+giả|pv|phóng\s+viên)\s*[:.]?\s+", re.IGNORECASE
)
_BYLINE_SUFFIX = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$|\s*[-–—,]\s*$")
_NAME_SEPARATOR = re.compile(r"\s*(?:;|,|\s[-–—]\s|\s+và\s+|\s+&\s+)\s*")
_ISO_CLOCK = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})")
# ``07/03/2026 08:47`` or ``08:47 07/03/2026``, with a few separators (``-``, ``,``, ``|``).
_PRINTED_STAMP = re.compile(
    r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})\D{0,12}?(\d{1,2}):(\d{2})(?!\d)"
    r"|(?<!\d)(\d{1,2}):(\d{2})\D{0,12}?(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"
)


def json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON object in the page's ``ld+json`` scripts, ``@graph`` members flattened."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath(_JSON_LD):
        try:  # pages put raw line breaks inside strings: strict=False accepts them
            found.extend(_flatten(json.loads(script.text_content(), strict=False)))
        except ValueError:
            continue
    return found


def _flatten(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        yield value
        yield from _flatten(value.get("@graph", []))


def json_ld_authors(objects: Iterable[dict[str, Any]]) -> list[str]:
    """The names of the people given as ``author`` (organisations are the site, not a byline)."""
    names: list[str] = []
    for obj in objects:
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict) and _types(author) & {
                "organization",
                "newsmediaorganization",
            }:
                continue
            raw = author.get("name") if isinstance(author, dict) else author
            names.extend(split_names(raw) if isinstance(raw, str) else [])
    return _unique(names)


def json_ld_publisher(objects: Iterable[dict[str, Any]]) -> str | None:
    """The ``publisher`` organisation's name: the site the article ran on."""
    for obj in objects:
        publisher = obj.get("publisher")
        name = publisher.get("name") if isinstance(publisher, dict) else None
        if isinstance(name, str) and name.strip():
            return " ".join(html.unescape(name).split())
    return None


def json_ld_published(objects: Iterable[dict[str, Any]]) -> str | None:
    """``datePublished`` with its local clock (``2026-03-07T08:06:00+07:00`` → ``…T08:06``)."""
    for obj in objects:
        match = _ISO_CLOCK.match(str(obj.get("datePublished", "")))
        if match:
            return f"{match[1]}T{match[2]}"
    return None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", [])
    return {str(item).lower() for item in (kind if isinstance(kind, list) else [kind])}


def markup_authors(tree: HtmlElement) -> list[str]:
    """Names in the elements sites mark as the byline (``class="author"``, ``rel="author"``…)."""
    names: list[str] = []
    for element in tree.xpath(_AUTHOR_MARKUP):
        names.extend(split_names(element.text_content()))
        if names:
            break
    return _unique(names)


def split_names(byline: str) -> list[str]:
    """The personal names in a byline: ``Theo NHẬT XUÂN - NGHI VŨ`` → ``Nhật Xuân``, ``Nghi Vũ``."""
    text = _BYLINE_SUFFIX.sub("", " ".join(nfc(html.unescape(byline)).split()))
    text = _BYLINE_PREFIX.sub("", text)
    parts = [_BYLINE_SUFFIX.sub("", part) for part in _NAME_SEPARATOR.split(text)]
    return [_name_case(part) for part in parts if part and is_personal_name(part)]


def _name_case(name: str) -> str:
    """``NHẬT XUÂN`` → ``Nhật Xuân``; a name already in mixed case is kept as printed."""
    return name.title() if name.isupper() else name


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def is_site_name(name: str, sites: Iterable[str]) -> bool:
    """``Baochinhphu Vn`` for ``baochinhphu.vn``, ``TUOI TRE ONLINE`` for ``Tuổi Trẻ Online``."""
    letters = _letters(name)
    site_letters = [bare for bare in map(_letters, sites) if bare]
    return bool(letters) and any(letters in bare or bare in letters for bare in site_letters)


def _letters(text: str) -> str:
    """Lower-case ASCII letters only, so spellings of a site name with or without accents meet."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in bare.lower() if ch.isascii() and ch.isalnum())


def printed_clock(tree: HtmlElement, day: str) -> str | None:
    """The first ``HH:MM`` the page prints next to ``day`` (``YYYY-MM-DD``) in its visible text."""
    text = " ".join(tree.xpath(_VISIBLE_TEXT))
    for match in _PRINTED_STAMP.finditer(text):
        d, m, y, hh, mm = match.groups()[:5] if match[1] else _reorder(match.groups()[5:])
        if f"{int(y):04d}-{int(m):02d}-{int(d):02d}" == day and int(hh) < 24 and int(mm) < 60:
            return f"{int(hh):02d}:{mm}"
    return None


def _reorder(groups: tuple[str, ...]) -> tuple[str, ...]:
    """``HH, MM, D, M, Y`` as ``D, M, Y, HH, MM``."""
    return groups[2], groups[3], groups[4], groups[0], groups[1]
