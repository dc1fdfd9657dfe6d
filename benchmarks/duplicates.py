"""Copies among the shared news articles: what the duplicate signatures find, and at what cost.

Run by hand from the repository root:

    python benchmarks/duplicates.py                  # vntc + vietnews, 37,873 articles: ~5 min
    python benchmarks/duplicates.py --limit 2000     # the first 2,000 files
    python benchmarks/duplicates.py --folder seeds   # any folder of article files

The articles are written as files under the work folder (the data is licensed for evaluation
only: nothing of it enters the repository, and this prints paths, never text), with planted
copies of a sample: a UTF-16 copy (identical text) and an NFD copy with a footer (a near
copy). Every file is read as the indexer reads it, signed, and grouped; the report gives the
counts, the cost of a signature, and example pairs with their exact Jaccard similarity so a
person can check them by eye.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from relevance_data import news_articles, write_articles

from dvsearch.articles.duplicates import (
    THRESHOLD,
    Signature,
    article_signature,
    group_duplicates,
    similar_pairs,
)
from dvsearch.articles.files import decode_article, iter_article_files, read_article_bytes
from dvsearch.articles.parsing import parse_article
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.text import bare_letters

ROOT = Path(__file__).resolve().parents[1]
SEED = 42
PLANTED = 100  # articles given two planted copies each
EXAMPLES = 5
BELOW = 0.5  # pairs from here up to the threshold are shown as "just below"
_FOOTER = "\n\nTheo Báo Mẫu\nBản quyền thuộc về Báo Mẫu. Ghi rõ nguồn khi phát hành lại thông tin."
_WORD = re.compile(r"[^\W_]+")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report."""
    options = parse_args(sys.argv[1:] if argv is None else argv)
    folder = options.folder or write_news(options.shared / "data", options.work, options.limit)
    bodies = read_bodies(folder, options.limit if options.folder else None)
    signatures = sign(bodies)
    started = time.perf_counter()
    groups = group_duplicates(signatures)
    print(f"grouping: {time.perf_counter() - started:.2f} s for {len(signatures):,} signatures")
    report_groups(groups, signatures)
    report_planted(groups, signatures)
    report_pairs(bodies, signatures)
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line; see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="a folder of article files instead")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "duplicates")
    return parser.parse_args(argv)


# ---------------------------------------------------------------- the articles


def write_news(data: Path, work: Path, limit: int | None) -> Path:
    """The news articles as ``news/<docid>.txt``, plus planted copies under ``planted/``."""
    docs = news_articles(data)
    if limit is not None:
        docs = dict(list(docs.items())[:limit])
    folder = work / f"news-{limit or 'all'}"
    write_articles(folder / "news", docs)
    planted = folder / "planted"
    planted.mkdir(exist_ok=True)
    for docid in random.Random(SEED).sample(sorted(docs), min(PLANTED, len(docs))):
        (planted / f"{docid}.utf16.txt").write_bytes(docs[docid].encode("utf-16"))
        nfd = unicodedata.normalize("NFD", docs[docid] + _FOOTER)
        (planted / f"{docid}.nfd.txt").write_text(nfd, encoding="utf-8")
    return folder


def read_bodies(folder: Path, limit: int | None) -> dict[str, str]:
    """``{relative path: cleaned body}`` of every readable article file, as the indexer reads it."""
    started = time.perf_counter()
    bodies: dict[str, str] = {}
    for path in iter_article_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            text = decode_article(read_article_bytes(path), relative)
            bodies[relative] = parse_article(text, path.stem, relative).body
        except UnreadableArticleError as error:
            print(error, file=sys.stderr)
        if limit is not None and len(bodies) >= limit:
            break
    words = sum(len(body.split()) for body in bodies.values()) / max(1, len(bodies))
    print(f"articles: {len(bodies):,} in '{folder}', {words:.0f} words on average")
    print(f"reading and parsing: {time.perf_counter() - started:.1f} s")
    return bodies


def sign(bodies: dict[str, str]) -> dict[str, Signature]:
    """Every body's signature, timed (process time: the machine may be shared)."""
    article_signature("warm up the letter table")
    wall, cpu = time.perf_counter(), time.process_time()
    signatures = {key: article_signature(body) for key, body in bodies.items()}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = max(1, len(bodies))
    words = sum(len(body.split()) for body in bodies.values()) / count
    per_article = cpu / count * 1e6
    print(
        f"signatures: {per_article:.0f} µs CPU per article ({per_article * 500 / words:.0f} µs "
        f"per 500 words), {wall / count * 1e6:.0f} µs wall; "
        f"{sum(len(s.to_json()) for s in signatures.values()) / count:.0f} bytes as JSON"
    )
    return signatures


# ---------------------------------------------------------------- the report


def report_groups(groups: dict[str, str], signatures: dict[str, Signature]) -> None:
    """Groups, copies, and how many copies have the same normalised text as their primary."""
    exact = sum(
        signatures[copy].digest == signatures[first].digest for copy, first in groups.items()
    )
    print(f"groups with copies: {len(set(groups.values())):,}")
    print(f"copies: {len(groups):,} (exact {exact:,}, near {len(groups) - exact:,})")
    short = sum(not signature.minima for signature in signatures.values())
    print(f"short texts (grouped only when identical): {short:,}")


def report_planted(groups: dict[str, str], signatures: dict[str, Signature]) -> None:
    """How many planted copies landed in their original's group."""
    planted = [key for key in signatures if key.startswith("planted/")]
    if not planted:
        return
    found = 0
    for key in planted:
        original = "news/" + key.removeprefix("planted/").split(".")[0] + ".txt"
        found += groups.get(key, key) == groups.get(original, original)
    print(f"planted copies grouped with their original: {found} of {len(planted)}")


def report_pairs(bodies: dict[str, str], signatures: dict[str, Signature]) -> None:
    """Example near pairs at and just below the threshold, with their exact similarity."""
    unplanted = {k: s for k, s in signatures.items() if not k.startswith("planted/")}
    pairs = [
        (first, second, value)
        for first, second, value in similar_pairs(unplanted, BELOW)
        if unplanted[first].digest != unplanted[second].digest
    ]
    histogram = [sum(low <= v < low + 0.05 for *_, v in pairs) for low in _steps()]
    print("\nnear pairs by estimated similarity (from", BELOW, "by 0.05):", histogram)
    for label, low, high in (("near copies", THRESHOLD, 1.01), ("just below", BELOW, THRESHOLD)):
        chosen = [pair for pair in pairs if low <= pair[2] < high]
        print(f"\n{label} (estimated {low:.2f} to {min(high, 1):.2f}): {len(chosen):,} pairs")
        for first, second, value in _sample(chosen):
            exact = exact_jaccard(bodies[first], bodies[second])
            print(f"  {value:.3f} estimated, {exact:.3f} exact  {first}  {second}")


def _steps() -> list[float]:
    return [BELOW + 0.05 * step for step in range(round((1 - BELOW) / 0.05) + 1)]


def _sample(pairs: list[tuple[str, str, float]]) -> Iterator[tuple[str, str, float]]:
    chosen = random.Random(SEED).sample(pairs, min(EXAMPLES, len(pairs)))
    yield from sorted(chosen, key=lambda pair: -pair[2])


def exact_jaccard(first: str, second: str) -> float:
    """The Jaccard similarity of two texts' 3-word shingle sets, computed plainly."""
    a, b = _shingle_set(first), _shingle_set(second)
    return len(a & b) / max(1, len(a | b))


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(bare_letters(text))
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


if __name__ == "__main__":
    sys.exit(main())
