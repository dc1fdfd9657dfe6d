"""Every fast path gives the page of the plain path it stands in for: same hits, same order,
same scores (within float rounding), same passages, and the same totals where they are exact.

The shortcuts, found by reading ``dvsearch/engine``, ``dvsearch/search`` and ``dvsearch/index``
(each with the plain path this module compares it with):

1. The numpy engine (``engine/scoring.py`` over ``engine/reader.py``: postings as arrays,
   positions read block by block through a directory of file offsets, run lengths for the
   rerank from ``engine/positions.ArrayRuns``) against whoosh's own matchers with their score
   shortcuts off (``engine/matchers.py`` and ``MatcherRuns``), the reference. (Comparing
   them on a two-segment index found whoosh's AndNot slip that ``matchers.py`` now fixes.)
2. ``engine="auto"`` taking whoosh's matchers up to ``searcher.SMALL_ARCHIVE`` articles and
   the numpy engine above: each side against the reference.
3. Phrase checks limited to what can change the page (``ArrayScorer._checked_enough``: a
   first batch of ``_FIRST_BATCH`` articles, then only those whose upper bound can still reach
   the top, ``_Grouped.may_reach``) against checking every article that holds a phrase's words.
4. Estimated totals (more than ``scoring.EXACT_COUNT_LIMIT`` articles whose membership hangs on
   a phrase; ``_COUNT_SAMPLE`` of them checked): the ranking stays the reference's, the total
   is an estimate said to be one, and ``matching_articles`` (what facets count) stays exact.
   The count of undated articles a date range leaves out is estimated the same way, and then
   flagged (``undated_left_out_exact``) and shown as ``about N``.
5. The run rerank reading positions only for the candidates that can still enter the page
   (``RunRerank._may_reach_the_cut``) against reading every candidate's.
6. Per-query and per-searcher memories: a query's abbreviations looked up once
   (``QueryBuilder._alternatives``), clause results settled once per ``top`` call, and caches
   kept across queries (postings, phrase verdicts, decoded position blocks, pair look-ups,
   copies), large or squeezed to nothing, against a fresh searcher for every query.
7. The vocabulary left unloaded for a query typed with accents the index holds
   (``QueryBuilder._all_accented_and_indexed``) against always consulting it.
8. A build split over worker processes (``index/parallel.py``) against a one-process build,
   on real text (``test_parallel.py`` does a generated corpus): the same article numbers, so
   the same ties.
9. An update that adds articles against a rebuild of the same files: the same pages. One that
   changes or removes articles does not give a rebuild's pages (a strict xfail records it):
   the old versions stay in BM25's statistics (article count, term frequencies) and in what
   typo repair knows until whoosh merges their segment, as whoosh's own scorer counts them
   (``reader.doc_count``).
10. The array scorer's arithmetic shortcuts (``engine/arrays.py``: one shared empty mask and zero
   score skipped in ORs and sums, settled clauses combining one mask and one bound instead of
   two, a phrase not checked yet costing no arithmetic) against the same arithmetic done on
   every array: the same pages to the last bit of every score.

Each comparison also asserts that its shortcut was taken (checks skipped, look-ups saved, the
engine chosen), so that it cannot pass by never reaching the fast path.

Not compared, because they change results by design (speed bought with a documented
approximation, not a shortcut to the same answer): the look-up budgets of accent restoration
(``readings.LOOKUPS_PER_QUERY``, ``adjacent.COMMON_ARTICLES_READ``), stop words
(``ranking.COMMON_SHARE``), the single clause for a form no article holds (``_held``), and the
unexpanded letters of a document code (``_expanded``). whoosh's own shortcuts
(``optimize``, matcher replacement) stay off in the reference: they drop true top articles.

Corpora: the five seeds (a copy), 60 dated articles made of seed sentences (ties, near-ties,
many phrase candidates; thresholds are lowered by monkeypatching to reach the large-archive
paths), ``test_runs.py``'s fragment and distractor, and 30 real news articles from
``../shared/data`` (skipped, with the reason, when that folder is absent).
"""

from __future__ import annotations

import importlib
import io
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rich.console import Console

