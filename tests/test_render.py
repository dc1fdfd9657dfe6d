"""Hits, passages, the article list and articles as they print: exact text, styles on the
right characters, and brackets in articles and file names shown as themselves."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console
from rich.text import Span as StyleSpan

from dvsearch.articles.parsing import Article
from dvsearch.index.build import IndexReport
from dvsearch.index.catalog import ArticleSummary
from dvsearch.render import (
    HIT_COLUMNS,
    SUMMARY_COLUMNS,
    count_line,
    counted,
    csv_text,
    hit_heading,
    hit_row,
    index_summary,
    json_lines,
    output_console,
    passage_text,
    print_article,
    print_catalog,
    print_results,
    result_json,
    summary_row,
    wants_color,
)
from dvsearch.search.highlight import Passage, Span
from dvsearch.search.searcher import Hit, SearchResult

MARKUP_NAMES = ["[x].txt", "[/x].txt", "[bold]y.txt"]
EXACT = "\x1b[1;30;43m"  # bold black on yellow
FOLDED = "\x1b[1;4;33m"  # bold underline yellow
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def _passage(text: str, exact: str, folded: str) -> Passage:
    """``text`` with the first ``exact`` and the first ``folded`` marked as matches."""
    spans = (
        Span(text.index(exact), text.index(exact) + len(exact), "exact"),
        Span(text.index(folded), text.index(folded) + len(folded), "folded"),
    )
    return Passage(text, spans, 0)


PASSAGE = _passage("Năm 2020, có 1.635 mô hình dân vận khéo [red]nhất[/red].", "dân vận", "khéo")


def _hit(rank: int = 1, path: str = "a.txt", title: str = "Dân vận khéo ở Lạng Sơn") -> Hit:
    return Hit(rank, path[:-4], path, title, False, "2020-12-01", "Mai Trâm", 19.094, (PASSAGE,))


def _plain() -> Console:
    return Console(width=80, file=io.StringIO(), force_terminal=False)


def _terminal(color_system: str | None = "standard") -> Console:
    return Console(
        width=80,
        file=io.StringIO(),
        force_terminal=True,
        color_system=color_system,  # type: ignore[arg-type]  # rich's Literal of names
    )


def _output(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def test_passage_styles_the_exact_and_the_folded_match_on_their_characters() -> None:
    text = passage_text(PASSAGE)
    assert [(text.plain[s.start : s.end], s.style) for s in text.spans] == [
        ("dân vận", "bold black on yellow"),
        ("khéo", "bold underline yellow"),
    ]


def test_passage_on_a_terminal_has_the_highlight_colours_on_the_matched_words() -> None:
    console = _terminal()
    console.print(passage_text(PASSAGE))
    assert _output(console) == (
        f"   Năm 2020, có 1.635 mô hình {EXACT}dân vận{RESET} {FOLDED}khéo{RESET}"
        " [red]nhất[/red].\n"
    )


def test_heading_colours_the_rank_and_bolds_the_title() -> None:
    heading = hit_heading(_hit(title="[red]Tin"))
    assert (heading.plain, heading.spans) == (
        "1. [red]Tin",
        [StyleSpan(0, 3, "bold cyan"), StyleSpan(3, 11, "bold")],
    )


RESULTS = """\
Did you mean: dân vận khéo
1. Dân vận khéo ở Lạng Sơn
   2020-12-01 · Mai Trâm · a.txt · score 19.09
   Năm 2020, có 1.635 mô hình dân vận khéo [red]nhất[/red].

2. (untitled)
   b.txt
   Năm 2020, có 1.635 mô hình dân vận khéo [red]nhất[/red].

