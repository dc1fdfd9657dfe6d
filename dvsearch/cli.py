"""The ``dvsearch`` command: parse options, call the library, render, translate our errors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console

from dvsearch import __version__
from dvsearch.errors import DvsearchError, QuerySyntaxError
from dvsearch.index.folders import DEFAULT_SEEDS
from dvsearch.index.location import CONFIG_NAME, INDEX_VARIABLE, find_index
from dvsearch.index.snapshot import rebuild_reason
from dvsearch.render import (
    COLOR_CHOICES,
    HIT_COLUMNS,
    SUMMARY_COLUMNS,
    article_json,
    catalog_json,
    check_json,
    check_lines,
    csv_text,
    damage_notice,
    hit_row,
    index_json,
    index_summary,
    json_lines,
    openable,
    output_console,
    print_article,
    print_catalog,
    print_results,
    rebuild_notice,
    result_json,
    summary_row,
    wait_notice,
    wants_color,
)
from dvsearch.search.query import date_range_is_empty, parse_date_bound
from dvsearch.search.searcher import SORT_ORDERS, Searcher, SearchResult, search
from dvsearch.terminal import EncodedBuffer, error_handler, is_utf, readable_output
from dvsearch.vietnamese.text import printable

if TYPE_CHECKING:  # loaded where used: a query builds nothing unless there is no index
    from dvsearch.index.build import IndexReport, Progress
    from dvsearch.search.facets import Facets

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells, git and ripgrep report Ctrl-C
# dvsearch.index.catalog.CATALOG_ORDERS, written out: a query does not load the catalog
_LIST_ORDERS = ("date", "title", "path")

_SEEDS_OPTION = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of article files to index; default: the folders the index was built from, "
    "or ./seeds for a new index.",
)
_INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    callback=lambda ctx, param, value: _index_location(value),
    help=f'Folder that holds the index; default: ${INDEX_VARIABLE}, index = "…" in a '
    f"{CONFIG_NAME}, ./index if there is one, else one in your data folder.",
)
_LIMIT_OPTION = click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many articles to show.",
)
_JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document instead of text."
)


def _format_options(command: F) -> F:
    """--json, --csv and --nl (JSON lines), spelled as sqlite-utils spells them."""
    for flag, value, text in (
        ("--nl", "nl", "Print one JSON object a line instead of text."),
        ("--csv", "csv", "Print CSV with a header row instead of text."),
        ("--json", "json", "Print one JSON document instead of text."),
    ):
        command = click.option(flag, "output_format", flag_value=value, help=text)(command)
    return command


def _date_options(command: F) -> F:
    """--since and --until, as query and list both take them."""
    for flag, text in (
        ("--until", "Only articles published on or before DATE."),
        ("--since", "Only articles published on or after DATE."),
    ):
        command = click.option(flag, type=DateBound(), help=text)(command)
    return command


def _screen_options(command: F) -> F:
    """--color and --no-pager, for the commands that print to the screen."""
    command = click.option(
        "--no-pager",
        "paging",
        is_flag=True,
        flag_value=False,
        default=True,
        help="Print straight to the terminal, never through $DVSEARCH_PAGER, $PAGER or less.",
    )(command)
    return click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour the output: on a terminal unless NO_COLOR is set, always, or never.",
    )(command)


class DateBound(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A --since/--until value: 2020, 2020-01, 2020-01-31, 31/01/2020 or 2019-12-19T16:00."""

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