from dvsearch.engine import arrays, scoring
from dvsearch.engine import reader as engine_reader
from dvsearch.index import parallel
from dvsearch.index.build import update_index
from dvsearch.render import print_results
from dvsearch.search import ranking, readings, searcher
from dvsearch.search.ranking import QueryBuilder
from dvsearch.search.runs import RunRerank
from dvsearch.search.searcher import Searcher, SearchResult
from dvsearch.vietnamese.abbreviations import Expander

from .conftest import SEEDS, SHARED, index_of_articles, write_sentence_corpus
from .test_runs import ARTICLES as FRAGMENT_ARTICLES
from .test_runs import FRAGMENT

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# Single words, without accents, quoted phrases, abbreviations and codes, typos, operators,
# a field, a byline, and long runs for the rerank.
QUERIES = (
    "Dân vận khéo",
    "dan van kheo",
    '"Ban Dân vận"',
    '"công tác dân vận"',
    "UBND",
    "HĐND tỉnh",
    "MTTQ",
    "Mặt trận Tổ quốc",
    "464-QĐ/TU",
    "triên khai",
    "triển khai thực hiên",
    "tổng kềt công tác dân vận",
    "dân vận -Lang",
    "dân vận OR mặt trận",
    "title:dân vận",
    "huong lan",
    "tinh uy thanh hoa",
    "triển khai thực hiện phong trào dân vận khéo",
)
ABBREVIATED = ("UBND", "HĐND tỉnh", "MTTQ", "Mặt trận Tổ quốc", "464-QĐ/TU")
# Long enough for the run rerank (``runs.MIN_SYLLABLES``), the last typed in a row of a seed.
LONG = (
    "tổng kềt công tác dân vận",
    "triển khai thực hiện phong trào dân vận khéo",
    "Ban Dân vận Tỉnh ủy tổ chức Hội nghị giao ban",
)
# Passages cost more than the search itself on these small indexes: the first page shows
# them, the others only rank and count.
OPTIONS: dict[str, dict[str, Any]] = {
    "top 10": {},
    "top 1": {"limit": 1, "passages": 0},
    "top 40": {"limit": 40, "passages": 0},
    "2019 to mid-2021": {"since": "2019-01-01", "until": "2021-06-30", "passages": 0},
    "since 2020, undated too": {"since": "2020", "undated": True, "passages": 0},
    "newest first": {"sort": "date", "passages": 0},
}
EVERY_OPTION = tuple(OPTIONS)
REAL_SAMPLE = 15  # articles of each news corpus
GENERATED = 60  # articles made of seed sentences

Case = tuple[str, str]  # a query and the name of its options
Results = dict[Case, SearchResult]
Reference = Callable[[Path, list[Case]], Results]


def _cases(queries: tuple[str, ...], options: tuple[str, ...]) -> list[Case]:
    return [(query, name) for query in queries for name in options]


def _speed_queries() -> tuple[str, ...]:
    """Every third query of the speed benchmark's fixed set (``benchmarks/speed_queries.py``):
    two or three of each kind, from one syllable to codes and operators."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return tuple(query.text for query in importlib.import_module("speed_queries").QUERIES[::3])


# ------------------------------------------------------------------ pages and their comparison


def _search(found: Searcher | Callable[[], Searcher], cases: list[Case]) -> Results:
    """Each case's result on one searcher, or given a factory, on a fresh one per query."""
    results: Results = {}
    for query, name in cases:
        if isinstance(found, Searcher):
            results[(query, name)] = found.search(query, **OPTIONS[name])
            continue
        with found() as fresh:
            results[(query, name)] = fresh.search(query, **OPTIONS[name])
    return results


def _run(index_dir: Path, engine: str, cases: list[Case]) -> Results:
    with Searcher(index_dir, engine=engine) as opened:
        return _search(opened, cases)


def _shown(result: SearchResult, totals: bool) -> tuple[Any, ...]:
    """What a page shows but its scores (compared within rounding): the hits in order, each
    with its flag, passages and copies, the suggestion, and the counts when asked for."""
    hits = tuple((h.id, h.all_words, h.passages, h.copies, h.score is None) for h in result.hits)
    counts = (result.total, result.total_all, result.total_exact, result.undated_left_out)
    return (hits, result.suggestion, *(counts if totals else ()))


def _scores(results: Results) -> dict[tuple[str, str, int], float]:
    return {
        (query, name, rank): hit.score or 0.0
        for (query, name), result in results.items()
        for rank, hit in enumerate(result.hits, 1)
    }


