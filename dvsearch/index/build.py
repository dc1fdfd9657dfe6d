"""The index on disk: schema, build, incremental update, open. The only module that writes.

Every run writes a new generation of the index (whoosh files, abbreviations, vocabulary) and
publishes it atomically, holding a lock so only one process writes at a time; the folder layout,
the lock and the publishing are ``store.py``'s business.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from dvsearch.analysis import COMPOUND, EXACT, FOLDED
from dvsearch.engine import files as engine_files
from dvsearch.engine.exact_pairs import AccentedText
from dvsearch.engine.postings import CompactPositions
from dvsearch.engine.public import ID, STORED, TEXT, Schema
from dvsearch.errors import (
    ArticleFolderError,
    IndexDamagedError,
    IndexVersionError,
    UnreadableArticleError,
)
from dvsearch.index import store
from dvsearch.index.collector import fewer_collections
from dvsearch.index.copies import signature_of, write_copies
from dvsearch.index.digests import has_digests, read_digests, write_digests
from dvsearch.index.fields import COMPOUND_FIELD, EXACT_TWINS, FOLDED_TWINS, REGISTRY, FieldSpec
from dvsearch.index.folders import (
    DEFAULT_SEEDS,
    ArticleFolder,
    absolute,
    add_folder,
    find_folder,
    folder_of,
    folders_details,
    recorded_folders,
)
from dvsearch.index.snapshot import ABBREVIATIONS_NAME as ABBREVIATIONS_NAME
from dvsearch.index.snapshot import SCHEMA_VERSION as SCHEMA_VERSION
from dvsearch.index.snapshot import VERSIONS as _VERSIONS
from dvsearch.index.snapshot import VOCABULARY_DELTA_NAME as VOCABULARY_DELTA_NAME
from dvsearch.index.snapshot import VOCABULARY_NAME as VOCABULARY_NAME
from dvsearch.index.snapshot import IndexSnapshot as IndexSnapshot
from dvsearch.index.snapshot import open_snapshot as open_snapshot
from dvsearch.index.snapshot import read_table as _read_table
from dvsearch.index.snapshot import rebuild_reason as rebuild_reason
from dvsearch.index.store import MANIFEST_NAME as MANIFEST_NAME
from dvsearch.index.store import index_exists as index_exists
from dvsearch.vietnamese.abbreviations import (
    USER_FILE_NAME,
    Table,
    load_table,
    parse_saved_table,
    table_json,
)
from dvsearch.vietnamese.syllables import TextParts
from dvsearch.vietnamese.text import printable

if TYPE_CHECKING:  # these load when needed: a query's start-up need not pay for them
    from dvsearch.articles.files import FolderScan
    from dvsearch.articles.parsing import Article
    from dvsearch.index.staleness import FolderSnapshot
    from dvsearch.search.vocabulary import Vocabulary

from dvsearch.index.digests import DIGESTS_NAME as DIGESTS_NAME
from dvsearch.index.digests import FileRecord as FileRecord

Progress = Callable[[int, int], None]


def make_schema() -> Schema:
    """Folded syllables (with positions, for phrases) are the base; exact accents and pyvi
    compounds ride alongside as extra evidence for ranking. The fields are the registry's."""
    return Schema(**{spec.name: _whoosh_field(spec) for spec in REGISTRY})


_ANALYZERS = {"folded": FOLDED, "exact": EXACT, "compounds": COMPOUND}


def _whoosh_field(spec: FieldSpec) -> Any:
    """The whoosh field for a registry entry. Its type, analyzer and format are pickled into
    every index: a change here is a ``SCHEMA_VERSION`` bump."""
    if spec.kind == "stored":
        return STORED
    if spec.kind == "keyword":
        return ID(stored=spec.stored, unique=spec.unique, sortable=spec.sortable)
    if spec.positional:
        return _positional(_ANALYZERS[spec.kind], spec.stored, spec.sortable)
    if spec.kind == "exact":
        return AccentedText(EXACT, folded_twin=FOLDED_TWINS[spec.name])
    return TEXT(analyzer=_ANALYZERS[spec.kind], stored=spec.stored, phrase=False)


