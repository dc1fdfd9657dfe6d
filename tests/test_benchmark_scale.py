"""The scale curve in benchmarks/: growth exponents, the simulated archive and a smoke run."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

from tests.conftest import benchmark_script

SHARED = Path(__file__).resolve().parents[2] / "shared"

REAL = {
    "a1": "Bão số 5 đổ bộ vào miền Trung\n\nBão số 5 gây mưa lớn ở Quảng Nam. Nhiều nhà bị"
    " tốc mái! Người dân đã sơ tán.\nChính quyền huy động lực lượng cứu hộ.\n",
    "a2": "Giá xăng giảm lần thứ ba\n\nTừ chiều nay, giá xăng giảm mạnh. Các cửa hàng điều"
    " chỉnh giá bán… Người tiêu dùng vui mừng?\n",
    "a3": "Đội tuyển bóng đá thắng đậm\n\nĐội tuyển Việt Nam thắng ba bàn. Huấn luyện viên"
    " khen các cầu thủ.\nTrận đấu diễn ra ở sân Mỹ Đình.\nKhán giả reo hò suốt trận.\n",
}


def _syllables(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    ("power", "expected"),
    [(1.0, "linear"), (0.5, "sub-linear"), (1.5, "super-linear"), (0.95, "linear")],
)
def test_growth_is_the_exponent_of_cost_against_size(power: float, expected: str) -> None:
    report = benchmark_script("scale_report")
    sizes = [1_000.0, 10_000.0, 37_773.0, 150_000.0]
    costs = [3.0 * n**power for n in sizes]
    steps = [report.exponent(n1, c1, n2, c2) for n1, c1, n2, c2 in _pairs(sizes, costs)]
    fitted = report.fitted_exponent(sizes, costs)
    assert (
        [round(b, 6) for b in steps],
        round(fitted, 6),
        report.growth(fitted),
    ) == ([power] * 3, power, expected)


def _pairs(sizes: list[float], costs: list[float]) -> list[tuple[float, float, float, float]]:
    return [(sizes[i], costs[i], sizes[i + 1], costs[i + 1]) for i in range(len(sizes) - 1)]


def test_the_growth_table_names_each_step_and_the_overall_fit() -> None:
    report = benchmark_script("scale_report")
    points = [
        report.Point("x", "1,000", 1000, 3.0, 2.0, 50.0, 3.0, 0.001, 0.002, 0.1),
        report.Point("x", "10,000", 10_000, 30.0, 20.0, 60.0, 30.0, 0.004, 0.008, 0.1),
        report.Point("x", "sim100,000", 100_000, 300.0, 400.0, 70.0, 300.0, 0.016, 0.032, 0.1),
    ]
    header, rows = report.growth_rows(points)
    by_measure = {row[1]: row[2:] for row in rows}
    steps = ["1,000 → 10,000", "10,000 → sim100,000"]
    assert header == ["system", "measure", *steps, "overall b", "grows"]
    build = ["1.00 (linear)", "1.30 (super-linear)", "1.15", "super-linear"]
    assert by_measure["build (s)"] == build
    assert by_measure["index size (MB)"] == ["1.00 (linear)", "1.00 (linear)", "1.00", "linear"]
    assert by_measure["warm p50 (ms)"][-2:] == ["0.60", "sub-linear"]
    assert by_measure["cold query (ms)"][-2:] == ["0.00", "sub-linear"]


def test_the_simulated_archive_is_deterministic_and_made_of_the_real_text() -> None:
    corpus = benchmark_script("scale_corpus")
    first = dict(corpus.simulated_documents(REAL, 40))
    again = dict(corpus.simulated_documents(REAL, 40))
    real_syllables = set().union(*(_syllables(text) for text in REAL.values()))
    made = set().union(*(_syllables(text) for text in first.values()))
    titles = {corpus.split_article(text)[0] for text in REAL.values()}
    counts = {len(corpus.split_article(text)[1]) for text in REAL.values()}
    split = [corpus.split_article(text) for text in first.values()]
    assert (first == again, len(first), sorted(first)[:2]) == (True, 40, ["sim-00", "sim-01"])
    assert (made <= real_syllables, {"Đình", "xăng", "Bão"} <= made) == (True, True)
    assert {title for title, _ in split} <= titles
    assert {len(body) for _, body in split} <= counts


def test_a_simulated_paragraph_reaches_its_template_length_in_whole_sentences() -> None:
    corpus = benchmark_script("scale_corpus")
    sentences = {s for text in REAL.values() for s in re.split(r"(?<=[.!?…])\s+", text)}
    sentences = {s.strip() for line in sentences for s in line.split("\n") if s.strip()}
    for _, text in corpus.simulated_documents(REAL, 30):
        for paragraph in corpus.split_article(text)[1]:
            pieces = re.split(r"(?<=[.!?…])\s+", paragraph)
            assert set(pieces) <= sentences


def test_a_simulated_folder_is_dated_and_reused(tmp_path: Path) -> None:
    corpus = benchmark_script("scale_corpus")
    folder = tmp_path / "sim12"
    written = corpus.prepare_simulated(REAL, 12, folder)
    reused = corpus.prepare_simulated(REAL, 12, folder)
    stamps = [path.stat().st_mtime for path in folder.glob("*.txt")]
    in_range = all(corpus.FIRST_DATE <= stamp <= corpus.LAST_DATE for stamp in stamps)
    assert (written.reused, reused.reused, reused.text_bytes) == (False, True, written.text_bytes)
    assert (len(stamps), in_range, len(set(stamps))) == (12, True, 12)


def test_sizes_are_numbers_all_or_simulated() -> None:
    scale = benchmark_script("scale")
    assert scale.sizes("1000,all,sim150000") == ["1000", "all", "sim150000"]
    with pytest.raises(Exception, match="sizes are N, all or simN"):
        scale.sizes("1000,simx")


def test_an_optional_system_that_cannot_run_is_left_out_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps = benchmark_script("speed_steps")
    monkeypatch.setitem(steps.OPTIONAL, "tantivy", lambda: "tantivy is not installed")
    monkeypatch.setitem(steps.OPTIONAL, "recoll", lambda: "")
    kept, notes = steps.available_systems(["dvsearch", "fts5", "tantivy", "recoll"])
    assert (kept, notes) == (["dvsearch", "fts5", "recoll"], ["tantivy: tantivy is not installed"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dân vận", "dân OR vận"),
        ('"Mặt trận Tổ quốc"', '"Mặt trận Tổ quốc"'),
        ("464-QĐ/TU", '"464 QĐ TU"'),
        ("dân vận AND khéo", "dân OR vận khéo"),
        ("giao thông NOT Hà Nội", "giao OR thông -Hà OR Nội"),
        ("bão OR lũ", "bão OR lũ"),
    ],
)
def test_queries_keep_their_meaning_for_recoll(query: str, expected: str) -> None:
    assert benchmark_script("speed_recoll").recoll_query(query) == expected


def test_quick_scale_run_has_every_column_for_every_size_and_system(tmp_path: Path) -> None:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"no shared data in {SHARED / 'data'}: the scale curve needs it")
    if importlib.util.find_spec("tantivy") is None:
        pytest.skip("tantivy is not installed (pip install -e '.[bench]')")
    out = tmp_path / "scale.md"
    systems = "dvsearch,fts5,tantivy"
    arguments = ["--quick", "--systems", systems, "--shared", str(SHARED)]
    scale = benchmark_script("scale")
    assert scale.main([*arguments, "--work", str(tmp_path), "--out", str(out)]) == 0
    markdown = out.read_text(encoding="utf-8")
    rows = _table(markdown, "Cost at each size")
    header = benchmark_script("scale_report").TABLE_HEADER
    assert [(row[0], row[3]) for row in rows] == [
        (size, system) for size in ("60", "120", "sim240") for system in systems.split(",")
    ]
    assert {len(row) for row in rows} == {len(header)}
    assert all(float(cell) > 0 for row in rows for cell in row[4:8] + row[10:11])
    dvsearch_updates = [float(row[11]) for row in rows if row[3] == "dvsearch"]
    assert (len(dvsearch_updates), min(dvsearch_updates) > 0) == (3, True)
    assert {row[11] for row in rows if row[3] != "dvsearch"} == {"–"}
    growth = _table(markdown, "How each cost grows")
    measures = {"dvsearch": 6, "fts5": 5, "tantivy": 5}  # the update +1 is dvsearch's only
    assert [row[0] for row in growth] == [s for s in systems.split(",") for _ in range(measures[s])]
    assert {row[-1] for row in growth} <= {"linear", "sub-linear", "super-linear"}
    charted = "warm p50 (ms, log scale)" in markdown
    seeds = {row[0] for row in _table(markdown, "Cold start on the seeds")}
    assert ({"python -c pass", "dvsearch query"} <= seeds, len(seeds)) == (True, 4)
    verdicts = {row[2] for row in _table(markdown, "Issue 17's targets")}
    assert verdicts <= {"met", "**not met**", "not measured"}
    assert (charted, "- load average (1, 5, 15 min): " in markdown) == (True, True)


def _table(markdown: str, title: str) -> list[list[str]]:
    """The rows of the first table under ``## title``, header left out."""
    section = markdown.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_the_chart_bars_are_on_a_log_scale_grouped_by_system() -> None:
    report = benchmark_script("scale_report")
    points = [
        report.Point(system, size, n, 1.0, 1.0, 1.0, 1.0, p50, p50, 0.1)
        for size, n in (("1,000", 1000), ("10,000", 10_000))
        for system, p50 in (("a", 0.001 * n / 1000), ("b", 0.1 * n / 1000))
    ]
    lines = report.chart(points, "warm p50", "ms", lambda p: p.p50 * 1e3).splitlines()[2:-1]
    bars = [(line.split()[0], line.count("█")) for line in lines]
    assert bars == [("a", 1), ("a", 14), ("b", 27), ("b", 40)]


