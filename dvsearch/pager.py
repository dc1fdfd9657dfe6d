"""Output longer than the screen goes through a pager on a terminal, as git's does.

The command is ``DVSEARCH_PAGER``, else ``PAGER``, else ``less -R``; an empty one means no pager.
``less`` is given ``LESS=FRX`` unless the user set ``LESS``: colours pass (R), the text stays on
the screen after quitting (X), and output that fits on one screen just prints (F). Only
imported when standard output is a terminal.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping

DEFAULT_PAGER = "less -R"
DEFAULT_LESS = "FRX"


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The pager the user chose, ours when they chose none; None for an empty choice, or when
    the default ``less`` is not installed."""
    for name in ("DVSEARCH_PAGER", "PAGER"):
        if name in environ:
            return environ[name].strip() or None
    return DEFAULT_PAGER if shutil.which("less") else None


def choose_pager(
    text: str, screen_lines: int, terminal: bool, wanted: bool, environ: Mapping[str, str]
) -> str | None:
    """The pager command to show ``text`` through, or None to print it.

    A pager only on a terminal, only when paging is ``wanted`` (not ``--no-pager``), and only
    when the text does not fit above the prompt.
    """
    if not (terminal and wanted) or text.count("\n") < screen_lines:
        return None
    return pager_command(environ)


def run_pager(
    command: str, text: str, encoding: str, environ: Mapping[str, str], errors: str = "replace"
) -> None:
    """Show ``text`` through ``command`` (run by the shell, as git runs it) and wait for it.

    ``text`` is written in ``encoding``, characters it cannot write as the codec error handler
    ``errors`` has them (``dvsearch.terminal.error_handler``: plainer, not as ``?``).

    Ctrl-C is the pager's while it runs (less uses it to stop a search): leaving the pager
    running would leave the terminal in its raw mode. Quitting early is no error.
    """
    env = {**environ, "LESS": environ.get("LESS", DEFAULT_LESS)}
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    try:
        with pager.stdin as pipe:  # type: ignore[union-attr]  # stdin=PIPE: never None
            pipe.write(text.encode(encoding, errors=errors))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the pager quit, or Ctrl-C: what was not written is abandoned
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:
            continue


def screen_lines() -> int:
    """How many lines the terminal shows (``LINES`` first, as the shell sets it)."""
    return shutil.get_terminal_size().lines
