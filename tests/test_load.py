"""Many queries in one process hold no more files and little more memory than the first few.

The full figures (1,000 queries, 100 command-line runs, a large index) come from
``benchmarks/load.py``; this is the quick guard that runs with the suite.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.errors import QuerySyntaxError
from dvsearch.search.searcher import Searcher, search

from .conftest import index_of_articles

QUERIES = (
    "Dân vận khéo", "dan van kheo", '"dân vận"', "Tỉnh uỷ", "MTTQ", "464-QĐ/TU",
    "author:Hương Lan", "dân vận NOT 2017", "giao thongg", "bóng đá", '"dân vận', "((",
)  # fmt: skip
RUNS = 300
RSS_BOUND_MB = 10.0  # measured: about 1 MB for 1,000 queries on the seeds

# Short articles keep each query to milliseconds; what is measured is what stays behind.
ARTICLES = {
    "a.txt": "Phong trào Dân vận khéo\n\n01/12/2020\n\n"
    "Năm 2020, toàn tỉnh có 1.635 mô hình dân vận khéo theo Quyết định 464-QĐ/TU.\n\nHương Lan\n",
    "b.txt": "Hội nghị Mặt trận\n\n15/03/2017\n\n"
    "Ủy ban MTTQ tỉnh họp bàn công tác dân vận, Tỉnh uỷ chỉ đạo giao thông nông thôn.\n",
    "c.txt": "Thuyền về bến\n\nQuý khách đi thuyền trên sông Đà, Đắk Lắk.\n",
}

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_of_articles(tmp_path_factory, ARTICLES, "load")


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _growth(run_one: Callable[[str], object], runs: int = RUNS) -> tuple[int, float]:
    """(open files, RSS in MB) gained over ``runs`` queries, after a warm-up round."""
    for text in QUERIES:
        _query(run_one, text)
    gc.collect()
    files, rss = _open_files(), _rss_mb()
    for number in range(runs):
        _query(run_one, QUERIES[number % len(QUERIES)])
    gc.collect()
    return _open_files() - files, _rss_mb() - rss


def _query(run_one: Callable[[str], object], text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):  # malformed on purpose: must not leak either
        run_one(text)


def test_queries_through_one_searcher_hold_no_more_files_or_memory(small_index: Path) -> None:
    with Searcher(small_index) as searcher:
        files, rss = _growth(lambda text: searcher.search(text))
    assert (files, rss < RSS_BOUND_MB) == (0, True)


def test_queries_through_search_hold_no_more_files_or_memory(small_index: Path) -> None:
    files, rss = _growth(lambda text: search(small_index, text), runs=100)  # opens each time
    assert (files, rss < RSS_BOUND_MB) == (0, True)