2 of about 40 matching articles shown.
"""


def test_results_print_titles_details_passages_and_the_count() -> None:
    untitled = Hit(2, "b", "b.txt", "", True, None, None, None, (PASSAGE,))
    result = SearchResult("dan van kheo", 40, (_hit(), untitled), "dân vận khéo", False)
    console = _plain()
    print_results(console, result)
    assert _output(console) == RESULTS


def test_results_on_a_terminal_are_coloured_and_passages_indented_as_a_block() -> None:
    passage = _passage(" ".join(["Dân vận khéo"] * 7), "Dân vận", "khéo")
    hit = Hit(1, "a", "a.txt", "Tin", False, None, None, 1.5, (passage,))
    console = _terminal()
    print_results(console, SearchResult("dân vận", 1, (hit,)))
    first_line = " ".join([f"{EXACT}Dân vận{RESET} {FOLDED}khéo{RESET}"] + ["Dân vận khéo"] * 5)
    assert _output(console).splitlines() == [
        f"\x1b[1;36m1. {RESET}\x1b[1mTin{RESET}",
        f"{DIM}   a.txt · score 1.50{RESET}",
        f"   {first_line}",
        "   Dân vận khéo" + " " * 65,  # the wrapped line lines up, padded to the block's width
        "",
        f"{DIM}1 of 1 matching article shown.{RESET}",
    ]


def _counted(total: int, some: int, flags: list[bool], exact: bool = True) -> str:
    hits = tuple(
        Hit(n, "a", "a.txt", "Tin", False, None, None, 1.0, (), all_words=flag)
        for n, flag in enumerate(flags, 1)
    )
    result = SearchResult("dân vận", total, hits, None, exact, total_some=some)
    return count_line(result._replace(total_all_exact=exact))


@pytest.mark.parametrize(
    ("total", "some", "flags", "exact", "line"),
    [
        (5, 0, [True, True], True, "2 of 5 matching articles shown."),
        (
            1219,
            1105,
            [True, True],
            True,
            "2 of 114 articles with all the words shown (1105 more have some of them).",
        ),
        (3, 1, [True], True, "1 of 2 articles with all the words shown (1 more has some of them)."),
        (
            1219,
            1105,
            [True, False, True],
            True,
            "2 of 114 articles with all the words and 1 of 1105 with some of them shown.",
        ),
        (
            2,
            1,
            [False, True],
            True,
            "1 of 1 article with all the words and 1 of 1 with some of them shown.",
        ),
        (40, 40, [False], True, "1 of 40 articles with some of the words shown (none has all)."),
        (
            900,
            800,
            [True],
            False,
            "1 of about 100 articles with all the words shown (about 800 more have some of them).",
        ),
    ],
)
def test_the_count_line_tells_articles_with_every_word_from_those_with_some(
    total: int, some: int, flags: list[bool], exact: bool, line: str
) -> None:
    assert _counted(total, some, flags, exact) == line


def test_json_counts_articles_with_every_word_apart_and_flags_each_hit() -> None:
    hit = _hit()._replace(all_words=False)
    found = result_json(SearchResult("dân vận", 9, (hit,), None, True, total_some=7))
    counts = {key: found[key] for key in ("total", "total_all_words", "total_some_words")}
    assert (counts, found["total_all_words_exact"], found["hits"][0]["all_words"]) == (
        {"total": 9, "total_all_words": 2, "total_some_words": 7},
        True,
        False,
    )


def test_no_hits_is_one_friendly_line() -> None:
    console = _plain()
    print_results(console, SearchResult("[/x] bóng đá", 0, ()))
    assert _output(console) == "No articles match '[/x] bóng đá'. Try fewer or other words.\n"


@pytest.mark.parametrize("name", MARKUP_NAMES)
@pytest.mark.parametrize("console", [_plain, _terminal], ids=["plain", "terminal"])
def test_file_names_and_titles_that_look_like_markup_print_as_themselves(
    name: str, console: Callable[[], Console]
) -> None:
    shown = console()
    print_results(shown, SearchResult("[red]", 1, (_hit(path=name, title=f"Tin {name}"),)))
    assert _plain_lines(shown)[:2] == [
        f"1. Tin {name}",
        f"   2020-12-01 · Mai Trâm · {name} · score 19.09",
    ]


def _plain_lines(console: Console) -> list[str]:
    """The printed lines with colour codes taken out."""
    from rich.text import Text

    return [Text.from_ansi(line).plain.rstrip() for line in _output(console).splitlines()]


def _summary(path: str, title: str = "Tin", published: str | None = "2020-12-01") -> ArticleSummary:
    return ArticleSummary(path[:-4], path, title, published, "Mai Trâm", 120)


CATALOG = [  # rich pads each cell to its column, so lines end in spaces
    " date         title               author     words   file        ",
    "─────────────────────────────────────────────────────────────────",
    " 2021-01-07   Tin [red]đỏ[/red]   Mai Trâm     120   [x].txt     ",
    " 2020-12-01   [bold]Hội nghị      Mai Trâm     120   [/x].txt    ",
    "              Tin                 Mai Trâm     120   [bold]y.txt ",
    "3 articles. By year: 2020: 1 · 2021: 1 · unknown: 1",
]


def test_catalog_is_a_table_of_articles_and_a_line_of_counts_by_year() -> None:
    summaries = [
        _summary("[x].txt", "Tin [red]đỏ[/red]", "2021-01-07T08:00"),
        _summary("[/x].txt", "[bold]Hội nghị"),
        _summary("[bold]y.txt", published=None),
    ]
    console = _plain()
    print_catalog(console, summaries, {"2020": 1, "2021": 1, "unknown": 1})
    assert _output(console) == "\n".join(CATALOG) + "\n"


def test_catalog_of_one_article_says_article() -> None:
    console = _plain()
    print_catalog(console, [_summary("a.txt")], {"2020": 1})
    assert _output(console).splitlines()[-1] == "1 article. By year: 2020: 1"


def test_empty_catalog_is_one_line_saying_how_to_add_articles() -> None:
    console = _plain()
    print_catalog(console, [], {})
    assert _output(console) == (
        "The index holds no articles: run 'dvsearch index' on a folder of articles.\n"
    )


ARTICLE = Article(
    id="[/x]",
    path="[/x].txt",
    title="Tin [red]đỏ[/red]",
    title_derived=True,
    published="2017-06-20",
    page_date="2020-11-01",
    author="[bold]NÔNG ĐÌNH QUANG",
    source="Báo [x]",
    paragraphs=("Bài [bold]viết[/bold] về dân vận.", "Đoạn hai [/x]."),
)

SHOWN = """\
Tin [red]đỏ[/red]
2017-06-20 · page dated 2020-11-01 · [bold]NÔNG ĐÌNH QUANG · Báo [x] · [/x].txt
(title made from the lead sentence)

