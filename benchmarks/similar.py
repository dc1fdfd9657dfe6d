"""``dvsearch similar`` against whoosh's ``more_like``: precision@10 of same-topic neighbours.

VNTC's articles carry a topic label (``category``, 10 of them; 57% of the shared subset is
*Chinh tri Xa hoi*, so the sample is stratified): ``--per-category`` articles of each topic
(seeded) are indexed by dvsearch and by a plain whoosh index of the same files (the relevance
harness's whoosh peer: ``StandardAnalyzer`` + ``accent_map``, BM25F, body stored). For
``--queries`` articles of each topic (seeded, from those indexed), precision@10 is the share of
the ten neighbours returned that carry the query article's topic (fewer than ten returned count
as misses); the article itself is never counted, dvsearch leaves out its copies and near copies
itself, and the subset holds no exact copies (``SOURCE.md``). whoosh runs
``Searcher.more_like(docnum, "body", top=10)`` with its defaults (5 key terms, ``Bo1Model``, no
normalisation), and once with 25 key terms (what dvsearch uses per view). A random neighbour
carries the topic with probability (per-category - 1) / (articles - 1).

    python benchmarks/similar.py --quick          # 60 articles a topic, 5 queries a topic
    python benchmarks/similar.py                  # 300 a topic (3,000), 20 queries a topic
    python benchmarks/similar.py --sweep          # also the settings tried, one row each
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dvsearch.index.build import update_index
from dvsearch.index.catalog import load_article
from dvsearch.index.fields import FIELD_BOOSTS
from dvsearch.search.searcher import Searcher
from dvsearch.search.similar import SimilarSettings, similar_to

SEED = 42
TOP = 10
HERE = Path(__file__).resolve().parent
CORPUS = Path("vntc") / "corpus.jsonl"
# The settings ``--sweep`` compares with the defaults, each changing one thing.
SWEEP: dict[str, SimilarSettings] = {
    "defaults": SimilarSettings(),
    "syllables only (no compounds)": SimilarSettings(words=0),
    "compounds only": SimilarSettings(syllables=0),
    "10 + 10 terms": SimilarSettings(syllables=10, words=10),
    "25 + 50 terms": SimilarSettings(words=50),
    "50 + 25 terms": SimilarSettings(syllables=50),
    "50 + 50 terms": SimilarSettings(syllables=50, words=50),
    "100 + 100 terms": SimilarSettings(syllables=100, words=100),
    "+ 25 accented syllables (body_exact)": SimilarSettings(accented=25),
    "+ each syllable in the title (x0.5)": SimilarSettings(title_boost=FIELD_BOOSTS["title"]),
    "boost tf only (idf once, BM25's)": SimilarSettings(idf_power=0.0),
    "boost tf·idf² (idf three times)": SimilarSettings(idf_power=2.0),
}


@dataclass(frozen=True)
class Sample:
    """The articles indexed (``{docid: (category, file text)}``) and the query docids."""

    articles: dict[str, tuple[str, str]]
    queries: list[str]


def load_sample(corpus: Path, per_category: int, queries: int) -> Sample:
    """``per_category`` articles of each topic, and ``queries`` of those per topic, seeded."""
    by_category: dict[str, list[dict[str, str]]] = defaultdict(list)
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_category[record["category"]].append(record)
    rng = random.Random(SEED)
    articles: dict[str, tuple[str, str]] = {}
    chosen: list[str] = []
    for category in sorted(by_category):
        records = sorted(by_category[category], key=lambda r: r["id"])
        picked = rng.sample(records, min(per_category, len(records)))
        for record in picked:
            title = record["title"]
            text = f"{title}\n\n{record['text']}" if title else record["text"]
            articles[record["id"]] = (category, text)
        chosen += rng.sample(sorted(r["id"] for r in picked), min(queries, len(picked)))
    return Sample(articles, chosen)


def write_files(folder: Path, sample: Sample) -> None:
    """One ``<docid>.txt`` per article; a folder holding exactly those is reused."""
    names = {f"{docid}.txt" for docid in sample.articles}
    if folder.is_dir() and {p.name for p in folder.iterdir()} == names:
        return
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for docid, (_, text) in sample.articles.items():
        (folder / f"{docid}.txt").write_text(text, encoding="utf-8")


def build_whoosh(folder: Path, articles: Path) -> None:
    """The relevance harness's whoosh peer, its body stored for ``more_like``."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import CharsetFilter, StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.support.charset import accent_map

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    analyzer = StandardAnalyzer() | CharsetFilter(accent_map)
    schema = Schema(docid=ID(stored=True, unique=True), body=TEXT(analyzer=analyzer, stored=True))
    writer = whoosh_index.create_in(folder, schema).writer(procs=1, limitmb=256)
    for path in sorted(articles.glob("*.txt")):
        writer.add_document(docid=path.stem, body=path.read_text(encoding="utf-8"))
    writer.commit()


Neighbours = Callable[[str], list[str]]  # query docid -> neighbour docids, best first


def dvsearch_neighbours(
    searcher: Searcher, index: Path, settings: SimilarSettings, docids: list[str]
) -> Neighbours:
    """Articles loaded first, as whoosh has its stored body at hand: the time is the search's."""
    articles = {docid: load_article(index, f"{docid}.txt") for docid in docids}

    def neighbours(docid: str) -> list[str]:
        result = similar_to(searcher, articles[docid], True, TOP, settings)
        return [Path(hit.path).stem for hit in result.hits]

    return neighbours


