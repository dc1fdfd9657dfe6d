"""Reading article files: the five seed scrapes, other page shapes, and every encoding we accept."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from dvsearch.articles.files import decode_article
from dvsearch.articles.parsing import Article, parse_article, read_article
from dvsearch.errors import UnreadableArticleError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CHROME = (
    "Truy cập",
    "Hôm nay:",
    "Hôm qua:",
    "Tuần này:",
    "Tháng này:",
    "Tất cả",
    "92232",
    "3089933",
    "Đang online",
    "Số lượt xem",
    "Thống kê truy cập",
    "Tăng cỡ chữ",
    "Giảm cỡ chữ",
    "PublishingPortal",
    "Block_BanTin",
    "Chuyên mục khác",
    "Video",
    "Đăng lúc",
    "GMT+7",
    "01/11/2020",
    "23/05/2017",
    "07/01/2021",
    "19/12/2019",
    "2024-07-24",
)

# file, title, title_derived, published, page_date, author, source
SEED_METADATA = [
    (
        "000_a4d017e73d7b9be0.txt",
        "Giao ban công tác dân vận",
        False,
        None,  # the 2020 header is the page's render date; "Chiều nay (20/6)" has no year
        "2020-11-01",
        "NÔNG ĐÌNH QUANG",
        None,
    ),
    (
        "001_0e11b1891a069118.txt",
        "Ban Dân vận Tỉnh ủy tổ chức Hội nghị giao ban công tác Dân vận các huyện miền núi"
        " 6 tháng đầu năm.",
        False,
        "2017-05-23",
        None,
        None,
        None,
    ),
    (
        "002_eb21abf2a673adb1.txt",
        "Hội nghị tổng kết công tác dân vận năm 2020",
        False,
        "2021-01-07",
        None,
        "Hương Lan",
        None,
    ),
    (
        "003_c32616b67ea77d11.txt",
        "Ban Dân vận Tỉnh ủy triển khai nhiệm vụ công tác năm 2020",
        False,
        "2019-12-19T16:00",
        None,
        "Mai Trâm",
        None,
    ),
    (
        "004_69e811af1379700c.txt",
        "Sáng 24/7, Ban Dân vận Thành ủy tổ chức Hội nghị sơ kết 06 tháng đầu năm,"
        " triển khai nhiệm vụ những tháng cuối năm 2024",
        True,
        "2024-07-24T16:42:07",
        None,
        "Minh Khang",
        "Trung tâm VHTT và Truyền thông thành phố",
    ),
]
SEED_NAMES = [row[0] for row in SEED_METADATA]

VIETNAMESE = (
    "Hội nghị tổng kết công tác dân vận\n\n07/01/2021\n\n"
    "Chiều 07/01, Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2020.\n\n"
    "Đồng chí Phương Thị Thanh phát biểu chỉ đạo Ủy ban, Ưng Hòa, dự lễ ở Đắk Lắk.\n\n"
    "Hương Lan\n"
)
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _seed(name: str) -> Article:
    return read_article(SEEDS / name, SEEDS)


def _parse(text: str) -> Article:
    return parse_article(text, "a", "a.txt")


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters with their shape, tone marks as combining marks."""
    letters = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
        shape = "".join(mark for mark in decomposed if mark not in _TONE_MARKS)
        letters.append(unicodedata.normalize("NFC", shape) + tone)
    return "".join(letters).encode("cp1258")


def _unreadable_message(tmp_path: Path, name: str, data: bytes) -> str:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableArticleError) as caught:
        read_article(tmp_path / name, tmp_path)
    return str(caught.value)


# ---------------------------------------------------------------- the seeds


