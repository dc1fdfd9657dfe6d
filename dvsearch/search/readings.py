"""Readings of a query the archive itself supports: names and known pairs left alone.

Restoring accents syllable by syllable picks each one's most frequent form: ``soc trang``
becomes *sóc trạng*, ``Nguyen Ba Canh`` *Nguyễn Bà Cảnh*, and the *Lan* of ``Hương Lan`` turns
into *Lần*. Names are rarely pyvi compounds, so the vocabulary's words do not save them; the
archive's own text does: it holds *Sóc Trăng*, *Bá Cảnh* and *Hương Lan* side by side. So a pair
of adjacent syllables the archive holds as typed is kept as typed, and a restored pair it does
not hold is replaced by the likeliest reading it does hold. A whole query typed without accents
that a byline writes (``huong lan``) is read as the byline's name before anything else: the
body's *quê hương lần đầu* holds *hương lần* too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from dvsearch.index.fields import DEFAULT_FIELDS, EXACT_TWINS
from dvsearch.search.ranking import NAME_LENGTH
from dvsearch.vietnamese.syllables import Syllable

# True when the archive has these two exact syllables side by side
PairCheck = Callable[[str, str], bool]
FORMS_TRIED = 8  # accented forms of a syllable considered, most frequent first
CHECKS_PER_PAIR = 10  # readings of one pair looked up before keeping the first choice
LOOKUPS_PER_QUERY = 16  # pair lookups one reading of a query may ask the archive
BYLINE_READINGS = 16  # readings of a name looked up in the bylines, likeliest first
_BYLINES = EXACT_TWINS["author"]
_SEPARATOR = "_"
_CACHED_PAIRS = 4096


def prefer_known_pairs(
    query: list[Syllable],
    folded: list[str],
    exact: list[str],
    vocabulary: tuple[Mapping[str, list[str]], Mapping[str, list[str]]],
    holds: PairCheck | None,
) -> list[str]:
    """``exact`` (a first reading of ``query``, typos repaired into ``folded``) with pairs the
    archive knows: as typed when it holds them so, else its likeliest held reading.

    Syllables typed with accents are never changed. ``vocabulary`` maps folded syllables, and
    folded compounds (``dan_van``), to their accented forms, most frequent first; a pair read as
    one of those compounds is known without asking the archive, which costs a lookup each.
    """
    if holds is None or len(query) < 2:
        return exact
    forms, compounds = vocabulary
    if isinstance(holds, ArchivePairs) and not any(s.accented for s in query):
        name = holds.byline(folded, forms)
        if name is not None:
            return name
    exact = list(exact)
    fixed = [s.accented for s in query]
    budget = _Budget(holds, LOOKUPS_PER_QUERY)
    for i in range(len(query) - 1):
        if _held_as_typed(query, folded, exact, i, budget):
            exact[i : i + 2] = [query[i].exact, query[i + 1].exact]
            fixed[i] = fixed[i + 1] = True
    held = [False] * (len(query) - 1)
    for i in range(len(query) - 1):
        if (fixed[i] and fixed[i + 1]) or _in_compound(folded, exact, i, compounds):
            held[i] = True
            continue
        held[i] = budget(exact[i], exact[i + 1])
        if not held[i]:
            options = (forms.get(folded[i], []), forms.get(folded[i + 1], []))
            # A known word outweighs a pair beside it: rereading *tĩnh kỷ* must not turn the
            # *Hà Tĩnh* just read in ``ha tinh ky luat`` into *hà tỉnh*, held somewhere too.
            in_word = i > 0 and _in_compound(folded, exact, i - 1, compounds)
            locked = [*fixed[:i], fixed[i] or in_word, *fixed[i + 1 :]]
            held[i] = _reread_pair(exact, locked, options, i, held, budget)
    return exact


class _Budget:
    """A pair check that answers False once it has asked its number of questions: a long
    accentless headline must not cost a lookup for every reading of every pair."""

    def __init__(self, holds: PairCheck, lookups: int) -> None:
        self._holds = holds
        self._left = lookups

    def __call__(self, left: str, right: str) -> bool:
        if self._left <= 0:
            return False
        self._left -= 1
        return self._holds(left, right)


def _in_compound(
    folded: list[str], exact: list[str], i: int, compounds: Mapping[str, list[str]]
) -> bool:
    """Syllables ``i`` and ``i + 1`` read as (part of) one of the vocabulary's compounds."""
    for first in (i - 1, i):
        for size in (2, 3):
            last = first + size
            if first < 0 or last > len(folded) or not first <= i < i + 1 < last:
                continue
            key = _SEPARATOR.join(folded[first:last])
            if _SEPARATOR.join(exact[first:last]) in compounds.get(key, ()):
                return True
    return False


