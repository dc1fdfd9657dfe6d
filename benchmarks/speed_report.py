"""The speed harness's markdown report: one table per measurement, the targets first."""

from __future__ import annotations

from speed_results import SYSTEMS, Latency, Results, targets

SLOWEST = 10


def render(results: Results) -> str:
    """The whole report as markdown."""
    parts = [_header(results), _targets(results), _builds(results), _latencies(results)]
    parts += [_categories(results), _slowest(results), _durability(results)]
    parts += [_checksums(results), _updates(results), _cold(results)]
    parts.append(_notes(results))
    return "\n\n".join(part for part in parts if part) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _header(results: Results) -> str:
    corpora = "; ".join(f"{size}: {text}" for size, text in results.corpora.items())
    return "\n".join(
        [
            "# Speed: dvsearch and its peers",
            "",
            f"- command: `{results.command}`",
            f"- date: {results.date}; CPU cores (`os.cpu_count()`): {results.cpus};"
            f" Python {results.python}",
            f"- corpora (shared vntc + vietnews news, written as article files): {corpora}",
            "- every figure below comes from this one run; steps ran one at a time",
        ]
    )


def _targets(results: Results) -> str:
    size = results.largest
    rows = [[t.goal, t.measured, _verdict(t.met)] for t in targets(results)]
    return f"## Targets, on the {size}-article corpus\n\n" + _table(
        ["target", "measured", "met"], rows
    )


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else "met" if met else "**not met**"


def _builds(results: Results) -> str:
    rows = [
        [
            b.size,
            b.system,
            f"{b.articles:,}",
            f"{b.seconds:.1f}",
            f"{b.articles_per_second:.0f}",
            f"{b.mb_per_second:.2f}",
            f"{b.peak_rss_mb:.0f}",
            f"{b.index_mb:.1f}",
            f"{b.index_ratio:.2f}",
        ]
        for b in results.builds
    ]
    header = ["corpus", "system", "articles", "seconds", "articles/s", "MB/s", "peak RSS MB"]
    header += ["index MB", "index / text"]
    intro = "## Full index build\n\nMB are 10⁶ bytes of UTF-8 article text; RSS is the builder's."
    return intro + "\n\n" + _table(header, rows)


def _latencies(results: Results) -> str:
    rows = [
        [
            x.size,
            x.system,
            _ms(x.quantile(0.5)),
            _ms(x.quantile(0.95)),
            _ms(max(x.seconds.values())),
            f"{x.open_seconds:.2f}",
            f"{x.peak_rss_mb:.0f}",
        ]
        for x in results.latencies
    ]
    header = ["corpus", "system", "p50 ms", "p95 ms", "max ms", "open s", "peak RSS MB"]
    intro = (
        f"## Warm queries\n\n{len(results.queries)} fixed queries, top 10 with passages, in one"
        f" process per system and corpus: one untimed pass, then each query's median of"
        f" {results.rounds} timed round(s). `open s` is the time to open the index."
    )
    return intro + "\n\n" + _table(header, rows)


def _categories(results: Results) -> str:
    size = results.largest
    found = [x for s in SYSTEMS if (x := results.latency(s, size)) is not None]
    if not found:
        return ""
    categories: dict[str, list[str]] = {}
    for qid, (category, _) in results.queries.items():
        categories.setdefault(category, []).append(qid)
    rows = [
        [category, str(len(qids)), *[_p50_p95(x, qids) for x in found]]
        for category, qids in categories.items()
    ]
    header = ["category", "queries", *[f"{x.system} p50 / p95 ms" for x in found]]
    return f"## Warm queries by category, {size} articles\n\n" + _table(header, rows)


def _p50_p95(latency: Latency, qids: list[str]) -> str:
    return f"{_ms(latency.quantile(0.5, qids))} / {_ms(latency.quantile(0.95, qids))}"


def _slowest(results: Results) -> str:
    size = results.largest
    ours = results.latency("dvsearch", size)
    if ours is None:
        return ""
    worst = sorted(ours.seconds, key=ours.seconds.__getitem__, reverse=True)[:SLOWEST]
    peers = [x for s in SYSTEMS[1:] if (x := results.latency(s, size)) is not None]
    rows = [
        [
            f"`{results.queries[qid][1]}`",
            results.queries[qid][0],
            str(ours.hits[qid]),
            _ms(ours.seconds[qid]),
            *[_ms(x.seconds[qid]) for x in peers],
        ]
        for qid in worst
    ]
    header = ["query", "category", "hits shown", "dvsearch ms", *[f"{x.system} ms" for x in peers]]
    return f"## Slowest dvsearch queries, {size} articles\n\n" + _table(header, rows)


