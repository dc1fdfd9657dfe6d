"""What the speed harness measured, and the targets of the speed issue judged on it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from speed_measure import percentile

SYSTEMS = ["dvsearch", "whoosh", "fts5", "tantivy", "recoll"]  # the last two where installed


@dataclass(frozen=True)
class Build:
    """A full index build of one corpus by one system."""

    system: str
    size: str
    articles: int
    text_mb: float
    seconds: float
    peak_rss_mb: float
    index_mb: float
    said: str = ""  # the system's own summary line, when it prints one

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.text_mb / self.seconds

    @property
    def index_ratio(self) -> float:
        return self.index_mb / self.text_mb


@dataclass(frozen=True)
class Latency:
    """Warm per-query times of one system on one corpus, in one process."""

    system: str
    size: str
    seconds: dict[str, float]  # qid -> median over the timed rounds
    hits: dict[str, int]
    open_seconds: float
    peak_rss_mb: float

    def quantile(self, share: float, qids: list[str] | None = None) -> float:
        chosen = self.seconds if qids is None else qids
        return percentile([self.seconds[qid] for qid in chosen], share)


@dataclass(frozen=True)
class Step:
    """One timed run of a command: an incremental update, or a cold start."""

    label: str
    seconds: float
    peak_rss_mb: float = 0.0
    said: str = ""


@dataclass(frozen=True)
class Durability:
    """One dvsearch command timed with fsync on (the default) and with ``DVSEARCH_FSYNC=0``."""

    size: str
    change: str  # "rebuild", or "add N" for an update
    on: tuple[float, ...]  # seconds of each run
    off: tuple[float, ...]  # the baseline, from the same run
    command: str  # as typed in a shell, fsync on

    @property
    def on_seconds(self) -> float:
        return statistics.median(self.on)

    @property
    def off_seconds(self) -> float:
        return statistics.median(self.off)

    @property
    def ratio(self) -> float:
        return self.on_seconds / self.off_seconds


@dataclass(frozen=True)
class Checksums:
    """``integrity.record_checksums`` and ``integrity.verify`` on one live generation."""

    size: str
    files: int
    generation_mb: float  # the bytes the record covers, 10⁶ to a MB
    record_seconds: float  # median of ``runs``
    verify_seconds: float  # median of ``runs``
    runs: int


@dataclass
class Results:
    """Everything one run measured, and how it was run."""

    command: str
    date: str
    cpus: int | None
    python: str
    queries: dict[str, tuple[str, str]]  # qid -> (category, text)
    rounds: int
    cold_runs: int
    corpora: dict[str, str] = field(default_factory=dict)  # size -> description
    builds: list[Build] = field(default_factory=list)
    latencies: list[Latency] = field(default_factory=list)
    updates: list[Step] = field(default_factory=list)
    update_size: str = ""
    cold: dict[str, list[Step]] = field(default_factory=dict)  # where -> steps
    durability: list[Durability] = field(default_factory=list)
    checksums: list[Checksums] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def build(self, system: str, size: str) -> Build | None:
        return next((b for b in self.builds if (b.system, b.size) == (system, size)), None)

    def latency(self, system: str, size: str) -> Latency | None:
        found = (x for x in self.latencies if (x.system, x.size) == (system, size))
        return next(found, None)

    @property
    def largest(self) -> str:
        return list(self.corpora)[-1] if self.corpora else ""


@dataclass(frozen=True)
class Target:
    """One goal of the speed issue, with the figure measured for it in this run."""

    goal: str
    measured: str
    met: bool | None  # None when the run did not measure it


def targets(results: Results) -> list[Target]:
    """Every target of the issue, judged on the largest corpus of the run."""
    size = results.largest
    return [
        _throughput(results, size),
        *_warm(results, size),
        _cold_ratio(results),
        _cold_at_scale(results, size),
        _incremental(results),
        _index_size(results, size),
        _memory(results),
    ]


def _throughput(results: Results, size: str) -> Target:
    goal = "indexing ≥ 0.5× bare whoosh's articles/s"
    ours, floor = results.build("dvsearch", size), results.build("whoosh", size)
    if ours is None or floor is None:
        return Target(goal, "not measured", None)
    ratio = ours.articles_per_second / floor.articles_per_second
    return Target(
        goal,
        f"{ratio:.2f}× ({ours.articles_per_second:.0f} / "
        f"{floor.articles_per_second:.0f} articles/s)",
        ratio >= 0.5,
    )


def _warm(results: Results, size: str) -> list[Target]:
    ours, peer = results.latency("dvsearch", size), results.latency("fts5", size)
    if ours is None:
        return [Target(g, "not measured", None) for g in _WARM_GOALS]
    p50, p95 = ours.quantile(0.5) * 1e3, ours.quantile(0.95) * 1e3
    found = [
        Target(_WARM_GOALS[0], f"{p50:.1f} ms", p50 <= 30),
        Target(_WARM_GOALS[1], f"{p95:.1f} ms", p95 <= 100),
    ]
    if peer is None:
        return [*found, Target(_WARM_GOALS[2], "not measured", None)]
    ratio = p50 / (peer.quantile(0.5) * 1e3)
    return [*found, Target(_WARM_GOALS[2], f"{ratio:.1f}×", ratio <= 10)]


_WARM_GOALS = (
    "warm query p50 ≤ 30 ms (passages included)",
    "warm query p95 ≤ 100 ms (phrases included)",
    "warm query p50 ≤ 10× FTS5's p50",
)


def _cold_ratio(results: Results) -> Target:
    goal = "cold `dvsearch query` on the seeds ≤ 8× `python -c pass`"
    steps = {step.label: step.seconds for step in results.cold.get("seeds", [])}
    if "dvsearch query" not in steps or "python -c pass" not in steps:
        return Target(goal, "not measured", None)
    ratio = steps["dvsearch query"] / steps["python -c pass"]
    return Target(goal, f"{ratio:.1f}×", ratio <= 8)


def _cold_at_scale(results: Results, size: str) -> Target:
    goal = "cold `dvsearch query` ≤ 0.5 s"
    steps = {step.label: step.seconds for step in results.cold.get(size, [])}
    if "dvsearch query" not in steps:
        return Target(goal, "not measured", None)
    return Target(goal, f"{steps['dvsearch query']:.2f} s", steps["dvsearch query"] <= 0.5)


def _incremental(results: Results) -> Target:
    goal = "incremental add of 1 article ≤ 2 s"
    step = next((s for s in results.updates if s.label == "add 1"), None)
    if step is None:
        return Target(goal, "not measured", None)
    return Target(goal, f"{step.seconds:.2f} s", step.seconds <= 2)


def _index_size(results: Results, size: str) -> Target:
    goal = "index ≤ 1.5× the raw text"
    ours = results.build("dvsearch", size)
    if ours is None:
        return Target(goal, "not measured", None)
    return Target(
        goal,
        f"{ours.index_ratio:.2f}× ({ours.index_mb:.0f} MB for {ours.text_mb:.0f} MB)",
        ours.index_ratio <= 1.5,
    )


def _memory(results: Results) -> Target:
    """The largest peak RSS of any dvsearch process in the run: build, update or queries."""
    goal = "peak RSS ≤ 500 MB"
    peaks = [b.peak_rss_mb for b in results.builds if b.system == "dvsearch"]
    peaks += [x.peak_rss_mb for x in results.latencies if x.system == "dvsearch"]
    peaks += [step.peak_rss_mb for step in results.updates]
    if not peaks:
        return Target(goal, "not measured", None)
    return Target(goal, f"{max(peaks):.0f} MB", max(peaks) <= 500)