@pytest.mark.parametrize(
    ("name", "title", "derived", "published", "page_date", "author", "source"), SEED_METADATA
)
def test_seed_metadata_is_what_a_reader_sees_on_the_page(
    name: str,
    title: str,
    derived: bool,
    published: str | None,
    page_date: str | None,
    author: str | None,
    source: str | None,
) -> None:
    article = _seed(name)
    assert (article.title, article.title_derived) == (title, derived)
    assert (article.published, article.page_date) == (published, page_date)
    assert (article.author, article.source) == (author, source)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_body_has_no_site_chrome(name: str) -> None:
    article = _seed(name)
    text = article.title + "\n" + article.body
    assert [chrome for chrome in CHROME if chrome in text] == []


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_body_holds_no_title_or_byline_line(name: str) -> None:
    article = _seed(name)
    metadata = {article.title, article.author, article.source}
    assert [p for p in article.paragraphs if p in metadata] == []


def test_article_printed_twice_is_kept_once() -> None:
    raw = (SEEDS / "001_0e11b1891a069118.txt").read_text(encoding="utf-8")
    assert raw.count("Lang Chánh") == 4
    assert _seed("001_0e11b1891a069118.txt").body.count("Lang Chánh") == 2


def test_article_printed_twice_has_each_paragraph_once() -> None:
    paragraphs = _seed("001_0e11b1891a069118.txt").paragraphs
    assert len(paragraphs) == len(set(paragraphs)) == 6


def test_photo_caption_inside_the_body_is_kept() -> None:
    paragraphs = _seed("002_eb21abf2a673adb1.txt").paragraphs
    assert paragraphs[1] == "Các đại biểu dự Hội nghị"


# ---------------------------------------------------------------- other page shapes


def test_page_without_headline_gets_title_from_lead_sentence() -> None:
    article = _parse(
        "2023-03-15 09:30\nLượt xem: 57\n"
        "Sáng 15/3, Hội Nông dân tỉnh tổ chức tập huấn chuyển đổi số. Hơn 200 hội viên dự.\n"
        "Các học viên được hướng dẫn dùng ứng dụng trên điện thoại.\n"
    )
    assert (article.title, article.title_derived) == (
        "Sáng 15/3, Hội Nông dân tỉnh tổ chức tập huấn chuyển đổi số",
        True,
    )


def test_derived_title_keeps_the_lead_in_the_body() -> None:
    article = _parse("Sáng 15/3, hội nghị khai mạc với hơn 200 đại biểu tham dự trong hai ngày.")
    assert article.paragraphs == (
        "Sáng 15/3, hội nghị khai mạc với hơn 200 đại biểu tham dự trong hai ngày.",
    )


def test_long_lead_sentence_is_cut_at_a_clause_break() -> None:
    lead = (
        "Ngày 10/8, Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở huyện tổ chức hội nghị sơ"
        " kết năm 2023, triển khai nhiệm vụ trọng tâm những tháng cuối năm và biểu dương các"
        " điển hình tiên tiến."
    )
    assert _parse(lead).title == (
        "Ngày 10/8, Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở huyện tổ chức hội nghị sơ"
        " kết năm 2023…"
    )


def test_byline_followed_by_organisation_gives_author_and_source() -> None:
    article = _parse(
        "Nông dân thi đua sản xuất giỏi\n\n12/05/2022\n\n"
        "Ngày 12/5, Hội Nông dân huyện tổng kết phong trào năm 2022.\n\n"
        "Thanh Hà\nBáo Nông thôn Ngày nay\n"
    )
    assert (article.author, article.source) == ("Thanh Hà", "Báo Nông thôn Ngày nay")


def test_byline_and_organisation_are_not_paragraphs() -> None:
    article = _parse(
        "Nông dân thi đua sản xuất giỏi\n\n12/05/2022\n\n"
        "Ngày 12/5, Hội Nông dân huyện tổng kết phong trào năm 2022.\n\n"
        "Thanh Hà\nBáo Nông thôn Ngày nay\n"
    )
    assert article.paragraphs == ("Ngày 12/5, Hội Nông dân huyện tổng kết phong trào năm 2022.",)


