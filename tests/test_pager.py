"""Whether output goes through a pager, and which one: decided without a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dvsearch.pager import choose_pager, pager_command, run_pager

LONG = "line\n" * 30


@pytest.mark.parametrize(
    ("environ", "command"),
    [
        ({"DVSEARCH_PAGER": "most", "PAGER": "more"}, "most"),
        ({"PAGER": "more"}, "more"),
        ({"DVSEARCH_PAGER": "", "PAGER": "more"}, None),  # empty: no pager, as git has it
        ({"PAGER": "  "}, None),
    ],
)
def test_the_users_pager_comes_first(environ: dict[str, str], command: str | None) -> None:
    assert pager_command(environ) == command


def test_less_is_the_default_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    installed = pager_command({})
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert (installed, pager_command({})) == ("less -R", None)


@pytest.mark.parametrize(
    ("text", "terminal", "wanted", "command"),
    [
        (LONG, True, True, "most"),
        (LONG, False, True, None),  # piped: never
        (LONG, True, False, None),  # --no-pager
        ("line\n" * 23, True, True, None),  # fits above the prompt
        ("line\n" * 24, True, True, "most"),  # the prompt would push the first line away
    ],
)
def test_a_pager_only_on_a_terminal_for_output_longer_than_the_screen(
    text: str, terminal: bool, wanted: bool, command: str | None
) -> None:
    environ = {"DVSEARCH_PAGER": "most"}
    assert choose_pager(text, 24, terminal, wanted, environ) == command


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell command as the pager")
def test_the_pager_gets_the_text_and_less_its_options(tmp_path: Path) -> None:
    record = tmp_path / "paged.txt"
    run_pager(f"printf '%s|' \"$LESS\" > '{record}'; cat >> '{record}'", "Dân vận\n", "utf-8", {})
    assert record.read_text(encoding="utf-8") == "FRX|Dân vận\n"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell command as the pager")
def test_the_users_less_options_are_kept_and_a_pager_quitting_early_is_no_error(
    tmp_path: Path,
) -> None:
    record = tmp_path / "less.txt"
    run_pager(f"printf '%s' \"$LESS\" > '{record}'", "x\n" * 200_000, "utf-8", {"LESS": "-S"})
    assert record.read_text(encoding="utf-8") == "-S"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell command as the pager")
def test_what_the_pagers_encoding_cannot_write_is_written_plainer(tmp_path: Path) -> None:
    from dvsearch.terminal import error_handler

    record = tmp_path / "paged.txt"
    run_pager(f"cat > '{record}'", "Dân vận – 5 €\n", "ascii", {}, error_handler("ascii"))
    assert record.read_bytes() == b"Dan van - 5 \\u20ac\n"
