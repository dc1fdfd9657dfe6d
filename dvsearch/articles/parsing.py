"""Article files into ``Article`` records: site chrome, title, date, byline.

Finding the files and decoding them is ``article_files.py``'s business.

Scraped pages carry the site around the article (visitor counters, toolbars, menus) and sometimes
the article twice. The rules below recognise what such chrome looks like on any site, so they
match line shapes, never particular files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

# Re-exported (``x as x``): index.py imports these three from here.
from dvsearch.articles.files import decode_article as decode_article
from dvsearch.articles.files import iter_article_files as iter_article_files
from dvsearch.articles.files import read_article_bytes as read_article_bytes
from dvsearch.articles.metadata import (
    Stamp,
    derive_title,
    fingerprint,
    is_headline,
    nfc,
    parse_dateline,
    reads_as_lead,
    resolve_dates,
    split_byline,
)
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import printable

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

_COUNTER = (
    r"(?:thống\s+kê\s+)?(?:số\s+|tổng\s+(?:số\s+)?)?(?:lượt\s+)?truy\s+cập|(?:số\s+)?lượt\s+xem"
    r"|lượt\s+đọc|hôm\s+nay|hôm\s+qua|tuần\s+này|tuần\s+trước|tháng\s+này|tháng\s+trước"
    r"|năm\s+nay|tất\s+cả|tổng\s+cộng|đang\s+online|đang\s+truy\s+cập|trực\s+tuyến|online"
)
_COUNTER_LINE = re.compile(rf"(?:{_COUNTER})[\s\d.,:|]*", re.IGNORECASE)
_COUNT_VALUE = re.compile(r"[\d.,\s|]+")
# No alternative may start with \s*: spaces are the separator class's alone, or a long run of
# them (``|      …x``) is rescanned from every position, which is quadratic.
_TOOLBAR_LINE = re.compile(
    r"(?:(?:(?:tăng|giảm)\s*)?cỡ\s+chữ|in\s+bài(?:\s+viết)?|bản\s+in|gửi\s+(?:bài|email|e-mail)"
    r"|chia\s+sẻ|lưu\s+bài|phóng\s+to|thu\s+nhỏ|về\s+đầu\s+trang|quay\s+lại|[\s|/·•+-])+",
    re.IGNORECASE,
)
_TEMPLATE_ID = re.compile(r"[A-Za-z][\w.]*(?:\s*-\s*[\w.]+)*")
_NAV_HEADING = re.compile(
    r"(?:chuyên\s+mục|tin|bài\s+viết|các\s+tin|các\s+bài)\s+(?:khác|liên\s+quan|cùng\s+chuyên\s+mục)"
    r"|tin\s+(?:mới|đã\s+đưa|xem\s+nhiều|đọc\s+nhiều)(?:\s+nhất)?|xem\s+thêm|đọc\s+thêm",
    re.IGNORECASE,
)
_NAV_LABEL = re.compile(
    r"video|clip|audio|podcast|ảnh|infographics?|emagazine|tags?|từ\s+khó[aá]|bình\s+luận",
    re.IGNORECASE,
)
_NAV_ITEM_MAX = 160
_HEADER_REACH = 5
# A site's menu and breadcrumb: short link texts, one a line or joined by separators.
# Lookarounds, not \s+ on both sides: a long run of spaces is then not rescanned per position.
_CRUMB_BREAK = re.compile(r"(?<=\s)[|>/](?=\s)|[»›]")
_LINK_PUNCTUATION = re.compile(r"[.,;:!?…\"“”()]")
_MENU_ITEM_WORDS = 4
_CRUMB_WORDS = 8
_LINK_MAX = 60  # characters of one menu item or crumb
_CRUMB_MAX = 200
_MENU_RUN = 3
_SITE_PAGE = re.compile(
    r"trang\s+chủ|trang\s+nhất|home|giới\s+thiệu|liên\s+hệ|tin\s+tức|sự\s+kiện|tìm\s+kiếm"
    r"|đăng\s+nhập|đăng\s+ký|sơ\s+đồ\s+(?:trang|site|cổng)|góp\s+ý|hỏi\s+đáp|diễn\s+đàn"
    r"|english|tiếng\s+việt|rss|danh\s+bạ|liên\s+kết\s+website|thư\s+viện(?:\s+(?:ảnh|video))?",
    re.IGNORECASE,
)
_PUBLISHED_LABEL = re.compile(
    r"ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|cập\s+nhật|xuất\s+bản|posted|published|updated",
    re.IGNORECASE,
)


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


# ---------------------------------------------------------------- site chrome


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a page, stripped, without visitor counters, toolbars and menus."""
    lines = [line for line in map(_tidy, text.splitlines()) if line]
    lines = [line for line in _drop_navigation(_drop_counters(lines)) if not _is_chrome(line)]
    return _drop_menus(lines)


