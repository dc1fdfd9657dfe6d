"""Where an update's time goes: ``update_index`` run in this process with a timer around
each of its stages (issue 17: adding one article to 37,773 in under a second, fsync on).

    python benchmarks/update_stages.py --seeds ARTICLES --index INDEX [--runs 3]

Each run adds nothing: point it at an index whose folder has just gained an article, on a
hard-link copy (``cp -al``) of a prepared index, one copy a run. Times are wall milliseconds
of the first call chain that reaches each stage; nested stages are indented under theirs.
Stages the running version does not have are left out, so one script times old and new code.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (module, function, depth): the stages in the order an update reaches them.
STAGES = (
    ("dvsearch.index.build", "_scan_folders", 0),
    ("dvsearch.index.build", "load_table", 0),
    ("dvsearch.index.build", "_sound_live_generation", 0),
    ("dvsearch.index.build", "_indexed_digests", 0),
    ("dvsearch.index.build", "_read_source_files", 0),
    ("dvsearch.index.store", "new_generation", 0),
    ("dvsearch.index.build", "_apply_changes", 0),
    ("dvsearch.index.store", "refuse_read_damage", 0),
    ("dvsearch.index.build", "_write_tables", 0),
    ("dvsearch.index.build", "write_copies", 1),
    ("dvsearch.index.build", "_write_vocabulary", 1),
    ("dvsearch.index.terms", "_count_segment", 2),
    ("dvsearch.index.terms", "_previous_table", 2),
    ("dvsearch.index.terms", "update_vocabulary", 2),
    ("dvsearch.search.vocabulary", "vocabulary_json", 2),
    ("dvsearch.index.terms", "_previous_vocabulary", 2),
    ("dvsearch.index.terms", "updated_delta", 2),
    ("dvsearch.index.terms", "_write_delta", 2),
    ("dvsearch.index.terms", "_write_base", 2),
    ("dvsearch.index.staleness", "write_record", 0),
    ("dvsearch.index.store", "publish_generation", 0),
    ("dvsearch.index.integrity", "record_checksums", 1),
    ("dvsearch.index.durability", "sync_generation", 1),
    ("dvsearch.index.durability", "write_durably", 1),
    ("dvsearch.index.store", "remove_stale_generations", 1),
)


def timed(totals: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` adding its wall time to ``totals[name]`` (a generator: its iteration's)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
            if hasattr(result, "__next__"):
                result = list(result)
            return result
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def install(totals: dict[str, float]) -> None:
    for module_name, attribute, _ in STAGES:
        module = importlib.import_module(module_name)
        if not hasattr(module, attribute):  # a stage of another version of dvsearch
            continue
        setattr(module, attribute, timed(totals, attribute, getattr(module, attribute)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--no-gc", action="store_true", help="with the garbage collector off")
    arguments = parser.parse_args()
    started = time.perf_counter()
    from dvsearch.index import build

    imported = time.perf_counter() - started
    totals: dict[str, float] = {}
    install(totals)
    if arguments.no_gc:
        import gc

        gc.disable()
    start = time.perf_counter()
    report = build.update_index(arguments.seeds, arguments.index)
    total = time.perf_counter() - start
    print(f"imports before the run: {imported * 1e3:.0f} ms")
    for _, attribute, depth in STAGES:
        if attribute in totals:
            print(f"{'  ' * depth}{attribute}: {totals[attribute] * 1e3:.0f} ms")
    counts = f"added {report.added}, unchanged {report.unchanged}"
    print(f"update_index: {total * 1e3:.0f} ms ({counts})")


if __name__ == "__main__":
    main()