def _assert_same_pages(found: Results, expected: Results, totals: bool = True) -> None:
    assert {case: _shown(r, totals) for case, r in found.items()} == {
        case: _shown(r, totals) for case, r in expected.items()
    }
    assert _scores(found) == pytest.approx(_scores(expected), rel=1e-9, abs=1e-12)


@pytest.fixture(scope="module")
def reference() -> Reference:
    """The plain path's pages, whoosh's matchers, each asked once per index and case (tests
    asking for it only switch what the numpy engine or the index build does)."""
    known: dict[tuple[Path, Case], SearchResult] = {}

    def pages(index_dir: Path, cases: list[Case]) -> Results:
        missing = [case for case in cases if (index_dir, case) not in known]
        found = _run(index_dir, "whoosh", missing) if missing else {}
        known.update(((index_dir, case), result) for case, result in found.items())
        return {case: known[(index_dir, case)] for case in cases}

    return pages


# ------------------------------------------------------------------ corpora


def _build(folder: Path, index_dir: Path, workers: int = 1) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "worker_count", lambda articles: workers)
        update_index(folder, index_dir)
    return index_dir


@pytest.fixture(scope="module")
def copied_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fast-seeds") / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="module")
def copied_seeds_index(copied_seeds: Path) -> Path:
    return _build(copied_seeds, copied_seeds.parent / "index")


@pytest.fixture(scope="module")
def generated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 dated articles of seed sentences: phrases held by many, ties and near-ties."""
    root = tmp_path_factory.mktemp("fast-generated")
    folder = write_sentence_corpus(root / "articles", GENERATED, 6, seed=17, dated=True)
    return _build(folder, root / "index")


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample of real news articles: the first of VNTC's, and the first of VietNews's on
    the Party committees, the Front and mass mobilisation (where UBND, HĐND, MTTQ live)."""
    data = SHARED / "data"
    sources = [data / "vntc" / "corpus.jsonl", data / "vietnews" / "corpus.jsonl"]
    missing = [str(path) for path in sources if not path.is_file()]
    if missing:
        pytest.skip(f"no real articles: {', '.join(missing)} not found")
    folder = tmp_path_factory.mktemp("fast-real") / "articles"
    folder.mkdir()
    wanted: list[Callable[[dict[str, Any]], bool]] = [lambda r: True, lambda r: r["domain_match"]]
    for source, keep in zip(sources, wanted, strict=True):
        for record in _first_records(source, keep, REAL_SAMPLE):
            text = f"{record['title']}\n\n{record['text']}"
            (folder / f"{record['id']}.txt").write_text(text, encoding="utf-8")
    return folder


def _first_records(
    path: Path, keep: Callable[[dict[str, Any]], bool], count: int
) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if keep(record):
                yield record
                count -= 1
                if count == 0:
                    return


@pytest.fixture(scope="module")
def real_index(real_folder: Path) -> Path:
    return _build(real_folder, real_folder.parent / "index")


