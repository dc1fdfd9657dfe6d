"""The systems compared by the relevance harness, all over the same article files and query strings.

dvsearch runs as a user runs it, through its command line; the two peers run in process with the
settings a developer would pick first for Vietnamese text.
"""

from __future__ import annotations

import compileall
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser
from whoosh.qparser.common import QueryParserError
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

LIMIT = 100
# Run only when named with --systems: they need more than the test extra installs.
OPTIONAL_SYSTEMS = ["es_vi"]
Ranking = list[tuple[str, float]]  # (docid, score), best first
Run = dict[str, Ranking]


class SystemRunError(Exception):
    """A system under test failed; the message says which and how."""


class System(Protocol):
    """Builds an index of an article folder and answers a batch of queries against it."""

    name: str
    separate_process: bool  # True when batches can run side by side, one per core

    def build(self, index: str, articles: Path) -> str:
        """Index the folder; return a short note for the report."""
        ...

    def search(self, index: str, label: str, queries: dict[str, str]) -> Run:
        """The top ``LIMIT`` documents for each query; a query with no hits may be missing."""
        ...

    def notes(self) -> list[str]:
        """Which version ran, for the report."""
        ...


def make_system(name: str, work: Path, rebuild: bool = False) -> System:
    """The system called ``name``, keeping its files under ``work/name``.

    The peers always build from scratch; dvsearch updates its index unless ``rebuild`` is set.
    """
    if name == "dvsearch":
        dvsearch = Dvsearch(work / name, rebuild)
        dvsearch.take_snapshot()
        return dvsearch
    if name == "es_vi":
        from relevance_esvi import EsVi  # imports this module, and needs tantivy and Python 3.8

        return EsVi(work / name)
    systems: dict[str, Callable[[Path], System]] = {"fts5": Fts5, "whoosh": Whoosh}
    return systems[name](work / name)


def iter_articles(articles: Path) -> Iterator[tuple[str, str]]:
    """``(docid, text)`` for every article file, in name order."""
    for path in sorted(articles.glob("*.txt")):
        yield path.stem, path.read_text(encoding="utf-8")


@dataclass
class Dvsearch:
    """dvsearch through ``python -m dvsearch``, exactly as a user or script would call it."""

    work: Path
    rebuild: bool = False
    name: str = "dvsearch"
    separate_process: bool = True
    articles: dict[str, Path] = field(default_factory=dict)  # index -> its article folder
    fingerprint: str = ""

    def take_snapshot(self) -> None:
        """Copy dvsearch's source and run the copy, so edits made meanwhile cannot mix versions.

        The copy is byte-compiled, as ``pip install`` compiles an installed package: without
        it, an environment with PYTHONDONTWRITEBYTECODE would compile dvsearch from source on
        every cold start (25 ms on a 2-core machine), which no installed copy does."""
        target = self._source / "dvsearch"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(_live_source(), target, ignore=shutil.ignore_patterns("__pycache__"))
        self.fingerprint = _fingerprint(target)
        compileall.compile_dir(target, quiet=1)

    def notes(self) -> list[str]:
        source = _live_source()
        notes = [
            f"dvsearch: a copy of {source} taken at the start, fingerprint {self.fingerprint},"
            " byte-compiled as `pip install` compiles an installed package"
        ]
        live = _fingerprint(source)
        if live != self.fingerprint:
            notes.append(f"dvsearch's source changed during the run (now {live}): not measured")
        return notes

    @property
    def _source(self) -> Path:
        return self.work / "source"

    def build(self, index: str, articles: Path) -> str:
        # dvsearch updates incrementally and rebuilds itself on an analyzer change.
        command = ["index", "--seeds", str(articles), "--index", str(self.work / index)]
        if self.rebuild:
            command.append("--rebuild")
        lines = self._call(command)[0].strip().splitlines()
        self.articles[index] = articles
        return lines[-1] if lines else ""

    def search(self, index: str, label: str, queries: dict[str, str]) -> Run:
        batch = self.work / "batches" / index / f"{label}.tsv"
        batch.parent.mkdir(parents=True, exist_ok=True)
        batch.write_text("".join(_batch_lines(queries)), encoding="utf-8")
        # --seeds: an outdated index is rebuilt from these articles, not from ./seeds.
        command = ["query", "--batch", str(batch), "--limit", str(LIMIT)]
        command += ["--index", str(self.work / index), "--seeds", str(self.articles[index])]
        stdout, stderr = self._call(command)
        if "build" in stderr:
            raise SystemRunError(
                f"dvsearch had to rebuild its index for batch {label} (did its code change during"
                f" the run?), so the runs would mix two versions: run the benchmark again\n{stderr}"
            )
        return _parse_trec(stdout)

    def process_settings(self) -> tuple[Path, dict[str, str]]:
        """The working folder and environment under which a child process imports the snapshot.

        The speed harness starts its own dvsearch processes with these.
        """
        # python -m puts the working folder first on sys.path; PYTHONPATH covers scripts.
        path = os.pathsep.join(filter(None, [str(self._source), os.environ.get("PYTHONPATH")]))
        return self._source, {**os.environ, "PYTHONUTF8": "1", "PYTHONPATH": path}

    def _call(self, arguments: list[str]) -> tuple[str, str]:
        command = [sys.executable, "-m", "dvsearch", *arguments]
        cwd, env = self.process_settings()
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise SystemRunError(f"{' '.join(command)} failed: {done.stderr.strip()}")
        return done.stdout, done.stderr


