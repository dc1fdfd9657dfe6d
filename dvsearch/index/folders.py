"""The articles folders an index is built from, as its manifest records them, and article ids.

An article's id is its path under its folder (``2021/tin.txt``). Two folders may both hold a
``tin.txt``, so the articles of the first folder an index is built from keep their plain paths,
and those of every folder added later are prefixed by that folder's label: its name, made
unique (``bao-cu/tin.txt``, ``bao-cu-2/tin.txt``). Labels are recorded and never change, so ids
stay the same from run to run. The first component of an id says which folder it belongs to.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from dvsearch.errors import ArticleFolderError

DEFAULT_SEEDS = Path("seeds")  # a first run without --seeds indexes ./seeds when there is one


class ArticleFolder(NamedTuple):
    """One folder the index is built from: its absolute path and the label its ids start with
    (empty for the first folder, whose ids are plain paths)."""

    path: Path
    label: str = ""

    def id_of(self, relative: str) -> str:
        """The id of the article at ``relative`` (a POSIX path under this folder)."""
        return f"{self.label}/{relative}" if self.label else relative

    def relative_of(self, article_id: str) -> str:
        """The article's path under this folder, from its id."""
        return article_id[len(self.label) + 1 :] if self.label else article_id


def recorded_folders(manifest: Mapping[str, Any]) -> list[ArticleFolder]:
    """The folders a manifest records; one written before folders were listed names one."""
    listed = manifest.get("folders")
    if isinstance(listed, list):
        return [ArticleFolder(Path(entry["path"]), entry.get("label", "")) for entry in listed]
    seeds = manifest.get("seeds")
    return [ArticleFolder(Path(seeds))] if isinstance(seeds, str) and seeds else []


def folders_details(folders: Iterable[ArticleFolder]) -> dict[str, Any]:
    """What the manifest keeps of the folders. ``seeds`` (the first one) is what an older
    dvsearch rebuilds from when it finds the index written by a newer one."""
    listed = [{"path": str(folder.path), "label": folder.label} for folder in folders]
    details: dict[str, Any] = {"folders": listed}
    if listed:
        details["seeds"] = listed[0]["path"]
    return details


def folder_of(folders: Iterable[ArticleFolder], article_id: str) -> ArticleFolder | None:
    """The folder an article belongs to: the one labelled with its id's first component, else
    the unlabelled one."""
    first = article_id.split("/", 1)[0] if "/" in article_id else None
    unlabelled = None
    for folder in folders:
        if folder.label and folder.label == first:
            return folder
        if not folder.label:
            unlabelled = folder
    return unlabelled


def file_of(folders: Iterable[ArticleFolder], article_id: str) -> Path | None:
    """The absolute path of an article's file, or None when its folder is not recorded."""
    folder = folder_of(folders, article_id)
    if folder is None:
        return None
    return folder.path.joinpath(*folder.relative_of(article_id).split("/"))


def absolute(folder: Path) -> Path:
    """How a folder is recorded and compared: absolute, links resolved."""
    return folder.expanduser().resolve()


def find_folder(folders: Iterable[ArticleFolder], folder: Path) -> ArticleFolder | None:
    """The recorded folder that ``folder`` names, if any."""
    wanted = absolute(folder)
    return next((known for known in folders if known.path == wanted), None)


def add_folder(folders: list[ArticleFolder], folder: Path) -> list[ArticleFolder]:
    """``folders`` with ``folder`` added (unchanged when it is already one of them). A folder
    inside another one, or holding one, is refused: its articles would be indexed twice."""
    wanted = absolute(folder)
    if find_folder(folders, wanted) is not None:
        return folders
    for known in folders:
        if wanted.is_relative_to(known.path) or known.path.is_relative_to(wanted):
            raise ArticleFolderError(
                f"'{folder}' overlaps '{known.path}', which the index already holds: "
                "pass a folder that is neither inside it nor around it"
            )
    label = _new_label(folders, wanted) if folders else ""
    return [*folders, ArticleFolder(wanted, label)]


def _new_label(folders: list[ArticleFolder], folder: Path) -> str:
    """The folder's name, with ``-2``, ``-3``… when another folder's label or a top-level entry
    of the unlabelled folder already has it (its ids would start the same way)."""
    taken = {known.label for known in folders}
    for known in folders:
        if not known.label:
            taken.update(_entry_names(known.path))
    name = unicodedata.normalize("NFC", folder.name) or "folder"
    label, number = name, 1
    while label in taken:
        number += 1
        label = f"{name}-{number}"
    return label


def _entry_names(folder: Path) -> set[str]:
    try:
        return {unicodedata.normalize("NFC", name) for name in os.listdir(folder)}
    except OSError:
        return set()
