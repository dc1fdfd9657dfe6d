"""The index's own vocabulary: restoring accents and repairing typos in queries.

Folding merges *dân, dẫn, dần, đan…* into ``dan``; the index knows which of them its articles
actually use, and which compound words (``dân_vận``) they form. That is enough to turn
``dan van kheo`` into *dân vận khéo* and ``giao thongg`` into *giao thông*: a typo is replaced by
a known syllable one edit away, preferring one that makes a known word with its neighbours.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dvsearch.search.readings import PairCheck, prefer_known_pairs
from dvsearch.vietnamese.syllables import Syllable, syllables
from dvsearch.vietnamese.text import fold, normalize

_SEPARATOR = "_"
_MAX_WORD = 3  # longest compound, in syllables, looked up when restoring accents
_ALPHABET = string.ascii_lowercase
_MIN_TYPO_LENGTH = 3  # shorter syllables are too ambiguous to repair


@dataclass(frozen=True)
class Restoration:
    """A query's syllables as the index most likely has them."""

    exact: tuple[str, ...]  # accented forms, one per query syllable
    corrected: tuple[bool, ...]  # True where the folded letters were a typo and were repaired


class Vocabulary:
    """Folded syllable or compound -> its accented forms in the index, most frequent first."""

    def __init__(self, syllables: dict[str, list[str]], compounds: dict[str, list[str]]) -> None:
        self._syllables = syllables
        self._compounds = compounds
        # Syllables are stored most frequent first; a typo repair prefers frequent ones.
        self._rank = {word: rank for rank, word in enumerate(syllables)}
        self.pairs: PairCheck | None = None  # set by the searcher: pairs its archive holds

    def knows(self, folded: str) -> bool:
        """True when some article contains this syllable (with any accents)."""
        return folded in self._syllables

    def restore(self, query: list[Syllable]) -> Restoration:
        """Repair typos, then give each syllable typed without accents its likeliest accents."""
        folded = [s.folded for s in query]
        corrected = [self._repair(folded, i) for i in range(len(folded))]
        fixed = [c or f for c, f in zip(corrected, folded, strict=True)]
        exact = self._accents(fixed, query)
        exact = prefer_known_pairs(
            query, fixed, exact, (self._syllables, self._compounds), self.pairs
        )
        return Restoration(tuple(exact), tuple(c is not None for c in corrected))

    def _repair(self, folded: list[str], i: int) -> str | None:
        word = folded[i]
        if self.knows(word) or len(word) < _MIN_TYPO_LENGTH or not word.isalpha():
            return None
        if self._pairs_with_neighbours(folded, i, word):
            return None  # part of a known word: a rare syllable, not a typo
        candidates = [c for c in _one_edit_away(word) if self.knows(c)]
        if not candidates:
            return None
        return max(candidates, key=lambda c: self._candidate_score(folded, i, c))

    def _candidate_score(self, folded: list[str], i: int, candidate: str) -> tuple[int, int, int]:
        """Forms a known word with a neighbour, keeps the typed length, is frequent."""
        same_length = -abs(len(candidate) - len(folded[i]))
        return (
            self._pairs_with_neighbours(folded, i, candidate),
            same_length,
            -self._rank[candidate],
        )

    def _pairs_with_neighbours(self, folded: list[str], i: int, candidate: str) -> int:
        left = folded[i - 1] + _SEPARATOR + candidate if i > 0 else None
        right = candidate + _SEPARATOR + folded[i + 1] if i + 1 < len(folded) else None
        return sum(1 for key in (left, right) if key is not None and key in self._compounds)

    def _accents(self, folded: list[str], query: list[Syllable]) -> list[str]:
        exact = [s.exact if s.accented else f for s, f in zip(query, folded, strict=True)]
        i = 0
        while i < len(folded):
            size = self._restore_word_at(folded, query, exact, i)
            i += size
        return exact

    def _restore_word_at(
        self, folded: list[str], query: list[Syllable], exact: list[str], i: int
    ) -> int:
        """Restore the longest known compound starting at ``i``; returns its length."""
        for size in range(min(_MAX_WORD, len(folded) - i), 1, -1):
            key = _SEPARATOR.join(folded[i : i + size])
            for form in self._compounds.get(key, []):
                parts = form.split(_SEPARATOR)
                if _agrees(parts, query[i : i + size]):
                    exact[i : i + size] = parts
                    return size
        if not query[i].accented and folded[i] in self._syllables:
            exact[i] = self._syllables[folded[i]][0]
        return 1


_OPERATORS = frozenset({"AND", "OR", "NOT"})


def suggest(vocabulary: Vocabulary, text: str) -> str | None:
    """The query with accents restored and typos repaired, or None when nothing would change.

    Operators and field names are left as typed; each restored syllable keeps the typed case.
    """
    query = [s for s in syllables(text) if not _is_syntax(text, s)]
    restored = vocabulary.restore(query)
    pieces, cursor = [], 0
    for syllable, form in zip(query, restored.exact, strict=True):
        pieces += [
            text[cursor : syllable.start],
            _with_case(form, text[syllable.start : syllable.end]),
        ]
        cursor = syllable.end
    suggestion = "".join(pieces) + text[cursor:]
    return None if normalize(suggestion) == normalize(text) else suggestion


def _is_syntax(text: str, syllable: Syllable) -> bool:
    typed = text[syllable.start : syllable.end]
    return typed in _OPERATORS or text.startswith(":", syllable.end)


def _with_case(form: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _agrees(parts: list[str], typed: list[Syllable]) -> bool:
    """A restored word must keep the accents the user did type."""
    return all(not s.accented or s.exact == p for p, s in zip(parts, typed, strict=True))


def _one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


def build_vocabulary(
    syllable_counts: Iterable[tuple[str, int]], compound_counts: Iterable[tuple[str, int]]
) -> dict[str, Any]:
    """The stored vocabulary from ``(accented term, document frequency)`` pairs."""
    return {
        "syllables": _ranked(_by_folded_form(syllable_counts)),
        "compounds": _ranked(_without_folded_copies(_by_folded_form(compound_counts))),
    }


def _by_folded_form(counts: Iterable[tuple[str, int]]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for term, frequency in counts:
        forms = totals.setdefault(fold(term), {})
        forms[term] = forms.get(term, 0) + frequency
    return totals


def _without_folded_copies(totals: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Every compound is also indexed folded; that copy is a real accentless word (*giao ban*)
    only in the documents its accented forms do not account for."""
    for key, forms in totals.items():
        folded_count = forms.pop(key, 0)
        unexplained = folded_count - sum(forms.values())
        if unexplained > 0:
            forms[key] = unexplained
    return {key: forms for key, forms in totals.items() if forms}


def _ranked(totals: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """Folded key -> accented forms, most frequent first; keys most frequent first too; ties
    alphabetically, so the vocabulary does not depend on how the index is split in segments."""
    keys = sorted(totals.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        key: list(forms) if len(forms) == 1 else sorted(forms, key=lambda f: (-forms[f], f))
        for key, forms in keys
    }


def vocabulary_json(vocabulary: dict[str, Any]) -> str:
    """The vocabulary as stored with an index."""
    return json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":"))


def parse_vocabulary(text: str) -> Vocabulary:
    """A vocabulary stored by ``vocabulary_json``."""
    data = json.loads(text)
    return Vocabulary(data["syllables"], data["compounds"])
