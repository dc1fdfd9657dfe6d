"""The whoosh clauses a run of query syllables scores with, one builder per kind of evidence.

For syllables typed ``dân vận``: each folded term (*dan*, *van*) and its exact accents, the
adjacent pair as a phrase (``"dân vận"`` fully, ``"dan van"`` a little), and the pyvi compound
``dân_vận``; a syllable no compound of the index covers, as a word standing alone (``ban`` of
``ban dân vận``); a quoted phrase requires its folded words in order. ``ranking.QueryBuilder``
decides which of these a query gets; this module only knows how each is written for whoosh.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from dvsearch.engine.exact_pairs import ExactPair
from dvsearch.engine.public import query as wq
from dvsearch.index.fields import COMPOUND_FIELD, DEFAULT_FIELDS, EXACT_TWINS, FIELD_BOOSTS
from dvsearch.vietnamese.syllables import Syllable, compound_term

EXACT_BOOST = 0.5
# A compound scored as two syllables, two accent twins, a pair and a compound let a
# question's framing words (công ty, khai thác) outweigh the rare name the answer shares; with
# the words' own terms (``word_clauses``) pairs weigh least. MRR@10 written / no_accents /
# typo, 75 queries (relevance.py --quick): pairs 1.5 (folded 0.5), compounds 2.0, no words:
# viquad 0.838/0.797/0.799, xquad 0.908/0.898/0.901, vietnews 0.953/0.941/0.933; 1.0 (0.5),
# 1.0, no words: 0.849/0.796/0.795, 0.922/0.903/0.907, 0.961/0.946/0.931; 1.0 (0.5), 1.0,
# words 1.0: 0.859/0.830/0.830, 0.943/0.919/0.903, 0.967/0.958/0.947; 0.5 (0.25), 1.0, words
# 1.0: 0.873/0.862/0.845, 0.938/0.928/0.907, 0.954/0.967/0.934.
PAIR_BOOST = 0.5
FOLDED_PAIR_BOOST = 0.25
COMPOUND_BOOST = 1.0
FORM_PAIR_BOOST = 1.5
WORD_BOOST = 1.0
ALTERNATIVE_BOOST = 1.0
SHORT_FORM = 2  # a one-syllable form this short is looked up with its exact letters


def form_query(form: tuple[Syllable, ...], fields: tuple[str, ...]) -> Any:
    """Another way of writing part of the query: a short abbreviation by its exact letters
    (``TU`` must not match every *tư*), anything longer as a folded phrase."""
    if is_short(form):
        terms = [wq.Term(EXACT_TWINS[f], form[0].exact, boost=ALTERNATIVE_BOOST) for f in fields]
        return wq.Or(terms)
    if len(form) == 1:
        return wq.Or([wq.Term(f, form[0].folded, boost=ALTERNATIVE_BOOST) for f in fields])
    folded = [s.folded for s in form]
    return wq.Or([wq.Phrase(f, folded, boost=ALTERNATIVE_BOOST) for f in fields])


def is_short(form: tuple[Syllable, ...]) -> bool:
    return len(form) == 1 and len(form[0].folded) <= SHORT_FORM


def typed_clauses(query: list[Syllable], fields: tuple[str, ...], common: set[str]) -> list[Any]:
    """What typed syllables score: folded and exact terms (not for ``common`` ones), adjacent
    pairs and pyvi compounds."""
    clauses = [c for s in query if s.folded not in common for c in _terms(s, fields)]
    for left, right in itertools.pairwise(query):
        clauses += pair_clauses(left, right, fields)
    if fields == DEFAULT_FIELDS:
        clauses += compound_clauses(query, range(len(query)))
    return clauses


def reading_clauses(
    reading: list[Syllable],
    span: range,
    fields: tuple[str, ...],
    common: set[str],
    terms: bool,
) -> list[Any]:
    """What a query read with another form in ``span`` scores for that form, in articles
    holding it: the form's terms with its inner pairs (``form_terms``) unless not ``terms``,
    and its pairs with the neighbours (a short abbreviation's by its exact letters), in
    ``fields``. The clauses of the rest of the query are the typed reading's, so they count
    once; compounds are the caller's."""
    form = tuple(reading[span.start : span.stop])
    clauses = form_terms(form, fields, common, alone=len(form) == len(reading)) if terms else []
    for i in (span.start - 1, span.stop - 1):
        if 0 <= i < len(reading) - 1:
            pair = exact_pair if is_short(form) else pair_clauses
            clauses += pair(reading[i], reading[i + 1], fields)
    return clauses


def form_terms(
    form: tuple[Syllable, ...], fields: tuple[str, ...], common: set[str], alone: bool
) -> list[Any]:
    """A required form's terms as typed syllables score them, and its inner pairs at no
    phrase's cost (phrases are what a query costs): inside the form every pair holds where
    the form does, and a pair's phrase scores as its two words' BM25, so each word's terms
    also carry the pairs it is in (``pair_clauses``: an accented pair on the exact terms, and
    on the folded ones too only when the form is the whole query). A short abbreviation
    counts by its exact letters only; a ``common`` syllable not at all, as when typed: whoosh
    reads every posting of an ``Or``'s terms, and the form's compounds still hold it."""
    if is_short(form):
        return exact_terms(form[0], fields, 1.0 + EXACT_BOOST)
    folded = [1.0] * len(form)
    exact = [EXACT_BOOST if s.accented else 0.0 for s in form]
    for i in range(len(form) - 1):
        if form[i].accented and form[i + 1].accented:
            exact[i : i + 2] = [weight + FORM_PAIR_BOOST for weight in exact[i : i + 2]]
            if alone:
                folded[i : i + 2] = [weight + FOLDED_PAIR_BOOST for weight in folded[i : i + 2]]
        else:
            folded[i : i + 2] = [weight + FORM_PAIR_BOOST for weight in folded[i : i + 2]]
    clauses = []
    for s, folded_weight, exact_weight in zip(form, folded, exact, strict=True):
        if s.folded not in common:
            clauses += folded_terms(s, fields, folded_weight)
            clauses += exact_terms(s, fields, exact_weight) if s.accented else []
    return clauses


def _terms(s: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """A typed syllable's folded terms, and its exact ones when typed with accents."""
    return folded_terms(s, fields) + (exact_terms(s, fields) if s.accented else [])


def pair_clauses(left: Syllable, right: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """Adjacent query syllables score as a phrase; a pair typed with accents earns the full
    bonus only with those accents, so *dẫn văn* side by side does not pass for *dân vận*."""
    if not (left.accented and right.accented):
        return folded_pair(left, right, fields, PAIR_BOOST)
    return exact_pair(left, right, fields) + folded_pair(left, right, fields, FOLDED_PAIR_BOOST)


def exact_pair(left: Syllable, right: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """The pair side by side with the accents typed: the folded pair where the exact twin's
    accents column says so (exact fields keep no positions, ``engine/exact_pairs.py``)."""
    return [
        ExactPair(EXACT_TWINS[f], [left.exact, right.exact], boost=PAIR_BOOST * FIELD_BOOSTS[f])
        for f in fields
    ]


def folded_pair(
    left: Syllable, right: Syllable, fields: tuple[str, ...], boost: float
) -> list[Any]:
    return [
        wq.Phrase(f, [left.folded, right.folded], boost=boost * FIELD_BOOSTS[f]) for f in fields
    ]


def folded_terms(syllable: Syllable, fields: tuple[str, ...], boost: float = 1.0) -> list[Any]:
    return [wq.Term(f, syllable.folded, boost=boost * FIELD_BOOSTS[f]) for f in fields]


def exact_terms(
    syllable: Syllable, fields: tuple[str, ...], boost: float = EXACT_BOOST
) -> list[Any]:
    """The syllable with the accents typed, which an exact match earns on top of the folded."""
    return [wq.Term(EXACT_TWINS[f], syllable.exact, boost=boost * FIELD_BOOSTS[f]) for f in fields]


def compound_clauses(query: list[Syllable], span: range) -> list[Any]:
    """Adjacent syllables looked up as the compound words pyvi found at index time (those
    with a syllable in ``span``)."""
    clauses = []
    for size in (2, 3):
        for start in range(len(query) - size + 1):
            if start + size <= span.start or start >= span.stop:
                continue
            words = [s.exact for s in query[start : start + size]]
            clauses.append(wq.Term(COMPOUND_FIELD, compound_term(words), boost=COMPOUND_BOOST))
    return clauses


def word_clauses(query: list[Syllable], share: Callable[[str], float], common: float) -> list[Any]:
    """The one-syllable words of the query, read greedily longest first by the compounds the
    index holds (``share``: of articles holding a folded word in the words field), looked up
    in the words field, where a syllable counts only where it stands alone: *định* of
    ``ngày định tinh`` then weighs by the articles writing it as a word, not pooled over
    *quyết định*, *ổn định*… (no pyvi at query time: it costs 0.8 s). A word in more than
    ``common`` of the articles acts as a stop word (là, của), however common the syllable."""
    clauses = []
    i = 0
    while i < len(query):
        size = _known_compound_at(query, i, share)
        if size == 1 and 0 < share(query[i].folded) <= common:
            clauses.append(wq.Term(COMPOUND_FIELD, query[i].folded, boost=WORD_BOOST))
        i += size
    return clauses


def _known_compound_at(query: list[Syllable], i: int, share: Callable[[str], float]) -> int:
    """The syllables of the longest compound the index holds starting at ``i`` (1 if none);
    a compound never crosses the punctuation between two query syllables."""
    for size in (3, 2):
        run = query[i : i + size]
        whole = len(run) == size and not any(s.breaks for s in run[1:])
        if whole and share(compound_term([s.folded for s in run])) > 0:
            return size
    return 1


def phrase_query(query: list[Syllable], fields: tuple[str, ...]) -> Any:
    """All syllables in order must match; exact accents still add to the score."""
    if not query:
        return wq.NullQuery
    if len(query) == 1:
        required = wq.Or(folded_terms(query[0], fields))
    else:
        folded = [s.folded for s in query]
        required = wq.Or([wq.Phrase(f, folded, boost=FIELD_BOOSTS[f]) for f in fields])
    bonus = [c for s in query if s.accented for c in exact_terms(s, fields)]
    scoring = wq.AndMaybe(required, wq.Or(bonus)) if bonus else required
    return anchored(scoring, query, fields, [])


def anchored(
    scoring: Any, query: list[Syllable], fields: tuple[str, ...], alternatives: list[Any]
) -> Any:
    """Keep only articles with at least one query syllable as the user typed it.

    A syllable typed with accents is met by those accents, or by the bare letters in an article
    written without accents; not by other accents: for ``bóng đá`` an article that only says
    *đã* is not a match. Folded matches still add to the score of the articles kept, and an
    abbreviation or expansion of the query counts as typed.
    """
    if not any(s.accented for s in query):
        return scoring
    anchors = [term for s in query for term in as_typed(s, fields)]
    return wq.Require(scoring, wq.Or(anchors + alternatives))


def as_typed(syllable: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """The syllable as the user typed it: with the accents typed, or with none written (an
    article without accents); typed without accents, in any accents."""
    if not syllable.accented:
        return [wq.Term(f, syllable.folded) for f in fields]
    forms = (syllable.exact, syllable.folded)
    return [wq.Term(EXACT_TWINS[f], form) for form in forms for f in fields]
