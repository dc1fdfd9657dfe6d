"""The floor of the speed harness: bare whoosh, with the least analysis that finds accentless text.

``RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map)``, the body stored (passages are
cut from it), one process and dvsearch's writer memory, so that only the analysis differs from
dvsearch. Only whoosh and the standard library are imported, so this file is also the cold query
of the harness: ``python benchmarks/speed_whoosh.py INDEX QUERY`` opens the index, runs the query
with highlights and prints how many hits it showed.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser
from whoosh.support.charset import accent_map

PASSAGES = 3  # dvsearch shows up to three passages a hit
LIMIT = 10


def build(documents: Iterable[tuple[str, str]], folder: Path) -> None:
    """Index ``(docid, text)`` pairs into a new index in ``folder``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    analyzer = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    schema = Schema(docid=ID(stored=True, unique=True), body=TEXT(analyzer=analyzer, stored=True))
    # One process and dvsearch's writer memory, so only the analysis differs.
    writer = whoosh_index.create_in(folder, schema).writer(procs=1, limitmb=256)
    for docid, text in documents:
        writer.add_document(docid=docid, body=text)
    writer.commit()


def open_search(folder: Path) -> Callable[[str], int]:
    """whoosh's default BM25F, words ORed, and up to three highlighted fragments a hit."""
    ix = whoosh_index.open_dir(folder)
    parser = QueryParser("body", ix.schema, group=OrGroup)
    searcher = ix.searcher()

    def search(text: str) -> int:
        hits = searcher.search(parser.parse(text), limit=LIMIT, terms=True)
        return sum(1 for hit in hits if hit.highlights("body", top=PASSAGES) is not None)

    return search


def main(argv: list[str]) -> int:
    """``INDEX QUERY``: one query in a fresh process, the cold start of a whoosh user."""
    folder, text = argv
    print(open_search(Path(folder))(text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
