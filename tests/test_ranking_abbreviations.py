"""Abbreviations rank and show like typed words; author names rank without ``author:``.

Each corpus holds a distractor that wins without the technique under test; every test runs
on both engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dvsearch.index.build import update_index
from dvsearch.search.searcher import Searcher, SearchResult

from .conftest import WriteCorpus

Build = Callable[[dict[str, str]], Path]
# Articles that give the index ordinary statistics: most words rare, no author.
_FILLER = {
    f"filler-{n:02d}.txt": f"Tin vắn {n}\n\nBuổi sáng số {n} trời nắng, người dân đi chợ sớm."
    for n in range(12)
}


def _search(index_dir: Path, engine: str, query: str) -> SearchResult:
    with Searcher(index_dir, engine=engine) as searcher:
        return searcher.search(query, limit=10)


def _first(index_dir: Path, engine: str, query: str) -> str:
    return Path(_search(index_dir, engine, query).hits[0].path).stem


def test_abbreviation_typed_finds_the_article_with_the_expansion_first(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus(
        {
            **_FILLER,
            "long.txt": "Tin\n\nỦy ban nhân dân tỉnh Hà Giang họp bàn kế hoạch năm tới "
            "với các sở, ngành và địa phương trong tỉnh.",
            "repeats.txt": "Tin\n\nTỉnh Hà Giang mưa to. Tỉnh Hà Giang rét.",
        }
    )
    assert _first(index_dir, engine, "UBND tỉnh Hà Giang") == "long"


def test_expansion_typed_finds_the_article_with_the_abbreviation_first(
    build_corpus: Build, engine: str
) -> None:
    index_dir = build_corpus(
        {
            **_FILLER,
            "short.txt": "Tin\n\nUBND tỉnh Hà Giang họp bàn kế hoạch năm tới "
            "với các sở, ngành và địa phương trong tỉnh.",
            "other.txt": "Tin\n\nBan dân vận tỉnh Hà Giang họp.",
        }
    )
    assert _first(index_dir, engine, "Ủy ban nhân dân tỉnh Hà Giang") == "short"


def test_hit_found_through_an_expansion_shows_a_passage(build_corpus: Build, engine: str) -> None:
    index_dir = build_corpus(
        {**_FILLER, "front.txt": "Tin\n\nMặt trận Tổ quốc xã mở ngày hội đại đoàn kết."}
    )
    hit = _search(index_dir, engine, "MTTQ").hits[0]
    passage = hit.passages[0]
    assert [passage.text[s.start : s.end] for s in passage.spans] == ["Mặt trận Tổ quốc"]


def _with_user_abbreviation(write_corpus: WriteCorpus, tmp_path: Path) -> Path:
    folder = write_corpus(
        {
            **_FILLER,
            "dak.txt": "Tin\n\nĐắk Lắk và Đắk Nông có mưa. Đắk Lắk rét.",
            "khéo.txt": "Tin\n\nPhong trào dân vận khéo lan rộng khắp xã.",
        }
    )
    (folder / "abbreviations.tsv").write_text("DVK\tdân vận khéo\n", encoding="utf-8")
    update_index(folder, tmp_path / "index")
    return tmp_path / "index"


def test_user_abbreviation_is_searched_as_its_expansion_and_never_corrected(
    write_corpus: WriteCorpus, tmp_path: Path, engine: str
) -> None:
    result = _search(_with_user_abbreviation(write_corpus, tmp_path), engine, "DVK")
    assert ([Path(h.path).stem for h in result.hits], result.suggestion) == (["khéo"], None)


def test_suggestion_restores_words_around_an_abbreviation_but_not_it(
    write_corpus: WriteCorpus, tmp_path: Path, engine: str
) -> None:
    index_dir = _with_user_abbreviation(write_corpus, tmp_path)
    assert _search(index_dir, engine, "DVK lan rong").suggestion == "DVK lan rộng"


def test_author_name_typed_as_plain_words_finds_her_article_first(
    build_corpus: Build, engine: str
) -> None:
    # Few articles have an author, so BM25's length normalisation makes an author field's
    # two words weigh little beside a body that mentions them.
    index_dir = build_corpus(
        {
            **_FILLER,
            "hers.txt": "Tin\n\nHội nghị tổng kết công tác năm của huyện diễn ra sáng nay.\n\n"
            "Mai Trâm",
            "flowers.txt": "Tin\n\nHoa mai nở sớm. Cây trâm bầu ven sông, ngày mai trời đẹp.",
        }
    )
    hers = _search(index_dir, engine, "Mai Trâm").hits
    assert (Path(hers[0].path).stem, hers[0].author) == ("hers", "Mai Trâm")


def test_document_code_query_finds_the_article_citing_it_with_the_code_highlighted(
    build_corpus: Build, engine: str
) -> None:
    """The letters of a code are not expanded: read as *quyết định* and *tỉnh ủy*, the code
    put first an article that says those words over and over and cites another decision."""
    index_dir = build_corpus(
        {
            **_FILLER,
            "code.txt": "Tin\n\nHuyện triển khai 464-QĐ/TU về công tác dân vận năm nay.",
            "decisions.txt": "Quyết định của Tỉnh ủy\n\nTỉnh ủy ra quyết định 12. Quyết định "
            "của Tỉnh ủy về 464 hộ dân. Tỉnh ủy họp, quyết định nhân sự.",
        }
    )
    hit = _search(index_dir, engine, "464-QĐ/TU").hits[0]
    passage = hit.passages[0]
    spans = [passage.text[s.start : s.end] for s in passage.spans]
    assert (Path(hit.path).stem, spans) == ("code", ["464", "QĐ", "TU"])


_EXPANSIONS = {"quyết định": "quyet dinh", "tỉnh ủy": "tinh uy", "nghị quyết": "nghi quyet"}


@pytest.mark.parametrize(
    ("typed", "expanded"),
    [
        ("464-QĐ/TU", []),
        ("18-NQ/TW ban hành", []),
        ("QĐ 464", ["quyết định"]),
        ("QĐ-TU", ["quyết định", "tỉnh ủy"]),
    ],
)
def test_the_letters_of_a_numbered_code_are_not_expanded(typed: str, expanded: list[str]) -> None:
    """Scored, required and highlighted alike: a code's letters are an identifier's."""
    from dvsearch.search.query import parse_query
    from dvsearch.search.ranking import QueryBuilder
    from dvsearch.vietnamese.abbreviations import Expander, load_table

    builder = QueryBuilder(Expander(load_table()))
    clause = parse_query(typed)
    built = str(builder.build(clause)) + str(builder.all_words(clause))
    searched = [form for form, folded in _EXPANSIONS.items() if f'"{folded}"' in built]
    runs = [" ".join(s.exact for s in run) for run in builder.reading_runs(clause)]
    assert (searched, runs) == (expanded, expanded)


@pytest.mark.parametrize(
    ("typed", "neighbour_pair"),
    [("HĐND-UBND tỉnh", None), ("quyết định 464 QĐ của tỉnh", '"464 quyet"')],
)
def test_an_abbreviation_joined_to_a_neighbour_is_read_as_one_phrase(
    typed: str, neighbour_pair: str | None
) -> None:
    """Articles never write an expansion with a neighbour joined to its abbreviation beside
    it: scoring pairs such as "dân tỉnh" for ``HĐND-UBND tỉnh`` only cost time."""
    from dvsearch.search.query import parse_query
    from dvsearch.search.ranking import QueryBuilder
    from dvsearch.vietnamese.abbreviations import Expander, load_table

    built = str(QueryBuilder(Expander(load_table())).build(parse_query(typed)))
    assert '"quyet dinh"' in built or '"uy ban nhan dan"' in built  # searched either way
    assert ('"dan tinh"' in built, neighbour_pair is None or neighbour_pair in built) == (
        False,
        True,
    )


def _built(typed: str, share: Callable[[str], float] | None = None) -> str:
    from dvsearch.search.query import parse_query
    from dvsearch.search.ranking import QueryBuilder
    from dvsearch.vietnamese.abbreviations import Expander, load_table

    return str(
        QueryBuilder(Expander(load_table()), share_of_articles=share).build(parse_query(typed))
    )


def test_a_reading_checks_phrases_only_across_the_edges_of_its_form() -> None:
    """Inside the required *Ủy ban nhân dân* every pair holds where the form does: its pairs
    weigh on the form's terms, and a phrase is checked only for *dân tỉnh*, not in bylines."""
    built = _built("UBND tỉnh")
    assert ('body:"dan tinh"' in built, 'author:"dan tinh"' in built) == (True, False)
    assert [pair in built for pair in ('"uy ban"', '"ban nhan"', '"nhân dân"')] == [False] * 3


