"""Where a full build's time goes, beside bare whoosh's build of the same articles (issue 17:
a build at least as fast as whoosh's; "profile first: pyvi's CRF, the three views, posting
aggregation").

    python benchmarks/build_profile.py                 # 1,000 real articles, about 1 minute
    python benchmarks/build_profile.py --articles 200  # quicker

Both systems build in one process (dvsearch's pinned to one core, whoosh's has no workers),
so the comparison is per core and the profile holds the whole build. dvsearch builds twice:
once plain (its wall time, beside whoosh's), once under cProfile; the profile's time is split
by what each function belongs to, time spent in built-in functions (``str.translate``,
``zlib.compress``…) counted for the Python function that called them, and pyvi's CRF tagger
(python-crfsuite, compiled Cython that cProfile cannot see into) as the own time of the
function that calls it.
cProfile slows Python code more than compiled code, so the shares lean towards the Python
parts; the plain build's seconds are split by those shares. The report goes to
``benchmarks/results/build-profile.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from speed_corpus import corpus_documents, ordered_articles, prepare_corpus
from speed_measure import publish, run_measured

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
CRF = "word segmentation: pyvi's CRF tagger and the spans it labels"
# python-crfsuite is Cython, whose calls cProfile does not see: the tagger's time is the own
# time of the function that calls it.
TAGGING = ("dvsearch/vietnamese/segmentation.py", "_segment")
WHOOSH_PART = "whoosh: documents, posting pool, segment files"
# (where the code lives, what the report calls it): the first match wins.
GROUPS = (
    ("dvsearch/vietnamese/segmentation.py", "word segmentation: the features pyvi's model reads"),
    ("dvsearch/vietnamese/", "syllables, folding, accents"),
    ("dvsearch/analysis.py", "analysis: the folded, exact and compound views"),
    ("dvsearch/engine/exact_pairs.py", "analysis: the folded, exact and compound views"),
    ("dvsearch/engine/accents.py", "analysis: the folded, exact and compound views"),
    ("dvsearch/articles/", "reading and cleaning article files"),
    ("dvsearch/engine/", "dvsearch's posting blocks, term infos and field writers"),
    ("dvsearch/index/", "index tables: digests, copies, vocabulary, checksums"),
    ("whoosh/", WHOOSH_PART),
)
OTHER = "interpreter, imports, standard library"
StatsTable = Mapping[tuple[str, int, str], tuple[Any, ...]]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="real articles to build")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "benchmarks" / "work" / "build-profile", help="work"
    )
    parser.add_argument("--out", type=Path, help="report (default benchmarks/results/…)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(*argv[1:])
    options = parse_args(argv)
    data = options.shared / "data"
    if not data.is_dir():
        print(f"no shared data in '{data}': pass --shared PATH", file=sys.stderr)
        return 1
    docs = corpus_documents(ordered_articles(data), options.articles)
    work = options.work.resolve()
    corpus = prepare_corpus(str(len(docs)), work / "articles" / str(len(docs)), docs)
    whoosh = _timed([sys.executable, str(HERE / "speed_worker.py"), "build", "whoosh"], corpus)
    plain = _timed([sys.executable, __file__, "--child", "plain"], corpus)
    stats_file = work / "build.pstats"
    _timed([sys.executable, __file__, "--child", str(stats_file)], corpus)
    shares = stage_seconds(pstats.Stats(str(stats_file)).stats)  # type: ignore[attr-defined]
    report = render(options, corpus.articles, corpus.text_bytes, whoosh, plain, shares)
    publish(report, options.out or ROOT / "benchmarks" / "results" / "build-profile.md")
    return 0


def _timed(command: list[str], corpus: Any) -> float:
    """The wall seconds of one build of ``corpus`` by ``command`` (articles and index appended),
    into a fresh folder, fsyncs off (the whoosh floor makes none)."""
    target = corpus.folder.parent.parent / "index"
    shutil.rmtree(target, ignore_errors=True)
    env = {**os.environ, "DVSEARCH_FSYNC": "0"}
    return run_measured([*command, str(corpus.folder), str(target)], HERE, env).seconds


def _child(kind: str, articles: str, index: str) -> int:
    """One dvsearch build in this process, pinned to one core, so that dvsearch builds without
    worker processes (``parallel.worker_count`` counts the cores it may use) and the profile
    holds all of it: plain, or profiled into the file ``kind`` names."""
    from dvsearch.index.build import update_index

    if not hasattr(os, "sched_setaffinity"):
        raise SystemExit("pinning to one core needs os.sched_setaffinity (Linux)")
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    if kind == "plain":
        update_index(Path(articles), Path(index))
        return 0
    profile = cProfile.Profile()
    profile.runcall(update_index, Path(articles), Path(index))
    profile.dump_stats(kind)
    return 0


def group_of(key: tuple[str, int, str]) -> str | None:
    """The group of a profiled function; None for a built-in, which its callers are charged."""
    filename, _, name = key
    if filename == "~":
        return CRF if "pycrfsuite" in name else None
    path = filename.replace(os.sep, "/")
    if path.endswith(TAGGING[0]) and name == TAGGING[1]:
        return CRF
    return next((label for where, label in GROUPS if where in path), OTHER)


def stage_seconds(stats: StatsTable) -> dict[str, float]:
    """Each group's own time, in profiled seconds: every function's time without its callees,
    a built-in's shared among its callers by the time each call site spent in it."""
    totals: dict[str, float] = {}
    for key, (_, _, own, _, callers) in stats.items():
        group = group_of(key)
        if group is not None:
            totals[group] = totals.get(group, 0.0) + own
            continue
        sites = {caller: figures[2] for caller, figures in callers.items()}
        spent = sum(sites.values())
        for caller, seconds in sites.items():
            charged = group_of(caller) or OTHER
            share = own * seconds / spent if spent else own / len(sites)
            totals[charged] = totals.get(charged, 0.0) + share
        if not sites:
            totals[OTHER] = totals.get(OTHER, 0.0) + own
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def render(
    options: argparse.Namespace,
    articles: int,
    text_bytes: int,
    whoosh: float,
    plain: float,
    shares: Mapping[str, float],
) -> str:
    """The report: both builds' wall times, then the plain build's seconds split by group."""
    profiled = sum(shares.values()) or 1.0
    lines = [
        "# Where a build's time goes",
        "",
        f"- command: `python benchmarks/build_profile.py --articles {options.articles}`",
        f"- date: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}; "
        f"CPU cores (`os.cpu_count()`): {os.cpu_count()}; both builds in one process on one core; "
        f"load average before the report {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- corpus: the first {articles:,} real articles of the speed corpus, "
        f"{text_bytes / 1e6:.1f} MB",
        "",
        "| build, one process | wall s | articles/s | × whoosh's throughput |",
        "| --- | --- | --- | --- |",
        f"| bare whoosh (`speed_worker.py build whoosh`) | {whoosh:.2f} | "
        f"{articles / whoosh:.0f} | 1.00 |",
        f"| dvsearch (`update_index`, fsync off) | {plain:.2f} | {articles / plain:.0f} | "
        f"{whoosh / plain:.2f} |",
        "",
        "The dvsearch build under cProfile, split by what the time was spent in (own time of "
        "each function, built-ins charged to their callers); seconds are the plain build's "
        "wall time split by these shares:",
        "",
        "| part | share | ≈ s of the plain build | × whoosh's whole build |",
        "| --- | --- | --- | --- |",
    ]
    for label, seconds in shares.items():
        share = seconds / profiled
        lines.append(
            f"| {label} | {share:.1%} | {share * plain:.2f} | {share * plain / whoosh:.2f} |"
        )
    lines += ["", *_reading(shares, profiled, plain, whoosh), ""]
    return "\n".join(lines)


def _reading(
    shares: Mapping[str, float], profiled: float, plain: float, whoosh: float
) -> list[str]:
    """What the split says about the target: the time dvsearch spends beside whoosh's own."""
    segmentation = sum(s for label, s in shares.items() if label.startswith("word segmentation"))
    inside_whoosh = shares.get(WHOOSH_PART, 0.0) / profiled * plain
    beside = plain - inside_whoosh
    return [
        f"- Word segmentation (pyvi's model and its features) is {segmentation / profiled:.0%} "
        f"of the build, {segmentation / profiled * plain / whoosh:.2f}× whoosh's whole build "
        "on its own.",
        f"- whoosh's own code inside dvsearch's build: ≈ {inside_whoosh:.2f} s "
        f"({inside_whoosh / whoosh:.2f}× its bare build, which analyses one view of each text); "
        f"everything else ≈ {beside:.2f} s.",
        f"- A build as fast as bare whoosh's would have to fit all of dvsearch's own work in "
        f"{max(whoosh - inside_whoosh, 0.0):.2f} s, where it now takes {beside:.2f} s.",
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
