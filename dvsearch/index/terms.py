"""The vocabulary table of a generation, from term counts kept per whoosh segment.

Terms are counted per segment and the counts kept beside it (``terms-<id>.json``): segments
never change, so an update counts only the segments it wrote and hard-links the others' counts
from the live generation, without reading them. The vocabulary is then updated from the live
one and its tallies (``vocabulary_table.py``): only the folded keys the written and merged-away
segments hold are counted again. At 10,000 articles, building it from every term took about a
second of a one-article update.
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
from dvsearch.index.snapshot import VOCABULARY_NAME
from dvsearch.index.vocabulary_table import (
    KINDS,
    Counts,
    Table,
    Tallies,
    counted_vocabulary,
    update_vocabulary,
)

TALLIES_NAME = "vocabulary-counts.json"  # the counts behind the vocabulary's order


def write_vocabulary(generation: Path, base: Path | None) -> None:
    """Store the accented syllables and compounds the articles use, for query repair, and
    the counts behind their order."""
    from dvsearch.search.vocabulary import vocabulary_json

    previous = _previous_table(base)
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
    result = None
    if previous is not None and base is not None:
        gone = _terms_files(base) - set(shared)
        removed = [_read_counts(base / name) for name in sorted(gone)]
        try:
            result = update_vocabulary(*previous, written, removed)
        except (ValueError, KeyError):  # counts that do not fit the table
            result = None
    if result is None:  # a new index, or a vocabulary stored without (fitting) counts
        counts = [_read_counts(generation / name) for name in shared] + written
        result = counted_vocabulary(*(_pairs(counts, kind) for kind in KINDS))
    table, tallies = result
    (generation / VOCABULARY_NAME).write_text(vocabulary_json(table), encoding="utf-8")
    (generation / TALLIES_NAME).write_text(json.dumps(tallies), encoding="utf-8")


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


def _previous_table(base: Path | None) -> tuple[Table, Tallies] | None:
    """The live generation's vocabulary and tallies, to update; None when it has none (an
    index written before tallies were kept), they disagree, or a segment of it has no counts
    (what it merged away could not be taken out)."""
    if (
        base is None
        or not (base / TALLIES_NAME).is_file()
        or not (base / VOCABULARY_NAME).is_file()
    ):
        return None
    if not {_terms_name(segment_id) for segment_id in _segment_ids(base)} <= _terms_files(base):
        return None
    table: Table = json.loads((base / VOCABULARY_NAME).read_text(encoding="utf-8"))
    tallies: Tallies = json.loads((base / TALLIES_NAME).read_text(encoding="utf-8"))
    return table, tallies


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
