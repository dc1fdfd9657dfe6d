"""Saved web pages (``.html``, ``.htm``, or HTML saved under another name) via trafilatura.

trafilatura finds the main text and the headline; ``html_metadata`` corrects its author and
fills in the clock it loses. trafilatura and lxml take 140-600 ms to import, so they are
imported inside ``read_html``: a query never loads them.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from dvsearch.articles.metadata import fingerprint
from dvsearch.articles.readers import html_metadata as meta
from dvsearch.articles.readers.document import Document, compose_text
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import printable

if TYPE_CHECKING:
    from trafilatura.settings import Document as Extraction

HtmlElement = meta.HtmlElement

_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M", "original_date": True, "extensive_search": False}
_MIDNIGHT = "T00:00"  # what htmldate gives when the page has a day but no time
_LINK_SHARE = 0.9
_HEADLINE_OVERLAP = 0.7
_URL = re.compile(r"\w+://")
_LEGACY_SAMPLE = 20_000
_FONT_FAMILY = re.compile(rb"font-family\s*:\s*([^;\"}>]+)|face=\"([^\"]+)\"", re.I)


def is_html(data: bytes) -> bool:
    """A page starts (after a BOM, spaces, comments) with a doctype or an html/head/body tag."""
    return _HTML_START.match(data.removeprefix(b"\xef\xbb\xbf")[:4096]) is not None


def read_html(data: bytes, name: str) -> Document:
    """The article's text, headline, date with time, author and site from a saved page."""
    import trafilatura
    from trafilatura.settings import Document as Extraction
    from trafilatura.utils import load_html

    shown = printable(name)
    tree = load_html(data)
    if tree is None:
        raise UnreadableArticleError(f"skipped '{shown}': not a readable HTML page")
    legacy = _legacy_page(data, tree)
    if legacy is not None:
        tree = load_html(legacy)
    found = trafilatura.bare_extraction(
        drop_link_lists(copy.deepcopy(tree)),
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if not isinstance(found, Extraction) or not (found.text or "").strip():
        raise UnreadableArticleError(f"skipped '{shown}': no article text found in the page")
    return _document(tree, found)


def _legacy_page(data: bytes, tree: HtmlElement) -> str | None:
    """The page decoded as TCVN3 or VNI when its text is that, else None.

    Decoded from the bytes, not repaired after parsing: TCVN3 writes ư as 0xAD, which a
    Windows-1252 page reads as a soft hyphen and the parser drops.
    """
    from dvsearch.vietnamese.legacy import decode_tcvn3, decode_vni, detect_legacy

    if _is_utf8(data):  # TCVN3 and VNI bytes above 0x7F almost never form UTF-8 by chance
        return None
    encoding = detect_legacy(tree.text_content()[:_LEGACY_SAMPLE], _legacy_font(data))
    if encoding is None:
        return None
    return decode_tcvn3(data) if encoding == "tcvn3" else decode_vni(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_font(data: bytes) -> str | None:
    """The first TCVN3 or VNI font a page names in its styles (``font-family: .VnTime``)."""
    from dvsearch.vietnamese.legacy import font_encoding

    for match in _FONT_FAMILY.finditer(data[:_LEGACY_SAMPLE]):
        for font in (match.group(1) or match.group(2)).decode("latin-1").split(","):
            name = font.strip(" '\"")
            if font_encoding(name) is not None:
                return name
    return None


def _document(tree: HtmlElement, found: Extraction) -> Document:
    """Combine trafilatura's findings with the page's own metadata."""
    objects = meta.json_ld_objects(tree)
    title = _headline(tree, found.title)
    source = _source(tree, objects, found, title)
    paragraphs = (found.text or "").splitlines()
    authors = _authors(tree, objects, found, paragraphs, [source or "", found.hostname or ""])
    if authors and paragraphs and meta.split_names(paragraphs[-1]) == authors:
        paragraphs = paragraphs[:-1]  # the closing byline is metadata now, not body
    lead = _printed_lead(tree, found.description, paragraphs)
    return Document(
        text=compose_text(title, lead + paragraphs),
        format="html",
        title=title,
        published=_published(tree, objects, found.date),
        author="; ".join(authors) or None,
        source=source or None,
    )


def _authors(
    tree: HtmlElement,
    objects: list[dict[str, Any]],
    found: Extraction,
    paragraphs: list[str],
    sites: list[str],
) -> list[str]:
    """JSON-LD people, else byline markup, else a closing byline line, else trafilatura's
    author without the site names it mixes in."""
    candidates = (
        meta.json_ld_authors(objects),
        meta.markup_authors(tree),
        meta.split_names(paragraphs[-1]) if paragraphs else [],
        meta.split_names(found.author or ""),
    )
    for names in candidates:
        people = [name for name in names if not meta.is_site_name(name, sites)]
        if people:
            return people
    return []


def _published(tree: HtmlElement, objects: list[dict[str, Any]], date: str | None) -> str | None:
    """trafilatura's date, with the clock from JSON-LD or the page's header when it has none."""
    if date and "T" in date and not date.endswith(_MIDNIGHT):
        return date
    structured = meta.json_ld_published(objects)
    if not date:
        return structured
    day = date[:10]
    if structured and structured.startswith(day):
        return structured
    clock = meta.printed_clock(tree, day)
    return f"{day}T{clock}" if clock else day


def _headline(tree: HtmlElement, title: str | None) -> str | None:
    """The printed headline (the page's one ``h1``) when it is a rewording of the metadata
    title: sites edit the headline after the ``og:title`` went out; a logo ``h1`` is no title."""
    printed = [" ".join(h1.text_content().split()) for h1 in tree.xpath("//h1")]
    printed = [text for text in printed if text]
    if len(printed) != 1 or not title:
        return title or (printed[0] if len(printed) == 1 else None)
    words, title_words = set(printed[0].casefold().split()), set(title.casefold().split())
    shared = len(words & title_words) / min(len(words), len(title_words))
    return printed[0] if shared >= _HEADLINE_OVERLAP else title


def _source(
    tree: HtmlElement, objects: list[dict[str, Any]], found: Extraction, title: str | None
) -> str | None:
    """The site: JSON-LD publisher, ``og:site_name`` or trafilatura's guess, whichever is a
    name (some sites put a URL there, or the headline)."""
    site_names = [str(name) for name in tree.xpath("//meta[@property='og:site_name']/@content")]
    for name in [meta.json_ld_publisher(objects), *site_names, found.sitename]:
        text = " ".join((name or "").split())
        if text and text != title and not _URL.match(text):
            return text
    return None


def _printed_lead(tree: HtmlElement, description: str | None, paragraphs: list[str]) -> list[str]:
    """The sapo (lead summary) when the page prints its description and trafilatura left it
    out: it is the article's own summary, but a site-wide description is printed nowhere."""
    if not description:
        return []
    key = fingerprint(description)
    if any(key in fingerprint(paragraph) for paragraph in paragraphs[:3]):
        return []
    visible = fingerprint(" ".join(tree.xpath("//body//text()[not(ancestor::script)]")))
    return [description] if key and key in visible else []


def drop_link_lists(tree: HtmlElement) -> HtmlElement:
    """``tree`` without lists whose every item is a link: menus and related-article teasers."""
    for listing in tree.xpath("//ul | //ol"):
        items = listing.xpath("./li")
        if len(items) >= 2 and all(_is_link_item(item) for item in items):
            listing.drop_tree()
    return tree


def _is_link_item(item: HtmlElement) -> bool:
    text = len("".join(item.text_content().split()))
    linked = sum(len("".join(a.text_content().split())) for a in item.xpath(".//a"))
    return text == 0 or linked >= _LINK_SHARE * text