@pytest.fixture(scope="module")
def fragment_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A remembered fragment said once in a row, lifted by the rerank past a distractor that
    scores 1.6 times higher on BM25 alone (``test_runs.py``'s articles)."""
    return index_of_articles(tmp_path_factory, FRAGMENT_ARTICLES, "fast-fragment")


_INDEXES = {
    "seeds": "copied_seeds_index",
    "generated": "generated_index",
    "real": "real_index",
    "fragment": "fragment_index",
}


def _corpus(request: pytest.FixtureRequest, name: str) -> Path:
    index_dir: Path = request.getfixturevalue(_INDEXES[name])
    return index_dir


# ------------------------------------------------------------------ 1. the numpy engine


@pytest.mark.parametrize(
    ("corpus", "options"),
    [("seeds", ("top 10", "2019 to mid-2021")), ("generated", EVERY_OPTION), ("real", ("top 10",))],
)
def test_the_numpy_engine_gives_the_pages_of_whoosh_matchers(
    request: pytest.FixtureRequest, reference: Reference, corpus: str, options: tuple[str, ...]
) -> None:
    index_dir = _corpus(request, corpus)
    cases = _cases(QUERIES, options)
    _assert_same_pages(_run(index_dir, "arrays", cases), reference(index_dir, cases))


def test_the_numpy_engine_gives_the_pages_of_whoosh_matchers_for_the_speed_queries(
    real_index: Path, reference: Reference
) -> None:
    cases = _cases(_speed_queries(), ("top 10",))
    _assert_same_pages(_run(real_index, "arrays", cases), reference(real_index, cases))


def test_an_excluded_word_in_an_earlier_article_still_excludes_the_first_match(
    build_corpus: Callable[[dict[str, str]], Path],
) -> None:
    # whoosh's AndNot matcher left the first match in when the excluded word's postings start
    # on an earlier article (``matchers._SyncedAndNotMatcher``).
    index_dir = build_corpus(
        {
            "a0.txt": "Tin một\n\nChuyện ở Lang Chánh.\n",
            "a1.txt": "Tin hai\n\nCông tác dân vận ở Lang Chánh.\n",
            "a2.txt": "Tin ba\n\nCông tác dân vận ở Thọ Xuân.\n",
        }
    )
    for engine in ("whoosh", "arrays"):
        with Searcher(index_dir, engine=engine) as opened:
            result = opened.search("dân vận -Lang", passages=0)
            found = ([hit.id for hit in result.hits], opened.matching_articles("dân vận -Lang"))
        assert (engine, found) == (engine, (["a2.txt"], (2,)))


# ------------------------------------------------------------------ 2. auto


@pytest.mark.parametrize(
    ("small_archive", "expected"), [(GENERATED, "whoosh"), (GENERATED - 1, "arrays")]
)
def test_auto_takes_the_engine_the_archive_size_names_and_pages_as_the_reference(
    generated_index: Path,
    reference: Reference,
    monkeypatch: pytest.MonkeyPatch,
    small_archive: int,
    expected: str,
) -> None:
    monkeypatch.delenv(searcher.ENGINE_VARIABLE, raising=False)
    monkeypatch.setattr(searcher, "SMALL_ARCHIVE", small_archive)
    cases = _cases(QUERIES, ("top 10", "2019 to mid-2021"))
    with Searcher(generated_index) as auto:
        assert auto.engine == expected
        found = _search(auto, cases)
    _assert_same_pages(found, reference(generated_index, cases))


# ------------------------------------------------------------------ 3. phrase checks


def _counted_checks(patch: pytest.MonkeyPatch) -> list[int]:
    """How many article-phrase checks the numpy engine asks for, all queries together."""
    checked = [0]
    original = scoring.ArrayScorer.side_by_side

    def counting(
        scorer: scoring.ArrayScorer, field: str, words: tuple[str, ...], wanted: Any
    ) -> Any:
        checked[0] += int(wanted.sum())
        return original(scorer, field, words, wanted)

    patch.setattr(scoring.ArrayScorer, "side_by_side", counting)
    return checked


def test_phrase_checks_limited_to_the_page_give_the_page_of_checking_every_article(
    generated_index: Path, reference: Reference
) -> None:
    cases = _cases(QUERIES, EVERY_OPTION)
    with pytest.MonkeyPatch.context() as patch:
        every = _counted_checks(patch)
        # The plain numpy path: every article holding a phrase's words checked at once.
        patch.setattr(scoring._Grouped, "may_reach", lambda grouped, keep, limit: keep | True)
        patch.setattr(scoring, "_FIRST_BATCH", 10**9)
        plain = _run(generated_index, "arrays", cases)
    with pytest.MonkeyPatch.context() as patch:
        limited = _counted_checks(patch)
        patch.setattr(scoring, "_FIRST_BATCH", 1)  # the smallest first batch skips the most
        fast = _run(generated_index, "arrays", cases)
    _assert_same_pages(fast, plain)
    _assert_same_pages(fast, reference(generated_index, cases))
    assert limited[0] < every[0]  # the shortcut did skip checks here


# ------------------------------------------------------------------ 4. estimated totals


@pytest.fixture
def estimating(monkeypatch: pytest.MonkeyPatch) -> None:
    """Totals estimated as soon as one article's membership hangs on a phrase."""
    monkeypatch.setattr(scoring, "EXACT_COUNT_LIMIT", 0)
    monkeypatch.setattr(scoring, "_COUNT_SAMPLE", 2)
    monkeypatch.setattr(scoring, "_FIRST_BATCH", 1)


@pytest.mark.usefixtures("estimating")
def test_estimated_totals_keep_the_ranking_exact(
    generated_index: Path, reference: Reference
) -> None:
    cases = _cases(QUERIES, EVERY_OPTION)
    found = _run(generated_index, "arrays", cases)
    expected = reference(generated_index, cases)
    _assert_same_pages(found, expected, totals=False)
    estimated = {case for case, result in found.items() if not result.total_exact}
    exact = set(cases) - estimated
    assert {case: found[case].total for case in exact} == {
        case: expected[case].total for case in exact
    }
    assert len(estimated) > 0  # a real test of the estimate
    assert all(len(found[case].hits) <= found[case].total for case in estimated)


@pytest.mark.usefixtures("estimating")
def test_the_undated_articles_a_date_range_leaves_out_are_counted_exactly_or_said_estimated(
    generated_index: Path, reference: Reference
) -> None:
    cases = _cases(QUERIES, ("2019 to mid-2021",))
    found = _run(generated_index, "arrays", cases)
    expected = reference(generated_index, cases)
    estimated = {case for case, result in found.items() if not result.undated_left_out_exact}
    assert {case: r.undated_left_out for case, r in found.items() if case not in estimated} == {
        case: r.undated_left_out for case, r in expected.items() if case not in estimated
    }
    assert len(estimated) > 0  # a real test of the estimate
    for case in estimated:  # what a user reads under the hits says it is an estimate
        console = Console(file=io.StringIO(), width=200, markup=False, highlight=False)
        print_results(console, found[case])
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        assert f"about {found[case].undated_left_out} undated matching article" in shown


@pytest.mark.usefixtures("estimating")
def test_the_match_set_behind_an_estimated_total_stays_exact(
    generated_index: Path, reference: Reference
) -> None:
    cases = _cases(QUERIES, ("top 10", "2019 to mid-2021"))
    totals = {case: result.total for case, result in reference(generated_index, cases).items()}
    with (
        Searcher(generated_index, engine="arrays") as fast,
        Searcher(generated_index, engine="whoosh") as plain,
    ):
        assert not all(fast.search(query, limit=1).total_exact for query in QUERIES)
        found = {(q, name): fast.matching_articles(q, **_selection(name)) for q, name in cases}
        expected = {(q, name): plain.matching_articles(q, **_selection(name)) for q, name in cases}
    assert found == expected
    assert {case: len(numbers) for case, numbers in expected.items()} == totals


def _selection(name: str) -> dict[str, Any]:
    """The options of ``name`` that choose articles (what ``matching_articles`` takes)."""
    return {key: value for key, value in OPTIONS[name].items() if key in ("since", "until")}


# ------------------------------------------------------------------ 5. the run rerank


@pytest.mark.parametrize("engine", ["whoosh", "arrays"])
@pytest.mark.parametrize(
    ("corpus", "queries"),
    [("generated", LONG), ("fragment", (FRAGMENT, "phat hien thi the khong dau"))],
)
def test_the_rerank_reading_only_candidates_that_can_reach_the_page_reranks_as_reading_all(
    request: pytest.FixtureRequest, corpus: str, queries: tuple[str, ...], engine: str
) -> None:
    index_dir = _corpus(request, corpus)
    cases = _cases(queries, ("top 1", "top 10"))
    original = RunRerank._may_reach_the_cut
    skipped = [0]

    def counting(rerank: RunRerank, head: list[tuple[int, float]]) -> list[int]:
        kept: list[int] = original(rerank, head)
        skipped[0] += len(head) - len(kept)
        return kept

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RunRerank, "_may_reach_the_cut", lambda rerank, head: [d for d, _ in head])
        plain = _run(index_dir, engine, cases)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RunRerank, "_may_reach_the_cut", counting)
        fast = _run(index_dir, engine, cases)
    _assert_same_pages(fast, plain)
    assert skipped[0] > 0  # some candidate's positions were left unread


