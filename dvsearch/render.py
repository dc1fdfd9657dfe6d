"""Hits and passages as rich renderables or JSON; the only module that knows colours.

Article text always goes through ``rich.text.Text`` (never markup), so a ``[`` in an article
prints as itself.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from dvsearch.index.build import IndexReport
from dvsearch.search.highlight import Passage
from dvsearch.search.searcher import Hit, SearchResult

if TYPE_CHECKING:
    from dvsearch.articles.parsing import Article
    from dvsearch.index.catalog import ArticleSummary

SPAN_STYLES = {"exact": "bold black on yellow", "folded": "bold underline yellow"}
_INDENT = "   "


def print_results(console: Console, result: SearchResult) -> None:
    """Ranked hits: rank and title, a line of metadata, then the matching passages."""
    if result.suggestion is not None:
        console.print(Text(f"Did you mean: {result.suggestion}", style="bold magenta"))
    if not result.hits:
        console.print(Text(f"No articles match '{result.query}'. Try fewer or other words."))
        return
    for hit in result.hits:
        console.print(hit_heading(hit))
        console.print(hit_details(hit))
        for passage in hit.passages:
            console.print(_indented(console, passage_text(passage, indent="")))
        console.print()
    shown = len(result.hits)
    about = "" if result.total_exact else "about "
    console.print(Text(f"{shown} of {about}{result.total} matching articles shown.", style="dim"))


def hit_heading(hit: Hit) -> Text:
    """``1. Title`` in bold; a title made from the lead sentence is marked as such."""
    heading = Text(f"{hit.rank}. ", style="bold cyan")
    heading.append(hit.title or "(untitled)", style="bold")
    return heading


def hit_details(hit: Hit) -> Text:
    """Date, author, file and score on one dim line."""
    score = f"score {hit.score:.2f}" if hit.score is not None else None
    parts = [p for p in (hit.published, hit.author, hit.path, score) if p]
    return Text(_INDENT + " · ".join(parts), style="dim")


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
        "suggestion": result.suggestion,
        "hits": [hit_json(hit) for hit in result.hits],
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit with passages and their character spans."""
    return {
        "rank": hit.rank,
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "title_derived": hit.title_derived,
        "published": hit.published,
        "author": hit.author,
        "score": round(hit.score, 4) if hit.score is not None else None,
        "passages": [
            {
                "text": p.text,
                "spans": [{"start": s.start, "end": s.end, "kind": s.kind} for s in p.spans],
            }
            for p in hit.passages
        ],
    }


def index_summary(report: IndexReport) -> str:
    """One line saying what an index run did."""
    if report.rebuild_reason is not None:
        return f"indexed {report.added} articles ({len(report.warnings)} skipped)"
    return (
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged ({report.total} articles, {len(report.warnings)} skipped)"
    )


def rebuild_notice(reason: str, index_dir: Path, seeds_dir: Path) -> str:
    """Why a command is about to build the index from scratch."""
    if reason == "outdated":
        return (
            f"the index in '{index_dir}' was built by another version of dvsearch: "
            f"rebuilding it from '{seeds_dir}'"
        )
    return f"no index in '{index_dir}': building it from '{seeds_dir}' first"


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


def print_catalog(console: Console, summaries: list[ArticleSummary], years: dict[str, int]) -> None:
    """A table of the indexed articles and a line of counts by year."""
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
        date = (s.published or "")[:10]
        table.add_row(date, Text(s.title), Text(s.author or ""), str(s.words), s.path)
    console.print(table)
    by_year = " · ".join(f"{year}: {count}" for year, count in years.items())
    console.print(Text(f"{len(summaries)} articles. By year: {by_year}"))


def catalog_json(summaries: list[ArticleSummary], years: dict[str, int]) -> dict[str, Any]:
    """The article list and counts by year for scripts."""
    return {"total": len(summaries), "by_year": years, "articles": [asdict(s) for s in summaries]}
