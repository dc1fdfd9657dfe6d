"""The ``fragments`` collection: a few consecutive words remembered from an article's body.

A user who remembers "phát hiện thi thể không đầu" from an article types it to find the article
again. Each query is a run of 4 to 7 consecutive words of one sentence of the body (the text
after the abstract) of one judged vietnews article; the article is the one relevant document.
Words are Vietnamese words as pyvi segments them (*thi thể*, *Quảng Nam* are one word each), so a
fragment starts and ends at a word boundary, never inside a name or a compound. The length,
the sentence and the place are drawn with a seed fixed per article, so the same article gives
the same fragment on every run. The articles are those the ``vietnews`` collection samples at
the same scale, so the two collections run on the same ``vietnews`` index.

pyvi is imported here, not dvsearch: the benchmark must not share a bug with what it measures.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache

LENGTHS = (4, 7)  # words in a fragment, both ends in
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_TOKEN_BEFORE = re.compile(r"\S+$")  # what is written right before a fragment, unspaced
_TOKEN_AFTER = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_Span = tuple[int, int, bool]  # a word's start and end in its sentence; whether it has a letter


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


def draw_fragment(
    body: str, rng: random.Random, words_of: Callable[[str], list[_Span]] | None = None
) -> str | None:
    """A run of 4 to 7 words of one sentence of ``body``, at most one of them without a letter
    (a number, a code), cut from the text as written; None when no sentence has one.

    Sentences are tried in a random order, so only the one a fragment comes from is segmented.
    """
    words_of = words_of or pyvi_words
    length = rng.randint(*LENGTHS)
    sentences = [s for s in _SENTENCE_END.split(body) if len(s.split()) >= length]
    rng.shuffle(sentences)
    for sentence in sentences:
        spans = words_of(sentence)
        starts = [
            i
            for i in range(len(spans) - length + 1)
            if sum(1 for _, _, lettered in spans[i : i + length] if not lettered) <= 1
            and _whole(sentence, spans[i][0], spans[i + length - 1][1])
        ]
        if starts:
            start = rng.choice(starts)
            return sentence[spans[start][0] : spans[start + length - 1][1]]
    return None


def _whole(sentence: str, start: int, end: int) -> bool:
    """Whether ``sentence[start:end]`` cuts no token of the text as written: pyvi splits
    ``14/5`` into three, and a fragment must not begin with the ``5``."""
    before = _TOKEN_BEFORE.search(sentence, 0, start)
    after = _TOKEN_AFTER.match(sentence, end)
    cut_before = before is not None and _ALNUM.search(before.group()) is not None
    cut_after = after is not None and _ALNUM.search(after.group()) is not None
    return not (cut_before or cut_after)


def pyvi_words(sentence: str) -> list[_Span]:
    """The words of a sentence as pyvi segments them, as spans of the sentence (punctuation
    left out); empty when pyvi's output cannot be found again in the sentence."""
    spans: list[_Span] = []
    cursor = 0
    for token in _tokenizer()(sentence).split():
        if not _ALNUM.search(token):
            cursor = max(cursor, sentence.find(token, cursor) + len(token))
            continue
        start = end = -1
        for piece in token.split("_"):
            found = sentence.find(piece, cursor)
            if found < 0:
                return []
            start = found if start < 0 else start
            end = cursor = found + len(piece)
        spans.append((start, end, _LETTER.search(token) is not None))
    return spans


@cache
def _tokenizer() -> Callable[[str], str]:
    from pyvi import ViTokenizer  # 0.8 s: only when fragments are drawn

    tokenize: Callable[[str], str] = ViTokenizer.tokenize
    return tokenize
