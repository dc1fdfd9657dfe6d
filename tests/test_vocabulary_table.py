"""The vocabulary table an index stores: an update re-places only the keys its segments touch
and must give exactly the table a count of every segment gives."""

from __future__ import annotations

import json
import random

import pytest

from dvsearch.index import vocabulary_table
from dvsearch.index.vocabulary_table import (
    Counts,
    Table,
    Tallies,
    counted_vocabulary,
    update_vocabulary,
)

_FORMS = ["dân", "dẫn", "dần", "dan", "vận", "văn", "vân", "giao", "giáo", "thông", "thong"]
_COMPOUNDS = ["dân_vận", "dan_van", "dẫn_văn", "giao_thông", "giao_thong", "giáo_văn", "giao_ban"]


def _segment(chooser: random.Random) -> Counts:
    return {
        "syllables": {f: chooser.randint(1, 4) for f in chooser.sample(_FORMS, 4)},
        "compounds": {c: chooser.randint(1, 6) for c in chooser.sample(_COMPOUNDS, 3)},
    }


def _counted(segments: list[Counts]) -> tuple[Table, Tallies]:
    return counted_vocabulary(
        [pair for s in segments for pair in s["syllables"].items()],
        [pair for s in segments for pair in s["compounds"].items()],
    )


@pytest.mark.parametrize("bisected_up_to", [1024, -1], ids=["bisection", "numpy"])
def test_an_updated_table_is_the_one_counted_from_every_segment(
    bisected_up_to: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments written and merged away between runs, over many runs: every key lands where a
    full count puts it, in the same order, with the same tallies; whether the keys counted
    again are placed by bisection (a few) or with numpy's totals of all (many)."""
    monkeypatch.setattr(vocabulary_table, "_BISECTED_UP_TO", bisected_up_to)
    chooser = random.Random(17)
    for _ in range(100):
        segments = [_segment(chooser) for _ in range(chooser.randint(1, 4))]
        table, tallies = _counted(segments)
        for _ in range(5):
            gone = chooser.sample(range(len(segments)), chooser.randint(0, len(segments) - 1))
            removed = [segments[i] for i in gone]
            written = [_segment(chooser) for _ in range(chooser.randint(0, 2))]
            segments = [s for i, s in enumerate(segments) if i not in gone] + written
            table, tallies = update_vocabulary(table, tallies, written, removed)
            assert json.dumps([table, tallies]) == json.dumps(list(_counted(segments)))


def test_a_compound_loses_its_folded_copy_when_the_accentless_documents_go() -> None:
    """*giao ban* folded is a word only in documents its accented forms do not explain (every
    compound is indexed folded too); when the segment of those documents is merged away, the
    folded copy leaves the table."""
    accentless: Counts = {"syllables": {}, "compounds": {"giao_ban": 3, "giao_bạn": 1}}
    accented: Counts = {"syllables": {}, "compounds": {"giao_ban": 2, "giao_bạn": 2}}
    table, tallies = _counted([accentless, accented])
    assert table["compounds"] == {"giao_ban": ["giao_bạn", "giao_ban"]}
    updated, counts = update_vocabulary(table, tallies, [], [accentless])
    assert (updated["compounds"], counts["compounds"]) == ({"giao_ban": ["giao_bạn"]}, [2, 2])
    assert (updated, counts) == _counted([accented])


def test_an_update_does_not_recount_keys_it_did_not_touch() -> None:
    """A key no changed segment holds keeps its stored forms and tally, even a stale order a
    recount would change: proof that the update reads only the changed keys."""
    table: Table = {"syllables": {"dan": ["dẫn", "dân"], "van": ["vận"]}, "compounds": {}}
    tallies: Tallies = {"syllables": [1, 5, 2], "compounds": []}
    written: Counts = {"syllables": {"văn": 9}, "compounds": {}}
    updated, counts = update_vocabulary(table, tallies, [written], [])
    assert updated["syllables"] == {"van": ["văn", "vận"], "dan": ["dẫn", "dân"]}
    assert counts["syllables"] == [9, 2, 1, 5]


def test_counts_that_do_not_fit_the_table_are_refused() -> None:
    table, tallies = _counted([{"syllables": {"dân": 2, "dẫn": 1}, "compounds": {}}])
    with pytest.raises(ValueError, match="3 counts for a table that needs 2"):
        update_vocabulary(table, {**tallies, "syllables": [2, 1, 4]}, [], [])
