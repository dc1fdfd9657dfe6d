"""Odd queries never crash: random text, operators, fields and dates through the library and CLI.

Every example either finds articles or is refused with dvsearch's own one-line query error; the
CLI exits 0, 1 or 2 and never prints a traceback. The examples are derived from a fixed seed
(``derandomize``), so a failure here fails the same way on every machine.

How many examples run is set by environment variables, so a long hunt is one command away:
``DVSEARCH_FUZZ_EXAMPLES`` (library queries, default 10,000) and ``DVSEARCH_FUZZ_CLI_EXAMPLES``
(``dvsearch query`` runs through click's test runner, default 2,000: each opens the index).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dvsearch.cli import main
from dvsearch.errors import QuerySyntaxError
from dvsearch.search.query import parse_date_bound
from dvsearch.search.searcher import SORT_ORDERS, Searcher

from .conftest import index_of_articles

LIBRARY_EXAMPLES = int(os.environ.get("DVSEARCH_FUZZ_EXAMPLES", "10000"))
CLI_EXAMPLES = int(os.environ.get("DVSEARCH_FUZZ_CLI_EXAMPLES", "2000"))
# A query near the length limit takes about 0.3 s to rank, 100 times a short one: a few dozen.
LONG_EXAMPLES = max(LIBRARY_EXAMPLES // 200, 10)

# Short articles, so a query that matches costs milliseconds and the budget goes to variety.
ARTICLES = {
    "dan-van.txt": "Phong trào Dân vận khéo\n\n01/12/2020\n\n"
    "Năm 2020, toàn tỉnh có 1.635 mô hình dân vận khéo theo Quyết định 464-QĐ/TU.\n\n"
    "Hương Lan\n",
    "mat-tran.txt": "Hội nghị Mặt trận\n\n15/03/2021\n\n"
    "Ủy ban MTTQ tỉnh và HĐND huyện họp bàn công tác dân vận, Tỉnh uỷ chỉ đạo.\n",
    "nghe-an.txt": "Nghệ An hoà bình\n\nNgày 2/9/2019\n\n"
    "Ý kiến của người dân ở Nghệ An về giao thông nông thôn được lắng nghe.\n",
    "nfd.txt": unicodedata.normalize(
        "NFD", "Thuyền về bến\n\nQuý khách đi thuyền trên sông Đà, Đắk Lắk, thủy điện.\n"
    ),
    "chu-cai.md": "Bài viết không ngày\n\nTừ khoá: “ngoặc kép”, (ngoặc đơn), a-b, c/d, 12-ĐA/TU.\n",
}

SYLLABLES = (
    "dân", "vận", "khéo", "Dân", "Vận", "Khéo", "Tỉnh", "ủy", "uỷ", "hoà", "hòa", "Nghệ", "An",
    "ý", "ở", "đ", "Đ", "MTTQ", "HĐND", "QĐ", "464-QĐ/TU", "1.635", "giao", "thông", "Hương",
    "Lan", "năm", "2020", "quý", "quí", "thuyền", "Đắk", "Lắk", "thủy", "thuỷ", "nghe", "nghé",
    "nghề", "and", "or", "not", "the", "a", "12-ĐA/TU", "mô", "hình",
)  # fmt: skip
SYNTAX = (
    '"', "“", "”", "'", "(", ")", "((", "))", "AND", "OR", "NOT", "-", "--", "+", "*", "?",
    "~", "^", ":", "\\", "/", "[", "]", "{", "}", "title:", "body:", "author:", "unknown:",
    "TITLE:", "Author:", 'title:"', "title:(", "-(", '-"', "NOT(", "id:", "path:",
)  # fmt: skip
SPACING = (
    " ", " ", " ", "  ", "", "\t", "\n", "\r\n", "\x00", "\x0b", "\x1b", "\x7f", "\u00a0",
    "\u200b", "\u2028", "\u3000", "\ufeff",
)  # fmt: skip


def _forms(word: str) -> st.SearchStrategy[str]:
    """The word as typed on a phone, on a Mac (NFD), in capitals, lowercase, or without accents."""
    decomposed = unicodedata.normalize("NFD", word)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return st.sampled_from([word, decomposed, word.upper(), word.lower(), bare])


_TEXT = st.characters(codec="utf-8")  # no lone surrogates: they are not UTF-8 (see test_cli)
_MARKS = st.text(st.characters(min_codepoint=0x300, max_codepoint=0x36F), min_size=1, max_size=4)
_TOKEN = st.one_of(
    st.sampled_from(SYLLABLES).flatmap(_forms),
    st.sampled_from(SYLLABLES).flatmap(_forms),
    st.sampled_from(SYNTAX),
    st.sampled_from(SYNTAX),
    _MARKS,
    st.text(_TEXT, min_size=1, max_size=8),
)
_COMPOSED = st.lists(st.tuples(_TOKEN, st.sampled_from(SPACING)), max_size=10).map(
    lambda pairs: "".join(token + space for token, space in pairs)
)
_PLAIN = st.lists(st.sampled_from(SYLLABLES).flatmap(_forms), min_size=1, max_size=6).map(" ".join)
QUERIES = st.one_of(
    *[_PLAIN] * 4,
    *[_COMPOSED] * 8,
    st.text(_TEXT, max_size=30),
    st.text(st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")), max_size=10),
)
# Past the length limit a query is refused before any work (a lenient one is cut to it); under
# the limit it is searched.
LONG_QUERIES = st.builds(
    lambda parts, length: (" ".join(parts) + " ") * (length // (len(" ".join(parts)) + 1) + 1),
    st.lists(st.one_of(st.sampled_from(SYLLABLES), st.sampled_from(SYNTAX), _MARKS), min_size=1),
    st.sampled_from([300, 999, 1001, 10_000]),
)

_DAYS = st.one_of(st.dates(date(2015, 1, 1), date(2025, 12, 31)), st.dates())
_VALID_DATES = st.one_of(
    _DAYS.map(lambda day: day.isoformat()),
    _DAYS.map(lambda day: f"{day.day}/{day.month}/{day.year:04d}"),
    st.integers(2015, 2025).map(str),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1, 9999), st.integers(1, 12)),
)
ODD_DATES = (
    "2020-02-30", "2020-13", "0000", "99999", "31/02/2020", "0/0/2020", "٢٠٢٠", "２０２０",
    "2020-1-1", " 2020 ", "", "-2020", "2020-", "1/1/1", "--since",
)  # fmt: skip
# Mostly absent, so that most runs get as far as searching.
DATES = st.one_of(
    *[st.none()] * 6, _VALID_DATES, st.sampled_from(ODD_DATES), st.text(_TEXT, max_size=12)
)
LIMITS = st.one_of(
    st.integers(1, 30),
    st.sampled_from(["0", "-1", "1e3", "abc", "10" * 20, " 5", "٣"]),
    st.integers(-5, 10**30).map(str),
)


@pytest.fixture(scope="module")
def fuzz_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small index of short articles, built once for the module."""
    return index_of_articles(tmp_path_factory, ARTICLES, "fuzz")


