"""The copies table of a generation: an update compares only what it signed, and must find
exactly the groups that comparing every signature finds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dvsearch.articles.duplicates import Signature, group_duplicates
from dvsearch.index import copies as copies_module
from dvsearch.index import copy_links
from dvsearch.index.copies import COPIES_NAME, saved_signatures, signature_of, write_copies
from dvsearch.index.signature_layers import Layer, Stack, as_signatures

_WORDS = [
    "dân",
    "vận",
    "khéo",
    "công",
    "tác",
    "mặt",
    "trận",
    "tổ",
    "quốc",
    "tỉnh",
    "huyện",
    "xã",
    "nhân",
    "dân",
    "chính",
    "quyền",
    "đoàn",
    "thể",
    "cán",
    "bộ",
    "phong",
    "trào",
    "thi",
    "đua",
    "hội",
    "nghị",
    "kinh",
    "tế",
    "xã",
    "hội",
    "giao",
    "thông",
    "nông",
    "thôn",
    "mới",
    "văn",
    "hoá",
]


def _story(seed: int, words: int = 120) -> str:
    chooser = random.Random(seed)
    return " ".join(chooser.choice(_WORDS) for _ in range(words))


def _edited(text: str) -> str:
    """One word changed near the end: a copy saved from another site."""
    words = text.split()
    words[-5] = "bóng"
    return " ".join(words)


def _generation(folder: Path, signatures: dict[str, str], base: Path | None) -> Path:
    folder.mkdir()
    old = saved_signatures(base) if base is not None else {}
    decoded = as_signatures(signatures)
    new = {path: value for path, value in signatures.items() if old.get(path) != decoded.get(path)}
    write_copies(folder, base, new, signatures)
    return folder


def _copies(generation: Path) -> dict[str, str]:
    copies: dict[str, str] = json.loads((generation / COPIES_NAME).read_text(encoding="utf-8"))
    return copies


def _compared_all(signatures: dict[str, str]) -> dict[str, str]:
    parsed = {path: Signature.from_json(value) for path, value in signatures.items()}
    return group_duplicates({path: sig for path, sig in parsed.items() if sig is not None})


def test_an_added_copy_joins_its_group_as_comparing_all_signatures_does(tmp_path: Path) -> None:
    stories = {f"b{n}.txt": signature_of(_story(n)) for n in range(6)}
    stories["b0x.txt"] = signature_of(_edited(_story(0)))
    base = _generation(tmp_path / "g1", stories, None)
    assert _copies(base) == {"b0x.txt": "b0.txt"}
    added = {**stories, "a-first.txt": signature_of(_story(0)), "c.txt": signature_of(_story(9))}
    updated = _generation(tmp_path / "g2", added, base)
    # the exact copy sorts first: it becomes the group's primary, as a rebuild makes it
    assert _copies(updated) == {"b0x.txt": "a-first.txt", "b0.txt": "a-first.txt"}
    assert (updated / COPIES_NAME).read_text() == json.dumps(_compared_all(added))


def test_an_added_article_that_links_two_groups_merges_them(tmp_path: Path) -> None:
    first, second = _story(1), _story(2)
    stories = {"x1.txt": signature_of(first), "x2.txt": signature_of(second)}
    stories |= {"y1.txt": signature_of(first), "y2.txt": signature_of(second)}
    base = _generation(tmp_path / "g1", stories, None)
    both = {**stories, "z.txt": signature_of(first)}
    updated = _generation(tmp_path / "g2", both, base)
    assert (
        _copies(updated)
        == _compared_all(both)
        == {"y1.txt": "x1.txt", "z.txt": "x1.txt"} | {"y2.txt": "x2.txt"}
    )


def test_removing_a_grouped_article_splits_its_group_as_a_rebuild_does(tmp_path: Path) -> None:
    text = _story(3)
    stories = {"a.txt": signature_of(text), "b.txt": signature_of(text)}
    stories |= {"c.txt": signature_of(_edited(text)), "d.txt": signature_of(_story(4))}
    base = _generation(tmp_path / "g1", stories, None)
    assert _copies(base) == {"b.txt": "a.txt", "c.txt": "a.txt"}
    left = {path: value for path, value in stories.items() if path != "a.txt"}
    updated = _generation(tmp_path / "g2", left, base)
    assert _copies(updated) == _compared_all(left) == {"c.txt": "b.txt"}


def test_an_update_that_signs_nothing_keeps_the_groups(tmp_path: Path) -> None:
    stories = {"a.txt": signature_of(_story(5)), "b.txt": signature_of(_story(5))}
    stories["c.txt"] = signature_of(_story(6))
    base = _generation(tmp_path / "g1", stories, None)
    without_c = {path: value for path, value in stories.items() if path != "c.txt"}
    updated = _generation(tmp_path / "g2", without_c, base)
    assert _copies(updated) == {"b.txt": "a.txt"}
    assert saved_signatures(updated) == as_signatures(without_c)


def test_a_damaged_signature_is_left_out_as_comparing_all_signatures_does(tmp_path: Path) -> None:
    text = _story(7)
    stories = {"a.txt": signature_of(text), "c.txt": signature_of(_story(8))}
    stories["d.txt"] = "!" * len(stories["a.txt"])  # the length of a signature, not base64
    base = _generation(tmp_path / "g1", stories, None)
    added = {**stories, "b.txt": signature_of(_edited(text))}
    updated = _generation(tmp_path / "g2", added, base)
    assert _copies(updated) == _compared_all(added) == {"b.txt": "a.txt"}


def test_short_texts_group_only_when_identical_after_an_update(tmp_path: Path) -> None:
    """Texts under 50 shingles carry no bins: only equal digests link them."""
    stories = {"a.txt": signature_of(_story(11, words=20))}
    base = _generation(tmp_path / "g1", stories, None)
    added = {**stories, "b.txt": signature_of(_story(11, words=20))}
    added["c.txt"] = signature_of(_edited(_story(11, words=20)))
    updated = _generation(tmp_path / "g2", added, base)
    assert _copies(updated) == _compared_all(added) == {"b.txt": "a.txt"}


def test_an_update_signing_a_few_articles_does_not_group_all_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories = {f"b{n}.txt": signature_of(_story(n)) for n in range(4)}
    base = _generation(tmp_path / "g1", stories, None)
    monkeypatch.setattr(copies_module, "_all_copies", _refused)
    added = {**stories, "a.txt": signature_of(_edited(_story(2)))}
    updated = _generation(tmp_path / "g2", added, base)
    assert _copies(updated) == {"b2.txt": "a.txt"}


def _refused(kept: object) -> dict[str, str]:
    raise AssertionError("every signature compared again")


def test_comparing_a_few_signed_articles_without_numpy_links_what_numpy_links() -> None:
    """The plain comparison of a one-article update and numpy's find the same pairs: exact
    copies, near copies over and under the threshold, short texts, and unusable values."""
    stories = {f"s{n:02d}.txt": _story(n) for n in range(20)}
    stories["short.txt"] = _story(99, words=20)
    stories["short-copy.txt"] = stories["short.txt"]
    kept = as_signatures({path: signature_of(text) for path, text in stories.items()})
    kept["broken.txt"] = b"not a signature at all"
    kept["older.txt"] = b"\x00" + kept["s05.txt"][1:]  # another version's: never compared
    added = {
        "copy.txt": stories["s03.txt"],
        "edited.txt": _edited(stories["s07.txt"]),
        "other.txt": _story(500),
        "half.txt": " ".join(stories["s11.txt"].split()[:60] + _story(501).split()[:60]),
        "short-again.txt": stories["short.txt"],
    }
    kept.update(as_signatures({path: signature_of(text) for path, text in added.items()}))
    # in two layers, the second replacing a row of the first: only the newer row is compared
    replaced = {"s03.txt": kept["s05.txt"]}
    first = Layer.of_rows({**kept, **replaced})
    stack = Stack([first, Layer.of_rows({"s03.txt": kept["s03.txt"]})], [])
    for paths in ([path] for path in [*added, "broken.txt", "older.txt", "s05.txt"]):
        plain = sorted(copy_links.plain_links_of(paths, stack))
        assert plain == sorted(copy_links.links_of(paths, kept))
    found = set(copy_links.plain_links_of(["copy.txt", "edited.txt"], stack))
    assert {pair for pair in found if pair[0] != pair[1]} == {
        ("copy.txt", "s03.txt"),
        ("edited.txt", "s07.txt"),
    }
