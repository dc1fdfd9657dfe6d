"""The lean pool of postings counts their sizes as whoosh's does, so it spills at the same
postings; the lean writer that fills it indexes what whoosh's does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import PostingPool

from dvsearch.engine.pool import LeanPostingPool, LeanSegmentWriter, lean_writer


def _sizes(pool_class: Any) -> tuple[list[int], list[int]]:
    """The pool's size estimate after each posting, and its number of runs saved to storage
    after each posting, with a limit of about a dozen postings."""
    pool = pool_class(RamStorage(), None, limitmb=1)
    pool.limit = 2_000
    sizes, runs = [], []
    for docnum in range(40):
        value = None if docnum % 3 == 0 else b"\x00" * docnum
        pool.add(("body", f"term{docnum % 7}".encode(), docnum, 1.0 + docnum, value))
        sizes.append(pool.currentsize)
        runs.append(len(pool.runs))
    assert sorted(pool.fieldnames) == ["body"]
    pool.cleanup()
    return sizes, runs


def test_the_lean_pool_counts_and_spills_as_whooshs() -> None:
    sizes, runs = _sizes(LeanPostingPool)
    assert (sizes, runs) == _sizes(PostingPool)
    assert runs[-1] >= 2


ARTICLES = [
    {"path": "a.txt", "title": "Ban Dân vận", "body": "Ban dân vận tỉnh ủy, dân vận.\nDân vận"},
    {"path": "b.txt", "title": "Tỉnh uỷ 464-QĐ/TU", "body": "Hà Nội là thủ đô; 1.635 người"},
    {"path": "c.txt", "title": "", "body": "dan van khong dau", "author": "Nguyễn Văn A"},
]


def _index(folder: Path, lean: bool) -> dict[str, Any]:
    """Every posting, length and stored value of an index of ``ARTICLES`` written by
    whoosh's segment writer, or by it made lean."""
    from dvsearch.engine.files import WRITER_OPTIONS
    from dvsearch.index.build import make_schema
    from dvsearch.vietnamese.syllables import TextParts

    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ix.writer(**WRITER_OPTIONS)
    if lean:
        writer = lean_writer(writer)
        assert type(writer) is LeanSegmentWriter
    for article in ARTICLES:
        writer.add_document(words=TextParts(article["title"], article["body"]), **article)
    writer.commit()
    seen: dict[str, Any] = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            postings = reader.postings(field, term)
            seen[f"{field}:{term!r}"] = list(postings.items_as("weight"))
            seen[f"{field}:{term!r}:values"] = list(reader.postings(field, term).all_items())
        for docnum in range(len(ARTICLES)):
            seen[f"stored {docnum}"] = reader.stored_fields(docnum)
            for field in reader.schema.scorable_names():
                seen[f"length {docnum} {field}"] = reader.doc_field_length(docnum, field)
    return seen


def test_the_lean_writer_indexes_what_whooshs_does(tmp_path: Path) -> None:
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "lean").mkdir()
    expected = _index(tmp_path / "whoosh", lean=False)
    assert _index(tmp_path / "lean", lean=True) == expected
    # the title's and the body's four, not the unaccented "dan van" pyvi leaves apart
    assert expected["words:b'dan_van':values"] == [(0, b"\x00\x00\x00\x04")]
    assert expected["length 0 words"] == 12
