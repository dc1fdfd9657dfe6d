"""Block encoding and the term-at-a-time postings writer give the bytes of the plain ways:
the standard-library encoder those of numpy's, ``add_postings`` those of whoosh's own loop."""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.base import FieldWriter as WhooshFieldWriter
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint

from dvsearch.engine import blocks
from dvsearch.engine.field_writer import FieldWriter
from dvsearch.engine.postings import Codec, CompactPositions


def _positions(chance: random.Random, step: int) -> bytes:
    count = chance.randint(1, 6)
    places = sorted(chance.sample(range(step * 8), count))
    return CompactPositions().encode(places)


def _weights(chance: random.Random, kind: str, count: int) -> list[float]:
    if kind == "ones":
        return [1.0] * count
    if kind == "whole":
        return [float(chance.choice([1, 2, 300, 70_000])) for _ in range(count)]
    return [chance.choice([0.5, 1.25, 3.0]) for _ in range(count)]


@pytest.mark.parametrize("seed", range(40))
def test_plain_and_numpy_encoders_write_the_same_bytes(seed: int) -> None:
    chance = random.Random(seed)
    count = chance.choice([1, 2, 5, 128])
    ids = array("I", sorted(chance.sample(range(chance.choice([300, 5_000_000])), count)))
    weights = array("f", _weights(chance, chance.choice(["ones", "whole", "fractions"]), count))
    step = (40, 3_000, 70_000)[seed % 3]  # position gaps of 8 bits, 16 bits, 32 bits
    cases = [
        ([_positions(chance, step) for _ in ids], CompactPositions(), True),
        ([pack_uint(int(weight)) for weight in weights], Frequency(), False),
        ([pack_uint(chance.randint(1, 9)) for _ in ids], Frequency(), False),
        ([], Existence(), False),
    ]
    for values, format_, positions in cases:
        plain = blocks._plain_parts(ids, weights, values, format_, positions)
        with_numpy = blocks._numpy_parts(ids, weights, values, format_, positions)
        assert plain == with_numpy


def _schema() -> Schema:
    body = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)
    body.format = CompactPositions()
    counted = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    return Schema(id=ID(stored=True), body=body, counted=counted)


def _build(folder: Path) -> dict[str, bytes]:
    """300 articles (terms over several blocks of 128, one with wide position gaps); each
    segment file's bytes by extension."""
    chance = random.Random(5)
    words = ["common", "often", "rare", "dân", "vận"]
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), _schema())
    writer = ix.writer(codec=Codec(), compound=False)
    for number in range(300):
        text = " ".join(chance.choice(words) for _ in range(chance.randint(1, 40)))
        if number == 150:
            text += " x" * 70_000 + " far"
        writer.add_document(id=str(number), body=text, counted=text)
    writer.commit()
    segment = next(folder.glob("*.pst")).stem
    return {
        path.name.replace(segment, ""): path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith(segment)
    }


def test_postings_written_a_term_at_a_time_are_whooshs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _build(tmp_path / "ours")
    monkeypatch.setattr(FieldWriter, "add_postings", WhooshFieldWriter.add_postings)
    whooshs = _build(tmp_path / "whooshs")
    assert sorted(ours) == sorted(whooshs)
    assert ours == whooshs