Bài [bold]viết[/bold] về dân vận.

Đoạn hai [/x].
"""


@pytest.mark.parametrize("console", [_plain, _terminal], ids=["plain", "terminal"])
def test_article_prints_title_details_and_paragraphs_as_written(
    console: Callable[[], Console],
) -> None:
    shown = console()
    print_article(shown, ARTICLE)
    assert "\n".join(_plain_lines(shown)) + "\n" == SHOWN


def test_undated_article_says_undated() -> None:
    console = _plain()
    undated = Article("a", "a.txt", "", False, None, None, None, None, ("Một đoạn.",))
    print_article(console, undated)
    assert _output(console) == "(untitled)\nundated · a.txt\n\nMột đoạn.\n"


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (IndexReport(added=0, rebuild_reason="new"), "indexed 0 articles (0 skipped)"),
        (IndexReport(added=1, rebuild_reason="new"), "indexed 1 article (0 skipped)"),
        (
            IndexReport(added=5, rebuild_reason="requested", warnings=["bad.txt: unreadable"]),
            "indexed 5 articles (1 skipped)",
        ),
        (
            IndexReport(added=1, removed=1, unchanged=0),
            "1 added, 0 updated, 1 removed, 0 unchanged (1 article, 0 skipped)",
        ),
        (
            IndexReport(updated=1, unchanged=4),
            "0 added, 1 updated, 0 removed, 4 unchanged (5 articles, 0 skipped)",
        ),
    ],
)
def test_index_summary_counts_agree_with_their_nouns(report: IndexReport, line: str) -> None:
    assert index_summary(report) == line


@pytest.mark.parametrize(
    ("number", "text"), [(0, "0 articles"), (1, "1 article"), (2, "2 articles")]
)
def test_counted_puts_the_noun_in_the_plural_unless_one(number: int, text: str) -> None:
    assert counted(number, "article") == text


@pytest.mark.parametrize(
    ("choice", "terminal", "environ", "styled"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # no-color.org: set and not empty
        ("always", False, {"NO_COLOR": "1"}, True),  # the option wins over the variable
        ("never", True, {}, False),
    ],
)
def test_color_choice(choice: str, terminal: bool, environ: dict[str, str], styled: bool) -> None:
    assert wants_color(choice, terminal, environ) == styled


def _printed(console: Console) -> str:
    print_results(console, SearchResult("dân vận", 1, (_hit(),)))
    return _output(console)


def test_an_unstyled_terminal_console_lays_out_as_a_terminal_without_escape_codes() -> None:
    never = _printed(output_console(io.StringIO(), terminal=True, color=False, width=80))
    styled = _printed(output_console(io.StringIO(), terminal=True, color=True, width=80))
    assert (never, "\x1b[" in styled) == ("\n".join(_plain_lines_of(styled)) + "\n", True)


def test_a_styled_piped_console_keeps_the_piped_lines() -> None:
    plain = _printed(output_console(io.StringIO(), terminal=False, color=False))
    styled = _printed(output_console(io.StringIO(), terminal=False, color=True))
    assert (_plain_lines_of(styled), styled.splitlines()[0]) == (
        plain.splitlines(),
        "\x1b[1;36m1. \x1b[0m\x1b[1mDân vận khéo ở Lạng Sơn\x1b[0m",
    )


def _plain_lines_of(printed: str) -> list[str]:
    from rich.text import Text

    return [Text.from_ansi(line).plain for line in printed.splitlines()]


def test_hit_row_is_flat_with_the_first_passage() -> None:
    undated = Hit(2, "b", "b.txt", "", True, None, None, None, ())
    assert [hit_row(_hit()), hit_row(undated)] == [
        {
            "rank": 1,
            "id": "a",
            "path": "a.txt",
            "title": "Dân vận khéo ở Lạng Sơn",
            "published": "2020-12-01",
            "author": "Mai Trâm",
            "score": 19.094,
            "passage": PASSAGE.text,
        },
        {
            "rank": 2,
            "id": "b",
            "path": "b.txt",
            "title": "",
            "published": None,
            "author": None,
            "score": None,
            "passage": "",
        },
    ]


def test_csv_has_a_header_quotes_what_needs_it_and_leaves_none_empty() -> None:
    rows = [summary_row(_summary("a, b.txt", 'Tin "nóng"', None))]
    assert csv_text(rows, SUMMARY_COLUMNS) == (
        'id,path,title,published,author,words\n"a, b","a, b.txt","Tin ""nóng""",,Mai Trâm,120\n'
    )


def test_csv_of_no_rows_is_the_header() -> None:
    assert csv_text([], HIT_COLUMNS) == "rank,id,path,title,published,author,score,passage\n"


def test_json_lines_keep_accents() -> None:
    rows = [summary_row(_summary("a.txt")), summary_row(_summary("b.txt", "Đà Nẵng"))]
    assert json_lines(rows).splitlines()[1] == (
        '{"id": "b", "path": "b.txt", "title": "Đà Nẵng", "published": "2020-12-01", '
        '"author": "Mai Trâm", "words": 120}'
    )


def test_catalog_cut_by_a_limit_says_of_how_many() -> None:
    console = _plain()
    print_catalog(console, [_summary("a.txt")], {"2020": 1}, matching=2)
    assert _output(console).splitlines()[-1] == "1 of 2 articles. By year: 2020: 1"


def test_catalog_with_nothing_matching_a_filter_says_so() -> None:
    console = _plain()
    print_catalog(console, [], {}, matching=0, filtered=True)
    assert _output(console) == (
        "No indexed article matches: widen --since/--until or try another --author.\n"
    )