def whoosh_neighbours(searcher: Any, numterms: int) -> Neighbours:
    def neighbours(docid: str) -> list[str]:
        docnum = searcher.document_number(docid=docid)
        hits = searcher.more_like(docnum, "body", top=TOP, numterms=numterms)
        return [hit["docid"] for hit in hits]

    return neighbours


@dataclass
class Measured:
    """Precision@10 per query and milliseconds per query, for one system."""

    precision: dict[str, float]
    milliseconds: list[float]


def measure(sample: Sample, neighbours: Neighbours) -> Measured:
    measured = Measured({}, [])
    for docid in sample.queries:
        start = time.perf_counter()
        found = [d for d in neighbours(docid) if d != docid][:TOP]
        measured.milliseconds.append((time.perf_counter() - start) * 1000)
        topic = sample.articles[docid][0]
        measured.precision[docid] = sum(sample.articles[d][0] == topic for d in found) / TOP
    return measured


def by_category(sample: Sample, measured: Measured) -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for docid, value in measured.precision.items():
        groups[sample.articles[docid][0]].append(value)
    return {category: statistics.mean(values) for category, values in sorted(groups.items())}


def report(sample: Sample, systems: dict[str, Measured], sweep: dict[str, float]) -> str:
    names = list(systems)
    tables = {name: by_category(sample, m) for name, m in systems.items()}
    size = len(sample.articles)
    per = {c: sum(1 for v in sample.articles.values() if v[0] == c) for c in tables[names[0]]}
    lines = [
        "| topic | queries | " + " | ".join(names) + " | random |",
        "| --- | ---: | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    for category in tables[names[0]]:
        count = sum(1 for q in sample.queries if sample.articles[q][0] == category)
        cells = " | ".join(f"{tables[n][category]:.3f}" for n in names)
        lines.append(f"| {category} | {count} | {cells} | {(per[category] - 1) / (size - 1):.3f} |")
    means = " | ".join(f"**{statistics.mean(systems[n].precision.values()):.3f}**" for n in names)
    chance = statistics.mean((per[sample.articles[q][0]] - 1) / (size - 1) for q in sample.queries)
    lines.append(f"| mean | {len(sample.queries)} | {means} | {chance:.3f} |")
    times = " | ".join(f"{statistics.median(systems[n].milliseconds):.1f}" for n in names)
    lines.append(f"| ms per query (p50) | | {times} | |")
    if sweep:
        lines += ["", "| dvsearch settings | mean precision@10 |", "| --- | ---: |"]
        lines += [f"| {name} | {value:.3f} |" for name, value in sweep.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 articles, 5 queries a topic")
    parser.add_argument("--per-category", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None, help="query articles per topic")
    parser.add_argument("--sweep", action="store_true", help="also try the settings in SWEEP")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "similar")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    per_category = args.per_category or (60 if args.quick else 300)
    queries = args.queries or (5 if args.quick else 20)
    out = args.out or HERE / "results" / ("similar-quick.md" if args.quick else "similar.md")
    sample = load_sample(args.shared / CORPUS, per_category, queries)
    work = args.work / f"{per_category}"
    write_files(work / "articles", sample)
    started = time.perf_counter()
    update_index(work / "articles", work / "dvsearch")
    built = time.perf_counter() - started
    build_whoosh(work / "whoosh", work / "articles")
    systems, sweep = run_systems(sample, work, args.sweep)
    text = header(sys.argv if argv is None else ["benchmarks/similar.py", *argv], sample, built)
    text += report(sample, systems, sweep)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


def run_systems(
    sample: Sample, work: Path, with_sweep: bool
) -> tuple[dict[str, Measured], dict[str, float]]:
    from whoosh import index as whoosh_index

    index = work / "dvsearch"
    systems: dict[str, Measured] = {}
    sweep: dict[str, float] = {}
    with Searcher(index) as searcher:
        settings = SWEEP if with_sweep else {"defaults": SimilarSettings()}
        for name, chosen in settings.items():
            measured = measure(sample, dvsearch_neighbours(searcher, index, chosen, sample.queries))
            sweep[name] = statistics.mean(measured.precision.values())
            if name == "defaults":
                systems[f"dvsearch similar ({searcher.engine})"] = measured
    with whoosh_index.open_dir(work / "whoosh").searcher() as searcher:
        for numterms, label in ((5, "whoosh more_like (defaults)"), (25, "whoosh, 25 terms")):
            systems[label] = measure(sample, whoosh_neighbours(searcher, numterms))
    return systems, sweep if with_sweep else {}


def header(command: list[str], sample: Sample, built: float) -> str:
    defaults = dataclasses.asdict(SimilarSettings())
    return (
        f"# Similar articles: precision@10 of same-topic neighbours on VNTC\n\n"
        f"Command: `python {' '.join(command)}` · {datetime.date.today().isoformat()} · "
        f"{os.cpu_count()} CPUs · {len(sample.articles):,} articles indexed (stratified, "
        f"seed {SEED}), {len(sample.queries)} query articles (stratified, seeded); dvsearch "
        f"index run {built:.0f} s (an unchanged index is reused); dvsearch settings "
        f"{defaults}\n\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
