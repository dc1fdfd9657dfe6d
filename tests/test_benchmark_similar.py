"""benchmarks/similar.py: its stratified sample, its precision@10, and a smoke run."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import benchmark_script

WORDS = {
    "The thao": "bóng đá cầu thủ ghi bàn trận đấu huấn luyện viên thủ môn",
    "Suc khoe": "bệnh viện bác sĩ bệnh nhân điều trị phẫu thuật tiêm chủng",
    "Kinh doanh": "doanh nghiệp cổ phiếu lãi suất ngân hàng xuất khẩu thị trường",
}


def _write_corpus(shared: Path) -> None:
    """Six articles a topic, each its topic's words in another order, plus common words."""
    folder = shared / "vntc"
    folder.mkdir(parents=True)
    lines = []
    for category, words in WORDS.items():
        for n in range(6):
            topical = words.split()
            shuffled = topical[n:] + topical[:n]
            text = " ".join(shuffled) + f" năm nay người dân thành phố số {n}"
            record = {"id": f"{category[:2]}-{n}", "title": "", "text": text, "category": category}
            lines.append(json.dumps(record, ensure_ascii=False))
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_sample_is_stratified_and_seeded(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    similar = benchmark_script("similar")
    first = similar.load_sample(tmp_path / "vntc" / "corpus.jsonl", 4, 2)
    again = similar.load_sample(tmp_path / "vntc" / "corpus.jsonl", 4, 2)
    topics = sorted(first.articles[q][0] for q in first.queries)
    assert (len(first.articles), topics) == (12, sorted([*WORDS, *WORDS]))
    assert (first.queries, list(first.articles)) == (again.queries, list(again.articles))


def test_precision_counts_same_topic_neighbours_and_misses(tmp_path: Path) -> None:
    similar = benchmark_script("similar")
    articles = {"a": ("x", ""), "b": ("x", ""), "c": ("y", ""), "d": ("x", "")}
    sample = similar.Sample(articles, ["a"])
    measured = similar.measure(sample, lambda docid: ["a", "b", "c", "d"])
    assert measured.precision == {"a": 0.2}  # b and d of ten: itself is never counted


def test_a_smoke_run_writes_the_table(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    out = tmp_path / "similar.md"
    arguments = ["--per-category", "4", "--queries", "2", "--shared", str(tmp_path)]
    arguments += ["--work", str(tmp_path / "work"), "--out", str(out)]
    assert benchmark_script("similar").main(arguments) == 0
    rows = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    assert rows[0] == (
        "| topic | queries | dvsearch similar (whoosh) | whoosh more_like (defaults) "
        "| whoosh, 25 terms | random |"
    )
    assert [row.split(" | ")[0] for row in rows[2:]] == [
        "| Kinh doanh",
        "| Suc khoe",
        "| The thao",
        "| mean",
        "| ms per query (p50)",
    ]
    dvsearch_mean = float(rows[5].split(" | ")[2].strip("*"))
    assert dvsearch_mean == 0.3  # the three topic-mates of each query, of ten
