"""The vocabulary table stored with a generation, built from term counts or updated from the
live generation's table.

The table maps each folded syllable or compound to its accented forms, most frequent first,
keys most frequent first (``search/vocabulary.py`` reads it). Beside it the counts behind that
order are kept, one list per key in the table's order (its *tallies*): an update adds the
counts of the segments it wrote, takes away those of the segments merged away, and re-places
only the keys they touch. Counting every term of 10,000 articles again took about a second.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dvsearch.vietnamese.text import fold

KINDS = ("syllables", "compounds")
Counts = dict[str, dict[str, int]]  # one segment's kind -> accented term -> document frequency
Table = dict[str, dict[str, list[str]]]  # kind -> folded key -> accented forms
# kind -> the counts of every key of the table, in its order, in one flat list: per key, the
# count of each form (syllables), or the folded form's own count then each other form's
# (compounds: see ``_shown``). Flat, it loads in a fifth of the time a list per key takes.
Tallies = dict[str, list[int]]
_Totals = dict[str, dict[str, int]]  # folded key -> accented form -> document frequency
# Up to this many keys counted again are placed by bisection, more with numpy's totals of all
# (2 s by bisection for the 30,000 keys of a 5,000-article segment, 1.2 s with numpy).
_BISECTED_UP_TO = 1024


def build_vocabulary(
    syllable_counts: Iterable[tuple[str, int]], compound_counts: Iterable[tuple[str, int]]
) -> dict[str, Any]:
    """The stored vocabulary from ``(accented term, document frequency)`` pairs."""
    return counted_vocabulary(syllable_counts, compound_counts)[0]


def counted_vocabulary(
    syllable_counts: Iterable[tuple[str, int]], compound_counts: Iterable[tuple[str, int]]
) -> tuple[Table, Tallies]:
    """The vocabulary and its tallies from ``(accented term, document frequency)`` pairs."""
    table: Table = {}
    tallies: Tallies = {}
    for kind, pairs in zip(KINDS, (syllable_counts, compound_counts), strict=True):
        compound = kind == "compounds"
        totals = _by_folded_form(pairs)
        shown = {key: forms for key, raw in totals.items() if (forms := _shown(key, raw, compound))}
        table[kind] = _ranked(shown)
        tallies[kind] = [n for key in table[kind] for n in _tally(key, totals[key], compound)]
    return table, tallies


def update_vocabulary(
    previous: Table, tallies: Tallies, added: list[Counts], removed: list[Counts]
) -> tuple[Table, Tallies]:
    """What ``counted_vocabulary`` gives once the segments ``added`` are counted and the
    ``removed`` ones no longer, from the ``previous`` table and its ``tallies``; raises
    ``ValueError`` when the tallies do not fit the table."""
    table: Table = {}
    updated: Tallies = {}
    for kind in KINDS:
        update = _Update(previous[kind], tallies[kind], kind == "compounds")
        for sign, segments in ((1, added), (-1, removed)):
            for segment in segments:
                update.count(segment[kind], sign)
        table[kind], updated[kind] = update.merged()
    return table, updated


class _Update:
    """One kind's table with some keys counted again and put back in place by bisection; the
    unchanged keys are copied over in runs, as slices, never one by one."""

    def __init__(self, previous: dict[str, list[str]], tallies: list[int], compound: bool):
        self._keys = list(previous)
        self._forms = list(previous.values())
        self._flat = tallies
        self._compound = compound
        self._changes: dict[str, dict[str, int]] = {}
        self._changed: list[int] = []  # their places in the previous table, in order
        self._index: dict[str, int] = {}  # the changed keys' places, once counting is done
        if compound:
            sizes = [len(f) + (k not in f) for k, f in zip(self._keys, self._forms, strict=True)]
        else:
            sizes = [len(f) for f in self._forms]
        self._offsets = [0, *itertools.accumulate(sizes)]
        if self._offsets[-1] != len(tallies):
            raise ValueError(f"{len(tallies)} counts for a table that needs {self._offsets[-1]}")

    def count(self, terms: dict[str, int], sign: int) -> None:
        for term, frequency in terms.items():
            change = self._changes.setdefault(fold(term), {})
            change[term] = change.get(term, 0) + sign * frequency

    def merged(self) -> tuple[dict[str, list[str]], list[int]]:
        kept: list[int] = []
        for index, key in enumerate(self._keys):
            if key in self._changes:
                self._changed.append(index)
                self._index[key] = index
            else:
                kept.append(index)
        placed = []
        for key, change in self._changes.items():
            raw = self._raw(key)
            for form, delta in change.items():
                raw[form] = raw.get(form, 0) + delta
            raw = {form: n for form, n in raw.items() if n > 0}
            if shown := _shown(key, raw, self._compound):
                placed.append(((-sum(shown.values()), key), shown, raw))
        placed.sort(key=lambda item: item[0])
        table: dict[str, list[str]] = {}
        tallies: list[int] = []
        cursor = position = 0
        names = _Names(self._keys, kept)
        for (rank, shown, raw), (low, high) in zip(placed, self._blocks(kept, placed), strict=True):
            # among the kept keys of the same total, in the order of their names
            position = bisect.bisect_left(names, rank[1], lo=max(low, position), hi=high)
            at = kept[position] if position < len(kept) else len(self._keys)
            self._copy(cursor, at, table, tallies)
            table[rank[1]] = _ordered_forms(shown)
            tallies += _tally(rank[1], raw, self._compound)
            cursor = at
        self._copy(cursor, len(self._keys), table, tallies)
        return table, tallies

    def _copy(self, start: int, end: int, table: dict[str, list[str]], tallies: list[int]) -> None:
        """The previous keys from ``start`` to ``end`` but the changed ones, with their tallies."""
        changed = self._changed
        low = bisect.bisect_left(changed, start)
        for cut in [*changed[low : bisect.bisect_left(changed, end)], end]:
            table.update(zip(self._keys[start:cut], self._forms[start:cut], strict=True))
            tallies += self._flat[self._offsets[start] : self._offsets[cut]]
            start = cut + 1

    def _blocks(self, kept: list[int], placed: list[Any]) -> list[tuple[int, int]]:
        """For each placed key, the run of kept keys with its total (they are in descending
        order of total). A total is what a key's shown forms add up to, from its tally (a
        compound's folded form counts what the others leave). A few keys (a one-article
        update) bisect over the totals of the keys they look at: summing every key's tally,
        with numpy's 0.2 s import, was most of the vocabulary's share of such an update."""
        if len(placed) > _BISECTED_UP_TO:
            return self._blocks_at_once(kept, placed)
        ranks = _Ranks(kept, self._rank)
        blocks = []
        for rank, _, _ in placed:
            low = bisect.bisect_left(ranks, rank[0])
            blocks.append((low, bisect.bisect_right(ranks, rank[0], lo=low)))
        return blocks

    def _blocks_at_once(self, kept: list[int], placed: list[Any]) -> list[tuple[int, int]]:
        """``_blocks`` with every total summed at once by numpy."""
        import numpy as np

        if not kept:
            return [(0, 0)] * len(placed)
        flat = np.asarray(self._flat, np.int64)
        starts = np.asarray(self._offsets[:-1], np.int64)
        totals = np.add.reduceat(flat, starts)
        if self._compound:
            totals = np.maximum(flat[starts], totals - flat[starts])
        ranks = -totals[np.asarray(kept)]
        wanted = np.asarray([rank[0] for rank, _, _ in placed], np.int64)
        lows = np.searchsorted(ranks, wanted, "left")
        highs = np.searchsorted(ranks, wanted, "right")
        return list(zip(lows.tolist(), highs.tolist(), strict=True))

    def _rank(self, index: int) -> int:
        """Minus the total of the previous key at ``index``, as the table orders keys."""
        tally = self._tally(index)
        total = sum(tally)
        return -max(tally[0], total - tally[0]) if self._compound else -total

    def _tally(self, index: int) -> list[int]:
        return self._flat[self._offsets[index] : self._offsets[index + 1]]

    def _raw(self, key: str) -> dict[str, int]:
        """A key's forms with the counts it was ranked by (none for a new key)."""
        if key not in self._index:
            return {}
        index = self._index[key]
        forms, tally = self._forms[index], self._tally(index)
        if not self._compound:
            return dict(zip(forms, tally, strict=True))
        others = [form for form in forms if form != key]
        raw = dict(zip(others, tally[1:], strict=True))
        if tally[0]:
            raw[key] = tally[0]
        return raw


