"""Test collections for the relevance harness: read the shared data, sample it, write article files.

The shared data is licensed for evaluation only, so it is read from ``../shared`` at run time and
written only under the git-ignored work folder.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relevance_fragments import fragment_queries

SEED = 42
Qrels = dict[str, dict[str, int]]

# collection -> (folder of queries.tsv and qrels.tsv, index it runs on); ``fragments`` draws its
# queries from the bodies of the articles judged in its folder (``relevance_fragments.py``).
COLLECTIONS = {
    "viquad": ("viquad_retrieval", "qa"),
    "xquad": ("xquad_vi_retrieval", "qa"),
    "vietnews": ("vietnews/eval", "vietnews"),
    "fragments": ("vietnews/eval", "vietnews"),
}
QA_DOCS = ("viquad_retrieval/docs.jsonl", "xquad_vi_retrieval/docs.jsonl")
NEWS_CORPORA = ("vntc/corpus.jsonl", "vietnews/corpus.jsonl")
VIETNEWS_CORPUS = "vietnews/corpus.jsonl"


@dataclass(frozen=True)
class Scale:
    """How much of the data a run uses; ``None`` means all of it."""

    name: str
    queries: int | None  # per collection
    distractors: int  # news articles added to the qa index
    qa_others: int | None  # QA paragraphs indexed beyond the judged ones
    vietnews_others: int | None  # vietnews articles indexed beyond the judged ones


SCALES = {
    "full": Scale("full", None, 3000, None, None),
    "quick": Scale("quick", 150, 300, None, 1700),
    "smoke": Scale("smoke", 14, 40, 100, 120),
}


@dataclass(frozen=True)
class Collection:
    """Queries run on one index, and the query subsets reported as collections of their own."""

    name: str
    index: str
    queries: dict[str, str]
    qrels: Qrels
    subsets: dict[str, frozenset[str]]


def load_collection(shared: Path, name: str, scale: Scale, cap: int | None) -> Collection:
    """A collection with its queries sampled down to the scale's size (and the cap, if any)."""
    folder, index = COLLECTIONS[name]
    queries = _sample_queries(_read_queries(shared / folder / "queries.tsv"), scale, cap)
    all_qrels = _read_qrels(shared / folder / "qrels.tsv")
    qrels = {qid: all_qrels[qid] for qid in queries}
    if name == "fragments":
        return _fragments(shared, index, qrels)
    subsets = {name: frozenset(queries)}
    if name == "vietnews":
        strata = _read_tsv(shared / folder / "query_strata.tsv")
        subsets["vietnews-domain"] = frozenset(
            q for q, s in strata if s == "domain" and q in queries
        )
    return Collection(name, index, queries, qrels, subsets)


def _fragments(shared: Path, index: str, judged: Qrels) -> Collection:
    """A fragment of each article the headline queries sampled judge, so both collections
    share one index whichever of them a run takes."""
    texts = _records(shared, (VIETNEWS_CORPUS,), with_title=False)
    bodies = {docid: texts[docid] for docs in judged.values() for docid in docs}
    drawn = fragment_queries(bodies, SEED)
    queries = {qid: fragment for qid, (fragment, _) in drawn.items()}
    qrels = {qid: {docid: 1} for qid, (_, docid) in drawn.items()}
    return Collection("fragments", index, queries, qrels, {"fragments": frozenset(queries)})


def index_documents(
    shared: Path, index: str, collections: list[Collection], scale: Scale
) -> dict[str, str]:
    """``{docid: file text}`` for one index, with every judged document of its collections."""
    judged = {d for c in collections if c.index == index for docs in c.qrels.values() for d in docs}
    if index == "qa":
        qa = _records(shared, QA_DOCS, with_title=True)
        docs = _judged_plus_others(qa, judged, scale.qa_others)
        news = _records(shared, NEWS_CORPORA, with_title=True)
        news_ids = [docid for docid in news if docid not in docs]
        docs.update((d, news[d]) for d in random.Random(SEED).sample(news_ids, scale.distractors))
        return docs
    # The vietnews query is the headline: indexing the title would make the task trivial.
    vietnews = _records(shared, (VIETNEWS_CORPUS,), with_title=False)
    return _judged_plus_others(vietnews, judged, scale.vietnews_others)


def news_articles(data: Path) -> dict[str, str]:
    """``{docid: file text}`` for every news article (vntc + vietnews) in ``data``, headline first.

    The speed harness writes these as its corpora, in the same form as this harness does.
    """
    return _records(data, NEWS_CORPORA, with_title=True)


def write_articles(folder: Path, docs: dict[str, str]) -> bool:
    """Write one ``<docid>.txt`` per document; True when an identical folder was reused instead."""
    names = {f"{docid}.txt" for docid in docs}
    if folder.is_dir() and {p.name for p in folder.iterdir()} == names:
        return True
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for docid, text in docs.items():
        (folder / f"{docid}.txt").write_text(text, encoding="utf-8")
    return False


def _judged_plus_others(
    records: dict[str, str], judged: set[str], others: int | None
) -> dict[str, str]:
    if others is None:
        return dict(records)
    rest = sorted(set(records) - judged)
    chosen = judged.union(random.Random(SEED).sample(rest, min(others, len(rest))))
    return {docid: text for docid, text in records.items() if docid in chosen}


def _sample_queries(queries: dict[str, str], scale: Scale, cap: int | None) -> dict[str, str]:
    """A deterministic sample, kept in file order."""
    limits = [n for n in (scale.queries, cap) if n is not None]
    if not limits or min(limits) >= len(queries):
        return queries
    chosen = set(random.Random(SEED).sample(list(queries), min(limits)))
    return {qid: text for qid, text in queries.items() if qid in chosen}


@cache
def _records(shared: Path, files: tuple[str, ...], with_title: bool) -> dict[str, str]:
    """``{id: file text}`` from JSON Lines corpora, in file order."""
    records: dict[str, str] = {}
    for name in files:
        with (shared / name).open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                records[record["id"]] = _file_text(record, with_title)
    return records


def _file_text(record: dict[str, str], with_title: bool) -> str:
    """The article as a user would have it: headline, blank line, text."""
    if with_title and record["title"]:
        return f"{record['title']}\n\n{record['text']}"
    return record["text"]


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as lines:
        return [line.rstrip("\n").split("\t") for line in lines if line.strip()]


def _read_queries(path: Path) -> dict[str, str]:
    return {qid: text for qid, text in _read_tsv(path)}


def _read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    for qid, docid, relevance in _read_tsv(path):
        qrels.setdefault(qid, {})[docid] = int(relevance)
    return qrels