@pytest.mark.parametrize(("articles_with_mttq", "read"), [(0.0, False), (0.01, True)])
def test_a_form_no_article_holds_is_searched_without_a_reading(
    articles_with_mttq: float, read: bool
) -> None:
    built = _built("Mặt trận Tổ quốc tỉnh", lambda w: articles_with_mttq if w == "mttq" else 0.1)
    assert "body:mttq" in built  # found by its term either way
    assert ('"mttq tinh"' in built) == read


def test_a_query_s_abbreviations_are_looked_for_once() -> None:
    """The scored query, the every-words query, the passages and the suggestion all ask."""
    from dvsearch.search.query import parse_query
    from dvsearch.search.ranking import QueryBuilder
    from dvsearch.vietnamese.abbreviations import Alternative, Expander, load_table
    from dvsearch.vietnamese.syllables import Syllable

    class CountingExpander(Expander):
        scans = 0

        def alternatives(self, query: list[Syllable], typed: str) -> Iterator[Alternative]:
            CountingExpander.scans += 1
            return super().alternatives(query, typed)

    builder = QueryBuilder(CountingExpander(load_table()))
    clause = parse_query("UBND tỉnh")
    first = str(builder.build(clause))
    builder.all_words(clause)
    builder.reading_runs(clause)
    builder.abbreviated("UBND tỉnh")
    assert (CountingExpander.scans, str(builder.build(clause)) == first) == (1, True)