@pytest.fixture(scope="module")
def searcher(fuzz_index: Path) -> Iterator[Searcher]:
    """The numpy scorer, which large archives use; the command-line fuzzing below goes through
    whoosh's matchers, which an index this small gets by default."""
    with Searcher(fuzz_index, engine="arrays") as opened:
        yield opened


def _bound(text: str | None) -> str | None:
    return parse_date_bound(text) if text is not None else None


def _search_or_refuse(searcher: Searcher, query: str, limit: int = 10, **options: Any) -> None:
    """Search; dvsearch's own query error is the only way to refuse, and it says something."""
    try:
        result = searcher.search(query, limit=limit, **options)
    except QuerySyntaxError as error:
        event("refused")  # --hypothesis-show-statistics gives the shares
        assert (str(error) != "", "\n" in str(error)) == (True, False)
        return
    event("answered with hits" if result.hits else "answered, no hits")
    assert (len(result.hits) <= min(limit, result.total), result.query) == (True, query)


def _fuzzing(examples: int) -> settings:
    """Hypothesis settings for these tests: repeatable, no example database, no time limits."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_fuzzing(LIBRARY_EXAMPLES)
@given(
    query=QUERIES,
    since=st.one_of(*[st.none()] * 5, _VALID_DATES),
    until=st.one_of(*[st.none()] * 5, _VALID_DATES),
    limit=st.integers(1, 30),
    sort=st.sampled_from(SORT_ORDERS),
    lenient=st.booleans(),
)
def test_library_answers_any_query_or_refuses_it_as_a_query_error(
    searcher: Searcher,
    query: str,
    since: str | None,
    until: str | None,
    limit: int,
    sort: str,
    lenient: bool,
) -> None:
    dates = {"since": _bound(since), "until": _bound(until)}
    _search_or_refuse(searcher, query, limit, sort=sort, lenient=lenient, **dates)


@_fuzzing(LONG_EXAMPLES)
@given(query=LONG_QUERIES, lenient=st.booleans())
def test_library_answers_or_refuses_very_long_queries(
    searcher: Searcher, query: str, lenient: bool
) -> None:
    _search_or_refuse(searcher, query, lenient=lenient)


@_fuzzing(CLI_EXAMPLES)
@given(
    query=st.one_of(*[QUERIES] * 30, LONG_QUERIES),
    since=DATES,
    until=DATES,
    limit=st.one_of(st.none(), st.none(), LIMITS),
    sort=st.one_of(st.none(), st.none(), st.sampled_from([*SORT_ORDERS, "newest", ""])),
    as_json=st.booleans(),
    separated=st.booleans(),
)
def test_cli_exits_0_1_or_2_with_at_most_one_error_line(
    fuzz_index: Path,
    query: str,
    since: str | None,
    until: str | None,
    limit: str | int | None,
    sort: str | None,
    as_json: bool,
    separated: bool,
) -> None:
    options = {"--since": since, "--until": until, "--limit": limit, "--sort": sort}
    args = [part for name, value in options.items() if value is not None for part in (name, value)]
    args += ["--json"] * as_json + ["--index", str(fuzz_index)] + ["--"] * separated + [query]
    result = CliRunner().invoke(main, ["query", *map(str, args)])
    event(f"exit {result.exit_code}")
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert (crashed, result.exit_code in (0, 1, 2)) == (False, True)
    if result.exit_code == 0 and as_json:
        json.loads(result.stdout)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert (len(errors), "Traceback" in result.output) == (int(result.exit_code != 0), False)
