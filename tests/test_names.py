"""Names left alone: writers' names found without ``author:``, places and people never
"corrected" into more frequent syllables (``ranking._author_clauses``, ``readings``,
``vocabulary.suggest``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.search.searcher import Searcher

BuildCorpus = Callable[[dict[str, str]], Path]

# Two bylined articles among a dozen: the author field's average length is a fraction of a
# syllable, so BM25 gives a byline almost nothing. *Lần* is far more frequent than *lan*, and
# *quê hương lần đầu* holds *hương lần* side by side, so syllable by syllable and pair by pair
# ``huong lan`` reads *hương lần*. The distractor says *Mai* and *Trâm* throughout.
_WRITERS = {
    "tram.txt": "Hội nghị dân vận\n\nTỉnh ủy tổng kết công tác dân vận năm 2019.\n\nMai Trâm\n",
    "lan.txt": "Lúa chín\n\nNông dân thu hoạch lúa sớm trước mùa mưa.\n\nHương Lan\n",
    "distractor.txt": "Hoa mai\n\nChị Trâm trồng mai. Mai nở, Trâm vui. Trâm bán mai, "
    "Trâm kể chuyện mai vàng, mai trắng cho Trâm nhỏ.\n",
    **{
        f"lan-{n}.txt": f"Tin {n}\n\nVề thăm quê hương lần đầu, lần thứ {n} sau nhiều năm, "
        f"anh kể về lần ấy.\n"
        for n in range(8)
    },
}


def _search(index_dir: Path, query: str, engine: str = "auto") -> tuple[list[str], str | None]:
    with Searcher(index_dir, engine=engine) as searcher:
        result = searcher.search(query)
    return [Path(hit.path).name for hit in result.hits], result.suggestion


@pytest.mark.parametrize("engine", ["whoosh", "arrays"])
@pytest.mark.parametrize("query", ["Mai Trâm", "mai tram"])
def test_a_writers_name_alone_ranks_her_article_first(
    build_corpus: BuildCorpus, engine: str, query: str
) -> None:
    names, _ = _search(build_corpus(_WRITERS), query, engine)
    assert names[:2] == ["tram.txt", "distractor.txt"]


def test_a_writers_name_in_an_author_query_is_not_corrected(build_corpus: BuildCorpus) -> None:
    index_dir = build_corpus(_WRITERS)
    result = CliRunner().invoke(main, ["query", 'author:"Hương Lan"', "--index", str(index_dir)])
    assert (result.exit_code, "Did you mean" in result.stdout) == (0, False)
    assert _search(index_dir, 'author:"Hương Lan"')[0] == ["lan.txt"]


def test_a_name_typed_without_accents_reads_as_the_byline_writes_it(
    build_corpus: BuildCorpus,
) -> None:
    names, suggestion = _search(build_corpus(_WRITERS), "huong lan")
    assert (names[0], suggestion) == ("lan.txt", "hương lan")


# *Trạng, trang, trắng, tráng* are each in more articles than *trăng*: the reading the archive
# holds is the fifth form of the second syllable.
_PLACES = {
    "soc-trang.txt": "Lúa Sóc Trăng\n\nNông dân tỉnh Sóc Trăng thu hoạch lúa. Ông Nguyễn Bá Cảnh "
    "thăm đồng.\n",
    "sock.txt": "Tin sốc\n\nMột tin sốc về con sóc nhỏ.\n",
    **{
        f"trang-{n}.txt": f"Tin {n}\n\n"
        + " ".join(["Tình trạng lúa.", "Trang báo.", "Áo trắng.", "Tráng men."][: 4 - n // 3])
        + " Bà cụ ngắm cảnh, bà con vui.\n"
        for n in range(9)
    },
}


def test_a_place_is_restored_from_a_later_form(build_corpus: BuildCorpus) -> None:
    assert _search(build_corpus(_PLACES), "soc trang")[1] == "sóc trăng"


def test_a_name_before_a_headlines_colon_is_restored(build_corpus: BuildCorpus) -> None:
    """``Trang:`` is not a field name: the query language reads it as a word, so must the
    suggestion."""
    index_dir = build_corpus(_PLACES)
    assert _search(index_dir, "Soc Trang: thu hoach lua")[1] == "Sóc Trăng: thu hoạch lúa"
    assert _search(index_dir, "Nguyen Ba Canh: tham dong")[1] == "Nguyễn Bá Cảnh: thăm đồng"


def test_a_field_name_stays_as_typed_in_the_suggestion(build_corpus: BuildCorpus) -> None:
    assert _search(build_corpus(_PLACES), "title:soc trang")[1] == "title:sóc trăng"


def test_a_known_word_is_not_reread_for_its_neighbour(build_corpus: BuildCorpus) -> None:
    """*Hà Tĩnh* is a word of the archive; *hà tỉnh* (Thanh Hà, tỉnh Hải Dương) and *tỉnh kỷ
    luật* stand side by side too, which once turned ``ha tinh ky luat`` into *hà tỉnh*."""
    index_dir = build_corpus(
        {
            "ha-tinh.txt": "Hà Tĩnh\n\nTỉnh Hà Tĩnh họp. Hà Tĩnh có biển đẹp.\n",
            "thanh-ha.txt": "Vải\n\nVải Thanh Hà tỉnh Hải Dương chín sớm.\n",
            **{
                f"tinh-{n}.txt": f"Tin {n}\n\nỦy ban tỉnh kỷ luật cán bộ xã {n} của tỉnh.\n"
                for n in range(4)
            },
        }
    )
    assert _search(index_dir, "ha tinh ky luat")[1] == "hà tĩnh kỷ luật"
