"""The compiled reference of the speed harness: tantivy, a Rust inverted index, through its binding.

What it does, so that it does the work dvsearch does where a user waits:

- **analysis**: tantivy's ``simple`` tokenizer (splits on anything not alphanumeric), then
  ``lowercase`` and ``ascii_fold``: ``Đường ĐBQH thủy điện`` → ``duong dbqh thuy dien`` (it
  maps đ/Đ to d, as dvsearch's folding does); no word segmentation, no exact-accent view;
- **build**: one multi-threaded ``IndexWriter`` with ``os.cpu_count()`` threads (at most 8) and a
  256 MB heap shared by them (whoosh's ``limitmb`` in this harness), one commit, then the merge
  threads are waited for, so the build time is the whole cost of a ready index; the body is
  stored, as every system here stores it, because snippets are cut from it;
- **queries**: the query text as typed, through ``parse_query_lenient`` (words ORed, quotes as
  phrases, ``AND``/``OR``/``NOT``, a code such as ``464-QĐ/TU`` read as the phrase of its
  pieces), top 10 by BM25, and for each hit one ``SnippetGenerator`` snippet, tantivy's best
  fragment of up to 150 characters (it has no several-fragment call; dvsearch shows up to three).

Only the standard library is imported at module level, so this file is also the cold query of
the harness: ``python benchmarks/speed_tantivy.py INDEX QUERY`` imports tantivy, opens the
index, runs the query with snippets and prints how many hits it showed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tantivy

LIMIT = 10
HEAP_BYTES = 256_000_000
ANALYZER = "vi_fold"  # the name the analyzer is registered under, in the schema and each reader


def missing() -> str:
    """Why tantivy cannot run here, or ``""`` when it can."""
    if importlib.util.find_spec("tantivy") is None:
        return "tantivy is not installed (pip install -e '.[bench]'): it was left out"
    return ""


def threads() -> int:
    """The writer's threads: one per core, at most 8 (tantivy's own ceiling for its default)."""
    return max(1, min(os.cpu_count() or 1, 8))


def build(documents: Iterable[tuple[str, str]], folder: Path) -> None:
    """Index ``(docid, text)`` pairs into a new index in ``folder``, merges finished."""
    import tantivy

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(folder))
    _register(index)
    writer = index.writer(HEAP_BYTES, threads())
    for docid, text in documents:
        writer.add_document(tantivy.Document(docid=docid, body=text))
    writer.commit()
    writer.wait_merging_threads()


def open_search(folder: Path) -> Callable[[str], int]:
    """A function that runs one query, top 10 with a snippet each, and returns the hits shown."""
    import tantivy

    index = tantivy.Index.open(str(folder))
    _register(index)
    searcher = index.searcher()
    schema = index.schema

    def search(text: str) -> int:
        query, _errors = index.parse_query_lenient(text, ["body"])
        hits = searcher.search(query, LIMIT).hits
        if not hits:
            return 0
        snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        shown = [snippets.snippet_from_doc(searcher.doc(address)) for _, address in hits]
        return sum(1 for snippet in shown if snippet.fragment())

    return search


def note() -> str:
    """How tantivy ran, for the report."""
    version = importlib.metadata.version("tantivy")
    return (
        f"tantivy {version} (Python binding): `simple` tokenizer | `lowercase` | `ascii_fold`"
        f" (đ → d), body stored; writer with {threads()} thread(s) and a"
        f" {HEAP_BYTES // 1_000_000} MB heap, one commit, merges waited for; queries as typed"
        " through `parse_query_lenient` (words ORed), BM25, one `SnippetGenerator` snippet"
        " (≤ 150 characters) for each of the top 10"
    )


def _schema() -> tantivy.Schema:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("docid", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=True, tokenizer_name=ANALYZER)
    return builder.build()


def _register(index: tantivy.Index) -> None:
    """Register the analyzer: tantivy keeps only its name in the index, so every opener must."""
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    builder = TextAnalyzerBuilder(Tokenizer.simple())
    analyzer = builder.filter(Filter.lowercase()).filter(Filter.ascii_fold()).build()
    index.register_tokenizer(ANALYZER, analyzer)


def main(argv: list[str]) -> int:
    """``INDEX QUERY``: one query in a fresh process, the cold start of a tantivy user."""
    folder, text = argv
    print(open_search(Path(folder))(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
