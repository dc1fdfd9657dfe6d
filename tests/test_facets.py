"""Facets count a query's whole match set, as a brute-force count over the same articles does."""

from __future__ import annotations

import io
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from dvsearch.cli import main
from dvsearch.engine import scoring
from dvsearch.index.build import open_snapshot, update_index
from dvsearch.index.catalog import load_article
from dvsearch.render_facets import print_facets
from dvsearch.search.facets import Facets, count_facets, search_with_facets
from dvsearch.search.searcher import Searcher
from tests.conftest import SEEDS, index_of_articles

_AUTHORS = ("Thu Hà", "Minh Đức", "Thu Hà - Minh Đức", "Lê An và Thu Hà", None)
_SOURCES = ("Báo Lạng Sơn", "TTXVN", None)
_DATES = ("2019-11-02", "2021-03-05", "2021-03-20", "2021-07-14", "2022-05-30", "2023-01-09", None)
_TOPICS = {
    True: "Ban Dân vận huyện tổ chức hội nghị tổng kết phong trào thi đua dân vận khéo.",
    False: "Sở Giao thông kiểm tra tiến độ thi công tuyến đường tỉnh lộ.",
}
# The query's words apart, not as its phrase: a match of the words, not of the quoted phrase.
_SCATTERED = "Người dân ở đây khéo tay, ai cũng biết cách vận động bà con cùng làm đường."
# Sentences of the seeds, drawn at random, so that the articles differ enough not to be copies;
# without a date or a word of the query, so that only the topic's sentence decides a match.
_FILLER = [
    s.strip()
    for path in sorted(SEEDS.iterdir())
    for s in re.split(r"(?<=[.;])\s+", path.read_text(encoding="utf-8"))
    if len(s.split()) > 6
    and s.strip().endswith(".")
    and not re.search(r"[\d\n]|dân|vận|khéo", s.strip(), re.IGNORECASE)
]


class _Known:
    """An article as the corpus generator wrote it."""

    def __init__(
        self,
        date: str | None,
        source: str | None,
        author: str | None,
        topic: bool,
        scattered: bool = False,
    ):
        self.date, self.source, self.author, self.topic = date, source, author, topic
        self.scattered = scattered


def _text(n: int, known: _Known, rng: random.Random) -> str:
    lines = [f"Tin số {n}: hội nghị ở xã {n}", ""]
    if known.date:
        year, month, day = known.date.split("-")
        lines += [f"Ngày {day}/{month}/{year}", ""]
    filler = " ".join(rng.sample(_FILLER, 6))
    said = _SCATTERED if known.scattered else _TOPICS[known.topic]
    lines += [f"Sáng {n % 28 + 1}, {said} Mã số {n}.", "", filler, ""]
    if known.author:
        lines += [known.author, ""]
    if known.source:
        lines += [f"Theo {known.source}", ""]
    return "\n".join(lines)


