"""Reading article files into ``Article`` records: encoding, site chrome, title, date, byline.

Scraped pages carry the site around the article (visitor counters, toolbars, menus) and sometimes
the article twice. The rules below recognise what such chrome looks like on any site, so they
match line shapes, never particular files.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dvsearch.article_metadata import (
    Stamp,
    derive_title,
    fingerprint,
    is_headline,
    nfc,
    parse_dateline,
    resolve_dates,
    split_byline,
)
from dvsearch.errors import SeedsFolderError, UnreadableArticleError

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.1
# Letters only Vietnamese uses (ă ơ ư đ ĩ ũ and U+1EA0-U+1EF9): Latin-1 text has none of them.
_VIETNAMESE_ONLY = frozenset("ăĂơƠưƯđĐĩĨũŨ" + "".join(map(chr, range(0x1EA0, 0x1EFA))))
_VIETNAMESE_LETTERS = _VIETNAMESE_ONLY | frozenset(
    unicodedata.normalize("NFC", vowel + mark)
    for vowel in "aâeêioôuyAÂEÊIOÔUY"
    for mark in ("", "\u0300", "\u0301", "\u0303")
)
_MIN_VIETNAMESE_SHARE = 0.03
_MAX_FOREIGN_SHARE = 0.02
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

_COUNTER = (
    r"(?:thống\s+kê\s+)?(?:số\s+|tổng\s+(?:số\s+)?)?(?:lượt\s+)?truy\s+cập|(?:số\s+)?lượt\s+xem"
    r"|lượt\s+đọc|hôm\s+nay|hôm\s+qua|tuần\s+này|tuần\s+trước|tháng\s+này|tháng\s+trước"
    r"|năm\s+nay|tất\s+cả|tổng\s+cộng|đang\s+online|đang\s+truy\s+cập|trực\s+tuyến|online"
)
_COUNTER_LINE = re.compile(rf"(?:{_COUNTER})[\s\d.,:|]*", re.IGNORECASE)
_COUNT_VALUE = re.compile(r"[\d.,\s|]+")
_TOOLBAR_LINE = re.compile(
    r"(?:(?:tăng|giảm)?\s*cỡ\s+chữ|in\s+bài(?:\s+viết)?|bản\s+in|gửi\s+(?:bài|email|e-mail)"
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


def iter_article_files(root: Path) -> Iterator[Path]:
    """Every article file under ``root`` in a stable order; hidden files and folders are skipped."""
    if not root.is_dir():
        raise SeedsFolderError(
            f"articles folder '{root}' does not exist: pass --seeds with a folder of article files"
        )
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
            yield path


# ---------------------------------------------------------------- encodings


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file in UTF-8, UTF-16/32 with a BOM, or Windows-1258 (as NFC)."""
    text = _decode_bytes(data, name)
    if not text.strip():
        raise UnreadableArticleError(f"skipped '{name}': the file is empty")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    return text


def _decode_bytes(data: bytes, name: str) -> str:
    """A BOM decides the codec; otherwise strict UTF-8, and Windows-1258 as the last resort."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec, name)
    if b"\x00" in data:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (text := _decode_cp1258(data)) is None:
        raise UnreadableArticleError(f"skipped '{name}': not UTF-8, UTF-16 or Windows-1258 text")
    return text


def _decode_with_bom(data: bytes, codec: str, name: str) -> str:
    """Decode with the codec the BOM names; a broken file is skipped, not half-read."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise UnreadableArticleError(
            f"skipped '{name}': not valid {error.encoding} text"
        ) from error


def _decode_cp1258(data: bytes) -> str | None:
    """Windows-1258 text as NFC, or None when the bytes do not read as Vietnamese.

    CP1258 writes most tone marks as separate combining characters; NFC joins them to the vowel.
    Any 8-bit file decodes as CP1258, so the result must also look like Vietnamese.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if _looks_vietnamese(text) else None


def _looks_vietnamese(text: str) -> bool:
    """Enough letters only Vietnamese uses, and few foreign letters or stray tone marks."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    vietnamese = sum(ch in _VIETNAMESE_ONLY for ch in letters)
    foreign = sum(not ch.isascii() and ch not in _VIETNAMESE_LETTERS for ch in letters)
    foreign += sum(unicodedata.combining(ch) > 0 for ch in text)
    return vietnamese >= _MIN_VIETNAMESE_SHARE * len(
        letters
    ) and foreign <= _MAX_FOREIGN_SHARE * len(letters)


def _control_share(text: str) -> float:
    """Share of control characters: text has almost none, binary files have many."""
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS for ch in text)
    return controls / len(text)


def read_article_bytes(path: Path) -> bytes:
    """The raw bytes of an article file, with a user-facing error when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableArticleError(f"skipped '{path}': {error.strerror}") from error


# ---------------------------------------------------------------- site chrome


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a page, stripped, without visitor counters, toolbars and menus."""
    lines = [line for line in map(_tidy, text.splitlines()) if line]
    return [line for line in _drop_navigation(_drop_counters(lines)) if not _is_chrome(line)]


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


# ---------------------------------------------------------------- the record


def parse_article(text: str, article_id: str, relative_path: str) -> Article:
    """Turn the text of an article file into an ``Article``; pages with no article are refused."""
    lines = content_lines(text)
    header = _header_date(lines)
    lines = [line for line in lines if parse_dateline(line) is None]
    if not lines:
        raise UnreadableArticleError(f"skipped '{relative_path}': no article text in the file")
    title, title_derived, paragraphs = _split_title(lines)
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
    """The page's dateline: the first line near the top that is only a date."""
    stamps = (parse_dateline(line) for line in lines[:_HEADER_REACH])
    return next((stamp for stamp in stamps if stamp is not None), None)


def _split_title(lines: list[str]) -> tuple[str, bool, list[str]]:
    """``(title, derived, paragraphs)``: the headline line, or a title made from the lead."""
    if len(lines) > 1 and is_headline(lines[0]):
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
