"""A small abbreviation query set: vietnews headlines with an expansion swapped for its
abbreviation (``abbr``: *Ủy ban nhân dân* -> UBND) or an abbreviation for its expansion
(``expanded``), searched by dvsearch; MRR@10 per set.

Run by hand from the repository root (about three minutes the first time, which indexes the
judged articles of those headlines and 700 others under ``benchmarks/work/abbreviations``):

    python benchmarks/relevance_abbreviations.py [-v]

The figures of the abbreviation weighting in ``dvsearch/search/ranking.py`` come from it. Until
``relevance.py`` grows such a set, this is the only measure of abbreviation queries.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from relevance_data import SCALES, VIETNEWS_CORPUS, _records, load_collection, write_articles

from dvsearch.index.build import update_index
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.abbreviations import Table, load_table

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / "work" / "abbreviations"
OTHERS = 700
SEED = 7


def swapped_queries(queries: dict[str, str], table: Table) -> dict[str, dict[str, str]]:
    """``{set name: {qid: query}}``: the first expansion or abbreviation of each headline
    swapped for the other form (two-letter abbreviations left out: QĐ is also a word part)."""
    sets: dict[str, dict[str, str]] = {"abbr": {}, "expanded": {}}
    for qid, text in queries.items():
        for abbreviation, expansions in table.items():
            if len(abbreviation) <= 2:
                continue
            for expansion in expansions:
                long = re.compile(rf"(?<!\w){re.escape(expansion)}(?!\w)", re.IGNORECASE)
                if long.search(text) and qid not in sets["abbr"]:
                    sets["abbr"][qid] = long.sub(abbreviation, text, count=1)
            short = re.compile(rf"(?<!\w){re.escape(abbreviation)}(?!\w)")
            if short.search(text) and qid not in sets["expanded"]:
                sets["expanded"][qid] = short.sub(expansions[0], text, count=1)
    return sets


def build_index(judged: set[str]) -> Path:
    """The judged articles and ``OTHERS`` more, indexed once (body only, as in relevance.py)."""
    index = WORK / "index"
    if not index.exists():
        records = _records(SHARED, (VIETNEWS_CORPUS,), with_title=False)
        rest = sorted(set(records) - judged)
        keep = judged | set(random.Random(SEED).sample(rest, OTHERS))
        folder = WORK / "articles"
        write_articles(folder, {d: t for d, t in records.items() if d in keep})
        update_index(folder, index)
    return index


def main(verbose: bool) -> None:
    """Print MRR@10 of each set (and each query's rank with ``verbose``)."""
    collection = load_collection(SHARED, "vietnews", SCALES["full"], None)
    sets = swapped_queries(collection.queries, load_table())
    judged = {d for queries in sets.values() for q in queries for d in collection.qrels[q]}
    with Searcher(build_index(judged), engine="arrays") as searcher:
        for name, queries in sets.items():
            reciprocal = []
            for qid, text in sorted(queries.items()):
                hits = searcher.search(text, limit=10, passages=0).hits
                relevant = collection.qrels[qid]
                rank = next((h.rank for h in hits if Path(h.path).stem in relevant), None)
                reciprocal.append(1 / rank if rank else 0.0)
                if verbose:
                    print(f"  {name} {rank} {text}")
            mrr = sum(reciprocal) / max(len(reciprocal), 1)
            print(f"{name}: {len(reciprocal)} queries, MRR@10 {mrr:.3f}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
