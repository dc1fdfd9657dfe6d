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

from dvsearch.index.fields import PREFIXES
from dvsearch.search.readings import PairCheck, prefer_known_pairs
from dvsearch.vietnamese.keystrokes import decode_telex, decode_vni
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

    def __init__(
        self,
        syllables: dict[str, list[str]],
        compounds: dict[str, list[str]],
        ranks: dict[str, float] | None = None,
    ) -> None:
        self._syllables = syllables
        self._compounds = compounds
        # Syllables are stored most frequent first; a typo repair prefers frequent ones. An
        # updated index's recounted syllables carry their ranks (``ranks``), fractions between
        # those of the others.
        self._rank: dict[str, float] = (
            ranks if ranks is not None else {word: rank for rank, word in enumerate(syllables)}
        )
        self.pairs: PairCheck | None = None  # set by the searcher: pairs its archive holds

    def knows(self, folded: str) -> bool:
        """True when some article contains this syllable (with any accents)."""
        return folded in self._syllables

    def knows_exactly(self, exact: str) -> bool:
        """True when some article contains this syllable with exactly these accents."""
        return exact in self._syllables.get(fold(exact), ())

    def restore(self, query: list[Syllable]) -> Restoration:
        """Read raw keystrokes, repair typos, then give each syllable typed without accents its
        likeliest accents."""
        fixed = self.repaired(query)
        letters = [s.folded for s in fixed]
        exact = self._accents(letters, fixed)
        exact = prefer_known_pairs(
            fixed, letters, exact, (self._syllables, self._compounds), self.pairs
        )
        corrected = (s is not q for s, q in zip(fixed, query, strict=True))
        return Restoration(tuple(exact), tuple(corrected))

    def repaired(self, query: list[Syllable]) -> list[Syllable]:
        """The query with raw keystrokes decoded and typos repaired, accents left as typed:
        a changed syllable is a new object, an unchanged one the typed one."""
        typed = self.decoded(query)
        folded = [s.folded for s in typed]
        repaired = [
            None if typed[i] is not query[i] else self._repair(typed, folded, i)
            for i in range(len(typed))
        ]
        return [r or s for r, s in zip(repaired, typed, strict=True)]

    def decoded(self, query: list[Syllable]) -> list[Syllable]:
        """The query with Telex or VNI keystrokes decoded, when the decoded syllables are far
        more plausible in the index than the typed words (most typed ones are unknown)."""
        for decode in (decode_telex, decode_vni):
            found = [None if s.accented else decode(s.exact) for s in query]
            known = [
                (s, d) for s, d in zip(query, found, strict=True) if d and self.knows_exactly(d)
            ]
            unknown = sum(1 for s, _ in known if not self.knows(s.folded))
            if unknown and 2 * unknown >= sum(1 for d in found if d):
                return [
                    _retyped(s, d) if d and self._decoding_wins(s, d) else s
                    for s, d in zip(query, found, strict=True)
                ]
        return query

    def _decoding_wins(self, typed: Syllable, decoded: str) -> bool:
        if not self.knows_exactly(decoded):
            return False
        return not self.knows(typed.folded) or self._rank[fold(decoded)] < self._rank[typed.folded]

    def _repair(self, query: list[Syllable], folded: list[str], i: int) -> Syllable | None:
        """A known syllable for one the index does not have as typed: one edit away in its
        letters (swapped, doubled, missing or wrong letter) or in its tone."""
        typed = query[i]
        word = folded[i]
        if not word.isalpha() or len(word) < _MIN_TYPO_LENGTH:
            return None
        if self.knows(word):
            return self._retoned(query, folded, i) if typed.accented else None
        if self._pairs_with_neighbours(folded, i, word):
            return None  # part of a known word: a rare syllable, not a typo
        candidates = [c for c in _one_edit_away(word) if self.knows(c)]
        if not candidates:
            return None
        if not typed.accented:
            best = max(candidates, key=lambda c: self._candidate_score(folded, i, c))
            return Syllable(best, best, typed.start, typed.end, typed.breaks)
        forms = [f for c in candidates for f in self._syllables[c]]
        return self._best_form(query, folded, i, forms)

    def _retoned(self, query: list[Syllable], folded: list[str], i: int) -> Syllable | None:
        """Typed with accents the index never has on these letters (*nghĩ* among *hội nghị*):
        the form of the same letters that fits the neighbours; a known form is left alone."""
        typed = query[i]
        if self.knows_exactly(typed.exact):
            return None
        return self._best_form(query, folded, i, self._syllables[folded[i]])

    def _best_form(
        self, query: list[Syllable], folded: list[str], i: int, forms: list[str]
    ) -> Syllable | None:
        """The form that fits best, for a typed word that cannot be Vietnamese (*côgn*), or
        one that makes a known word with its neighbours as typed; a real word the index lacks
        (*bóng* in an archive without football) is left alone."""
        from dvsearch.vietnamese.legacy import is_vietnamese_syllable  # only typed accents need it

        best = max(forms, key=lambda f: self._form_score(query, folded, i, f))
        if is_vietnamese_syllable(query[i].exact) and not self._exact_pairs(query, folded, i, best):
            return None
        return _retyped(query[i], best)

    def _form_score(
        self, query: list[Syllable], folded: list[str], i: int, form: str
    ) -> tuple[int, int, int, float]:
        """Forms a known word with a neighbour, with the accents typed there; is closest to the
        typed accents; is frequent."""
        bare = fold(form)
        return (
            self._pairs_with_neighbours(folded, i, bare),
            self._exact_pairs(query, folded, i, form),
            -_distance(query[i].exact, form),
            -self._rank[bare],
        )

    def _exact_pairs(self, query: list[Syllable], folded: list[str], i: int, form: str) -> int:
        """Neighbours with which ``form`` makes a compound the index has, with their accents."""
        count = 0
        for j in (i - 1, i + 1):
            if not 0 <= j < len(query):
                continue
            neighbour = query[j]
            pair = sorted(((i, fold(form), form), (j, folded[j], neighbour.exact)))
            key = _SEPARATOR.join(bare for _, bare, _ in pair)
            wanted = [exact if k == i or neighbour.accented else None for k, _, exact in pair]
            count += any(
                all(w is None or w == p for w, p in zip(wanted, c.split(_SEPARATOR), strict=True))
                for c in self._compounds.get(key, ())
            )
        return count

    def _candidate_score(self, folded: list[str], i: int, candidate: str) -> tuple[int, int, float]:
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
    suggestion = _rewritten(text, query, restored.exact)
    return None if normalize(suggestion) == normalize(text) else suggestion


