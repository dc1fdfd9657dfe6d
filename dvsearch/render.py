"""Hits and passages as rich renderables or JSON; the only module that knows colours.

Article text always goes through ``rich.text.Text`` (never markup), so a ``[`` in an article
prints as itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from dvsearch.highlight import Passage
from dvsearch.index import IndexReport
from dvsearch.search import Hit, SearchResult

SPAN_STYLES = {"exact": "bold black on yellow", "folded": "bold underline yellow"}
_INDENT = "   "


def print_results(console: Console, result: SearchResult) -> None:
    """Ranked hits: rank and title, a line of metadata, then the matching passages."""
    if not result.hits:
        console.print(Text(f"No articles match '{result.query}'. Try fewer or other words."))
        return
    for hit in result.hits:
        console.print(hit_heading(hit))
        console.print(hit_details(hit))
        for passage in hit.passages:
            console.print(passage_text(passage))
        console.print()
    shown = len(result.hits)
    console.print(Text(f"{shown} of {result.total} matching articles shown.", style="dim"))


def hit_heading(hit: Hit) -> Text:
    """``1. Title`` in bold; a title made from the lead sentence is marked as such."""
    heading = Text(f"{hit.rank}. ", style="bold cyan")
    heading.append(hit.title or "(untitled)", style="bold")
    return heading


def hit_details(hit: Hit) -> Text:
    """Date, author, file and score on one dim line."""
    parts = [p for p in (hit.published, hit.author, hit.path, f"score {hit.score:.2f}") if p]
    return Text(_INDENT + " · ".join(parts), style="dim")


def passage_text(passage: Passage) -> Text:
    """A passage with its matched spans styled; the text itself is never parsed as markup."""
    text = Text(_INDENT + passage.text)
    for span in passage.spans:
        text.stylize(SPAN_STYLES[span.kind], span.start + len(_INDENT), span.end + len(_INDENT))
    return text


def result_json(result: SearchResult) -> dict[str, Any]:
    """The same data as the terminal output, for scripts."""
    return {
        "query": result.query,
        "total": result.total,
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
        "score": round(hit.score, 4),
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
