"""Vietnamese word segmentation with pyvi's CRF model, loaded without scikit-learn.

pyvi's ``ViTokenizer`` imports scikit-learn (about 0.85 s) only to unpickle a wrapper around a
python-crfsuite model. We unpickle the same file with the wrapper classes stubbed out and hand
the model bytes straight to ``pycrfsuite.Tagger``: the same predictions in a fraction of the time.
The model and dictionaries are loaded once per process, on first use, and never pickled into
the index with the analyzers.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import IO, Any

_MODEL_FILE = "pyvi3.pkl"
_WORDS_FILE = "words.txt"
_INSIDE_WORD = "I_W"


class _Stub:
    """Stands in for any class the pickle names; keeps its state for us to read."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.state: Any = None

    def __setstate__(self, state: Any) -> None:
        self.state = state


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles pyvi's model while importing none of sklearn, numpy or tqdm."""

    _STUBBED = ("sklearn_crfsuite", "numpy", "pycrfsuite", "sklearn")

    def find_class(self, module: str, name: str) -> Any:
        if module.split(".")[0] in self._STUBBED:
            return _Stub
        if module == "_codecs" and name == "encode":
            import codecs

            return codecs.encode
        raise pickle.UnpicklingError(f"unexpected class {module}.{name} in pyvi's model")


def _load_model_bytes(stream: IO[bytes]) -> bytes:
    estimator = _ModelUnpickler(stream).load()
    data: bytes = estimator.state["modelfile"].state["__FILE_RESOURCE_DATA__"]
    return data


@cache
def _model_bytes() -> bytes:
    with resources.files("pyvi").joinpath("models", _MODEL_FILE).open("rb") as stream:
        return _load_model_bytes(stream)


@cache
def _tagger() -> Any:
    # The tagger reads the model from the buffer without copying it: the cached bytes above
    # stay alive for the life of the process, which keeps the tagger valid.
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(_model_bytes())
    return tagger


@cache
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """pyvi's known two- and three-syllable words, which the model uses as features."""
    text = resources.files("pyvi").joinpath("models", _WORDS_FILE).read_text(encoding="utf-8")
    bigrams: set[str] = set()
    trigrams: set[str] = set()
    for line in text.split("\n"):
        size = len(line.split(" "))
        if size == 2:
            bigrams.add(line)
        elif size == 3:
            trigrams.add(line)
    return frozenset(bigrams), frozenset(trigrams)


def _features(words: Sequence[str]) -> list[list[str]]:
    """pyvi's feature set for each position of a lowercase sentence, as the attribute names
    python-crfsuite makes of pyvi's dicts (``key:value`` for text, ``key`` for a true flag).
    Features that are always false here (the case ones) or false at a position weigh
    nothing and are left out; the tagger reads a list three times faster than dicts. Each
    pair and triple of syllables is looked up in pyvi's dictionary once, not once for each of
    the positions whose features name it.
    """
    bigrams, trigrams = _dictionary()
    pairs = [f"{a} {b}" in bigrams for a, b in itertools.pairwise(words)]
    triples = [
        f"{a} {b} {c}" in trigrams for a, b, c in zip(words, words[1:], words[2:], strict=False)
    ]
    last = len(words) - 1
    sentence = []
    for i, word in enumerate(words):
        features = ["bias", "word.lower():" + word]
        if word.isdigit():
            features.append("word.isdigit()")
        if i > 0:
            features.append("-1:word.lower():" + words[i - 1])
            if pairs[i - 1]:
                features.append("-1:word.bi_gram()")
            if i > 1 and triples[i - 2]:
                features.append("-2:word.tri_gram()")
        if i < last:
            features.append("+1:word.lower():" + words[i + 1])
            if pairs[i]:
                features.append("+1:word.bi_gram()")
            if i < last - 1 and triples[i]:
                features.append("+2:word.tri_gram()")
        sentence.append(features)
    return sentence


def segment(words: Sequence[str]) -> list[tuple[int, int]]:
    """Group a run of lowercase syllables into words; returns ``(first, last + 1)`` index spans
    of every word of two syllables or more.

    >>> segment(["ban", "dân", "vận", "tỉnh", "ủy"])
    [(1, 3), (3, 5)]
    """
    if len(words) < 2:
        return []
    return list(_segment(tuple(words)))


@lru_cache(maxsize=1 << 14)
def _segment(words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """``segment``, remembered for sentences that come again (datelines, bylines, captions,
    an agency story on two sites)."""
    labels = _tagger().tag(_features(words))
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i < len(words) and labels[i] == _INSIDE_WORD and _joinable(words[i - 1], words[i]):
            continue
        if i - start > 1:
            spans.append((start, i))
        start = i
    return tuple(spans)


def _joinable(left: str, right: str) -> bool:
    """pyvi never joins numbers into words; neither do we."""
    return not (left[0].isdigit() or right[0].isdigit())
