"""The vocabulary table of a generation, from term counts kept per whoosh segment.

Terms are counted per segment and the counts kept beside it (``terms-<id>.json``): segments
never change, so an update counts only the segments it wrote and hard-links the others' counts
from the live generation. The vocabulary is then updated from the live one: only the folded keys
the written and merged-away segments touch are counted again (``update_vocabulary``). At 10,000
articles building it from every term took about a second of a one-article update.
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

VOCABULARY_NAME = "vocabulary.json"
_KINDS = ("syllables", "compounds")
Counts = dict[str, dict[str, int]]  # kind -> accented term -> document frequency


def write_vocabulary(generation: Path, base: Path | None) -> None:
    """Store the accented syllables and compounds the articles use, for query repair."""
    from dvsearch.search.vocabulary import build_vocabulary, update_vocabulary, vocabulary_json

    counts: list[Counts] = []
    changed: list[Counts] = []
    current: set[str] = set()
    # closing(): a write that fails (a full disk) closes the segment readers there and then
    with closing(engine_files.segments(store.open_generation(generation))) as segments:
        for segment_id, leaf in segments:
            segment, shared = _segment_counts(segment_id, leaf, generation, base)
            counts.append(segment)
            current.add(_terms_name(segment_id))
            if not shared:
                changed.append(segment)
    previous = _previous_vocabulary(base)
    if previous is not None and base is not None:
        changed += [_read_counts(base / name) for name in _terms_files(base) - current]
        vocabulary = update_vocabulary(previous, counts, changed)
    else:
        vocabulary = build_vocabulary(*(_pairs(counts, kind) for kind in _KINDS))
    (generation / VOCABULARY_NAME).write_text(vocabulary_json(vocabulary), encoding="utf-8")


def _pairs(counts: list[Counts], kind: str) -> list[tuple[str, int]]:
    return [pair for segment in counts for pair in segment[kind].items()]


def _segment_counts(
    segment_id: str, leaf: Any, generation: Path, base: Path | None
) -> tuple[Counts, bool]:
    """A segment's counts, and whether the live generation ``base`` had them already (then
    they are shared by hard link, not written again)."""
    name = _terms_name(segment_id)
    if base is not None and (base / name).is_file():
        text = (base / name).read_text(encoding="utf-8")
        counts, summed = _parsed(text)
        if summed:
            store.link_or_copy(base / name, generation / name)
        else:  # an index written before the counts were summed: stored again, summed
            _write_counts(generation / name, counts)
        return counts, True
    counts = {
        "syllables": _summed(engine_files.term_counts(leaf, EXACT_FIELDS)),
        # The words field's one-syllable words (``ban``) restore nothing: the exact fields
        # already count the syllables, so only its compounds are kept.
        "compounds": _summed(
            c for c in engine_files.term_counts(leaf, (COMPOUND_FIELD,)) if "_" in c[0]
        ),
    }
    _write_counts(generation / name, counts)
    return counts, False


def _summed(pairs: Any) -> dict[str, int]:
    """A term's frequencies in each field, added up (the exact fields share terms)."""
    totals: dict[str, int] = {}
    for term, frequency in pairs:
        totals[term] = totals.get(term, 0) + frequency
    return totals


def _parsed(text: str) -> tuple[Counts, bool]:
    """Counts as stored: ``{kind: {term: n}}``, or the older ``{kind: [[term, n], ...]}``."""
    data = json.loads(text)
    if all(isinstance(data[kind], dict) for kind in _KINDS):
        return data, True
    return {kind: _summed(data[kind]) for kind in _KINDS}, False


def _read_counts(path: Path) -> Counts:
    return _parsed(path.read_text(encoding="utf-8"))[0]


def _write_counts(path: Path, counts: Counts) -> None:
    path.write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")


def _previous_vocabulary(base: Path | None) -> dict[str, Any] | None:
    """The live generation's vocabulary, to update; None when there is none to start from, or
    when some segment of it has no counts (what it merged away would go unseen)."""
    if base is None or not (base / VOCABULARY_NAME).is_file():
        return None
    if not {_terms_name(segment_id) for segment_id in _segment_ids(base)} <= _terms_files(base):
        return None
    previous: dict[str, Any] = json.loads((base / VOCABULARY_NAME).read_text(encoding="utf-8"))
    return previous


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