def _held_as_typed(
    query: list[Syllable], folded: list[str], exact: list[str], i: int, holds: PairCheck
) -> bool:
    """The pair was typed, partly with accents, as the archive has it, and restoring would
    change it (``Hương Lan``, not *Hương Lần*). A pair typed entirely without accents is
    the restoration's business: an accented archive rarely holds it as typed."""
    left, right = query[i], query[i + 1]
    typed = (left.exact, right.exact)
    repaired = (left.folded, right.folded) != (folded[i], folded[i + 1])
    if repaired or typed == tuple(exact[i : i + 2]) or not (left.accented or right.accented):
        return False
    return holds(*typed)


def _reread_pair(
    exact: list[str],
    fixed: list[bool],
    options: tuple[list[str], list[str]],
    i: int,
    held: list[bool],
    holds: PairCheck,
) -> bool:
    """Replace pair ``i`` by the likeliest reading the archive holds, without breaking the
    held pair on its left; True when one was found."""
    lefts = [exact[i]] if fixed[i] else _ordered(exact[i], options[0])
    rights = [exact[i + 1]] if fixed[i + 1] else _ordered(exact[i + 1], options[1])
    readings = sorted(
        itertools.product(range(len(lefts)), range(len(rights))), key=lambda ab: (sum(ab), ab)
    )[1 : CHECKS_PER_PAIR + 1]
    for a, b in readings:
        left, right = lefts[a], rights[b]
        if a and i and held[i - 1] and not holds(exact[i - 1], left):
            continue
        if holds(left, right):
            exact[i : i + 2] = [left, right]
            return True
    return False


def _ordered(first: str, forms: list[str]) -> list[str]:
    """The current reading first, then the other forms by frequency."""
    return [first, *[f for f in forms[:FORMS_TRIED] if f != first]]


class ArchivePairs:
    """Asks an open whoosh searcher whether two exact syllables stand side by side in some
    article's title, body or author; answers are kept, as a query asks about the same pairs
    (and the same names in the bylines) for ranking, the suggestion and the highlights."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._known: dict[tuple[str, str], bool] = {}
        self._names: dict[tuple[str, ...], tuple[str, ...] | None] = {}

    def __call__(self, left: str, right: str) -> bool:
        key = (left, right)
        if key not in self._known:
            if len(self._known) >= _CACHED_PAIRS:
                self._known.clear()
            self._known[key] = self._look_up(left, right)
        return self._known[key]

    def _look_up(self, left: str, right: str) -> bool:
        from dvsearch.engine.adjacent import side_by_side

        fields = (EXACT_TWINS[f] for f in DEFAULT_FIELDS)
        return any(side_by_side(self._searcher, field, left, right) for field in fields)

    def byline(self, folded: list[str], forms: Mapping[str, list[str]]) -> list[str] | None:
        """The accents a byline gives these letters, read as one writer's name (``huong lan``
        -> *hương lan* when *Hương Lan* signs an article); None when no byline has them.
        ``forms`` is the searcher's one vocabulary, so the answer is kept by the letters."""
        if not NAME_LENGTH[0] <= len(folded) <= NAME_LENGTH[1]:
            return None
        key = tuple(folded)
        if key not in self._names:
            if len(self._names) >= _CACHED_PAIRS:
                self._names.clear()
            name = self._read_byline(folded, forms)
            self._names[key] = None if name is None else tuple(name)
        kept = self._names[key]
        return None if kept is None else list(kept)

    def _read_byline(self, folded: list[str], forms: Mapping[str, list[str]]) -> list[str] | None:
        options = [self._in_bylines([*forms.get(word, [])[:FORMS_TRIED], word]) for word in folded]
        readings = sorted(itertools.product(*(range(len(o)) for o in options)), key=sum)
        for choice in readings[:BYLINE_READINGS]:
            name = [o[c] for o, c in zip(options, choice, strict=True)]
            if all(self._signed(*pair) for pair in itertools.pairwise(name)):
                return name
        return None

    def _in_bylines(self, forms: list[str]) -> list[str]:
        """The forms some byline holds, in the order given, each once."""
        frequency = self._searcher.doc_frequency
        return [f for f in dict.fromkeys(forms) if frequency(_BYLINES, f)]

    def _signed(self, left: str, right: str) -> bool:
        from dvsearch.engine.adjacent import side_by_side

        return bool(side_by_side(self._searcher, _BYLINES, left, right))
