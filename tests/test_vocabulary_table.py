"""The vocabulary table an index stores: an update re-places only the keys its segments touch
and must give exactly the table a count of every segment gives."""

from __future__ import annotations

import json
import random

import pytest

from dvsearch.index import vocabulary_delta
from dvsearch.index.vocabulary_base import (
    VocabularyIndexError,
    index_bytes,
    read_index,
)
from dvsearch.index.vocabulary_delta import (
    Delta,
    delta_json,
    merged,
    parse_delta,
    reader_json,
    updated_delta,
)
from dvsearch.index.vocabulary_table import Counts, Raws, Table, counted_vocabulary
from dvsearch.search.vocabulary import Vocabulary, parse_vocabulary, vocabulary_json

_FORMS = ["dân", "dẫn", "dần", "dan", "vận", "văn", "vân", "giao", "giáo", "thông", "thong"]
_COMPOUNDS = ["dân_vận", "dan_van", "dẫn_văn", "giao_thông", "giao_thong", "giáo_văn", "giao_ban"]


def _segment(chooser: random.Random) -> Counts:
    return {
        "syllables": {f: chooser.randint(1, 4) for f in chooser.sample(_FORMS, 4)},
        "compounds": {c: chooser.randint(1, 6) for c in chooser.sample(_COMPOUNDS, 3)},
    }


def _counted(segments: list[Counts]) -> tuple[Table, Raws]:
    return counted_vocabulary(
        [pair for s in segments for pair in s["syllables"].items()],
        [pair for s in segments for pair in s["compounds"].items()],
    )


def _read(vocabulary: Vocabulary) -> tuple[Table, list[str]]:
    """What a query sees: the forms of each key, and the syllables in order of rank."""
    syllables = vocabulary._syllables
    table = {"syllables": syllables, "compounds": vocabulary._compounds}
    return table, sorted(syllables, key=vocabulary._rank.__getitem__)


@pytest.mark.parametrize("max_share", [8, 10**6], ids=["merged-when-large", "delta-always"])
def test_an_updated_vocabulary_is_the_one_counted_from_every_segment(
    max_share: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments written and merged away between runs, over many runs: the table a query reads
    (base and delta) and the one merged from them are what a full count gives, keys in the
    same order, forms in the same order, with the same counts."""
    monkeypatch.setattr(vocabulary_delta, "_MAX_SHARE", max_share)
    chooser = random.Random(17)
    for _ in range(60):
        segments = [_segment(chooser) for _ in range(chooser.randint(1, 4))]
        base_table, raws = _counted(segments)
        index, delta = read_index(index_bytes(raws)), Delta({})
        for _ in range(6):
            gone = chooser.sample(range(len(segments)), chooser.randint(0, len(segments) - 1))
            removed = [segments[i] for i in gone]
            written = [_segment(chooser) for _ in range(chooser.randint(0, 2))]
            segments = [s for i, s in enumerate(segments) if i not in gone] + written
            delta = parse_delta(delta_json(updated_delta(index, delta, written, removed)))
            expected = _counted(segments)
            table, counts = merged(index, delta)
            assert (json.dumps(table), counts) == (json.dumps(expected[0]), expected[1])
            assert [list(counts[kind]) for kind in counts] == [list(table[k]) for k in table]
            seen = parse_vocabulary(vocabulary_json(base_table), reader_json(delta))
            assert _read(seen) == (expected[0], list(expected[0]["syllables"]))
            if not vocabulary_delta.is_small(index, delta):
                base_table, raws = merged(index, delta)
                index, delta = read_index(index_bytes(raws)), Delta({})


def test_a_compound_loses_its_folded_copy_when_the_accentless_documents_go() -> None:
    """*giao ban* folded is a word only in documents its accented forms do not explain (every
    compound is indexed folded too); when the segment of those documents is merged away, the
    folded copy leaves the table."""
    accentless: Counts = {"syllables": {}, "compounds": {"giao_ban": 3, "giao_bạn": 1}}
    accented: Counts = {"syllables": {}, "compounds": {"giao_ban": 2, "giao_bạn": 2}}
    table, raws = _counted([accentless, accented])
    assert table["compounds"] == {"giao_ban": ["giao_bạn", "giao_ban"]}
    index = read_index(index_bytes(raws))
    delta = updated_delta(index, Delta({}), [], [accentless])
    assert merged(index, delta)[0]["compounds"] == {"giao_ban": ["giao_bạn"]}
    assert merged(index, delta) == _counted([accented])


def test_an_update_recounts_only_the_keys_its_segments_hold() -> None:
    """The delta holds the keys the written segment touches, and nothing of the others."""
    table, raws = _counted([{"syllables": {"dẫn": 1, "dân": 5, "vận": 2}, "compounds": {}}])
    index = read_index(index_bytes(raws))
    written: Counts = {"syllables": {"văn": 9}, "compounds": {}}
    delta = updated_delta(index, Delta({}), [written], [])
    assert delta.kinds == {"syllables": {"van": (0, {"vận": 2, "văn": 9})}, "compounds": {}}
    seen = parse_vocabulary(vocabulary_json(table), reader_json(delta))
    assert _read(seen)[1] == ["van", "dan"]


def test_keys_are_found_by_name_in_any_script_and_placed_by_total() -> None:
    names = ["đ", "a", "ă", "ý", "b", "nghiêng", "z", "ả"]
    raws: Raws = {"syllables": {n: {n: 10 - i} for i, n in enumerate(names)}, "compounds": {}}
    index = read_index(index_bytes(raws))["syllables"]
    assert [index.position_of(name) for name in names] == list(range(len(names)))
    assert (index.position_of("c"), index.position_of("")) == (None, None)
    assert [index.raw(i) for i in range(len(names))] == list(raws["syllables"].values())
    assert (index.place(10, "a"), index.place(9, "b"), index.place(0, "x")) == (0, 2, 8)


@pytest.mark.parametrize("cut", [0, 8, 100, -3])
def test_an_index_cut_short_or_foreign_is_refused(cut: int) -> None:
    raws: Raws = {"syllables": {"dan": {"dân": 2}}, "compounds": {"dan_van": {"dân_vận": 1}}}
    data = index_bytes(raws)
    with pytest.raises(VocabularyIndexError):
        read_index(data[:cut] if cut else b"PK\x03\x04" + data[4:])
