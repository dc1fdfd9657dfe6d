"""The ``dvsearch`` command: parse options, call the library, render, translate our errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from dvsearch import __version__
from dvsearch.errors import DvsearchError, QuerySyntaxError
from dvsearch.index.build import IndexReport, Progress, rebuild_reason, seeds_of, update_index
from dvsearch.render import (
    article_json,
    catalog_json,
    index_json,
    index_summary,
    print_article,
    print_catalog,
    print_results,
    rebuild_notice,
    result_json,
    wait_notice,
)
from dvsearch.search.query import parse_date_bound
from dvsearch.search.searcher import SORT_ORDERS, Searcher, search
from dvsearch.vietnamese.text import printable

T = TypeVar("T")
_PIPED_WIDTH = 10_000  # tables sized to their content, never wrapped, when output is piped

_SEEDS_OPTION = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="seeds",
    show_default=True,
    help="Folder of article files to index.",
)
_INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="index",
    show_default=True,
    help="Folder that holds the index.",
)
_JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document instead of text."
)


class DateBound(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A --since/--until value: 2020, 2020-01, 2020-01-31 or 31/01/2020."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return parse_date_bound(str(value))
        except QuerySyntaxError as error:
            self.fail(printable(str(error)), param, ctx)


class Utf8Text(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """An argument that must be UTF-8: a terminal set to another encoding (TCVN3, VNI, a Latin
    code page) passes bytes Python cannot decode, and nobody typed what they would search for."""

    name = "TEXT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(
                f"'{printable(text)}' is not UTF-8 text: set your terminal to UTF-8", param, ctx
            )
        return text


class BadQueryError(click.ClickException):
    """A query the user must rewrite: one line, exit code 2 like other usage errors."""

    exit_code = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dvsearch")
def main() -> None:
    """Search Vietnamese news articles, with or without accents.

    \b
    Example:
      dvsearch index --seeds seeds
      dvsearch query "Dân vận khéo"
    """


@main.command("index")
@_SEEDS_OPTION
@_INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build the index from scratch.")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running, updating the index each time files in SEEDS change, until Ctrl-C "
    "(with --json, one JSON line per update).",
)
@click.option(
    "--abbreviations",
    "abbreviations_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Your abbreviations (ABBR<TAB>expansion lines) on top of dvsearch's own; "
    "default: abbreviations.tsv in the seeds folder, when there is one.",
)
@_JSON_OPTION
def index_command(
    seeds_dir: Path,
    index_dir: Path,
    rebuild: bool,
    watch: bool,
    abbreviations_file: Path | None,
    as_json: bool,
) -> None:
    """Index the article files in SEEDS, or bring the index up to date with them.

    Reads text (.txt, .text), Markdown (.md), saved web pages (.html, .htm), Word (.docx)
    and PDF files with a text layer, in UTF-8, UTF-16, Windows-1258, TCVN3 (ABC) or
    VNI-Windows. Files it cannot read are skipped with a warning; files of other types are
    counted by type in the summary.

    A second run indexes only what was added, changed or removed since the last one.
    Abbreviations (MTTQ, HĐND, UBND…) are matched both ways; the table in use is stored
    with the index, so an edit to your abbreviations file takes effect on the next run.

    With --watch it keeps running and updates the index a second after files stop arriving,
    printing the summary line of each update; Ctrl-C stops it (exit code 130) and never leaves
    a half-written index.

    \b
    Example:
      dvsearch index --seeds seeds --index index
      dvsearch index --seeds seeds --watch
    """
    reason = _translate_errors(lambda: rebuild_reason(index_dir, rebuild))
    if reason == "outdated":
        click.echo(rebuild_notice(reason, index_dir, seeds_dir), err=True)
    if watch:
        _watch_index(seeds_dir, index_dir, rebuild, abbreviations_file, as_json)
    report = _run_index(seeds_dir, index_dir, rebuild, abbreviations_file)
    if as_json:
        _echo_json(index_json(report))
    else:
        click.echo(index_summary(report))


@main.command("query")
@click.argument("text", required=False, type=Utf8Text())
@click.option(
    "--batch",
    "batch_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run every 'qid<TAB>query' line of FILE and print a TREC run instead.",
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many articles to show.",
)
@click.option("--since", type=DateBound(), help="Only articles published on or after DATE.")
@click.option("--until", type=DateBound(), help="Only articles published on or before DATE.")
@click.option(
    "--undated",
    is_flag=True,
    help="With --since/--until, also show articles whose date is not known.",
)
@click.option(
    "--sort",
    type=click.Choice(SORT_ORDERS),
    default="relevance",
    show_default=True,
    help="Best match first, or newest first.",
)
@_JSON_OPTION
@_INDEX_OPTION
@_SEEDS_OPTION
def query_command(
    text: str | None,
    batch_file: Path | None,
    limit: int,
    since: str | None,
    until: str | None,
    undated: bool,
    sort: str,
    as_json: bool,
    index_dir: Path,
    seeds_dir: Path,
) -> None:
    """Rank the indexed articles for TEXT and show the passages that match.

    Accents are optional: "dan van kheo" finds "Dân vận khéo", and articles with the exact
    accents you typed rank first. Use "quotes" for a phrase, AND / OR / NOT (or -word),
    parentheses, and title: body: author: to search one field. When there is no index yet,
    it is built from --seeds first. On a large archive, a count that would mean checking a
    phrase in thousands of articles is estimated ("about N"); the ranking is always exact.
    --since/--until leave out articles without a known date and say how many matched;
    --undated brings them back. Copies of an article (the same text saved twice) are one
    hit, with the other files listed under it.

    With --batch FILE, every 'qid<TAB>query' line of FILE is run against an index loaded once,
    and a TREC run ('qid Q0 docid rank score dvsearch') is printed: docid is the file's path
    under the articles folder without its extension, with spaces written %20.

    \b
    Example:
      dvsearch query "Dân vận khéo"
      dvsearch query 'title:"dân vận" NOT 2017' --since 2019 --sort date
      dvsearch query --batch queries.tsv --limit 100 > run.txt
    """
    if (text is None) == (batch_file is None):
        raise click.UsageError("give either a query TEXT or --batch FILE")
    _ensure_index(index_dir, seeds_dir)
    stale = _note_changed_files(index_dir, seeds_dir)
    if batch_file is not None:
        _run_batch(batch_file, index_dir, limit)
    elif text is not None:
        dates = {"since": since, "until": until, "undated": undated}
        _run_query(text, index_dir, as_json, stale, limit=limit, sort=sort, **dates)


def _run_query(text: str, index_dir: Path, as_json: bool, stale: bool, **options: Any) -> None:
    result = _translate_errors(lambda: search(index_dir, text, **options))
    if as_json:
        _echo_json({**result_json(result), **({"stale": True} if stale else {})})
    else:
        print_results(_stdout_console(), result)


@main.command("show")
@click.argument("article", type=Utf8Text())
@_JSON_OPTION
@_INDEX_OPTION
def show_command(article: str, as_json: bool, index_dir: Path) -> None:
    """Print one indexed ARTICLE, cleaned, with its title, date, author and source.

    ARTICLE is an id (the file name without extension), a file name, or a path under the
    seeds folder.

    \b
    Example:
      dvsearch show 003_c32616b67ea77d11
    """
    from dvsearch.index.catalog import load_article  # imported by the commands that use it

    found = _translate_errors(lambda: load_article(index_dir, article))
    if as_json:
        _echo_json(article_json(found))
    else:
        print_article(_stdout_console(), found)


@main.command("list")
@_JSON_OPTION
@_INDEX_OPTION
def list_command(as_json: bool, index_dir: Path) -> None:
    """List the indexed articles, newest first, with how many were published each year.

    \b
    Example:
      dvsearch list
    """
    from dvsearch.index.catalog import count_by_year, list_articles

    summaries = _translate_errors(lambda: list_articles(index_dir))
    if as_json:
        _echo_json(catalog_json(summaries, count_by_year(summaries)))
    else:
        print_catalog(_stdout_console(), summaries, count_by_year(summaries))


def _run_batch(batch_file: Path, index_dir: Path, limit: int) -> None:
    from dvsearch.search.batch import read_batch_file, trec_run

    queries = _translate_errors(lambda: read_batch_file(batch_file))
    with _translate_errors(lambda: Searcher(index_dir)) as searcher:
        for line in trec_run(searcher, queries, limit):
            click.echo(line)


def _watch_index(
    seeds_dir: Path, index_dir: Path, rebuild: bool, abbreviations: Path | None, as_json: bool
) -> NoReturn:
    """Update after each batch of changes until Ctrl-C, which exits 130 with one line."""
    from dvsearch.index.watch import watch_index

    def update() -> None:
        report = _run_index(seeds_dir, index_dir, rebuild and not runs, abbreviations)
        runs.append(report)
        click.echo(
            json.dumps(index_json(report), ensure_ascii=False) if as_json else index_summary(report)
        )

    runs: list[IndexReport] = []
    try:
        _translate_errors(lambda: watch_index(seeds_dir, index_dir, update))
    except KeyboardInterrupt:
        click.echo(f"stopped watching '{printable(str(seeds_dir))}'", err=True)
        raise click.exceptions.Exit(130) from None
    raise click.exceptions.Exit(0)


def _note_changed_files(index_dir: Path, seeds_dir: Path) -> bool:
    """Say on stderr when the articles folder changed since the last index run (a few hundred
    stats); True when it did."""
    from dvsearch.index.staleness import check_staleness

    found = check_staleness(index_dir)
    if found.stale and found.root is not None:
        shown = str(seeds_dir) if seeds_dir.resolve() == found.root else str(found.root)
        click.echo(found.notice(printable(shown)), err=True)
    return found.stale


def _ensure_index(index_dir: Path, seeds_dir: Path) -> None:
    """Build the index from --seeds when there is none; rebuild an index from another version
    from the folder it was built from (never from a default that may hold other articles)."""
    reason = _translate_errors(lambda: rebuild_reason(index_dir))
    if reason is None:
        return
    if reason == "outdated":
        seeds_dir = _translate_errors(lambda: seeds_of(index_dir))
    click.echo(rebuild_notice(reason, index_dir, seeds_dir), err=True)
    click.echo(index_summary(_run_index(seeds_dir, index_dir, rebuild=False)), err=True)


def _run_index(
    seeds_dir: Path, index_dir: Path, rebuild: bool, abbreviations: Path | None = None
) -> IndexReport:
    def say_waiting() -> None:
        click.echo(wait_notice(index_dir), err=True)

    with _progress_bar() as progress:
        report = _translate_errors(
            lambda: update_index(
                seeds_dir, index_dir, rebuild, progress, abbreviations, on_wait=say_waiting
            )
        )
    for warning in report.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    return report


def _stdout_console() -> Console:
    """Colour and wrapping on a terminal; plain, unwrapped lines when piped.

    render.py hands rich only ``Text``; should a plain string slip through, it still prints as
    itself rather than as markup or emoji codes (a file called ``[/x].txt`` is no markup).
    """
    piped = not sys.stdout.isatty()
    return Console(
        soft_wrap=piped,
        width=_PIPED_WIDTH if piped else None,
        markup=False,
        emoji=False,
        highlight=False,
    )


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import Progress as RichProgress

    with RichProgress(console=console, transient=True) as bar:
        task = bar.add_task("indexing", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _translate_errors(action: Callable[[], T]) -> T:
    """Our exceptions become one-line click errors: bad queries are usage errors (exit 2).

    Messages may quote what the user typed or a file name, so line breaks in them are escaped.
    """
    try:
        return action()
    except QuerySyntaxError as error:
        raise BadQueryError(printable(str(error))) from error
    except DvsearchError as error:
        raise click.ClickException(printable(str(error))) from error
