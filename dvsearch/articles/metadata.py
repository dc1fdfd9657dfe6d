"""What an article says about itself: its dateline, publication date, title and byline.

Every rule matches on the NFC form of a line so decomposed (NFD) files behave like the rest, while
the text handed back keeps the characters the file had.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date

_FULL_DATE = re.compile(
    r"(?<![\d/.-])(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?![\d/.-])"
)
_TIME = re.compile(r"(?<!\d)T?(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?!\d)")
_GMT = re.compile(r"\(?\s*GMT\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?", re.IGNORECASE)
# What may surround a date on a dateline: a weekday, a label, and separators; nothing else.
_DATELINE_WORDS = re.compile(
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|ngày\s+đăng|đăng\s+ngày|đăng\s+lúc"
    r"|cập\s+nhật|xuất\s+bản|thời\s+gian|ngày|lúc|giờ|posted|published|updated",
    re.IGNORECASE,
)
# The longest dateline shape (weekday, labels, date, time, GMT offset) is about 70 characters.
_DATELINE_MAX = 120
_DASHES = "\\-\u2013\u2014"  # hyphen, en dash, em dash, escaped for a character class
_DATELINE_LEFTOVER = re.compile(rf"[\s,.:;|/(){_DASHES}]*")
# A lead opens with when it happened: "Sáng 22/5", "Chiều nay (20/6)", "Ngày 23/10/2018".
_LEAD_DATE = re.compile(
    r"\b(?:sáng|chiều|trưa|tối|đêm|ngày|hôm)(?:\s+(nay)|\s+(?:qua|mai|này))?\s*[(,]?\s*"
    r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
_LEAD_DATE_REACH = 100
_YEAR_MENTION = re.compile(r"(?:\bnăm\s+|\d/)((?:19|20)\d\d)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+[\"“(]?(\w)")
_ABBREVIATION = re.compile(r"(?:^|[\s.])(?:[A-ZĐ]{1,3}|Th|ThS)\.$")  # TP. Hồ Chí Minh, Th.S. Lan
_ABBREVIATION_REACH = 8  # longer than any match of _ABBREVIATION (at most five characters)
_CLAUSE_BREAK = re.compile(rf"[,;:]\s|\s[{_DASHES}]\s")
_HEADLINE_MAX = 160
_TITLE_MAX = 120
_LEAD_MIN_WORDS = 15
_NAME_SYLLABLES = range(2, 6)
_SOURCE_MAX = 80
_SOURCE_WORDS = 9
_ROMAN_NUMERAL = re.compile(r"[IVX]+")
# Lines that look like names but name a place in a text or an organisation: not a writer.
_NOT_NAME_START = frozenset(
    "theo nguồn phần kỳ chương tập bài báo đài tạp ban sở bộ tỉnh huyện xã".split()  # noqa: SIM905
)
_STAFF = re.compile(r"(?:nhóm\s+)?(?:PV|CTV|phóng\s+viên|p\.v)", re.IGNORECASE)
_WRITER_BREAK = re.compile(rf"\s*[,;&]\s*|\s+[{_DASHES}]\s+|\s+và\s+")
_ROLE = re.compile(
    r"(?:(?:bài|tin)(?:\s*(?:,|và|-|\+|&|/)\s*ảnh)?|(?:nhóm\s+)?thực\s+hiện|tác\s+giả"
    r"|người\s+viết)\s*:\s*",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"(.+?)\s*\(([^()]{1,60})\)")
_COMPILER_NOTE = re.compile(r"t[ổo]ng\s+h[ợo]p|th|t/h|(?:lược|biên)?\s*dịch|ghi", re.IGNORECASE)
_SOURCE_LABEL = re.compile(r"(?:theo|nguồn\s*:)\s*", re.IGNORECASE)
_SOURCE_PUNCTUATION = re.compile(r"[,;!?@]|\.\s|https?:|www\.")
_ORGANISATION = re.compile(
    r"(?:báo|tạp\s+chí|đài|cổng\s+thông\s+tin|trung\s+tâm|thông\s+tấn\s+xã|ban|văn\s+phòng"
    r"|sở|phòng|ủy\s+ban|uỷ\s+ban|UBND|MTTQ)\s",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"[A-ZĐ]{2,8}(?:\s+[A-ZĐ]{2,8})?")
_PHOTO_CREDIT = re.compile(r"\(?\s*(?:ảnh|video|clip)\s*:[^()]{1,80}\)?\.?", re.IGNORECASE)
_PROSE_MIN_WORDS = 8
_PROSE_ENDINGS = (".", "!", "?", "…", '"', "”", "»")


@dataclass(frozen=True)
class Stamp:
    """A calendar date with the time of day when the page really gave one."""

    day: date
    time: str | None = None

    def iso(self) -> str:
        """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``."""
        return f"{self.day.isoformat()}T{self.time}" if self.time else self.day.isoformat()


@dataclass(frozen=True)
class Byline:
    """Who wrote the article and for which organisation, as the page printed them."""

    author: str | None
    source: str | None


def nfc(text: str) -> str:
    """The NFC form every rule matches on."""
    return unicodedata.normalize("NFC", text)


def fingerprint(line: str) -> str:
    """A line with its whitespace normalised, so copies of one paragraph compare equal."""
    return " ".join(nfc(line).split())


# ---------------------------------------------------------------- dates


def parse_dateline(line: str) -> Stamp | None:
    """The date of a line that is only a date (``Chủ nhật, 01/11/2020``), else None."""
    if len(line) > _DATELINE_MAX:  # a paragraph: scanning it for dates was a third of cleaning
        return None
    text = nfc(line)
    found = list(_FULL_DATE.finditer(text))
    if len(found) != 1 or (day := _valid_date(found[0])) is None:
        return None
    rest = text[: found[0].start()] + " " + text[found[0].end() :]
    time_match = _TIME.search(rest)
    if time_match:
        rest = rest[: time_match.start()] + " " + rest[time_match.end() :]
    rest = _DATELINE_WORDS.sub(" ", _GMT.sub(" ", rest))
    if not _DATELINE_LEFTOVER.fullmatch(rest):
        return None
    return Stamp(day, _clock(time_match) if time_match else None)


def _valid_date(match: re.Match[str]) -> date | None:
    """The date of a ``D/M/YYYY`` or ``YYYY-MM-DD`` match; None for 31/02 and the like."""
    parts = match.groups()
    day, month, year = parts[:3] if parts[0] else (parts[5], parts[4], parts[3])
    return _make_date(int(year), int(month), int(day))


def _make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar date, or None: numbers in scraped text are not always dates."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(match: re.Match[str]) -> str | None:
    """``HH:MM[:SS]``; midnight ``00:00:00`` is how pages print "no time", so it is None."""
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59 or hours == minutes == seconds == 0:
        return None
    clock = f"{hours:02d}:{minutes:02d}"
    return f"{clock}:{seconds:02d}" if match[3] else clock


def resolve_dates(header: Stamp | None, paragraphs: list[str]) -> tuple[Stamp | None, Stamp | None]:
    """``(published, page_date)`` from the page's own date; never a date pieced together.

    Only a dateline says when a page ran: numbers inside the text are the dates of events, and a
    day and month from the lead joined to a year named elsewhere (``sinh năm 1967``) made dates
    decades off. A page header can carry the day the page was rendered rather than the day the
    article ran: when the text names only earlier years, the header becomes ``page_date`` and the
    article stays undated. A lead that says the article's own day (``Sáng nay (3/2)``) takes the
    year of the header, the latest such day not after it.
    """
    if header is None:
        return None, None
    lead = _lead_date(paragraphs[0]) if paragraphs else None
    if not _header_agrees(header, lead, mentioned_years(paragraphs)):
        return None, header
    today = _today_before(header, lead) if lead is not None and lead.today else None
    return (Stamp(today), header) if today else (header, None)


@dataclass(frozen=True)
class _LeadDate:
    """The day a lead opens with, and whether it says that day is today (``Sáng nay``)."""

    day: int
    month: int
    today: bool


def _lead_date(lead: str) -> _LeadDate | None:
    """The day and month the lead opens with, unless it prints a year (an event's full date)."""
    match = _LEAD_DATE.search(nfc(lead)[:_LEAD_DATE_REACH])
    if match is None or match[4]:
        return None
    return _LeadDate(int(match[2]), int(match[3]), match[1] is not None)


def mentioned_years(paragraphs: list[str]) -> Counter[int]:
    """How often each year is named in the text: evidence against a header, never a date."""
    return Counter(int(year) for text in paragraphs for year in _YEAR_MENTION.findall(nfc(text)))


def _header_agrees(header: Stamp, lead: _LeadDate | None, years: Counter[int]) -> bool:
    # A January report on last year names only last year, so the year before also agrees.
    if lead is not None and (lead.day, lead.month) == (header.day.day, header.day.month):
        return True
    year = header.day.year
    return not years or year in years or year - 1 in years


def _today_before(header: Stamp, lead: _LeadDate) -> date | None:
    """The lead's day in the header's year, or the year before if that falls after the header."""
    for year in (header.day.year, header.day.year - 1):
        day = _make_date(year, lead.month, lead.day)
        if day is not None and day <= header.day:
            return day if day != header.day else None
    return None


# ---------------------------------------------------------------- title


def is_headline(line: str) -> bool:
    """A short single-sentence line with at least two words: what a page prints as a headline."""
    text = fingerprint(line)
    return len(text) <= _HEADLINE_MAX and len(text.split()) >= 2 and _first_sentence(text) == text


def reads_as_lead(line: str) -> bool:
    """A long sentence closed by a full stop: how news sites open the body with a summary (sapo).

    Measured on 5,000 vietnews articles: 98% of their summary lines are full-stopped and longer
    than 15 words, against one headline in 5,000; headlines are 10-17 words and rarely end in
    a stop.
    """
    text = fingerprint(line)
    return text.endswith(".") and len(text.split()) > _LEAD_MIN_WORDS


def _first_sentence(text: str) -> str:
    """Text up to the first full stop that is followed by a capital and ends no abbreviation.

    Only the few characters before each stop are searched for an abbreviation, so a long line
    of stops (``A. A. A. …``) costs linear time, not quadratic.
    """
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if match[1].isupper() and not _ABBREVIATION.search(text, end - _ABBREVIATION_REACH, end):
            return text[:end]
    return text


def derive_title(lead: str) -> str:
    """A title made from the lead's first sentence, cut at a clause break near 120 characters."""
    sentence = _first_sentence(fingerprint(lead)).rstrip(".!?… ")
    if len(sentence) <= _TITLE_MAX:
        return sentence or fingerprint(lead)[:_TITLE_MAX]
    head = sentence[: _TITLE_MAX - 1]
    breaks = [match.start() for match in _CLAUSE_BREAK.finditer(head)]
    cut = breaks[-1] if breaks and breaks[-1] >= _TITLE_MAX // 3 else head.rfind(" ")
    return head[: cut if cut > 0 else len(head)].rstrip(" ,;:-\u2013\u2014") + "…"


# ---------------------------------------------------------------- byline


def is_personal_name(line: str) -> bool:
    """2-5 capitalised (or all-caps) syllables, letters only: ``Hương Lan``, ``NÔNG ĐÌNH QUANG``."""
    syllables = nfc(line).split()
    return (
        len(syllables) in _NAME_SYLLABLES
        and all(map(_is_name_syllable, syllables))
        and syllables[0].casefold() not in _NOT_NAME_START
    )


def _is_name_syllable(syllable: str) -> bool:
    """``Lan`` or ``QUANG``: names are capitalised; captions like ``Ảnh: MT`` hold punctuation."""
    is_numeral = _ROMAN_NUMERAL.fullmatch(syllable) is not None  # ``Phần II`` ends a chapter
    return syllable.isalpha() and (syllable.istitle() or syllable.isupper()) and not is_numeral


def _is_writer(part: str) -> bool:
    """One writer on a byline: a personal name or a staff credit such as ``PV`` or ``Nhóm PV``."""
    return is_personal_name(part) or _STAFF.fullmatch(part) is not None


def _writers(text: str) -> bool:
    """``Thu Hà - Minh Đức``, ``Thu Hà, Minh Đức``: every part a writer."""
    return all(map(_is_writer, _WRITER_BREAK.split(text)))


def byline_writers(byline: str) -> list[str]:
    """The writers a byline names, as the byline reader split them: ``Thu Hà - Minh Đức``
    and ``Thu Hà và Minh Đức`` are two; empty parts dropped."""
    return [part for part in _WRITER_BREAK.split(nfc(byline).strip()) if part]


def _read_byline(line: str) -> Byline | None:
    """The byline one line prints, or None.

    ``Thanh Hà (TTXVN)`` names the agency in brackets; ``Bài, ảnh: Minh Đức`` gives the writer's
    role first; a note such as ``(tổng hợp)`` is no source.
    """
    text = nfc(line)
    role = _ROLE.match(text)
    if role:
        text = text[role.end() :]
    bracket = _BRACKETED.fullmatch(text)
    names, source = (bracket[1], _bracket_source(bracket[2])) if bracket else (text, None)
    if not _writers(names):
        return None
    kept = line if names == nfc(line) else _like(line, names)
    return Byline(kept, _like(line, source) if source else None)


def _bracket_source(inside: str) -> str | None:
    """``TTXVN`` from ``(TTXVN)``, ``Reuters`` from ``(theo Reuters)``; None for ``(tổng hợp)``."""
    label = _SOURCE_LABEL.match(inside)
    if label:
        return inside[label.end() :] or None
    return None if _COMPILER_NOTE.fullmatch(inside) else inside


def _read_source(line: str, under_writer: bool) -> str | None:
    """The organisation a line credits: ``Theo Sức Khỏe Gia Đình``, ``Nguồn: TTXVN``, ``TTXVN``.

    An organisation's name (``Báo …``, ``Trung tâm …``) counts only under a writer's line: alone
    at the end of a page it is as often a related headline (``Công an đang điều tra…``).
    """
    text = nfc(line).rstrip(". ")
    if len(text) > _SOURCE_MAX or not text or _SOURCE_PUNCTUATION.search(text):
        return None
    label = _SOURCE_LABEL.match(text)
    if label:
        rest = text[label.end() :]
        return _like(line, rest) if any(word[:1].isupper() for word in rest.split()) else None
    if _ACRONYM.fullmatch(text):
        return _like(line, text)
    is_organisation = _ORGANISATION.match(text) is not None and len(text.split()) <= _SOURCE_WORDS
    plain = not any(ch.isdigit() or ch in ":()" for ch in text)
    return _like(line, text) if under_writer and is_organisation and plain else None


def _like(line: str, piece: str) -> str:
    """``piece`` (found in the NFC form) in the normal form the file wrote ``line`` in."""
    return unicodedata.normalize("NFD", piece) if line != nfc(line) else piece


def _ends_prose(line: str) -> bool:
    """A paragraph a byline can close: a sentence, or a long line; not a list item or a greeting.

    Table cells, addresses and a letter's ``Kính thư,`` are short or end in ``,`` and ``:``.
    """
    text = nfc(line).rstrip()
    is_long = len(text.split()) >= _PROSE_MIN_WORDS and not text.endswith((",", ":", ";"))
    return is_long or text.endswith(_PROSE_ENDINGS)


def split_byline(paragraphs: list[str]) -> tuple[list[str], Byline]:
    """The paragraphs without the closing byline, and the byline (writers + organisation).

    A byline is the last line(s) under the article's final sentence, before any photo credit
    (``Ảnh: …``): a name inside a table, an address or a letter's signature (``Kính thư,``) is
    not one, and a ``Theo …`` line credits a source, never an author.
    """
    end = len(paragraphs)
    while end > 0 and _PHOTO_CREDIT.fullmatch(nfc(paragraphs[end - 1])):
        end -= 1
    for size in (2, 1):
        start = end - size
        if start < 1 or not _ends_prose(paragraphs[start - 1]):
            continue
        byline = _byline_of(paragraphs[start:end])
        if byline is not None:
            return paragraphs[:start] + paragraphs[end:], byline
    return paragraphs, Byline(None, None)


def _byline_of(lines: list[str]) -> Byline | None:
    """``[writers]``, ``[source]`` or ``[writers, source]`` as a byline; anything else None."""
    *writer_lines, last = lines
    source = _read_source(last, under_writer=bool(writer_lines))
    if not writer_lines:
        return _read_byline(last) or (Byline(None, source) if source else None)
    writers = _read_byline(writer_lines[0])
    if writers is None or source is None or writers.source is not None:
        return None
    return Byline(writers.author, source)
