"""Passages of an article that match a query, with the character spans to highlight, as data.

Only what belongs to a matched query word, pair or phrase is marked: for ``Dân vận khéo`` the
*dẫn* of "hướng dẫn" shares its letters with *dân* but matches nothing the user asked for, so
it is not highlighted; *Dận vận* side by side is a folded match of the pair and is shown as one.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from dvsearch.search.query import AllOf, AnyOf, Clause, Phrase, Words
from dvsearch.search.query import Sequence as Parts
from dvsearch.vietnamese.syllables import Syllable, syllables, syllables_among
from dvsearch.vietnamese.text import bare_letters, fold, keeps_offsets, spellings_pattern

if TYPE_CHECKING:
    from dvsearch.search.vocabulary import Vocabulary

MAX_PASSAGE_CHARS = 280
_ELLIPSIS = "…"
_SYLLABLE_END = r"(?![^\W_])"
_NUMBER = re.compile(r"\d[.,]\d")
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")
_SPACE = re.compile(r"\s")


class MatchTerms(NamedTuple):
    """The syllables a query asks for, split by how the user typed them (or the index restored
    them), and which of them stand side by side in the query."""

    folded: frozenset[str]
    accented: frozenset[str]  # exact forms of syllables typed (or restored) with accents
    unaccented: frozenset[str]  # folded forms typed without accents: any accents match them
    pairs: frozenset[tuple[str, str]] = frozenset()  # folded adjacent syllables of a run
    words: frozenset[str] = frozenset()  # folded syllables that are a whole run by themselves

    @classmethod
    def from_syllables(cls, query: list[Syllable]) -> MatchTerms:
        """Terms for the syllables of one run of query words."""
        return cls.from_runs([query])

    @classmethod
    def from_runs(cls, runs: Iterable[Sequence[Syllable]]) -> MatchTerms:
        """Terms for the runs of a query's positive parts (each a quoted phrase or a stretch
        of plain words, see ``query_runs``): pairs are only ever made inside a run."""
        runs = [list(run) for run in runs]
        query = [s for run in runs for s in run]
        return cls(
            folded=frozenset(s.folded for s in query),
            accented=frozenset(s.exact for s in query if s.accented),
            unaccented=frozenset(s.folded for s in query if not s.accented),
            pairs=frozenset(
                (a.folded, b.folded) for run in runs for a, b in itertools.pairwise(run)
            ),
            words=frozenset(run[0].folded for run in runs if len(run) == 1),
        )

    @property
    def pattern(self) -> re.Pattern[str]:
        """The folded syllables as whole syllables of ``bare_letters`` text (``_pattern``)."""
        return _pattern(self.folded)

    @property
    def written_pattern(self) -> re.Pattern[str]:
        """``pattern`` for text as written: what it matches in ``bare_letters(text)``, at
        the same offsets, when ``keeps_offsets(text)``."""
        return _written_pattern(self.folded)

    def kind_of(self, syllable: Syllable) -> str | None:
        """``exact``, ``folded`` (same letters, other accents than typed) or None."""
        if syllable.folded not in self.folded:
            return None
        if syllable.exact in self.accented or syllable.folded in self.unaccented:
            return "exact"
        return "folded"


@lru_cache(maxsize=64)
def _pattern(folded: frozenset[str]) -> re.Pattern[str]:
    """The query's syllables as whole syllables of ``bare_letters`` text, made once for every
    article a query highlights. A number such as ``3.000`` may be followed by letters
    (``3.000m``), so a syllable may follow a digit and a number may end before a letter; other
    edges are non-letters."""
    alternatives = [
        re.escape(bare_letters(term)) + ("" if _NUMBER.search(term) else _SYLLABLE_END)
        for term in sorted(folded, key=len, reverse=True)
    ]
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives) or '(?!)'})")


@lru_cache(maxsize=64)
def _written_pattern(folded: frozenset[str]) -> re.Pattern[str]:
    """``_pattern`` with each letter standing for its every spelling: translating a whole
    article body to ``bare_letters`` first cost more than searching it (its bare letters keep
    their length and order, so alternatives keep their lengths and their order)."""
    alternatives = [
        spellings_pattern(bare_letters(term)) + ("" if _NUMBER.search(term) else _SYLLABLE_END)
        for term in sorted(folded, key=len, reverse=True)
    ]
    body = "|".join(alternatives) or "(?!)"
    return re.compile(rf"(?<![^\W\d_])(?:{body})", re.IGNORECASE)


class Span(NamedTuple):
    """Characters ``start:end`` of a passage matched the query; ``kind`` is exact or folded."""

    start: int
    end: int
    kind: str


class Passage(NamedTuple):
    """A piece of article text to show, with the spans that matched."""

    text: str
    spans: tuple[Span, ...]
    start: int  # offset of ``text`` in the article body


def find_passages(text: str, terms: MatchTerms, limit: int = 3) -> list[Passage]:
    """The best ``limit`` sentences of ``text`` for the query, in reading order.

    A sentence repeated word for word (pages that print their body twice) is offered once.
    """
    candidates = _unique_texts(c for c in _sentences(text, terms) if c.spans)
    best = sorted(candidates, key=_passage_score, reverse=True)[:limit]
    return [_trim(passage) for passage in sorted(best, key=lambda p: p.start)]


def _unique_texts(passages: Iterable[Passage]) -> list[Passage]:
    seen: set[str] = set()
    unique = []
    for passage in passages:
        key = " ".join(passage.text.split())
        if key not in seen:
            seen.add(key)
            unique.append(passage)
    return unique


def highlight_spans(text: str, terms: MatchTerms) -> tuple[Span, ...]:
    """Every syllable of ``text`` that matches the query, with consecutive matches merged
    into one span: a syllable in its accents as asked for, or one of a pair of the query's
    adjacent syllables found side by side; other accents alone only for a one-word run."""
    return _spans(text, syllables_among(text, terms.folded), terms)


def _spans(text: str, found: list[Syllable], terms: MatchTerms, start: int = 0) -> tuple[Span, ...]:
    """``highlight_spans`` from the query's syllables already found in ``text``, in order,
    as offsets from ``start`` (a sentence's, when ``text`` is the whole body)."""
    paired = _paired(text, found, terms)
    merged: list[tuple[int, int, str]] = []
    for syllable, in_pair in zip(found, paired, strict=True):
        kind = terms.kind_of(syllable)
        if kind is None or not (in_pair or kind == "exact" or syllable.folded in terms.words):
            continue
        if merged and merged[-1][2] == kind and text[merged[-1][1] : syllable.start].isspace():
            merged[-1] = (merged[-1][0], syllable.end, kind)
        else:
            merged.append((syllable.start, syllable.end, kind))
    return tuple(Span(begin - start, end - start, kind) for begin, end, kind in merged)


def _paired(text: str, found: list[Syllable], terms: MatchTerms) -> list[bool]:
    """Which found syllables stand next to one that makes a query pair with them (only
    punctuation or spaces between, as the index's positions see a phrase)."""
    paired = [False] * len(found)
    for i, (left, right) in enumerate(itertools.pairwise(found)):
        gap = text[left.end : right.start]
        if (left.folded, right.folded) in terms.pairs and not any(c.isalnum() for c in gap):
            paired[i] = paired[i + 1] = True
    return paired


def query_runs(clause: Clause) -> list[list[Syllable]]:
    """The syllables a hit is expected to contain, run by run (negated parts excluded): each
    plain-word or quoted part of the query is a run, and only a run's neighbours pair up."""
    match clause:
        case Words(text=text) | Phrase(text=text):
            run = syllables(text)
            return [run] if run else []
        case AnyOf(parts=parts) | AllOf(parts=parts) | Parts(parts=parts):
            return [run for part in parts for run in query_runs(part)]
    return []


def as_meant(run: list[Syllable], vocabulary: Callable[[], Vocabulary | None]) -> list[Syllable]:
    """A run as ranking scores it: typos repaired and, for a run typed entirely without
    accents, the accents the index most likely means (so ``dan van`` marks *dân* but not a
    lone *dẫn*). ``vocabulary`` is asked for only when a syllable lacks accents."""
    if all(s.accented for s in run):
        return run
    known = vocabulary()
    if known is None:
        return run
    restored = known.restore(run)
    guess_accents = not any(s.accented for s in run)
    return [
        Syllable(form, fold(form), s.start, s.end, s.breaks) if guess_accents or fixed else s
        for s, form, fixed in zip(run, restored.exact, restored.corrected, strict=True)
    ]


def _sentences(text: str, terms: MatchTerms) -> list[Passage]:
    """The sentences of ``text`` holding a query syllable, with their spans (some may have
    none: a syllable in other accents, alone). Found from the query's matches in the whole
    text at once when its letters line up with ``bare_letters``'s, else sentence by sentence."""
    if not keeps_offsets(text):
        return _sentences_one_by_one(text, terms)
    found = iter(_syllables_at_matches(text, terms))
    syllable = next(found, None)
    passages = []
    for start, end in _sentence_bounds(text):
        in_sentence = []
        while syllable is not None and syllable.start < end:
            in_sentence.append(syllable)
            syllable = next(found, None)
        if in_sentence:
            spans = _spans(text, in_sentence, terms, start)
            passages.append(Passage(text[start:end], spans, start))
        if syllable is None:
            break
    return passages


def _syllables_at_matches(text: str, terms: MatchTerms) -> list[Syllable]:
    """``syllables_among(text, terms.folded)`` for a text that ``keeps_offsets``: only the
    space-delimited chunks where the query's pattern matches are split into syllables (a
    syllable never spans a space, and one the query holds always starts a pattern match or
    lies in the chunk of the match that covers it), so a hit's body costs its matches, not its
    length. ``breaks`` is counted from each chunk's start: passages do not read it."""
    found: list[Syllable] = []
    scanned = 0
    for match in terms.written_pattern.finditer(text):
        start = match.start()
        if start < scanned:
            continue  # in the chunk just split
        while start > scanned and not text[start - 1].isspace():
            start -= 1
        space = _SPACE.search(text, match.end())
        scanned = space.start() if space else len(text)
        chunk = text[start:scanned]
        if chunk.isalnum():  # one syllable, the commonest case: its forms are cached
            exact, folded = _forms_of_syllable(chunk)
            if folded in terms.folded:
                found.append(Syllable(exact, folded, start, scanned, False))
            continue
        for syllable in syllables_among(chunk, terms.folded):
            shift = syllable.start + start, syllable.end + start
            found.append(Syllable(syllable.exact, syllable.folded, *shift, syllable.breaks))
    return found


@functools.lru_cache(maxsize=1 << 14)
def _forms_of_syllable(chunk: str) -> tuple[str, str]:
    """The exact and folded forms of a chunk of letters and digits (one syllable: no NFD
    marks in a text read whole, no space, no punctuation)."""
    (syllable,) = syllables(chunk)
    return syllable.exact, syllable.folded


def _sentence_bounds(text: str) -> Iterator[tuple[int, int]]:
    """Where each sentence of ``text`` starts and ends, as ``_sentences_one_by_one`` cuts it."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        yield start, boundary.start()
        start = boundary.end()
    yield start, len(text)


def _sentences_one_by_one(text: str, terms: MatchTerms) -> list[Passage]:
    passages = []
    for start, end in _sentence_bounds(text):
        sentence = text[start:end]
        if sentence.strip() and may_match(sentence, terms):
            passages.append(Passage(sentence, highlight_spans(sentence, terms), start))
    return passages


def may_match(sentence: str, terms: MatchTerms) -> bool:
    """False when no query syllable can be in ``sentence``; most sentences of a hit fail this
    regular-expression test and are never split into syllables, which was a sixth of a
    query's time on a large archive."""
    return terms.pattern.search(bare_letters(sentence)) is not None


def _passage_score(passage: Passage) -> tuple[int, int, int]:
    """Distinct query syllables first, then the longest matched run, then exact accents."""
    matched = [passage.text[s.start : s.end] for s in passage.spans]
    distinct = {fold(word.lower()) for words in matched for word in words.split()}
    longest = max(len(words.split()) for words in matched)
    exact = sum(1 for s in passage.spans if s.kind == "exact")
    return (len(distinct), longest, exact)


def _trim(passage: Passage) -> Passage:
    """Cut a long sentence to the window with the most matches, marking the cuts."""
    if len(passage.text) <= MAX_PASSAGE_CHARS:
        return passage
    focus = _densest_start(passage.spans)
    begin = max(0, min(focus - MAX_PASSAGE_CHARS // 4, len(passage.text) - MAX_PASSAGE_CHARS))
    begin = _word_boundary(passage.text, begin, forward=True)
    end = _word_boundary(passage.text, begin + MAX_PASSAGE_CHARS, forward=False)
    prefix = _ELLIPSIS if begin > 0 else ""
    suffix = _ELLIPSIS if end < len(passage.text) else ""
    shift = begin - len(prefix)
    spans = tuple(
        Span(s.start - shift, s.end - shift, s.kind)
        for s in passage.spans
        if s.start >= begin and s.end <= end
    )
    return Passage(prefix + passage.text[begin:end] + suffix, spans, passage.start + begin)


def _densest_start(spans: tuple[Span, ...]) -> int:
    """Start of the span that opens the window holding the most matched spans."""
    reach = MAX_PASSAGE_CHARS * 2 // 3

    def covered(first: Span) -> int:
        return sum(1 for s in spans if first.start <= s.start and s.end <= first.start + reach)

    return max(spans, key=covered).start


def _word_boundary(text: str, at: int, forward: bool) -> int:
    """Move ``at`` to the nearest space so a cut never splits a syllable."""
    if at <= 0 or at >= len(text):
        return max(0, min(at, len(text)))
    step = 1 if forward else -1
    while 0 < at < len(text) and not text[at - 1].isspace():
        at += step
    return at
