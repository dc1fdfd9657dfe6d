"""Readers per format: DOCX, PDF, HTML, Markdown and text files into ``Document`` records."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dvsearch.articles.readers.dispatch import read_document
from dvsearch.articles.readers.document import Document, compose_text, parse_document
from dvsearch.articles.readers.markdown import strip_markdown
from dvsearch.articles.readers.pdf import join_lines
from dvsearch.errors import UnreadableArticleError
from dvsearch.vietnamese.legacy import encode_tcvn3, encode_vni
from tests.conftest import SHARED

HTML_NEWS = SHARED / "data" / "html_news"

# ---------------------------------------------------------------- files made for the tests

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(body_xml: str, core: dict[str, str] | None = None) -> bytes:
    """A minimal DOCX: ``word/document.xml`` around ``body_xml`` and optional core properties."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}">'
            f"<w:body>{body_xml}</w:body></w:document>",
        )
        if core is not None:
            fields = "".join(f"<{tag}>{value}</{tag}>" for tag, value in core.items())
            archive.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/">' + fields + "</cp:coreProperties>",
            )
    return buffer.getvalue()


def run(text: str, font: str | None = None) -> str:
    """One DOCX run of ``text``, set in ``font`` when given."""
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return f'<w:r>{fonts}<w:t xml:space="preserve">{text}</w:t></w:r>'


def make_pdf(
    lines: list[str], info: dict[str, str] | None = None, font: str = "Helvetica"
) -> bytes:
    """A one-page PDF printing ``lines`` in a simple font whose ToUnicode map gives each
    character its own code, so any text (Vietnamese too) has an exact text layer."""
    codes = {ch: n + 1 for n, ch in enumerate(sorted({ch for line in lines for ch in line}))}
    shows = "".join(f"<{''.join(f'{codes[ch]:02X}' for ch in line)}> Tj T* " for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shows}ET".encode() if lines else b""
    pairs = [f"<{code:02X}> <{ord(ch):04X}>" for ch, code in codes.items()]
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]
    bfchars = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{bfchars}endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    info_entries = "".join(f"/{key} ({value})" for key, value in (info or {}).items())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /FirstChar 1 /LastChar 255"
        b" /Widths [%s] /ToUnicode 6 0 R >>" % (font.encode(), b" ".join([b"600"] * 255)),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        f"<< {info_entries} >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_PARAGRAPHS = [
    "Sáng 7/3, Ủy ban nhân dân thành phố Hà Nội tổ chức hội nghị tổng kết công tác "
    "phòng chống thiên tai năm 2025 và triển khai nhiệm vụ năm 2026 tại trụ sở.",
    "Theo báo cáo, trong năm qua thành phố đã hoàn thành việc gia cố 42 km đê, nạo vét "
    "nhiều tuyến kênh tiêu và lắp đặt thêm các trạm bơm dã chiến ở những điểm trũng.",
    "Phát biểu tại hội nghị, lãnh đạo thành phố yêu cầu các quận, huyện chủ động rà soát "
    "phương án ứng phó, bảo đảm an toàn cho người dân trước mùa mưa bão sắp tới.",
]


def make_page(related: bool = True) -> bytes:
    """A news page: menu, headline, JSON-LD byline, body, a related-articles list, footer."""
    related_list = (
        '<ul class="related"><li><a href="/a">Hà Nội mưa lớn, nhiều tuyến phố ngập</a></li>'
        '<li><a href="/b">Giá xăng tăng lần thứ ba liên tiếp</a></li></ul>'
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Hà Nội tổng kết phòng chống thiên tai - Báo Thử</title>
<meta property="og:title" content="Hà Nội tổng kết phòng chống thiên tai">
<meta property="og:site_name" content="Báo Thử Nghiệm">
<meta property="article:published_time" content="2026-03-07T08:15:00+07:00">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Hà Nội tổng kết phòng chống thiên tai", "datePublished": "2026-03-07T08:15:00+07:00",
 "author": {{"@type": "Person", "name": "Theo NGUYỄN LAN"}},
 "publisher": {{"@type": "Organization", "name": "Báo Thử Nghiệm"}}}}</script>
