"""Keep an index current while files arrive: update it after each quiet batch of changes.

The changes come from a *change source*: an iterator of batches of changed paths whose first
batch (possibly empty) comes as soon as it is watching, so that the first update, run then,
misses nothing that happens after it started. ``file_changes`` is the real one (watchfiles,
imported only here: about 50 ms a plain query need not pay).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from threading import Event

from dvsearch.errors import SeedsFolderError
from dvsearch.vietnamese.text import printable

QUIET_MS = 500  # a batch ends once this long passes without a change...
MAX_BATCH_MS = 2000  # ...or this long after its first change, whichever comes first
_POLL_MS = 300  # how soon the real source says it is watching; it then wakes this often
ChangeSource = Callable[[Path, Event | None], Iterable[set[str]]]


def file_changes(root: Path, stop: Event | None = None) -> Iterator[set[str]]:
    """The paths changed under ``root``, in batches, until ``stop`` is set; Ctrl-C raises
    ``KeyboardInterrupt`` as usual."""
    import watchfiles

    batches = watchfiles.watch(
        root,
        watch_filter=None,
        debounce=MAX_BATCH_MS,
        step=QUIET_MS,
        stop_event=stop,
        rust_timeout=_POLL_MS,
        yield_on_timeout=True,
    )
    for batch in batches:
        yield {path for _, path in batch}


def watched_folder(index_dir: Path, seeds_dir: Path | None) -> Path:
    """The folder ``--watch`` watches: the one given, else the index's first recorded folder,
    else ``./seeds`` (a first run)."""
    from dvsearch.index import store
    from dvsearch.index.folders import DEFAULT_SEEDS, recorded_folders

    if seeds_dir is not None:
        return seeds_dir
    if store.index_exists(index_dir):
        folders = recorded_folders(store.read_manifest(index_dir))
        if folders:
            return folders[0].path
    return DEFAULT_SEEDS


def watch_index(
    seeds_dir: Path,
    index_dir: Path,
    update: Callable[[], object],
    changes: ChangeSource | None = None,
    stop: Event | None = None,
) -> int:
    """Call ``update`` once watching ``seeds_dir`` has started, then after each batch of
    changes that matter to the index, until ``changes`` (default ``file_changes``) ends or
    ``stop`` is set; the number of updates run. Changes to hidden files and under
    ``index_dir`` are ignored: the first are not indexed, the second are the updates' own."""
    root = _readable_folder(seeds_dir)
    ignored = index_dir.resolve()
    runs = 0
    for batch in (changes or file_changes)(root, stop):
        if runs == 0 or any(_matters(Path(path), root, ignored) for path in batch):
            update()
            runs += 1
        if stop is not None and stop.is_set():
            break
    return runs


def _readable_folder(seeds_dir: Path) -> Path:
    """``seeds_dir`` resolved, or our error: a folder that is missing or cannot be read (a
    disk or network share failing with EIO) ends the watch in one line, not a traceback."""
    try:
        root = seeds_dir.resolve()
        if root.is_dir():
            return root
    except OSError as error:
        raise SeedsFolderError(
            f"cannot read articles folder '{printable(str(seeds_dir))}': {error.strerror or error}"
        ) from error
    raise SeedsFolderError(
        f"articles folder '{printable(str(seeds_dir))}' does not exist: pass --seeds with a "
        "folder of article files"
    )


def _matters(path: Path, root: Path, ignored: Path) -> bool:
    """A change the scan of ``root`` would see (not hidden, not inside the index folder)."""
    if path == ignored or ignored in path.parents:
        return False
    try:
        parts = path.relative_to(root).parts
    except ValueError:  # not under it: the folder itself, moved or removed
        return True
    return not any(part.startswith(".") for part in parts)
