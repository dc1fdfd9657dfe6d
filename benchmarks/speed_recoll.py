"""Recoll, the desktop search tool on Xapian, as a peer of the speed harness where it is installed.

Recoll has no Python binding in an ordinary virtual environment (Debian's ``python3-recoll``
belongs to the system Python), so it runs through its two commands, as its users script it:

- **build**: ``recollindex -c CONFDIR -z`` over the article folder, with a configuration of our
  own (``topdirs`` the folder, ``dbdir`` inside CONFDIR, no aspell dictionary); its default
  unaccenting and case folding, its default indexing threads, and the document text stored
  (``indexStoreDocText = 1``, its default), from which snippets are cut;
- **queries**: ``recollq -c CONFDIR -n 10 -A -g 3 QUERY``: top 10, three snippets for each hit.
  Recoll's query language ANDs words by default, so the query is translated to mean what it
  means to the other systems (:func:`recoll_query`). Every query is a fresh ``recollq``
  process: its "warm" figures include starting one, and they equal its cold query.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

COMMANDS = ("recollindex", "recollq")
LIMIT = 10
SNIPPETS = 3  # dvsearch shows up to three passages a hit
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def missing() -> str:
    """Why Recoll cannot run here, or ``""`` when it can."""
    absent = [name for name in COMMANDS if shutil.which(name) is None]
    if absent:
        return f"Recoll is not installed ({' and '.join(absent)} not on PATH): it was left out"
    return ""


def build(articles: Path, confdir: Path) -> None:
    """A fresh Recoll index of ``articles`` under ``confdir``."""
    if confdir.exists():
        shutil.rmtree(confdir)
    confdir.mkdir(parents=True)
    settings = [f"topdirs = {articles.resolve()}", f"dbdir = {confdir.resolve() / 'xapiandb'}"]
    settings += ["noaspell = 1", "loglevel = 1"]
    (confdir / "recoll.conf").write_text("\n".join(settings) + "\n", encoding="utf-8")
    subprocess.run(
        ["recollindex", "-c", str(confdir), "-z"],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def query_command(confdir: Path, text: str) -> list[str]:
    """One query as a ``recollq`` command line: top 10 with three snippets each."""
    limits = ["-n", str(LIMIT), "-A", "-g", str(SNIPPETS)]
    return ["recollq", "-c", str(confdir), *limits, recoll_query(text)]


def open_search(confdir: Path) -> Callable[[str], int]:
    """A function that runs one query through ``recollq`` and returns the hits it showed."""

    def search(text: str) -> int:
        done = subprocess.run(
            query_command(confdir, text),
            check=True,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        return done.stdout.count("\nSNIPPETS\n")

    return search


def recoll_query(text: str) -> str:
    """The query in Recoll's language, with the meaning the other systems give it.

    Words are ORed, quotes stay phrases, ``AND`` becomes Recoll's implicit AND, ``NOT`` its
    ``-`` and a code such as ``464-QĐ/TU`` the phrase of its pieces: ``giao thông NOT Hà Nội``
    → ``giao OR thông -Hà OR Nội``. Recoll binds OR tighter than AND, FTS5 the reverse.
    """
    parts: list[str] = []
    joiner = ""  # how the next term joins the previous one: "" is OR, as words are
    for phrase, word in _TOKEN.findall(text):
        if word in ("AND", "OR", "NOT"):
            joiner = word
            continue
        pieces = re.findall(r"\w+", phrase or word)
        if not pieces:
            continue
        term = pieces[0] if len(pieces) == 1 and not phrase else '"' + " ".join(pieces) + '"'
        if parts and joiner in ("", "OR"):
            parts.append("OR")
        parts.append("-" + term if joiner == "NOT" else term)
        joiner = ""
    return " ".join(parts)


def note() -> str:
    """How Recoll ran, for the report."""
    version = subprocess.run(
        ["recollq", "-v"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    ).stdout.strip()
    return (
        f"Recoll ({version or 'version not reported'}): `recollindex -z` with its default"
        " analysis and threads, no aspell; queries with `recollq -n 10 -A -g 3` (three snippets"
        " a hit), words ORed, one fresh `recollq` process per query, so its warm figures"
        " include a process start"
    )