def test_tantivy_folds_d_with_stroke_and_shows_a_snippet_for_each_hit(tmp_path: Path) -> None:
    if importlib.util.find_spec("tantivy") is None:
        pytest.skip("tantivy is not installed (pip install -e '.[bench]')")
    tantivy = benchmark_script("speed_tantivy")
    docs = [("a", "Con đường mới ở Đà Nẵng"), ("b", "Bão lũ ở miền Trung"), ("c", "Dương liễu")]
    tantivy.build(docs, tmp_path / "index")
    search = tantivy.open_search(tmp_path / "index")
    found = [search(text) for text in ("duong", "Đà Nẵng", '"mien trung"', "kỳ lân")]
    assert found == [2, 1, 1, 0]


def test_recoll_indexes_a_folder_and_shows_snippets(tmp_path: Path) -> None:
    recoll = benchmark_script("speed_recoll")
    if recoll.missing():
        pytest.skip(recoll.missing())
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Dân vận khéo\n\nCông tác dân vận ở cơ sở.\n", "utf-8")
    (articles / "b.txt").write_text("Bão lũ\n\nBão số 5 ở miền Trung.\n", "utf-8")
    recoll.build(articles, tmp_path / "recoll")
    search = recoll.open_search(tmp_path / "recoll")
    assert [search(text) for text in ("dan van", "bão OR dân", "kỳ lân")] == [1, 2, 0]


