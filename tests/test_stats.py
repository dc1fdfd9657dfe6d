"""``dvsearch stats``: the whole archive counted, the index's size and age, as text and JSON."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from dvsearch.cli import main
from dvsearch.index.build import update_index
from dvsearch.index.catalog import list_articles
from dvsearch.index.stats import archive_stats
from tests.conftest import SEEDS


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_stats_count_every_seed_as_the_article_list_does(seeds_index: Path) -> None:
    stats = archive_stats(seeds_index)
    listed = list_articles(seeds_index)
    years = {s.published[:4] for s in listed if s.published}
    assert (stats.articles, stats.copies) == (len(listed), 0)
    assert stats.facets.undated == sum(1 for s in listed if s.published is None)
    assert {key for key, n in stats.facets.periods if n} == years
    assert sum(n for _, n in stats.facets.sources) == stats.articles
    assert stats.folders[0].path == SEEDS


def test_stats_measure_the_index_on_disk_and_when_it_was_written(seeds_index: Path) -> None:
    stats = archive_stats(seeds_index)
    files = [p for p in (seeds_index / stats.generation).iterdir() if p.is_file()]
    on_disk = sum(p.stat().st_size for p in files) + (seeds_index / "dvsearch.json").stat().st_size
    assert stats.size_bytes == on_disk
    assert datetime.now(UTC) - stats.updated < timedelta(hours=1)


def test_a_saved_copy_is_counted_apart_not_as_an_article(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    first = sorted(folder.iterdir())[2]
    shutil.copy(first, folder / "ban-sao.txt")
    update_index(folder, tmp_path / "index")
    stats = archive_stats(tmp_path / "index")
    assert (stats.articles, stats.copies) == (5, 1)


def test_stats_command_prints_the_summary_the_chart_and_the_tables(seeds_index: Path) -> None:
    result = _run("stats", "--index", seeds_index)
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[0]) == (0, "5 articles indexed; 1 without a known date.")
    assert lines[1].startswith("Index: ") and "on disk, last written " in lines[1]
    assert lines[2] == f"Folder: {SEEDS}"
    assert lines[4] == "Articles by year:"
    assert "and 1 undated article." in lines
    assert any(line.split() == ["(no", "source", "given)", "4"] for line in lines)


def test_stats_json_holds_the_counts_for_scripts(seeds_index: Path) -> None:
    result = _run("stats", "--json", "--index", seeds_index)
    data = json.loads(result.stdout)
    assert (result.exit_code, data["articles"], data["facets"]["undated"]) == (0, 5, 1)
    assert data["facets"]["periods"]["2024"] == 1
    assert {"source": None, "articles": 4} in data["facets"]["sources"]
    assert data["folders"] == [{"path": str(SEEDS), "label": ""}]


def test_stats_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    result = _run("stats", "--index", tmp_path / "none")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: no index in '{tmp_path / 'none'}': run 'dvsearch index' to build it\n",
    )
