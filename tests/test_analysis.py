"""The analyzers: syllables with exact offsets, folding, compounds independent of case."""

from __future__ import annotations

import pickle
import random
import unicodedata
from pathlib import Path

import pytest

from dvsearch.analysis import COMPOUND, EXACT, FOLDED
from dvsearch.vietnamese.syllables import Syllable, TextParts, syllables, syllables_among
from dvsearch.vietnamese.text import folded_form

from .conftest import SEEDS


def _texts(analyzer: object, text: str) -> list[str]:
    return [token.text for token in analyzer(text)]  # type: ignore[operator]


@pytest.mark.parametrize("seed", sorted(SEEDS.iterdir()), ids=lambda p: p.name[:3])
def test_every_seed_token_offset_points_at_text_that_folds_to_the_token(seed: object) -> None:
    text = seed.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    mismatches = [
        (token.text, text[token.startchar : token.endchar])
        for token in FOLDED(text, positions=True, chars=True)
        if folded_form(text[token.startchar : token.endchar]) != token.text
    ]
    assert mismatches == []


def test_offsets_point_into_nfd_original_text() -> None:
    text = unicodedata.normalize("NFD", "Ban Dân vận Tỉnh uỷ")
    tokens = [
        (t.text, folded_form(text[t.startchar : t.endchar])) for t in FOLDED(text, chars=True)
    ]
    assert tokens == [
        ("ban", "ban"),
        ("dan", "dan"),
        ("van", "van"),
        ("tinh", "tinh"),
        ("uy", "uy"),
    ]


def test_folded_analyzer_keeps_one_letter_syllables() -> None:
    assert _texts(FOLDED, "ý kiến ở cơ sở") == ["y", "kien", "o", "co", "so"]


def test_document_codes_and_grouped_numbers_stay_searchable() -> None:
    assert _texts(FOLDED, "Quyết định 464-QĐ/TU: 1.635 mô hình") == [
        "quyet",
        "dinh",
        "464",
        "qd",
        "tu",
        "1.635",
        "mo",
        "hinh",
    ]


def test_exact_analyzer_keeps_accents_and_unifies_tone_placement() -> None:
    assert _texts(EXACT, "Tỉnh uỷ Hoà Bình") == ["tỉnh", "ủy", "hòa", "bình"]


def test_no_english_stop_words_are_dropped() -> None:
    assert _texts(FOLDED, "An the and of a") == ["an", "the", "and", "of", "a"]


def test_compounds_are_joined_folded_and_with_their_accents() -> None:
    assert _texts(COMPOUND, "Dân vận Tỉnh ủy") == ["dan_van", "dân_vận", "tinh_uy", "tỉnh_ủy"]


def test_a_syllable_pyvi_leaves_alone_is_a_word_folded_only() -> None:
    assert _texts(COMPOUND, "Ban Dân vận họp") == ["ban", "dan_van", "dân_vận", "hop"]


def test_compounds_do_not_depend_on_capital_letters() -> None:
    lower = _texts(COMPOUND, "công nghệ thông tin")
    assert (_texts(COMPOUND, "Công Nghệ Thông Tin"), _texts(COMPOUND, "CÔNG NGHỆ THÔNG TIN")) == (
        lower,
        lower,
    )


def test_compounds_never_cross_punctuation() -> None:
    assert (_texts(COMPOUND, "Dân vận"), _texts(COMPOUND, "Dân. Vận")) == (
        ["dan_van", "dân_vận"],
        ["dan", "van"],
    )


def test_compound_sits_at_the_position_of_its_first_syllable() -> None:
    tokens = [(t.text, t.pos) for t in COMPOUND("Ban Dân vận", positions=True)]
    assert tokens == [("ban", 0), ("dan_van", 1), ("dân_vận", 1)]


def test_analyzers_survive_pickling_into_the_index_schema() -> None:
    assert pickle.loads(pickle.dumps(COMPOUND)) == COMPOUND