def read_as_meant(
    vocabulary: Vocabulary, text: str, kept: Iterable[tuple[int, int]] = ()
) -> str | None:
    """``text`` with its words of raw Telex or VNI keystrokes written as the syllables they
    spell and its typos repaired (``Vocabulary.repaired``), accents left to the ranking to
    guess; None when nothing changes.

    The searcher ranks this text as if the user had typed it: the typed letters (*laf mootj*,
    *thàh*) match nothing, a repaired word then scores its pairs and compounds with its
    neighbours like any typed word, and a word typed without keys in a query of keystrokes
    (*gia*, *nhu*) was meant without accents, not restored. Operators, field names and the
    ``kept`` spans (the query's abbreviations) stay as typed.
    """
    spans = list(kept)
    query = [
        s
        for s in syllables(text)
        if not _is_syntax(text, s) and not any(a < s.end and s.start < b for a, b in spans)
    ]
    fixed = vocabulary.repaired(query)
    if all(f is s for f, s in zip(fixed, query, strict=True)):
        return None
    return _rewritten(text, query, [f.exact for f in fixed])


def _rewritten(text: str, query: list[Syllable], forms: Iterable[str]) -> str:
    """``text`` with each query syllable replaced by its form, in the case typed."""
    pieces, cursor = [], 0
    for syllable, form in zip(query, forms, strict=True):
        pieces += [
            text[cursor : syllable.start],
            _with_case(form, text[syllable.start : syllable.end]),
        ]
        cursor = syllable.end
    return "".join(pieces) + text[cursor:]


def _is_syntax(text: str, syllable: Syllable) -> bool:
    """An operator, or a field name as the query language reads one (``title:dan``), not
    the place before the colon of a pasted headline (``Ha Noi: ...``)."""
    typed = text[syllable.start : syllable.end]
    after = text[syllable.end : syllable.end + 2]
    field = typed.lower() in PREFIXES and after[:1] == ":" and after[1:2].strip() != ""
    return typed in _OPERATORS or field


def _with_case(form: str, typed: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _agrees(parts: list[str], typed: list[Syllable]) -> bool:
    """A restored word must keep the accents the user did type."""
    return all(not s.accented or s.exact == p for p, s in zip(parts, typed, strict=True))


def _retyped(typed: Syllable, form: str) -> Syllable:
    """The syllable as if the user had typed ``form`` where ``typed`` stands."""
    return Syllable(form, fold(form), typed.start, typed.end, typed.breaks)


def _distance(a: str, b: str) -> int:
    """Edits (a swap of neighbours counting one) between two short strings."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


def vocabulary_json(vocabulary: dict[str, Any]) -> str:
    """The vocabulary as stored with an index."""
    return json.dumps(vocabulary, ensure_ascii=False, separators=(",", ":"))


def parse_vocabulary(text: str, delta: str | None = None) -> Vocabulary:
    """A vocabulary stored by ``vocabulary_json``, with the keys an update recounted since
    (``delta``, ``index/vocabulary_delta.py``): their forms replace the table's, an empty list
    removes a key, and the syllables' ranks keep the table's order as a full recount has it."""
    data = json.loads(text)
    if delta is None:
        return Vocabulary(data["syllables"], data["compounds"])
    changes = json.loads(delta)
    ranks = {word: float(rank) for rank, word in enumerate(data["syllables"])}
    for kind in ("syllables", "compounds"):
        table = data[kind]
        for key, forms in changes[kind].items():
            if forms:
                table[key] = forms
            else:
                table.pop(key, None)
                ranks.pop(key, None)
    ranks.update(changes["ranks"])
    return Vocabulary(data["syllables"], data["compounds"], ranks)