def _positional(analyzer: Any, stored: bool = False, sortable: bool = False) -> TEXT:
    """A text field with positions for phrases, kept in dvsearch's compact encoding; a
    sortable one keeps its whole text as a column too."""
    field = TEXT(analyzer=analyzer, stored=stored, phrase=True, sortable=sortable)
    field.format = CompactPositions(field_boost=field.format.field_boost)
    return field


@dataclass
class IndexReport:
    """What an index run did, for the user."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuild_reason: str | None = None
    damage: str | None = None  # what was wrong with the index when it was rebuilt for it
    warnings: list[str] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)  # files of types dvsearch does not read
    digests: dict[str, FileRecord] = field(default_factory=dict, repr=False)  # what it holds
    signatures: dict[str, str] = field(default_factory=dict, repr=False)  # of what it read

    @property
    def total(self) -> int:
        """Articles in the index after the run."""
        return self.added + self.updated + self.unchanged

    def not_read_by_type(self) -> dict[str, int]:
        """The files left unread, counted by extension, most common first."""
        from dvsearch.articles.files import count_by_type

        return count_by_type(self.not_read)


@dataclass(frozen=True)
class SourceFile:
    """An article file found under an articles folder, read once; or not read at all when its
    size and modification time are those recorded when it was indexed (``data`` is empty)."""

    relative_path: str  # its id: the path under its folder, after the folder's label if any
    data: bytes
    digest: str
    stamp: tuple[int, int] = (-1, -1)  # size and mtime in ns


def open_index(index_dir: Path) -> Any:
    """Open the live generation for reading; raises when there is none, it is outdated or it is
    damaged."""
    return store.open_generation(store.live_generation(index_dir, _VERSIONS))


def check_index(index_dir: Path) -> store.IndexCheck:
    """Every file of the live generation compared with what was written (``dvsearch check``)."""
    return store.check_index(index_dir, _VERSIONS)


@fewer_collections()
def update_index(
    seeds_dir: Path | None,
    index_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    abbreviations: Path | None = None,
    on_wait: Callable[[], None] | None = None,
    drop: Sequence[Path] = (),
) -> IndexReport:
    """Bring the index in ``index_dir`` up to date with the article files of its folders.

    The index remembers the folders it was built from (``folders.py``) and updates them all;
    ``seeds_dir`` adds a folder (the first one, for a new index), ``drop`` removes folders
    and their articles. A new index without ``seeds_dir`` is built from ``./seeds``.
    The abbreviation table (dvsearch's, plus ``abbreviations`` or the first folder's
    ``abbreviations.tsv``) is stored with the index on every run. One process writes at a
    time: when another holds the index, ``on_wait`` is called and this run waits for it.
    An interrupted or killed run leaves the previous index as it was.
    """
    from dvsearch.index.staleness import snapshot_folders, write_record

    plan = planned_folders(index_dir, seeds_dir, drop)
    # Folder times taken before the scan: whatever changes after it is seen by the next query.
    snapshots = {folder.path: snapshot_folders(folder.path, exclude=index_dir) for folder in plan}
    scans = _scan_folders(plan, seeds_dir, {})  # a missing folder fails before the lock
    table = load_table(abbreviations or _user_abbreviations([folder.path for folder in plan]))
    rebuild_reason(index_dir, rebuild)  # refuses a foreign folder before the lock file goes in
    with store.writing(index_dir), store.writer_lock(index_dir, on_wait):
        store.remove_stale_generations(index_dir)
        # Asked again under the lock: a run we waited for may have built or updated the index,
        # or added a folder, whose articles must not be taken for removed files.
        reason = rebuild_reason(index_dir, rebuild)
        plan = planned_folders(index_dir, seeds_dir, drop)
        scans = _scan_folders(plan, seeds_dir, scans)
        live, damage = (None, None) if reason else _sound_live_generation(index_dir)
        if damage is not None:
            reason = "damaged"
        known = _indexed_digests(index_dir, live) if live is not None else {}
        unchanged: set[str] = set()
        files = list(_read_source_files(plan, scans, known, unchanged))
        generation = store.new_generation(index_dir, base=live)
        try:
            report = _write_generation(files, generation, progress, table, live, known, unchanged)
            write_record(generation, _stamps_by_folder(plan, snapshots, report.digests))
            report.rebuild_reason = reason
            report.damage = damage
            report.not_read = [
                folder.id_of(_relative_name(path, scans[folder.path].root))
                for folder in plan
                for path in scans[folder.path].scan.not_read
            ]
            # The folders are remembered: the next run updates them all, from any directory.
            store.publish_generation(index_dir, generation, _VERSIONS, folders_details(plan))
        except BaseException:
            store.discard_generation(generation)
            raise
    return report


def _sound_live_generation(index_dir: Path) -> tuple[Path | None, str | None]:
    """The live generation to update, or None and what is wrong with it: an update shares the
    live generation's files, so it is never built on a damaged one; the index is rebuilt."""
    try:
        live = store.live_generation(index_dir, _VERSIONS)
    except IndexDamagedError as error:
        return None, error.what or str(error)
    damage = store.damage_of(live)
    return (None, damage) if damage is not None else (live, None)


