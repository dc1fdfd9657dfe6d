"""A small names query set: writers' names and place names, searched by dvsearch.

- ``authors``: every single-writer byline dvsearch extracts from the VNTC articles (the index's
  author field; about 150 of 21,873 articles have one), queried by the name alone, as written
  (``Đoàn Loan``) and without accents (``Doan Loan``); relevant: the articles whose byline holds
  the name. MRR@10 and the share of queries with a relevant article in the top 10.
- ``places``: the vietnews headlines (``vietnews/eval``) naming a province or city, typed without
  accents; ``kept`` is the share whose restored reading (the ``Did you mean`` line, or the query
  itself when nothing is restored) writes the place as the headline does (``Sóc Trăng``, not
  *sóc trạng*); MRR@10 of the accentless form against the written one.

Run by hand from the repository root (about eight minutes the first time, which indexes the
bylined articles and 1,500 other VNTC articles, and the judged articles of those headlines and
700 others, under ``benchmarks/work/names``; two minutes after):

    python benchmarks/relevance_names.py [-v]

The figures of the author clause in ``dvsearch/search/ranking.py`` and of the name readings in
``dvsearch/search/readings.py`` come from it. Until ``relevance.py`` grows such a set, this is
the only measure of name queries.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from relevance_data import (
    SCALES,
    VIETNEWS_CORPUS,
    _file_text,
    _records,
    load_collection,
    write_articles,
)
from relevance_forms import no_accents

from dvsearch.index.build import update_index
from dvsearch.index.catalog import CatalogFilter, list_articles
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.text import normalize

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / "work" / "names"
VNTC_CORPUS = "vntc/corpus.jsonl"
AUTHOR_OTHERS = 1500
PLACE_OTHERS = 700
SEED = 7
NAME_SYLLABLES = (2, 4)

# The 63 provinces and cities (before the 2025 mergers), as the press writes them.
PLACES = (
    "An Giang", "Bà Rịa", "Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng",
    "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Hồ Chí Minh", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

Ranker = Callable[[str], list[str]]  # query -> the top ten docids


def bylined_ids() -> list[str]:
    """The VNTC articles whose byline dvsearch extracts (parsing all 21,873 takes ~30 s)."""
    from dvsearch.articles.parsing import parse_article

    found = []
    with (SHARED / VNTC_CORPUS).open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = _file_text(record, with_title=True)
            if parse_article(text, record["id"], f"{record['id']}.txt").author:
                found.append(record["id"])
    return found


def build(name: str, docs: dict[str, str], keep: set[str]) -> Path:
    """An index of the ``keep`` articles of ``docs``, built once under the work folder."""
    index, built = WORK / name / "index", WORK / name / "built"
    if not built.exists():
        folder = WORK / name / "articles"
        write_articles(folder, {d: t for d, t in docs.items() if d in keep})
        update_index(folder, index)
        built.touch()
    return index


def author_index() -> Path:
    """The bylined VNTC articles and ``AUTHOR_OTHERS`` more, with their headlines."""
    records = _records(SHARED, (VNTC_CORPUS,), with_title=True)
    if (WORK / "authors" / "built").exists():
        return build("authors", records, set())
    bylined = set(bylined_ids())
    rest = sorted(set(records) - bylined)
    keep = bylined | set(random.Random(SEED).sample(rest, AUTHOR_OTHERS))
    return build("authors", records, keep)


def author_queries(index: Path) -> dict[str, set[str]]:
    """Each single writer's name (2-4 capitalised syllables) -> the articles it signs."""
    names = {a.author for a in list_articles(index) if a.author}
    queries = {}
    for name in sorted(names):
        words = name.split()
        if not NAME_SYLLABLES[0] <= len(words) <= NAME_SYLLABLES[1]:
            continue
        if not all(w[:1].isupper() and w.isalpha() for w in words):
            continue
        signed = list_articles(index, CatalogFilter(author=name))
        queries[name] = {Path(a.path).stem for a in signed}
    return queries


def place_queries() -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    """``(qid -> headline, qid -> place it names, qid -> judged docids)`` for the headlines
    naming a province or city."""
    collection = load_collection(SHARED, "vietnews", SCALES["full"], None)
    patterns = [(p, re.compile(rf"(?<!\w){re.escape(normalize(p))}(?!\w)")) for p in PLACES]
    headlines, places = {}, {}
    for qid, text in collection.queries.items():
        found = next((p for p, pattern in patterns if pattern.search(normalize(text))), None)
        if found is not None:
            headlines[qid], places[qid] = text, found
    return headlines, places, {q: set(collection.qrels[q]) for q in headlines}


def place_index(judged: set[str]) -> Path:
    """The judged articles and ``PLACE_OTHERS`` more, body only (as in relevance.py)."""
    records = _records(SHARED, (VIETNEWS_CORPUS,), with_title=False)
    rest = sorted(set(records) - judged)
    keep = judged | set(random.Random(SEED).sample(rest, PLACE_OTHERS))
    return build("places", records, keep)


def reciprocal_rank(top: list[str], relevant: set[str]) -> float:
    return next((1 / rank for rank, d in enumerate(top, 1) if d in relevant), 0.0)


def ranker(searcher: Searcher) -> Ranker:
    def top(query: str) -> list[str]:
        hits = searcher.search(query, limit=10, passages=0).hits
        return [Path(h.path).stem for h in hits]

    return top


def run_authors(verbose: bool) -> None:
    index = author_index()
    queries = author_queries(index)
    with Searcher(index, engine="arrays") as searcher:
        top = ranker(searcher)
        for form in ("written", "no_accents"):
            ranks = []
            for name, signed in queries.items():
                query = name if form == "written" else no_accents(name, name)
                ranks.append(reciprocal_rank(top(query), signed))
                if verbose:
                    print(f"  authors {form} {ranks[-1]:.2f} {query} ({len(signed)})")
            found = sum(1 for r in ranks if r) / len(ranks)
            mrr = sum(ranks) / len(ranks)
            print(f"authors {form}: {len(ranks)} names, MRR@10 {mrr:.3f}, top 10 {found:.3f}")


def run_places(verbose: bool) -> None:
    headlines, places, qrels = place_queries()
    index = place_index({d for docs in qrels.values() for d in docs})
    with Searcher(index, engine="arrays") as searcher:
        top = ranker(searcher)
        written = [reciprocal_rank(top(text), qrels[q]) for q, text in headlines.items()]
        kept, plain = [], []
        for qid, text in headlines.items():
            typed = no_accents(text, qid)
            result = searcher.search(typed, limit=10, passages=0)
            reading = normalize(result.suggestion or typed).lower()
            kept.append(normalize(places[qid]).lower() in reading)
            stems = [Path(h.path).stem for h in result.hits]
            plain.append(reciprocal_rank(stems, qrels[qid]))
            if verbose:
                print(f"  places {kept[-1]} {plain[-1]:.2f} {places[qid]}: {reading}")
    count = len(headlines)
    print(
        f"places: {count} headlines, kept {sum(kept) / count:.3f}, MRR@10 no_accents "
        f"{sum(plain) / count:.3f}, written {sum(written) / count:.3f}"
    )


def main(verbose: bool) -> None:
    """Print the figures of each set (and each query's with ``verbose``)."""
    run_authors(verbose)
    run_places(verbose)


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