def test_syllables_report_typed_accents() -> None:
    assert [(s.exact, s.folded, s.accented) for s in syllables("Dân van")] == [
        ("dân", "dan", True),
        ("van", "van", False),
    ]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_syllables_are_what_the_exact_analyzer_indexes(form: str) -> None:
    for seed in sorted(SEEDS.iterdir()):
        text = unicodedata.normalize(form, seed.read_text(encoding="utf-8"))
        expected = [(t.text, t.startchar, t.endchar, t.breaks) for t in EXACT(text, chars=True)]
        assert [(s.exact, s.start, s.end, s.breaks) for s in syllables(text)] == expected


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_syllables_among_a_set_are_those_syllables_picks(form: str) -> None:
    chance = random.Random(5)
    for seed in sorted(SEEDS.iterdir()):
        text = unicodedata.normalize(form, seed.read_text(encoding="utf-8"))
        every = syllables(text)
        for size in (1, 3, 12):
            wanted = frozenset(s.folded for s in chance.sample(every, size))
            expected = [s for s in every if s.folded in wanted]
            assert syllables_among(text, wanted) == expected


def _expected_compounds(text: str) -> list[tuple[str, int, int, int]]:
    """The spec of ``COMPOUND``: pyvi's words in each run of syllables between breaks, in
    order, at the place of their first syllable: a compound folded and, when different,
    accented; a syllable outside every compound folded."""
    from dvsearch.vietnamese.segmentation import segment
    from dvsearch.vietnamese.syllables import compound_term, exact_compound_term

    every = syllables(text)
    runs: list[list[tuple[int, Syllable]]] = []
    for pos, syllable in enumerate(every):
        if not runs or syllable.breaks:
            runs.append([])
        runs[-1].append((pos, syllable))
    expected = []
    for run in runs:
        words = [s.exact for _, s in run]
        compounds = {first: last for first, last in segment(words)}
        first = 0
        while first < len(words):
            last = compounds.get(first, first + 1)
            pos, start, end = run[first][0], run[first][1].start, run[last - 1][1].end
            forms = [compound_term(words[first:last])]
            forms += [exact_compound_term(words[first:last])] if last - first > 1 else []
            for term in dict.fromkeys(forms):
                expected.append((term, pos, start, end))
            first = last
    return expected


@pytest.mark.parametrize("seed", sorted(SEEDS.iterdir()), ids=lambda p: p.name[:3])
def test_compounds_stand_where_their_syllables_do(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    found = [
        (t.text, t.pos, t.startchar, t.endchar) for t in COMPOUND(text, positions=True, chars=True)
    ]
    assert found == _expected_compounds(text)
    assert len(found) > 50


@pytest.mark.parametrize("analyzer", [COMPOUND, EXACT], ids=["compound", "exact"])
def test_text_parts_read_as_the_texts_joined_by_a_line_break(analyzer: object) -> None:
    for seed in sorted(SEEDS.iterdir()):
        title, _, body = seed.read_text(encoding="utf-8").partition("\n")
        for parts in [(title, body), ("", body), (title, ""), ("Ban Dân", "vận tỉnh")]:

            def tokens(value: object) -> list[tuple[str, int, int, int, bool]]:
                return [
                    (t.text, t.pos, t.startchar, t.endchar, t.breaks)
                    for t in analyzer(value, positions=True, chars=True)  # type: ignore[operator]
                ]

            assert tokens(TextParts(*parts)) == tokens("\n".join(parts))


def _places_of_tokens(analyzer: object, text: str) -> dict[str, list[int]]:
    places: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True):  # type: ignore[operator]
        places.setdefault(token.text, []).append(token.pos)
    return places


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_term_places_are_what_the_positional_analyzers_index(form: str) -> None:
    """The shortcut positions fields take (``SyllableTokenizer.term_places``) against the
    token streams of ``EXACT`` and ``FOLDED``, order of first occurrence included."""
    texts = ["", "Dân dan DÂN vận, 1.635 Tỉnh uỷ 464-QĐ/TU"]
    texts += [seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.iterdir())]
    for text in (unicodedata.normalize(form, text) for text in texts):
        shortcut = (EXACT.term_places(text, ()), FOLDED[0].term_places(text, FOLDED[1:]))
        expected = (_places_of_tokens(EXACT, text), _places_of_tokens(FOLDED, text))
        assert [list(places.items()) for places in shortcut] == [
            list(places.items()) for places in expected
        ]


