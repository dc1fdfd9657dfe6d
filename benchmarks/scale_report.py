"""The scale curve's report: one row per size and system, text charts, and how each cost grows.

Growth is the exponent ``b`` of ``cost ∝ articles^b``: between two consecutive sizes it is
``log(c2 / c1) / log(n2 / n1)``, overall the least-squares slope of ``log c`` on ``log n`` over
every size. ``b`` below 0.9 is called sub-linear, above 1.1 super-linear, linear between.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

SUB_LINEAR = 0.9
SUPER_LINEAR = 1.1
BAR_WIDTH = 40


@dataclass(frozen=True)
class Point:
    """What one system cost on one corpus size."""

    system: str
    size: str  # the corpus's label, e.g. "10,000" or "sim150,000"
    articles: int
    text_mb: float
    build_seconds: float
    build_rss_mb: float
    index_mb: float
    p50: float  # seconds, warm
    p95: float
    cold: float  # seconds, one query in a fresh process
    update: float = 0.0  # seconds, ``dvsearch index`` after adding one article; 0 if not run

    @property
    def index_ratio(self) -> float:
        return self.index_mb / self.text_mb


@dataclass
class ScaleResults:
    """A whole scale run and how it was run."""

    command: str
    date: str
    cpus: int | None
    python: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    corpora: dict[str, str] = field(default_factory=dict)  # size label -> description
    points: list[Point] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seeds_cold: dict[str, float] = field(default_factory=dict)  # command label -> seconds


# The measures whose growth is reported: (name, unit, value of a point).
MEASURES: list[tuple[str, str, Callable[[Point], float]]] = [
    ("build", "s", lambda p: p.build_seconds),
    ("index size", "MB", lambda p: p.index_mb),
    ("warm p50", "ms", lambda p: p.p50 * 1e3),
    ("warm p95", "ms", lambda p: p.p95 * 1e3),
    ("cold query", "ms", lambda p: p.cold * 1e3),
    ("update +1 article", "s", lambda p: p.update),
]


def exponent(n1: float, c1: float, n2: float, c2: float) -> float:
    """``b`` in ``c ∝ n^b`` through two points."""
    return math.log(c2 / c1) / math.log(n2 / n1)


def fitted_exponent(sizes: Sequence[float], costs: Sequence[float]) -> float:
    """The least-squares slope of ``log cost`` on ``log size``."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(c) for c in costs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / spread


def growth(b: float) -> str:
    """``linear``, ``sub-linear`` or ``super-linear``."""
    if b < SUB_LINEAR:
        return "sub-linear"
    if b > SUPER_LINEAR:
        return "super-linear"
    return "linear"


def render(results: ScaleResults, verdicts: str = "") -> str:
    """The whole report as markdown; ``verdicts`` (the targets' section) follows the header."""
    parts = [_header(results), verdicts, _table(results), _seeds(results), _charts(results)]
    parts.append(_growth(results))
    parts.append("## Notes\n\n" + "\n".join(f"- {note}" for note in results.notes))
    return "\n\n".join(part for part in parts if part) + "\n"


def _header(results: ScaleResults) -> str:
    corpora = "; ".join(f"{size}: {text}" for size, text in results.corpora.items())
    before = ", ".join(f"{x:.2f}" for x in results.load_before)
    after = ", ".join(f"{x:.2f}" for x in results.load_after)
    return "\n".join(
        [
            "# Scale curve: dvsearch and its peers",
            "",
            f"- command: `{results.command}`",
            f"- date: {results.date}; CPU cores (`os.cpu_count()`): {results.cpus};"
            f" Python {results.python}",
            f"- load average (1, 5, 15 min): {before} before, {after} after{_busy(results)}",
            f"- corpora: {corpora}",
            "- every figure below comes from this one run; steps ran one at a time",
        ]
    )


def _busy(results: ScaleResults) -> str:
    """A warning when the machine ran more than it has cores: other work slowed the timings."""
    busiest = max(results.load_before[0], results.load_after[0])
    if busiest > (results.cpus or 1):
        return f": more than the {results.cpus} cores, so other work slowed the timings"
    return ""


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


TABLE_HEADER = ["corpus", "articles", "text MB", "system", "build s", "build peak RSS MB"]
TABLE_HEADER += ["index MB", "index / text", "p50 ms", "p95 ms", "cold ms", "update +1 s"]