def _generated() -> tuple[dict[str, str], dict[str, _Known]]:
    """48 articles with known dates, sources, bylines and topics, and two copies."""
    rng = random.Random(16)
    texts: dict[str, str] = {}
    known: dict[str, _Known] = {}
    for n in range(48):
        article = _Known(
            _DATES[n % len(_DATES)],
            _SOURCES[n % len(_SOURCES)],
            _AUTHORS[(n // 3) % len(_AUTHORS)],
            n % 4 != 0,
        )
        name = f"tin-{n:02d}.txt"
        texts[name], known[name] = _text(n, article, rng), article
    for n in range(48, 60):
        article = _Known(_DATES[n % len(_DATES)], _SOURCES[n % 2], None, False, scattered=True)
        name = f"rai-{n:02d}.txt"
        texts[name], known[name] = _text(n, article, rng), article
    for n in (1, 2):  # the same text saved again: a copy, left out of the counts
        texts[f"ban-sao-{n}.txt"] = texts[f"tin-{n:02d}.txt"]
        known[f"ban-sao-{n}.txt"] = known[f"tin-{n:02d}.txt"]
    return texts, known


_TEXTS, _KNOWN = _generated()


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_of_articles(tmp_path_factory, _TEXTS, "facets")


def test_the_generated_articles_are_read_as_written(corpus_index: Path) -> None:
    for name in ("tin-00.txt", "tin-10.txt", "tin-13.txt", "tin-14.txt"):
        article = load_article(corpus_index, name)
        known = _KNOWN[name]
        wanted = (known.date, known.source, known.author)
        assert (article.published, article.source, article.author) == wanted


def _brute_force(names: list[str]) -> dict[str, object]:
    """Count the generated articles ``names`` from what the generator wrote."""
    articles = [_KNOWN[name] for name in names]
    writers: Counter[str | None] = Counter()
    for article in articles:
        named = [] if article.author is None else article.author.replace(" và ", " - ").split(" - ")
        writers.update(named or [None])
    return {
        "total": len(articles),
        "years": Counter(a.date[:4] for a in articles if a.date),
        "months": Counter(a.date[:7] for a in articles if a.date),
        "undated": sum(1 for a in articles if a.date is None),
        "sources": Counter(a.source for a in articles),
        "authors": writers,
    }


def _selected(
    index_dir: Path, since: str | None, until: str | None, undated: bool, phrase: bool = False
) -> list[str]:
    """The generated articles with the query's words (as a phrase: on the topic) inside the
    dates, copies left out (the saved copies, and articles the index found near-identical to
    another)."""
    copies = open_snapshot(index_dir).copies
    low, high = since or "0", (until + "~") if until else "9999~"
    return [
        name
        for name, known in _KNOWN.items()
        if (known.topic or (known.scattered and not phrase))
        and name not in copies
        and (
            (known.date is None and (undated or (since, until) == (None, None)))
            or (known.date is not None and low <= known.date <= high)
        )
    ]


def _as_counts(facets: Facets) -> dict[str, object]:
    periods = Counter({key: n for key, n in facets.periods if n})
    return {
        "total": facets.total,
        "years" if facets.period == "year" else "months": periods,
        "undated": facets.undated,
        "sources": Counter(dict(facets.sources)),
        "authors": Counter(dict(facets.authors)),
    }


@pytest.mark.parametrize(
    ("since", "until", "undated"),
    [
        (None, None, False),
        ("2021", None, False),
        ("2021", None, True),
        (None, "2021-03-10", False),
        ("2020", "2022-12", True),
    ],
)
def test_facets_count_what_a_brute_force_count_of_the_matches_gives(
    corpus_index: Path, engine: str, since: str | None, until: str | None, undated: bool
) -> None:
    with Searcher(corpus_index, engine=engine) as searcher:
        result = searcher.search(
            "dân vận khéo", limit=100, since=since, until=until, undated=undated
        )
        facets = count_facets(searcher, "dân vận khéo", since, until, undated)
    names = _selected(corpus_index, since, until, undated)
    expected = _brute_force(names)
    counts = _as_counts(facets)
    drop = "months" if facets.period == "year" else "years"
    del expected[drop]
    assert counts == expected
    assert sorted(hit.path for hit in result.hits) == sorted(names)
    assert facets.total == result.total
    assert sum(n for _, n in facets.periods) + facets.undated == result.total


def test_a_range_within_two_years_is_counted_by_month_with_its_gaps(
    corpus_index: Path, engine: str
) -> None:
    with Searcher(corpus_index, engine=engine) as searcher:
        facets = count_facets(searcher, "dân vận khéo", "2021-03", "2022-05")
    assert facets.period == "month"
    assert facets.periods[0][0] == "2021-03"
    assert facets.periods[-1][0] == "2022-05"
    assert len(facets.periods) == 15
    assert dict(facets.periods)["2021-04"] == 0


def test_without_a_range_the_years_run_from_the_first_to_the_last(corpus_index: Path) -> None:
    with Searcher(corpus_index, engine="whoosh") as searcher:
        facets = count_facets(searcher, "dân vận khéo")
    assert [key for key, _ in facets.periods] == ["2019", "2020", "2021", "2022", "2023"]
    assert dict(facets.periods)["2020"] == 0


def test_an_estimated_total_still_has_exact_facets(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "EXACT_COUNT_LIMIT", 2)
    monkeypatch.setattr(scoring, "_COUNT_SAMPLE", 2)
    monkeypatch.setattr(scoring, "_FIRST_BATCH", 1)
    with Searcher(corpus_index, engine="arrays") as searcher:
        result = searcher.search('"dân vận khéo"', limit=3)
        facets = count_facets(searcher, '"dân vận khéo"')
    expected = _brute_force(_selected(corpus_index, None, None, False, phrase=True))
    del expected["months"]
    assert result.total_exact is False
    assert _as_counts(facets) == expected
    assert facets.total < len(_selected(corpus_index, None, None, False))


def test_both_engines_count_the_seeds_alike_and_as_their_stored_fields_say(
    seeds_index: Path,
) -> None:
    counted = []
    for engine in ("whoosh", "arrays"):
        result, facets = search_with_facets(seeds_index, "dân vận", limit=50, engine=engine)
        counted.append(facets)
    articles = [load_article(seeds_index, hit.id) for hit in result.hits]
    assert counted[0] == counted[1]
    assert counted[0].total == result.total == len(articles)
    assert Counter(dict(counted[0].sources)) == Counter(a.source for a in articles)
    assert counted[0].undated == sum(1 for a in articles if a.published is None)
    years = Counter(a.published[:4] for a in articles if a.published)
    assert Counter({k: n for k, n in counted[0].periods if n}) == years
    assert len(list(SEEDS.iterdir())) == 5


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_query_facets_prints_the_tables_after_the_hits(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--facets", "-n", "2", "--index", seeds_index)
    text = result.stdout
    tables = text[text.index("Facets of all 5 matching articles:") :]
    rows = [line.split() for line in tables.splitlines()]
    assert (result.exit_code, "2 of 5 matching articles shown." in text[: -len(tables)]) == (
        0,
        True,
    )
    assert ["2024", "1"] in rows and ["undated", "1"] in rows and ["2018", "0"] in rows
    assert ["(no", "source", "given)", "4"] in rows
    assert ["Hương", "Lan", "1"] in rows and ["(no", "byline)", "1"] in rows


def test_query_json_holds_the_facets_of_all_the_matches(seeds_index: Path) -> None:
    result = _run("query", "dân vận", "--facets", "--json", "-n", "1", "--index", seeds_index)
    data = json.loads(result.stdout)
    facets = data["facets"]
    assert (result.exit_code, len(data["hits"]), facets["total"]) == (0, 1, data["total"])
    assert (facets["period"], facets["undated"], facets["periods"]["2019"]) == ("year", 1, 1)
    assert {"author": "Mai Trâm", "articles": 1} in facets["authors"]


def test_facets_go_with_a_query_not_a_batch_or_csv(seeds_index: Path, tmp_path: Path) -> None:
    batch = tmp_path / "q.tsv"
    batch.write_text("1\tdân vận\n", encoding="utf-8")
    for extra in (["--batch", str(batch)], ["dân vận", "--csv"]):
        result = _run("query", *extra, "--facets", "--index", seeds_index)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (
            2,
            "Error: --facets and --timeline go with a query TEXT, shown or --json",
        )


def test_only_the_top_authors_are_listed_and_the_rest_counted() -> None:
    authors = tuple((f"Tác giả {n:02d}", 20 - n) for n in range(12))
    facets = Facets(200, "year", (("2024", 200),), 0, ((None, 200),), authors)
    out = io.StringIO()
    print_facets(Console(file=out, width=60, force_terminal=False, color_system=None), facets)
    rows = [line.split() for line in out.getvalue().splitlines()]
    assert ["Tác", "giả", "09", "11"] in rows and ["Tác", "giả", "10", "10"] not in rows
    assert ["and", "2", "more", "19"] in rows


def test_a_query_without_matches_has_nothing_to_count_or_chart(seeds_index: Path) -> None:
    result = _run("query", "xyzxyz", "--facets", "--timeline", "--index", seeds_index)
    assert (result.exit_code, result.stdout) == (
        0,
        "No articles match 'xyzxyz'. Try fewer or other words.\n\n"
        "No dated matching articles: nothing to chart.\n\n"
        "No matching articles to count.\n",
    )


def test_an_article_removed_by_an_update_is_no_longer_counted(
    seeds_copy: Path, tmp_path: Path, engine: str
) -> None:
    index_dir = tmp_path / "index"
    update_index(seeds_copy, index_dir)
    (seeds_copy / "004_69e811af1379700c.txt").unlink()
    update_index(seeds_copy, index_dir)
    with Searcher(index_dir, engine=engine) as searcher:
        result = searcher.search("dân vận", limit=50)
        facets = count_facets(searcher, "dân vận")
    assert (facets.total, result.total) == (4, 4)
    assert "2024" not in dict(facets.periods)
    assert ("Trung tâm VHTT và Truyền thông thành phố", 1) not in facets.sources
