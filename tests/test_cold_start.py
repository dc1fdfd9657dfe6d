"""A cold ``dvsearch query`` loads what a query needs and nothing of building or updating.

Most of a cold query's time is imports (issue 17: about 5x ``python -c pass`` is the target),
so every module of the index machinery it does not load is time saved on every query.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

_NOT_FOR_A_QUERY = (
    "dvsearch.index.build",  # building and updating: a query opens index/snapshot.py instead
    "dvsearch.index.parallel",
    "dvsearch.index.watch",
    "dvsearch.articles.files",  # finding, reading and cleaning article files
    "dvsearch.articles.parsing",
    "dvsearch.search.vocabulary",  # an accented query is never repaired or restored
    "rich.progress",  # the progress bar of an index run
    "numpy",  # the arrays engine of a large archive; a small one is searched without it
    "dvsearch.index.catalog",
    "dvsearch.search.batch",
    "asyncio",  # see engine/loading.py
    "urllib.request",
    "trafilatura",  # the readers import their libraries when a file of that format is read
    "pypdf",
    "lxml",
    "traceback",  # store.py's clean-up after a failure
    "importlib.resources",  # the shipped abbreviations, read by index runs
)


def _loaded_after(arguments: list[str]) -> list[str]:
    script = (
        "import sys\n"
        "from dvsearch.cli import main\n"
        f"main({arguments!r}, standalone_mode=False)\n"
        f"print([name for name in {_NOT_FOR_A_QUERY!r} if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0
    loaded: list[str] = ast.literal_eval(done.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize("output", [[], ["--json"], ["--csv"]])
def test_a_plain_query_loads_nothing_of_building(seeds_index: Path, output: list[str]) -> None:
    assert _loaded_after(["query", "--index", str(seeds_index), "Dân vận khéo", *output]) == []


def test_a_query_without_an_index_still_builds_one(tmp_path: Path) -> None:
    """The build machinery is loaded where it is needed: a query with no index builds it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Dân vận khéo\n\nPhong trào dân vận khéo.", encoding="utf-8")
    index = tmp_path / "index"
    arguments = ["query", "--index", str(index), "--seeds", str(seeds), "dân vận khéo"]
    assert _loaded_after(arguments)[:1] == ["dvsearch.index.build"]


def test_an_accented_query_never_reads_the_vocabulary(
    seeds_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vocabulary (1.3 MB at 10,000 articles) is only for queries typed without accents
    or with typos; it is mapped when the index opens and read only if asked for."""
    from dvsearch.search.searcher import Searcher

    read: list[str] = []
    real_read_text = Path.read_text

    def recording_read_text(path: Path, *args: Any, **kwargs: Any) -> str:
        read.append(path.name)
        return real_read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", recording_read_text)
    with Searcher(seeds_index) as searcher:
        accented = searcher.search("Dân vận khéo", limit=3)
        restored = searcher.search("dan van kheo", limit=3)
    # Mapped, not read, the vocabulary still restores the accents of a query without them.
    assert ("vocabulary.json" in read, accented.suggestion, restored.suggestion) == (
        False,
        None,
        "dân vận khéo",
    )


def test_a_query_makes_none_of_dvsearchs_records_as_dataclasses(seeds_index: Path) -> None:
    """A dataclass costs a cold start about five NamedTuples (its methods are compiled from
    source as its module loads); a query made 25 of them, a tenth of its instructions."""
    script = (
        "import dataclasses, sys\n"
        "made = []\n"
        "original = dataclasses._process_class\n"
        "def counting(cls, *args):\n"
        "    made.append(f'{cls.__module__}.{cls.__qualname__}')\n"
        "    return original(cls, *args)\n"
        "dataclasses._process_class = counting\n"
        "from dvsearch.cli import main\n"
        f"main(['query', '--index', {str(seeds_index)!r}, 'Dân vận khéo'], standalone_mode=False)\n"
        "print([name for name in made if name.startswith('dvsearch.')])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    made: list[str] = ast.literal_eval(done.stdout.splitlines()[-1])
    assert made == []
