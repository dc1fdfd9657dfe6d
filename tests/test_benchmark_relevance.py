"""The relevance harness in benchmarks/: its query forms, its scoring and a smoke run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import benchmark_script

SHARED = Path(__file__).resolve().parents[2] / "shared"
SYSTEMS = ["dvsearch", "fts5", "whoosh"]
MEASURES = ["nDCG@10", "MRR@10", "R@100"]


@pytest.mark.parametrize(
    ("form", "query", "expected"),
    [
        ("no_accents", "Đảng ủy Dân vận", "Dang uy Dan van"),
        ("old_tone", "Hòa khỏe thủy ủy quý hoàng", "Hoà khoẻ thuỷ uỷ quý hoàng"),
        ("new_tone", "hoà khoẻ thuỷ Uỷ quý", "hòa khỏe thủy Ủy quý"),
        ("nfd", "Dân", "Da\u0302n"),
        ("lowercase", "Tỉnh Ủy", "tỉnh ủy"),
        ("telex", "Hội nghị tổng kết 2024", "Hooij nghij toongr keets 2024"),
        ("telex", "ĐẢNG người ở", "DDANGR nguwowif owr"),
        ("vni", "Hội nghị tổng kết", "Ho65i nghi5 to63ng ke61t"),
        ("vni", "Đảng người ở", "D9a3ng ngu7o72i o73"),
    ],
)
def test_query_forms(form: str, query: str, expected: str) -> None:
    forms = benchmark_script("relevance_forms").FORMS
    assert forms[form](query, "q1") == expected


def test_typo_changes_one_long_word_the_same_way_each_time() -> None:
    typo = benchmark_script("relevance_forms").typo
    query = "Ban Dân vận Tỉnh ủy"
    slipped = typo(query, "vnq0001")
    changed = [(a, b) for a, b in zip(query.split(), slipped.split(), strict=True) if a != b]
    assert (len(changed), len(changed[0][0]) >= 4, typo(query, "vnq0001")) == (1, True, slipped)


@pytest.mark.parametrize(("form", "size"), [("transposition", 0), ("deletion", -1)])
def test_slip_forms_change_one_long_word_the_same_way_each_time(form: str, size: int) -> None:
    slip = benchmark_script("relevance_forms").FORMS[form]
    query = "Ban Dân vận Tỉnh ủy"
    slipped = slip(query, "vnq0001")
    changed = [(a, b) for a, b in zip(query.split(), slipped.split(), strict=True) if a != b]
    (typed, wrong) = changed[0]
    assert (len(changed), len(wrong) - len(typed), sorted(wrong) == sorted(typed)) == (
        1,
        size,
        size == 0,
    )
    assert slip(query, "vnq0001") == slipped


def test_fragments_are_runs_of_whole_words_of_one_body_sentence_drawn_the_same_each_time() -> None:
    fragments = benchmark_script("relevance_fragments")
    body = (
        "Tóm tắt bài.\n\nChiều 14/5, ông Nguyễn Ngọc Lâm, trưởng Công an xã Trà Giác xác nhận."
        " Một người dân ở xã Trà Giác chèo ghe đi thả lưới ở khu vực lòng sông thuỷ điện."
        " 12 3 4 5 6 7 8 9."
    )
    drawn = fragments.fragment_queries({f"d{i}": body for i in range(12)}, 42)
    again = fragments.fragment_queries({f"d{i}": body for i in range(12)}, 42)
    sentences = fragments.body_of(body).split(". ")
    for fragment, _ in drawn.values():
        sentence = next(sentence for sentence in sentences if fragment in sentence)
        start = sentence.index(fragment)
        spans = fragments.pyvi_words(sentence)
        inside = [s for s in spans if start <= s[0] and s[1] <= start + len(fragment)]
        assert (
            (inside[0][0], inside[-1][1]) == (start, start + len(fragment)),
            4 <= len(inside) <= 7,
            sum(1 for *_, lettered in inside if not lettered) <= 1,
            fragment.split()[0] not in {"Ngọc", "Lâm", "an", "Giác", "5,", "vực", "sông"},
        ) == (True, True, True, True)
    assert (drawn == again, len({f for f, _ in drawn.values()}) > 1) == (True, True)


def test_a_query_without_hits_counts_as_zero() -> None:
    evaluate = benchmark_script("relevance_report").evaluate
    qrels = {"q1": {"d1": 1}, "q2": {"d2": 1}}
    scores = evaluate(qrels, {"q1": [("d1", 2.0), ("x", 1.0)]})
    assert scores == {"nDCG@10": 0.5, "MRR@10": 0.5, "R@100": 0.5}


def test_the_order_returned_is_the_order_scored() -> None:
    # On tied scores pytrec_eval would put d1 before z and give 1.0.
    evaluate = benchmark_script("relevance_report").evaluate
    scores = evaluate({"q1": {"d1": 1}}, {"q1": [("z", 1.0), ("d1", 1.0)]})
    assert scores["MRR@10"] == 0.5


def test_smoke_run_reports_every_system_and_form(tmp_path: Path) -> None:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"no shared data in {SHARED / 'data'}: the relevance benchmark needs it")
    out = tmp_path / "relevance.md"
    arguments = ["--smoke", "--shared", str(SHARED), "--work", str(tmp_path), "--out", str(out)]
    assert benchmark_script("relevance").main(arguments) == 0
    tables = _tables(out.read_text(encoding="utf-8"))
    assert sorted(tables) == ["fragments", "vietnews", "vietnews-domain", "viquad", "xquad"]
    forms = list(benchmark_script("relevance_forms").FORMS)
    for header, rows in tables.values():
        assert header == ["form", *[f"{s} {m}" for s in SYSTEMS for m in MEASURES]]
        assert [row[0] for row in rows] == forms
        assert all(0.0 <= float(cell) <= 1.0 for row in rows for cell in row[1:])


def _tables(markdown: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """``{collection: (header, rows)}`` for the score tables, one per ``## collection``."""
    tables = {}
    for section in markdown.split("\n## ")[1:]:
        title, _, body = section.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith("| ")]
        cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
        if cells and cells[0][1:4] == [f"dvsearch {m}" for m in MEASURES]:
            tables[title] = (cells[0], cells[2:])
    return tables
