"""The articles most like a given one: its significant terms, by the index's own statistics,
ranked as a query with the project's BM25, its copies and near copies left out.

An article's terms are what the index analyzers make of it (``analysis.py``): folded
syllables of title and body, and pyvi's compound words (the ``words`` field). Each is weighed
by tf·idf with the index's document frequencies, tf taken as 1 + log tf (a word said 30
times is not worth ten said 3 times); the best ``terms`` of each view become one
``Or`` of boosted terms, scored on either engine like any query (``Searcher.rank_query``).
A term no other article holds (a name spelled once in the archive) finds nothing and is
left out.

What each setting was worth is measured by ``benchmarks/similar.py --sweep`` (precision@10 of
same-topic neighbours, 200 stratified VNTC articles among 3,000; whoosh's ``more_like`` 0.491):
25 syllables + 25 compounds 0.763; syllables only 0.684, compounds only 0.711; 10 + 10 0.723,
25 + 50 0.772, 50 + 25 0.752, 50 + 50 0.766, 100 + 100 0.746; adding 25 accented syllables
0.756, each syllable in the title too 0.764; the boost tf alone 0.743, tf·idf² 0.743. Past
25 + 25 it is a plateau, and more terms cost time (a term is a posting list to read).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvsearch.engine import bm25
from dvsearch.engine.public import query as wq
from dvsearch.errors import EmptyArticleError, UnreadableArticleError
from dvsearch.index.fields import COMPOUND_FIELD, EXACT_TWINS
from dvsearch.search.highlight import Passage
from dvsearch.vietnamese.text import printable

if TYPE_CHECKING:
    from dvsearch.articles.parsing import Article
    from dvsearch.search.searcher import Hit, Searcher

BODY = "body"
TITLE = "title"
# Two texts whose 3-word shingles overlap this much tell one story in two edits (a re-post
# with a paragraph added): ``articles/duplicates.py`` groups copies at 0.8; different stories
# on one event share 0.05-0.3 of their shingles.
NEAR_COPY = 0.5
LEAD_CHARACTERS = 200  # of the body, shown under each hit


@dataclass(frozen=True)
class SimilarSettings:
    """How an article becomes a query (the benchmark tries others)."""

    syllables: int = 25  # folded syllables kept, best weight first
    words: int = 25  # pyvi compounds kept (0: pyvi is never loaded)
    accented: int = 0  # syllables with their accents (the exact twin of body), kept
    title_boost: float = 0.0  # a syllable in a hit's title too, against its body (0: not)
    idf_power: float = 1.0  # the query term's boost is tf · idf ** power (BM25 adds one idf)


@dataclass(frozen=True)
class WeightedTerm:
    """One term of the article's query: field, text and weight."""

    field: str
    text: str
    weight: float


@dataclass(frozen=True)
class SimilarResult:
    """The articles most like ``source``, best first, and the terms they were found by."""

    source: str  # the id of the indexed article, or the file's path
    title: str
    terms: tuple[WeightedTerm, ...]
    hits: tuple[Hit, ...]
    total: int  # articles holding any of the terms (the source and its copies included)


def similar_articles(
    index_dir: Path,
    key: str,
    limit: int = 10,
    engine: str = "auto",
    settings: SimilarSettings | None = None,
) -> SimilarResult:
    """The ``limit`` articles most like the one ``key`` names: an existing file (read as the
    index reads files; it need not be indexed), else an indexed article's id or path as
    ``dvsearch show`` takes them."""
    from dvsearch.search.searcher import Searcher

    article, indexed = read_source(index_dir, key)
    with Searcher(index_dir, engine=engine) as searcher:
        return similar_to(searcher, article, indexed, limit, settings or SimilarSettings())


def read_source(index_dir: Path, key: str) -> tuple[Article, bool]:
    """The article ``key`` names and whether it is the indexed one; an empty one is refused."""
    path = Path(key)
    if path.is_file():
        article, indexed = read_file(path), False
    else:
        from dvsearch.index.catalog import load_article

        article, indexed = load_article(index_dir, key), True
    if not _syllable_counts(f"{article.title}\n{article.body}"):
        raise EmptyArticleError(f"'{printable(key)}' has no words to find similar articles by")
    return article, indexed


def read_file(path: Path) -> Article:
    """A file outside the index, read and cleaned as an index run would."""
    from dvsearch.articles.files import read_article_bytes
    from dvsearch.articles.readers.dispatch import read_document
    from dvsearch.articles.readers.document import parse_document

    try:
        document = read_document(read_article_bytes(path, str(path)), str(path))
    except UnreadableArticleError as error:
        raise UnreadableArticleError(f"cannot read {str(error).removeprefix('skipped ')}") from None
    return parse_document(document, path.stem, str(path))


