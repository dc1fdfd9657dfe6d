"""The signatures table in layers: what every generation reads back is exactly what it was
given, whatever the history of updates; layers are shared, few, and old tables migrate."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from dvsearch.index import signature_layers
from dvsearch.index.signature_layers import (
    MAX_LAYERS,
    Layer,
    LayerError,
    Stack,
    layer_names,
    read_layer,
    read_signatures,
    read_stack,
    write_layer,
    write_signatures,
)


def _value(seed: int, full: bool = True) -> bytes:
    chooser = random.Random(seed)
    return bytes(chooser.randrange(256) for _ in range(13 + (256 if full else 0)))


def _generation(root: Path, number: int, base: Path | None, kept: dict[str, bytes]) -> Path:
    folder = root / f"gen-{number}"
    folder.mkdir()
    below = read_stack(base) if base else Stack([], [])
    fresh = {path: value for path, value in kept.items() if below.value(path) != value}
    after = write_signatures(folder, base, below, fresh, below.latest.keys() - kept.keys())
    assert after.held() == kept
    return folder


def test_every_generation_of_a_long_history_reads_back_what_it_was_given(tmp_path: Path) -> None:
    chooser = random.Random(5)
    kept = {f"a{n:03d}.txt": _value(n, full=n % 7 != 0) for n in range(200)}
    base = _generation(tmp_path, 0, None, kept)
    for number in range(1, 40):
        kept = dict(kept)
        for path in chooser.sample(sorted(kept), 3):
            del kept[path]  # removed articles
        for path in chooser.sample(sorted(kept), 2):
            kept[path] = _value(1000 + number)  # changed ones
        kept[f"new-{number}.txt"] = _value(2000 + number)
        base = _generation(tmp_path, number, base, kept)
        assert read_signatures(base) == kept
        assert 1 <= len(layer_names(base)) <= MAX_LAYERS


def test_an_update_changing_nothing_writes_no_layer(tmp_path: Path) -> None:
    kept = {"a.txt": _value(1), "b.txt": _value(2, full=False)}
    base = _generation(tmp_path, 0, None, kept)
    same = _generation(tmp_path, 1, base, dict(kept))
    assert layer_names(same) == layer_names(base) == ["signatures-000001.bin"]
    assert os.path.samefile(base / "signatures-000001.bin", same / "signatures-000001.bin")


def test_an_update_writes_only_what_changed_and_links_the_rest(tmp_path: Path) -> None:
    kept = {f"a{n}.txt": _value(n) for n in range(50)}
    base = _generation(tmp_path, 0, None, kept)
    changed = {**kept, "a3.txt": _value(99), "z.txt": _value(100)}
    del changed["a7.txt"]
    updated = _generation(tmp_path, 1, base, changed)
    assert layer_names(updated) == ["signatures-000001.bin", "signatures-000002.bin"]
    assert os.path.samefile(base / "signatures-000001.bin", updated / "signatures-000001.bin")
    newest = read_layer(updated / "signatures-000002.bin")
    assert newest == Layer.of_rows({"a3.txt": _value(99), "z.txt": _value(100)}, ["a7.txt"])


def test_many_changes_since_the_first_layer_are_written_again_as_one(tmp_path: Path) -> None:
    kept = {f"a{n}.txt": _value(n) for n in range(8)}
    base = _generation(tmp_path, 0, None, kept)
    for number in range(1, MAX_LAYERS + 1):
        kept = {**kept, f"b{number}.txt": _value(100 + number)}
        base = _generation(tmp_path, number, base, kept)
    # 8 additions to a first layer of 8 rows: more than a quarter of it, so one layer again
    assert layer_names(base) == [f"signatures-{MAX_LAYERS + 1:06d}.bin"]
    assert read_layer(base / layer_names(base)[0]) == Layer.of_rows(kept)


@pytest.mark.parametrize("cut", [0, 5, 20, -1])
def test_a_layer_cut_short_or_foreign_is_refused(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "signatures-000001.bin"
    layer = Layer.of_rows({"ả.txt": _value(1), "b.txt": _value(2, full=False)}, ["đ.txt"])
    write_layer(path, layer)
    assert read_layer(path) == layer
    assert read_layer(path).rows() == {"ả.txt": _value(1), "b.txt": _value(2, full=False)}
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut else b"PK\x03\x04" + data[4:])
    with pytest.raises(LayerError):
        read_layer(path)


def test_layer_files_match_the_generation_content_the_store_accepts() -> None:
    from dvsearch.index import store

    assert store._GENERATION_CONTENT.fullmatch("signatures-000012.bin") is not None
    assert signature_layers._LAYER_NAME.fullmatch("signatures-000012.bin") is not None
