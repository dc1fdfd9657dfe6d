"""A query's words weigh as words: framing compounds do not outweigh a rare name, and a
syllable standing alone as a word weighs by the articles writing it alone.

Each corpus holds a distractor that wins without the technique under test; every ranking test
runs on both engines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.index.fields import COMPOUND_FIELD
from dvsearch.search import clauses
from dvsearch.search.clauses import WORD_BOOST, word_clauses
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.syllables import syllables

Build = Callable[[dict[str, str]], Path]


def _words_of(text: str, shares: dict[str, float]) -> list[str]:
    """The words ``word_clauses`` looks up, for an index holding words in ``shares`` of its
    articles (every one-syllable word of the query in a tenth, unless said otherwise)."""
    table = {**{s.folded: 0.1 for s in syllables(text)}, **shares}
    found = word_clauses(syllables(text), lambda word: table.get(word, 0.0), 0.3)
    assert {(c.fieldname, c.boost) for c in found} <= {(COMPOUND_FIELD, WORD_BOOST)}
    return [c.text for c in found]


def test_syllables_outside_the_known_compounds_are_looked_up_as_words() -> None:
    assert _words_of("ngày định tinh", {"dinh_tinh": 0.1, "ngay_dinh": 0.0}) == ["ngay"]


def test_the_longest_known_compound_is_taken_first() -> None:
    shares = {"cong_nghe": 0.2, "cong_nghe_thong": 0.1, "thong_tin": 0.2}
    assert _words_of("công nghệ thông tin mới", shares) == ["tin", "moi"]


def test_a_compound_never_crosses_punctuation_in_the_query() -> None:
    assert _words_of("quyết. Định", {"quyet_dinh": 0.1}) == ["quyet", "dinh"]


def test_words_common_or_absent_as_words_score_nothing() -> None:
    assert _words_of("định là gì", {"la": 0.5, "gi": 0.0}) == ["dinh"]


def _ranked(build: Build, articles: dict[str, str], engine: str, query: str) -> list[str]:
    with Searcher(build(articles), engine=engine) as searcher:
        return [Path(hit.path).stem for hit in searcher.search(query, limit=3).hits]


# Framing words (công ty, khai thác, mỏ) are common; the name the answer shares is rare.
_TRADES = ["công ty may", "công ty điện", "việc khai thác cát", "khai thác rừng", "mỏ đá"]
_FRAMING = {
    **{
        f"filler-{n:02d}.txt": f"Tin vắn {n}\n\nBuổi sáng số {n}, {_TRADES[n % 5]} họp, "
        "người dân đi chợ sớm."
        for n in range(12)
    },
    "answer.txt": "Tin\n\nNăm 1990, Iqbal mở một hãng khai thác quặng ở Punjab và thuê hai "
    "trăm thợ.",
    "framing.txt": "Tin\n\nMột công ty khai thác mỏ ở vùng núi phía bắc vừa vay vốn ngân hàng.",
}


def test_framing_compounds_do_not_outweigh_the_rare_name_of_the_answer(
    build_corpus: Build, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "Iqbal mở công ty khai thác mỏ nào"
    assert _ranked(build_corpus, _FRAMING, engine, query)[:2] == ["answer", "framing"]
    # The boosts this replaced: the distractor's pairs and compounds won.
    for name, boost in [("PAIR_BOOST", 1.5), ("FOLDED_PAIR_BOOST", 0.5), ("COMPOUND_BOOST", 2.0)]:
        monkeypatch.setattr(clauses, name, boost)
    assert _ranked(build_corpus, _FRAMING, engine, query)[:2] == ["framing", "answer"]


# *định* is common inside compounds (quyết định, ổn định…) and rare alone.
_DECISIONS = ["quyết định", "ổn định", "định hướng", "xác định", "quy định", "dự định"]
_ALONE = {
    **{
        f"filler-{n:02d}.txt": f"Tin vắn {n}\n\nBuổi sáng số {n}, tỉnh ra {_DECISIONS[n % 6]} "
        "mới, người dân đi chợ sớm."
        for n in range(12)
    },
    "answer.txt": "Tin\n\nNăm sau bà định mua một chiếc xe.",
    "framing.txt": "Tin\n\nBộ quyết định mua thêm xe công.",
}


def test_a_syllable_typed_as_a_word_weighs_by_the_articles_writing_it_alone(
    build_corpus: Build, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _ranked(build_corpus, _ALONE, engine, "định mua xe")[:2] == ["answer", "framing"]
    # Without the words' terms, the syllable pooled over its compounds lets the distractor win.
    monkeypatch.setattr(clauses, "WORD_BOOST", 0.0)
    assert _ranked(build_corpus, _ALONE, engine, "định mua xe")[:2] == ["framing", "answer"]
