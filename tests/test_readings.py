"""Accent restoration that leaves names and the pairs an archive holds alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.index.build import open_snapshot
from dvsearch.search.readings import LOOKUPS_PER_QUERY, ArchivePairs, prefer_known_pairs
from dvsearch.search.searcher import Searcher
from dvsearch.vietnamese.syllables import syllables

BuildCorpus = Callable[[dict[str, str]], Path]

# Each distractor syllable is more frequent than the name's own, so syllable by syllable the
# restoration reads *sóc trạng*, *Nguyễn Bà Cảnh* and *Hương Lần*.
_NAMES = {
    "soc-trang.txt": "Lúa Sóc Trăng\n\nNông dân tỉnh Sóc Trăng thu hoạch lúa.\n",
    "canh.txt": "Phát biểu\n\nÔng Nguyễn Bá Cảnh phát biểu tại hội nghị.\n",
    "lan.txt": "Bài hát\n\nMột bài hát của Hương Lan về quê hương.\n",
    **{
        f"distractor-{n}.txt": f"Tin {n}\n\nTình trạng lần thứ {n}: bà con nông dân lần "
        f"đầu đến xem trạng nguyên, cảnh đẹp, bà cụ vui.\n"
        for n in range(4)
    },
}


def _suggestion(index_dir: Path, query: str) -> str | None:
    with Searcher(index_dir) as searcher:
        return searcher.search(query).suggestion


def test_a_place_name_is_restored_as_the_archive_writes_it(build_corpus: BuildCorpus) -> None:
    assert _suggestion(build_corpus(_NAMES), "soc trang") == "sóc trăng"


def test_a_person_is_restored_as_the_archive_writes_the_name(build_corpus: BuildCorpus) -> None:
    assert _suggestion(build_corpus(_NAMES), "Nguyen Ba Canh") == "Nguyễn Bá Cảnh"


def test_a_name_typed_as_the_archive_has_it_gets_no_suggestion(
    build_corpus: BuildCorpus,
) -> None:
    """One hit, so a suggestion is considered; *Lan* beside *Hương* is what the archive holds
    (pyvi does not join the name into a compound here, so only the archive's text says so)."""
    index_dir = build_corpus(_NAMES)
    result = CliRunner().invoke(main, ["query", "Hương Lan", "--index", str(index_dir)])
    assert (result.exit_code, "Did you mean" in result.stdout) == (0, False)
    assert _suggestion(index_dir, "bài Hương Lan") is None


def test_the_suggestion_on_the_command_line_is_the_archive_reading(
    build_corpus: BuildCorpus,
) -> None:
    index_dir = build_corpus(_NAMES)
    result = CliRunner().invoke(main, ["query", "soc trang", "--index", str(index_dir)])
    assert (result.exit_code, "Did you mean: sóc trăng" in result.stdout) == (0, True)


_FORMS = {"soc": ["sóc"], "trang": ["trạng", "trang", "trăng"], "lan": ["lần", "lan"]}


def _read(query: str, first: list[str], held: set[tuple[str, str]]) -> tuple[list[str], int]:
    asked: list[tuple[str, str]] = []

    def holds(left: str, right: str) -> bool:
        asked.append((left, right))
        return (left, right) in held

    typed = syllables(query)
    folded = [s.folded for s in typed]
    return prefer_known_pairs(typed, folded, first, (_FORMS, {}), holds), len(asked)


def test_a_held_reading_replaces_the_most_frequent_forms() -> None:
    assert _read("soc trang", ["sóc", "trạng"], {("sóc", "trăng")}) == (["sóc", "trăng"], 3)


def test_without_a_held_reading_the_first_choice_stays() -> None:
    assert _read("soc trang", ["sóc", "trạng"], set())[0] == ["sóc", "trạng"]


def test_typed_accents_are_never_changed() -> None:
    """*Hương* stays, whatever the archive holds; *lan* stays as typed beside it."""
    held = {("hương", "lan"), ("hướng", "lần")}
    assert _read("Hương lan", ["hương", "lần"], held)[0] == ["hương", "lan"]


def test_a_long_query_asks_a_bounded_number_of_questions() -> None:
    query = " ".join(["trang"] * 40)
    assert _read(query, ["trạng"] * 40, set())[1] == LOOKUPS_PER_QUERY


class _CountingSearcher:
    """A whoosh searcher that counts the byline terms it is asked about."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self.asked = 0

    def doc_frequency(self, field: str, text: str) -> int:
        self.asked += 1
        return int(self._searcher.doc_frequency(field, text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)


def test_a_name_read_in_the_bylines_is_looked_up_once(build_corpus: BuildCorpus) -> None:
    """The ranking, the highlights and the suggestion all read ``huong lan``: the bylines are
    asked once, and a caller changing the answer changes no later one."""
    index_dir = build_corpus({**_NAMES, "signed.txt": "Tin\n\nMưa lớn.\n\nHương Lan\n"})
    forms = {"huong": ["hương", "hướng"], "lan": ["lần", "lan"]}
    with open_snapshot(index_dir).index.searcher() as whoosh:
        counting = _CountingSearcher(whoosh)
        pairs = ArchivePairs(counting)
        first = pairs.byline(["huong", "lan"], forms)
        asked = counting.asked
        assert first is not None
        first[0] = "hướng"
        again = pairs.byline(["huong", "lan"], forms)
    assert (first[1], again, asked > 0, counting.asked == asked) == (
        "lan",
        ["hương", "lan"],
        True,
        True,
    )