def test_photo_credit_on_the_last_line_is_not_an_author() -> None:
    article = _parse(
        "Gặp mặt cựu chiến binh\n\n05/06/2022\n\n"
        "Sáng 5/6, huyện gặp mặt cựu chiến binh năm 2022.\n\nẢnh: MT\n"
    )
    assert (article.author, article.paragraphs[-1]) == (None, "Ảnh: MT")


def test_header_date_years_after_the_article_becomes_page_date_and_leaves_it_undated() -> None:
    article = _parse(
        "Thứ hai, 15/03/2021\n\nGặp mặt đầu xuân\n\n"
        "Sáng nay (3/2), Ban Dân vận gặp mặt đầu xuân năm 2015 với các chức sắc tôn giáo.\n"
    )
    assert (article.published, article.page_date) == (None, "2021-03-15")


def test_lead_day_and_month_without_a_dateline_give_no_date() -> None:
    article = _parse(
        "Nghệ sĩ ưu tú về quê\n\n"
        "Tối ngày 28/5, nghệ sĩ biểu diễn tại nhà văn hóa xã trước đông đảo bà con.\n\n"
        "Ông sinh năm 1967 tại Nam Định, theo nghề hát từ năm 1985.\n"
    )
    assert (article.published, article.page_date) == (None, None)


def test_lead_full_date_without_a_dateline_is_an_event_not_the_publication() -> None:
    article = _parse(
        "Hội nghị sơ kết\n\nNgày 23/10/2018, huyện tổ chức hội nghị sơ kết công tác dân vận.\n"
    )
    assert article.published is None


def test_lead_saying_today_takes_the_year_of_the_header_date() -> None:
    article = _parse(
        "Thứ hai, 15/03/2021\n\nGặp mặt đầu xuân\n\n"
        "Sáng nay (3/2), Ban Dân vận gặp mặt đầu xuân với các chức sắc tôn giáo.\n"
    )
    assert (article.published, article.page_date) == ("2021-02-03", "2021-03-15")


def test_lead_saying_today_in_december_under_a_january_header_is_last_year() -> None:
    article = _parse(
        "Thứ ba, 05/01/2021\n\nTổng kết năm\n\n"
        "Chiều nay (30/12), huyện tổng kết công tác dân vận năm 2020 với các đoàn thể.\n"
    )
    assert (article.published, article.page_date) == ("2020-12-30", "2021-01-05")


def test_labelled_dateline_at_the_foot_of_the_page_is_its_date() -> None:
    article = _parse(
        "Gặp mặt đầu xuân\n\nSáng 14/3, Ban Dân vận gặp mặt đầu xuân năm 2021.\n\n"
        "Cập nhật: 15/03/2021 08:30\n"
    )
    assert (article.published, article.paragraphs) == (
        "2021-03-15T08:30",
        ("Sáng 14/3, Ban Dân vận gặp mặt đầu xuân năm 2021.",),
    )


def test_header_date_matching_the_article_leaves_page_date_empty() -> None:
    article = _parse(
        "Thứ hai, 15/03/2021\n\nGặp mặt đầu xuân\n\n"
        "Sáng 14/3, Ban Dân vận gặp mặt đầu xuân năm 2021 với các chức sắc tôn giáo.\n"
    )
    assert (article.published, article.page_date) == ("2021-03-15", None)


def test_date_mentioned_in_the_body_is_not_the_publication_date() -> None:
    article = _parse(
        "Hội nghị sơ kết\n\nHội nghị diễn ra đầu tháng.\n\n"
        "Đề án số 12-ĐA/TU ngày 23/10/2018 được sơ kết.\n"
    )
    assert article.published is None