def _updates(results: Results) -> str:
    if not results.updates:
        return ""
    rows = [
        [step.label, f"{step.seconds:.2f}", f"{step.peak_rss_mb:.0f}", step.said]
        for step in results.updates
    ]
    intro = (
        f"## Incremental update, {results.update_size} articles\n\n`dvsearch index` (no"
        " `--rebuild`) after adding held-back article files to the corpus folder, then after"
        " removing them again."
    )
    return intro + "\n\n" + _table(["change", "seconds", "peak RSS MB", "dvsearch says"], rows)


def _durability(results: Results) -> str:
    if not results.durability:
        return ""
    rows = [
        [
            step.size,
            step.change,
            f"{step.on_seconds:.2f}",
            f"{step.off_seconds:.2f}",
            f"{step.ratio:.2f}×",
            f"{step.on_seconds - step.off_seconds:+.2f}",
            f"{_spread(step.on)} / {_spread(step.off)}",
        ]
        for step in results.durability
    ]
    header = ["corpus", "step", "fsync on s", "`DVSEARCH_FSYNC=0` s", "on / off", "on − off s"]
    header.append("range on / off s")
    intro = (
        "## Cost of durability: fsync\n\n`dvsearch index --rebuild` over a copy of the built"
        " index, and"
        " `dvsearch index` after adding that many held-back article files (each run then removes"
        " them and updates again, untimed): the median of"
        f" {len(results.durability[0].on)} runs with fsync on (the default) and of as many with"
        " `DVSEARCH_FSYNC=0`, the baseline, taken in turns in this same run."
    )
    commands = {step.command: None for step in results.durability}
    listed = "\n".join(f"- `{command}` and `DVSEARCH_FSYNC=0 {command}`" for command in commands)
    return f"{intro}\n\n{_table(header, rows)}\n\nThe commands, exactly:\n\n{listed}"


def _spread(seconds: tuple[float, ...]) -> str:
    return f"{min(seconds):.2f}–{max(seconds):.2f}"


def _checksums(results: Results) -> str:
    if not results.checksums:
        return ""
    rows = [
        [
            step.size,
            f"{step.generation_mb:.1f}",
            str(step.files),
            _ms(step.record_seconds),
            _ms(step.verify_seconds),
            f"{step.generation_mb / step.verify_seconds:.0f}",
        ]
        for step in results.checksums
    ]
    header = ["corpus", "generation MB", "files", "record ms", "verify ms", "verify MB/s"]
    intro = (
        "## Cost of durability: checksums\n\n`integrity.record_checksums` (every file read, as"
        " a rebuild publishes) and `integrity.verify` (what an update does to the live generation"
        " before building on it), called by `speed_worker.py checksums` in one process on the"
        " live generation of each corpus's index just rebuilt, each the median of"
        f" {results.checksums[0].runs} calls after one untimed"
        " verification: the files are in the page cache, as just after a build. An update"
        " reads only its new files to record them: those it shares with the live generation"
        " keep their record."
    )
    return intro + "\n\n" + _table(header, rows)


def _cold(results: Results) -> str:
    rows = []
    commands: dict[str, None] = {}
    for where, steps in results.cold.items():
        base = next((s.seconds for s in steps if s.label == "python -c pass"), None)
        for step in steps:
            ratio = f"{step.seconds / base:.1f}×" if base else ""
            rows.append([where, step.label, _ms(step.seconds), ratio])
            commands[step.said] = None
    if not rows:
        return ""
    intro = (
        f"## Cold command line\n\nMedian wall time of {results.cold_runs} fresh processes after"
        " one untimed run (so files are in the page cache, as for a user's second query)."
    )
    table = _table(["corpus", "command", "median ms", "× python -c pass"], rows)
    listed = "\n".join(f"- `{command}`" for command in commands)
    return f"{intro}\n\n{table}\n\nThe commands, exactly:\n\n{listed}"


def _notes(results: Results) -> str:
    return "## Notes\n\n" + "\n".join(f"- {note}" for note in results.notes)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"
