"""Counts as a bar chart of text: one line per label, bars in eighths of a character.

rich draws text well and is loaded already; a plotting library for the terminal would add
its import to every command that charts for nothing a row of block characters cannot show.
The chart is plain ``Text`` of fixed characters, so the same counts on a console of the same
width give the same lines, which a test compares exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
_FULL = "█"
MAX_BAR = 48  # characters: a piped console is 10,000 wide, and a longer bar says no more
MIN_BAR = 8


class BarChart:
    """A bar per ``(label, count)``, scaled so the largest fills the width the console
    leaves beside the labels and counts (``MAX_BAR`` at most); a count above 0 always shows
    at least an eighth, so a year with one article is never drawn as none."""

    def __init__(self, rows: Sequence[tuple[str, int]], style: str = "cyan") -> None:
        self.rows = tuple(rows)
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield chart_text(self.rows, options.max_width, self.style)


def chart_text(rows: Sequence[tuple[str, int]], width: int, style: str = "cyan") -> Text:
    """The chart's lines for a console ``width`` characters wide."""
    text = Text()
    if not rows:
        return text
    label_width = max(len(label) for label, _ in rows)
    count_width = max(len(str(count)) for _, count in rows)
    room = min(max(width - label_width - count_width - 2, MIN_BAR), MAX_BAR)
    largest = max(count for _, count in rows) or 1
    for number, (label, count) in enumerate(rows):
        if number:
            text.append("\n")
        bar = _bar(count, largest, room)
        text.append(label.ljust(label_width) + " ")
        text.append(bar, style=style)
        text.append(" " * (room - len(bar)) + " " + str(count).rjust(count_width))
    return text


def _bar(count: int, largest: int, room: int) -> str:
    """``count`` of ``largest`` as eighths of ``room`` characters."""
    eighths = count * room * 8 // largest
    if count and not eighths:
        eighths = 1
    full, part = divmod(eighths, 8)
    return _FULL * full + _EIGHTHS[part]
