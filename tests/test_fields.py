"""The field registry agrees with the schema, the query language, ranking and the records."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from dvsearch.articles.parsing import Article
from dvsearch.engine.postings import CompactPositions
from dvsearch.index.build import article_fields, make_schema
from dvsearch.index.catalog import ArticleSummary, _article, _summary
from dvsearch.index.fields import (
    COMPOUND_FIELD,
    DEFAULT_FIELDS,
    EXACT_FIELDS,
    EXACT_TWINS,
    FIELD_BOOSTS,
    FIELDS,
    FOLDED_TWINS,
    PREFIXES,
    REGISTRY,
    StoredArticle,
    stored_article,
)
from dvsearch.search.highlight import MatchTerms
from dvsearch.search.query import Words, parse_query
from dvsearch.search.ranking import QueryBuilder
from dvsearch.search.searcher import Hit, _make_hit

SCHEMA = make_schema()
SEARCHED = [spec for spec in REGISTRY if spec.default or spec.prefix]

STORED = {
    "path": "2020/dan-van.txt",
    "id": "dan-van",
    "digest": "0e11b1891a069118",
    "headline": "Dân vận khéo",
    "body": "Đoạn một.\n\nĐoạn hai.",
    "author": "Mai Trâm",
    "published": "2020-01-05",
    "page_date": "2020-01-06",
    "source": "baodantoc.vn",
    "title_derived": True,
    "word_count": 4,
}


def test_registry_and_schema_hold_the_same_fields() -> None:
    assert sorted(FIELDS) == sorted(SCHEMA.names())


def test_indexed_document_fills_every_schema_field() -> None:
    article = Article("a", "a.txt", "Tiêu đề", False, None, None, None, None, ("Thân bài.",))
    assert sorted(article_fields(article, "sha1")) == sorted(SCHEMA.names())


@pytest.mark.parametrize("spec", REGISTRY, ids=lambda spec: spec.name)
def test_schema_field_is_stored_and_positional_as_registered(spec: Any) -> None:
    field = SCHEMA[spec.name]
    positional = isinstance(getattr(field, "format", None), CompactPositions)
    assert (field.stored, positional) == (spec.stored, spec.positional)


@pytest.mark.parametrize("name", PREFIXES)
def test_every_prefix_is_accepted_by_the_query_parser(name: str) -> None:
    assert parse_query(f"{name.upper()}:giao thông") == Words("giao thông", name)


def test_a_field_that_is_not_a_prefix_stays_a_word() -> None:
    assert parse_query("source:baodantoc") == Words("source:baodantoc")


@pytest.mark.parametrize("query", [*(f'{name}:"Dân vận" khéo' for name in PREFIXES), "Dân vận"])
def test_queries_name_only_schema_fields(query: str) -> None:
    built = QueryBuilder().build(parse_query(query))
    assert {field for field, _ in built.iter_all_terms()} - set(SCHEMA.names()) == set()


@pytest.mark.parametrize("spec", SEARCHED, ids=lambda spec: spec.name)
def test_searched_field_has_a_boost_and_an_exact_twin_riding_on_its_positions(spec: Any) -> None:
    twin = FIELDS[str(spec.exact)]
    field = SCHEMA[twin.name]
    assert (FIELD_BOOSTS[spec.name] > 0, twin.kind, twin.positional, spec.positional) == (
        True,
        "exact",
        False,
        True,
    )
    assert (type(field).__name__, field.folded_twin, FOLDED_TWINS[twin.name]) == (
        "AccentedText",
        spec.name,
        spec.name,
    )


def test_ranking_weights_are_as_before() -> None:
    assert (FIELD_BOOSTS, DEFAULT_FIELDS, PREFIXES) == (
        {"title": 0.5, "body": 1.0, "author": 1.0},
        ("title", "body", "author"),
        ("title", "body", "author"),
    )


def test_vocabulary_counts_the_exact_twins_and_compounds() -> None:
    assert (EXACT_FIELDS, tuple(EXACT_TWINS), COMPOUND_FIELD) == (
        ("title_exact", "body_exact", "author_exact"),
        ("title", "body", "author"),
        "words",
    )
    assert set(EXACT_FIELDS) | {COMPOUND_FIELD} <= set(SCHEMA.names())


def test_stored_fields_map_to_a_stored_article() -> None:
    assert stored_article(STORED) == StoredArticle(
        id="dan-van",
        path="2020/dan-van.txt",
        title="Dân vận khéo",
        title_derived=True,
        published="2020-01-05",
        page_date="2020-01-06",
        author="Mai Trâm",
        source="baodantoc.vn",
        body="Đoạn một.\n\nĐoạn hai.",
        word_count=4,
    )


def test_missing_or_empty_stored_values_map_as_before() -> None:
    stored = stored_article({"id": "x", "path": "x.txt", "published": "", "author": ""})
    assert stored == StoredArticle("x", "x.txt", "", False, None, None, None, None, "", 0)
    assert stored.paragraphs == ()


def test_stored_fields_make_the_same_hit_as_before() -> None:
    hit = _make_hit(2, STORED, 1.5, MatchTerms.from_syllables([]), 0)
    assert hit == Hit(
        2, "dan-van", "2020/dan-van.txt", "Dân vận khéo", True, "2020-01-05", "Mai Trâm", 1.5, ()
    )


def test_stored_fields_make_the_same_article_as_before() -> None:
    assert _article(STORED) == Article(
        id="dan-van",
        path="2020/dan-van.txt",
        title="Dân vận khéo",
        title_derived=True,
        published="2020-01-05",
        page_date="2020-01-06",
        author="Mai Trâm",
        source="baodantoc.vn",
        paragraphs=("Đoạn một.", "Đoạn hai."),
    )


def test_stored_fields_make_the_same_summary_as_before() -> None:
    assert _summary(STORED) == ArticleSummary(
        "dan-van", "2020/dan-van.txt", "Dân vận khéo", "2020-01-05", "Mai Trâm", 4
    )


@pytest.mark.parametrize("spec", [s for s in REGISTRY if s.stored], ids=lambda s: s.name)
def test_a_stored_field_reaches_the_records_exactly_when_it_is_shown(spec: Any) -> None:
    without = {name: value for name, value in STORED.items() if name != spec.name}
    try:
        changed = stored_article(without) != stored_article(STORED)
    except KeyError:
        changed = True
    assert changed == spec.shown


def test_registry_loads_without_whoosh() -> None:
    """The query lexer reads the registry; a query's start-up must not pay for whoosh there."""
    script = (
        "import sys\nimport dvsearch.index.fields, dvsearch.search.query\n"
        "print('whoosh' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "False\n")