class DvsearchGroup(click.Group):
    """The ``dvsearch`` group: Ctrl-C ends any command with exit code 130 and one line on
    stderr, never click's ``Aborted!`` (exit 1) nor a traceback. An index run stopped so leaves
    the index as it was: a generation is published whole or not at all. On a terminal that is
    not UTF-8, output is written plainer, with a note, never as a ``UnicodeEncodeError``."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Here, not in invoke: click prints --help and usage errors before it invokes.
        with readable_output():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):
            # On a terminal the line starts below the ^C the terminal echoed.
            start = "\n" if sys.stderr.isatty() else ""
            click.echo(f"{start}interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED_EXIT) from None


@click.group(cls=DvsearchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dvsearch")
def main() -> None:
    """Search Vietnamese news articles, with or without accents.

    Output longer than the screen goes through a pager on a terminal ($DVSEARCH_PAGER, else
    $PAGER, else 'less -R'; --no-pager to print straight). Tab completion for bash, zsh and
    fish: see 'dvsearch completion --help'.

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
    "--drop-folder",
    "drop_folders",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Remove a folder the index was built from, and its articles (asks first).",
)
@click.option("--yes", is_flag=True, help="Drop folders without asking (for scripts).")
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
    seeds_dir: Path | None,
    index_dir: Path,
    rebuild: bool,
    drop_folders: tuple[Path, ...],
    yes: bool,
    watch: bool,
    abbreviations_file: Path | None,
    as_json: bool,
) -> None:
    """Index the article files in SEEDS, or bring the index up to date with them.

    The index remembers the folders it was built from: run without --seeds, from any
    directory, it updates them all. --seeds with another folder adds that folder; nothing is
    removed unless you say so with --drop-folder.

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
      dvsearch index --drop-folder old-articles
      dvsearch index --seeds seeds --watch
    """
    from dvsearch.index.build import seeds_of

    for folder in drop_folders:
        _confirm_drop(index_dir, folder, yes)
    reason = _translate_errors(lambda: rebuild_reason(index_dir, rebuild))
    if reason == "outdated":
        shown = seeds_dir or _translate_errors(lambda: seeds_of(index_dir))
        click.echo(rebuild_notice(reason, index_dir, shown), err=True)
    if watch:
        _watch_index(seeds_dir, index_dir, rebuild, abbreviations_file, as_json)
    report = _run_index(seeds_dir, index_dir, rebuild, abbreviations_file, drop_folders)
    if as_json:
        _echo_json(index_json(report))
    else:
        click.echo(index_summary(report))


@main.command("query")
@click.argument("text", required=False, type=Utf8Text())
@click.option(
    "--batch",
    "batch_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Run every 'qid<TAB>query' line of FILE ('-' for standard input) and print a TREC "
    "run instead.",
)
@_LIMIT_OPTION
@_date_options
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
@click.option(
    "--facets",
    "with_facets",
    is_flag=True,
    help="After the hits, count all the matches by year (or month), source and author; "
    'with --json, a "facets" object.',
)
@click.option(
    "--timeline", is_flag=True, help="After the hits, chart the matches per year (or month)."
)
@_format_options
@_screen_options
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
    with_facets: bool,
    timeline: bool,
    output_format: str | None,
    color: str,
    paging: bool,
    index_dir: Path,
    seeds_dir: Path | None,
) -> None:
    """Rank the indexed articles for TEXT and show the passages that match.

    Accents are optional: "dan van kheo" finds "Dân vận khéo", and articles with the exact
    accents you typed rank first. Typos and keys typed with the input method off (Telex
    "hooij nghij", VNI "ho65i nghi5") are repaired from the index's own words and shown in a
    "Did you mean" line; abbreviations (UBND, MTTQ, yours) count as their expansions.
    Use "quotes" for a phrase, AND / OR / NOT (or -word),
    parentheses, and title: body: author: to search one field. When there is no index yet,
    it is built from --seeds first. On a large archive, a count that would mean checking a
    phrase in thousands of articles is estimated ("about N"); the ranking is always exact.
    --since/--until leave out articles without a known date and say how many matched;
    --undated brings them back. Copies of an article (the same text saved twice) are one
    hit, with the other files listed under it.

    With --batch FILE, every 'qid<TAB>query' line of FILE (or of standard input, for '-') is
    run against an index loaded once, and a TREC run ('qid Q0 docid rank score dvsearch') is
    printed: docid is the file's path under the articles folder without its extension, with
    spaces written %20. --since, --until and --undated apply to every query of the batch.

    --csv and --nl print one row per hit: rank, id, path, title, published, author, score
    and the first passage.

    --facets counts every match, not only those shown, by year (by month when the dated
    matches lie within two years), by source and by author (each writer of a byline once),
    with articles that give none counted apart; --timeline charts the same counts by year or
    month. Both respect --since/--until/--undated, and count exactly even where the total
    is estimated.

    \b
    Example:
      dvsearch query "Dân vận khéo"
      dvsearch query "dân vận khéo" --timeline --facets
      dvsearch query 'title:"dân vận" NOT 2017' --since 2019 --sort date
      dvsearch query "dân vận" --csv > hits.csv
      dvsearch query --batch queries.tsv --limit 100 > run.txt
    """
    if (text is None) == (batch_file is None):
        raise click.UsageError("give either a query TEXT or --batch FILE")
    if (with_facets or timeline) and (batch_file is not None or output_format in ("csv", "nl")):
        raise click.UsageError("--facets and --timeline go with a query TEXT, shown or --json")
    _check_date_range(since, until)
    _ensure_index(index_dir, seeds_dir)
    dates: dict[str, Any] = {"since": since, "until": until, "undated": undated}
    stale = _note_changed_files(index_dir)
    if batch_file is not None:
        _run_batch(batch_file, index_dir, limit, **dates)
    elif text is not None and (with_facets or timeline):
        from dvsearch.search.facets import search_with_facets

        found = _translate_errors(
            lambda: search_with_facets(index_dir, text, limit=limit, sort=sort, **dates)
        )
        shown = (with_facets, timeline)
        _print_with_facets(*found, shown, output_format, stale, _Screen(color, paging))
    elif text is not None:
        result = _translate_errors(lambda: search(index_dir, text, limit=limit, sort=sort, **dates))
        screen = _Screen(color, paging)
        if output_format is None:
            screen.draw(lambda console: print_results(console, result))
        elif output_format == "json":
            screen.echo(_json_text(_query_json(result, stale)))
        else:
            screen.echo(_rows_text(output_format, map(hit_row, result.hits), HIT_COLUMNS))


