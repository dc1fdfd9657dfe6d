"""The command line prints the same on whoosh's matchers and on the array scorer.

The CLI searches with ``engine="auto"``, which takes whoosh's matchers on archives as small as
the tests'; ``DVSEARCH_ENGINE`` makes it take either engine, and the output must not tell them
apart: text, ``--json`` and ``--batch`` alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.index.build import update_index
from dvsearch.search import searcher as search_module

from .conftest import ENGINES, write_sentence_corpus

QUERIES = (
    "Dân vận khéo",
    "dan van kheo",
    '"Ban Dân vận"',
    "MTTQ",
    "title:dân vận",
    "dân vận NOT 2017",
    "hội nghị AND (sơ kết OR tổng kết)",
    'body:"dân vận" AND title:tin',
    "Mai Trâm",
    "triên khai",
)
OPTIONS = (
    (),
    ("--limit", "2"),
    ("--sort", "date", "--limit", "20"),
    ("--since", "2019", "--until", "2021-06-30"),
)


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty dated articles of seed sentences: enough ties and phrases to tell engines apart."""
    root = tmp_path_factory.mktemp("cli-engines")
    folder = write_sentence_corpus(root / "articles", 40, 6, seed=5, dated=True)
    update_index(folder, root / "index")
    return root / "index"


@pytest.fixture
def engines_used(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engine of every ``Searcher`` opened while the test runs."""
    used: list[str] = []
    opened = search_module.Searcher.__init__

    def record(self: search_module.Searcher, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        used.append(self.engine)

    monkeypatch.setattr(search_module.Searcher, "__init__", record)
    return used


def _outputs(
    monkeypatch: pytest.MonkeyPatch, used: list[str], *args: str | Path
) -> dict[str, tuple[int, str]]:
    """Exit code and standard output of one command on each engine."""
    found = {}
    for engine in ENGINES:
        monkeypatch.setenv(search_module.ENGINE_VARIABLE, engine)
        used.clear()
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert (result.exit_code, used) == (0, [engine]), result.output
        found[engine] = (result.exit_code, result.stdout)
    return found


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("as_json", [False, True])
def test_a_query_prints_the_same_on_both_engines(
    dated_index: Path,
    monkeypatch: pytest.MonkeyPatch,
    engines_used: list[str],
    query: str,
    as_json: bool,
) -> None:
    for options in OPTIONS:
        args = ["query", query, *options, "--index", dated_index]
        outputs = _outputs(monkeypatch, engines_used, *args, *(["--json"] if as_json else []))
        assert outputs["arrays"] == outputs["whoosh"], options


def test_the_seed_query_prints_the_same_on_both_engines(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch, engines_used: list[str]
) -> None:
    outputs = _outputs(monkeypatch, engines_used, "query", "Dân vận khéo", "--index", seeds_index)
    assert outputs["arrays"] == outputs["whoosh"]
    assert "Dân vận khéo" in outputs["whoosh"][1]


def test_a_batch_prints_the_same_run_on_both_engines(
    dated_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engines_used: list[str]
) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        "".join(f"q{n}\t{query}\n" for n, query in enumerate(QUERIES)), encoding="utf-8"
    )
    args = ("query", "--batch", queries, "--limit", "15", "--index", dated_index)
    outputs = _outputs(monkeypatch, engines_used, *args)
    assert outputs["arrays"] == outputs["whoosh"]
    assert len(outputs["whoosh"][1].splitlines()) > len(QUERIES)
