"""What a cold ``dvsearch query`` is made of: the interpreter, then each library it loads,
then dvsearch itself, each the median of fresh processes (issue 17: a cold query on the
seeds within 5× ``python -c pass``).

    python benchmarks/cold_floor.py                       # the seeds, 21 runs a line
    python benchmarks/cold_floor.py --index PATH --runs 11

Each line adds one import to the line above, so the differences are what each costs when it
is loaded in a query's order; the last lines are the console script a user types. Run from
an empty folder, so every import comes from the installed dvsearch. The report goes to
``benchmarks/results/cold-floor.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
from pathlib import Path

from speed_measure import median_seconds, publish, run_measured

ROOT = Path(__file__).resolve().parents[1]
QUERY = "dân vận khéo"
TARGET = 5.0  # × python -c pass, on the seeds
WHOOSH = "from dvsearch.engine.loading import import_whoosh; import_whoosh()"
LIBRARIES = "+ whoosh, as dvsearch loads it"
CLI = "import dvsearch.cli (no numpy)"
# (label, the code a fresh interpreter runs, the line it adds to)
IMPORTS = (
    ("python -c pass", "pass", None),
    ("+ click", "import click", "python -c pass"),
    ("+ rich.console", "import click, rich.console", "+ click"),
    (LIBRARIES, f"import click, rich.console; {WHOOSH}", "+ rich.console"),
    (
        "+ numpy (archives over 1,000 articles)",
        f"import click, rich.console, numpy; {WHOOSH}",
        LIBRARIES,
    ),
    (CLI, "import dvsearch.cli", LIBRARIES),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="fresh processes a line")
    parser.add_argument(
        "--index", type=Path, action="append", default=[], help="also query this index"
    )
    parser.add_argument("--out", type=Path, help="report (default benchmarks/results/…)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    script = Path(sys.executable).parent / "dvsearch"
    if not script.exists():
        print(
            f"no dvsearch console script beside {sys.executable}: install dvsearch", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory() as empty:
        cwd = Path(empty)
        seeds = cwd / "seeds-index"
        run_measured(
            [str(script), "index", "--seeds", str(ROOT / "seeds"), "--index", str(seeds)], cwd
        )
        lines = [(label, [sys.executable, "-c", code], base) for label, code, base in IMPORTS]
        for name, index in [("the seeds", seeds), *((str(path), path) for path in options.index)]:
            query = [str(script), "query", QUERY, "--index", str(index)]
            lines.append((f"dvsearch query on {name}", query, CLI))
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        timed = [
            (label, median_seconds(command, options.runs, cwd, env), base)
            for label, command, base in lines
        ]
    report = render(options, timed)
    publish(report, options.out or ROOT / "benchmarks" / "results" / "cold-floor.md")
    return 0


def render(options: argparse.Namespace, timed: list[tuple[str, float, str | None]]) -> str:
    """The table, each line against the interpreter alone and against the line above."""
    seconds_of = {label: seconds for label, seconds, _ in timed}
    python = seconds_of["python -c pass"]
    command = "python benchmarks/cold_floor.py" + "".join(f" --index {p}" for p in options.index)
    lines = [
        "# What a cold query is made of",
        "",
        f"- command: `{command} --runs {options.runs}`",
        f"- date: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}; "
        f"CPU cores (`os.cpu_count()`): {os.cpu_count()}; Python {sys.version.split()[0]}; "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- each line: the median of {options.runs} fresh processes after one untimed run",
        "",
        "| process | ms | × python -c pass | + ms (over) |",
        "| --- | --- | --- | --- |",
    ]
    for label, seconds, base in timed:
        added = "" if base is None else f"{(seconds - seconds_of[base]) * 1e3:+.1f} ({base})"
        lines.append(f"| {label} | {seconds * 1e3:.1f} | {seconds / python:.2f} | {added} |")
    libraries = seconds_of[LIBRARIES]
    seeds = seconds_of["dvsearch query on the seeds"]
    left = (TARGET * python - libraries) * 1e3
    room = (
        f"which leaves {left:.1f} ms for dvsearch's own imports, opening the index, the "
        "search, the passages and the output"
        if left >= 0
        else f"which these three libraries alone overrun by {-left:.1f} ms"
    )
    lines += [
        "",
        f"- click, rich and whoosh alone, before any dvsearch code: {libraries * 1e3:.1f} ms, "
        f"{libraries / python:.2f}× the interpreter's start; the target ({TARGET:.0f}×) is "
        f"{TARGET * python * 1e3:.1f} ms, {room}.",
        f"- the seeds' query: {seeds * 1e3:.1f} ms, {seeds / python:.2f}× the interpreter's "
        f"start; {(seeds - libraries) * 1e3:.1f} ms of it is dvsearch's own.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
