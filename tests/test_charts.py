"""The bar chart and the timeline: exact lines on a fixed-width console; none on a plain query."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

from dvsearch.charts import MAX_BAR, BarChart
from dvsearch.cli import main
from dvsearch.render_facets import print_timeline
from dvsearch.search.facets import Facets


def _drawn(renderable: object, width: int = 30) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    console.print(renderable)
    return out.getvalue()


def test_bars_are_scaled_to_the_largest_count_in_eighths_of_a_character() -> None:
    # 30 columns: 4 for the label, 1 for the count, 2 spaces, 23 for the bars
    chart = BarChart([("2019", 2), ("2020", 0), ("2021", 5), ("2022", 1)])
    assert _drawn(chart) == (
        "2019 " + "█" * 9 + "▏" + " " * 13 + " 2\n"
        "2020 " + " " * 23 + " 0\n"
        "2021 " + "█" * 23 + " 5\n"
        "2022 " + "█" * 4 + "▌" + " " * 18 + " 1\n"
    )


def test_a_count_of_one_among_thousands_still_shows_a_bar() -> None:
    chart = BarChart([("2020", 1), ("2021", 9000)])
    assert _drawn(chart, width=40).splitlines()[0] == "2020 ▏" + " " * 29 + "    1"


def test_a_wide_console_draws_bars_no_longer_than_the_maximum() -> None:
    lines = _drawn(BarChart([("2024", 3)]), width=500).splitlines()
    assert lines == ["2024 " + "█" * MAX_BAR + " 3"]


def _month_facets() -> Facets:
    periods = (("2024-02", 1), ("2024-03", 0), ("2024-04", 2))
    return Facets(3, "month", periods, 1, ((None, 3),), ((None, 3),))


def test_the_timeline_labels_months_as_vietnamese_dates_and_counts_the_undated() -> None:
    out = io.StringIO()
    console = Console(file=out, width=40, force_terminal=False, color_system=None)
    print_timeline(console, _month_facets())
    # 40 columns: 7 for the label, 1 for the count, 2 spaces, 30 for the bars
    assert out.getvalue() == (
        "Matching articles by month:\n"
        "02/2024 " + "█" * 15 + " " * 15 + " 1\n"
        "03/2024 " + " " * 30 + " 0\n"
        "04/2024 " + "█" * 30 + " 2\n"
        "and 1 undated article.\n"
    )


def test_query_timeline_charts_the_seed_matches_per_year(seeds_index: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", "dân vận", "--timeline", "-n", "1", "--index", str(seeds_index)]
    )
    chart = result.stdout[result.stdout.index("Matching articles by year:") :]
    years = ("2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024")
    bars = {
        year: ("█" * MAX_BAR, 1) if year in ("2017", "2019", "2021", "2024") else None
        for year in years
    }
    lines = [
        f"{year} {bar[0]} {bar[1]}" if bar else f"{year} {' ' * MAX_BAR} 0"
        for year, bar in bars.items()
    ]
    expected = "\n".join(["Matching articles by year:", *lines, "and 1 undated article."])
    assert (result.exit_code, chart) == (0, expected + "\n")


_PLAIN_QUERY = """
import sys
from click.testing import CliRunner
from dvsearch.cli import main
done = CliRunner().invoke(main, ["query", "dân vận", "--index", sys.argv[1]])
assert done.exit_code == 0, done.output
loaded = ("dvsearch.search.facets", "dvsearch.charts", "dvsearch.render_facets",
          "dvsearch.index.stats", "dvsearch.engine.columns")
print(sorted(name for name in loaded if name in sys.modules))
"""


def test_a_plain_query_loads_no_facet_or_chart_module(seeds_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PLAIN_QUERY, str(seeds_index)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[]\n"
