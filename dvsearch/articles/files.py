"""Finding article files and reading them as text: the folder walk, links, size, encodings.

Everything here guards the indexer against what a folder of scraped files may hold: links out of
the folder or in loops, FIFOs, huge files, unreadable files and folders, names that cannot be
printed, binary data and text in encodings that are not Vietnamese. Text in Vietnam's legacy
encodings (TCVN3, VNI-Windows) is decoded, found by the Vietnamese syllables it decodes into.
Each refusal is one ``UnreadableArticleError``
whose message names the file, so a bad file costs one warning line and the rest still indexes.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from dvsearch.errors import SeedsFolderError, UnreadableArticleError
from dvsearch.vietnamese.abbreviations import USER_FILE_NAME
from dvsearch.vietnamese.legacy import decode_tcvn3, decode_vni, detect_legacy
from dvsearch.vietnamese.text import printable

# The formats of ``readers.dispatch`` (a test holds the two to the same list).
ARTICLE_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}
)
NO_EXTENSION = "no extension"
# The largest of 16,000 vietnews articles is 15 KB; a 1 MB file already takes seconds to
# index and slows every query it matches, and a 50 MB one would take minutes and gigabytes.
MAX_ARTICLE_BYTES = 1 << 20
# Pages, Word and PDF files carry markup, images and fonts around their text: a saved news
# page is often 1-3 MB and a report with photos tens of MB, so they may be larger. What limits
# indexing time is their text, and the readers cap what they inflate.
MAX_DOCUMENT_BYTES = 64 << 20
_DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".docx", ".pdf"})
# Opening never follows a link (the walk never does either) and never waits on a FIFO. The
# flags do not exist on Windows, where links are rare: there the walk's own checks remain.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) but tab, line breaks,
# form feed and vertical tab, which text has.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.1
_MAX_BROKEN_SHARE = 0.01  # of the non-ASCII characters in a UTF-8 file
# Letters only Vietnamese uses (ă ơ ư đ ĩ ũ and U+1EA0-U+1EF9): Latin-1 text has none of them.
_VIETNAMESE_ONLY = frozenset("ăĂơƠưƯđĐĩĨũŨ" + "".join(map(chr, range(0x1EA0, 0x1EFA))))
_VIETNAMESE_LETTERS = _VIETNAMESE_ONLY | frozenset(
    unicodedata.normalize("NFC", vowel + mark)
    for vowel in "aâeêioôuyAÂEÊIOÔUY"
    for mark in ("", "\u0300", "\u0301", "\u0303")
)
_MIN_VIETNAMESE_SHARE = 0.03
_MAX_FOREIGN_SHARE = 0.02


# ---------------------------------------------------------------- files


@dataclass
class FolderScan:
    """What the walk found: the files to read, and the others counted by type, so a summary can
    say what was left unread instead of leaving it out in silence."""

    # Paths as strings and the size and mtime (ns) the walk saw, or (-1, -1): a pathlib object
    # and a second stat per file were most of a no-change update's scan at 10,000 files.
    files: list[str] = field(default_factory=list)
    stamps: list[tuple[int, int]] = field(default_factory=list)
    not_read: list[Path] = field(default_factory=list)  # files of types dvsearch does not read

    @property
    def paths(self) -> list[Path]:
        """The files to read."""
        return [Path(path) for path in self.files]

    def add(self, entry: os.DirEntry[str]) -> None:
        """A file to read, with its stamp."""
        self.files.append(entry.path)
        try:
            info = entry.stat(follow_symlinks=False)
            self.stamps.append((info.st_size, info.st_mtime_ns))
        except OSError:
            self.stamps.append((-1, -1))


def scan_article_folder(root: Path) -> FolderScan:
    """Every article file under ``root`` in a stable order, and a count of the files of types
    dvsearch does not read; hidden files and folders are skipped.

    Links are never followed, so nothing outside ``root`` is read and a link loop cannot hang
    the walk. A link to something inside ``root`` is passed over quietly (its target is found
    under its own name); a link to anything outside or to nothing, and a folder that cannot
    be listed, are listed too, so that ``read_article_bytes`` refuses them with one warning.
    """
    scan = FolderScan()
    listing = _folder_listing(root)
    real_root = os.path.realpath(root)
    stack = [iter(listing)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry.name.startswith("."):
            continue
        elif _is_plain_file(entry):  # most entries: a regular file, told by the listing alone
            if _is_article_name(entry.name):
                scan.add(entry)
            elif entry.name != USER_FILE_NAME:
                scan.not_read.append(Path(entry.path))
        else:
            if _is_folder(entry) and printable(entry.name) == entry.name:
                try:
                    stack.append(iter(_sorted_entries(Path(entry.path))))
                except OSError:
                    scan.add(entry)
            elif _is_reported(entry, real_root):
                scan.add(entry)
            elif _is_unread_file(entry):
                scan.not_read.append(Path(entry.path))
    return scan


def count_by_type(paths: Iterable[str | Path]) -> dict[str, int]:
    """How many files of each extension (lowercase; ``no extension``), most common first."""
    counts = Counter(PurePath(path).suffix.lower() or NO_EXTENSION for path in paths)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def iter_article_files(root: Path) -> Iterator[Path]:
    """The article files of ``scan_article_folder``."""
    yield from scan_article_folder(root).paths


def _is_plain_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_unread_file(entry: os.DirEntry[str]) -> bool:
    """A plain file of a type dvsearch does not read (the user's abbreviation table is read)."""
    try:
        regular = entry.is_file(follow_symlinks=False)
    except OSError:
        return False
    return regular and entry.name != USER_FILE_NAME


def _folder_listing(root: Path) -> list[os.DirEntry[str]]:
    """The entries of the articles folder, or a ``SeedsFolderError`` that says what is wrong
    (missing, a file, or a folder that cannot be listed for any reason: permissions, a disk
    error, a folder replaced by a file since)."""
    try:
        info = os.stat(root)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        raise SeedsFolderError(_unlistable_root(root, error)) from error
    if info is None or not stat.S_ISDIR(info.st_mode):
        raise SeedsFolderError(
            f"articles folder '{root}' does not exist: pass --seeds with a folder of article files"
        )
    try:
        return _sorted_entries(root)
    except OSError as error:
        raise SeedsFolderError(_unlistable_root(root, error)) from error


def _unlistable_root(root: Path, error: OSError) -> str:
    if isinstance(error, PermissionError):
        advice = "make it readable"
    else:
        advice = "check the folder and the disk it is on, then run again"
    return f"cannot read articles folder '{root}' ({_reason(error)}): {advice}"


def _reason(error: OSError) -> str:
    """What went wrong, as the system says it (``Input/output error``)."""
    return error.strerror or str(error) or type(error).__name__


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _listing_failure(folder: Path) -> str:
    """Why ``folder`` cannot be listed, found by trying again."""
    try:
        _sorted_entries(folder)
    except OSError as error:
        return _reason(error)
    return "it could not be when the folder was scanned"


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder to walk into; a link to a folder is not one."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_reported(entry: os.DirEntry[str], real_root: str) -> bool:
    """An article file to read, or what ``read_article_bytes`` should name in a warning: a link
    leading out or nowhere, or a folder whose name cannot be printed."""
    try:
        if _is_folder(entry):
            return True
        if entry.is_symlink():
            leads_out = not _points_inside(entry.path, real_root)
            return leads_out and (os.path.isdir(entry.path) or _is_article_name(entry.name))
        return _is_article_name(entry.name) and entry.is_file(follow_symlinks=False)
    except OSError:
        return _is_article_name(entry.name)


def _points_inside(link: str, real_root: str) -> bool:
    """True for a working link to something inside the articles folder."""
    target = os.path.realpath(link)
    inside = target == real_root or target.startswith(os.path.join(real_root, ""))
    return inside and os.path.exists(link)


def _is_article_name(name: str) -> bool:
    """``os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES`` for a file name, without
    ``splitext`` (a third of scanning a folder of 10,000 files): a name's leading dots do not
    start its extension."""
    dot = name.rfind(".")
    if dot <= 0 or (name[0] == "." and not name[:dot].strip(".")):
        return False
    return name[dot:].lower() in ARTICLE_SUFFIXES


def read_article_bytes(path: Path, name: str | None = None) -> bytes:
    """The raw bytes of an article file, or ``UnreadableArticleError`` saying why it is skipped.

    Only a regular file of at most ``MAX_ARTICLE_BYTES`` is read: a link is not followed, a
    FIFO would block for ever, and a huge file is no article; a folder is here because it
    cannot be listed. The name must be UTF-8 so it can be stored and printed. Messages call
    the file ``name`` (say, its path under the articles folder, as ``decode_article`` is
    given), or its path.
    """
    shown = printable(str(path) if name is None else name)
    try:
        kind = stat.S_IFMT(os.lstat(path).st_mode)
        if kind == stat.S_IFLNK:
            raise UnreadableArticleError(
                f"skipped '{shown}': a link to '{printable(os.readlink(path))}' "
                "(links out of the folder are not followed: copy the file in to index it)"
            )
        if printable(path.name) != path.name:
            raise UnreadableArticleError(
                f"skipped '{shown}': the name has control characters or is not UTF-8: rename it"
            )
        if kind == stat.S_IFDIR:
            raise _unlistable_folder(path, shown)
        return _read_regular_file(path, shown)
    except OSError as error:
        raise UnreadableArticleError(
            f"skipped '{shown}': cannot read it ({_reason(error)})"
        ) from error


def _unlistable_folder(path: Path, shown: str) -> UnreadableArticleError:
    return UnreadableArticleError(
        f"skipped '{shown}': a folder that cannot be listed ({_listing_failure(path)})"
    )


def _read_regular_file(path: Path, shown: str) -> bytes:
    """Check what the open file is before reading it, then read at most the size cap."""
    cap = MAX_DOCUMENT_BYTES if path.suffix.lower() in _DOCUMENT_SUFFIXES else MAX_ARTICLE_BYTES
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)  # before open(): it refuses a folder without closing it
        if stat.S_ISDIR(info.st_mode):  # a link or file replaced by a folder since lstat
            raise _unlistable_folder(path, shown)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableArticleError(f"skipped '{shown}': not a regular file")
        _check_size(info.st_size, shown, cap)
        with open(descriptor, "rb", closefd=False) as file:
            data = file.read(cap + 1)
    finally:
        os.close(descriptor)
    _check_size(len(data), shown, cap)  # the file may have grown since fstat
    return data


