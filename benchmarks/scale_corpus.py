"""A simulated archive larger than the real one, recombined from the real news articles.

The largest real corpus holds 37,773 articles; the scale curve needs a point past it (150k) to
show how cost grows. A simulated article is made like this, with one seeded ``random.Random``
(``scale-<SEED>``), so the same size always gives byte for byte the same files:

1. a **template** article is drawn uniformly from the real corpus: it gives the number of body
   paragraphs (lines after the headline) and the length in characters of each, so paragraph
   counts and lengths follow the real distribution, vntc's many short paragraphs and vietnews's
   abstract-and-body alike;
2. each paragraph is **refilled**: a real body paragraph is drawn uniformly from every body
   paragraph of the corpus and its sentences taken from the start, then the sentences of
   further drawn paragraphs, until the template paragraph's length is reached, or as near as
   whole sentences come (a sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space);
   every word is a real word in real context, so vocabulary, syllables and phrases stay
   Vietnamese;
3. the **headline** is the headline of another uniformly drawn real article;
4. the file's **date** (its modification time) is drawn uniformly between 2005-01-01 and
   2020-12-31, the span of the two sources, so an archive sorted by date is not sorted by id.

What this does not simulate: new vocabulary. Every term of the archive is a term of the real
corpus, where a real archive four times larger would hold more distinct terms (Heaps' law), so
the term dictionary is smaller than a real one's; posting lists and positions, most of an
index, grow as they would. (Below the real size it is the other way round: the sentences of a
small simulated sample come from the whole corpus, so it has more distinct terms than a real
sample of that size.) Templates come from articles with a body only, and a paragraph may end
a part of a sentence past its template, so simulated articles run a little longer on average.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from speed_corpus import SEED, Corpus, Documents, fingerprint

PREFIX = "sim"
RECIPE = "recipe-1"  # bump when the way articles are made changes: old folders are rewritten
FIRST_DATE = datetime(2005, 1, 1, tzinfo=UTC).timestamp()
LAST_DATE = datetime(2020, 12, 31, tzinfo=UTC).timestamp()
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def split_article(text: str) -> tuple[str, list[str]]:
    """``(headline, body paragraphs)`` of an article file: its first line, then every other
    non-empty line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return (lines[0], lines[1:]) if lines else ("", [])


def simulated_documents(real: Documents, size: int) -> Iterator[tuple[str, str]]:
    """``size`` simulated ``(docid, text)`` articles made from ``real``, one at a time (150k of
    them would take some 700 MB held in memory at once); see the module docstring."""
    split = [split_article(real[docid]) for docid in sorted(real)]
    titles = [title for title, _ in split if title]
    templates = [[len(p) for p in body] for _, body in split if body]
    pool = [paragraph for _, body in split for paragraph in body]
    del split
    draw = random.Random(f"scale-{SEED}")
    width = len(str(size))
    for number in range(size):
        yield f"{PREFIX}-{number:0{width}d}", _article(draw, titles, templates, pool)


def _article(
    draw: random.Random, titles: list[str], templates: list[list[int]], pool: list[str]
) -> str:
    lengths = draw.choice(templates)
    body = [_paragraph(draw, pool, length) for length in lengths]
    return draw.choice(titles) + "\n\n" + "\n".join(body) + "\n"


def _paragraph(draw: random.Random, pool: list[str], length: int) -> str:
    """Whole sentences from the starts of drawn paragraphs, as close to ``length`` characters
    as whole sentences come (at least one sentence)."""
    taken: list[str] = []
    size = -1  # the spaces between sentences: one fewer than the sentences
    while True:
        for sentence in _sentences(draw.choice(pool)):
            longer = size + 1 + len(sentence)
            if taken and longer - length > length - size:
                return " ".join(taken)  # this sentence would overshoot more than stopping short
            taken.append(sentence)
            size = longer
            if size >= length:
                return " ".join(taken)


def _sentences(paragraph: str) -> Iterator[str]:
    return (s for s in _SENTENCE_END.split(paragraph) if s)


def file_date(docid: str) -> float:
    """The modification time of a simulated article, seeded by its id."""
    return FIRST_DATE + random.Random(docid).random() * (LAST_DATE - FIRST_DATE)


def prepare_simulated(real: Documents, size: int, folder: Path) -> Corpus:
    """Write the simulated archive of ``size`` articles, dated, in ``folder`` as article files,
    or reuse the folder when a fingerprint beside it says it holds exactly these.

    Generation is deterministic, so the fingerprint is that of its inputs: the real articles,
    the size and this module's recipe version.
    """
    marker = folder.with_name(folder.name + ".fingerprint")
    digest = f"{RECIPE}-{size}-{fingerprint(real)}"
    if marker.is_file() and marker.read_text(encoding="utf-8") == digest:
        files = list(folder.glob("*.txt"))
        if len(files) == size:
            return Corpus(folder.name, folder, size, sum(f.stat().st_size for f in files), True)
    marker.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = 0
    for docid, text in simulated_documents(real, size):
        path = folder / f"{docid}.txt"
        written += path.write_bytes(text.encode("utf-8"))
        os.utime(path, (file_date(docid), file_date(docid)))
    marker.write_text(digest, encoding="utf-8")
    return Corpus(folder.name, folder, size, written, False)
