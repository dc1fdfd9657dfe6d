"""The fixed query set of the speed harness, and its translation for SQLite FTS5.

The queries are written here, not drawn at run time, so two runs time the same work. Document
frequencies in the 37,873 news articles guided the choice: the common words are in thousands of
articles, the rare ones in fewer than a dozen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    """One timed query; ``category`` groups it in the report."""

    id: str
    category: str
    text: str


_BY_CATEGORY = {
    "one syllable": ["bão", "xăng", "gạo", "thuế", "điện", "cháy", "lũ", "vàng"],
    "two syllables": [
        "tham nhũng",
        "giá xăng",
        "sạt lở",
        "ô nhiễm",
        "bóng đá",
        "chứng khoán",
        "cà phê",
        "thủy điện",
    ],
    "three+ syllables": [
        "cải cách hành chính",
        "an toàn thực phẩm",
        "dịch cúm gia cầm",
        "kỷ luật đảng",
        "tai nạn giao thông",
        "nông thôn mới",
        "biến đổi khí hậu",
        "phòng chống tham nhũng",
    ],
    "phrase": [
        '"dân vận"',
        '"Mặt trận Tổ quốc"',
        '"tai nạn giao thông"',
        '"Ban Thường vụ Tỉnh ủy"',
        '"biến đổi khí hậu"',
        '"dân vận khéo"',
        '"an toàn thực phẩm"',
        '"xăng dầu"',
    ],
    "no accents": [
        "dan van kheo",
        "mat tran to quoc",
        "tham nhung",
        "giao thong",
        "hoi dong nhan dan",
        "bien doi khi hau",
        "tinh uy",
        "bong da",
    ],
    "common": [
        "dân vận",
        "nhân dân",
        "tỉnh",
        "Việt Nam",
        "năm",
        "người",
        "công tác",
        "phát triển",
    ],
    "rare": [
        "sán lá gan",
        "kỳ lân",
        "đười ươi",
        "sếu đầu đỏ",
        "đàn bầu",
        "bạch tạng",
        "ca trù",
        "thiên thạch",
    ],
    "code or abbreviation": [
        "464-QĐ/TU",
        "12-ĐA/TU",
        "MTTQ",
        "HĐND",
        "GPMB",
        "ĐBQH",
        "UBND",
        "HIV/AIDS",
    ],
    "operators": ["dân vận AND khéo", "bão OR lũ", "giao thông NOT Hà Nội"],
}

QUERIES = [
    Query(f"q{number:02d}", category, text)
    for number, (category, text) in enumerate(
        ((c, t) for c, texts in _BY_CATEGORY.items() for t in texts), start=1
    )
]


def _first_of_each_category(queries: list[Query]) -> list[Query]:
    """Enough for a smoke run to exercise every kind of query."""
    firsts: dict[str, Query] = {}
    for query in queries:
        firsts.setdefault(query.category, query)
    return list(firsts.values())


QUICK_QUERIES = _first_of_each_category(QUERIES)

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_OPERATORS = {"AND", "OR", "NOT"}


def fts5_match(text: str) -> str:
    """The query as an FTS5 MATCH expression, with the meaning the other systems give it.

    Words are ORed, quotes stay phrases, AND/OR/NOT stay operators, and a code such as
    ``464-QĐ/TU`` becomes the phrase of its word pieces (FTS5 would read ``-`` and ``/`` as
    syntax): ``dân vận AND khéo`` → ``"dân" OR "vận" AND "khéo"``.
    """
    parts: list[str] = []
    for phrase, word in _TOKEN.findall(text):
        if word in _OPERATORS:
            parts.append(word)
            continue
        pieces = re.findall(r"\w+", phrase or word)
        if not pieces:
            continue
        if parts and parts[-1] not in _OPERATORS:
            parts.append("OR")
        parts.append('"' + " ".join(pieces) + '"')
    return " ".join(parts)