def _query_json(result: SearchResult, stale: bool) -> dict[str, Any]:
    """A query's ``--json`` document; ``"stale": true`` when an articles folder changed since
    the last index run."""
    return {**result_json(result), **({"stale": True} if stale else {})}


def _print_with_facets(
    result: SearchResult,
    facets: Facets,
    shown: tuple[bool, bool],
    output_format: str | None,
    stale: bool,
    screen: _Screen,
) -> None:
    """The hits, then the facet tables and the timeline as ``shown`` (--facets, --timeline)
    asks; --json adds the counts as a "facets" object."""
    from dvsearch.render_facets import facets_json, print_facets, print_timeline

    if output_format == "json":
        screen.echo(_json_text({**_query_json(result, stale), "facets": facets_json(facets)}))
        return

    def draw(console: Console) -> None:
        print_results(console, result)
        if shown[1]:
            console.print()
            print_timeline(console, facets)
        if shown[0]:
            console.print()
            print_facets(console, facets, estimated_total=not result.total_exact)

    screen.draw(draw)


@main.command("show")
@click.argument("article", type=Utf8Text())
@_JSON_OPTION
@_screen_options
@_INDEX_OPTION
def show_command(article: str, as_json: bool, color: str, paging: bool, index_dir: Path) -> None:
    """Print one indexed ARTICLE, cleaned, with its title, date, author and source.

    ARTICLE is an id (the file name without extension), a file name, or a path under the
    seeds folder.

    \b
    Example:
      dvsearch show 003_c32616b67ea77d11
    """
    from dvsearch.index.catalog import load_article  # imported by the commands that use it

    found = _translate_errors(lambda: load_article(index_dir, article))
    screen = _Screen(color, paging)
    if as_json:
        screen.echo(_json_text(article_json(found)))
    else:
        screen.draw(lambda console: print_article(console, found))


