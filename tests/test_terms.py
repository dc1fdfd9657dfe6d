"""dvsearch's term infos: read back as whoosh's own read back, from the bytes and through every
reader method that decodes them, on an index written both ways."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.fields import ID, TEXT, Schema
from whoosh.reading import TermNotFound

from dvsearch.engine.postings import Codec, CompactPositions
from dvsearch.engine.terms import TermInfo


def _statistics(info: Any) -> tuple[Any, ...]:
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
        info.extent(),
    )


def _filled(cls: Any, values: tuple[Any, ...]) -> Any:
    weight, df, minlength, maxlength, maxweight, minid, maxid, offset, length = values
    info = cls(weight, df, minlength, maxlength, maxweight, minid, maxid)
    info.set_extent(offset, length)
    return info


@pytest.mark.parametrize(
    "values",
    [
        (1.0, 1, 12, 12, 1.0, 3_000, 3_000, 0, 2),
        (5_000.0, 900, 1, 80_000, 310.0, 0, 9_999, 2**33, 70_000),
        (2.7, 3, None, 0, 1.35, 5, 2**32 - 2, 77, 12),  # fractional weights, no lengths
        (2.0**25 + 1, 2, 4, 4, 2.0**25, 1, 2, 5, 6),  # whole, but past float32's whole numbers
    ],
)
def test_a_term_info_reads_back_as_whooshs_does(values: tuple[Any, ...]) -> None:
    """Every statistic as whoosh's own entry gives it back (weights as float32, lengths as
    its length bytes), in fewer bytes."""
    ours = TermInfo.from_bytes(_filled(TermInfo, values).to_bytes())
    data = _filled(W3TermInfo, values).to_bytes()
    whooshs = W3TermInfo.from_bytes(data)
    whooshs._length = whooshs._length[0]  # whoosh's from_bytes leaves it a 1-tuple
    assert _statistics(ours) == _statistics(whooshs)
    assert len(_filled(TermInfo, values).to_bytes()) < len(data) - 12


def test_whooshs_own_entries_still_read() -> None:
    data = _filled(W3TermInfo, (4.0, 2, 3, 9, 3.0, 10, 20, 300, 40)).to_bytes()
    assert _statistics(TermInfo.from_bytes(data))[-1] == (300, 40)


def test_a_one_article_term_takes_a_dozen_bytes() -> None:
    """Flags, count, first id (2 bytes), span, offset (3), length, weights, lengths (2)."""
    info = _filled(TermInfo, (1.0, 1, 300, 300, 1.0, 3_210, 3_210, 1_500_000, 3))
    assert len(info.to_bytes()) == 13


def _build(folder: Path, codec: Any) -> Path:
    chance = random.Random(4)
    body = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)
    body.format = CompactPositions()
    scaled = TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False, field_boost=0.3)
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), Schema(id=ID(stored=True), body=body, scaled=scaled))
    writer = ix.writer(codec=codec)
    for number in range(400):
        words = [f"w{chance.randint(0, 300) ** 2 // 300}" for _ in range(chance.randint(1, 50))]
        text = " ".join(words)
        writer.add_document(id=str(number), body=text, scaled=text)
    writer.commit()
    return folder


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("terms")
    return _build(folder / "ours", Codec()), _build(folder / "whooshs", W3Codec())


def _dictionary(folder: Path) -> dict[str, Any]:
    """What each reader method that decodes term infos says, term by term."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        found: dict[str, Any] = {}
        for field in ("body", "scaled", "id"):
            terms = list(reader.lexicon(field))
            found[field] = [
                (
                    _statistics(reader.term_info(field, term))[:-1],  # offsets differ
                    reader.frequency(field, term),
                    reader.doc_frequency(field, term),
                )
                for term in terms
            ]
            found[f"{field} items"] = [
                (term, _statistics(info)[:-1]) for term, info in reader.iter_field(field)
            ]
            cursor = reader.cursor(field)
            found[f"{field} cursor"] = _statistics(cursor.term_info())[:-1]
            found[f"{field} most frequent"] = reader.most_frequent_terms(field, 5)
        found["absent"] = (reader.frequency("body", "none"), reader.doc_frequency("body", "none"))
        with pytest.raises(TermNotFound):
            reader.term_info("body", "none")
        return found


def test_the_dictionary_reads_as_whooshs_own(indexes: tuple[Path, Path]) -> None:
    ours, whooshs = indexes
    mine, theirs = _dictionary(ours), _dictionary(whooshs)
    assert mine == theirs
    assert len(mine["body"]) > 200
    assert _bytes(ours) < _bytes(whooshs)


def _bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())