# ------------------------------------------------------------------ 6. memories


def test_abbreviations_looked_up_once_per_query_give_the_pages_of_looking_up_afresh(
    generated_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _cases(ABBREVIATED, ("top 10", "top 1"))
    lookups = [0]
    original_lookup = Expander.alternatives

    def counting(expander: Expander, query: Any, typed: str) -> Any:
        lookups[0] += 1
        return original_lookup(expander, query, typed)

    monkeypatch.setattr(Expander, "alternatives", counting)
    fast = _run(generated_index, "arrays", cases)
    once, lookups[0] = lookups[0], 0
    original = QueryBuilder._alternatives

    def afresh(builder: QueryBuilder, query: Any, typed: str) -> Any:
        builder._found.clear()
        return original(builder, query, typed)

    monkeypatch.setattr(QueryBuilder, "_alternatives", afresh)
    plain = _run(generated_index, "arrays", cases)
    _assert_same_pages(fast, plain)
    assert once < lookups[0]  # the memory did save look-ups


@contextmanager
def _caches(squeezed: bool) -> Iterator[None]:
    """Every cache kept across queries as shipped, or squeezed so that it forgets at once."""
    with pytest.MonkeyPatch.context() as patch:
        if squeezed:
            patch.setattr(scoring, "_POSTINGS_CACHE_SIZE", 1)
            patch.setattr(engine_reader, "_DECODED_BUDGET", 0)
            patch.setattr(ranking, "_CACHED_TEXTS", 1)
            patch.setattr(readings, "_CACHED_PAIRS", 1)
        yield


@pytest.mark.parametrize("squeezed", [False, True], ids=["caches as shipped", "squeezed"])
def test_one_searcher_for_many_queries_pages_as_a_fresh_searcher_for_each(
    generated_index: Path, squeezed: bool
) -> None:
    # The numpy engine: it keeps what whoosh's does (pair look-ups, abbreviations, copies,
    # the vocabulary) and its own postings, phrase verdicts and decoded blocks.
    engine = "arrays"
    queries = QUERIES[::2]
    # The same queries again, the other way round and cut shorter: every memory is warm.
    cases = _cases(queries, ("top 10",)) + _cases(queries[::-1], ("top 1",))
    fresh = _search(lambda: Searcher(generated_index, engine=engine), cases)
    with _caches(squeezed), Searcher(generated_index, engine=engine) as kept:
        found = _search(kept, cases)
    _assert_same_pages(found, fresh)


@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_the_vocabulary_left_unloaded_for_known_accents_gives_the_pages_of_consulting_it(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, corpus: str
) -> None:
    index_dir = _corpus(request, corpus)
    cases = _cases(QUERIES, ("top 10",))
    original = QueryBuilder._all_accented_and_indexed
    taken = [0]

    def counting(builder: QueryBuilder, query: Any) -> bool:
        shortcut: bool = original(builder, query)
        taken[0] += shortcut
        return shortcut

    monkeypatch.setattr(QueryBuilder, "_all_accented_and_indexed", counting)
    fast = _run(index_dir, "arrays", cases)
    monkeypatch.setattr(QueryBuilder, "_all_accented_and_indexed", lambda builder, query: False)
    plain = _run(index_dir, "arrays", cases)
    _assert_same_pages(fast, plain)
    assert taken[0] > 0  # the shortcut was taken


# ------------------------------------------------------------------ 8. parallel build


def test_a_parallel_build_numbers_and_ranks_articles_as_one_process_does(
    real_folder: Path, real_index: Path, reference: Reference, tmp_path: Path
) -> None:
    # tests/test_parallel.py compares builds of a generated corpus; real text makes segments
    # with other vocabularies (this found the AndNot slip in engine/matchers.py).
    serial = real_index
    split = _build(real_folder, tmp_path / "parallel", workers=2)
    cases = _cases(QUERIES, ("top 10",))
    for engine in ("whoosh", "arrays"):
        _assert_same_pages(_run(split, engine, cases), reference(serial, cases))
    with Searcher(split, engine="arrays") as two, Searcher(serial, engine="arrays") as one:
        assert len(two._searcher.reader().leaf_readers()) == 2  # one segment per worker
        numbers = {query: two.matching_articles(query) for query in QUERIES}
        assert numbers == {query: one.matching_articles(query) for query in QUERIES}


# ------------------------------------------------------------------ 9. updates


def _updated_with_last(folder: Path, added: int, index_dir: Path) -> Path:
    """An index of ``folder`` without its last ``added`` files, then updated with them."""
    held = sorted(folder.iterdir())[-added:]
    aside = index_dir.parent / "aside"
    aside.mkdir()
    for path in held:
        path.rename(aside / path.name)
    try:
        update_index(folder, index_dir)
    finally:
        for path in held:
            (aside / path.name).rename(path)
    assert update_index(folder, index_dir).added == added
    return index_dir


def test_an_update_adding_articles_pages_as_a_rebuild(
    copied_seeds: Path, copied_seeds_index: Path, reference: Reference, tmp_path: Path
) -> None:
    rebuilt = copied_seeds_index
    updated = _updated_with_last(copied_seeds, 2, tmp_path / "index")
    cases = _cases(QUERIES, ("top 10",))
    for engine in ("whoosh", "arrays"):
        _assert_same_pages(_run(updated, engine, cases), reference(rebuilt, cases))


@pytest.mark.xfail(
    strict=True,
    reason="an update keeps changed and removed articles in BM25's statistics and in what "
    "typo repair knows until whoosh merges their segment: other scores, and 'dân vận -Lang' "
    "is read as typed where a rebuild, without the one article saying Lang, reads -Đảng",
)
def test_an_update_changing_and_removing_articles_pages_as_a_rebuild(
    seeds_copy: Path, tmp_path: Path
) -> None:
    updated = tmp_path / "updated"
    update_index(seeds_copy, updated)
    first, second = sorted(seeds_copy.iterdir())[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\nThêm công tác dân vận.", "utf-8")
    second.unlink()
    update_index(seeds_copy, updated)
    rebuilt = tmp_path / "rebuilt"
    update_index(seeds_copy, rebuilt)
    cases = _cases(("dân vận -Lang", "Dân vận khéo"), ("top 10",))
    _assert_same_pages(_run(updated, "whoosh", cases), _run(rebuilt, "whoosh", cases))


# ------------------------------------------------------------------ 10. arithmetic shortcuts


class _PlainArrays:
    """``arrays.Arrays`` without a shortcut: a fresh empty array for every "nothing" (so none
    is recognised and skipped) and every operation done on all its arrays."""

    def __init__(self, size: int) -> None:
        self.size = size

    @property
    def none(self) -> Any:
        return np.zeros(self.size, dtype=bool)

    @property
    def zeros(self) -> Any:
        return np.zeros(self.size, dtype=np.float64)

    def union(self, masks: list[Any]) -> Any:
        return arrays._combined(masks, np.logical_or)

    def common(self, masks: list[Any]) -> Any:
        return arrays._combined(masks, np.logical_and)

    def without(self, mask: Any, excluded: Any) -> Any:
        return mask & ~excluded

    def total(self, scores: list[Any]) -> Any:
        return arrays._combined(scores, np.add)

    def where(self, mask: Any, scores: Any) -> Any:
        return np.where(mask, scores, 0.0)

    def times(self, scores: Any, factor: float) -> Any:
        return scores if factor == 1.0 else scores * factor


def _counted_combinations(patch: pytest.MonkeyPatch) -> list[int]:
    """Counts every element-wise combination of two arrays or more the scorer makes."""
    made = [0]
    combined = arrays._combined

    def counting(arrays: list[Any], operation: Any) -> Any:
        made[0] += len(arrays) > 1
        return combined(arrays, operation)

    patch.setattr(arrays, "_combined", counting)
    return made


@pytest.mark.parametrize("corpus", ["generated", "real"])
def test_the_scorers_arithmetic_shortcuts_give_the_pages_of_plain_arithmetic(
    request: pytest.FixtureRequest, corpus: str
) -> None:
    index_dir = _corpus(request, corpus)
    cases = _cases(QUERIES + _speed_queries(), EVERY_OPTION)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "Arrays", _PlainArrays)
        patch.setattr(scoring, "_masks_shared", lambda parts: False)
        patch.setattr(scoring, "_bounds_shared", lambda parts: False)
        plain_made = _counted_combinations(patch)
        plain = _run(index_dir, "arrays", cases)
    with pytest.MonkeyPatch.context() as patch:
        made = _counted_combinations(patch)
        found = _run(index_dir, "arrays", cases)
    assert {case: _shown(r, True) for case, r in found.items()} == {
        case: _shown(r, True) for case, r in plain.items()
    }
    assert _scores(found) == _scores(plain)  # to the last bit: the same sums in the same order
    assert made[0] < plain_made[0] / 2  # the shortcuts were taken