@main.command("similar")
@click.argument("article", type=Utf8Text())
@_LIMIT_OPTION
@_format_options
@_screen_options
@_INDEX_OPTION
def similar_command(
    article: str, limit: int, output_format: str | None, color: str, paging: bool, index_dir: Path
) -> None:
    """Show the indexed articles most like ARTICLE, best first, with the start of each.

    ARTICLE is an indexed article as 'dvsearch show' takes it, or a file (.txt, .html, .docx,
    .pdf…), indexed or not. Its most significant words by the index's own statistics (folded
    syllables and compound words, weighed by tf·idf) are searched for with the ranking of
    'dvsearch query'; the article itself, its copies and near copies (the same story edited)
    are left out. --csv and --nl print one row per hit, its lead as the passage.

    \b
    Example:
      dvsearch similar 003_c32616b67ea77d11
      dvsearch similar ~/Downloads/bai-viet.html --limit 5 --json
    """
    from dvsearch.render_similar import print_similar, similar_json
    from dvsearch.search.similar import similar_articles

    result = _translate_errors(lambda: similar_articles(index_dir, article, limit=limit))
    screen = _Screen(color, paging)
    if output_format is None:
        screen.draw(lambda console: print_similar(console, result))
    elif output_format == "json":
        screen.echo(_json_text(similar_json(result)))
    else:
        screen.echo(_rows_text(output_format, map(hit_row, result.hits), HIT_COLUMNS))


@main.command("list")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), help="List at most N articles (default: all)."
)
@_date_options
@click.option(
    "--author",
    type=Utf8Text(),
    metavar="NAME",
    help="Only articles whose byline holds NAME, whatever the case and accents.",
)
@click.option(
    "--sort",
    type=click.Choice(_LIST_ORDERS),
    default="date",
    show_default=True,
    help="Newest first, by title, or by file path.",
)
@_format_options
@_screen_options
@_INDEX_OPTION
def list_command(
    limit: int | None,
    since: str | None,
    until: str | None,
    author: str | None,
    sort: str,
    output_format: str | None,
    color: str,
    paging: bool,
    index_dir: Path,
) -> None:
    """List the indexed articles, newest first, with how many were published each year.

    --since/--until take the dates 'dvsearch query' does and leave out articles without a
    known date; --author matches whole words of the byline ('huong lan' finds 'Hương Lan').
    The line of counts by year describes the articles listed.

    \b
    Example:
      dvsearch list --since 2024 --author "mai trâm" --limit 20
      dvsearch list --sort title --csv > articles.csv
    """
    from dvsearch.index.catalog import CatalogFilter, count_by_year, list_catalog

    _check_date_range(since, until)
    wanted = CatalogFilter(since, until, author, sort, limit)
    listing = _translate_errors(lambda: list_catalog(index_dir, wanted))
    years = count_by_year(listing.articles)
    screen = _Screen(color, paging)
    if output_format is None:
        filtered = any(bound is not None for bound in (since, until, author))
        screen.draw(
            lambda console: print_catalog(
                console, listing.articles, years, listing.matching, filtered
            )
        )
    elif output_format == "json":
        screen.echo(_json_text(catalog_json(listing.articles, years)))
    else:
        rows = map(summary_row, listing.articles)
        screen.echo(_rows_text(output_format, rows, SUMMARY_COLUMNS))


@main.command("stats")
@_JSON_OPTION
@_screen_options
@_INDEX_OPTION
def stats_command(as_json: bool, color: str, paging: bool, index_dir: Path) -> None:
    """Describe the whole archive: articles per year as a chart, by source and by author.

    Also how many articles have no known date, the index's size on disk, when it was last
    written, and the folders it indexes. Copies of an article are counted once, as queries
    count them; periods, sources and authors are counted as 'dvsearch query --facets'
    counts them.

    \b
    Example:
      dvsearch stats
      dvsearch stats --json > archive.json
    """
    from dvsearch.index.stats import archive_stats
    from dvsearch.render_facets import print_stats, stats_json

    stats = _translate_errors(lambda: archive_stats(index_dir))
    screen = _Screen(color, paging)
    if as_json:
        screen.echo(_json_text(stats_json(stats)))
    else:
        screen.draw(lambda console: print_stats(console, stats))


