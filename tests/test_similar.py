"""``similar``: an article's topic-mates first, its copies and near copies left out, on both
engines, for an indexed article or a file outside the index; one-line errors."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dvsearch.articles.duplicates import THRESHOLD, article_signature, similarity
from dvsearch.cli import main
from dvsearch.search.similar import NEAR_COPY, similar_articles

TOPICS = {
    "bong": [
        "Đội tuyển bóng đá quốc gia thắng trận đấu vòng loại nhờ hai bàn thắng của tiền đạo",
        "Huấn luyện viên trưởng gọi thêm thủ môn và hậu vệ cho trận giao hữu cuối tuần",
        "Cầu thủ ghi bàn phút bù giờ giúp câu lạc bộ giữ ngôi đầu bảng xếp hạng",
        "Liên đoàn bóng đá công bố lịch thi đấu giải vô địch quốc gia mùa bóng mới",
        "Người hâm mộ kín khán đài sân vận động cổ vũ đội tuyển trong trận chung kết",
        "Tiền vệ bị thẻ đỏ khiến đội khách chơi thiếu người suốt hiệp hai của trận đấu",
        "Ban huấn luyện tập chiến thuật phòng ngự phản công trước trận bán kết",
        "Thủ môn cản phá quả phạt đền đưa đội nhà vào vòng tứ kết giải đấu",
    ],
    "lua": [
        "Nông dân thu hoạch lúa vụ đông xuân đạt năng suất cao nhờ giống lúa mới",
        "Giá lúa gạo xuất khẩu tăng khiến bà con phấn khởi sau mùa gặt",
        "Sâu bệnh hại lúa lan rộng trên cánh đồng, trạm khuyến nông hướng dẫn phun thuốc",
        "Hợp tác xã cung ứng phân bón và máy gặt đập liên hợp cho ruộng đồng",
        "Kênh mương nội đồng được nạo vét để tưới tiêu cho vụ lúa hè thu",
        "Thương lái thu mua thóc tại ruộng với giá cao hơn năm trước",
    ],
    "benh": [
        "Bệnh viện đa khoa tiếp nhận bệnh nhân cấp cứu và bác sĩ phẫu thuật thành công",
        "Bác sĩ khuyến cáo tiêm chủng vắc xin phòng bệnh sởi cho trẻ em",
        "Khoa hồi sức điều trị tích cực cho bệnh nhân suy hô hấp nặng",
        "Bảo hiểm y tế chi trả viện phí cho người bệnh điều trị nội trú",
        "Điều dưỡng theo dõi huyết áp và tiêm thuốc cho bệnh nhân sau mổ",
        "Phòng khám ngoại trú tư vấn dinh dưỡng cho người bệnh tiểu đường",
    ],
}
COMMON = [
    "Năm nay thành phố tổ chức hội nghị triển khai kế hoạch công tác cho người dân",
    "Các sở ngành và địa phương cần thực hiện tốt kế hoạch đã đề ra trong năm nay",
    "Lãnh đạo thành phố yêu cầu các đơn vị báo cáo kết quả công tác định kỳ",
    "Người dân trên địa bàn được thông tin kịp thời về kế hoạch của thành phố",
    "Hội nghị cũng đánh giá kết quả thực hiện nhiệm vụ và triển khai công tác năm tới",
]


def _article(title: str, rng: random.Random, topic: list[str], topical: int, common: int) -> str:
    sentences = rng.sample(topic, topical) + rng.sample(COMMON, common)
    rng.shuffle(sentences)
    return f"{title}\n\n" + ". ".join(sentences) + "."


def _corpus() -> tuple[dict[str, str], str]:
    """Three topics of three articles each (plus the query's copy and near copy), and three
    distractors made of the query's common words: they share more words with it than any
    topic-mate, but no topical one."""
    rng = random.Random(7)
    query = _article("Đội tuyển vào vòng trong", rng, TOPICS["bong"], 5, 5)
    files = {"bong-0.txt": query, "bong-0-copy.txt": query}
    extra = (
        "Sau trận đấu, ban tổ chức trao cúp cho đội trưởng trong niềm vui của cả đội. "
        "Đêm qua hàng nghìn cổ động viên đổ ra đường ăn mừng chiến thắng lịch sử. "
        "Tuyển thủ trẻ nhất đội được bầu là cầu thủ xuất sắc nhất trận đấu."
    )
    files["bong-0-edited.txt"] = query + "\n\n" + extra
    for topic, sentences in TOPICS.items():
        for n in range(1, 4):
            files[f"{topic}-{n}.txt"] = _article(f"Tin {topic} số {n}", rng, sentences, 3, 1)
    for n in range(3):
        files[f"chung-{n}.txt"] = _article(f"Thông báo số {n}", rng, COMMON, 5, 0)
    return files, query


@pytest.fixture(scope="module")
def topics_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dvsearch.index.build import update_index

    folder = tmp_path_factory.mktemp("similar") / "articles"
    folder.mkdir()
    for name, text in _corpus()[0].items():
        (folder / name).write_text(text, encoding="utf-8")
    index_dir = folder.parent / "index"
    update_index(folder, index_dir)
    return index_dir


def _shared_words(first: str, second: str) -> int:
    return len(set(first.lower().split()) & set(second.lower().split()))


def test_the_distractors_share_more_words_than_the_topic_mates() -> None:
    """What makes the corpus a test: counting shared words alone would rank them first."""
    files, query = _corpus()
    mates = min(_shared_words(query, files[f"bong-{n}.txt"]) for n in range(1, 4))
    distractors = min(_shared_words(query, files[f"chung-{n}.txt"]) for n in range(3))
    assert distractors > mates


def test_the_edited_copy_is_a_near_copy_but_not_grouped_as_a_copy() -> None:
    files, query = _corpus()
    value = similarity(article_signature(query), article_signature(files["bong-0-edited.txt"]))
    assert NEAR_COPY <= value < THRESHOLD


@pytest.mark.parametrize("engine", ["whoosh", "arrays"])
def test_topic_mates_come_first_and_copies_are_left_out(topics_index: Path, engine: str) -> None:
    result = similar_articles(topics_index, "bong-0", limit=4, engine=engine)
    assert {hit.path for hit in result.hits[:3]} == {"bong-1.txt", "bong-2.txt", "bong-3.txt"}
    assert {hit.path for hit in result.hits} & {"bong-0.txt", "bong-0-copy.txt"} == set()
    assert "bong-0-edited.txt" not in {hit.path for hit in result.hits}


def test_both_engines_give_the_same_ranking(topics_index: Path) -> None:
    rankings = [
        [
            (hit.path, round(hit.score or 0.0, 6))
            for hit in similar_articles(topics_index, "lua-1.txt", limit=20, engine=engine).hits
        ]
        for engine in ("whoosh", "arrays")
    ]
    assert rankings[0] == rankings[1]
    assert len(rankings[0]) > 3


def test_a_file_outside_the_index_finds_its_topic(topics_index: Path, tmp_path: Path) -> None:
    outside = tmp_path / "moi.txt"
    text = "Bệnh nhân nhập viện\n\n" + ". ".join(TOPICS["benh"][:4]) + ". " + COMMON[0] + "."
    outside.write_text(text, encoding="utf-8")
    result = similar_articles(topics_index, str(outside), limit=3)
    assert {hit.path for hit in result.hits} == {"benh-1.txt", "benh-2.txt", "benh-3.txt"}
    assert result.source == str(outside)


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_prints_the_hits_like_a_query(topics_index: Path) -> None:
    code, out, err = _run("similar", "lua-2", "--index", topics_index, "-n", "2", "--csv")
    expected = [hit.path for hit in similar_articles(topics_index, "lua-2", limit=2).hits]
    rows = out.splitlines()
    assert (code, err, rows[0]) == (0, "", "rank,id,path,title,published,author,score,passage")
    assert [row.split(",")[2] for row in rows[1:]] == expected


def test_an_unknown_id_is_one_line(topics_index: Path) -> None:
    assert _run("similar", "khong-co", "--index", topics_index) == (
        1,
        "",
        "Error: no indexed article is called 'khong-co': run 'dvsearch list' to see the ids\n",
    )


def test_an_unreadable_file_is_one_line(topics_index: Path, tmp_path: Path) -> None:
    odd = tmp_path / "bai.xyz"
    odd.write_text("Tin bóng đá", encoding="utf-8")
    code, out, err = _run("similar", odd, "--index", topics_index)
    assert (code, out, err.count("\n"), err.startswith(f"Error: cannot read '{odd}'")) == (
        1,
        "",
        1,
        True,
    )


def test_an_article_without_words_is_one_line(topics_index: Path, tmp_path: Path) -> None:
    empty = tmp_path / "trong.txt"
    empty.write_text("… — …\n\n12 34", encoding="utf-8")
    assert _run("similar", empty, "--index", topics_index) == (
        1,
        "",
        f"Error: '{empty}' has no words to find similar articles by\n",
    )


def test_a_plain_query_does_not_load_similar(topics_index: Path) -> None:
    """The command's modules are imported by the command alone: queries pay nothing for it."""
    script = (
        "import sys\n"
        "from dvsearch.cli import main\n"
        f"main(['query', '--index', {str(topics_index)!r}, 'bóng đá'], standalone_mode=False)\n"
        "print([m for m in ('dvsearch.search.similar', 'dvsearch.render_similar')"
        " if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "[]")
