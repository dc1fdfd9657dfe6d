"""Where the index is when no --index names it: variable, config file, ./index, data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvsearch.errors import ConfigFileError
from dvsearch.index.location import IndexLocation, find_index


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory and user folders of the test's own, no DVSEARCH_INDEX."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DVSEARCH_INDEX", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def _user_config(home: Path, text: str) -> Path:
    config = home / "config" / "dvsearch" / "dvsearch.toml"
    config.parent.mkdir(parents=True)
    config.write_text(text, encoding="utf-8")
    return config


def test_without_anything_the_index_is_in_the_user_data_folder(home: Path) -> None:
    assert find_index() == IndexLocation(home / "data" / "dvsearch" / "index", "user")


def test_an_index_folder_here_comes_before_the_user_data_folder(home: Path) -> None:
    Path("index").mkdir()
    assert find_index() == IndexLocation(Path("index"), "local")


def test_a_checkout_with_seeds_and_no_index_yet_builds_index_here(home: Path) -> None:
    """The README's first command, run in a fresh checkout, builds ./index from ./seeds."""
    Path("seeds").mkdir()
    assert find_index() == IndexLocation(Path("index"), "local")
    (home / "data" / "dvsearch" / "index").mkdir(parents=True)
    assert find_index() == IndexLocation(home / "data" / "dvsearch" / "index", "user")


def test_the_user_config_file_comes_before_an_index_folder_here(home: Path) -> None:
    Path("index").mkdir()
    config = _user_config(home, 'index = "/srv/archive-index"\n')
    assert find_index() == IndexLocation(Path("/srv/archive-index"), "config", config)


def test_a_config_file_here_comes_before_the_user_one_and_is_read_from_its_folder(
    home: Path,
) -> None:
    _user_config(home, 'index = "/srv/archive-index"\n')
    Path("dvsearch.toml").write_text('index = "my-index"\n', encoding="utf-8")
    assert find_index() == IndexLocation(Path("my-index"), "config", Path("dvsearch.toml"))


def test_a_relative_index_in_the_user_config_is_under_the_config_folder(home: Path) -> None:
    config = _user_config(home, 'index = "idx"\n')
    assert find_index().path == config.parent / "idx"


def test_a_config_file_without_an_index_line_is_passed_over(home: Path) -> None:
    Path("dvsearch.toml").write_text("# nothing yet\n", encoding="utf-8")
    assert find_index().origin == "user"


def test_the_variable_comes_before_the_config_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("dvsearch.toml").write_text('index = "my-index"\n', encoding="utf-8")
    monkeypatch.setenv("DVSEARCH_INDEX", str(home / "env-index"))
    assert find_index() == IndexLocation(home / "env-index", "environment")


def test_the_option_comes_before_everything(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DVSEARCH_INDEX", str(home / "env-index"))
    assert find_index(Path("given")) == IndexLocation(Path("given"), "option")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "index = \n",
            "cannot read 'dvsearch.toml': Invalid value (at line 1, column 9); fix it or remove "
            'it (a line such as index = "~/dvsearch-index" names the index)',
        ),
        (
            "index = 3\n",
            "'index' in 'dvsearch.toml' must be a folder name in quotes, such as "
            'index = "~/dvsearch-index"',
        ),
    ],
)
def test_a_config_file_that_cannot_be_used_says_what_to_fix(
    home: Path, text: str, message: str
) -> None:
    Path("dvsearch.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as raised:
        find_index()
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("location", "notice"),
    [
        (IndexLocation(Path("/d/index"), "user"), "using the index in '/d/index'"),
        (
            IndexLocation(Path("/e"), "environment"),
            "using the index in '/e' (set in DVSEARCH_INDEX)",
        ),
        (
            IndexLocation(Path("/c"), "config", Path("dvsearch.toml")),
            "using the index in '/c' (set in 'dvsearch.toml')",
        ),
    ],
)
def test_the_notice_says_which_index_and_what_named_it(
    location: IndexLocation, notice: str
) -> None:
    assert (location.obvious, location.notice()) == (False, notice)
