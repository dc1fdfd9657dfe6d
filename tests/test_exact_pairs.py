"""Accented pairs through the accents column give what the exact fields' own positions gave.

Each test builds one corpus twice: as the index is written now (exact fields without
positions, ``engine/exact_pairs.py``) and with the former schema, whose exact fields kept
positions and whose pairs were whoosh phrases (kept here as the reference), and compares the
two, or compares the new index with pairs counted by brute force from the texts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dvsearch.engine.adjacent import side_by_side
from dvsearch.engine.exact_pairs import AccentedText, ExactPair, exact_forms
from dvsearch.engine.reader import IndexReader
from dvsearch.engine.scoring import ArrayScorer
from dvsearch.index import build
from dvsearch.index.build import open_index, open_snapshot, update_index
from dvsearch.index.fields import REGISTRY
from dvsearch.search.readings import ArchivePairs
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.syllables import syllables
from dvsearch.vietnamese.text import fold

# hòa/hoà (tone placement), NFD text, đ, one-letter syllables, uỷ/ủy, accentless copies and
# other accents of the same letters, a form no code describes (naïve), in two segments with
# an article replaced (so a deletion) in between.
FIRST = {
    "a.txt": "Hòa Bình mùa lúa\n\nTỉnh ủy Hòa Bình họp. Ý kiến ở đây: hóa bình, hoa binh.\n",
    "b.txt": "Hoà bình\n\nNhân dân mong hoà bình. Tỉnh uỷ đã đến ở đây, ý kiến hay.\n",
    "c.txt": "Hoa binh\n\nHoa binh tinh uy da den o day y kien. Đa đen, đà đến, đã đến.\n",
    "d.txt": "Ông ở\n\nÔng ở đây. Ơ đây! Ở Đây ý kiến; ý, kiến. Naïve café ở Đà Lạt.\n",
}
SECOND = {
    "e.txt": "Nfd\n\n"
    + "Ho\u0300a Bi\u0300nh, Ti\u0309nh u\u0309y ho\u0323p; y\u0301 kiê\u0301n ơ\u0309 đây.\n",
    "f.txt": "Đà Lạt\n\nNaïve café ở Đà Lạt, đà lạt, Da Lat. Tỉnh ủy đã đến đây.\n",
    "a.txt": "Hòa Bình mới\n\nTỉnh ủy Hòa Bình họp lại. Hóa bình, hòa binh ở đây ý kiến.\n",
}
PAIRS = [
    "hòa bình",
    "hoà bình",
    "Hòa Bình",
    "hóa bình",
    "tỉnh ủy",
    "Tỉnh uỷ",
    "đã đến",
    "đà đến",
    "ở đây",
    "ơ đây",
    "ý kiến",
    "naïve café",
    "café ở",
    "đà lạt",
    "Ho\u0300a Bi\u0300nh",
]
QUERIES = [*PAIRS, "Tỉnh ủy Hòa Bình", "ở đây ý kiến", '"ý kiến"', "title:hòa bình", "hoa binh"]


def _old_registry() -> tuple[Any, ...]:
    """The registry as it was: exact twins with positions of their own."""
    return tuple(
        spec._replace(positional=True) if spec.kind == "exact" else spec for spec in REGISTRY
    )


def _build(folder: Path, index: Path, old: bool, monkeypatch: pytest.MonkeyPatch) -> Path:
    with monkeypatch.context() as patch:
        if old:
            patch.setattr(build, "REGISTRY", _old_registry())
        for articles in (FIRST, SECOND):
            for name, text in articles.items():
                (folder / name).write_text(text, encoding="utf-8")
            update_index(folder, index)
    return index


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus indexed the new way and the old way."""
    built = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ("new", "old"):
            root = tmp_path_factory.mktemp(name)
            (root / "articles").mkdir()
            built[name] = _build(root / "articles", root / "index", name == "old", monkeypatch)
    return built


def test_the_two_indexes_differ_in_the_exact_fields_alone(indexes: dict[str, Path]) -> None:
    kinds = {}
    for name, index in indexes.items():
        with open_index(index).searcher() as searcher:
            schema = searcher.schema
            kinds[name] = {f: type(schema[f]).__name__ for f in schema.names() if "_exact" in f}
            segments = len(list(searcher.reader().leaf_readers()))
    assert (kinds["new"], set(kinds["old"].values()), segments) == (
        dict.fromkeys(("author_exact", "body_exact", "title_exact"), "AccentedText"),
        {"TEXT"},
        2,
    )


