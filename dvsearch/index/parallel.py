"""Building a new generation with one process per core, each writing a whoosh segment of its own.

Analysis (syllables, folding, pyvi segmentation) and posting writes are pure Python, so one
process uses one core. The articles are split into contiguous shares, each worker indexes its
share into a segment of the same whoosh index, and the parent records the segments in order:
article numbers, and with them every tie in the ranking, come out as a one-process build would
give them. whoosh's own ``MpWriter`` does the same but interleaves batches (other article
numbers) and leaves its workers running if the parent is killed.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import multiprocessing
import multiprocessing.connection
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from dvsearch.engine.segments import finish_segment, record_segments, segment_writer

Progress = Callable[[int, int], None]
# (writer, item) -> (True, the indexed article's signature) or (False, the warning)
AddFile = Callable[[Any, Any], tuple[bool, str]]

MIN_ARTICLES_PER_WORKER = 200  # below this, starting workers costs more than it saves


@dataclass
class ShareResult:
    """What one worker did with its share."""

    added: int = 0
    warnings: list[str] = field(default_factory=list)
    indexed: list[int] = field(default_factory=list)  # positions in the items of those indexed
    signatures: list[str] = field(default_factory=list)  # of those indexed, in the same order
    segment: Any = None


def worker_count(articles: int, cores: int | None = None) -> int:
    """How many processes a build of ``articles`` is worth on this machine; one where
    processes cannot be forked (Windows), since workers inherit the parent's state."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    available = cores if cores is not None else _usable_cores()
    return max(1, min(available, articles // MIN_ARTICLES_PER_WORKER))


def _usable_cores() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def build_in_parallel(
    generation: Path,
    items: Sequence[Any],
    add_file: AddFile,
    workers: int,
    progress: Progress | None = None,
    sizes: Sequence[int] | None = None,
) -> list[ShareResult]:
    """Index ``items`` into the empty whoosh index at ``generation`` with ``workers`` processes.

    ``add_file`` indexes one item with a writer: ``(True, signature)``, or ``(False, warning)``
    for an item it skipped.
    ``sizes`` (say, bytes of text) balance the shares; without them each gets as many items.
    Any failure or interruption stops every worker and raises; the caller drops the folder.
    """
    shares = contiguous_shares(sizes if sizes is not None else [1] * len(items), workers)
    context = multiprocessing.get_context("fork")
    links = []
    processes = []
    try:
        for share in shares:
            receiver, sender = context.Pipe(duplex=False)
            job = functools.partial(_write_segment, generation, items, share, add_file, sender)
            process = context.Process(target=_index_share, args=(job, sender), daemon=True)
            process.start()
            sender.close()
            links.append(receiver)
            processes.append(process)
        results = _gather(links, len(items), progress)
        record_segments(generation, [result.segment for result in results])
        return results
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def contiguous_shares(sizes: Sequence[int], workers: int) -> list[tuple[int, int]]:
    """``(start, end)`` of ``workers`` runs of items, in order, with about equal total size:
    the build ends with its slowest worker, and an equal count of articles was 10% more text
    for one worker than the other on the news corpus."""
    running = list(itertools.accumulate(max(size, 1) for size in sizes))
    total = running[-1] if running else 0
    inner = [_nearest_end(running, total * n / workers) for n in range(1, workers)]
    return list(itertools.pairwise([0, *inner, len(sizes)]))


def _nearest_end(running: list[int], target: float) -> int:
    """How many items to take so that their running total comes nearest ``target``."""
    reach = bisect.bisect_left(running, target)  # items up to ``reach`` inclusive reach it
    below = running[reach - 1] if reach > 0 else 0
    above = running[reach] if reach < len(running) else below
    return reach if target - below <= above - target else reach + 1


def _gather(links: list[Connection], total: int, progress: Progress | None) -> list[ShareResult]:
    """Collect each worker's progress ticks and final result, in share order."""
    results: list[ShareResult | None] = [None] * len(links)
    done = 0
    pending = dict(enumerate(links))
    while pending:
        for ready in multiprocessing.connection.wait(list(pending.values())):
            share = next(n for n, link in pending.items() if link is ready)
            try:
                message = pending[share].recv()
            except EOFError as error:
                raise RuntimeError("an indexing worker stopped without finishing") from error
            if isinstance(message, BaseException):
                raise message
            if isinstance(message, int):
                done += message
                if progress is not None:
                    progress(done, total)
                continue
            if not isinstance(message, ShareResult):
                raise RuntimeError(f"an indexing worker sent {type(message).__name__}")
            results[share] = message
            del pending[share]
    return [result for result in results if result is not None]


def _index_share(job: Callable[[], ShareResult], link: Connection) -> None:
    """A worker: ``job`` writes its share into a segment of its own; the result, or the error,
    travels back to the parent (the job is not pickled: workers are forked)."""
    try:
        link.send(job())
    except BaseException as error:
        link.send(error if isinstance(error, Exception) else RuntimeError(str(error)))
    finally:
        link.close()


def _write_segment(
    generation: Path,
    items: Sequence[Any],
    share: tuple[int, int],
    add_file: AddFile,
    link: Connection,
) -> ShareResult:
    parent = os.getppid()
    writer = segment_writer(generation)
    result = ShareResult()
    try:
        for position in range(*share):
            if os.getppid() != parent:
                raise RuntimeError("the indexing run that started this worker has gone")
            indexed, note = add_file(writer, items[position])
            if indexed:
                result.added += 1
                result.indexed.append(position)
                result.signatures.append(note)
            else:
                result.warnings.append(note)
            link.send(1)
    except BaseException:
        writer.cancel()
        raise
    result.segment = finish_segment(writer) if result.added else None
    if result.segment is None:
        writer.cancel()
    return result