</head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/xh">Xã hội</a></li></ul></nav>
<article><h1>Hà Nội tổng kết phòng chống thiên tai</h1>
<div class="date">07/03/2026 08:15</div>
{related_list if related else ""}
{paragraphs}
<p><strong>Nguyễn Lan</strong></p>
</article>
<footer><p>Bản quyền thuộc về Báo Thử Nghiệm. Ghi rõ nguồn khi phát hành lại.</p></footer>
</body></html>""".encode()


# ---------------------------------------------------------------- text and Markdown


def test_a_text_file_is_decoded_as_before() -> None:
    data = "Tiêu đ\u00ea\u0300\n\nBài vi\u00ea\u0301t.\n".encode(
        "cp1258"
    )  # tones apart, as CP1258 has them
    assert read_document(data, "a.txt") == Document(text="Tiêu đề\n\nBài viết.\n", format="text")


def test_markdown_loses_its_markup_and_keeps_its_words() -> None:
    source = (
        "# Giá *vàng* tăng\n\n"
        "Theo **Ngân hàng** [Nhà nước](https://sbv.gov.vn), giá ![ảnh](a.png)tăng.\n\n"
        "## Diễn biến\n\n"
        "- Vàng miếng _SJC_\n"
        "* Vàng nhẫn\n"
        "1. Vàng trang sức\n"
        "> Trích dẫn\n\n"
        "```\nx = *y*\n```\n"
        "---\n"
    )
    document = read_document(source.encode(), "gia-vang.md")
    assert (document.format, document.title) == ("markdown", "Giá vàng tăng")
    assert document.text.splitlines() == [
        "Giá vàng tăng",
        "Theo Ngân hàng Nhà nước, giá tăng.",
        "Diễn biến",
        "Vàng miếng SJC",
        "Vàng nhẫn",
        "Vàng trang sức",
        "Trích dẫn",
        "x = *y*",
    ]


def test_a_setext_heading_is_the_title_and_a_file_without_headings_has_none() -> None:
    assert strip_markdown("Tin mới\n=======\n\nNội dung") == ("Tin mới", ["", "Nội dung"])
    assert strip_markdown("2 * 3 = 6 và a_b_c") == (None, ["2 * 3 = 6 và a_b_c"])


# ---------------------------------------------------------------- HTML


def test_a_page_gives_its_text_headline_date_with_time_author_and_site() -> None:
    document = read_document(make_page(), "bai.html")
    assert (
        document.format,
        document.title,
        document.published,
        document.author,
        document.source,
    ) == (
        "html",
        "Hà Nội tổng kết phòng chống thiên tai",
        "2026-03-07T08:15",
        "Nguyễn Lan",
        "Báo Thử Nghiệm",
    )
    lines = document.text.splitlines()
    assert (lines[0], lines[-1]) == ("Hà Nội tổng kết phòng chống thiên tai", _PARAGRAPHS[-1])
    for noise in ("Trang chủ", "Giá xăng tăng", "Bản quyền thuộc về", "Nguyễn Lan"):
        assert (noise, noise in document.text) == (noise, False)


def test_a_page_saved_as_txt_is_read_as_html() -> None:
    assert read_document(make_page(), "bai.txt").format == "html"
    assert (
        read_document(
            b"\xef\xbb\xbf  <!-- saved -->\n<html><body>" + make_page()[60:], "x.txt"
        ).format
        == "html"
    )


def test_a_page_without_an_article_is_refused() -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        read_document(b"<html><body><nav></nav></body></html>", "trong.html")
    assert str(caught.value) == "skipped 'trong.html': no article text found in the page"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.skipif(not HTML_NEWS.is_dir(), reason=f"no saved pages at {HTML_NEWS}")
def test_the_ten_saved_news_pages_meet_the_extraction_targets() -> None:
    """Targets: 9 titles, 10 dates with time, 8 authors, 10 clean bodies (expected.tsv), in
    the article as it is indexed (the page read, then cleaned)."""
    with (HTML_NEWS / "expected.tsv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    score = {"title": 0, "date": 0, "author": 0, "body": 0}
    for row in rows:
        document = read_document((HTML_NEWS / row["file"]).read_bytes(), row["file"])
        article = parse_document(document, row["file"], row["file"])
        body = _norm(article.title + "\n" + article.body)
        noise = [n for n in row["noise"].split("|") if n and _norm(n) in body]
        score["title"] += _norm(article.title).casefold() == _norm(row["title"]).casefold()
        score["date"] += article.published == row["date"]
        score["author"] += _norm(article.author or "").casefold() == _norm(row["author"]).casefold()
        score["body"] += (
            _norm(row["body_first"]) in body and _norm(row["body_last"]) in body and not noise
        )
    assert len(rows) == 10
    assert score == {"title": 10, "date": 10, "author": 10, "body": 10}


# ---------------------------------------------------------------- DOCX


def test_a_docx_gives_paragraphs_tables_core_properties_and_fonts() -> None:
    body = (
        f"<w:p>{run('Giá lúa ', '.VnTime')}{run('tăng mạnh')}</w:p>"
        "<w:tbl><w:tr><w:tc><w:p>"
        + run("Loại")
        + "</w:p></w:tc><w:tc><w:p>"
        + run("Giá", "VNI-Times")
        + "</w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p>"
        + run("IR50404")
        + "</w:p></w:tc><w:tc><w:p>"
        + run("7.200 đồng")
        + "</w:p></w:tc></w:tr></w:tbl>"
        f"<w:p>{run('Hết')}<w:r><w:tab/><w:t>bài</w:t></w:r></w:p>"
    )
    core = {
        "dc:title": "Giá lúa",
        "dc:creator": "Minh Khang",
        "dcterms:created": "2024-05-02T03:04:00Z",
    }
    assert read_document(make_docx(body, core), "lua.docx") == Document(
        text="Giá lúa\nGiá lúa tăng mạnh\nLoại | Giá\nIR50404 | 7.200 đồng\nHết bài",
        format="docx",
        title="Giá lúa",
        published="2024-05-02T03:04",
        author="Minh Khang",
        fonts=frozenset({".VnTime", "VNI-Times"}),
    )


def test_a_docx_without_core_properties_has_no_metadata() -> None:
    document = read_document(make_docx(f"<w:p>{run('Chỉ có chữ')}</w:p>"), "a.docx")
    assert document == Document(text="Chỉ có chữ", format="docx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.docx", "skipped 'a.docx': the file is empty"),
        (b"PK\x03\x04garbage", "a.docx", "skipped 'a.docx': named .docx but not a DOCX file"),
        (make_docx("<w:p></w:p>"), "a.docx", "skipped 'a.docx': the document has no text"),
        (b"", "a.pdf", "skipped 'a.pdf': the file is empty"),
        (b"%PDF-1.4\n1 0 obj\n<<", "a.pdf", None),
        (b"GIF89a....", "a.pdf", "skipped 'a.pdf': named .pdf but not a PDF file"),
        (b"\x00\x01", "a.doc", None),
    ],
)
def test_a_broken_or_foreign_file_is_refused_with_its_name(
    data: bytes, name: str, message: str | None
) -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        read_document(data, name)
    text = str(caught.value)
    assert (text.startswith(f"skipped '{name}': "), "\n" in text) == (True, False)
    if message is not None:
        assert text == message


def test_a_docx_with_a_broken_body_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    with pytest.raises(UnreadableArticleError) as caught:
        read_document(buffer.getvalue(), "hong.docx")
    assert str(caught.value).startswith("skipped 'hong.docx': word/document.xml is broken")


# ---------------------------------------------------------------- PDF


def test_a_pdf_gives_its_text_info_metadata_and_fonts() -> None:
    info = {
        "Title": "Rice prices",
        "Author": "Minh Khang",
        "CreationDate": "D:20240502100400+07'00'",
    }
    data = make_pdf(
        ["Rice prices rose", "sharply this week.", "Exports held up."], info, "ABCDEF+Arial"
    )
    assert read_document(data, "rice.pdf") == Document(
        text="Rice prices\nRice prices rose sharply this week.\nExports held up.",
        format="pdf",
        title="Rice prices",
        published="2024-05-02T10:04",
        author="Minh Khang",
        fonts=frozenset({"Arial"}),
    )


def test_a_pdf_with_vietnamese_text_reads_through_its_tounicode_map() -> None:
    document = read_document(make_pdf(["Giá lúa tăng mạnh ở Đồng bằng sông Cửu Long"]), "lua.pdf")
    assert (document.text, document.title) == ("Giá lúa tăng mạnh ở Đồng bằng sông Cửu Long", None)


def test_a_word_processors_file_name_title_is_not_a_title() -> None:
    data = make_pdf(["Text"], {"Title": "Microsoft Word - bai1.docx"})
    assert read_document(data, "a.pdf").title is None


def test_a_scanned_pdf_without_text_is_reported_not_indexed_empty() -> None:
    with pytest.raises(UnreadableArticleError) as caught:
        read_document(make_pdf([]), "scan.pdf")
    assert str(caught.value) == (
        "skipped 'scan.pdf': the PDF has no text layer (a scanned PDF?): "
        "run OCR on it (ocrmypdf) to index it"
    )


def test_pdf_lines_join_into_paragraphs_only_mid_sentence() -> None:
    assert join_lines(["Giá vàng", "tăng mạnh.", "hôm nay", "", "Tỷ giá"]) == [
        "Giá vàng tăng mạnh.",
        "hôm nay",
        "Tỷ giá",
    ]


# ---------------------------------------------------------------- into an Article


def test_the_formats_metadata_overrides_what_cleaning_finds() -> None:
    document = Document(
        text=compose_text(
            "Giá lúa", ["Ngày 01/05/2024", "Giá lúa tăng mạnh trong tuần qua.", "Lan"]
        ),
        format="docx",
        title="Giá lúa tăng",
        published="2024-05-02T03:04",
        author="Minh Khang",
        source="Báo Thử",
    )
    article = parse_document(document, "a", "a.docx")
    assert (article.title, article.title_derived, article.published, article.page_date) == (
        "Giá lúa tăng",
        False,
        "2024-05-02T03:04",
        "2024-05-01",
    )
    assert (article.author, article.source) == ("Minh Khang", "Báo Thử")


def test_choosing_a_reader_imports_no_heavy_library() -> None:
    script = (
        "import sys\n"
        "from dvsearch.articles.readers.dispatch import read_document\n"
        "read_document(b'Tin\\n\\nBai', 'a.txt')\n"
        "print([m for m in ('trafilatura', 'pypdf', 'lxml') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "[]")


def test_conftest_points_at_the_shared_folder() -> None:
    assert Path(SHARED).name == "shared"


# ---------------------------------------------------------------- legacy pages, guessed dates

_LEGACY_SENTENCE = (
    "Ban Dân vận Tỉnh ủy triển khai công tác dân vận khéo năm 2020 tại các huyện miền núi, "
    "đồng chí Nguyễn Thị Hương phát biểu chỉ đạo."
)


def _legacy_page(encode: Callable[[str], bytes], style: str = "") -> bytes:
    body = "".join(f"<p>{_LEGACY_SENTENCE}</p>" for _ in range(3))
    return (
        b'<html><head><meta charset="windows-1252"><title>'
        + encode("Hội nghị dân vận")
        + b"</title></head><body"
        + style.encode()
        + b"><article><h1>"
        + encode("Hội nghị dân vận")
        + b"</h1>"
        + encode(body)
        + b"</article></body></html>"
    )


@pytest.mark.parametrize(
    ("encode", "style"),
    [(encode_tcvn3, ""), (encode_tcvn3, ' style="font-family: .VnTime, serif"'), (encode_vni, "")],
)
def test_a_page_in_tcvn3_or_vni_is_read_as_unicode(
    encode: Callable[[str], bytes], style: str
) -> None:
    """ư is 0xAD in TCVN3, a soft hyphen to a Windows-1252 page: the bytes are decoded first."""
    document = read_document(_legacy_page(encode, style), "cu.html")
    assert (document.title, document.text.splitlines()[-1]) == (
        "Hội nghị dân vận",
        _LEGACY_SENTENCE,
    )


def test_a_year_in_a_pages_text_is_not_made_its_date() -> None:
    """A page without a date of its own stays undated: "năm 2020" is not 2020-01-01."""
    assert (
        read_document(_legacy_page(lambda text: text.encode("utf-8")), "p.html").published is None
    )
