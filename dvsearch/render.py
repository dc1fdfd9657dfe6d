"""Hits and passages as rich renderables, JSON or CSV rows; the only module that knows colours.

Article text, file names, queries and messages always go through ``rich.text.Text`` (never
markup): a ``[`` in an article or a file name prints as itself. Nothing here hands rich a plain
string to print, since rich would parse it as markup (``[/x].txt`` is a MarkupError).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from dvsearch.search.highlight import Passage
from dvsearch.search.searcher import Hit, SearchResult

if TYPE_CHECKING:
    from dvsearch.articles.parsing import Article
    from dvsearch.index.build import IndexReport
    from dvsearch.index.catalog import ArticleSummary
    from dvsearch.index.store import IndexCheck

SPAN_STYLES = {"exact": "bold black on yellow", "folded": "bold underline yellow"}
COLOR_CHOICES = ("auto", "always", "never")
HIT_COLUMNS = ("rank", "id", "path", "title", "published", "author", "score", "passage")
SUMMARY_COLUMNS = ("id", "path", "title", "published", "author", "words")
_INDENT = "   "
_EMPTY_CATALOG = "The index holds no articles: run 'dvsearch index' on a folder of articles."
_NONE_LISTED = "No indexed article matches: widen --since/--until or try another --author."
_PIPED_WIDTH = 10_000  # tables sized to their content, never wrapped, when output is piped


def wants_color(choice: str, terminal: bool, environ: Mapping[str, str]) -> bool:
    """Whether ``--color`` CHOICE styles the output: ``always`` and ``never`` do as they say;
    ``auto`` styles a terminal unless ``NO_COLOR`` is set (https://no-color.org)."""
    if choice == "auto":
        return terminal and not environ.get("NO_COLOR")
    return choice == "always"


def output_console(
    file: IO[str] | None, terminal: bool, color: bool, width: int | None = None
) -> Console:
    """A console laid out for a terminal (wrapped to ``width``) or for a pipe (plain, unwrapped
    lines), with ANSI styles or none, whatever the file is and whatever rich reads from the
    environment: ``--color always`` styles piped output without changing its lines.

    Only ``Text`` is printed; should a plain string slip through, it still prints as itself
    rather than as markup or emoji codes (a file called ``[/x].txt`` is no markup).
    """
    system = ("auto" if terminal else "standard") if color else None
    return Console(
        file=file,
        force_terminal=terminal,
        color_system=system,  # type: ignore[arg-type]  # rich's Literal of names
        no_color=False,
        soft_wrap=not terminal,
        width=width if terminal else _PIPED_WIDTH,
        markup=False,
        emoji=False,
        highlight=False,
    )


def print_results(console: Console, result: SearchResult) -> None:
    """Ranked hits: rank and title, a line of metadata, then the matching passages."""
    if result.suggestion is not None:
        console.print(Text(f"Did you mean: {result.suggestion}", style="bold magenta"))
    if not result.hits:
        console.print(Text(f"No articles match '{result.query}'. Try fewer or other words."))
    for hit in result.hits:
        print_hit(console, hit)
    if result.hits:
        console.print(Text(count_line(result), style="dim"))
    if result.undated_left_out:
        notice = undated_notice(result.undated_left_out, result.undated_left_out_exact)
        console.print(Text(notice, style="dim"))


def print_hit(console: Console, hit: Hit) -> None:
    """One hit as queries and ``similar`` show it: rank and title, metadata, copies, passages."""
    console.print(hit_heading(hit))
    console.print(hit_details(hit))
    if hit.copies:
        console.print(Text(_INDENT + "also saved as: " + ", ".join(hit.copies), style="dim"))
    for passage in hit.passages:
        console.print(_indented(console, passage_text(passage, indent="")))
    console.print()


def count_line(result: SearchResult) -> str:
    """How many hits are shown of how many matches: those with every query word apart from
    those with only some, when there are both (``about`` where a count is estimated)."""
    shown = len(result.hits)
    if result.total_some == 0:
        about = "" if result.total_exact else "about "
        return f"{shown} of {about}{counted(result.total, 'matching article')} shown."
    all_about = "" if result.total_all_exact else "about "
    some_about = "" if result.total_exact and result.total_all_exact else "about "
    some = f"{some_about}{result.total_some}"
    if result.total_all == 0:
        articles = counted(result.total_some, "article")
        return f"{shown} of {some_about}{articles} with some of the words shown (none has all)."
    with_all = sum(hit.all_words for hit in result.hits)
    articles = f"{all_about}{counted(result.total_all, 'article')} with all the words"
    if with_all == shown:
        have = "has" if result.total_some == 1 else "have"
        return f"{shown} of {articles} shown ({some} more {have} some of them)."
    return f"{with_all} of {articles} and {shown - with_all} of {some} with some of them shown."


def undated_notice(left_out: int, exact: bool = True) -> str:
    """What a date range hid: articles whose date is not known are never guessed into it.
    On a large archive the count may be estimated, as the total is, and then says ``about``."""
    articles = counted(left_out, "undated matching article")
    if not exact:
        articles = "about " + articles
    them = "it" if left_out == 1 else "them"
    return f"{articles} left out by the date range: add --undated to include {them}."


def counted(number: int, noun: str) -> str:
    """``1 article``, ``2 articles``: every count the user reads agrees with its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def hit_heading(hit: Hit) -> Text:
    """``1. Title``: the rank in cyan, the title in bold."""
    # assemble, not Text(rank, style=...): a Text's own style would colour the title too
    return Text.assemble((f"{hit.rank}. ", "bold cyan"), (hit.title or "(untitled)", "bold"))


def hit_details(hit: Hit) -> Text:
    """Date, author, file and score on one dim line."""
    score = f"score {hit.score:.2f}" if hit.score is not None else None
    parts = [p for p in (hit.published, hit.author, openable_path(hit), score) if p]
    return Text(_INDENT + " · ".join(parts), style="dim")


def openable_path(hit: Hit, cwd: Path | None = None) -> str:
    """The hit's file as it opens from ``cwd`` (the current directory): relative when that is
    shorter than the absolute path, absolute otherwise; its id when its folder is unknown."""
    return hit.path if hit.file is None else openable(hit.file, cwd)


def openable(path: Path, cwd: Path | None = None) -> str:
    """``path`` as it opens from ``cwd``: relative when shorter than absolute."""
    try:
        relative = os.path.relpath(path, Path.cwd() if cwd is None else cwd)
    except (OSError, ValueError):  # no current directory, or another drive (Windows)
        return str(path)
    return relative if len(relative) <= len(str(path)) else str(path)


def passage_text(passage: Passage, indent: str = _INDENT) -> Text:
    """A passage with its matched spans styled; the text itself is never parsed as markup."""
    text = Text(indent + passage.text)
    for span in passage.spans:
        text.stylize(SPAN_STYLES[span.kind], span.start + len(indent), span.end + len(indent))
    return text


def _indented(console: Console, text: Text) -> RenderableType:
    """Indented as a block on a terminal, so wrapped lines line up; one plain line when piped."""
    if console.is_terminal:
        return Padding(text, (0, 0, 0, len(_INDENT)))
    return Text(_INDENT) + text


def result_json(result: SearchResult) -> dict[str, Any]:
    """The same data as the terminal output, for scripts."""
    return {
        "query": result.query,
        "total": result.total,
        "total_exact": result.total_exact,
        "total_all_words": result.total_all,
        "total_some_words": result.total_some,
        "total_all_words_exact": result.total_all_exact,
        "suggestion": result.suggestion,
        "undated_left_out": result.undated_left_out,
        "undated_left_out_exact": result.undated_left_out_exact,
        "hits": [hit_json(hit) for hit in result.hits],
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit with passages and their character spans."""
    return {
        "rank": hit.rank,
        "id": hit.id,
        "path": hit.path,
        "file": str(hit.file) if hit.file is not None else None,
        "folder": str(hit.folder) if hit.folder is not None else None,
        "title": hit.title,
        "title_derived": hit.title_derived,
        "published": hit.published,
        "author": hit.author,
        "score": round(hit.score, 4) if hit.score is not None else None,
        "copies": list(hit.copies),
        "all_words": hit.all_words,
        "passages": [
            {
                "text": p.text,
                "spans": [{"start": s.start, "end": s.end, "kind": s.kind} for s in p.spans],
            }
            for p in hit.passages
        ],
    }


def hit_row(hit: Hit) -> dict[str, Any]:
    """One hit as a flat row (``HIT_COLUMNS``) for CSV and JSON lines: its first passage."""
    return {
        "rank": hit.rank,
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "published": hit.published,
        "author": hit.author,
        "score": round(hit.score, 4) if hit.score is not None else None,
        "passage": hit.passages[0].text if hit.passages else "",
    }


def summary_row(summary: ArticleSummary) -> dict[str, Any]:
    """One listed article as a flat row (``SUMMARY_COLUMNS``)."""
    return asdict(summary)


def csv_text(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> str:
    """A header row and one row per record; empty cells for missing values."""
    import csv  # only --csv needs it
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_lines(rows: Iterable[Mapping[str, Any]]) -> str:
    """One JSON object a line (``--nl``), accents as themselves."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def index_summary(report: IndexReport) -> str:
    """One line saying what an index run did, and what it left unread (never in silence)."""
    skipped = f"{len(report.warnings)} skipped"
    if report.rebuild_reason is not None:
        line = f"indexed {counted(report.added, 'article')} ({skipped})"
    else:
        line = (
            f"{report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.unchanged} unchanged ({counted(report.total, 'article')}, {skipped})"
        )
    if report.not_read:
        types = ", ".join(f"{kind} {n}" for kind, n in report.not_read_by_type().items())
        line += f"; {counted(len(report.not_read), 'file')} not read: {types}"
    return line


def index_json(report: IndexReport) -> dict[str, Any]:
    """What an index run did, for scripts: counts, the warnings, the files left unread."""
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "total": report.total,
        "rebuilt": report.rebuild_reason,
        "damage": report.damage,
        "skipped": list(report.warnings),
        "not_read": list(report.not_read),
        "not_read_by_type": report.not_read_by_type(),
    }


def rebuild_notice(reason: str, index_dir: Path, seeds_dir: Path) -> str:
    """Why a command is about to build the index from scratch."""
    if reason == "outdated":
        return (
            f"the index in '{index_dir}' was built by another version of dvsearch: "
            f"rebuilding it from '{seeds_dir}'"
        )
    return f"no index in '{index_dir}': building it from '{seeds_dir}' first"


def damage_notice(index_dir: Path, damage: str) -> str:
    """Why an index run rebuilt the index instead of updating it."""
    return (
        f"the index in '{index_dir}' was damaged ({damage}): rebuilt it from its articles "
        "folders instead of updating it"
    )


def check_lines(index_dir: Path, check: IndexCheck) -> list[str]:
    """What ``dvsearch check`` found: a line per damaged file, then the verdict."""
    report = check.report
    where = f"'{check.generation}' of the index in '{index_dir}'"
    if not report.recorded:
        return [
            f"{where} has no checksums (it was written by an older dvsearch): run 'dvsearch "
            "index' to record them"
        ]
    lines = [f"damaged: {damage}" for damage in report.damage]
    if report.damage or check.articles is None:
        broken = counted(len(report.damage), "file") if report.damage else "its table of contents"
        lines.append(f"{where} is damaged ({broken}): run 'dvsearch index --rebuild'")
        return lines
    size = f"{report.size / 1e6:,.1f} MB" if report.size >= 100_000 else f"{report.size:,} bytes"
    lines.append(
        f"ok: {counted(report.files, 'file')} ({size}) of {where} are as written; "
        f"{counted(check.articles, 'article')}"
    )
    return lines


def check_json(index_dir: Path, check: IndexCheck) -> dict[str, Any]:
    """What ``dvsearch check --json`` prints."""
    report = check.report
    return {
        "index": str(index_dir),
        "generation": check.generation,
        "ok": report.recorded and not report.damage and check.articles is not None,
        "checksums_recorded": report.recorded,
        "files": report.files,
        "bytes": report.size,
        "articles": check.articles,
        "damaged": [{"file": damage.name, "problem": damage.what} for damage in report.damage],
    }


def wait_notice(index_dir: Path) -> str:
    """Why an index run is not starting yet: another process holds the index."""
    return f"waiting for another dvsearch to finish writing the index in '{index_dir}'…"


def print_article(console: Console, article: Article) -> None:
    """One cleaned article: title, a metadata line, then its paragraphs."""
    console.print(Text(article.title or "(untitled)", style="bold"))
    console.print(Text(" · ".join(_article_details(article)), style="dim"))
    if article.title_derived:
        console.print(Text("(title made from the lead sentence)", style="dim italic"))
    for paragraph in article.paragraphs:
        console.print()
        console.print(Text(paragraph))


def _article_details(article: Article) -> list[str]:
    details = [article.published or "undated"]
    if article.page_date and article.page_date != article.published:
        details.append(f"page dated {article.page_date}")
    details += [p for p in (article.author, article.source, article.path) if p]
    return details


def article_json(article: Article) -> dict[str, Any]:
    """An article record for scripts."""
    return {**asdict(article), "paragraphs": list(article.paragraphs)}


def print_catalog(
    console: Console,
    summaries: list[ArticleSummary],
    years: dict[str, int],
    matching: int | None = None,
    filtered: bool = False,
) -> None:
    """A table of the listed articles and a line of their counts by year (``10 of 57
    articles`` when a limit left ``matching`` ones out); one line when none is listed."""
    if not summaries:
        console.print(Text(_NONE_LISTED if filtered else _EMPTY_CATALOG))
        return
    console.print(_catalog_table(summaries))
    by_year = " · ".join(f"{year}: {n}" for year, n in years.items())
    shown = len(summaries)
    listed = counted(shown, "article")
    if matching is not None and matching > shown:
        listed = f"{shown} of {counted(matching, 'article')}"
    console.print(Text(f"{listed}. By year: {by_year}"))


def _catalog_table(summaries: list[ArticleSummary]) -> RenderableType:
    from rich import box  # only the catalog draws a table
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for column, justify in (
        ("date", "left"),
        ("title", "left"),
        ("author", "left"),
        ("words", "right"),
        ("file", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for s in summaries:
        # Every cell a Text: rich parses a plain string cell as markup, file names included.
        cells = ((s.published or "")[:10], s.title, s.author or "", str(s.words), s.path)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def catalog_json(summaries: list[ArticleSummary], years: dict[str, int]) -> dict[str, Any]:
    """The article list and counts by year for scripts."""
    return {"total": len(summaries), "by_year": years, "articles": [asdict(s) for s in summaries]}
