"""The vocabulary table of a generation, from term counts kept per whoosh segment.

Terms are counted per segment and the counts kept beside it (``terms-<id>.json``): segments
never change, so an update counts only the segments it wrote and hard-links the others' counts
from the live generation, without reading them. The vocabulary is then the live generation's
base table, hard-linked too, and a delta of the keys recounted since it
(``vocabulary_delta.py``): only the folded keys the written and merged-away segments hold are
recounted, and only the delta is written. At 37,773 articles, reading and writing the whole
table and its counts took 0.4-0.6 s of a one-article update.
"""

from __future__ import annotations

import json
import os
from contextlib import closing
from pathlib import Path
from typing import Any

from dvsearch.engine import files as engine_files
from dvsearch.index import store
from dvsearch.index.fields import COMPOUND_FIELD, EXACT_FIELDS
from dvsearch.index.snapshot import VOCABULARY_DELTA_NAME, VOCABULARY_NAME
from dvsearch.index.vocabulary_base import INDEX_NAME, KindIndex, index_bytes, read_index
from dvsearch.index.vocabulary_delta import (
    Delta,
    delta_json,
    is_small,
    merged,
    parse_delta,
    reader_json,
    updated_delta,
)
from dvsearch.index.vocabulary_table import KINDS, Counts, Raws, Table, counted_vocabulary

DELTA_COUNTS_NAME = "vocabulary-delta-counts.json"  # the delta with the counts behind it


def write_vocabulary(generation: Path, base: Path | None) -> None:
    """Store the accented syllables and compounds the articles use, for query repair, and
    the counts behind their order."""
    shared: list[str] = []
    written: list[Counts] = []
    # closing(): a write that fails (a full disk) closes the segment readers there and then
    with closing(engine_files.segments(store.open_generation(generation))) as segments:
        for segment_id, leaf in segments:
            name = _terms_name(segment_id)
            if base is not None and (base / name).is_file():
                store.link_or_copy(base / name, generation / name)
                shared.append(name)
            else:
                written.append(_count_segment(leaf, generation / name))
    previous = _previous_vocabulary(base)
    if previous is not None and base is not None:
        gone = _terms_files(base) - set(shared)
        removed = [_read_counts(base / name) for name in sorted(gone)]
        index, delta = previous
        delta = updated_delta(index, delta, written, removed)
        if is_small(index, delta):
            _write_delta(generation, base, delta)
            return
        table, raws = merged(index, delta)
    else:  # a new index, or one whose vocabulary was stored without (fitting) counts
        counts = [_read_counts(generation / name) for name in shared] + written
        table, raws = counted_vocabulary(*(_pairs(counts, kind) for kind in KINDS))
    _write_base(generation, table, raws)


def _write_base(generation: Path, table: Table, raws: Raws) -> None:
    """A generation's own base table and its index, without a delta."""
    from dvsearch.search.vocabulary import vocabulary_json

    (generation / VOCABULARY_NAME).write_text(vocabulary_json(table), encoding="utf-8")
    (generation / INDEX_NAME).write_bytes(index_bytes(raws))


def _write_delta(generation: Path, base: Path, delta: Delta) -> None:
    """The live generation's base shared, and the generation's delta beside it."""
    for name in (VOCABULARY_NAME, INDEX_NAME):
        store.link_or_copy(base / name, generation / name)
    (generation / VOCABULARY_DELTA_NAME).write_text(reader_json(delta), encoding="utf-8")
    (generation / DELTA_COUNTS_NAME).write_text(delta_json(delta), encoding="utf-8")


def _pairs(counts: list[Counts], kind: str) -> list[tuple[str, int]]:
    return [pair for segment in counts for pair in segment[kind].items()]


def _count_segment(leaf: Any, path: Path) -> Counts:
    """A new segment's term counts, stored at ``path``."""
    counts = {
        "syllables": _summed(engine_files.term_counts(leaf, EXACT_FIELDS)),
        # The words field's one-syllable words (``ban``) restore nothing: the exact fields
        # already count the syllables, so only its compounds are kept.
        "compounds": _summed(
            c for c in engine_files.term_counts(leaf, (COMPOUND_FIELD,)) if "_" in c[0]
        ),
    }
    stored = {kind: list(counts[kind].items()) for kind in KINDS}
    path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    return counts


def _summed(pairs: Any) -> dict[str, int]:
    """A term's frequencies in each field, added up (the exact fields share terms)."""
    totals: dict[str, int] = {}
    for term, frequency in pairs:
        totals[term] = totals.get(term, 0) + frequency
    return totals


def _read_counts(path: Path) -> Counts:
    """Counts as stored, ``{kind: [[term, n], ...]}``: each term once, or, as written before
    they were summed, once per field (then added up here)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {}
    for kind in KINDS:
        terms = dict(data[kind])
        counts[kind] = terms if len(terms) == len(data[kind]) else _summed(data[kind])
    return counts


def _previous_vocabulary(base: Path | None) -> tuple[dict[str, KindIndex], Delta] | None:
    """The live generation's base index and delta, to update; None when it has no index (an
    index written before it was kept: its vocabulary is counted again) or a segment of it has
    no counts (what it merged away could not be taken out)."""
    if base is None or not (base / INDEX_NAME).is_file() or not (base / VOCABULARY_NAME).is_file():
        return None
    if not {_terms_name(segment_id) for segment_id in _segment_ids(base)} <= _terms_files(base):
        return None
    index = read_index((base / INDEX_NAME).read_bytes())
    counts = base / DELTA_COUNTS_NAME
    delta = parse_delta(counts.read_text(encoding="utf-8")) if counts.is_file() else Delta({})
    return index, delta


def _terms_name(segment_id: str) -> str:
    return f"terms-{segment_id}.json"


def _terms_files(generation: Path) -> set[str]:
    return {
        name
        for name in os.listdir(generation)
        if name.startswith("terms-") and name.endswith(".json")
    }


def _segment_ids(generation: Path) -> list[str]:
    with closing(engine_files.segments(store.open_generation(generation))) as segments:
        return [segment_id for segment_id, _ in segments]
