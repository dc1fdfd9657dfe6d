"""The collector runs less often during an index run and as before once it ends."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from dvsearch.index import build
from dvsearch.index.collector import YOUNG_THRESHOLD, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before


def test_an_index_run_collects_less_and_restores_the_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []
    real = build.planned_folders

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "planned_folders", recording)
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "tin.txt").write_text("Dân vận khéo ở xã\n\nBan Dân vận Tỉnh ủy.", encoding="utf-8")
    before = gc.get_threshold()
    report = build.update_index(articles, tmp_path / "index")
    assert report.total == 1
    assert seen and all(threshold[0] >= YOUNG_THRESHOLD for threshold in seen)
    assert gc.get_threshold() == before
