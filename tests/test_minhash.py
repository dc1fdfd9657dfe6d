"""The plain-Python signer gives exactly the signature numpy's gives."""

from __future__ import annotations

import random
import unicodedata

import numpy as np

from dvsearch.articles.duplicates import article_signature
from dvsearch.articles.minhash import (
    BINS,
    PROBE_TABLE,
    PROBES,
    SIGNATURE_VERSION,
    plain_signature_json,
)

_SYLLABLES = [
    "hòa",
    "bình",
    "thủy",
    "lợi",
    "ủy",
    "ban",
    "khỏe",
    "tỉnh",
    "huyện",
    "xã",
    "dân",
    "vận",
    "Ðảng",
    "ỦY",
    "2024",
    "漢字",
    "한국어",
    "😀",
]


def test_the_probe_table_is_what_the_seeded_generator_draws() -> None:
    drawn = np.random.default_rng(SIGNATURE_VERSION).integers(0, BINS, (PROBES, BINS))
    assert drawn.astype(np.uint8).tobytes() == PROBE_TABLE


def test_plain_and_numpy_signatures_are_the_same() -> None:
    """Short and long texts (empty bins densified, or none), NFD marks, punctuation, CJK,
    Hangul and characters beyond the BMP."""
    chooser = random.Random(5)
    texts = ["", "một", "a, b; c.", "x\u0301y"]
    for words in (2, 40, 60, 200, 900, 3000):
        text = " ".join(chooser.choice(_SYLLABLES) for _ in range(words))
        texts += [text, unicodedata.normalize("NFD", text), text.replace(" ", ", ")]
    for text in texts:
        assert plain_signature_json(text) == article_signature(text).to_json()
