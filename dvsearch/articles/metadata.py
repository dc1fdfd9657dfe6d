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
_DASHES = "\\-\u2013\u2014"  # hyphen, en dash, em dash, escaped for a character class
_DATELINE_LEFTOVER = re.compile(rf"[\s,.:;|/(){_DASHES}]*")
# A lead opens with when it happened: "Sáng 22/5", "Chiều nay (20/6)", "Ngày 23/10/2018".
_LEAD_DATE = re.compile(
    r"\b(?:sáng|chiều|trưa|tối|đêm|ngày|hôm)(?:\s+(?:nay|qua|mai|này))?\s*[(,]?\s*"
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
    """``(published, page_date)``: the dateline, unless the article's own text contradicts it.

    A page header can carry the day the page was rendered rather than the day the article ran;
    then the article's lead and the years it mentions win and the header becomes ``page_date``.
    """
    lead = _lead_date(paragraphs[0]) if paragraphs else None
    years = mentioned_years(paragraphs)
    if header is None:
        return _date_from_text(lead, years, None), None
    if _header_agrees(header, lead, years):
        return header, None
    return _date_from_text(lead, years, header.day.year), header


def _lead_date(lead: str) -> tuple[int, int, int | None] | None:
    """``(day, month, year or None)`` from the opening words of the lead."""
    match = _LEAD_DATE.search(nfc(lead)[:_LEAD_DATE_REACH])
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3]) if match[3] else None


def mentioned_years(paragraphs: list[str]) -> Counter[int]:
    """How often each year is named in the text (``năm 2017``, ``23/10/2018``)."""
    return Counter(int(year) for text in paragraphs for year in _YEAR_MENTION.findall(nfc(text)))


def _header_agrees(
    header: Stamp, lead: tuple[int, int, int | None] | None, years: Counter[int]
) -> bool:
    # A January report on last year names only last year, so the year before also agrees.
    if lead is not None and lead[:2] == (header.day.day, header.day.month):
        return True
    year = header.day.year
    return not years or year in years or year - 1 in years


def _date_from_text(
    lead: tuple[int, int, int | None] | None, years: Counter[int], latest: int | None
) -> Stamp | None:
    """The lead's day and month in the year the article is about, if the text says enough."""
    if lead is None:
        return None
    day, month, year = lead
    if year is None:
        candidates = [(count, y) for y, count in years.items() if latest is None or y <= latest]
        year = max(candidates)[1] if candidates else None
    found = _make_date(year, month, day) if year is not None else None
    return Stamp(found) if found else None


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
    return len(syllables) in _NAME_SYLLABLES and all(map(_is_name_syllable, syllables))


def _is_name_syllable(syllable: str) -> bool:
    """``Lan`` or ``QUANG``: names are capitalised; captions like ``Ảnh: MT`` hold punctuation."""
    return syllable.isalpha() and (syllable.istitle() or syllable.isupper())


def _is_source_line(line: str) -> bool:
    """An organisation line under a byline: short, capitalised, no digits, no final punctuation."""
    text = nfc(line)
    return (
        len(text) <= _SOURCE_MAX
        and text[0].isupper()
        and not any(ch.isdigit() for ch in text)
        and text[-1].isalnum()
    )


def split_byline(paragraphs: list[str]) -> tuple[list[str], Byline]:
    """The paragraphs without the closing byline, and the byline (``Minh Khang`` + organisation)."""
    if paragraphs and is_personal_name(paragraphs[-1]):
        return paragraphs[:-1], Byline(paragraphs[-1], None)
    if (
        len(paragraphs) >= 2
        and is_personal_name(paragraphs[-2])
        and _is_source_line(paragraphs[-1])
    ):
        return paragraphs[:-2], Byline(paragraphs[-2], paragraphs[-1])
    return paragraphs, Byline(None, None)