def similar_to(
    searcher: Searcher, article: Article, indexed: bool, limit: int, settings: SimilarSettings
) -> SimilarResult:
    """The ``limit`` articles of ``searcher``'s index most like ``article`` (``indexed``: the
    index holds it, under its path), itself and its near copies left out."""
    terms = significant_terms(searcher, article, indexed, settings)
    excluded = searcher.copy_group(article.path) if indexed else frozenset()
    hits, total = _ranked(searcher, similar_query(terms, settings), article.body, excluded, limit)
    shown = article.id if indexed else article.path
    return SimilarResult(shown, article.title, tuple(terms), tuple(hits), total)


def significant_terms(
    searcher: Searcher, article: Article, indexed: bool, settings: SimilarSettings
) -> list[WeightedTerm]:
    """The article's best folded syllables and compounds by tf·idf over the index."""
    text = f"{article.title}\n{article.body}"
    chosen = _best(searcher, BODY, _syllable_counts(text), settings.syllables, indexed)
    if settings.accented:
        counts = _syllable_counts(text, folded=False)
        chosen += _best(searcher, EXACT_TWINS[BODY], counts, settings.accented, indexed)
    if settings.words:
        counts = _compound_counts(article.title, article.body)
        chosen += _best(searcher, COMPOUND_FIELD, counts, settings.words, indexed)
    return [
        WeightedTerm(term.field, term.text, term.weight * _idf_factor(searcher, term, settings))
        for term in chosen
    ]


def _idf_factor(searcher: Searcher, term: WeightedTerm, settings: SimilarSettings) -> float:
    """The part of a term's weight its idf gives the query boost, past the one BM25 adds."""
    if settings.idf_power == 1.0:
        return 1.0
    frequency, count = searcher.doc_frequency(term.field, term.text)
    return float(bm25.idf(frequency, count) ** (settings.idf_power - 1.0))


def _syllable_counts(text: str, folded: bool = True) -> Counter[str]:
    """Syllables with a letter (numbers say little about a topic), folded or with their
    accents, as indexed."""
    from dvsearch.analysis import EXACT, FOLDED

    analyzer = FOLDED if folded else EXACT
    return Counter(t.text for t in analyzer(text) if any(c.isalpha() for c in t.text))


def _compound_counts(title: str, body: str) -> Counter[str]:
    """pyvi's multi-syllable words, folded, as the words field indexes them."""
    from dvsearch.analysis import COMPOUND
    from dvsearch.vietnamese.syllables import TextParts
    from dvsearch.vietnamese.text import fold

    tokens = (t.text for t in COMPOUND(TextParts(title, body)))
    return Counter(text for text in tokens if "_" in text and fold(text) == text)


def _best(
    searcher: Searcher, field: str, counts: Counter[str], keep: int, indexed: bool
) -> list[WeightedTerm]:
    """The ``keep`` terms of highest tf·idf that some other article holds."""
    own = 1 if indexed else 0
    weighed = []
    for text, tf in counts.items():
        frequency, count = searcher.doc_frequency(field, text)
        if frequency <= own:
            continue
        weighed.append(WeightedTerm(field, text, _sublinear(tf) * bm25.idf(frequency, count)))
    weighed.sort(key=lambda term: (-term.weight, term.text))
    return weighed[:keep]


def _sublinear(tf: int) -> float:
    """A term said 30 times is not worth ten said 3 times."""
    return 1.0 + math.log(tf)


def similar_query(terms: list[WeightedTerm], settings: SimilarSettings) -> Any:
    """One ``Or`` of the terms, each boosted by its weight; a syllable also in the title."""
    clauses = []
    for term in terms:
        clauses.append(wq.Term(term.field, term.text, boost=term.weight))
        if term.field == BODY and settings.title_boost:
            boost = term.weight * settings.title_boost
            clauses.append(wq.Term(TITLE, term.text, boost=boost))
    return wq.Or(clauses) if clauses else wq.NullQuery


def _ranked(
    searcher: Searcher, query: Any, body: str, excluded: frozenset[str], limit: int
) -> tuple[list[Hit], int]:
    """The best ``limit`` hits that are neither ``excluded`` nor near copies of ``body``,
    renumbered from 1 and with their lead as the passage."""
    from dvsearch.articles.duplicates import article_signature, similarity

    own = article_signature(body)
    depth = limit + len(excluded) + 5
    while True:
        found, total = searcher.rank_query(query, depth)
        kept = [
            (hit, text)
            for hit, text in found
            if hit.path not in excluded and similarity(own, article_signature(text)) < NEAR_COPY
        ]
        if len(kept) >= limit or len(found) < depth:
            return [
                _shown(hit, text, rank) for rank, (hit, text) in enumerate(kept[:limit], 1)
            ], total
        depth *= 2


def _shown(hit: Hit, body: str, rank: int) -> Hit:
    return hit._replace(rank=rank, passages=(lead_passage(body),) if body else ())


def lead_passage(body: str) -> Passage:
    """The start of an article's body, cut at a word: what a hit shows of it."""
    text = " ".join(body.split())
    if len(text) > LEAD_CHARACTERS:
        text = text[:LEAD_CHARACTERS].rsplit(" ", 1)[0] + "…"
    return Passage(text, (), 0)
