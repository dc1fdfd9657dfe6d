"""Facets, the timeline and the archive's statistics as rich renderables and JSON.

Beside ``render.py`` (hits and articles), with the same habits: every name from an article
goes through ``Text``, never markup. Only ``query --facets/--timeline`` and ``stats`` import
this module, so a plain query never pays for it.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from dvsearch.charts import BarChart
from dvsearch.index.stats import ArchiveStats
from dvsearch.render import counted
from dvsearch.search.facets import Counts, Facets

TOP = 10  # sources and authors shown; the rest are counted in an "and N more" line
NO_SOURCE = "(no source given)"
NO_AUTHOR = "(no byline)"


def period_label(key: str) -> str:
    """``2024`` for a year, ``03/2024`` for a month (the order Vietnamese dates are read in)."""
    return f"{key[5:7]}/{key[:4]}" if len(key) > 4 else key


def print_facets(console: Console, facets: Facets, estimated_total: bool = False) -> None:
    """The matches by period, source and author, in three small tables."""
    if facets.total == 0:
        console.print(Text("No matching articles to count.", style="dim"))
        return
    console.print(_exactness(facets, estimated_total))
    periods = [(period_label(key), n) for key, n in facets.periods]
    if facets.undated:
        periods.append(("undated", facets.undated))
    console.print(_table(facets.period, periods, len(periods)))
    _print_names(console, facets)


def _print_names(console: Console, facets: Facets) -> None:
    """The sources and the authors tables, a blank line before each."""
    console.print()
    console.print(_table("source", _named(facets.sources, NO_SOURCE), TOP))
    console.print()
    console.print(_table("author", _named(facets.authors, NO_AUTHOR), TOP))


def print_timeline(console: Console, facets: Facets, what: str = "matching articles") -> None:
    """The counts by period as a bar chart, and the undated ones in a line under it."""
    if not facets.periods:
        console.print(Text(f"No dated {what}: nothing to chart.", style="dim"))
    else:
        console.print(Text(f"{what.capitalize()} by {facets.period}:", style="bold"))
        console.print(BarChart([(period_label(key), n) for key, n in facets.periods]))
    if facets.undated and facets.periods:
        console.print(Text(f"and {counted(facets.undated, 'undated article')}.", style="dim"))


def _exactness(facets: Facets, estimated_total: bool) -> Text:
    """What the tables count: all the matches, exactly, even when the total was estimated."""
    line = f"Facets of all {counted(facets.total, 'matching article')}"
    if estimated_total:
        line += " (counted exactly: the total above is an estimate)"
    return Text(line + ":", style="bold")


def _named(counts: Counts, nobody: str) -> list[tuple[str, int]]:
    return [(name if name is not None else nobody, n) for name, n in counts]


def _table(heading: str, rows: list[tuple[str, int]], top: int) -> RenderableType:
    """A name column and a count column; past ``top`` rows, one line says how many more."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column(heading)
    table.add_column("articles", justify="right")
    for name, n in rows[:top]:
        table.add_row(Text(name), Text(str(n)))
    if len(rows) > top:
        rest = sum(n for _, n in rows[top:])
        table.add_row(Text(f"and {len(rows) - top} more", style="dim"), Text(str(rest)))
    return table


def facets_json(facets: Facets) -> dict[str, Any]:
    """The facets for scripts: every source and author, ``null`` for none given; ``total``
    is exact, even where the query's own total is estimated."""
    return {
        "total": facets.total,
        "period": facets.period,
        "periods": dict(facets.periods),
        "undated": facets.undated,
        "sources": _counts_json(facets.sources, "source"),
        "authors": _counts_json(facets.authors, "author"),
    }


def _counts_json(counts: Counts, key: str) -> list[dict[str, Any]]:
    return [{key: name, "articles": n} for name, n in counts]


def print_stats(console: Console, stats: ArchiveStats) -> None:
    """The archive: its size, the index, the chart by period, sources and authors."""
    for line in stats_lines(stats):
        console.print(Text(line))
    console.print()
    print_timeline(console, stats.facets, "articles")
    _print_names(console, stats.facets)


def stats_lines(stats: ArchiveStats) -> list[str]:
    """The summary lines above the chart."""
    articles = counted(stats.articles, "article")
    noun = "copy" if stats.copies == 1 else "copies"
    copies = f" (and {stats.copies} {noun} of them, left out)" if stats.copies else ""
    written = stats.updated.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{articles} indexed{copies}; {stats.facets.undated} without a known date.",
        f"Index: {_size(stats.size_bytes)} on disk, last written {written} ({stats.generation}).",
    ]
    lines += [f"Folder: {folder.path}" for folder in stats.folders]
    return lines


def _size(size: int) -> str:
    """``334 KB``, ``1.2 GB``: decimal units, as ``du --si`` and file managers show them."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return counted(size, "byte")


def stats_json(stats: ArchiveStats) -> dict[str, Any]:
    """The statistics for scripts."""
    return {
        "articles": stats.articles,
        "copies": stats.copies,
        "size_bytes": stats.size_bytes,
        "updated": stats.updated.isoformat(timespec="seconds"),
        "generation": stats.generation,
        "folders": [{"path": str(f.path), "label": f.label} for f in stats.folders],
        "facets": facets_json(stats.facets),
    }