@pytest.mark.parametrize("engine", ["whoosh", "arrays"])
def test_every_query_ranks_the_same_paths_with_the_same_scores(
    indexes: dict[str, Path], engine: str
) -> None:
    found = {}
    for name, index in indexes.items():
        with Searcher(index, engine=engine) as searcher:
            found[name] = [_ranked(searcher, query) for query in QUERIES]
    assert found["new"] == found["old"]
    assert sum(len(hits) for hits, _ in found["new"]) > 2 * len(QUERIES)


def _ranked(searcher: Searcher, query: str) -> tuple[list[tuple[str, float | None]], str | None]:
    result = searcher.search(query, passages=0)
    return [(hit.path, hit.score) for hit in result.hits], result.suggestion


def _texts(index: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open_index(index).searcher() as searcher:
        reader = searcher.reader()
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                continue
            yield docnum, searcher.stored_fields(docnum)


def _by_brute_force(index: Path, field: str, words: list[str]) -> set[int]:
    """The live articles whose ``field`` (title or body) holds the exact words side by side."""
    held = set()
    for docnum, stored in _texts(index):
        text = stored.get("body", "") if field == "body" else _title(stored)
        forms = [s.exact for s in syllables(text)]
        if any(list(run) == words for run in _runs(forms, len(words))):
            held.add(docnum)
    return held


def _title(stored: dict[str, str]) -> str:
    return "" if stored.get("title_derived") else stored.get("headline", "")


def _runs(forms: list[str], size: int) -> Iterator[tuple[str, ...]]:
    return zip(*(itertools.islice(forms, i, None) for i in range(size)), strict=False)


def _pairs() -> list[list[str]]:
    return [[s.exact for s in syllables(pair)] for pair in PAIRS]


@pytest.mark.parametrize("field", ["title", "body"])
def test_both_engines_match_the_articles_the_texts_hold_the_pair_in(
    indexes: dict[str, Path], field: str
) -> None:
    index = indexes["new"]
    with open_index(index).searcher() as searcher:
        scorer = ArrayScorer(IndexReader(searcher))
        for words in _pairs():
            query = ExactPair(f"{field}_exact", words)
            plain = set(searcher.docs_for_query(query)) - _deleted(searcher)
            arrays = {int(d) for d in scorer.matching(query).nonzero()[0]}
            assert (plain, arrays) == (_by_brute_force(index, field, words),) * 2


def _deleted(searcher: Any) -> set[int]:
    reader = searcher.reader()
    return {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}


def test_the_pair_check_of_accent_restoration_answers_as_the_positions_did(
    indexes: dict[str, Path],
) -> None:
    forms = sorted(
        {s.exact for text in [*FIRST.values(), *SECOND.values()] for s in syllables(text)}
    )
    pairs = [(a, b) for a, b in itertools.product(forms, forms) if fold(a) != a or fold(b) != b]
    answers = {}
    for name, index in indexes.items():
        with open_index(index).searcher() as searcher:
            answers[name] = {
                (field, a, b): side_by_side(searcher, field, a, b)
                for field in ("title_exact", "body_exact", "author_exact")
                for a, b in pairs
            }
    assert answers["new"] == answers["old"]
    assert sum(answers["new"].values()) > 20


@pytest.mark.parametrize(
    "query", ["hoa binh", "tinh uy hoa binh", "o day y kien", "da lat", "Hòa binh", "y kien o"]
)
def test_accent_restoration_reads_the_same(indexes: dict[str, Path], query: str) -> None:
    read = {}
    for name, index in indexes.items():
        vocabulary = open_snapshot(index).vocabulary()
        assert vocabulary is not None
        with open_index(index).searcher() as searcher:
            vocabulary.pairs = ArchivePairs(searcher)
            read[name] = vocabulary.restore(syllables(query))
    assert read["new"] == read["old"]


def test_the_exact_field_indexes_what_the_exact_analyzer_gives() -> None:
    field = next(f for f in build.make_schema().items() if f[0] == "body_exact")[1]
    text = "Tỉnh uỷ Hoà Bình, tỉnh ủy; ho\u0300a naïve."
    tokens = [t.text for t in field.analyzer(text)]
    indexed = {term.decode(): (freq, weight) for term, freq, weight, _ in field.index(text)}
    counts = {t: tokens.count(t) for t in tokens}
    assert isinstance(field, AccentedText)
    assert (indexed, exact_forms(text)) == ({t: (n, float(n)) for t, n in counts.items()}, tokens)
