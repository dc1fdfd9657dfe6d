"""Batch querying for evaluators and scripts: ``qid<TAB>query`` lines in, a TREC run out.

The index and analyzer are loaded once for all queries, so a thousand queries cost one start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from dvsearch.errors import BatchFormatError, QuerySyntaxError
from dvsearch.search.searcher import Searcher

RUN_TAG = "dvsearch"
# A run line is split on whitespace: these are written as %XX in a docid.
_UNSAFE_IN_DOCID = re.compile(r"[\s%]")


@dataclass(frozen=True)
class BatchQuery:
    """One line of a batch file."""

    qid: str
    text: str


STDIN_NAME = "-"  # the batch file name that stands for standard input


def read_batch_file(path: Path) -> list[BatchQuery]:
    """The queries of a UTF-8 batch file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BatchFormatError(f"cannot read '{path}': {error.strerror}") from error
    return read_batch_bytes(data, str(path))


def read_batch_stream(stream: BinaryIO) -> list[BatchQuery]:
    """The queries of UTF-8 text piped in (``--batch -``), read to its end."""
    return read_batch_bytes(stream.read(), STDIN_NAME)


def read_batch_bytes(data: bytes, source: str) -> list[BatchQuery]:
    """The queries of a batch file's bytes, which must be UTF-8 (a byte order mark is fine)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchFormatError(f"{_named(source)} is not UTF-8 text: save it as UTF-8") from error
    return read_batch(text.splitlines(), source)


def read_batch(lines: Iterable[str], source: str) -> list[BatchQuery]:
    """Parse ``qid<TAB>query`` lines; blank lines are skipped, anything else is an error."""
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        qid, tab, text = line.rstrip("\r\n").partition("\t")
        if not tab or not qid.strip() or not text.strip():
            raise BatchFormatError(
                f"line {number} of {_named(source)} is not 'qid<TAB>query': fix or remove it"
            )
        queries.append(BatchQuery(qid.strip(), text))
    return queries


def _named(source: str) -> str:
    return "standard input" if source == STDIN_NAME else f"'{source}'"


def trec_run(
    searcher: Searcher,
    queries: Iterable[BatchQuery],
    limit: int,
    since: str | None = None,
    until: str | None = None,
    undated: bool = False,
) -> Iterator[str]:
    """TREC run lines, ``qid Q0 docid rank score dvsearch``, best first for each query.

    ``since``/``until`` (ISO prefixes) and ``undated`` select by date as ``Searcher.search``
    does. A query with nothing searchable in it gives no lines, as a query with no hits does.
    """
    for query in queries:
        try:
            result = searcher.search(
                query.text, limit, since, until, passages=0, lenient=True, undated=undated
            )
        except QuerySyntaxError:
            continue
        for hit in result.hits:
            docid = trec_docid(hit.path)
            yield f"{query.qid} Q0 {docid} {hit.rank} {hit.score or 0.0:.4f} {RUN_TAG}"


def trec_docid(path: str) -> str:
    """An article's docid in a run: its path under the articles folder without the extension,
    one token however the file is named (``tin tức/bài 1.txt`` -> ``tin%20tức/bài%201``), so
    qrels written with file names match and trec_eval can split every line."""
    stem = str(PurePosixPath(path).with_suffix(""))
    return _UNSAFE_IN_DOCID.sub(lambda match: f"%{ord(match.group()):02X}", stem)
