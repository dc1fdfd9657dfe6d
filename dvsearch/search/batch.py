"""Batch querying for evaluators and scripts: ``qid<TAB>query`` lines in, a TREC run out.

The index and analyzer are loaded once for all queries, so a thousand queries cost one start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dvsearch.errors import BatchFormatError, QuerySyntaxError
from dvsearch.search.searcher import Searcher

RUN_TAG = "dvsearch"


@dataclass(frozen=True)
class BatchQuery:
    """One line of a batch file."""

    qid: str
    text: str


def read_batch_file(path: Path) -> list[BatchQuery]:
    """The queries of a UTF-8 batch file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchFormatError(f"'{path}' is not UTF-8 text: save it as UTF-8") from error
    except OSError as error:
        raise BatchFormatError(f"cannot read '{path}': {error.strerror}") from error
    return read_batch(text.splitlines(), str(path))


def read_batch(lines: Iterable[str], source: str) -> list[BatchQuery]:
    """Parse ``qid<TAB>query`` lines; blank lines are skipped, anything else is an error."""
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        qid, tab, text = line.rstrip("\r\n").partition("\t")
        if not tab or not qid.strip() or not text.strip():
            raise BatchFormatError(
                f"line {number} of '{source}' is not 'qid<TAB>query': fix or remove it"
            )
        queries.append(BatchQuery(qid.strip(), text))
    return queries


def trec_run(searcher: Searcher, queries: Iterable[BatchQuery], limit: int) -> Iterator[str]:
    """TREC run lines, ``qid Q0 docid rank score dvsearch``, best first for each query.

    A query with nothing searchable in it gives no lines, as a query with no hits does.
    """
    for query in queries:
        try:
            result = searcher.search(query.text, limit=limit, passages=0, lenient=True)
        except QuerySyntaxError:
            continue
        for hit in result.hits:
            yield f"{query.qid} Q0 {hit.id} {hit.rank} {hit.score or 0.0:.4f} {RUN_TAG}"
