"""The ``fragments`` collection: a few consecutive words remembered from an article's body.

A user who remembers "phát hiện thi thể không đầu" from an article types it to find the article
again. Each query is a run of 4 to 7 consecutive words of the body (the text after the abstract)
of one judged vietnews article, the length and the place drawn with a seed fixed per article,
so the same article gives the same fragment on every run; the article is the one relevant
document. The articles are those the ``vietnews`` collection samples at the same scale, so the
two collections run on the same ``vietnews`` index.
"""

from __future__ import annotations

import random
import re

LENGTHS = (4, 7)  # words in a fragment, both ends in
_LETTER = re.compile(r"[^\W\d_]")
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
_SENTENCE_END = re.compile(r"[.!?…]$")


def fragment_queries(bodies: dict[str, str], seed: int) -> dict[str, tuple[str, str]]:
    """``{qid: (fragment, docid)}``, one fragment per article that has a window to draw from."""
    queries = {}
    for docid, text in bodies.items():
        fragment = draw_fragment(body_of(text), random.Random(f"{seed}-{docid}"))
        if fragment is not None:
            queries[f"frag-{docid}"] = (fragment, docid)
    return queries


def body_of(text: str) -> str:
    """The body of a vietnews article's text (abstract, blank line, body); all of it without
    an abstract."""
    _, separator, body = text.partition("\n\n")
    return body if separator and body.strip() else text


def draw_fragment(body: str, rng: random.Random) -> str | None:
    """A run of 4 to 7 words of ``body``, inside one sentence and mostly words rather than
    numbers or punctuation, with the punctuation at its two ends dropped; None when the body
    has no such run of the length drawn."""
    length = rng.randint(*LENGTHS)
    words = body.split()
    starts = [i for i in range(len(words) - length + 1) if _rememberable(words[i : i + length])]
    if not starts:
        return None
    start = rng.choice(starts)
    return _EDGE_PUNCTUATION.sub("", " ".join(words[start : start + length]))


def _rememberable(window: list[str]) -> bool:
    """No sentence ends inside the window, and at most one of its words has no letter."""
    if any(_SENTENCE_END.search(word) for word in window[:-1]):
        return False
    return sum(1 for word in window if not _LETTER.search(word)) <= 1
