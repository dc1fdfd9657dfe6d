"""The whoosh clauses a run of query syllables scores with, one builder per kind of evidence.

For syllables typed ``dân vận``: each folded term (*dan*, *van*) and its exact accents, the
adjacent pair as a phrase (``"dân vận"`` fully, ``"dan van"`` a little), and the pyvi compound
``dân_vận``; a quoted phrase requires its folded words in order. ``ranking.QueryBuilder``
decides which of these a query gets; this module only knows how each is written for whoosh.
"""

from __future__ import annotations

import itertools
from typing import Any

from dvsearch.engine.public import query as wq
from dvsearch.index.fields import COMPOUND_FIELD, DEFAULT_FIELDS, EXACT_TWINS, FIELD_BOOSTS
from dvsearch.vietnamese.syllables import Syllable, compound_term

EXACT_BOOST = 0.5
PAIR_BOOST = 1.5
FOLDED_PAIR_BOOST = 0.5
COMPOUND_BOOST = 2.0
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


def typed_clauses(
    query: list[Syllable],
    fields: tuple[str, ...],
    common: set[str],
    span: range,
    literal: set[int] | None = None,
    terms: bool = True,
) -> list[Any]:
    """What typed syllables score, for the syllables in ``span`` and the pairs and compounds
    touching them: folded and exact terms unless not ``terms`` (``literal`` ones, a short
    abbreviation, only by their exact letters), adjacent pairs and pyvi compounds."""
    literal = literal or set()
    clauses = []
    for i in span if terms else ():
        s = query[i]
        if i in literal:
            clauses += exact_terms(s, fields, 1.0 + EXACT_BOOST)
        elif s.folded not in common:
            clauses += folded_terms(s, fields) + (exact_terms(s, fields) if s.accented else [])
    for i, (left, right) in enumerate(itertools.pairwise(query)):
        if i in span or i + 1 in span:
            # Inside a form the reading requires, the folded pair always holds: its exact
            # accents are what can still tell articles apart (and phrases are what cost).
            inside = len(span) < len(query) and i in span and i + 1 in span
            if i in literal or i + 1 in literal or (inside and left.accented and right.accented):
                clauses += exact_pair(left, right, fields)
            else:
                clauses += pair_clauses(left, right, fields)
    if fields == DEFAULT_FIELDS:
        clauses += compound_clauses(query, span)
    return clauses


def pair_clauses(left: Syllable, right: Syllable, fields: tuple[str, ...]) -> list[Any]:
    """Adjacent query syllables score as a phrase; a pair typed with accents earns the full
    bonus only with those accents, so *dẫn văn* side by side does not pass for *dân vận*."""
    if not (left.accented and right.accented):
        return folded_pair(left, right, fields, PAIR_BOOST)
    return exact_pair(left, right, fields) + folded_pair(left, right, fields, FOLDED_PAIR_BOOST)


def exact_pair(left: Syllable, right: Syllable, fields: tuple[str, ...]) -> list[Any]:
    return [
        wq.Phrase(EXACT_TWINS[f], [left.exact, right.exact], boost=PAIR_BOOST * FIELD_BOOSTS[f])
        for f in fields
    ]


def folded_pair(
    left: Syllable, right: Syllable, fields: tuple[str, ...], boost: float
) -> list[Any]:
    return [
        wq.Phrase(f, [left.folded, right.folded], boost=boost * FIELD_BOOSTS[f]) for f in fields
    ]


def folded_terms(syllable: Syllable, fields: tuple[str, ...]) -> list[Any]:
    return [wq.Term(f, syllable.folded, boost=FIELD_BOOSTS[f]) for f in fields]


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
