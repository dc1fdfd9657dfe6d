"""Query text -> a tree of clauses -> a whoosh query.

whoosh's own ``QueryParser`` splits on spaces before analysis, which breaks Vietnamese: the
analyzer must see ``giao thông`` whole to find adjacent syllables and compounds. So we parse
the operators ourselves and hand every run of plain words to the analyzer in one piece.

Grammar (operators in capitals only; lowercase ``and``/``or``/``not`` are words)::

    query    := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary ("AND"? unary)*
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or_expr ")" | [field ":"] ( '"' phrase '"' | words )

A field prefix covers the whole run of plain words after it, because a Vietnamese word is often
several syllables: ``author:Hương Lan`` and ``title:giao thông`` mean what they say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from dvsearch.errors import QuerySyntaxError
from dvsearch.index.fields import PREFIXES

# About two hundred words: a long pasted paragraph. Ranking cost grows with every syllable
# (pairs, compounds, accent variants), so a whole pasted article would take seconds.
MAX_QUERY_CHARACTERS = 1000
# Parentheses and field prefixes nest by recursion; no real query goes past a handful.
MAX_NESTING = 32
_OPERATORS = ("AND", "OR", "NOT")
_LEXEME = re.compile(
    r"""(?P<space>\s+)
      | (?P<open>\()
      | (?P<close>\))
      | (?P<field>(?:{}):)(?=\S)
      | (?P<phrase>"[^"]*")
      | (?P<quote>")
      | (?P<word>[^\s()"]+)""".format("|".join(map(re.escape, PREFIXES))),
    re.VERBOSE | re.IGNORECASE,
)


class Words(NamedTuple):
    """Plain words, analysed as one piece of text; they rank documents rather than filter."""

    text: str
    field: str | None = None


class Phrase(NamedTuple):
    """A quoted phrase: its syllables must appear next to each other, in order."""

    text: str
    field: str | None = None


class AllOf(NamedTuple):
    """Every part must match (explicit AND, or a sequence that holds a required part)."""

    parts: tuple[Clause, ...]


class AnyOf(NamedTuple):
    """At least one part must match (OR)."""

    parts: tuple[Clause, ...]


class Without(NamedTuple):
    """The part must not match (NOT or a leading minus)."""

    part: Clause


class Sequence(NamedTuple):
    """Parts written side by side: required parts filter, plain words rank."""

    parts: tuple[Clause, ...]


Clause = Words | Phrase | AllOf | AnyOf | Without | Sequence


class _Lexeme(NamedTuple):  # private, so a tuple: a fifth of a dataclass's start-up cost
    kind: str
    text: str


def _lex(text: str) -> Iterator[_Lexeme]:
    for match in _LEXEME.finditer(text):
        kind = match.lastgroup or ""
        if kind == "space":
            continue
        if kind == "quote":
            raise QuerySyntaxError(
                'the query has an unbalanced quote: close the phrase with " or remove the quote'
            )
        yield _Lexeme(kind, match.group())


_ISO_BOUND = re.compile(
    r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?"
)
_VIETNAMESE_BOUND = re.compile(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})")
_QUOTED_MAX = 40


def parse_date_bound(text: str) -> str:
    """A ``--since``/``--until`` value as the ISO prefix it stands for.

    ``2020``, ``2020-01``, ``2020-01-05``, the Vietnamese ``5/1/2020`` or ``01/2020``, and the
    dates dvsearch prints, ``2019-12-19T16:00`` or ``2024-07-24T16:42:07``, are accepted; a
    prefix covers the whole year, month, day or minute.
    """
    value = text.strip()
    time: list[str | None] = []
    if match := _ISO_BOUND.fullmatch(value):
        year, month, day, *time = match.groups()
    elif match := _VIETNAMESE_BOUND.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise QuerySyntaxError(
            f"'{_clipped(text)}' is not a date: write 2020-01-31, 31/01/2020, 2020-01, 2020 "
            "or 2019-12-19T16:00"
        )
    return _iso_prefix(value, int(year), month, day, tuple(time))


def date_range_is_empty(since: str | None, until: str | None) -> bool:
    """Whether no date can be on or after ``since`` and on or before ``until`` (ISO prefixes,
    ``until`` covering all it stands for: ``2019-12`` reaches ``2019-12-31T23:59``)."""
    return since is not None and until is not None and since > until + "~"


def in_date_range(published: str | None, since: str | None, until: str | None) -> bool:
    """Whether a stored ISO date falls in the range; an undated article is in no range."""
    if since is None and until is None:
        return True
    if published is None:
        return False
    return (since or "") <= published <= (until + "~" if until else "~")


def _clipped(text: str) -> str:
    """What the user typed, cut short enough to quote in a one-line message."""
    return text if len(text) <= _QUOTED_MAX else text[: _QUOTED_MAX - 1] + "…"


def _iso_prefix(
    text: str, year: int, month: str | None, day: str | None, time: tuple[str | None, ...] = ()
) -> str:
    import datetime

    hour, minute, second = (*time, None, None, None)[:3]
    try:
        datetime.datetime(
            year, int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError as error:
        raise QuerySyntaxError(f"'{_clipped(text)}' is not a real date: {error}") from error
    parts = [f"{year:04d}"] + [f"{int(p):02d}" for p in (month, day) if p is not None]
    clock = ":".join(f"{int(p):02d}" for p in (hour, minute, second) if p is not None)
    return "-".join(parts) + (f"T{clock}" if clock else "")


def parse_query(text: str) -> Clause:
    """Parse query text; raises ``QuerySyntaxError`` with a way out for malformed queries."""
    length = len(unicodedata.normalize("NFC", text))
    if length > MAX_QUERY_CHARACTERS:
        raise QuerySyntaxError(
            f"the query is {length:,} characters long: shorten it to at most "
            f"{MAX_QUERY_CHARACTERS:,} (a sentence or two is plenty)"
        )
    parser = _Parser(list(_lex(text)))
    clause = parser.parse()
    if clause is None:
        raise QuerySyntaxError("the query is empty: type some words to search for")
    return clause


_SYNTAX_CHARACTERS = re.compile(r'["()]')


def parse_query_leniently(text: str) -> Clause:
    """Like ``parse_query``, but a malformed query is searched as its plain words.

    For batch runs over headlines and pasted text, where a stray quote must not lose a query;
    an overlong query is searched as its first ``MAX_QUERY_CHARACTERS`` characters.
    """
    text = _shortened(text)
    try:
        return parse_query(text)
    except QuerySyntaxError:
        words = _SYNTAX_CHARACTERS.sub(" ", text).split()
        if not words:
            raise
        return Words(" ".join(words))


def _shortened(text: str) -> str:
    """At most ``MAX_QUERY_CHARACTERS`` (as NFC), cut at a space when there is one to cut at."""
    if len(unicodedata.normalize("NFC", text)) <= MAX_QUERY_CHARACTERS:
        return text
    head = unicodedata.normalize("NFC", text)[:MAX_QUERY_CHARACTERS]
    space = head.rfind(" ")
    return head[:space] if space > 0 else head


class _Parser:
    """Recursive descent over the lexemes; each method returns None when it found nothing."""

    def __init__(self, lexemes: list[_Lexeme]) -> None:
        self._lexemes = lexemes
        self._at = 0
        self._depth = 0

    def parse(self) -> Clause | None:
        clause = self._or_expr()
        if self._peek() is not None:
            raise QuerySyntaxError(
                "the query has a ')' without a matching '(': remove it or add the '('"
            )
        return clause

    def _peek(self) -> _Lexeme | None:
        return self._lexemes[self._at] if self._at < len(self._lexemes) else None

    def _take(self) -> _Lexeme:
        lexeme = self._lexemes[self._at]
        self._at += 1
        return lexeme

    def _at_operator(self, name: str) -> bool:
        lexeme = self._peek()
        return lexeme is not None and lexeme.kind == "word" and lexeme.text == name

    def _or_expr(self) -> Clause | None:
        parts = [self._and_expr()]
        while self._at_operator("OR"):
            self._take()
            parts.append(self._and_expr())
        present = tuple(part for part in parts if part is not None)
        if len(present) <= 1:
            return present[0] if present else None
        return AnyOf(present)

    def _and_expr(self) -> Clause | None:
        groups: list[list[Clause]] = [[]]
        while (lexeme := self._peek()) is not None and lexeme.kind != "close":
            if self._at_operator("OR"):
                break
            if self._at_operator("AND"):
                self._take()
                groups.append([])
                continue
            unary = self._unary()
            if unary is not None:
                groups[-1].append(unary)
        sequences = [_as_sequence(group) for group in groups if group]
        if len(sequences) <= 1:
            return sequences[0] if sequences else None
        return AllOf(tuple(sequences))

    def _unary(self) -> Clause | None:
        lexeme = self._peek()
        assert lexeme is not None
        if self._at_operator("NOT"):
            self._take()
            return self._negate()
        if lexeme.kind == "word" and lexeme.text.startswith("-") and len(lexeme.text) > 1:
            self._take()
            self._lexemes.insert(self._at, _Lexeme("word", lexeme.text[1:]))
            return self._negate()
        return self._primary()

    def _negate(self) -> Clause | None:
        if (lexeme := self._peek()) is None or lexeme.kind == "close":
            raise QuerySyntaxError("NOT needs something after it: 'dân vận NOT khéo'")
        part = self._primary()
        return Without(part) if part is not None else None

    def _primary(self) -> Clause | None:
        lexeme = self._take()
        if lexeme.kind in ("open", "field"):
            self._depth += 1
            try:
                return self._nested(lexeme)
            finally:
                self._depth -= 1
        if lexeme.kind == "close":
            raise QuerySyntaxError("the query has a ')' without a matching '(': remove it")
        if lexeme.kind == "phrase":
            return Phrase(lexeme.text[1:-1])
        return Words(self._words_run(lexeme.text))

    def _nested(self, lexeme: _Lexeme) -> Clause | None:
        """A parenthesised group or a field prefix: what may nest, so its depth is capped."""
        if self._depth > MAX_NESTING:
            raise QuerySyntaxError(
                f"the query nests parentheses or field prefixes more than {MAX_NESTING} deep: "
                "remove some of them"
            )
        if lexeme.kind == "open":
            inner = self._or_expr()
            if self._peek() is None:
                raise QuerySyntaxError(
                    "the query has a '(' without a matching ')': close it or remove the '('"
                )
            self._take()
            return inner
        return self._fielded(lexeme.text[:-1].lower())

    def _fielded(self, field: str) -> Clause | None:
        lexeme = self._take()
        if lexeme.kind == "phrase":
            return Phrase(lexeme.text[1:-1], field)
        if lexeme.kind == "word":
            return Words(self._words_run(lexeme.text), field)
        self._at -= 1
        inner = self._primary()
        return _restrict(inner, field)

    def _words_run(self, first: str) -> str:
        """Join following plain words so the analyzer sees the whole run."""
        words = [first]
        while (lexeme := self._peek()) is not None and lexeme.kind == "word":
            if lexeme.text in _OPERATORS or (lexeme.text.startswith("-") and len(lexeme.text) > 1):
                break
            words.append(self._take().text)
        return " ".join(words)


def _as_sequence(parts: list[Clause]) -> Clause:
    return parts[0] if len(parts) == 1 else Sequence(tuple(parts))


def _restrict(clause: Clause | None, field: str) -> Clause | None:
    """Apply a field prefix to everything inside a parenthesised group."""
    match clause:
        case None:
            return None
        case Words(text=text):
            return Words(text, field)
        case Phrase(text=text):
            return Phrase(text, field)
        case Without(part=part):
            restricted = _restrict(part, field)
            return Without(restricted) if restricted is not None else None
        case AllOf(parts=parts) | AnyOf(parts=parts) | Sequence(parts=parts):
            inner = tuple(r for p in parts if (r := _restrict(p, field)) is not None)
            return type(clause)(inner)
    return clause