def test_term_places_leave_other_filters_to_the_token_stream() -> None:
    assert COMPOUND[0].term_places("Ban Dân vận", COMPOUND[1:]) is None
    assert EXACT.term_places("Dân dan", ()) == {"dân": [0], "dan": [1]}


def test_positions_fields_index_the_same_values_with_and_without_the_shortcut() -> None:
    """``CompactPositions.word_values`` through the shortcut and through whoosh's tokens."""
    from dvsearch.engine.postings import CompactPositions

    text = next(iter(sorted(SEEDS.iterdir()))).read_text(encoding="utf-8")
    for analyzer in (EXACT, FOLDED):
        fast = list(CompactPositions().word_values(text, analyzer, mode="index"))
        # any option besides the mode takes whoosh's token stream
        plain = list(CompactPositions().word_values(text, analyzer, mode="index", chars=False))
        assert fast == plain
        assert len(fast) > 50


def _counts_of_tokens(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for token in COMPOUND(text):
        counts[token.text] = counts.get(token.text, 0) + 1
    return counts


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_term_counts_are_what_the_compound_analyzer_indexes(form: str) -> None:
    """The shortcut the words field takes (``SyllableTokenizer.term_counts``) against the
    token stream of ``COMPOUND``, order of first occurrence included, parts and all."""
    texts: list[str] = ["", "Ban Dân vận, ban dân vận tỉnh ủy. Dân vận"]
    texts += [seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.iterdir())]
    for text in (unicodedata.normalize(form, text) for text in texts):
        title, _, body = text.partition("\n")
        for value in (text, TextParts(title, body), TextParts("", body), TextParts("Ban", "Dân")):
            shortcut = COMPOUND[0].term_counts(value, COMPOUND[1:])
            assert list(shortcut.items()) == list(_counts_of_tokens(value).items())


def test_term_counts_leave_other_filters_to_the_token_stream() -> None:
    assert FOLDED[0].term_counts("Ban Dân vận", FOLDED[1:]) is None
    assert EXACT.term_counts("Ban Dân vận", ()) is None
    assert COMPOUND[0].term_counts("Ban Dân vận, ban", COMPOUND[1:]) == {
        "ban": 2,
        "dan_van": 1,
        "dân_vận": 1,
    }


def _scanned_by_matching(value: str) -> list[tuple[str, str, int, int, bool]]:
    """``scan`` as matching each syllable finds it (how it was written before splitting)."""
    from dvsearch.vietnamese.syllables import _SYLLABLE
    from dvsearch.vietnamese.text import normalize

    found: list[tuple[str, str, int, int, bool]] = []
    previous_end = 0
    for match in _SYLLABLE.finditer(value):
        gap = value[previous_end : match.start()]
        breaks = (bool(found) and not gap.isspace()) or "\n" in gap
        found.append((normalize(match.group()), match.group(), *match.span(), breaks))
        previous_end = match.end()
    return found


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_scan_splits_as_matching_each_syllable_finds(form: str) -> None:
    from dvsearch.vietnamese.syllables import scan

    texts = ["", "a", " a", "\n a  b", "1.635abc 3,5km.x\n\ny ", "...", "Tỉnh uỷ 464-QĐ/TU"]
    texts += [seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.iterdir())]
    for text in (unicodedata.normalize(form, text) for text in texts):
        assert list(scan(text)) == _scanned_by_matching(text)