@pytest.mark.parametrize(
    ("dateline", "published"),
    [
        ("Chủ nhật,\u00a0 01/11/2020", "2020-11-01"),
        ("Ngày 23/05/2017 00:00:00", "2017-05-23"),
        ("Đăng lúc: 23/05/2017 00:00:00 (GMT+7)", "2017-05-23"),
        ("07/01/2021", "2021-01-07"),
        ("19/12/2019 16:00", "2019-12-19T16:00"),
        ("2024-07-24 16:42:07", "2024-07-24T16:42:07"),
        ("Thứ Sáu, 24/07/2020 - 08:15", "2020-07-24T08:15"),
    ],
)
def test_dateline_forms_give_an_iso_publication_date(dateline: str, published: str) -> None:
    article = _parse(f"Tiêu đề bài viết\n{dateline}\nNội dung bài viết ở đây.\n")
    assert (article.published, article.paragraphs) == (published, ("Nội dung bài viết ở đây.",))


def test_page_with_only_site_chrome_is_skipped() -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        parse_article("Truy cập\nHôm nay:\n1\nVideo\n", "x", "x.txt")
    assert str(caught.value) == "skipped 'x.txt': no article text in the file"


def test_related_links_after_a_navigation_heading_are_dropped() -> None:
    article = _parse(
        "Gặp mặt cựu chiến binh\n05/06/2022\nSáng 5/6, huyện gặp mặt cựu chiến binh.\n"
        "Tin liên quan\nHuyện tổ chức hội thao\nXã ra mắt mô hình dân vận khéo\n"
    )
    assert article.paragraphs == ("Sáng 5/6, huyện gặp mặt cựu chiến binh.",)


LEAD = "Sáng 15/3, Ban Dân vận huyện tổ chức hội nghị giao ban công tác dân vận quý I năm 2021."
BODY = "Các đại biểu đã thảo luận, thống nhất nhiệm vụ trọng tâm thời gian tới."


def test_breadcrumb_line_is_chrome_and_the_headline_and_dateline_after_it_are_found() -> None:
    article = _parse(
        "Trang chủ | Tin tức - Sự kiện | Công tác dân vận\n"
        "Huyện giao ban công tác dân vận quý I\nThứ Hai, 15/03/2021 | 08:30\n"
        f"{LEAD}\n{BODY}\n"
    )
    assert (article.title, article.published, article.paragraphs) == (
        "Huyện giao ban công tác dân vận quý I",
        "2021-03-15T08:30",
        (LEAD, BODY),
    )


@pytest.mark.parametrize(
    "crumbs",
    ["Trang chủ > Tin tức", "Trang chủ » Tin tức » Dân vận", "Tin tức / Sự kiện / Dân vận"],
)
def test_breadcrumb_separators_are_recognised(crumbs: str) -> None:
    article = _parse(f"{crumbs}\nHuyện giao ban công tác dân vận quý I\n{LEAD}\n")
    assert (article.title, article.paragraphs) == ("Huyện giao ban công tác dân vận quý I", (LEAD,))


def test_headline_ending_in_the_site_name_is_not_a_breadcrumb() -> None:
    article = _parse(f"Huyện giao ban công tác dân vận | Báo Lạng Sơn\n15/03/2021\n{LEAD}\n")
    assert article.title == "Huyện giao ban công tác dân vận | Báo Lạng Sơn"


def test_site_menu_copied_from_a_browser_is_not_the_title() -> None:
    article = _parse(
        "Trang chủ\nGiới thiệu\nTin tức - Sự kiện\nVăn bản\nLiên hệ\n"
        "Huyện giao ban công tác dân vận quý I\n15/03/2021\n"
        f"{LEAD}\n{BODY}\nTrang chủ\nLiên hệ\nSơ đồ trang\n"
    )
    assert (article.title, article.published, article.paragraphs) == (
        "Huyện giao ban công tác dân vận quý I",
        "2021-03-15",
        (LEAD, BODY),
    )


def test_menu_of_an_unseen_site_is_recognised_by_its_shape() -> None:
    article = _parse(f"Thời sự\nKinh tế\nVăn hóa\nHuyện giao ban công tác dân vận quý I\n{LEAD}\n")
    assert article.title == "Huyện giao ban công tác dân vận quý I"


