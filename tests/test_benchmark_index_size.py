"""benchmarks/index_size.py on the seeds' index: every byte in one part, each part where it is."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import benchmark_script


def test_the_parts_add_up_to_every_file_of_the_generation(seeds_index: Path) -> None:
    index_size = benchmark_script("index_size")
    generation = index_size.live_generation(seeds_index)
    sizes = index_size.account(generation)
    assert sum(sizes.values()) == index_size.total_files(generation)
    assert min(sizes.values()) >= 0


def test_the_parts_are_the_fields_as_the_registry_indexes_them(seeds_index: Path) -> None:
    """Positions for the positional fields, none for the compound words (their frequencies
    are their weights) nor the exact fields (their accents are a column), the body's share of
    the stored fields, the JSON tables by name."""
    index_size = benchmark_script("index_size")
    sizes = index_size.account(index_size.live_generation(seeds_index))
    present = {part for part, size in sizes.items() if size > 0}
    expected = {
        "postings: body: positions or values",
        "postings: body_exact: ids + weights",
        "columns: body_exact (accents)",
        "columns: published (sortable)",
        "postings: words: ids + weights",
        "terms: words: keys + term infos",
        "stored: body",
        "json: vocabulary.json",
    }
    without = [f"postings: {f}: positions or values" for f in ("words", "body_exact")]
    assert (expected - present, [sizes[part] for part in without]) == (set(), [0, 0])


def test_the_table_gives_each_part_its_share_and_ratio_to_the_text() -> None:
    index_size = benchmark_script("index_size")
    from collections import Counter

    text = index_size.table(Counter({"postings: body: positions": 300, "stored: body": 100}), 200)
    assert text.splitlines()[2:4] == [
        "| postings: body: positions | 300 | 75.0% | 1.500 |",
        "| stored: body | 100 | 25.0% | 0.500 |",
    ]
    assert text.splitlines()[-1] == "| **total** | 400 | 100% | 2.000 |"