def _stamps_by_folder(
    plan: list[ArticleFolder], snapshots: dict[Path, FolderSnapshot], digests: dict[str, FileRecord]
) -> list[tuple[FolderSnapshot, dict[str, FileRecord]]]:
    """Each folder's snapshot with what it holds, keyed by path under the folder."""
    if len(plan) == 1 and not plan[0].label and plan[0].path in snapshots:
        # One unlabelled folder holds every article under its own id: no article's folder to
        # look up (38,000 lookups were 40 ms of a one-article update)
        return [(snapshots[plan[0].path], digests)]
    records = []
    for folder in plan:
        if folder.path in snapshots:
            held = {
                folder.relative_of(article_id): record
                for article_id, record in digests.items()
                if folder_of(plan, article_id) is folder
            }
            records.append((snapshots[folder.path], held))
    return records


def planned_folders(
    index_dir: Path, seeds_dir: Path | None, drop: Sequence[Path] = ()
) -> list[ArticleFolder]:
    """The folders an index run reads: those recorded, less ``drop``, plus ``seeds_dir``; for a
    new index without ``seeds_dir``, ``./seeds``. A recorded folder that is gone is an error
    (updating would remove its articles): it must be put back or dropped."""
    exists = index_exists(index_dir)
    folders = index_folders(index_dir) if exists else []
    for folder in drop:
        found = find_folder(folders, folder)
        if found is None:
            raise ArticleFolderError(_not_a_folder_message(index_dir, folder, folders))
        folders = [known for known in folders if known != found]
    for known in folders:
        if not _is_folder(known.path):
            raise ArticleFolderError(
                f"the articles folder '{known.path}' of the index in '{index_dir}' is gone: "
                f"put it back, or run 'dvsearch index --drop-folder \"{known.path}\"' to "
                "remove its articles from the index"
            )
    if seeds_dir is not None:
        return add_folder(folders, seeds_dir)
    if exists or folders:
        if not folders and not drop:
            raise ArticleFolderError(
                f"the index in '{index_dir}' has no articles folder: "
                "pass --seeds with a folder of article files"
            )
        return folders
    if not DEFAULT_SEEDS.is_dir():
        raise ArticleFolderError(
            f"no index in '{index_dir}' and no '{DEFAULT_SEEDS}' folder here to build it from: "
            "pass --seeds with a folder of article files"
        )
    return add_folder(folders, DEFAULT_SEEDS)


def _is_folder(path: Path) -> bool:
    """``path.is_dir()``, with a folder that cannot even be looked at (a failing disk, a
    share gone away, a parent folder without permission) said in one line."""
    try:
        return path.is_dir()
    except OSError as error:
        raise ArticleFolderError(
            f"cannot look at the articles folder '{path}' ({error.strerror or error}): check the "
            "folder and the disk it is on, then run again"
        ) from error


def index_folders(index_dir: Path) -> list[ArticleFolder]:
    """The folders the index records (even an outdated one's, to rebuild it from them)."""
    return recorded_folders(store.read_manifest(index_dir))