def _tidy(line: str) -> str:
    """The line without the spaces, NBSPs and zero-width characters pages pad lines with."""
    return line.strip().strip(_INVISIBLE).strip()


def _drop_counters(lines: list[str]) -> list[str]:
    """Visitor-counter lines, and the bare number under a label such as ``Hôm nay:``."""
    kept: list[str] = []
    after_counter = False
    for line in lines:
        is_value = after_counter and _COUNT_VALUE.fullmatch(line) is not None
        after_counter = _COUNTER_LINE.fullmatch(nfc(line)) is not None
        if not (after_counter or is_value):
            kept.append(line)
    return kept


def _drop_navigation(lines: list[str]) -> list[str]:
    """A heading such as ``Chuyên mục khác`` and the short link titles listed under it."""
    kept: list[str] = []
    in_list = False
    for line in lines:
        if _NAV_HEADING.fullmatch(nfc(line).rstrip(" :")):
            in_list = True
        elif not (in_list and len(line) <= _NAV_ITEM_MAX):
            in_list = False
            kept.append(line)
    return kept


def _is_chrome(line: str) -> bool:
    """A toolbar, a page-template identifier, or a lone navigation label such as ``Video``."""
    text = nfc(line)
    is_template = text.isascii() and "_" in text and _TEMPLATE_ID.fullmatch(text) is not None
    return (
        is_template
        or _TOOLBAR_LINE.fullmatch(text) is not None
        or _NAV_LABEL.fullmatch(text.rstrip(" :")) is not None
    )


def _drop_menus(lines: list[str]) -> list[str]:
    """The site's menu and breadcrumb above the article and below it.

    At the top, a run of three short link texts is a menu; at the bottom, where articles end in
    tables of names and places, the run must also name a site page (``Liên hệ``) or be a crumb.
    """
    top = _menu_lines(lines, at_top=True)
    bottom = {len(lines) - 1 - i for i in _menu_lines(lines[::-1], at_top=False)}
    return [line for i, line in enumerate(lines) if i not in top | bottom]


def _menu_lines(lines: list[str], at_top: bool) -> set[int]:
    """Positions of the menu run that opens ``lines`` (datelines inside it are kept)."""
    run: list[int] = []
    for i, line in enumerate(lines):
        if _is_menu_item(line) or _is_breadcrumb(line):
            run.append(i)
        elif parse_dateline(line) is None:
            break
    named = any(_is_breadcrumb(lines[i]) or _is_site_page(lines[i]) for i in run)
    return set(run) if named or (at_top and len(run) >= _MENU_RUN) else set()


def _is_link_text(text: str, max_words: int) -> bool:
    """A few words without sentence punctuation, at least one of them a word: a link's text."""
    words = [word for word in text.split() if any(ch.isalnum() for ch in word)]  # not `-`
    return (
        len(text) <= _LINK_MAX
        and 0 < len(words) <= max_words
        and _LINK_PUNCTUATION.search(text) is None
        and any(ch.isalpha() for ch in text)
    )


