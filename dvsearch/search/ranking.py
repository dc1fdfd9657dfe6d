"""Parsed query clauses -> one scored whoosh query: where Vietnamese-aware ranking lives.

BM25F over title, body and author, plus:

- each syllable typed with accents also scores its exact (accented) form;
- adjacent query syllables score as a phrase (an accented pair fully only with its accents)
  and as a pyvi compound word; a syllable outside the index's compounds as a word of its own,
  weighed by the articles writing it alone;
- a query typed with accents keeps only articles holding a syllable as typed;
- abbreviations and their expansions stand in for each other (MTTQ <-> Mặt trận Tổ quốc), the
  other form scored as if typed in its place (terms, accents, pairs with its neighbours,
  compounds), and never restored or repaired as a typo; the letters of a numbered document
  code (the QĐ of ``464-QĐ/TU``) are an identifier's, never expanded;
- a short run typed as a whole also scores as a writer's name in the author field.

So for ``dân vận`` an article saying *dân vận* outranks one saying *dẫn văn*, and one with the
words side by side outranks one where they are scattered.

Beside the scored query, ``QueryBuilder.all_words`` builds a boolean one: the articles that hold
every query word, which the engines count apart and flag on each hit.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from dvsearch.engine.public import query as wq
from dvsearch.index.fields import DEFAULT_FIELDS
from dvsearch.search.clauses import (
    anchored,
    as_typed,
    compound_clauses,
    exact_pair,
    exact_terms,
    folded_terms,
    form_query,
    phrase_query,
    reading_clauses,
    typed_clauses,
    word_clauses,
)
from dvsearch.search.query import AllOf, AnyOf, Clause, Phrase, Sequence, Without, Words
from dvsearch.vietnamese.abbreviations import Alternative, Expander
from dvsearch.vietnamese.syllables import Syllable, syllables
from dvsearch.vietnamese.text import fold

if TYPE_CHECKING:
    from dvsearch.search.vocabulary import Vocabulary

RESTORED_BOOST = 1.0
COMMON_SHARE = 0.3  # a syllable in more articles than this acts as a stop word
# What a whole name in the author field adds to an article's score (see ``_author_clauses``).
# MRR@10 of 49 writers' names as written / without accents (benchmarks/relevance_names.py):
# 8 -> 0.785 / 0.679, 16 -> 0.883 / 0.825, 32 -> 0.956 / 0.944, 48 -> 1.0 / 0.976; the BM25
# phrase boosted 8 it replaces, 0.944 / 0.893 there, but rank 156 for *Mai Trâm* among 2,000
# articles where fewer carry a byline. 32 leaves first an article about a namesake that says
# the name throughout (*Ngọc Sơn*, *Hồ Sỹ Hùng*), which 48 would bury under the bylines.
AUTHOR_BOOST = 32.0
AUTHOR_FIELD = "author"
NAME_LENGTH = (2, 4)  # syllables in a writer's name (also what a byline reading looks up)
_CACHED_TEXTS = 256


class QueryBuilder:
    """Compiles clauses with the abbreviation table and vocabulary of the index searched.

    ``vocabulary`` is called only for queries that need it (a syllable typed without accents
    or unknown to the index), so other queries never pay for loading it. ``share_of_articles``
    tells how many articles' bodies hold a folded syllable, ``share_as_word`` how many hold a
    folded word (``dan_van``, or ``ban`` standing alone) in the words field.
    """

    def __init__(
        self,
        expander: Expander | None = None,
        vocabulary: Callable[[], Vocabulary | None] | None = None,
        share_of_articles: Callable[[str], float] | None = None,
        share_as_word: Callable[[str], float] | None = None,
    ) -> None:
        self._expander = expander
        self._vocabulary = vocabulary
        self._share = share_of_articles
        self._word_share = share_as_word
        # Asked for by the scored query, every-words query, passages and suggestion alike
        self._found: dict[str, list[Alternative]] = {}

    def build(self, clause: Clause) -> Any:
        """The whoosh query for a parsed clause."""
        match clause:
            case Words(text=text, field=field):
                return self._words(syllables(text), _fields(field), text)
            case Phrase(text=text, field=field):
                return phrase_query(syllables(text), _fields(field))
            case AnyOf(parts=parts):
                return wq.Or([self.build(part) for part in parts])
            case AllOf(parts=parts):
                return self._combine(list(parts), [])
            case Sequence(parts=parts):
                optional: list[Clause] = [p for p in parts if _ranks_only(p)]
                required: list[Clause] = [p for p in parts if not _ranks_only(p)]
                return self._combine(required, optional)
            case Without():
                return self._combine([clause], [])
        raise TypeError(f"unknown clause {clause!r}")

    def all_words(self, clause: Clause) -> Any:
        """The boolean whoosh query for "every word": each word as the anchor reads it (typed
        accents or none written, any accents for a word typed without them) or through an
        abbreviation covering it; a quoted phrase as a phrase; operators as operators, bare
        words inside them all required. Only ever asked of articles the scored query matches,
        and a subset of them, so adding a word can only shrink it."""
        match clause:
            case Words(text=text, field=field):
                return self._all_of_words(syllables(text), _fields(field), text)
            case Phrase():
                return self.build(clause)
            case AnyOf(parts=parts):
                return wq.Or([self.all_words(part) for part in parts])
            case AllOf(parts=parts) | Sequence(parts=parts):
                return self._all_of_parts(list(parts))
            case Without():
                return self._all_of_parts([clause])
        raise TypeError(f"unknown clause {clause!r}")

    def _all_of_parts(self, parts: list[Clause]) -> Any:
        """Every part with every word, and none of the articles the scored query excludes."""
        negated = [self.build(p.part) for p in parts if isinstance(p, Without)]
        musts = [self.all_words(p) for p in parts if not isinstance(p, Without)]
        query = wq.And(musts) if len(musts) > 1 else musts[0] if musts else wq.Every()
        return wq.AndNot(query, wq.Or(negated)) if negated else query

    def _all_of_words(self, query: list[Syllable], fields: tuple[str, ...], typed: str) -> Any:
        """Each syllable as typed, or an abbreviation or expansion standing for it (one query
        per form, shared by the syllables it covers: the arrays engine then scores it once)."""
        if not query:
            return wq.Every()  # nothing to require: the scored query decides
        found = _expanded(query, self._alternatives(query, typed), typed)
        forms = [(a, [form_query(f, fields) for f in a.forms]) for a in found]
        each = [
            wq.Or(
                as_typed(s, fields)
                + [q for a, queries in forms if a.start <= i < a.end for q in queries]
            )
            for i, s in enumerate(query)
        ]
        return wq.And(each) if len(each) > 1 else each[0]

    def _combine(self, required: list[Clause], optional: list[Clause]) -> Any:
        """Required parts must match, optional plain words only rank, negated parts exclude."""
        negated = [self.build(p.part) for p in required if isinstance(p, Without)]
        musts = [self.build(p) for p in required if not isinstance(p, Without)]
        shoulds = [self.build(p) for p in optional]
        if musts:
            query = wq.And(musts) if len(musts) > 1 else musts[0]
            if shoulds:
                query = wq.AndMaybe(query, wq.Or(shoulds))
        elif shoulds:
            query = wq.Or(shoulds) if len(shoulds) > 1 else shoulds[0]
        else:
            query = wq.Every()
        if negated:
            query = wq.AndNot(query, wq.Or(negated))
        return query

    def _words(self, query: list[Syllable], fields: tuple[str, ...], typed: str) -> Any:
        """Any syllable may match; exact accents, pairs, compounds and abbreviations add."""
        if not query:
            return wq.NullQuery
        found = self._alternatives(query, typed)
        clauses = typed_clauses(query, fields, self._stop_words(query))
        if fields == DEFAULT_FIELDS:
            clauses += _author_clauses(query)
            if self._word_share is not None:
                clauses += word_clauses(query, self._word_share, COMMON_SHARE)
        for segment in _unabbreviated_runs(query, found):
            clauses += self._restored_clauses(segment, fields)
        anchors = []
        for alternative in _expanded(query, found, typed):
            in_code = _inside_code(query, alternative, typed)
            for form in alternative.forms:
                anchor = form_query(form, fields)
                if in_code or not self._held(form):
                    clauses.append(anchor)
                else:
                    clauses.append(self._reading(query, alternative, form, fields, anchor))
                anchors.append(anchor)
        return anchored(wq.Or(clauses), query, fields, anchors)

    def _reading(
        self,
        query: list[Syllable],
        alternative: Alternative,
        form: tuple[Syllable, ...],
        fields: tuple[str, ...],
        required: Any,
    ) -> Any:
        """The query read with ``form`` in place of the syllables it stands for, scored as if
        typed so (terms, exact accents, pairs with its neighbours, compounds; a shorter form
        its pairs and compounds only), in articles holding the whole form (``required``).
        Only the clauses touching the form are built: those of the rest are the typed
        reading's, so they count once; and the pairs inside the form weigh on its terms
        (``form_terms``), as phrases cost."""
        reading = [*query[: alternative.start], *form, *query[alternative.end :]]
        span = range(alternative.start, alternative.start + len(form))
        common = self._stop_words(reading)
        typed_length = alternative.end - alternative.start
        # A byline never holds an expansion beside the query's other words: its terms and
        # pairs there would only cost time.
        near = tuple(f for f in fields if f != AUTHOR_FIELD) or fields
        # MRR@10 on 45 vietnews headlines with an expansion swapped for its abbreviation
        # ("abbr") or the reverse ("expanded"), against 0.944 / 0.901 for one folded phrase:
        # typed as is, 0.903 / 0.870; weighed by the square root of typed / form syllables,
        # 0.972 / 0.907, but the relevance harness then lost 3 of 150 vietnews headlines
        # (an expansion typed: the abbreviation's term, doubled, pulled up articles that
        # merely repeat it). So an abbreviation standing for a typed expansion scores as one
        # term plus its pairs with the neighbours and compounds (0.895, the harness unchanged).
        # Weighing the pairs inside the form on its terms, without byline clauses, keeps
        # those figures (0.972 / 0.895) with 10-30% less CPU per search for ``UBND tỉnh`` or
        # ``MTTQ`` than a phrase per pair (``benchmarks/abbreviation_speed.py``).
        shorter = len(form) < typed_length
        clauses = reading_clauses(reading, span, near, common, terms=not shorter)
        if fields == DEFAULT_FIELDS:
            clauses += compound_clauses(reading, span)
            # As typed words score as words: else UBND standing for a typed *Ủy ban nhân dân*
            # loses to an article holding the typed *ban* alone.
            if self._word_share is not None:
                clauses += word_clauses(list(form), self._word_share, COMMON_SHARE)
        if shorter:
            return wq.Require(wq.Or([required, *clauses]), required)
        boost = math.sqrt(typed_length / len(form))
        return wq.Require(wq.Or(clauses, boost=boost), required)

    def _held(self, form: tuple[Syllable, ...]) -> bool:
        """False when some syllable of ``form`` is in no article's body: the form is then
        looked for as one clause, not read into the query (an archive that never writes
        *MTTQ* costs the expansion typed nothing)."""
        share = self._share
        return share is None or all(share(s.folded) > 0 for s in form)

    def reading_runs(self, clause: Clause) -> list[list[Syllable]]:
        """The abbreviations and expansions standing for the positive parts' words, a run
        each: a hit found through one must show it in its passages, highlighted."""
        if self._expander is None:
            return []
        runs: list[list[Syllable]] = []
        for text in _positive_words(clause):
            query = syllables(text)
            for alternative in _expanded(query, self._alternatives(query, text), text):
                runs += [list(form) for form in alternative.forms]
        return runs

    def abbreviated(self, text: str) -> list[Syllable]:
        """The syllables of ``text`` that are abbreviations (``DVK``): known words, never typos
        to repair nor accents to restore."""
        query = syllables(text)
        found = self._alternatives(query, text)
        return [s for i, s in enumerate(query) if _covered(i, found)]

    def _stop_words(self, query: list[Syllable]) -> set[str]:
        """Syllables found in so many articles that alone they only slow the search and blur
        its ranking (của, và, những…). They still count in adjacent pairs and compounds, so
        phrases through them hold; a query made only of them keeps them all."""
        if self._share is None or COMMON_SHARE >= 1:
            return set()
        common = {s.folded for s in query if self._share(s.folded) > COMMON_SHARE}
        return common if len(common) < len({s.folded for s in query}) else set()

    def _restored_clauses(self, query: list[Syllable], fields: tuple[str, ...]) -> list[Any]:
        """Score the accents the index most likely means for syllables typed without them, and
        known syllables for typos, as if typed so; what was typed keeps its recall."""
        if self._vocabulary is None or self._all_accented_and_indexed(query):
            return []
        vocabulary = self._vocabulary()
        if vocabulary is None or not _needs_restoring(query, vocabulary):
            return []
        restored = vocabulary.restore(query)
        # A user who typed accents anywhere meant the bare syllables as typed (con, ban, in):
        # accents are guessed only for runs typed entirely without them.
        guess_accents = not any(s.accented for s in query)
        guessed = [
            Syllable(form, fold(form), s.start, s.end, s.breaks)
            for s, form in zip(query, restored.exact, strict=True)
        ]
        clauses: list[Any] = []
        for typed, guess, repaired in zip(query, guessed, restored.corrected, strict=True):
            if repaired:
                clauses += folded_terms(guess, fields)
            if guess.accented and guess.exact != typed.exact and (guess_accents or repaired):
                clauses += exact_terms(guess, fields)
        for left, right in itertools.pairwise(guessed):
            if guess_accents and left.accented and right.accented:
                clauses += exact_pair(left, right, fields)
        return [_boosted(clause, RESTORED_BOOST) for clause in clauses]

    def _all_accented_and_indexed(self, query: list[Syllable]) -> bool:
        """Typed with accents and found in articles: nothing to restore or repair, so the
        vocabulary (megabytes of JSON on a large archive) is not even loaded."""
        share = self._share
        return share is not None and all(s.accented and share(s.folded) > 0 for s in query)

    def _alternatives(self, query: list[Syllable], typed: str) -> list[Alternative]:
        """The abbreviations and expansions in ``query``, the syllables of ``typed``."""
        if self._expander is not None and typed not in self._found:
            if len(self._found) >= _CACHED_TEXTS:
                self._found.clear()
            self._found[typed] = list(self._expander.alternatives(query, typed))
        return self._found.get(typed, [])


def _boosted(clause: Any, factor: float) -> Any:
    clause.boost *= factor
    return clause


def _needs_restoring(query: list[Syllable], vocabulary: Vocabulary) -> bool:
    return any(not s.accented or not vocabulary.knows(s.folded) for s in query)


def _ranks_only(clause: Clause) -> bool:
    """Plain words beside a required part rank results; fielded words filter like a phrase."""
    return isinstance(clause, Words) and clause.field is None


def _fields(field: str | None) -> tuple[str, ...]:
    return (field,) if field else DEFAULT_FIELDS


def _covered(index: int, found: list[Alternative]) -> bool:
    """Whether query syllable ``index`` is typed as an abbreviation."""
    return any(a.abbreviation and a.start <= index < a.end for a in found)


def _unabbreviated_runs(query: list[Syllable], found: list[Alternative]) -> list[list[Syllable]]:
    """The runs of query syllables between abbreviations: restoration and repair see only
    these, so ``DVK`` (a user's abbreviation) is not "repaired" into *Đắk*."""
    runs: list[list[Syllable]] = [[]]
    for i, syllable in enumerate(query):
        if _covered(i, found):
            runs.append([])
        else:
            runs[-1].append(syllable)
    return [run for run in runs if run]


def _author_clauses(query: list[Syllable]) -> list[Any]:
    """A short run typed as a whole may be a writer's name: the whole name in the author
    field adds a fixed score. Not BM25's: few articles name their author, so the field's
    average length is a fraction of a syllable and length normalisation leaves a byline
    weighing a hundredth of a body that merely mentions the name (and how little depends on
    how many articles carry a byline, so no boost could fit every archive)."""
    if not NAME_LENGTH[0] <= len(query) <= NAME_LENGTH[1]:
        return []
    name = wq.Phrase(AUTHOR_FIELD, [s.folded for s in query])
    return [wq.Require(wq.Every(boost=AUTHOR_BOOST), name)]


def _inside_code(query: list[Syllable], alternative: Alternative, typed: str) -> bool:
    """True for an abbreviation joined to a neighbour without a space (``HĐND-UBND``; a
    numbered code's are not expanded at all): articles never write its expansion with that
    neighbour beside it, so the expansion is scored as one phrase, without a reading's pairs
    (they made such a query 40% slower in ``speed.py --quick`` for nothing)."""
    before = query[alternative.start - 1] if alternative.start > 0 else None
    after = query[alternative.end] if alternative.end < len(query) else None
    first, last = query[alternative.start], query[alternative.end - 1]
    gaps = []
    if before is not None:
        gaps.append(typed[before.end : first.start])
    if after is not None:
        gaps.append(typed[last.end : after.start])
    return any(not any(char.isspace() for char in gap) for gap in gaps)


def _expanded(query: list[Syllable], found: list[Alternative], typed: str) -> list[Alternative]:
    """The alternatives the query is also read through: not a numbered code's letters, which
    name its issuer (``464-QĐ/TU``) in articles citing the code as written; expanded, they
    found and highlighted every *quyết định* and *tỉnh ủy* of the archive (passages cost
    twice as much) for nothing. They stay known words, never repaired (``abbreviated``)."""
    return [a for a in found if not _in_numbered_code(query, a, typed)]


def _in_numbered_code(query: list[Syllable], alternative: Alternative, typed: str) -> bool:
    """True when the alternative is written into a stretch without spaces that holds a digit
    (``464-QĐ/TU``, ``18-NQ/TW``), not for joined abbreviations alone (``HĐND-UBND``)."""
    start, end = query[alternative.start].start, query[alternative.end - 1].end
    words = (m.group() for m in re.finditer(r"\S+", typed) if m.start() <= start < end <= m.end())
    return any(char.isdigit() for word in words for char in word)


def _positive_words(clause: Clause) -> Iterable[str]:
    """The texts of the positive plain-word parts, where abbreviations expand."""
    match clause:
        case Words(text=text):
            yield text
        case AnyOf(parts=parts) | AllOf(parts=parts) | Sequence(parts=parts):
            for part in parts:
                yield from _positive_words(part)