class _Ranks(Sequence[int]):
    """The ranks of the kept keys, computed where bisection looks, never all of them."""

    def __init__(self, kept: list[int], rank: Callable[[int], int]) -> None:
        self._kept = kept
        self._rank = rank

    def __len__(self) -> int:
        return len(self._kept)

    def __getitem__(self, index: Any) -> Any:
        return self._rank(self._kept[index])


class _Names(Sequence[str]):
    """The names of the kept keys, read where bisection looks, never copied out."""

    def __init__(self, keys: list[str], kept: list[int]) -> None:
        self._keys = keys
        self._kept = kept

    def __len__(self) -> int:
        return len(self._kept)

    def __getitem__(self, index: Any) -> Any:
        return self._keys[self._kept[index]]


def _tally(key: str, raw: dict[str, int], compound: bool) -> list[int]:
    """A key's counts in the order its forms are stored (``_raw`` reads them back)."""
    forms = _ordered_forms(_shown(key, raw, compound))
    if not compound:
        return [raw[form] for form in forms]
    return [raw.get(key, 0), *(raw[form] for form in forms if form != key)]


def _by_folded_form(counts: Iterable[tuple[str, int]]) -> _Totals:
    totals: _Totals = {}
    for term, frequency in counts:
        forms = totals.setdefault(fold(term), {})
        forms[term] = forms.get(term, 0) + frequency
    return totals


def _shown(key: str, raw: dict[str, int], compound: bool) -> dict[str, int]:
    """The forms of a key as the table ranks them. Every compound is also indexed folded; that
    copy is a real accentless word (*giao ban*) only in the documents its accented forms do not
    account for."""
    if not compound:
        return raw
    forms = {form: n for form, n in raw.items() if form != key}
    unexplained = raw.get(key, 0) - sum(forms.values())
    if unexplained > 0:
        forms[key] = unexplained
    return forms


def _ranked(totals: _Totals) -> dict[str, list[str]]:
    """Folded key -> accented forms, most frequent first; keys most frequent first too; ties
    alphabetically, so the vocabulary does not depend on how the index is split in segments."""
    keys = sorted(totals.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {key: _ordered_forms(forms) for key, forms in keys}


def _ordered_forms(forms: dict[str, int]) -> list[str]:
    return list(forms) if len(forms) == 1 else sorted(forms, key=lambda f: (-forms[f], f))
