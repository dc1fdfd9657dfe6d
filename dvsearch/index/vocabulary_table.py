"""The vocabulary table stored with a generation, counted from term counts.

The table maps each folded syllable or compound to its accented forms, most frequent first,
keys most frequent first (``search/vocabulary.py`` reads it). Beside it go the counts behind
that order (``vocabulary_base.py``), so that an update recounts only the keys its segments
touch (``vocabulary_delta.py``). Counting every term of 10,000 articles again took about a
second.
"""

from __future__ import annotations

from collections.abc import Iterable

from dvsearch.vietnamese.text import fold

KINDS = ("syllables", "compounds")
Counts = dict[str, dict[str, int]]  # one segment's kind -> accented term -> document frequency
Table = dict[str, dict[str, list[str]]]  # kind -> folded key -> accented forms
Raw = dict[str, int]  # one key's accented forms -> document frequency, as counted
Raws = dict[str, dict[str, Raw]]  # kind -> folded key -> its counts, keys in the table's order
_Totals = dict[str, dict[str, int]]  # folded key -> accented form -> document frequency


def build_vocabulary(
    syllable_counts: Iterable[tuple[str, int]], compound_counts: Iterable[tuple[str, int]]
) -> Table:
    """The stored vocabulary from ``(accented term, document frequency)`` pairs."""
    return counted_vocabulary(syllable_counts, compound_counts)[0]


def counted_vocabulary(
    syllable_counts: Iterable[tuple[str, int]], compound_counts: Iterable[tuple[str, int]]
) -> tuple[Table, Raws]:
    """The vocabulary and each key's counts from ``(accented term, document frequency)``
    pairs."""
    table: Table = {}
    raws: Raws = {}
    for kind, pairs in zip(KINDS, (syllable_counts, compound_counts), strict=True):
        compound = kind == "compounds"
        totals = _by_folded_form(pairs)
        shown = {key: forms for key, raw in totals.items() if (forms := _shown(key, raw, compound))}
        table[kind] = _ranked(shown)
        raws[kind] = {key: totals[key] for key in table[kind]}
    return table, raws


def shown_total(key: str, raw: Raw, compound: bool) -> int:
    """What orders a key in the table: the documents its shown forms count."""
    return sum(_shown(key, raw, compound).values())


def shown_forms(key: str, raw: Raw, compound: bool) -> list[str]:
    """A key's forms as the table lists them, most frequent first; empty for a key the table
    leaves out."""
    shown = _shown(key, raw, compound)
    return _ordered_forms(shown) if shown else []


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