def _is_menu_item(line: str) -> bool:
    """``Giới thiệu``, ``Công tác dân vận``: one to four words of a menu, one a line."""
    return _is_link_text(nfc(line[: _LINK_MAX + 1]), _MENU_ITEM_WORDS)


def _is_breadcrumb(line: str) -> bool:
    """``Trang chủ | Tin tức | Công tác dân vận``: three crumbs, or two from the home page.

    Two parts alone are not enough: a headline may end in ``| Báo Lạng Sơn``.
    """
    if len(line) > _CRUMB_MAX:
        return False
    parts = [part.strip() for part in _CRUMB_BREAK.split(nfc(line)) if part.strip()]
    if len(parts) < 2 or not all(_is_link_text(part, _CRUMB_WORDS) for part in parts):
        return False
    return len(parts) >= _MENU_RUN or _is_site_page(parts[0])


def _is_site_page(line: str) -> bool:
    """A page every site links to from its menu: ``Trang chủ``, ``Giới thiệu``, ``Liên hệ``."""
    return _SITE_PAGE.fullmatch(nfc(line)) is not None


# ---------------------------------------------------------------- the record


def parse_article(text: str, article_id: str, relative_path: str) -> Article:
    """Turn the text of an article file into an ``Article``; pages with no article are refused."""
    lines = content_lines(text)
    header = _header_date(lines)
    lines = [line for line in lines if parse_dateline(line) is None]
    if not lines:
        raise UnreadableArticleError(
            f"skipped '{printable(relative_path)}': no article text in the file"
        )
    title, title_derived, paragraphs = _split_title(lines, dated=header is not None)
    paragraphs, byline = split_byline(paragraphs)
    repeated = [byline.author, byline.source] + ([] if title_derived else [title])
    paragraphs = _drop_repeats(paragraphs, [line for line in repeated if line])
    published, page_date = resolve_dates(header, paragraphs)
    return Article(
        id=article_id,
        path=relative_path,
        title=title,
        title_derived=title_derived,
        published=_iso(published),
        page_date=_iso(page_date),
        author=byline.author,
        source=byline.source,
        paragraphs=tuple(paragraphs),
    )


def _header_date(lines: list[str]) -> Stamp | None:
    """The page's dateline: the first line near the top that is only a date.

    Lower down, a bare date is a table's or a list's; only a labelled one (``Cập nhật: …``)
    is still the page's own date.
    """
    stamps = (parse_dateline(line) for line in lines[:_HEADER_REACH])
    labelled = (
        parse_dateline(line) for line in lines if _PUBLISHED_LABEL.search(nfc(line)) is not None
    )
    return next((stamp for stamp in chain(stamps, labelled) if stamp is not None), None)


def _split_title(lines: list[str], dated: bool) -> tuple[str, bool, list[str]]:
    """``(title, derived, paragraphs)``: the headline line, or a title made from the lead.

    A first line that reads as a lead summary is the start of the body, unless the page prints
    a dateline, as pages do under a headline (some headlines end in a full stop).
    """
    if len(lines) > 1 and is_headline(lines[0]) and (dated or not reads_as_lead(lines[0])):
        return lines[0], False, lines[1:]
    return derive_title(lines[0]), True, lines


def _drop_repeats(paragraphs: Iterable[str], already_used: Iterable[str]) -> list[str]:
    """Each paragraph once: pages that print the article twice, or repeat the title or byline."""
    seen = {fingerprint(line) for line in already_used}
    kept: list[str] = []
    for paragraph in paragraphs:
        if (key := fingerprint(paragraph)) not in seen:
            seen.add(key)
            kept.append(paragraph)
    return kept


def _iso(stamp: Stamp | None) -> str | None:
    """The ISO text stored on ``Article``."""
    return stamp.iso() if stamp else None


def read_article(path: Path, root: Path) -> Article:
    """Read one article file under ``root``; raises ``UnreadableArticleError`` to skip it."""
    relative = path.relative_to(root).as_posix()
    text = decode_article(read_article_bytes(path), relative)
    return parse_article(text, path.stem, relative)