def _table(results: ScaleResults) -> str:
    rows = [
        [
            p.size,
            f"{p.articles:,}",
            f"{p.text_mb:.1f}",
            p.system,
            f"{p.build_seconds:.2f}",
            f"{p.build_rss_mb:.0f}",
            f"{p.index_mb:.1f}",
            f"{p.index_ratio:.2f}",
            f"{p.p50 * 1e3:.1f}",
            f"{p.p95 * 1e3:.1f}",
            f"{p.cold * 1e3:.0f}",
            f"{p.update:.2f}" if p.update > 0 else "–",
        ]
        for p in results.points
    ]
    intro = (
        "## Cost at each size\n\nBuild: a full build from scratch, wall time. Warm: the fixed"
        " queries of `speed_queries.py`, top 10 with passages, in one process that keeps the"
        " index open (one untimed pass, then each query's median over the rounds). Cold: the"
        " median of fresh processes each running one query (`dân vận khéo`) after one untimed"
        " run. Update +1: `dvsearch index` after one new article is copied in, fsync on (the"
        " median of a few). MB are 10⁶ bytes."
    )
    return intro + "\n\n" + markdown_table(TABLE_HEADER, rows)


def _seeds(results: ScaleResults) -> str:
    if not results.seeds_cold:
        return ""
    rows = [[label, f"{seconds * 1e3:.0f}"] for label, seconds in results.seeds_cold.items()]
    intro = (
        "## Cold start on the seeds\n\nThe five seed articles, each system's index of them;"
        " the median of fresh processes, as above, beside the interpreter's own start."
    )
    return intro + "\n\n" + markdown_table(["command", "ms"], rows)


def _charts(results: ScaleResults) -> str:
    if not results.points:
        return ""
    charts = [
        chart(results.points, "warm p50", "ms", lambda p: p.p50 * 1e3),
        chart(results.points, "build", "s", lambda p: p.build_seconds),
    ]
    intro = "## Charts\n\nBars on a log scale, shared by every system of a chart."
    return intro + "\n\n" + "\n\n".join(charts)


def chart(points: list[Point], name: str, unit: str, value: Callable[[Point], float]) -> str:
    """Log-scale text bars of one measure, grouped by system, one bar per size."""
    systems = list(dict.fromkeys(p.system for p in points))
    points = sorted(points, key=lambda p: (systems.index(p.system), p.articles))
    values = [value(p) for p in points]
    low, high = math.log(min(values)), math.log(max(values))
    span = high - low or 1.0
    label = max(len(f"{p.system} {p.size}") for p in points)
    lines = [f"{name} ({unit}, log scale)"]
    for p, v in zip(points, values, strict=True):
        bar = "█" * (1 + round((BAR_WIDTH - 1) * (math.log(v) - low) / span))
        lines.append(f"{p.system + ' ' + p.size:<{label}}  {bar:<{BAR_WIDTH}}  {v:,.1f}")
    return "```\n" + "\n".join(lines) + "\n```"


def growth_rows(points: list[Point]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the growth table: each system and measure, ``b`` per step."""
    systems = list(dict.fromkeys(p.system for p in points))
    rows: list[list[str]] = []
    steps: list[str] = []
    for system in systems:
        mine = sorted((p for p in points if p.system == system), key=lambda p: p.articles)
        steps = [f"{a.size} → {b.size}" for a, b in pairwise(mine)]
        for name, unit, value in MEASURES:
            if any(value(p) > 0 for p in mine):  # the update is dvsearch's alone
                rows.append([system, f"{name} ({unit})", *_cells(mine, value)])
    return ["system", "measure", *steps, "overall b", "grows"], rows


def _cells(points: list[Point], value: Callable[[Point], float]) -> list[str]:
    sizes = [float(p.articles) for p in points]
    costs = [value(p) for p in points]
    if len(points) < 2 or min(costs) <= 0:
        return ["–"] * max(len(points) - 1, 0) + ["–", "not measured"]
    pairs = pairwise(points)
    steps = [exponent(a.articles, value(a), b.articles, value(b)) for a, b in pairs]
    overall = fitted_exponent(sizes, costs)
    return [*(f"{b:.2f} ({growth(b)})" for b in steps), f"{overall:.2f}", growth(overall)]


def _growth(results: ScaleResults) -> str:
    if len({p.articles for p in results.points}) < 2:
        return ""
    header, rows = growth_rows(results.points)
    intro = (
        "## How each cost grows\n\n`b` in cost ∝ articles^b between consecutive sizes, and"
        " overall (least squares on log–log over every size): below 0.9 sub-linear, above 1.1"
        " super-linear, linear between."
    )
    return intro + "\n\n" + markdown_table(header, rows)
