"""Reading article files into ``Article`` records: encoding, site chrome, title, date, byline.

Scraped pages carry the site around the article (visitor counters, toolbars, menus) and sometimes
the article twice. The rules below recognise what such chrome looks like on any site, so they
match line shapes, never particular files.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
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
    reads_as_lead,
    resolve_dates,
    split_byline,
)
from dvsearch.errors import SeedsFolderError, UnreadableArticleError

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})
# The largest of 16,000 vietnews articles is 15 KB; a 1 MB file already takes seconds to
# index and slows every query it matches, and a 50 MB one would take minutes and gigabytes.
MAX_ARTICLE_BYTES = 1 << 20
# Opening never follows a link (the walk never does either) and never waits on a FIFO. The
# flags do not exist on Windows, where links are rare: there the walk's own checks remain.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})  # controls, undecodable bytes, line breaks

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.1
_MAX_BROKEN_SHARE = 0.01  # of the non-ASCII characters in a UTF-8 file
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
    """Every article file under ``root`` in a stable order; hidden files and folders are skipped.

    Links are never followed, so nothing outside ``root`` is read and a link loop cannot hang
    the walk. A link to something inside ``root`` is passed over quietly (its target is found
    under its own name); a link to anything outside or to nothing, and a folder that cannot
    be listed, are yielded too, so that ``read_article_bytes`` refuses them with one warning.
    """
    listing = _folder_listing(root)
    real_root = os.path.realpath(root)
    stack = [iter(listing)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif not entry.name.startswith("."):
            path = Path(entry.path)
            if _is_folder(entry) and printable(entry.name) == entry.name:
                try:
                    stack.append(iter(_sorted_entries(path)))
                except OSError:
                    yield path
            elif _is_reported(entry, path, real_root):
                yield path


def _folder_listing(root: Path) -> list[os.DirEntry[str]]:
    """The entries of the articles folder, or a ``SeedsFolderError`` that says what is wrong."""
    if not root.is_dir():
        raise SeedsFolderError(
            f"articles folder '{root}' does not exist: pass --seeds with a folder of article files"
        )
    try:
        return _sorted_entries(root)
    except OSError as error:
        raise SeedsFolderError(
            f"cannot read articles folder '{root}' ({error.strerror}): make it readable"
        ) from error


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder to walk into; a link to a folder is not one."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_reported(entry: os.DirEntry[str], path: Path, real_root: str) -> bool:
    """An article file to read, or what ``read_article_bytes`` should name in a warning: a link
    leading out or nowhere, or a folder whose name cannot be printed."""
    try:
        if _is_folder(entry):
            return True
        if entry.is_symlink():
            return not _points_inside(path, real_root) and (path.is_dir() or _is_article_name(path))
        return _is_article_name(path) and entry.is_file(follow_symlinks=False)
    except OSError:
        return _is_article_name(path)


def _points_inside(link: Path, real_root: str) -> bool:
    """True for a working link to something inside the articles folder."""
    target = os.path.realpath(link)
    inside = target == real_root or target.startswith(os.path.join(real_root, ""))
    return inside and os.path.exists(link)


def _is_article_name(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def read_article_bytes(path: Path) -> bytes:
    """The raw bytes of an article file, or ``UnreadableArticleError`` saying why it is skipped.

    Only a regular file of at most ``MAX_ARTICLE_BYTES`` is read: a link is not followed, a
    FIFO would block for ever, and a huge file is no article. The name must be UTF-8 so it can
    be stored and printed.
    """
    shown = printable(str(path))
    if path.is_symlink():
        raise UnreadableArticleError(
            f"skipped '{shown}': a link to '{printable(os.readlink(path))}' "
            "(links out of the folder are not followed: copy the file in to index it)"
        )
    if printable(path.name) != path.name:
        raise UnreadableArticleError(
            f"skipped '{shown}': the name has control characters or is not UTF-8: rename it"
        )
    try:
        return _read_regular_file(path, shown)
    except OSError as error:
        raise UnreadableArticleError(
            f"skipped '{shown}': cannot read it ({error.strerror or error})"
        ) from error


def _read_regular_file(path: Path, shown: str) -> bytes:
    """Check what the open file is before reading it, then read at most the size cap."""
    with open(os.open(path, _OPEN_FLAGS), "rb") as file:
        info = os.fstat(file.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableArticleError(f"skipped '{shown}': a folder that cannot be listed")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableArticleError(f"skipped '{shown}': not a regular file")
        _check_size(info.st_size, shown)
        data = file.read(MAX_ARTICLE_BYTES + 1)
    _check_size(len(data), shown)  # the file may have grown since fstat
    return data


def _check_size(size: int, shown: str) -> None:
    if size > MAX_ARTICLE_BYTES:
        raise UnreadableArticleError(
            f"skipped '{shown}': {size / 1e6:,.1f} MB is too large for an article "
            f"(at most {MAX_ARTICLE_BYTES / 1e6:.1f} MB): split it or leave it out"
        )


def printable(text: str) -> str:
    """Text fit for a one-line message: control characters, line breaks and undecodable bytes
    escaped (``new\nline.txt`` -> ``new\\nline.txt``); everything else, accents included, kept."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _UNPRINTABLE
        else ch
        for ch in text
    )


# ---------------------------------------------------------------- encodings


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file in UTF-8, UTF-16/32 with a BOM, or Windows-1258 (as NFC)."""
    name = printable(name)
    text = _decode_bytes(data, name)
    if not text.strip():
        raise UnreadableArticleError(f"skipped '{name}': the file is empty")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    return text


def _decode_bytes(data: bytes, name: str) -> str:
    """A BOM decides the codec; otherwise strict UTF-8, then Windows-1258, then UTF-8 with a few
    broken sequences."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec, name)
    if b"\x00" in data:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode_cp1258(data)
    if text is None:
        text = _decode_broken_utf8(data)
    if text is None:
        raise UnreadableArticleError(f"skipped '{name}': not UTF-8, UTF-16 or Windows-1258 text")
    return text


def _decode_broken_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken sequences (a file cut mid-letter) as U+FFFD, or None.

    Losing a whole article to one bad byte helps nobody; but in a file in some other 8-bit
    encoding almost every non-ASCII letter is a broken sequence, and that file is refused.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    non_ascii = sum(not ch.isascii() for ch in text)
    return text if broken <= max(1, _MAX_BROKEN_SHARE * non_ascii) else None


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
    """The page's dateline: the first line near the top that is only a date."""
    stamps = (parse_dateline(line) for line in lines[:_HEADER_REACH])
    return next((stamp for stamp in stamps if stamp is not None), None)


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
