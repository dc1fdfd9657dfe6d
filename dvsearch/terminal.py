"""Output on a terminal whose encoding is not UTF-8: what it cannot show is written plainer
(Vietnamese letters without their accents, đ as d) or as a ``\\u`` escape, never a
``UnicodeEncodeError`` traceback.

Windows-1258 writes Vietnamese with combining tone marks, so a letter without a code of its
own there (ậ) is first written that way (â and a combining dot), which loses nothing. Anything
else replaced is lost, and a guess is never shown as fact: the command ends with one note on
stderr saying so. Every command imports this module, so it uses the standard library only.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import combinations
from typing import TextIO

_HANDLER_PREFIX = "dvsearch-plain-"
# Characters with no decomposition to take marks off, and the punctuation of news articles and
# of dvsearch's own lines (NFKD already makes … into ... and a no-break space a space).
_PLAIN_FORMS = {
    **{"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'"},
    **{"–": "-", "—": "-", "·": "-", "•": "*"},
}
PLAIN = "plain"  # written without accents, or plainer punctuation
ESCAPED = "escaped"  # written as \u escapes
_LOSSLESS = "lossless"

# What was lost since ``readable_output`` began: kinds of loss by codec name, for the note.
_losses: dict[str, set[str]] = {}


def is_utf(encoding: str) -> bool:
    """True for an encoding that writes every character (UTF-8, UTF-16…)."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def error_handler(encoding: str) -> str:
    """The name of the codec error handler that writes for ``encoding``, registered once:
    ``text.encode(encoding, errors=error_handler(encoding))`` never raises."""
    codec = codecs.lookup(encoding).name
    name = _HANDLER_PREFIX + codec
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, _handler_for(codec))
    return name


def _handler_for(codec: str) -> Callable[[UnicodeError], tuple[str, int]]:
    def handle(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        pieces = [_replacement(codec, char) for char in error.object[error.start : error.end]]
        for _, kind in pieces:
            if kind != _LOSSLESS:
                _losses.setdefault(codec, set()).add(kind)
        return "".join(text for text, _ in pieces), error.end

    return handle


@lru_cache(maxsize=4096)
def _replacement(codec: str, char: str) -> tuple[str, str]:
    """What to write for ``char``, which ``codec`` cannot write, and what that lost.

    >>> _replacement("cp1258", "ậ"), _replacement("ascii", "ậ"), _replacement("ascii", "€")
    (('ậ', 'lossless'), ('a', 'plain'), ('\\\\u20ac', 'escaped'))
    """
    for form in _canonical_forms(char):
        if _encodes(form, codec):
            return form, _LOSSLESS
    plain = _PLAIN_FORMS.get(char, _without_marks(char))
    if plain != char and _encodes(plain, codec):
        return plain, PLAIN  # a lone combining mark (NFD text) becomes nothing
    code = ord(char)
    return (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"), ESCAPED


def _canonical_forms(char: str) -> Iterator[str]:
    """``char`` with some of its marks left combining, as Windows-1258 writes Vietnamese:
    ậ as ạ + ◌̂, â + ◌̣, a + ◌̣ + ◌̂ (all the same letter to Unicode)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    for size in range(len(marks) - 1, -1, -1):  # all of them composed is ``char`` itself
        for kept in combinations(range(len(marks)), size):
            composed = unicodedata.normalize("NFC", base + "".join(marks[i] for i in kept))
            yield composed + "".join(mark for i, mark in enumerate(marks) if i not in kept)


def _without_marks(char: str) -> str:
    """The letter without its accents (NFKD, combining marks dropped): ậ → a, … → ..."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


class EncodedBuffer(io.StringIO):
    """Text drawn for a terminal in ``encoding`` and kept to page it: rich reads the encoding
    of the file it draws on, and draws ASCII table lines rather than ─ for one that is not
    UTF-8, as it does on the terminal itself."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # read-only here: it is the terminal's
        return self._encoding


def loss_note() -> str | None:
    """The note that says what the terminal's encoding made dvsearch leave out, if anything."""
    if not _losses:
        return None
    codec = next(iter(_losses))
    kinds = set().union(*_losses.values())
    lost = {
        frozenset({PLAIN}): "Vietnamese letters were shown without their accents",
        frozenset({ESCAPED}): "characters it cannot show were written as \\u escapes",
        frozenset({PLAIN, ESCAPED}): "Vietnamese letters were shown without their accents "
        "and other characters as \\u escapes",
    }[frozenset(kinds)]
    return (
        f"note: this terminal's encoding is {codec}, not UTF-8: {lost}; "
        "set LANG=C.UTF-8 (or PYTHONIOENCODING=utf-8) to see them"
    )


@contextmanager
def readable_output() -> Iterator[None]:
    """While the block runs, standard output and error write what their encoding cannot
    show plainer instead of raising; at its end, one note on stderr if that lost anything."""
    _losses.clear()
    changed = [_reconfigure(stream) for stream in (sys.stdout, sys.stderr)]
    try:
        yield
    finally:
        _write_note()
        for stream, errors in filter(None, changed):
            _set_errors(stream, errors)


def _reconfigure(stream: TextIO | None) -> tuple[TextIO, str] | None:
    """Give a stream that is not UTF-8 our error handler; the stream and its old handler.

    Streams that are not ``TextIOWrapper`` (a test's capture, an IDE's console) may have no
    ``reconfigure`` and are left as they are."""
    encoding = getattr(stream, "encoding", None)
    if stream is None or not isinstance(encoding, str) or is_utf(encoding):
        return None
    previous = stream.errors or "strict"
    try:
        handler = error_handler(encoding)
    except LookupError:  # an encoding Python does not know cannot be written to anyway
        return None
    if not _set_errors(stream, handler):
        return None
    return stream, previous


def _set_errors(stream: TextIO, errors: str) -> bool:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return False
    try:
        reconfigure(errors=errors)
    except (OSError, ValueError):  # closed, or flushing what was written failed
        return False
    return True


def _write_note() -> None:
    note = loss_note()
    if note is None or sys.stderr is None:
        return
    try:
        sys.stderr.write(note + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: nobody to tell
        pass
