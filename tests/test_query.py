"""The query language: runs of words stay whole, operators, phrases, fields, clear errors."""

from __future__ import annotations

import pytest

from dvsearch.errors import QuerySyntaxError
from dvsearch.query import AllOf, AnyOf, Phrase, Sequence, Without, Words, parse_query


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
