"""Restoring accents and repairing typos from the index's own vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.index.build import saved_vocabulary
from dvsearch.index.vocabulary_table import build_vocabulary
from dvsearch.search.searcher import search
from dvsearch.search.vocabulary import Vocabulary, suggest
from dvsearch.vietnamese.syllables import syllables

from .conftest import WriteCorpus

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


MEETINGS = _vocabulary(
    {"hội": 9, "nghị": 9, "tổng": 5, "kết": 5, "có": 20, "cos": 1, "năm": 8, "2024": 3},
    {"hoi_nghi": 9, "hội_nghị": 9, "tong_ket": 5, "tổng_kết": 5},
)


def test_telex_keystrokes_are_decoded_when_the_index_knows_the_syllables() -> None:
    restored = MEETINGS.restore(syllables("hooij nghij toongr keets"))
    assert (restored.exact, restored.corrected) == (
        ("hội", "nghị", "tổng", "kết"),
        (True, True, True, True),
    )


def test_vni_keystrokes_are_decoded_and_suggested_in_the_typed_case() -> None:
    assert suggest(MEETINGS, "Ho65i nghi5 to63ng ke61t") == "Hội nghị tổng kết"


def test_a_word_the_index_knows_as_typed_is_not_decoded() -> None:
    # "cos" is in an article: alone it is a word, not the keystrokes of "có".
    assert suggest(MEETINGS, "cos") is None


def test_numbers_and_document_codes_are_left_as_typed() -> None:
    assert suggest(MEETINGS, "464-QĐ/TU năm 2024") is None


def test_transposed_letters_are_repaired_keeping_the_typed_accents() -> None:
    restored = VOCABULARY.restore(syllables("giao thôgn"))
    assert (restored.exact, restored.corrected) == (("giao", "thông"), (False, True))


def test_a_tone_the_index_never_has_on_those_letters_is_repaired() -> None:
    restored = MEETINGS.restore(syllables("hội nghĩ"))
    assert (restored.exact, restored.corrected) == (("hội", "nghị"), (False, True))


def test_a_rare_correctly_accented_word_is_left_alone() -> None:
    vocabulary = _vocabulary({"hội": 9, "nghị": 9, "nghĩ": 1}, {"hoi_nghi": 9, "hội_nghị": 9})
    assert suggest(vocabulary, "hội nghĩ") is None


def test_telex_query_finds_the_article_and_says_what_it_read(
    write_corpus: WriteCorpus, tmp_path: Path
) -> None:
    # Typed as keystrokes the words match nothing; decoded, the meeting article comes before
    # the one that only shares "nghị".
    seeds = write_corpus(
        {
            "a-nghi-quyet.txt": "Nghị quyết\n\nNghị quyết về kinh tế, nghị quyết về xã hội.",
            "b-hoi-nghi.txt": "Hội nghị\n\nHội nghị tổng kết công tác năm của tỉnh.",
        }
    )
    CliRunner().invoke(main, ["index", "--seeds", str(seeds), "--index", str(tmp_path / "i")])
    result = CliRunner().invoke(main, ["query", "hooij nghij", "--index", str(tmp_path / "i")])
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[0], lines[1]) == (
        0,
        "Did you mean: hội nghị",
        "1. Hội nghị",
    )


def test_accented_typo_query_finds_the_article_with_the_repaired_word(
    build_corpus: Build,
) -> None:
    # Without the repair the typed "côgn" matches nothing and the short article repeating
    # "tác" wins.
    index_dir = build_corpus(
        {
            "a-tac.txt": "Tin\n\nTác giả, tác phẩm, tác động.",
            "b-cong-tac.txt": "Tin\n\nCán bộ làm công tác ở xã vùng cao của huyện miền núi.",
        }
    )
    assert search(index_dir, "côgn tác", limit=2).hits[0].id == "b-cong-tac.txt"
