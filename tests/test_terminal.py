"""Output on a terminal that is not UTF-8: written plainer or escaped, with one note on stderr,
never a ``UnicodeEncodeError``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from dvsearch.cli import main
from dvsearch.terminal import error_handler, is_utf, loss_note, readable_output

ASCII_NOTE = (
    "note: this terminal's encoding is ascii, not UTF-8: Vietnamese letters were shown without "
    "their accents; set LANG=C.UTF-8 (or PYTHONIOENCODING=utf-8) to see them\n"
)
ARTICLES = {
    "dan-van.txt": "Dân vận khéo\n\n12/05/2022\n\nBan Dân vận Tỉnh ủy triển khai Quyết định "
    "số 464-QĐ/TU về công tác dân vận khéo năm 2022.\n\nThanh Hà\n",
    "lua.txt": "Nông dân trồng lúa\n\n13/05/2022\n\nSáng 13/5, Hội Nông dân huyện tổng kết mô "
    "hình trồng lúa năm 2022.\n\nMinh Đức\n",
}


def _written(text: str, encoding: str) -> str:
    """``text`` as a terminal in ``encoding`` gets it, read back."""
    return text.encode(encoding, errors=error_handler(encoding)).decode(encoding)


@pytest.mark.parametrize(
    ("encoding", "text", "shown"),
    [
        ("ascii", "Dân vận khéo", "Dan van kheo"),
        ("ascii", unicodedata.normalize("NFD", "Dân vận khéo"), "Dan van kheo"),
        ("ascii", "Đồng chí đến", "Dong chi den"),
        ("ascii", "ý kiến ở cơ sở", "y kien o co so"),
        ("ascii", "Quyết định 464-QĐ/TU", "Quyet dinh 464-QD/TU"),
        ("ascii", "“Dân vận khéo” – 2022…", '"Dan van kheo" - 2022...'),
        ("latin-1", "Dân vận", "Dân van"),  # â is a Latin-1 letter: kept
        ("latin-1", "ý kiến ở Đà Nẵng", "ý kien o Dà Nang"),
        ("latin-1", "464-QĐ/TU", "464-QD/TU"),
        ("latin-1", unicodedata.normalize("NFD", "Dân"), "Dan"),  # a lone circumflex: dropped
    ],
)
def test_what_the_encoding_cannot_write_is_written_without_its_accents(
    encoding: str, text: str, shown: str
) -> None:
    assert _written(text, encoding) == shown


@pytest.mark.parametrize(
    "text", ["Dân vận khéo", "ý kiến ở cơ sở", "Quyết định 464-QĐ/TU", "Ngày hội Đại đoàn kết"]
)
def test_windows_1258_writes_vietnamese_with_combining_marks_and_loses_nothing(text: str) -> None:
    with readable_output():
        written = _written(text, "cp1258")
        note = loss_note()
    assert (unicodedata.normalize("NFC", written), note) == (text, None)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("giá 5 €", "gia 5 \\u20ac"), ("vui 😀", "vui \\U0001f600"), ("tệp \udcff", "tep \\udcff")],
)
def test_what_has_no_plainer_form_is_an_escape(text: str, shown: str) -> None:
    assert _written(text, "ascii") == shown


def test_a_note_on_stderr_at_the_end_says_what_was_lost(capsys: pytest.CaptureFixture[str]) -> None:
    with readable_output():
        _written("Dân vận", "ascii")
        print("done")
    assert capsys.readouterr() == ("done\n", ASCII_NOTE)


@pytest.mark.parametrize(
    ("texts", "lost"),
    [
        (["5 €"], "characters it cannot show were written as \\u escapes"),
        (
            ["Dân", "€"],
            "Vietnamese letters were shown without their accents and other characters as "
            "\\u escapes",
        ),
    ],
)
def test_the_note_says_whether_letters_lost_accents_or_became_escapes(
    texts: list[str], lost: str
) -> None:
    with readable_output():
        for text in texts:
            _written(text, "ascii")
        note = loss_note()
    assert note == (
        f"note: this terminal's encoding is ascii, not UTF-8: {lost}; "
        "set LANG=C.UTF-8 (or PYTHONIOENCODING=utf-8) to see them"
    )


def test_nothing_lost_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    with readable_output():
        _written("Dan van kheo", "ascii")
    assert capsys.readouterr() == ("", "")


def test_a_stream_that_is_not_utf8_is_given_the_handler_then_its_own_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", stream)
    with readable_output():
        print("Dân vận")
        during = stream.errors
    stream.flush()
    assert (raw.getvalue(), during, stream.errors) == (
        b"D\xe2n van\n",
        error_handler("latin-1"),
        "strict",
    )


class _PlainStream:
    """A stream without ``reconfigure``, as some IDE consoles and test captures are."""

    encoding = "ascii"
    errors = "strict"

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_stream_without_reconfigure_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _PlainStream()
    monkeypatch.setattr(sys, "stdout", stream)
    with readable_output():
        print("Dan van")
    assert (stream.text, stream.errors) == ("Dan van\n", "strict")


@pytest.mark.parametrize(
    ("encoding", "utf"), [("utf-8", True), ("UTF8", True), ("utf-16", True), ("cp1258", False)]
)
def test_utf_encodings_are_left_alone(encoding: str, utf: bool) -> None:
    assert is_utf(encoding) == utf


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the two small articles of ``ARTICLES``."""
    folder = tmp_path_factory.mktemp("terminal") / "seeds"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def index(articles: Path) -> Path:
    index_dir = articles.parent / "index"
    result = CliRunner().invoke(
        main, ["index", "--seeds", str(articles), "--index", str(index_dir)]
    )
    assert result.exit_code == 0
    return index_dir


