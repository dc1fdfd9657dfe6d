"""The index on disk: schema, build, incremental update, open. The only module that writes.

Layout of an index folder::

    index/
      dvsearch.json      manifest: format marker, versions, the live generation
      gen-000003/        a complete whoosh index

A rebuild writes a new generation beside the live one and then swaps the manifest with an atomic
rename, so an interrupted rebuild leaves the previous index searchable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from dvsearch.abbreviations import USER_FILE_NAME, Table, load_table, parse_saved_table, table_json
from dvsearch.analysis import ANALYZER_VERSION, COMPOUND, EXACT, FOLDED
from dvsearch.articles import (
    Article,
    decode_article,
    iter_article_files,
    parse_article,
    read_article_bytes,
)
from dvsearch.errors import (
    IndexMissingError,
    IndexVersionError,
    NotAnIndexError,
    UnreadableArticleError,
)
from dvsearch.vocabulary import Vocabulary, build_vocabulary, parse_vocabulary, vocabulary_json

SCHEMA_VERSION = 5
MANIFEST_NAME = "dvsearch.json"
ABBREVIATIONS_NAME = "abbreviations.json"
VOCABULARY_NAME = "vocabulary.json"
_FORMAT_MARKER = "dvsearch-index"
_GENERATION_PREFIX = "gen-"
_WRITER_MEMORY_MB = 256

Progress = Callable[[int, int], None]


def make_schema() -> Schema:
    """Folded syllables (with positions, for phrases) are the base; exact accents and pyvi
    compounds ride alongside as extra evidence for ranking."""
    return Schema(
        path=ID(unique=True, stored=True),
        id=ID(stored=True),
        digest=STORED,
        headline=STORED,
        title=TEXT(analyzer=FOLDED, phrase=True),
        body=TEXT(analyzer=FOLDED, stored=True, phrase=True),
        title_exact=TEXT(analyzer=EXACT, phrase=True),
        body_exact=TEXT(analyzer=EXACT, phrase=True),
        words=TEXT(analyzer=COMPOUND, phrase=False),
        author=TEXT(analyzer=FOLDED, stored=True, phrase=True),
        author_exact=TEXT(analyzer=EXACT, phrase=True),
        published=ID(stored=True, sortable=True),
        page_date=STORED,
        source=STORED,
        title_derived=STORED,
        word_count=STORED,
    )


@dataclass
class IndexReport:
    """What an index run did, for the user."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuild_reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Articles in the index after the run."""
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True)
class SourceFile:
    """An article file found under the seeds folder, read once."""

    relative_path: str
    data: bytes
    digest: str


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a dvsearch index (possibly an outdated one)."""
    return (index_dir / MANIFEST_NAME).is_file()


def rebuild_reason(index_dir: Path, requested: bool = False) -> str | None:
    """Why the index must be built from scratch (``new``, ``outdated``, ``requested``), or None
    when an update will do. Raises ``NotAnIndexError`` for a folder that is not ours."""
    if not index_exists(index_dir):
        _refuse_foreign_folder(index_dir)
        return "new"
    if not _versions_match(_read_manifest(index_dir)):
        return "outdated"
    return "requested" if requested else None


def open_index(index_dir: Path) -> Any:
    """Open the live generation for reading; raises when there is none or it is outdated."""
    manifest = _read_manifest(index_dir)
    _check_versions(index_dir, manifest)
    return whoosh_index.open_dir(str(index_dir / manifest["generation"]))


def update_index(
    seeds_dir: Path,
    index_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    abbreviations: Path | None = None,
) -> IndexReport:
    """Bring the index in ``index_dir`` up to date with the article files in ``seeds_dir``.

    The abbreviation table (dvsearch's, plus ``abbreviations`` or the seeds folder's
    ``abbreviations.tsv``) is stored with the index on every run.
    """
    files = list(_iter_source_files(seeds_dir))
    table = load_table(abbreviations or _user_abbreviations(seeds_dir))
    reason = rebuild_reason(index_dir, rebuild)
    if reason is None:
        report = _apply_changes(files, index_dir, progress)
    else:
        report = _rebuild(files, index_dir, progress)
        report.rebuild_reason = reason
    _write_atomically(index_dir / ABBREVIATIONS_NAME, table_json(table))
    _write_vocabulary(index_dir)
    _record_seeds(index_dir, seeds_dir)
    return report


def _record_seeds(index_dir: Path, seeds_dir: Path) -> None:
    """Remember which folder the index holds, so an outdated index is rebuilt from it."""
    manifest = _read_manifest(index_dir)
    manifest["seeds"] = str(seeds_dir.resolve())
    _write_manifest(index_dir, manifest)


def seeds_of(index_dir: Path) -> Path:
    """The articles folder the index was last built from, for rebuilding an outdated index."""
    recorded = _read_manifest(index_dir).get("seeds")
    if not recorded or not Path(recorded).is_dir():
        raise IndexVersionError(
            f"the index in '{index_dir}' was built by another version of dvsearch and its "
            "articles folder is gone: run 'dvsearch index --rebuild --seeds FOLDER'"
        )
    return Path(recorded)


def _write_vocabulary(index_dir: Path) -> None:
    """Store the accented syllables and compounds the articles use, for query repair."""
    with open_index(index_dir).reader() as reader:
        vocabulary = build_vocabulary(
            _term_counts(reader, ("title_exact", "body_exact", "author_exact")),
            _term_counts(reader, ("words",)),
        )
    _write_atomically(index_dir / VOCABULARY_NAME, vocabulary_json(vocabulary))


def _term_counts(reader: Any, fields: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    for field_name in fields:
        for term, info in reader.iter_field(field_name):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            yield text, info.doc_frequency()


def saved_vocabulary(index_dir: Path) -> Vocabulary | None:
    """The vocabulary stored with the index, or None for an index without one."""
    path = index_dir / VOCABULARY_NAME
    return parse_vocabulary(path.read_text(encoding="utf-8")) if path.is_file() else None


def saved_abbreviations(index_dir: Path) -> Table:
    """The abbreviation table the index was last built or updated with."""
    path = index_dir / ABBREVIATIONS_NAME
    return parse_saved_table(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _user_abbreviations(seeds_dir: Path) -> Path | None:
    candidate = seeds_dir / USER_FILE_NAME
    return candidate if candidate.is_file() else None


def _write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    _write_atomically(index_dir / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _iter_source_files(seeds_dir: Path) -> Iterator[SourceFile | UnreadableArticleError]:
    for path in iter_article_files(seeds_dir):
        relative = path.relative_to(seeds_dir).as_posix()
        try:
            data = read_article_bytes(path)
        except UnreadableArticleError as error:
            yield error
            continue
        yield SourceFile(relative, data, hashlib.sha1(data).hexdigest())


def _rebuild(
    files: list[SourceFile | UnreadableArticleError], index_dir: Path, progress: Progress | None
) -> IndexReport:
    report = IndexReport()
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = _next_generation_name(index_dir)
    (index_dir / generation).mkdir()
    ix = whoosh_index.create_in(str(index_dir / generation), make_schema())
    writer = ix.writer(limitmb=_WRITER_MEMORY_MB)
    try:
        for done, item in enumerate(files, start=1):
            if _add_file(writer, item, report):
                report.added += 1
            _tick(progress, done, len(files))
    except BaseException:
        writer.cancel()
        shutil.rmtree(index_dir / generation, ignore_errors=True)
        raise
    writer.commit()
    _switch_generation(index_dir, generation)
    return report


def _apply_changes(
    files: list[SourceFile | UnreadableArticleError], index_dir: Path, progress: Progress | None
) -> IndexReport:
    report = IndexReport()
    ix = open_index(index_dir)
    indexed = _indexed_digests(ix)
    seen: set[str] = set()
    writer = ix.writer(limitmb=_WRITER_MEMORY_MB)
    try:
        for done, item in enumerate(files, start=1):
            _apply_one(writer, item, indexed, seen, report)
            _tick(progress, done, len(files))
        for relative_path in indexed.keys() - seen:
            writer.delete_by_term("path", relative_path)
            report.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return report


def _apply_one(
    writer: Any,
    item: SourceFile | UnreadableArticleError,
    indexed: dict[str, str],
    seen: set[str],
    report: IndexReport,
) -> None:
    if isinstance(item, SourceFile):
        seen.add(item.relative_path)
        if indexed.get(item.relative_path) == item.digest:
            report.unchanged += 1
            return
        is_update = item.relative_path in indexed
        writer.delete_by_term("path", item.relative_path)
        if _add_file(writer, item, report):
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
    try:
        if isinstance(item, UnreadableArticleError):
            raise item
        text = decode_article(item.data, item.relative_path)
        article = parse_article(text, Path(item.relative_path).stem, item.relative_path)
    except UnreadableArticleError as error:
        report.warnings.append(str(error))
        return False
    writer.add_document(**article_fields(article, item.digest))
    return True


def article_fields(article: Article, digest: str) -> dict[str, Any]:
    """The whoosh document for an article.

    A title made from the lead sentence is shown but not searched as a title: its words are
    the body's, and weighting them twice only favours articles for having no headline.
    """
    searchable_title = "" if article.title_derived else article.title
    return {
        "path": article.path,
        "id": article.id,
        "digest": digest,
        "headline": article.title,
        "title": searchable_title,
        "body": article.body,
        "title_exact": searchable_title,
        "body_exact": article.body,
        "words": f"{searchable_title}\n{article.body}",
        "author": article.author or "",
        "author_exact": article.author or "",
        "published": article.published or "",
        "page_date": article.page_date,
        "source": article.source,
        "title_derived": article.title_derived,
        "word_count": len(article.body.split()),
    }


def _indexed_digests(ix: Any) -> dict[str, str]:
    with ix.searcher() as searcher:
        return {fields["path"]: fields["digest"] for fields in searcher.all_stored_fields()}


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _read_manifest(index_dir: Path) -> dict[str, Any]:
    manifest_path = index_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        if index_dir.exists():
            _refuse_foreign_folder(index_dir)
        raise IndexMissingError(f"no index in '{index_dir}': run 'dvsearch index' to build it")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise NotAnIndexError(_foreign_message(index_dir)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT_MARKER:
        raise NotAnIndexError(_foreign_message(index_dir))
    return manifest


def _refuse_foreign_folder(index_dir: Path) -> None:
    """A folder that is not ours and not empty is never written into or overwritten."""
    if index_dir.exists() and (not index_dir.is_dir() or any(index_dir.iterdir())):
        raise NotAnIndexError(_foreign_message(index_dir))


def _foreign_message(index_dir: Path) -> str:
    return (
        f"'{index_dir}' is not a dvsearch index: pass --index with an empty or new folder, "
        "or remove it yourself if it is safe to"
    )


def _versions_match(manifest: dict[str, Any]) -> bool:
    return (
        manifest.get("analyzer_version") == ANALYZER_VERSION
        and manifest.get("schema_version") == SCHEMA_VERSION
    )


def _check_versions(index_dir: Path, manifest: dict[str, Any]) -> None:
    if not _versions_match(manifest):
        raise IndexVersionError(
            f"the index in '{index_dir}' was built by another version of dvsearch: "
            "run 'dvsearch index --rebuild'"
        )


def _next_generation_name(index_dir: Path) -> str:
    numbers = [
        int(child.name[len(_GENERATION_PREFIX) :])
        for child in index_dir.glob(f"{_GENERATION_PREFIX}*")
        if child.name[len(_GENERATION_PREFIX) :].isdigit()
    ]
    return f"{_GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"


def _switch_generation(index_dir: Path, generation: str) -> None:
    """Point the manifest at the new generation atomically, then drop the old ones."""
    manifest = {
        "format": _FORMAT_MARKER,
        "analyzer_version": ANALYZER_VERSION,
        "schema_version": SCHEMA_VERSION,
        "generation": generation,
    }
    _write_manifest(index_dir, manifest)
    for child in index_dir.glob(f"{_GENERATION_PREFIX}*"):
        if child.name != generation:
            shutil.rmtree(child, ignore_errors=True)
