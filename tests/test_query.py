"""The query language: runs of words stay whole, operators, phrases, fields, clear errors."""

from __future__ import annotations

import pytest

from dvsearch.errors import QuerySyntaxError
from dvsearch.search.query import (
    AllOf,
    AnyOf,
    Phrase,
    Sequence,
    Without,
    Words,
    date_range_is_empty,
    in_date_range,
    parse_date_bound,
    parse_query,
    parse_query_leniently,
)


def test_plain_words_stay_one_run_for_the_analyzer() -> None:
    assert parse_query("giao thông nông thôn") == Words("giao thông nông thôn")


def test_quoted_phrase() -> None:
    assert parse_query('"dân vận khéo"') == Phrase("dân vận khéo")


def test_phrase_beside_words_is_a_sequence() -> None:
    assert parse_query('"dân vận" khéo') == Sequence((Phrase("dân vận"), Words("khéo")))


def test_and_or_not_in_capitals_are_operators() -> None:
    assert parse_query("dân vận AND khéo OR mặt trận NOT 2017") == AnyOf(
        (
            AllOf((Words("dân vận"), Words("khéo"))),
            Sequence((Words("mặt trận"), Without(Words("2017")))),
        )
    )


def test_lowercase_operator_words_are_plain_words() -> None:
    assert parse_query("and or not") == Words("and or not")


def test_minus_excludes_a_word() -> None:
    assert parse_query("dân vận -khéo") == Sequence((Words("dân vận"), Without(Words("khéo"))))


def test_hyphenated_document_code_is_not_an_exclusion() -> None:
    assert parse_query("464-QĐ/TU") == Words("464-QĐ/TU")


def test_field_prefix_binds_to_the_next_phrase() -> None:
    assert parse_query('title:"dân vận" khéo') == Sequence(
        (Phrase("dân vận", "title"), Words("khéo"))
    )


def test_field_prefix_covers_the_run_of_words_after_it() -> None:
    assert parse_query("author:Hương Lan OR title:giao thông") == AnyOf(
        (Words("Hương Lan", "author"), Words("giao thông", "title"))
    )


def test_field_prefix_applies_inside_parentheses() -> None:
    assert parse_query("title:(dân OR vận)") == AnyOf(
        (Words("dân", "title"), Words("vận", "title"))
    )


def test_unknown_prefix_is_ordinary_text() -> None:
    assert parse_query("Thông báo:số 5") == Words("Thông báo:số 5")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"dân vận', "the query has an unbalanced quote"),
        ("(dân vận", "the query has a '(' without a matching ')'"),
        ("dân vận)", "the query has a ')' without a matching '('"),
        ("   ", "the query is empty"),
        ("dân NOT", "NOT needs something after it"),
    ],
)
def test_malformed_queries_raise_a_message_that_says_what_to_do(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert str(caught.value).startswith(message)


def test_deeply_nested_parentheses_are_refused_not_a_crash() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("(" * 400 + "dân" + ")" * 400)
    assert str(caught.value) == (
        "the query nests parentheses or field prefixes more than 32 deep: remove some of them"
    )


def test_chained_field_prefixes_are_refused_not_a_crash() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("title:" * 100 + "dân")
    assert str(caught.value).startswith("the query nests parentheses or field prefixes")


def test_nesting_within_the_limit_parses() -> None:
    assert parse_query("(" * 32 + "dân vận" + ")" * 32) == Words("dân vận")


def test_not_before_a_closing_parenthesis_says_what_is_missing() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("(dân NOT)")
    assert str(caught.value).startswith("NOT needs something after it")


def test_lenient_parse_searches_the_first_thousand_characters_of_an_overlong_query() -> None:
    clause = parse_query_leniently("dân vận " * 200)
    assert clause == Words(" ".join(["dân", "vận"] * 125))


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("2020", "2020"),
        ("2020-01", "2020-01"),
        ("2020-01-31", "2020-01-31"),
        ("31/01/2020", "2020-01-31"),
        ("01/2020", "2020-01"),
        ("2019-12-19T16:00", "2019-12-19T16:00"),  # how dvsearch prints a date with its time
        ("2024-07-24T16:42:07", "2024-07-24T16:42:07"),
        ("2024-07-24 9:05", "2024-07-24T09:05"),
    ],
)
def test_date_bounds_in_every_form_dvsearch_prints(text: str, bound: str) -> None:
    assert parse_date_bound(text) == bound


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-01-31T24:00", "'2020-01-31T24:00' is not a real date: hour must be in 0..23"),
        (
            "2020-01-31T16",
            "'2020-01-31T16' is not a date: write 2020-01-31, 31/01/2020, "
            "2020-01, 2020 or 2019-12-19T16:00",
        ),
    ],
)
def test_a_bad_time_is_refused_with_the_forms_to_write(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_date_bound(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("since", "until", "empty"),
    [
        ("2021", "2019", True),
        ("2020", "2019-12", True),
        ("2019-12", "2019", False),  # December is in 2019
        ("2019-12-19T16:00", "2019-12-19", False),
        ("2019-12-19T16:00", "2019-12-19T15:59", True),
        (None, "2019", False),
        ("2021", None, False),
    ],
)
def test_a_date_range_is_empty_only_when_since_is_past_all_of_until(
    since: str | None, until: str | None, empty: bool
) -> None:
    assert date_range_is_empty(since, until) == empty


@pytest.mark.parametrize(
    ("published", "inside"),
    [
        ("2019-12-31T23:59", True),  # --until 2019 covers the whole year
        ("2019-06-01", True),
        ("2019-05-31", False),
        ("2020-01-01", False),
        (None, False),  # an undated article is in no range
    ],
)
def test_in_date_range(published: str | None, inside: bool) -> None:
    assert in_date_range(published, "2019-06", "2019") == inside


def test_without_bounds_every_article_is_in_range() -> None:
    assert (in_date_range(None, None, None), in_date_range("2020", None, None)) == (True, True)
