"""Where the index is when no ``--index`` names it, so that dvsearch works from any directory.

In order: the ``--index`` folder; the ``DVSEARCH_INDEX`` environment variable; ``index = "…"``
in a ``dvsearch.toml`` (in the current directory, then in the user's config folder); ``./index``
when it exists, or when there is no index yet and ``./seeds`` is here to build one from (a
checkout of dvsearch, whose README's first command builds ``./index`` from ``./seeds``); the
user's data folder (``~/.local/share/dvsearch/index`` on Linux).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from dvsearch.errors import ConfigFileError

INDEX_VARIABLE = "DVSEARCH_INDEX"
CONFIG_NAME = "dvsearch.toml"
LOCAL_INDEX = Path("index")
LOCAL_SEEDS = Path("seeds")
_APP_NAME = "dvsearch"

Origin = Literal["option", "environment", "config", "local", "user"]


class IndexLocation(NamedTuple):
    """The index folder to use and what named it."""

    path: Path
    origin: Origin
    config: Path | None = None  # the dvsearch.toml that named it

    @property
    def obvious(self) -> bool:
        """True when the user can tell which index this is without being told: named on the
        command line, or ``./index``."""
        return self.origin in ("option", "local")

    def notice(self) -> str:
        """One line saying which index is used, for when it is not the obvious one."""
        where = {
            "environment": f" (set in {INDEX_VARIABLE})",
            "config": f" (set in '{self.config}')",
        }
        return f"using the index in '{self.path}'{where.get(self.origin, '')}"


def find_index(
    given: Path | None = None, environ: Mapping[str, str] | None = None
) -> IndexLocation:
    """The index folder: ``given`` (``--index``) if any, else the first that is set of the
    environment variable, a config file, ``./index`` and the user's data folder."""
    if given is not None:
        return IndexLocation(given, "option")
    named = (os.environ if environ is None else environ).get(INDEX_VARIABLE, "")
    if named.strip():
        return IndexLocation(Path(named).expanduser(), "environment")
    for config in config_files():
        path = _index_in_config(config)
        if path is not None:
            return IndexLocation(path, "config", config)
    if LOCAL_INDEX.is_dir():
        return IndexLocation(LOCAL_INDEX, "local")
    user = user_index_dir()
    if LOCAL_SEEDS.is_dir() and not user.exists():
        return IndexLocation(LOCAL_INDEX, "local")
    return IndexLocation(user, "user")


def config_files() -> list[Path]:
    """The config files that exist, the current directory's first."""
    candidates = [Path(CONFIG_NAME), user_config_dir() / CONFIG_NAME]
    return [path for path in candidates if path.is_file()]


def user_index_dir() -> Path:
    """The index folder in the user's data folder (``XDG_DATA_HOME`` on Linux)."""
    from platformdirs import user_data_dir  # only when nothing else names the index

    return Path(user_data_dir(_APP_NAME, appauthor=False)) / "index"


def user_config_dir() -> Path:
    """The user's config folder for dvsearch (``XDG_CONFIG_HOME`` on Linux)."""
    from platformdirs import user_config_dir as config_dir

    return Path(config_dir(_APP_NAME, appauthor=False))


def _index_in_config(config: Path) -> Path | None:
    """The ``index`` a config file names (relative to the file's folder), or None without one."""
    import tomllib  # only when there is a config file: parsing TOML costs a query's start-up

    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigFileError(
            f"cannot read '{config}': {error}; fix it or remove it (a line such as "
            'index = "~/dvsearch-index" names the index)'
        ) from error
    value = settings.get("index")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigFileError(
            f"'index' in '{config}' must be a folder name in quotes, such as "
            'index = "~/dvsearch-index"'
        )
    path = Path(value).expanduser()
    return path if path.is_absolute() else config.parent / path
