"""Issue 17's targets, judged on the figures of one scale run.

Each target reads the run's own points, so a ratio always compares systems measured in the same
run. Build and query targets are judged on the largest real (not simulated) size, and on 10,000
articles where the issue names that size; a size or system the run did not measure gives
"not measured" instead of a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scale_corpus import PREFIX
from scale_report import Point, ScaleResults, markdown_table

TEN_THOUSAND = 10_000


@dataclass(frozen=True)
class Target:
    """One goal with the figure measured for it; ``met`` is None when it was not measured."""

    goal: str
    measured: str
    met: bool | None


def targets(results: ScaleResults) -> list[Target]:
    """Every target of issue 17, in the issue's order."""
    largest = _largest_real(results.points)
    build_sizes = sorted({TEN_THOUSAND, largest} - {0})
    found = [_build(results.points, size) for size in build_sizes]
    found += [
        _index_size(results.points, largest),
        *_warm(results.points, largest),
        _cold_at(results.points, TEN_THOUSAND),
        _cold_on_seeds(results.seeds_cold),
        _update(results.points, largest),
    ]
    return found


def render_targets(results: ScaleResults) -> str:
    """The targets table as markdown, or nothing when the run measured no real size."""
    if not results.points:
        return ""
    rows = [[t.goal, t.measured, _verdict(t.met)] for t in targets(results)]
    intro = (
        "## Issue 17's targets\n\nJudged on this run's figures only: the largest real size for"
        " builds, size and queries, 10,000 articles where the issue names it."
    )
    return intro + "\n\n" + markdown_table(["target", "measured", "met"], rows)


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


def _largest_real(points: list[Point]) -> int:
    real = [p.articles for p in points if not p.size.startswith(PREFIX)]
    return max(real, default=0)


def _at(points: list[Point], system: str, articles: int) -> Point | None:
    for point in points:
        if (point.system, point.articles) == (system, articles) and not point.size.startswith(
            PREFIX
        ):
            return point
    return None


def _size(articles: int) -> str:
    return f"{articles:,} articles"


def _build(points: list[Point], articles: int) -> Target:
    goal = f"full build ≥ 1.0× bare whoosh's throughput, {_size(articles)}"
    ours, whoosh = _at(points, "dvsearch", articles), _at(points, "whoosh", articles)
    if ours is None or whoosh is None:
        return Target(goal, "–", None)
    ratio = whoosh.build_seconds / ours.build_seconds
    measured = f"{ratio:.2f}× ({ours.build_seconds:.1f} s against {whoosh.build_seconds:.1f} s)"
    return Target(goal, measured, ratio >= 1.0)


def _index_size(points: list[Point], articles: int) -> Target:
    goal = f"index ≤ 1.5× the raw text, {_size(articles)}"
    ours = _at(points, "dvsearch", articles)
    if ours is None:
        return Target(goal, "–", None)
    measured = f"{ours.index_ratio:.2f}× ({ours.index_mb:.1f} MB for {ours.text_mb:.1f} MB)"
    return Target(goal, measured, ours.index_ratio <= 1.5)


def _warm(points: list[Point], articles: int) -> list[Target]:
    ours = _at(points, "dvsearch", articles)
    size = _size(articles)
    checks: list[tuple[str, str, Callable[[Point], float], float]] = [
        ("fts5", "p50", lambda p: p.p50, 1.0),
        ("recoll", "p50", lambda p: p.p50, 1.0),
        ("fts5", "p95", lambda p: p.p95, 2.0),
    ]
    found = []
    for peer, quantile, value, allowed in checks:
        times = "" if allowed == 1.0 else f"{allowed:.0f}× "
        goal = f"warm {quantile} ≤ {times}{peer}'s, passages included, {size}"
        theirs = _at(points, peer, articles)
        if ours is None or theirs is None:
            found.append(Target(goal, "–", None))
            continue
        ratio = value(ours) / value(theirs)
        measured = f"{value(ours) * 1e3:.1f} ms against {value(theirs) * 1e3:.1f} ({ratio:.2f}×)"
        found.append(Target(goal, measured, ratio <= allowed))
    return found


def _cold_at(points: list[Point], articles: int) -> Target:
    goal = f"cold `dvsearch query` ≤ 200 ms, {_size(articles)}"
    ours = _at(points, "dvsearch", articles)
    if ours is None:
        return Target(goal, "–", None)
    return Target(goal, f"{ours.cold * 1e3:.0f} ms", ours.cold <= 0.2)


def _cold_on_seeds(seeds: dict[str, float]) -> Target:
    goal = "cold `dvsearch query` on the seeds ≤ 5× `python -c pass`"
    query, python = seeds.get("dvsearch query"), seeds.get("python -c pass")
    if not query or not python:
        return Target(goal, "–", None)
    ratio = query / python
    measured = f"{ratio:.1f}× ({query * 1e3:.0f} ms against {python * 1e3:.0f} ms)"
    return Target(goal, measured, ratio <= 5.0)


def _update(points: list[Point], articles: int) -> Target:
    goal = f"update after adding 1 article ≤ 1 s, fsync on, {_size(articles)}"
    ours = _at(points, "dvsearch", articles)
    if ours is None or ours.update <= 0:
        return Target(goal, "–", None)
    return Target(goal, f"{ours.update:.2f} s", ours.update <= 1.0)
