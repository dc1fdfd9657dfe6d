"""Domain abbreviations, used both ways: MTTQ <-> Mặt trận Tổ quốc, HĐND <-> Hội đồng nhân dân.

The table ships with dvsearch (``data/abbreviations.tsv``); users add their own in an
``abbreviations.tsv`` beside their articles. ``dvsearch index`` stores the merged table in the
index, so queries expand with the table the index was built with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from dvsearch.errors import AbbreviationFileError
from dvsearch.vietnamese.syllables import Syllable, syllables

USER_FILE_NAME = "abbreviations.tsv"
_SHORT = 2  # abbreviations this short are expanded only when typed in capitals


class Alternative(NamedTuple):
    """Query syllables ``start:end`` may also be written as any of ``forms``; ``abbreviation``
    when they are the abbreviation, not an expansion (so never a typo to repair)."""

    start: int
    end: int
    forms: tuple[tuple[Syllable, ...], ...]
    abbreviation: bool = False


Table = dict[str, list[str]]


def load_table(user_file: Path | None = None) -> Table:
    """The shipped table, extended by ``user_file`` when given."""
    from importlib import resources  # only an index run reads it, not a query's start-up

    shipped = resources.files("dvsearch").joinpath("data", "abbreviations.tsv")
    table = parse_table(shipped.read_text(encoding="utf-8").splitlines(), "abbreviations.tsv")
    if user_file is not None:
        for abbreviation, expansions in _read_user_file(user_file).items():
            table.setdefault(abbreviation, []).extend(expansions)
    return table


def _read_user_file(path: Path) -> Table:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise AbbreviationFileError(f"cannot read '{path}' as UTF-8 text: {error}") from error
    return parse_table(lines, str(path))


def parse_table(lines: Iterable[str], source: str) -> Table:
    """``ABBR<TAB>expansion[<TAB>expansion…]`` lines; ``#`` starts a comment line."""
    table: Table = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        abbreviation, *expansions = [part.strip() for part in line.split("\t")]
        if not abbreviation or not any(expansions):
            raise AbbreviationFileError(
                f"line {number} of '{source}' is not 'ABBREVIATION<TAB>expansion': fix it"
            )
        table.setdefault(abbreviation, []).extend(e for e in expansions if e)
    return table


def table_json(table: Table) -> str:
    """The table as stored with an index."""
    return json.dumps(table, ensure_ascii=False, indent=1) + "\n"


def parse_saved_table(text: str) -> Table:
    """A table stored by ``table_json``."""
    loaded: Table = json.loads(text)
    return loaded


class _Rule(NamedTuple):
    """Folded syllables to look for in a query and the forms they stand for."""

    pattern: tuple[str, ...]
    needs_capitals: bool
    forms: tuple[tuple[Syllable, ...], ...]
    abbreviation: bool


class Expander:
    """Finds abbreviations and their expansions in a query's syllables."""

    def __init__(self, table: Table) -> None:
        self._rules: list[_Rule] = []
        for abbreviation, expansions in table.items():
            short = tuple(syllables(abbreviation))
            longs = [tuple(syllables(e)) for e in expansions]
            needs_capitals = len(abbreviation.replace("-", "")) <= _SHORT
            self._rules.append(_Rule(_folded(short), needs_capitals, tuple(longs), True))
            for long in longs:
                others = tuple(o for o in longs if o != long)
                self._rules.append(_Rule(_folded(long), False, (short, *others), False))

    def alternatives(self, query: list[Syllable], typed: str) -> Iterator[Alternative]:
        """Every place in ``query`` where a known form occurs, with its other forms."""
        folded = [s.folded for s in query]
        for rule in self._rules:
            for start in _occurrences(folded, rule.pattern):
                end = start + len(rule.pattern)
                if rule.needs_capitals and not _typed_in_capitals(query[start:end], typed):
                    continue
                yield Alternative(start, end, rule.forms, rule.abbreviation)


def _folded(form: tuple[Syllable, ...]) -> tuple[str, ...]:
    return tuple(s.folded for s in form)


def _occurrences(words: list[str], pattern: tuple[str, ...]) -> Iterator[int]:
    size = len(pattern)
    for start in range(len(words) - size + 1):
        if tuple(words[start : start + size]) == pattern:
            yield start


def _typed_in_capitals(part: list[Syllable], typed: str) -> bool:
    return all(typed[s.start : s.end].isupper() for s in part)