def test_short_lines_closing_an_article_are_kept_unless_they_name_site_pages() -> None:
    article = _parse(f"Bốc thăm giải bóng đá\n{LEAD}\nBảng A\nHà Nội\nNam Định\nThanh Hóa\n")
    assert article.paragraphs == (LEAD, "Bảng A", "Hà Nội", "Nam Định", "Thanh Hóa")


def _closing(*lines: str) -> Article:
    return _parse("Huyện giao ban công tác dân vận\n15/03/2021\n" + "\n".join((LEAD, *lines)))


@pytest.mark.parametrize(
    ("lines", "author", "source"),
    [
        (("Thanh Hà (TTXVN)",), "Thanh Hà", "TTXVN"),
        (("Thu Hà - Minh Đức",), "Thu Hà - Minh Đức", None),
        (("Thu Hà, Minh Đức",), "Thu Hà, Minh Đức", None),
        (("PV",), "PV", None),
        (("Nhóm PV",), "Nhóm PV", None),
        (("Bài, ảnh: Minh Đức",), "Minh Đức", None),
        (("Bài và ảnh: Thu Hà - Minh Đức",), "Thu Hà - Minh Đức", None),
        (("Nguyễn Hạnh (theo Washington Post)",), "Nguyễn Hạnh", "Washington Post"),
        (("PV (tổng hợp)",), "PV", None),
        (("Theo Sức Khỏe Gia Đình",), None, "Sức Khỏe Gia Đình"),
        (("Nguồn: TTXVN",), None, "TTXVN"),
        (("Minh Đức", "Theo Báo Lạng Sơn"), "Minh Đức", "Báo Lạng Sơn"),
        (("Thanh Hà", "TTXVN"), "Thanh Hà", "TTXVN"),
    ],
)
def test_byline_shapes_give_author_and_source(
    lines: tuple[str, ...], author: str | None, source: str | None
) -> None:
    article = _closing(*lines)
    assert (article.author, article.source, article.paragraphs) == (author, source, (LEAD,))


@pytest.mark.parametrize("caption", ["Ảnh: Thu Hà", "(Ảnh: Thu Hà)"])
def test_byline_above_a_photo_credit_is_found_and_the_credit_kept(caption: str) -> None:
    article = _closing("Minh Đức", caption)
    assert (article.author, article.paragraphs) == ("Minh Đức", (LEAD, caption))


@pytest.mark.parametrize(
    "lines",
    [
        ("Xin kính gửi lời chào trân trọng.", "Kính thư,", "Võ Văn Kiệt"),  # a letter's signature
        ("Các đội dự giải:", "Hà Nội", "Nam Định"),  # a list
        ("Hồ sơ xin gửi về:", "Dr Alton Horsfall", "Email: a.b@example.org"),  # an address
        ("Phần II",),  # a chapter heading
        ("Công an đang tiếp tục điều tra mở rộng vụ án",),  # a related headline
    ],
)
def test_names_inside_the_text_are_not_authors(lines: tuple[str, ...]) -> None:
    article = _closing(*lines)
    assert (article.author, article.source) == (None, None)


def test_windows_line_endings_and_trailing_spaces_read_like_plain_lines() -> None:
    windows = VIETNAMESE.replace("\n", "  \r\n")
    assert _parse(windows) == _parse(VIETNAMESE)


def test_decomposed_text_is_cleaned_like_composed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Truy cập\nHôm nay:\n1\n" + VIETNAMESE)
    article = _parse(decomposed)
    assert (unicodedata.normalize("NFC", article.title), article.published, article.author) == (
        "Hội nghị tổng kết công tác dân vận",
        "2021-01-07",
        unicodedata.normalize("NFD", "Hương Lan"),
    )


# ---------------------------------------------------------------- encodings


def test_cp1258_file_decodes_to_composed_vietnamese() -> None:
    assert decode_article(_cp1258(VIETNAMESE), "a.txt") == VIETNAMESE


def test_utf16_little_endian_file_with_bom_decodes() -> None:
    data = codecs.BOM_UTF16_LE + VIETNAMESE.encode("utf-16-le")
    assert decode_article(data, "a.txt") == VIETNAMESE