def _live_source() -> Path:
    """The folder dvsearch is imported from, found without importing it."""
    spec = importlib.util.find_spec("dvsearch")
    if spec is None or not spec.submodule_search_locations:
        raise SystemRunError("dvsearch is not installed: pip install -e . first")
    return Path(next(iter(spec.submodule_search_locations)))


def _fingerprint(folder: Path) -> str:
    """A short hash of every source and data file under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _batch_lines(queries: dict[str, str]) -> Iterator[str]:
    """``qid<TAB>query`` lines, whitespace collapsed to keep one query a line.

    A blank query is left out, as dvsearch rejects it; it then counts as a query without hits.
    """
    for qid, text in queries.items():
        flat = " ".join(text.split())
        if flat:
            yield f"{qid}\t{flat}\n"


def _parse_trec(stdout: str) -> Run:
    run: Run = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) == 6 and fields[1] == "Q0":
            run.setdefault(fields[0], []).append((fields[2], float(fields[4])))
    return run


@dataclass
class Fts5:
    """SQLite FTS5 with the ``unicode61`` tokenizer folding diacritics, ranked by bm25()."""

    work: Path
    name: str = "fts5"
    separate_process: bool = False

    def build(self, index: str, articles: Path) -> str:
        path = self._path(index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with _connect(path) as db:
            db.execute(
                "CREATE VIRTUAL TABLE docs USING fts5("
                "docid UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
            db.executemany("INSERT INTO docs VALUES (?, ?)", iter_articles(articles))
        return f"{path.stat().st_size / 1e6:.0f} MB"

    def search(self, index: str, label: str, queries: dict[str, str]) -> Run:
        with _connect(self._path(index)) as db:
            return {qid: self._rank(db, text) for qid, text in queries.items()}

    def notes(self) -> list[str]:
        return [f"fts5: SQLite {sqlite3.sqlite_version}"]

    def _path(self, index: str) -> Path:
        return self.work / f"{index}.sqlite"

    @staticmethod
    def _rank(db: sqlite3.Connection, text: str) -> Ranking:
        # Quoting each word keeps FTS5's own syntax (AND, NEAR, -, :) out of the way.
        match = " OR ".join(f'"{word}"' for word in re.findall(r"\w+", text))
        if not match:
            return []
        sql = "SELECT docid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        return [(docid, -score) for docid, score in db.execute(sql, (match, LIMIT))]


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits and closes: sqlite3's own context manager only commits."""
    db = sqlite3.connect(path)
    try:
        yield db
        db.commit()
    finally:
        db.close()


@dataclass
class Whoosh:
    """whoosh with its standard analyzer plus accent folding, default BM25F, words ORed."""

    work: Path
    name: str = "whoosh"
    separate_process: bool = False

    def build(self, index: str, articles: Path) -> str:
        folder = self.work / index
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        analyzer = StandardAnalyzer() | CharsetFilter(accent_map)
        schema = Schema(docid=ID(stored=True, unique=True), body=TEXT(analyzer=analyzer))
        writer = whoosh_index.create_in(folder, schema).writer(procs=1, limitmb=256)
        for docid, text in iter_articles(articles):
            writer.add_document(docid=docid, body=text)
        writer.commit()
        size = sum(p.stat().st_size for p in folder.iterdir())
        return f"{size / 1e6:.0f} MB"

    def search(self, index: str, label: str, queries: dict[str, str]) -> Run:
        ix = whoosh_index.open_dir(self.work / index)
        parser = QueryParser("body", ix.schema, group=OrGroup)
        with ix.searcher() as searcher:
            return {qid: self._rank(searcher, parser, text) for qid, text in queries.items()}

    def notes(self) -> list[str]:
        return [f"whoosh: {importlib.metadata.version('whoosh-reloaded')}"]

    @staticmethod
    def _rank(searcher: Searcher, parser: QueryParser, text: str) -> Ranking:
        try:
            query = parser.parse(text)
        except QueryParserError:
            return []
        hits = searcher.search(query, limit=LIMIT)
        return [(hit["docid"], hit.score) for hit in hits]