@main.command("check")
@_INDEX_OPTION
@_JSON_OPTION
def check_command(index_dir: Path, as_json: bool) -> None:
    """Check that every file of the index is as dvsearch wrote it.

    Each file's size and checksum, recorded when the index was written, are compared with the
    file on disk (like 'git fsck'), then the index is opened. Exit code 0 when all is well, 1
    on damage, with a line per damaged file; 'dvsearch index' then rebuilds the index from
    its articles folders. Queries check file sizes on every run; this reads every byte.

    \b
    Example:
      dvsearch check
      dvsearch check --index /backup/index --json
    """
    from dvsearch.index.build import check_index

    found = _translate_errors(lambda: check_index(index_dir))
    if as_json:
        data = check_json(index_dir, found)
        _echo_json(data)
        if not data["ok"]:
            raise click.exceptions.Exit(1)
        return
    *details, verdict = check_lines(index_dir, found)
    for line in details:
        click.echo(printable(line))
    if not verdict.startswith("ok: "):
        raise click.ClickException(printable(verdict))
    click.echo(printable(verdict))


@main.command("completion")
@click.argument("shell", type=click.Choice(("bash", "zsh", "fish")))
def completion_command(shell: str) -> None:
    """Print the script that lets SHELL complete dvsearch's commands and options with Tab.

    The same script comes from _DVSEARCH_COMPLETE=bash_source dvsearch (zsh_source,
    fish_source); bash needs version 4.4 or later.

    \b
    Example:
      eval "$(dvsearch completion bash)"     # in ~/.bashrc
      eval "$(dvsearch completion zsh)"      # in ~/.zshrc
      dvsearch completion fish > ~/.config/fish/completions/dvsearch.fish
    """
    from click.shell_completion import ShellComplete, get_completion_class

    completion: type[ShellComplete] | None = get_completion_class(shell)
    assert completion is not None  # every choice is a shell click completes
    click.echo(completion(main, {}, "dvsearch", "_DVSEARCH_COMPLETE").source(), nl=False)


def _run_batch(batch_file: Path, index_dir: Path, limit: int, **dates: Any) -> None:
    from dvsearch.search.batch import STDIN_NAME, read_batch_file, read_batch_stream, trec_run

    if str(batch_file) == STDIN_NAME:
        queries = _translate_errors(lambda: read_batch_stream(sys.stdin.buffer))
    else:
        queries = _translate_errors(lambda: read_batch_file(batch_file))
    with _translate_errors(lambda: Searcher(index_dir)) as searcher:
        for line in trec_run(searcher, queries, limit, **dates):
            click.echo(line)


def _check_date_range(since: str | None, until: str | None) -> None:
    if date_range_is_empty(since, until):
        raise BadQueryError(f"--since {since} is after --until {until}: the date range is empty")


def _watch_index(
    seeds_dir: Path | None,
    index_dir: Path,
    rebuild: bool,
    abbreviations: Path | None,
    as_json: bool,
) -> NoReturn:
    """Update after each batch of changes until Ctrl-C, which exits 130 with one line."""
    from dvsearch.index.watch import watch_index, watched_folder

    watched = _translate_errors(lambda: watched_folder(index_dir, seeds_dir))

    def update() -> None:
        report = _run_index(seeds_dir, index_dir, rebuild and not runs, abbreviations)
        runs.append(report)
        click.echo(
            json.dumps(index_json(report), ensure_ascii=_escaped_json())
            if as_json
            else index_summary(report)
        )

    runs: list[IndexReport] = []
    try:
        _translate_errors(lambda: watch_index(watched, index_dir, update))
    except KeyboardInterrupt:
        click.echo(f"stopped watching '{printable(str(watched))}'", err=True)
        raise click.exceptions.Exit(130) from None
    raise click.exceptions.Exit(0)


def _note_changed_files(index_dir: Path) -> bool:
    """Say on stderr when an articles folder changed since the last index run (a few hundred
    stats); True when one did."""
    from dvsearch.index.staleness import check_staleness

    found = check_staleness(index_dir)
    if found.stale and found.root is not None:
        click.echo(found.notice(printable(openable(found.root))), err=True)
    return found.stale


def _ensure_index(index_dir: Path, seeds_dir: Path | None) -> None:
    """Build the index from --seeds (or ./seeds) when there is none; rebuild an index from
    another version from the folders it was built from (never from a default that may hold
    other articles)."""
    reason = _translate_errors(lambda: rebuild_reason(index_dir))
    if reason is None:
        return
    from dvsearch.index.build import planned_folders, seeds_of

    if reason == "outdated":
        shown = _translate_errors(lambda: seeds_of(index_dir))
        seeds_dir = None
    else:
        _translate_errors(lambda: planned_folders(index_dir, seeds_dir))  # says what is missing
        shown = seeds_dir or DEFAULT_SEEDS
    click.echo(rebuild_notice(reason, index_dir, shown), err=True)
    click.echo(index_summary(_run_index(seeds_dir, index_dir, rebuild=False)), err=True)