def test_show_on_a_latin1_terminal_keeps_its_letters_and_notes_the_rest(index: Path) -> None:
    runner = CliRunner(charset="latin-1")
    result = runner.invoke(main, ["show", "dan-van", "--index", str(index)])
    note = ASCII_NOTE.replace("ascii", "iso8859-1")
    assert (result.exit_code, result.stdout.splitlines()[0], result.stderr) == (
        0,
        "Dân van khéo",
        note,
    )


def test_help_on_a_latin1_terminal_is_printed(index: Path) -> None:
    """--help is printed before any command runs: the streams are set up before that."""
    result = CliRunner(charset="latin-1").invoke(main, ["--help"])
    assert (result.exit_code, 'dvsearch query "Dân van khéo"' in result.stdout) == (0, True)


def test_json_on_a_latin1_terminal_keeps_every_letter_as_an_escape(index: Path) -> None:
    """JSON is read by programs: escaped, it loses nothing, where plain letters would."""
    import json

    runner = CliRunner(charset="latin-1")
    result = runner.invoke(main, ["query", "dân vận", "--json", "--index", str(index)])
    title = json.loads(result.stdout)["hits"][0]["title"]
    assert (result.exit_code, title, "\\u1eadn" in result.stdout) == (0, "Dân vận khéo", True)


@pytest.mark.skipif(sys.platform == "win32", reason="PYTHONIOENCODING as a POSIX shell has it")
def test_an_ascii_terminal_gets_plain_letters_and_a_note_not_a_traceback(
    articles: Path, tmp_path: Path
) -> None:
    """The real thing, in a process of its own: its streams are the ones Python opened."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "dvsearch", "query", "dân vận khéo", "--no-pager"]
    command += ["--index", str(tmp_path / "index"), "--seeds", str(articles)]
    run = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    stdout, stderr = run.stdout.decode("ascii"), run.stderr.decode("ascii", "replace")
    assert (run.returncode, "Traceback" in stderr, stdout.splitlines()[0]) == (
        0,
        False,
        "1. Dan van kheo",
    )
    assert stderr.endswith(ASCII_NOTE)
