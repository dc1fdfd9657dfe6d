"""The speed harness in benchmarks/: its query set, its measuring, its verdicts and a quick run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import benchmark_script

SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_the_query_set_is_fixed_and_covers_every_kind_of_query() -> None:
    queries = benchmark_script("speed_queries")
    texts = [query.text for query in queries.QUERIES]
    expected = {'"dân vận"', '"Mặt trận Tổ quốc"', "dan van kheo", "464-QĐ/TU", "MTTQ", "HĐND"}
    missing = expected - set(texts)
    assert (len(texts) >= 50, len(set(texts)) == len(texts), missing) == (True, True, set())
    categories = {query.category for query in queries.QUERIES}
    assert {query.category for query in queries.QUICK_QUERIES} == categories


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dân vận", '"dân" OR "vận"'),
        ('"Mặt trận Tổ quốc"', '"Mặt trận Tổ quốc"'),
        ("464-QĐ/TU", '"464 QĐ TU"'),
        ("dân vận AND khéo", '"dân" OR "vận" AND "khéo"'),
        ("giao thông NOT Hà Nội", '"giao" OR "thông" NOT "Hà" OR "Nội"'),
    ],
)
def test_queries_keep_their_meaning_for_fts5(query: str, expected: str) -> None:
    assert benchmark_script("speed_queries").fts5_match(query) == expected


def test_percentiles_interpolate_between_the_nearest_values() -> None:
    percentile = benchmark_script("speed_measure").percentile
    values = [4.0, 1.0, 3.0, 2.0]
    quantiles = [percentile(values, share) for share in (0.0, 0.5, 0.95, 1.0)]
    assert quantiles == [1.0, 2.5, pytest.approx(3.85), 4.0]


def test_a_command_peak_memory_is_its_own_not_thebenchmark_script() -> None:
    # Linux carries a parent's peak RSS into a child's ru_maxrss over fork and exec.
    ballast = bytearray(300_000_000)
    ballast[::4096] = b"\1" * len(ballast[::4096])
    measured = benchmark_script("speed_measure").run_measured([sys.executable, "-c", "pass"])
    assert (measured.peak_rss_mb < 100, len(ballast)) == (True, 300_000_000)


def test_a_hard_linked_index_file_counts_once(tmp_path: Path) -> None:
    (tmp_path / "gen-1").mkdir()
    (tmp_path / "gen-1" / "segment").write_bytes(b"x" * 1000)
    (tmp_path / "gen-2").mkdir()
    (tmp_path / "gen-2" / "segment").hardlink_to(tmp_path / "gen-1" / "segment")
    (tmp_path / "gen-2" / "vocabulary.json").write_bytes(b"{}")
    assert benchmark_script("speed_measure").disk_size(tmp_path) == 1002


def test_commands_in_the_report_can_be_pasted_into_a_shell() -> None:
    command = ["sqlite3", "a b.sqlite", 'SELECT 1 WHERE x MATCH \'"dân" OR "vận"\' -- $HOME `x`']
    line = benchmark_script("speed_steps")._shell(command)
    printed = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {line}"], capture_output=True, text=True, check=True
    )
    assert printed.stdout.splitlines() == command


def test_each_target_is_judged_met_or_not() -> None:
    results_module = benchmark_script("speed_results")
    results = results_module.Results("cmd", "date", 2, "3.11", {}, 1, 1)
    results.corpora["1,000"] = "1,000 articles"
    build = results_module.Build
    results.builds += [
        build("dvsearch", "1,000", 1000, 3.0, 20.0, 300.0, 6.0),
        build("whoosh", "1,000", 1000, 3.0, 5.0, 60.0, 5.0),
    ]
    results.updates.append(results_module.Step("add 1", 1.5, 200.0))
    verdicts = {t.goal: t.met for t in results_module.targets(results)}
    assert (
        verdicts["indexing ≥ 0.5× bare whoosh's articles/s"],
        verdicts["incremental add of 1 article ≤ 2 s"],
        verdicts["index ≤ 1.5× the raw text"],
        verdicts["peak RSS ≤ 500 MB"],
        verdicts["cold `dvsearch query` ≤ 0.5 s"],
    ) == (False, True, False, True, None)


def test_the_cost_of_durability_is_a_ratio_to_the_run_without_fsync() -> None:
    results_module = benchmark_script("speed_results")
    results = results_module.Results("cmd", "date", 2, "3.11", {}, 1, 1)
    durability = results_module.Durability
    results.durability += [
        durability("1,000", "rebuild", (6.0, 7.0, 5.5), (4.0, 3.0, 4.5), "index --rebuild"),
        durability("1,000", "add 10", (0.9, 0.8, 1.0), (1.0, 1.2, 0.9), "index"),
    ]
    results.checksums.append(results_module.Checksums("1,000", 40, 14.2, 0.02, 0.01, 5))
    tables = _tables(benchmark_script("speed_report").render(results))
    assert tables["Cost of durability: fsync"] == [
        ["1,000", "rebuild", "6.00", "4.00", "1.50×", "+2.00", "5.50–7.00 / 3.00–4.50"],
        ["1,000", "add 10", "0.90", "1.00", "0.90×", "-0.10", "0.80–1.00 / 0.90–1.20"],
    ]
    assert tables["Cost of durability: checksums"] == [
        ["1,000", "14.2", "40", "20.0", "10.0", "1420"]
    ]


def test_quick_run_reports_every_system_and_target(tmp_path: Path) -> None:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"no shared data in {SHARED / 'data'}: the speed benchmark needs it")
    out = tmp_path / "speed.md"
    arguments = ["--quick", "--shared", str(SHARED), "--work", str(tmp_path), "--out", str(out)]
    assert benchmark_script("speed").main(arguments) == 0
    tables = _tables(out.read_text(encoding="utf-8"))
    verdicts = [row[2] for row in tables["Targets, on the 300-article corpus"]]
    assert (len(verdicts), set(verdicts) <= {"met", "**not met**"}) == (9, True)
    steps = benchmark_script("speed_steps")
    systems, _ = steps.available_systems(benchmark_script("speed_results").SYSTEMS)
    for title in ("Full index build", "Warm queries"):
        assert [row[1] for row in tables[title]] == systems
    cold = [row[1] for row in tables["Cold command line"] if row[0] == "seeds"]
    assert len(cold) == 1 + len(systems)
    changes = [row[0] for row in tables["Incremental update, 300 articles"]]
    assert changes == ["no change", "add 1", "remove 1", "add 100", "remove 100"]
    durability = tables["Cost of durability: fsync"]
    assert [row[:2] for row in durability] == [["300", "rebuild"], ["300", "add 10"]]
    assert all(re.fullmatch(r"\d+\.\d\d×", row[4]) for row in durability)
    checksums = tables["Cost of durability: checksums"]
    assert [(row[0], float(row[1]) > 1, int(row[2]) > 5) for row in checksums] == [
        ("300", True, True)
    ]


def _tables(markdown: str) -> dict[str, list[list[str]]]:
    """``{section title: rows}`` for the first table of each ``## section``, header left out."""
    tables = {}
    for section in markdown.split("\n## ")[1:]:
        title, _, body = section.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith("| ")]
        tables[title] = [
            [cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]
        ]
    return tables