def articles_in_folder(index_dir: Path, folder: Path) -> tuple[ArticleFolder, int | None]:
    """The recorded folder ``folder`` names and how many indexed articles come from it, so that
    dropping it can say what it removes (None for an index from another version)."""
    folders = index_folders(index_dir)
    found = find_folder(folders, folder)
    if found is None:
        raise ArticleFolderError(_not_a_folder_message(index_dir, folder, folders))
    if rebuild_reason(index_dir) is not None:
        return found, None
    known = _indexed_digests(index_dir, store.live_generation(index_dir, _VERSIONS))
    return found, sum(1 for path in known if folder_of(folders, path) == found)


def _not_a_folder_message(index_dir: Path, folder: Path, folders: list[ArticleFolder]) -> str:
    held = ", ".join(f"'{known.path}'" for known in folders) or "none"
    return (
        f"'{folder}' is not one of the folders of the index in '{index_dir}' "
        f"(it holds {held}): pass one of those"
    )


@dataclass(frozen=True)
class _FolderScan:
    root: Path  # the folder as given on the command line, or as recorded
    scan: FolderScan


def _scan_folders(
    folders: list[ArticleFolder], seeds_dir: Path | None, done: dict[Path, _FolderScan]
) -> dict[Path, _FolderScan]:
    """Each folder's files (folders in ``done`` are not scanned again). A folder given as
    ``seeds_dir`` is read by the name it was given, which error messages then use."""
    from dvsearch.articles.files import scan_article_folder  # building only, not for a query

    scans = {}
    for folder in folders:
        if folder.path in done:
            scans[folder.path] = done[folder.path]
            continue
        given = seeds_dir is not None and absolute(seeds_dir) == folder.path
        root = seeds_dir if given and seeds_dir is not None else folder.path
        scans[folder.path] = _FolderScan(root, scan_article_folder(root))
    return scans


def _write_generation(
    files: list[SourceFile | UnreadableArticleError],
    generation: Path,
    progress: Progress | None,
    table: Table,
    base: Path | None,
    known: dict[str, FileRecord],
    unchanged: set[str],
) -> IndexReport:
    """Fill an unpublished generation: whoosh index first, then the tables built from it.

    An update starts from ``base``, the live generation, and ``known``, what it recorded of
    the files (``unchanged`` ones are as recorded); a rebuild (``base`` None) from nothing."""
    if base is not None:
        with store.reading(base.parent):  # an update reads the live generation's tables too
            report = _apply_changes(files, generation, progress, known, unchanged)
            store.refuse_read_damage(base, generation)
            _write_tables(generation, table, base, report, known)
        return report
    report = _rebuild(files, generation, progress)
    _write_tables(generation, table, base, report)
    return report


def _write_tables(
    generation: Path,
    table: Table,
    base: Path | None,
    report: IndexReport,
    known: dict[str, FileRecord] | None = None,
) -> None:
    """The tables built from a generation's whoosh index, beside it (``known``: what the
    ``base`` generation held)."""
    store.write_or_share(generation, base, ABBREVIATIONS_NAME, table_json(table))
    write_digests(generation, base, known or {}, report.digests)
    write_copies(generation, base, report.signatures, report.digests)
    _write_vocabulary(generation, base)


def seeds_of(index_dir: Path) -> Path:
    """The first articles folder the index records, for rebuilding an outdated index."""
    folders = index_folders(index_dir)
    if not folders or not all(_is_folder(folder.path) for folder in folders):
        raise IndexVersionError(
            f"the index in '{index_dir}' was built by another version of dvsearch and its "
            "articles folder is gone: run 'dvsearch index --rebuild --seeds FOLDER'"
        )
    return folders[0].path


def _write_vocabulary(generation: Path, base: Path | None) -> None:
    """Store the accented syllables and compounds the articles use, for query repair."""
    from dvsearch.index.terms import write_vocabulary

    write_vocabulary(generation, base)


def saved_vocabulary(index_dir: Path) -> Vocabulary | None:
    """The vocabulary stored with the index, or None for an index without one."""
    from dvsearch.search.vocabulary import parse_vocabulary

    live = store.live_generation(index_dir, _VERSIONS)
    text = _read_table(live, VOCABULARY_NAME)
    delta = _read_table(live, VOCABULARY_DELTA_NAME)
    return parse_vocabulary(text, delta) if text is not None else None