def _check_size(size: int, shown: str, cap: int) -> None:
    if size > cap:
        raise UnreadableArticleError(
            f"skipped '{shown}': {size / 1e6:,.1f} MB is too large for an article "
            f"(at most {cap / 1e6:.1f} MB): split it or leave it out"
        )


# ---------------------------------------------------------------- encodings


@dataclass(frozen=True)
class DecodedArticle:
    """An article file's text and the encoding it was read in.

    ``encoding`` is a Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16``, ``utf-32``,
    ``cp1258``), ``tcvn3`` or ``vni``, or ``utf-8-replace`` for UTF-8 with a few broken
    sequences read as U+FFFD.
    """

    text: str
    encoding: str


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file in UTF-8, UTF-16/32 with a BOM, Windows-1258, TCVN3 or VNI
    (as NFC)."""
    return decode_article_file(data, name).text


def decode_article_file(data: bytes, name: str) -> DecodedArticle:
    """``decode_article``, telling also which encoding the file was in."""
    name = printable(name)
    decoded = _decode_bytes(data, name)
    if not decoded.text.strip():
        raise UnreadableArticleError(f"skipped '{name}': the file is empty")
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    return decoded


def _decode_bytes(data: bytes, name: str) -> DecodedArticle:
    """A BOM decides the codec; otherwise strict UTF-8, then Windows-1258, TCVN3 or VNI when the
    text reads as Vietnamese, then UTF-8 with a few broken sequences."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return DecodedArticle(_decode_with_bom(data, codec, name), codec)
    if b"\x00" in data:
        raise UnreadableArticleError(f"skipped '{name}': not text (binary data)")
    try:
        return DecodedArticle(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    decoded = _decode_8bit(data)
    if decoded is None:
        raise UnreadableArticleError(f"skipped '{name}': not UTF-8, UTF-16 or Windows-1258 text")
    return decoded


def _decode_8bit(data: bytes) -> DecodedArticle | None:
    """Text that is not UTF-8: Windows-1258 first (it was checked first before TCVN3 and VNI
    were read, and a file in either fails its test), then the legacy encodings, then UTF-8 cut
    mid-letter, which reads as no legacy encoding."""
    text = _decode_cp1258(data)
    if text is not None:
        return DecodedArticle(text, "cp1258")
    legacy = detect_legacy(data)
    if legacy is not None:
        return DecodedArticle(decode_tcvn3(data) if legacy == "tcvn3" else decode_vni(data), legacy)
    text = _decode_broken_utf8(data)
    return None if text is None else DecodedArticle(text, "utf-8-replace")


def _decode_broken_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken sequences (a file cut mid-letter) as U+FFFD, or None.

    Losing a whole article to one bad byte helps nobody; but in a file in some other 8-bit
    encoding almost every non-ASCII letter is a broken sequence, and that file is refused.
    """
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    non_ascii = sum(not ch.isascii() for ch in text)
    return text if broken <= max(1, _MAX_BROKEN_SHARE * non_ascii) else None


def _decode_with_bom(data: bytes, codec: str, name: str) -> str:
    """Decode with the codec the BOM names; a broken file is skipped, not half-read."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise UnreadableArticleError(
            f"skipped '{name}': not valid {error.encoding} text"
        ) from error


def _decode_cp1258(data: bytes) -> str | None:
    """Windows-1258 text as NFC, or None when the bytes do not read as Vietnamese.

    CP1258 writes most tone marks as separate combining characters; NFC joins them to the vowel.
    Any 8-bit file decodes as CP1258, so the result must also look like Vietnamese.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if _looks_vietnamese(text) else None


def _looks_vietnamese(text: str) -> bool:
    """Enough letters only Vietnamese uses, and few foreign letters or stray tone marks."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    vietnamese = sum(ch in _VIETNAMESE_ONLY for ch in letters)
    foreign = sum(not ch.isascii() and ch not in _VIETNAMESE_LETTERS for ch in letters)
    foreign += sum(unicodedata.combining(ch) > 0 for ch in text)
    return vietnamese >= _MIN_VIETNAMESE_SHARE * len(
        letters
    ) and foreign <= _MAX_FOREIGN_SHARE * len(letters)


def _control_share(text: str) -> float:
    """Share of control characters: text has almost none, binary files have many."""
    return len(_BINARY_CONTROLS.findall(text)) / len(text)
