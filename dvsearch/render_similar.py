"""``dvsearch similar``'s output: the hits as a query's are shown, under the article they are like.

Beside ``render.py`` (the query's hits, whose pieces it reuses) so that a plain query never
imports it; article text goes through ``rich.text.Text`` only, as there.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from dvsearch.render import counted, hit_json, print_hit
from dvsearch.search.similar import SimilarResult

_INDENT = "   "


def print_similar(console: Console, result: SimilarResult) -> None:
    """The article's title and id, then each hit: rank and title, metadata, its lead."""
    console.print(Text.assemble(("Like: ", "bold magenta"), (result.title or "(untitled)", "bold")))
    console.print(Text(_INDENT + result.source, style="dim"))
    console.print()
    if not result.hits:
        console.print(Text("No other article shares its significant words."))
        return
    for hit in result.hits:
        print_hit(console, hit)
    shown = counted(len(result.hits), "similar article")
    console.print(Text(f"{shown} shown, by {counted(len(result.terms), 'term')}.", style="dim"))


def similar_json(result: SimilarResult) -> dict[str, Any]:
    """The same data for scripts, with the terms the article was matched by."""
    return {
        "source": result.source,
        "title": result.title,
        "terms": [
            {"field": t.field, "text": t.text, "weight": round(t.weight, 4)} for t in result.terms
        ],
        "total": result.total,
        "hits": [hit_json(hit) for hit in result.hits],
    }