def _index_location(given: Path | None) -> Path:
    """The --index folder, or the one found without it, named on stderr when not obvious."""
    location = _translate_errors(lambda: find_index(given))
    if not location.obvious:
        click.echo(printable(location.notice()), err=True)
    return location.path


def _confirm_drop(index_dir: Path, folder: Path, yes: bool) -> None:
    """Say what dropping a folder removes and ask; --yes answers for scripts."""
    from dvsearch.index.build import articles_in_folder

    found, count = _translate_errors(lambda: articles_in_folder(index_dir, folder))
    articles = "its articles" if count is None else f"{count:,} article" + "s" * (count != 1)
    notice = printable(f"removes {articles} from '{found.path}'")
    if yes:
        click.echo(f"--drop-folder {notice}", err=True)
    elif not _can_ask():
        raise click.ClickException(
            f"--drop-folder {notice}: add --yes to drop it (no terminal to ask on)"
        )
    else:
        if not click.confirm(f"Dropping this folder {notice}. Drop it?", err=True):
            raise click.ClickException(f"nothing dropped: '{found.path}' stays in the index")


def _can_ask() -> bool:
    """True when a question can be answered: stdin is a terminal."""
    return sys.stdin.isatty()


def _run_index(
    seeds_dir: Path | None,
    index_dir: Path,
    rebuild: bool,
    abbreviations: Path | None = None,
    drop: tuple[Path, ...] = (),
) -> IndexReport:
    from dvsearch.index.build import update_index

    def say_waiting() -> None:
        click.echo(wait_notice(index_dir), err=True)

    with _progress_bar() as progress:
        report = _translate_errors(
            lambda: update_index(
                seeds_dir, index_dir, rebuild, progress, abbreviations, say_waiting, drop
            )
        )
    for warning in report.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    if report.damage is not None:
        click.echo(printable(damage_notice(index_dir, report.damage)), err=True)
    return report


class _Screen:
    """Standard output as --color and --no-pager have it: styled or not, and on a terminal
    through the pager when the output is longer than the screen (never when piped)."""

    def __init__(self, color: str, paging: bool) -> None:
        self._terminal = sys.stdout.isatty()
        self._color = wants_color(color, self._terminal, os.environ)
        self._paging = paging and self._terminal

    def draw(self, render: Callable[[Console], None]) -> None:
        """Print what ``render`` draws on a rich console."""
        if not self._paging:
            render(output_console(None, self._terminal, self._color))
            return
        import shutil

        buffer = EncodedBuffer(sys.stdout.encoding or "utf-8")
        width = shutil.get_terminal_size().columns
        render(output_console(buffer, self._terminal, self._color, width))
        self.echo(buffer.getvalue())

    def echo(self, text: str) -> None:
        """Print ``text`` as it is (JSON, CSV, or what ``draw`` drew)."""
        if not self._paging:
            click.echo(text, nl=False)
            return
        from dvsearch import pager  # only a terminal needs it

        lines = pager.screen_lines()
        command = pager.choose_pager(text, lines, self._terminal, self._paging, os.environ)
        if command is None:
            click.echo(text, nl=False)
        else:
            encoding = sys.stdout.encoding or "utf-8"
            pager.run_pager(command, text, encoding, os.environ, error_handler(encoding))


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=_escaped_json(), indent=2) + "\n"


def _escaped_json() -> bool:
    """JSON on a stream that cannot write Vietnamese is written with ``\\u`` escapes: still
    the same JSON to any reader, where letters without their accents would not be."""
    return not is_utf(getattr(sys.stdout, "encoding", None) or "utf-8")


def _rows_text(output_format: str, rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """--csv or --nl: one row a record."""
    return csv_text(rows, columns) if output_format == "csv" else json_lines(rows)


def _echo_json(data: Any) -> None:
    click.echo(_json_text(data), nl=False)


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
