"""Shared fixtures: the real seed articles and small corpora written for one test."""

from __future__ import annotations

import importlib
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from dvsearch.index.build import update_index

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

WriteCorpus = Callable[[dict[str, str]], Path]
ENGINES = ("whoosh", "arrays")  # whoosh's matchers, the reference, and the numpy scorer


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the five seed articles that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the five seeds, built once for the tests that only read it."""
    index_dir = tmp_path_factory.mktemp("seeds-index") / "index"
    update_index(SEEDS, index_dir)
    return index_dir


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn, for ``Searcher(index_dir, engine=engine)``: small test archives
    would otherwise only ever be searched by whoosh's matchers."""
    name: str = request.param
    return name


@pytest.fixture
def write_corpus(tmp_path: Path) -> WriteCorpus:
    """Write ``{file name: text}`` as article files and return the folder."""

    def write(articles: dict[str, str]) -> Path:
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        for name, text in articles.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def build_corpus(tmp_path: Path, write_corpus: WriteCorpus) -> Callable[[dict[str, str]], Path]:
    """Write a small corpus and index it; returns the index folder."""

    def build(articles: dict[str, str]) -> Path:
        index_dir = tmp_path / "index"
        update_index(write_corpus(articles), index_dir)
        return index_dir

    return build


def write_sentence_corpus(
    folder: Path, articles: int, per_article: int, seed: int, dated: bool = False
) -> Path:
    """Articles made of sentences drawn from the seeds: phrases, ties and near-ties abound.

    ``dated`` puts a dateline under each headline, spread over 2018-2022.
    """
    sentences = [
        s.strip()
        for path in sorted(SEEDS.iterdir())
        for s in re.split(r"(?<=[.;])\s+", path.read_text(encoding="utf-8"))
        if len(s.split()) > 4
    ]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for n in range(articles):
        body = " ".join(rng.sample(sentences, per_article))
        date = f"Ngày {1 + n % 28:02d}/{1 + n % 12:02d}/20{18 + n % 5}\n\n" if dated else ""
        (folder / f"art-{n:02d}.txt").write_text(f"Tin số {n}\n\n{date}{body}\n", "utf-8")
    return folder


def index_of_articles(
    tmp_path_factory: pytest.TempPathFactory, articles: dict[str, str], name: str
) -> Path:
    """Write ``{file name: text}`` and index it, for module-wide fixtures built once."""
    folder = tmp_path_factory.mktemp(f"{name}-articles")
    for file_name, text in articles.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp(f"{name}-index") / "index"
    update_index(folder, index_dir)
    return index_dir


def benchmark_script(name: str) -> ModuleType:
    """A module of benchmarks/, which is a folder of scripts importing each other by bare
    name rather than a package: imported with that folder on the path, as its scripts run."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)