def _point(system: str, size: str, articles: int, **costs: float) -> object:
    report = benchmark_script("scale_report")
    figures = {"build_seconds": 10.0, "index_mb": 30.0, "p50": 0.02, "p95": 0.04, "cold": 0.3}
    figures.update(costs)
    return report.Point(
        system,
        size,
        articles,
        20.0,
        figures["build_seconds"],
        100.0,
        figures["index_mb"],
        figures["p50"],
        figures["p95"],
        figures["cold"],
        figures.get("update", 0.0),
    )


def test_the_targets_compare_systems_of_the_same_run_at_the_largest_real_size() -> None:
    report, verdicts = benchmark_script("scale_report"), benchmark_script("scale_targets")
    results = report.ScaleResults("cmd", "today", 2, "3.11", (0.0, 0.0, 0.0))
    results.points = [
        _point("dvsearch", "10,000", 10_000, build_seconds=20.0, cold=0.15),
        _point("whoosh", "10,000", 10_000, build_seconds=30.0),
        _point("dvsearch", "37,773", 37_773, build_seconds=80.0, index_mb=40.0, update=1.2),
        _point("whoosh", "37,773", 37_773, build_seconds=60.0),
        _point("fts5", "37,773", 37_773, p50=0.025, p95=0.02),
        # a simulated archive is larger, but the targets are judged on real articles
        _point("dvsearch", "sim150,000", 150_000, build_seconds=1.0, index_mb=1.0, update=0.1),
    ]
    results.seeds_cold = {"python -c pass": 0.05, "dvsearch query": 0.3}
    found = {t.goal: (t.measured, t.met) for t in verdicts.targets(results)}
    assert found == {
        "full build ≥ 1.0× bare whoosh's throughput, 10,000 articles": (
            "1.50× (20.0 s against 30.0 s)",
            True,
        ),
        "full build ≥ 1.0× bare whoosh's throughput, 37,773 articles": (
            "0.75× (80.0 s against 60.0 s)",
            False,
        ),
        "index ≤ 1.5× the raw text, 37,773 articles": ("2.00× (40.0 MB for 20.0 MB)", False),
        "warm p50 ≤ fts5's, passages included, 37,773 articles": (
            "20.0 ms against 25.0 (0.80×)",
            True,
        ),
        "warm p50 ≤ recoll's, passages included, 37,773 articles": ("–", None),
        "warm p95 ≤ 2× fts5's, passages included, 37,773 articles": (
            "40.0 ms against 20.0 (2.00×)",
            True,
        ),
        "cold `dvsearch query` ≤ 200 ms, 10,000 articles": ("150 ms", True),
        "cold `dvsearch query` on the seeds ≤ 5× `python -c pass`": (
            "6.0× (300 ms against 50 ms)",
            False,
        ),
        "update after adding 1 article ≤ 1 s, fsync on, 37,773 articles": ("1.20 s", False),
    }
    markdown = report.render(results, verdicts.render_targets(results))
    assert "| warm p50 ≤ recoll's, passages included, 37,773 articles | – | not measured |" in (
        markdown
    )
    assert "## Cold start on the seeds" in markdown
    assert markdown.index("## Issue 17's targets") < markdown.index("## Cost at each size")
