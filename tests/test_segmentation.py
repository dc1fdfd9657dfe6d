"""pyvi's model, loaded without scikit-learn, segments as pyvi does."""

from __future__ import annotations

import subprocess
import sys

from dvsearch.vietnamese.segmentation import segment

from .conftest import SEEDS


def test_segment_finds_compound_words() -> None:
    words = ["ban", "dân", "vận", "tỉnh", "ủy", "tổ", "chức", "hội", "nghị"]
    assert ["_".join(words[a:b]) for a, b in segment(words)] == [
        "dân_vận",
        "tỉnh_ủy",
        "tổ_chức",
        "hội_nghị",
    ]


def test_segment_agrees_with_pyvi_on_lowercase_text() -> None:
    from pyvi import ViTokenizer

    sentence = "hội nghị tổng kết công tác dân vận năm 2020 triển khai nhiệm vụ năm 2021"
    words = sentence.split()
    ours = ["_".join(words[a:b]) for a, b in segment(words)]
    theirs = [w for w in ViTokenizer.tokenize(sentence).split() if "_" in w]
    assert ours == theirs


def test_numbers_are_never_joined_into_words() -> None:
    assert segment(["năm", "2020"]) == []


def test_segmenting_does_not_import_scikit_learn() -> None:
    code = (
        "import sys; from dvsearch.vietnamese.segmentation import segment; segment(['dân', 'vận']);"
        "print('sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_segment_agrees_with_pyvi_on_every_run_of_the_seeds() -> None:
    """Every run of plain syllables between punctuation in the seeds, through pyvi's own
    tokenizer and through ours."""
    from pyvi import ViTokenizer

    from dvsearch.vietnamese.syllables import syllables

    compared = 0
    for seed in sorted(SEEDS.iterdir()):
        runs: list[list[str]] = []
        for syllable in syllables(seed.read_text(encoding="utf-8")):
            if syllable.breaks or not runs:
                runs.append([])
            runs[-1].append(syllable.exact)
        for words in runs:
            if len(words) < 2 or not all(word.isalpha() for word in words):
                continue
            ours = ["_".join(words[a:b]) for a, b in segment(words)]
            theirs = [w for w in ViTokenizer.tokenize(" ".join(words)).split() if "_" in w]
            assert ours == theirs, words
            compared += 1
    assert compared > 100


def _pyvi_attributes(features: dict[str, object]) -> list[str]:
    """pyvi's feature dict as the attribute names python-crfsuite makes of it, less those of
    weight zero (false flags)."""
    names = []
    for key, value in features.items():
        if isinstance(value, str):
            names.append(f"{key}:{value}")
        elif value:
            names.append(key)
    return names


def test_features_are_pyvis_for_every_run_of_the_seeds() -> None:
    from pyvi.ViTokenizer import ViTokenizer

    from dvsearch.vietnamese.segmentation import _features
    from dvsearch.vietnamese.syllables import syllables

    runs: list[list[str]] = [["dân"], ["năm", "2020", "dân", "vận"]]
    for seed in sorted(SEEDS.iterdir()):
        for syllable in syllables(seed.read_text(encoding="utf-8")):
            if syllable.breaks or len(runs) == 2:
                runs.append([])
            runs[-1].append(syllable.exact)
    for words in runs:
        theirs = [_pyvi_attributes(f) for f in ViTokenizer.sent2features(words, False)]
        assert _features(words) == theirs
    assert sum(len(words) > 2 for words in runs) > 100


def test_a_sentence_seen_before_is_segmented_the_same() -> None:
    words = ["hội", "nghị", "tổng", "kết", "công", "tác", "dân", "vận"]
    first = segment(words)
    assert segment(list(words)) == first == [(0, 2), (2, 4), (4, 6), (6, 8)]