def saved_abbreviations(index_dir: Path) -> Table:
    """The abbreviation table the index was last built or updated with."""
    text = _read_table(store.live_generation(index_dir, _VERSIONS), ABBREVIATIONS_NAME)
    return parse_saved_table(text) if text is not None else {}


def _user_abbreviations(folders: list[Path]) -> Path | None:
    """The first folder's ``abbreviations.tsv`` (of those that have one)."""
    candidates = (folder / USER_FILE_NAME for folder in folders)
    return next((candidate for candidate in candidates if candidate.is_file()), None)


def _read_source_files(
    folders: list[ArticleFolder],
    scans: dict[Path, _FolderScan],
    known: dict[str, FileRecord],
    unchanged: set[str],
) -> Iterator[SourceFile | UnreadableArticleError]:
    """Each file's bytes and digest, under its article id; a file whose size and mtime are as
    recorded is taken to be unchanged: it is not read (reading and hashing 38,000 files took
    7 s), only its id is added to ``unchanged``.
    """
    import hashlib

    from dvsearch.articles.parsing import read_article_bytes

    labels = {folder.label: folder for folder in folders if folder.label}
    for folder in folders:
        root = scans[folder.path].root
        scan = scans[folder.path].scan
        prefix = str(root).rstrip(os.sep) + os.sep
        for path, stamp in zip(scan.files, scan.stamps, strict=True):
            article_id = folder.id_of(_relative_name(path, root, prefix))
            record = known.get(article_id)
            if record is not None and stamp == record[1:]:
                unchanged.add(article_id)
                continue
            try:
                _refuse_label_clash(folder, article_id, labels)
                data = read_article_bytes(Path(path), article_id)
            except UnreadableArticleError as error:
                yield error
                continue
            yield SourceFile(article_id, data, hashlib.sha1(data).hexdigest(), stamp)


def _refuse_label_clash(
    folder: ArticleFolder, article_id: str, labels: dict[str, ArticleFolder]
) -> None:
    """A file of the unlabelled folder whose first folder is named like another folder's label
    would take that folder's ids: it is skipped, with a warning saying why."""
    first = article_id.split("/", 1)[0] if "/" in article_id else None
    if folder.label or first not in labels:
        return
    raise UnreadableArticleError(
        f"skipped '{printable(article_id)}' in '{folder.path}': ids starting '{first}/' are "
        f"those of the articles in '{labels[first].path}'; rename the folder '{first}' to "
        "index it"
    )


def _relative_name(path: str | Path, seeds_dir: Path, prefix: str | None = None) -> str:
    """``path`` under ``seeds_dir`` (``prefix`` is its text with a separator), by string when
    it can be (pathlib's ``relative_to`` was a quarter of a no-change update at 38,000 files)."""
    root = str(seeds_dir).rstrip(os.sep) + os.sep if prefix is None else prefix
    text = str(path)
    if text.startswith(root):
        return text[len(root) :].replace(os.sep, "/")
    return Path(path).relative_to(seeds_dir).as_posix()


def _rebuild(
    files: list[SourceFile | UnreadableArticleError], generation: Path, progress: Progress | None
) -> IndexReport:
    report = IndexReport()
    ix = engine_files.create_index(generation, make_schema())
    # Imported here: multiprocessing is start-up time every query would otherwise pay.
    from dvsearch.index.parallel import build_in_parallel, worker_count

    workers = worker_count(len(files))
    if workers > 1:
        sizes = [len(item.data) if isinstance(item, SourceFile) else 0 for item in files]
        for share in build_in_parallel(generation, files, _index_or_warn, workers, progress, sizes):
            report.added += share.added
            report.warnings += share.warnings
            report.digests.update(_digest_of(files[position]) for position in share.indexed)
            paths = [_digest_of(files[position])[0] for position in share.indexed]
            report.signatures.update(zip(paths, share.signatures, strict=True))
        return report
    writer = engine_files.writer(ix)
    try:
        for done, item in enumerate(files, start=1):
            if _add_file(writer, item, report):
                report.added += 1
                report.digests.update([_digest_of(item)])
            _tick(progress, done, len(files))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return report


def _digest_of(item: SourceFile | UnreadableArticleError) -> tuple[str, FileRecord]:
    assert isinstance(item, SourceFile)  # only readable files get indexed
    return item.relative_path, (item.digest, *item.stamp)


