"""Restoring accents and repairing typos from the index's own vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dvsearch.index.build import saved_vocabulary
from dvsearch.search.searcher import search
from dvsearch.search.vocabulary import Vocabulary, build_vocabulary, suggest
from dvsearch.vietnamese.syllables import syllables

Build = Callable[[dict[str, str]], Path]


def _vocabulary(syllable_counts: dict[str, int], compound_counts: dict[str, int]) -> Vocabulary:
    from dvsearch.search.vocabulary import parse_vocabulary, vocabulary_json

    built = build_vocabulary(syllable_counts.items(), compound_counts.items())
    return parse_vocabulary(vocabulary_json(built))


VOCABULARY = _vocabulary(
    {
        "dân": 9,
        "dẫn": 3,
        "vận": 9,
        "văn": 5,
        "khéo": 4,
        "giao": 6,
        "giáo": 8,
        "thông": 7,
        "không": 9,
    },
    {"dan_van": 9, "dân_vận": 9, "giao_thong": 5, "giao_thông": 5, "giao_ban": 2},
)


def test_accentless_words_get_the_accents_of_the_known_compound() -> None:
    assert VOCABULARY.restore(syllables("dan van kheo")).exact == ("dân", "vận", "khéo")


def test_typed_accents_are_kept() -> None:
    assert VOCABULARY.restore(syllables("dẫn van")).exact[0] == "dẫn"


def test_an_accentless_compound_keeps_its_bare_letters() -> None:
    assert VOCABULARY.restore(syllables("giao ban")).exact == ("giao", "ban")


def test_typo_is_repaired_to_the_syllable_that_forms_a_known_word() -> None:
    restored = VOCABULARY.restore(syllables("giao thongg"))
    assert (restored.exact, restored.corrected) == (("giao", "thông"), (False, True))


def test_suggestion_keeps_the_typed_case_and_operators() -> None:
    assert suggest(VOCABULARY, "Dan van AND kheo") == "Dân vận AND khéo"


def test_no_suggestion_when_nothing_would_change() -> None:
    assert suggest(VOCABULARY, "dân vận khéo") is None


def test_index_writes_a_vocabulary_of_its_articles(build_corpus: Build) -> None:
    index_dir = build_corpus({"a.txt": "Tin\n\nPhong trào dân vận khéo ở cơ sở."})
    vocabulary = saved_vocabulary(index_dir)
    assert vocabulary is not None
    assert suggest(vocabulary, "phong trao dan van kheo") == "phong trào dân vận khéo"


def test_accentless_query_prefers_the_accents_the_archive_uses(build_corpus: Build) -> None:
    # Folded, the short article saying "dẫn văn" twice wins on plain BM25; the archive
    # writes "dân vận" far more often, so the restored accents put that article first.
    index_dir = build_corpus(
        {
            "a-short.txt": "Tin\n\nÔng dẫn văn bản, dẫn văn.",
            "b-dan-van.txt": "Tin\n\nCán bộ tỉnh làm tốt công tác dân vận ở các thôn bản.",
            "c.txt": "Tin\n\nPhong trào dân vận khéo.",
            "d.txt": "Tin\n\nBan Dân vận họp.",
            "e.txt": "Tin\n\nDân vận chính quyền.",
        }
    )
    ranked = [Path(hit.path).stem for hit in search(index_dir, "dan van", limit=5).hits]
    assert ranked.index("b-dan-van") < ranked.index("a-short")


def test_typo_query_finds_the_article_with_the_repaired_word(build_corpus: Build) -> None:
    index_dir = build_corpus(
        {
            "a-giao.txt": "Tin\n\nGiao lưu, giao hữu, bàn giao.",
            "b-giao-thong.txt": "Tin\n\nĐường giao thông nông thôn được nâng cấp ở huyện.",
        }
    )
    assert search(index_dir, "giao thongg", limit=2).hits[0].id == "b-giao-thong.txt"
