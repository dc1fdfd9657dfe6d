"""A query of raw Telex or VNI keystrokes, or with a typo, ranked as the text it means."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dvsearch.index.vocabulary_table import build_vocabulary
from dvsearch.search.searcher import search
from dvsearch.search.vocabulary import (
    Vocabulary,
    parse_vocabulary,
    read_as_meant,
    vocabulary_json,
)

Build = Callable[[dict[str, str]], Path]


def _vocabulary(syllable_counts: dict[str, int]) -> Vocabulary:
    built = build_vocabulary(syllable_counts.items(), [])
    return parse_vocabulary(vocabulary_json(built))


MEETINGS = _vocabulary({"hội": 9, "nghị": 9, "năm": 8, "2024": 3, "cos": 1, "có": 20})


def test_keystrokes_are_written_as_the_syllables_they_spell_in_the_typed_case() -> None:
    assert read_as_meant(MEETINGS, "Hooij nghij nawm 2024") == "Hội nghị năm 2024"


def test_vni_digits_are_read_but_a_number_is_left_as_typed() -> None:
    assert read_as_meant(MEETINGS, "Ho65i nghi5 na8m 2024") == "Hội nghị năm 2024"


def test_a_typo_is_written_repaired_and_a_known_word_left_alone() -> None:
    assert read_as_meant(MEETINGS, "hội nghjị năm 2024") == "hội nghị năm 2024"


def test_a_query_without_keystrokes_is_not_rewritten() -> None:
    assert read_as_meant(MEETINGS, "hoi nghi cos") is None


def test_operators_field_names_and_kept_spans_stay_as_typed() -> None:
    text = "title:hooij OR nghij NAWM"
    kept = [(text.index("NAWM"), len(text))]
    assert read_as_meant(MEETINGS, text, kept) == "title:hội OR nghị NAWM"


def test_a_keyless_word_in_a_telex_query_means_no_accents(build_corpus: Build) -> None:
    # "nhu caauf" is "nhu cầu". Scored as a guess beside the typed letters, "nhu" was read as
    # the frequent "như" and the article repeating "như cầu" won; read as typed, "nhu" is bare.
    index_dir = build_corpus(
        {
            "a-nhu.txt": "Tin\n\nNhư cầu vồng sau cơn mưa, như cầu nối giữa hai bờ, như vậy.",
            "b-nhu-cau.txt": "Tin\n\nNhu cầu nhà ở của người dân tăng nhanh trong năm nay.",
        }
    )
    assert [h.id for h in search(index_dir, "nhu caauf").hits] == ["b-nhu-cau.txt", "a-nhu.txt"]


def test_a_repaired_typo_scores_its_pair_with_the_neighbour(build_corpus: Build) -> None:
    # Scored only as a lone term beside the typed "côgn", the repaired "công" did not pair
    # with "tác", and the short article with both words apart won.
    index_dir = build_corpus(
        {
            "a-cong-ty.txt": "Tin\n\nCông ty in tác phẩm, công nhân đọc tác phẩm, công viên.",
            "b-cong-tac.txt": "Tin\n\nCán bộ làm công tác ở xã vùng cao của huyện miền núi,"
            " gần dân, hiểu dân, nói dân nghe.",
        }
    )
    hits = search(index_dir, "côgn tác").hits
    assert [h.id for h in hits] == ["b-cong-tac.txt", "a-cong-ty.txt"]


def test_a_rewritten_query_says_so_however_many_articles_it_finds(build_corpus: Build) -> None:
    # An accented query finding several articles offered no "Did you mean", yet its typo was
    # ranked as repaired: the user must see the reading the results are for.
    index_dir = build_corpus(
        {f"{n}-cong-tac.txt": f"Tin {n}\n\nCông tác dân vận ở xã số {n}." for n in range(4)}
    )
    result = search(index_dir, "côgn tác dân vận")
    assert len(result.hits) == 4
    assert result.suggestion == "công tác dân vận"
    assert search(index_dir, "công tác dân vận").suggestion is None