def test_utf16_big_endian_file_with_bom_decodes() -> None:
    data = codecs.BOM_UTF16_BE + VIETNAMESE.encode("utf-16-be")
    assert decode_article(data, "a.txt") == VIETNAMESE


def test_utf8_file_with_bom_decodes_without_the_bom() -> None:
    assert decode_article(codecs.BOM_UTF8 + VIETNAMESE.encode(), "a.txt") == VIETNAMESE


def test_cp1258_article_file_reads_like_its_utf8_twin(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes(_cp1258(VIETNAMESE))
    (tmp_path / "u8.txt").write_bytes(VIETNAMESE.encode())
    old, new = (
        read_article(tmp_path / "cp.txt", tmp_path),
        read_article(tmp_path / "u8.txt", tmp_path),
    )
    assert (old.title, old.paragraphs, old.author) == (new.title, new.paragraphs, new.author)


def test_empty_file_is_skipped_with_its_name(tmp_path: Path) -> None:
    message = _unreadable_message(tmp_path, "empty.txt", b"")
    assert message == "skipped 'empty.txt': the file is empty"


def test_whitespace_only_file_is_skipped_as_empty(tmp_path: Path) -> None:
    message = _unreadable_message(tmp_path, "blank.txt", b" \r\n\t\n\xc2\xa0\n")
    assert message == "skipped 'blank.txt': the file is empty"


def test_binary_file_is_skipped_with_its_name(tmp_path: Path) -> None:
    message = _unreadable_message(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert message == "skipped 'photo.txt': not text (binary data)"


def test_file_of_control_characters_is_skipped_as_binary(tmp_path: Path) -> None:
    message = _unreadable_message(tmp_path, "noise.txt", bytes(range(1, 9)) * 20 + b"ok")
    assert message == "skipped 'noise.txt': not text (binary data)"


def test_file_in_another_8bit_encoding_is_skipped(tmp_path: Path) -> None:
    russian = "Привет, как дела? Всё хорошо, спасибо.".encode("cp1251")
    message = _unreadable_message(tmp_path, "ru.txt", russian)
    assert message == "skipped 'ru.txt': not UTF-8, UTF-16 or Windows-1258 text"


def test_utf8_file_with_a_nul_byte_is_skipped_as_binary(tmp_path: Path) -> None:
    message = _unreadable_message(tmp_path, "nul.txt", VIETNAMESE.encode() + b"\x00")
    assert message == "skipped 'nul.txt': not text (binary data)"


def test_utf8_file_cut_in_the_middle_of_a_letter_keeps_its_text() -> None:
    cut = (VIETNAMESE + "Tin từ Huế").encode()[:-1]
    assert decode_article(cut, "a.txt") == VIETNAMESE + "Tin từ Hu\ufffd"


def test_file_name_with_a_line_break_is_quoted_on_one_line() -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        decode_article(b"", "hai\ndong.txt")
    assert str(caught.value) == "skipped 'hai\\ndong.txt': the file is empty"


# ---------------------------------------------------------------- very long lines
# Each line below took minutes to clean when a regular expression rescanned it from every
# position; cleaning is linear now, so these run in well under a second.


def test_megabyte_line_without_newline_is_one_paragraph() -> None:
    line = " ".join(["Người dân trồng hồ tiêu trên đồi."] * 30_000)  # 1 MB of UTF-8
    article = _parse(line)
    assert (article.title, len(article.paragraphs)) == ("Người dân trồng hồ tiêu trên đồi", 1)


def test_long_line_of_separators_and_spaces_is_not_rescanned() -> None:
    article = _parse("Tin\n|" + " " * 300_000 + "x\nNội dung bài viết ở đây.")
    assert article.paragraphs[-1] == "Nội dung bài viết ở đây."


def test_long_line_of_abbreviation_like_stops_is_not_rescanned() -> None:
    article = _parse("A. " * 100_000)
    assert (article.title_derived, len(article.title) <= 121) == (True, True)
