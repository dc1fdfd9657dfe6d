"""The keys an update recounted, kept beside a shared vocabulary table instead of a new table.

A generation's vocabulary is a *base* table (``vocabulary.json`` with ``vocabulary-index.bin``,
hard-linked from the generation that wrote them) and a *delta*: every key recounted since the
base, with its counts and its place among the base's keys (how many of them a full recount
would put before it). The delta is small (a one-article update touches a few hundred keys),
so an update reads and writes only it; queries read it beside the base
(``search/vocabulary.py``): each delta key's forms replace the base's (an empty list removes
the key), and its rank is a fraction between those of the base keys around it, so that
comparing ranks orders keys exactly as a full recount does. Once the delta holds more than
``_MAX_SHARE`` of the base's keys, the two are written again as one base.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from dvsearch.index.vocabulary_base import KindIndex
from dvsearch.index.vocabulary_table import (
    KINDS,
    Counts,
    Raw,
    Raws,
    Table,
    shown_forms,
    shown_total,
)
from dvsearch.vietnamese.text import fold

_MAX_SHARE = 8  # a delta of more than 1/8 of the base's keys is merged into a new base
Placed = dict[str, tuple[int, Raw]]  # folded key -> (its place among the base's keys, counts)


@dataclass(frozen=True)
class Delta:
    """The recounted keys of each kind."""

    kinds: dict[str, Placed]

    def size(self) -> int:
        return sum(len(placed) for placed in self.kinds.values())


def updated_delta(
    base: Mapping[str, KindIndex], delta: Delta, added: list[Counts], removed: list[Counts]
) -> Delta:
    """``delta`` with the counts of the segments ``added`` and without those ``removed``."""
    kinds: dict[str, Placed] = {}
    for kind in KINDS:
        placed = dict(delta.kinds.get(kind, {}))
        index = base[kind]
        compound = kind == "compounds"
        for key, change in _changes(kind, added, removed).items():
            at = index.position_of(key)
            previous = placed[key][1] if key in placed else index.raw(at) if at is not None else {}
            raw = {form: n for form, n in _plus(previous, change).items() if n > 0}
            total = shown_total(key, raw, compound)
            if total == 0 and at is None:
                placed.pop(key, None)  # never in the base, and gone again
            else:
                placed[key] = (index.place(total, key) if total else -1, raw)
        kinds[kind] = placed
    return Delta(kinds)


def _changes(kind: str, added: list[Counts], removed: list[Counts]) -> dict[str, Raw]:
    """Folded key -> accented form -> change of document frequency."""
    changes: dict[str, Raw] = {}
    for sign, segments in ((1, added), (-1, removed)):
        for segment in segments:
            for term, frequency in segment[kind].items():
                change = changes.setdefault(fold(term), {})
                change[term] = change.get(term, 0) + sign * frequency
    return changes


def _plus(raw: Raw, change: Raw) -> Raw:
    total = dict(raw)
    for form, delta in change.items():
        total[form] = total.get(form, 0) + delta
    return total


def is_small(base: Mapping[str, KindIndex], delta: Delta) -> bool:
    """True while the delta is worth keeping apart from its base."""
    return _MAX_SHARE * delta.size() <= max(sum(len(index) for index in base.values()), 1024)


def merged(base: Mapping[str, KindIndex], delta: Delta) -> tuple[Table, Raws]:
    """The table and counts of base and delta together, as a full recount makes them."""
    table: Table = {}
    raws: Raws = {}
    for kind in KINDS:
        compound = kind == "compounds"
        placed = delta.kinds.get(kind, {})
        inserted = _in_order(placed, compound)
        forms: dict[str, list[str]] = {}
        counts: dict[str, Raw] = {}
        cursor = 0
        for position, (key, raw) in enumerate(base[kind].items()):
            while cursor < len(inserted) and inserted[cursor][0] <= position:
                _, new_key, new_raw = inserted[cursor]
                forms[new_key], counts[new_key] = shown_forms(new_key, new_raw, compound), new_raw
                cursor += 1
            if key not in placed:
                forms[key], counts[key] = shown_forms(key, raw, compound), raw
        for _, new_key, new_raw in inserted[cursor:]:
            forms[new_key], counts[new_key] = shown_forms(new_key, new_raw, compound), new_raw
        table[kind], raws[kind] = forms, counts
    return table, raws


def _in_order(placed: Placed, compound: bool) -> list[tuple[int, str, Raw]]:
    """The delta's keys still in the table, by place and then as the table orders keys."""
    kept = [(at, key, raw) for key, (at, raw) in placed.items() if at >= 0]
    return sorted(
        kept, key=lambda item: (item[0], -shown_total(item[1], item[2], compound), item[1])
    )


def reader_json(delta: Delta) -> str:
    """What queries read of the delta: each key's forms, and the syllables' ranks."""
    shown: dict[str, dict[str, list[str]]] = {}
    for kind in KINDS:
        compound = kind == "compounds"
        shown[kind] = {
            key: shown_forms(key, raw, compound) if at >= 0 else []
            for key, (at, raw) in delta.kinds.get(kind, {}).items()
        }
    return json.dumps(
        {**shown, "ranks": _ranks(delta.kinds.get("syllables", {}))}, ensure_ascii=False
    )


def _ranks(placed: Placed) -> dict[str, float]:
    """A rank for each key in the table: the ``j``-th of ``m`` keys placed before base key
    ``p`` (rank ``p``) ranks ``p - 1 + (j + 1) / (m + 1)``, after base key ``p - 1``."""
    ordered = _in_order(placed, compound=False)
    ranks: dict[str, float] = {}
    start = 0
    while start < len(ordered):
        at = ordered[start][0]
        end = start
        while end < len(ordered) and ordered[end][0] == at:
            end += 1
        for j in range(start, end):
            ranks[ordered[j][1]] = at - 1 + (j - start + 1) / (end - start + 1)
        start = end
    return ranks


def delta_json(delta: Delta) -> str:
    """The delta as an update reads it back."""
    stored = {
        kind: {key: [at, list(raw.items())] for key, (at, raw) in placed.items()}
        for kind, placed in delta.kinds.items()
    }
    return json.dumps(stored, ensure_ascii=False)


def parse_delta(text: str) -> Delta:
    """A delta ``delta_json`` wrote."""
    data = json.loads(text)
    kinds = {
        kind: {
            key: (int(at), {form: int(n) for form, n in raw})
            for key, (at, raw) in data[kind].items()
        }
        for kind in KINDS
    }
    return Delta(kinds)