def _index_or_warn(writer: Any, item: SourceFile | UnreadableArticleError) -> tuple[bool, str]:
    """``_add_file`` for a worker process: ``(True, signature)``, or ``(False, warning)``."""
    report = IndexReport()
    if _add_file(writer, item, report):
        return True, next(iter(report.signatures.values()))
    return False, report.warnings[0]


def _apply_changes(
    files: list[SourceFile | UnreadableArticleError],
    generation: Path,
    progress: Progress | None,
    indexed: dict[str, FileRecord],
    unchanged: set[str],
) -> IndexReport:
    """Update a copy of the live generation; the live one is never written to. The files
    ``unchanged`` keep their records; ``files`` are the others found."""
    report = IndexReport(digests=dict(indexed), unchanged=len(unchanged))
    ix = store.open_generation(generation)
    seen = set(unchanged)
    writer = engine_files.writer(ix)
    try:
        for done, item in enumerate(files, start=1):
            _apply_one(writer, item, indexed, seen, report)
            _tick(progress, done, len(files))
        for relative_path in indexed.keys() - seen:
            writer.delete_by_term("path", relative_path)
            report.digests.pop(relative_path)
            report.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return report


def _apply_one(
    writer: Any,
    item: SourceFile | UnreadableArticleError,
    indexed: dict[str, FileRecord],
    seen: set[str],
    report: IndexReport,
) -> None:
    if isinstance(item, SourceFile):
        seen.add(item.relative_path)
        record = indexed.get(item.relative_path)
        if record is not None and record[0] == item.digest:
            report.unchanged += 1
            report.digests[item.relative_path] = (item.digest, *item.stamp)
            return
        is_update = item.relative_path in indexed
        writer.delete_by_term("path", item.relative_path)
        report.digests.pop(item.relative_path, None)
        if _add_file(writer, item, report):
            report.digests.update([_digest_of(item)])
            if is_update:
                report.updated += 1
            else:
                report.added += 1
        elif is_update:
            report.removed += 1
        return
    _add_file(writer, item, report)


def _add_file(writer: Any, item: SourceFile | UnreadableArticleError, report: IndexReport) -> bool:
    """Index one file; a file that cannot be read becomes a warning, never an abort."""
    from dvsearch.articles.readers.dispatch import read_document
    from dvsearch.articles.readers.document import parse_document

    try:
        if isinstance(item, UnreadableArticleError):
            raise item
        document = read_document(item.data, item.relative_path)
        article = parse_document(document, item.relative_path, item.relative_path)
    except UnreadableArticleError as error:
        report.warnings.append(str(error))
        return False
    writer.add_document(**article_fields(article, item.digest))
    report.signatures[item.relative_path] = signature_of(article.body)
    return True


def article_fields(article: Article, digest: str) -> dict[str, Any]:
    """The whoosh document for an article.

    A title made from the lead sentence is shown but not searched as a title: its words are
    the body's, and weighting them twice only favours articles for having no headline.
    """
    searchable_title = "" if article.title_derived else article.title
    document: dict[str, Any] = {
        "path": article.path,
        "id": article.id,
        "stem": unicodedata.normalize("NFC", PurePosixPath(article.path).stem),
        "digest": digest,
        "headline": article.title,
        "title": searchable_title,
        "body": article.body,
        COMPOUND_FIELD: TextParts(searchable_title, article.body),
        "author": article.author or "",
        "published": article.published or "",
        "page_date": article.page_date,
        "source": article.source,
        "title_derived": article.title_derived,
        "word_count": len(article.body.split()),
    }
    # Each exact twin indexes the same text as its folded field, through another analyzer.
    document.update({twin: document[name] for name, twin in EXACT_TWINS.items()})
    return document


def _indexed_digests(index_dir: Path, generation: Path) -> dict[str, FileRecord]:
    """What a generation holds, from its record, or from every stored article (slow) for a
    generation written before the record existed."""
    with store.reading(index_dir):
        if has_digests(generation):
            return read_digests(generation)
        with store.open_generation(generation).searcher() as searcher:
            return {f["path"]: (f["digest"], -1, -1) for f in searcher.all_stored_fields()}


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
