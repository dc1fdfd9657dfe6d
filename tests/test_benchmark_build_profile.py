"""The build profile in benchmarks/: how a profile's time is split into the build's parts."""

from __future__ import annotations

import argparse

from tests.conftest import benchmark_script

ANALYSIS = ("/x/dvsearch/analysis.py", 10, "__call__")
WHOOSH = ("/x/whoosh/writing.py", 20, "add_document")
TRANSLATE = ("~", 0, "<method 'translate' of 'str' objects>")
TAG = ("~", 0, "<method 'tag' of 'pycrfsuite._pycrfsuite.Tagger' objects>")
FEATURES = ("/x/dvsearch/vietnamese/segmentation.py", 87, "_features")


def test_functions_are_grouped_by_where_their_code_lives() -> None:
    profile = benchmark_script("build_profile")
    assert profile.group_of(FEATURES) == "word segmentation: the features pyvi's model reads"
    assert profile.group_of(("/x/dvsearch/vietnamese/text.py", 1, "fold")).startswith("syllables")
    assert profile.group_of(WHOOSH).startswith("whoosh")
    assert profile.group_of(TAG) == profile.CRF
    segment = ("/x/dvsearch/vietnamese/segmentation.py", 135, "_segment")
    assert profile.group_of(segment) == profile.CRF  # the Cython tagger runs inside it
    assert profile.group_of(TRANSLATE) is None  # charged to its callers
    assert profile.group_of(("/usr/lib/python3.11/json/decoder.py", 1, "decode")) == profile.OTHER


def test_a_builtin_is_charged_to_its_callers_by_the_time_each_spent_in_it() -> None:
    profile = benchmark_script("build_profile")
    stats = {
        ANALYSIS: (1, 1, 1.0, 2.0, {}),
        WHOOSH: (1, 1, 2.0, 3.0, {}),
        TRANSLATE: (3, 3, 0.6, 0.6, {ANALYSIS: (2, 2, 0.4, 0.4), WHOOSH: (1, 1, 0.2, 0.2)}),
        TAG: (5, 5, 0.5, 0.5, {FEATURES: (5, 5, 0.5, 0.5)}),
    }
    shares = profile.stage_seconds(stats)
    assert shares[profile.group_of(ANALYSIS)] == 1.4
    assert abs(shares[profile.group_of(WHOOSH)] - 2.2) < 1e-9
    assert shares[profile.CRF] == 0.5
    assert list(shares) == [profile.group_of(WHOOSH), profile.group_of(ANALYSIS), profile.CRF]
    assert abs(sum(shares.values()) - 4.1) < 1e-9  # nothing lost, nothing counted twice


def test_the_report_splits_the_plain_build_and_compares_it_with_whoosh() -> None:
    profile = benchmark_script("build_profile")
    shares = {profile.CRF: 1.0, profile.WHOOSH_PART: 3.0}
    options = argparse.Namespace(articles=100)
    report = profile.render(options, 100, 300_000, whoosh=2.0, plain=8.0, shares=shares)
    assert "| dvsearch (`update_index`, fsync off) | 8.00 | 12 | 0.25 |" in report
    assert f"| {profile.CRF} | 25.0% | 2.00 | 1.00 |" in report
    assert "Word segmentation (pyvi's model and its features) is 25% of the build" in report
    assert "whoosh's own code inside dvsearch's build: ≈ 6.00 s" in report
