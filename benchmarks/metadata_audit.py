"""How truthful the metadata dvsearch reads off real articles is: dates, their years, authors.

Reads the shared corpora at run time (evaluation only: nothing of them is written into the
repository) and writes each article as the harnesses do, title line, blank line, text:

    python benchmarks/metadata_audit.py                       # vntc and vietnews, all articles
    python benchmarks/metadata_audit.py --sample 2000 --save benchmarks/work/before.json
    python benchmarks/metadata_audit.py --sample 2000 --compare benchmarks/work/before.json

``--compare`` prints the authors and dates that changed since the saved run, a few per corpus.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

from dvsearch.articles.parsing import Article, parse_article
from dvsearch.errors import UnreadableArticleError

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CORPORA = ("vntc", "vietnews")
YEARS = range(1990, 2027)  # what a Vietnamese news archive can plausibly cover
SEED = 42
Record = dict[str, str | None]


def main(argv: list[str] | None = None) -> int:
    """Print the figures per corpus; optionally save them or compare with a saved run."""
    args = _parse_args(argv)
    saved = json.loads(Path(args.compare).read_text(encoding="utf-8")) if args.compare else {}
    results: dict[str, dict[str, Record]] = {}
    for corpus in args.corpora.split(","):
        results[corpus] = dict(_parsed(args.shared / corpus / "corpus.jsonl", args.sample))
        print(_summary(corpus, results[corpus]))
        if corpus in saved:
            print(_changes(saved[corpus], results[corpus], args.show))
    if args.save:
        Path(args.save).parent.mkdir(parents=True, exist_ok=True)
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--sample", type=int, default=None, help="articles per corpus (seed 42)")
    parser.add_argument("--save", help="write every article's metadata to this JSON file")
    parser.add_argument("--compare", help="a file written by --save: print what changed")
    parser.add_argument("--show", type=int, default=15, help="changes printed per field")
    return parser.parse_args(argv)


def _parsed(path: Path, sample: int | None) -> Iterator[tuple[str, Record]]:
    """``(id, metadata)`` of each article read as an article file."""
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    if sample is not None and sample < len(records):
        records = random.Random(SEED).sample(records, sample)
    for record in records:
        text = f"{record['title']}\n\n{record['text']}" if record["title"] else record["text"]
        try:
            article = parse_article(text, record["id"], f"{record['id']}.txt")
        except UnreadableArticleError:
            continue
        yield record["id"], _metadata(article)


def _metadata(article: Article) -> Record:
    return {
        "title": article.title,
        "published": article.published,
        "page_date": article.page_date,
        "author": article.author,
        "source": article.source,
    }


def _summary(corpus: str, articles: dict[str, Record]) -> str:
    dated = [meta["published"] for meta in articles.values() if meta["published"]]
    outside = [day for day in dated if int(day[:4]) not in YEARS]
    authors = sum(1 for meta in articles.values() if meta["author"])
    sources = sum(1 for meta in articles.values() if meta["source"])
    return (
        f"{corpus}: {len(articles)} articles, {len(dated)} dated, {len(outside)} dated outside"
        f" {YEARS.start}-{YEARS.stop - 1}, {authors} with an author, {sources} with a source"
    )


def _changes(before: dict[str, Record], after: dict[str, Record], show: int) -> str:
    lines: list[str] = []
    for field in ("published", "author", "source", "title"):
        changed = [
            (key, before[key][field], meta[field])
            for key, meta in after.items()
            if key in before and before[key][field] != meta[field]
        ]
        lines.append(f"  {field}: {len(changed)} changed")
        lines += [f"    {key}: {old!r} -> {new!r}" for key, old, new in changed[:show]]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
