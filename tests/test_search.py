"""Ranking on small corpora written for each rule it must keep."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.errors import DvsearchError
from dvsearch.index.build import update_index
from dvsearch.search import searcher as search_module
from dvsearch.search.searcher import Searcher, search

from .conftest import WriteCorpus

Build = Callable[[dict[str, str]], Path]


# Unrelated articles, so that document frequencies, and with them idf, look like an archive's.
FILLER = {
    f"z-filler-{n}.txt": f"Tin {n}\n\n{text}"
    for n, text in enumerate(
        [
            "Hội Nông dân xã tổ chức tập huấn kỹ thuật chăn nuôi cho hội viên.",
            "Công an huyện tăng cường tuần tra bảo đảm trật tự an toàn xã hội.",
            "Trường tiểu học khai giảng năm học mới với nhiều hoạt động vui tươi.",
            "Ủy ban nhân dân tỉnh họp phiên thường kỳ bàn kế hoạch phát triển kinh tế.",
            "Bệnh viện đa khoa tiếp nhận thêm trang thiết bị y tế hiện đại.",
            "Đoàn thanh niên ra quân hưởng ứng tháng hành động vì môi trường.",
        ]
    )
}


def _ids(engine: str, index_dir: Path, query: str, **options: object) -> list[str]:
    hits = search(index_dir, query, limit=20, engine=engine, **options).hits
    return [Path(hit.path).stem for hit in hits]


def test_exact_accents_outrank_a_match_through_folding_only(
    build_corpus: Build, engine: str
) -> None:
    # Plain BM25 over folded syllables prefers the first article: it says "dan van" twice in
    # fewer words. Only the exact accents can put the second one on top.
    index_dir = build_corpus(
        {
            "a-dan-van-folded.txt": "Tin\n\nCông tác dẫn, văn bản dẫn văn.",
            "b-dan-van.txt": "Tin\n\nCán bộ tỉnh làm tốt công tác dân vận ở cơ sở xã.",
        }
    )
    assert _ids(engine, index_dir, "công tác dân vận") == ["b-dan-van", "a-dan-van-folded"]


def test_article_matching_an_accented_query_only_through_folding_is_not_listed(
    build_corpus: Build,
    engine: str,
) -> None:
    index_dir = build_corpus(
        {
            "a-da.txt": "Tin\n\nHội nghị đã bàn bông hoa.",
            "b-bong-da.txt": "Tin\n\nGiải bóng đá của huyện.",
        }
    )
    assert _ids(engine, index_dir, "bóng đá") == ["b-bong-da"]


def test_accented_query_finds_an_article_written_without_accents(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus({"plain.txt": "Tin\n\nPhong trao dan van kheo o xa."})
    assert _ids(engine, index_dir, "Dân vận khéo") == ["plain"]


def test_accentless_query_finds_accented_articles(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {"kheo.txt": "Phong trào\n\nPhong trào thi đua Dân vận khéo được nhân rộng."}
    )
    assert _ids(engine, index_dir, "dan van kheo") == ["kheo"]


def test_words_side_by_side_outrank_the_same_words_scattered(
    build_corpus: Build, engine: str
) -> None:
    # The scattered article is shorter and says "giao" twice: plain BM25 puts it first.
    index_dir = build_corpus(
        {
            "a-scattered.txt": "Tin\n\nGiao lưu, thông tin, giao hữu.",
            "b-adjacent.txt": "Tin\n\nTình hình giao thông ở xã trong năm nay khá tốt.",
        }
    )
    assert _ids(engine, index_dir, "giao thông") == ["b-adjacent", "a-scattered"]


def test_d_with_stroke_is_found_as_d(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus({"dang.txt": "Tin\n\nĐảng bộ tỉnh họp bàn."})
    assert _ids(engine, index_dir, "dang bo") == ["dang"]


def test_one_letter_syllables_are_searchable(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {
            "y-kien.txt": "Tin\n\nNhân dân góp ý kiến ở cơ sở.",
            "other.txt": "Tin\n\nNhân dân góp kiến nghị tại cơ sở.",
        }
    )
    assert _ids(engine, index_dir, '"ý kiến ở"') == ["y-kien"]


def test_document_code_query_finds_its_article_first(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {
            "code.txt": "Quyết định\n\nTriển khai quyết định 464 – QĐ/TU của Ban Thường vụ.",
            "other.txt": "Tin\n\nQĐ số 12 về TU và 464 hộ dân được hỗ trợ.",
        }
    )
    assert _ids(engine, index_dir, "464-QĐ/TU")[0] == "code"


def test_nfd_query_finds_the_same_as_nfc(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {
            "a.txt": "Tin\n\nBan Dân vận Tỉnh ủy họp.",
            "b.txt": "Tin\n\nHội Nông dân xã họp.",
        }
    )
    nfd = unicodedata.normalize("NFD", "Dân vận Tỉnh ủy")
    assert _ids(engine, index_dir, nfd) == _ids(engine, index_dir, "Dân vận Tỉnh ủy")


def test_old_tone_placement_query_finds_new_style_article(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus({"a.txt": "Tin\n\nThường trực Tỉnh ủy họp."})
    assert _ids(engine, index_dir, "Tỉnh uỷ") == ["a"]


def test_title_field_only_searches_titles(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {
            "in-title.txt": "Dân vận khéo ở cơ sở\n\nBài viết về phong trào.",
            "in-body.txt": "Tin trong ngày\n\nPhong trào dân vận khéo ở cơ sở.",
        }
    )
    assert _ids(engine, index_dir, "title:khéo") == ["in-title"]


def test_not_excludes_articles(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {"a.txt": "Tin\n\nDân vận khéo năm 2017.", "b.txt": "Tin\n\nDân vận khéo năm 2020."}
    )
    assert _ids(engine, index_dir, "dân vận NOT 2017") == ["b"]


def test_and_requires_both_sides(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {"a.txt": "Tin\n\nMặt trận Tổ quốc họp.", "b.txt": "Tin\n\nMặt trận Tổ quốc và dân vận."}
    )
    assert _ids(engine, index_dir, "mặt trận AND dân vận") == ["b"]


def test_quoted_phrase_requires_adjacent_words(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {"a.txt": "Tin\n\nVận động nhân dân.", "b.txt": "Tin\n\nNhân dân vận động."}
    )
    assert _ids(engine, index_dir, '"dân vận"') == ["b"]


def test_searcher_answers_many_queries_from_one_open_index(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus({"a.txt": "Tin\n\nDân vận khéo.", "b.txt": "Tin\n\nMặt trận."})
    with Searcher(index_dir, engine=engine) as searcher:
        found = [[h.id for h in searcher.search(q).hits] for q in ("dân vận", "mặt trận")]
    assert found == [["a.txt"], ["b.txt"]]


def test_seed_query_ranks_articles_with_the_words_above_the_one_without(
    seeds_index: Path, engine: str
) -> None:
    ids = _ids(engine, seeds_index, "Dân vận khéo")
    assert (sorted(ids[:4]), ids[4]) == (
        [
            "001_0e11b1891a069118",
            "002_eb21abf2a673adb1",
            "003_c32616b67ea77d11",
            "004_69e811af1379700c",
        ],
        "000_a4d017e73d7b9be0",
    )


def test_top_hit_does_not_depend_on_the_limit(seeds_index: Path, engine: str) -> None:
    with Searcher(seeds_index, engine=engine) as searcher:
        firsts = {searcher.search("Năm dân vận khéo", limit=n).hits[0].id for n in (1, 2, 10)}
    assert firsts == {"003_c32616b67ea77d11.txt"}


def test_author_name_finds_the_articles_they_wrote(seeds_index: Path, engine: str) -> None:
    assert _ids(engine, seeds_index, "Mai Trâm")[0] == "003_c32616b67ea77d11"


def test_i_and_y_spellings_find_each_other(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {"a.txt": "Tin\n\nNâng cao kĩ năng lí luận chính trị.", "b.txt": "Tin\n\nHọp bàn."}
    )
    assert (
        _ids(engine, index_dir, "kỹ năng lý luận"),
        _ids(engine, index_dir, "ky nang ly luan"),
    ) == (
        ["a"],
        ["a"],
    )


def test_a_syllable_with_the_typed_accents_outranks_one_matching_only_folded(
    build_corpus: Build,
    engine: str,
) -> None:
    # Not adjacent to the other query words, so no phrase bonus: only the exact accents of
    # "vận" tell these apart, and plain BM25 prefers the slightly shorter first article.
    index_dir = build_corpus(
        {
            "a-van-folded.txt": "Tin\n\nLãnh đạo bàn văn hóa.",
            "b-van-exact.txt": "Tin\n\nLãnh đạo nói về vận chuyển.",
            **FILLER,
        }
    )
    assert _ids(engine, index_dir, "lãnh đạo vận")[:2] == ["b-van-exact", "a-van-folded"]


# "của" is in every article; the other query words are in one of eight.
COMMON_WORD_CORPUS = {
    "a-only-common.txt": "Tin\n\nVăn bản của xã, của huyện, của tỉnh, của ngành, của sở.",
    "b-hoi-nong-dan.txt": "Tin\n\nĐại hội của Hội Nông dân huyện.",
    **{
        f"c-{n}.txt": f"Tin\n\n{text}"
        for n, text in enumerate(
            [
                "Báo cáo của Ủy ban.",
                "Ý kiến của cử tri.",
                "Kế hoạch của trường học.",
                "Quyết định của Chủ tịch.",
                "Thông báo của Công an.",
                "Lịch làm việc của Sở Y tế.",
            ]
        )
    },
}


def test_a_word_in_most_articles_does_not_list_articles_on_its_own(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus(COMMON_WORD_CORPUS)
    assert _ids(engine, index_dir, "của Hội Nông dân") == ["b-hoi-nong-dan"]


def test_a_phrase_through_a_common_word_still_matches(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(COMMON_WORD_CORPUS)
    assert _ids(engine, index_dir, '"đại hội của hội"') == ["b-hoi-nong-dan"]


def test_a_query_of_only_common_words_still_finds_articles(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus(COMMON_WORD_CORPUS)
    assert len(_ids(engine, index_dir, "của")) == len(COMMON_WORD_CORPUS)


def test_small_archives_use_whoosh_matchers_and_large_ones_the_numpy_scorer(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    with Searcher(seeds_index) as small:
        assert small.engine == "whoosh"
    monkeypatch.setattr(search_module, "SMALL_ARCHIVE", 4)
    with Searcher(seeds_index) as large, Searcher(seeds_index, engine="whoosh") as plain:
        assert large.engine == "arrays"
        for query in ("Dân vận khéo", '"Ban Dân vận"', "MTTQ"):
            ours, theirs = large.search(query), plain.search(query)
            assert [(h.id, h.passages) for h in ours.hits] == [
                (h.id, h.passages) for h in theirs.hits
            ]


_EVERY_SHAPE_OF_QUERY = (
    "dân vận",
    "dan van",
    '"Ban Dân vận"',
    "title:khéo",
    "MTTQ",
    "dân vận NOT 2017",
    "-2017",
    "mặt trận AND dân vận",
    "dân OR vận",
)


def test_an_index_without_articles_finds_nothing(tmp_path: Path, engine: str) -> None:
    (tmp_path / "articles").mkdir()
    update_index(tmp_path / "articles", tmp_path / "index")
    with Searcher(tmp_path / "index", engine=engine) as searcher:
        assert searcher.engine == engine
        for query in _EVERY_SHAPE_OF_QUERY:
            for options in ({}, {"sort": "date"}, {"since": "2019", "until": "2020"}):
                result = searcher.search(query, **options)  # type: ignore[arg-type]
                assert (result.total, result.hits) == (0, ()), (query, options)


def test_the_environment_picks_the_engine_auto_would(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.setenv(search_module.ENGINE_VARIABLE, engine)
    with Searcher(seeds_index) as chosen, Searcher(seeds_index, engine="whoosh") as named:
        assert (chosen.engine, named.engine) == (engine, "whoosh")


def test_an_unknown_engine_is_a_one_line_error(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(search_module.ENGINE_VARIABLE, "fast")
    with pytest.raises(DvsearchError) as raised:
        Searcher(seeds_index)
    assert str(raised.value) == (
        "unknown search engine 'fast' (set in DVSEARCH_ENGINE): use one of auto, whoosh, arrays"
    )


_STORY = (
    "Hội nghị dân vận khéo\n\n12/05/2022\n\n"
    "Sáng 12/5, Ban Dân vận Huyện ủy tổng kết phong trào dân vận khéo năm 2022 tại hội trường "
    "huyện, biểu dương mười hai mô hình tiêu biểu của các xã trong toàn huyện.\n\n"
    "Các đại biểu thống nhất tiếp tục nhân rộng những cách làm hay ở khu dân cư.\n"
)


def test_copies_of_an_article_are_one_hit_listing_the_others(
    tmp_path: Path, write_corpus: WriteCorpus, engine: str
) -> None:
    folder = write_corpus({"a.txt": _STORY, "c.txt": "Xã bên\n\nDân vận ở xã bên sông.\n"})
    (folder / "b-utf16.txt").write_bytes(_STORY.encode("utf-16"))
    (folder / "d-nfd.txt").write_text(unicodedata.normalize("NFD", _STORY), encoding="utf-8")
    update_index(folder, tmp_path / "index")
    result = search(tmp_path / "index", "dân vận", engine=engine)
    assert [(hit.path, hit.copies) for hit in result.hits] == [
        ("a.txt", ("b-utf16.txt", "d-nfd.txt")),
        ("c.txt", ()),
    ]
    assert result.total == 2


def test_a_date_range_counts_the_undated_matches_it_left_out(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus(
        {
            "dated.txt": _STORY,
            "undated.txt": "Tin\n\nDân vận khéo ở xã.\n",
            "x.txt": "Tin\n\nLúa.\n",
        }
    )
    ranged = search(index_dir, "dân vận", since="2022", engine=engine)
    assert ([h.path for h in ranged.hits], ranged.undated_left_out) == (["dated.txt"], 1)
    both = search(index_dir, "dân vận", since="2022", undated=True, engine=engine)
    assert (sorted(h.path for h in both.hits), both.undated_left_out) == (
        ["dated.txt", "undated.txt"],
        0,
    )
    assert search(index_dir, "dân vận", engine=engine).undated_left_out == 0
