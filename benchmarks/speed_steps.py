"""The measured steps of the speed harness, each one child process or a median of several.

dvsearch always runs from the snapshot of its source taken at the start (see
``relevance_peers.Dvsearch``), so edits made to the live tree during a run cannot mix versions.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shlex
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import speed_recoll
import speed_tantivy
from relevance_peers import Dvsearch
from speed_corpus import Corpus, Documents
from speed_measure import Measured, MeasureError, disk_size, median_seconds, run_measured
from speed_queries import fts5_match
from speed_results import Build, Checksums, Durability, Latency, Results, Step
from speed_worker import FTS5_SQL, LIMIT

WORKER = Path(__file__).resolve().with_name("speed_worker.py")
HERE = WORKER.parent
# Peers run only where they are installed; each says why it cannot run, or "".
OPTIONAL: dict[str, Callable[[], str]] = {
    "tantivy": speed_tantivy.missing,
    "recoll": speed_recoll.missing,
}
COLD_QUERY = "dân vận khéo"
FSYNC_VARIABLE = "DVSEARCH_FSYNC"  # "0" skips dvsearch's fsyncs (dvsearch/index/durability.py)
DURABLE_ADD = 10  # held-back articles added by the update timed with fsync on and off
CHECKSUM_RUNS = 5


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Harness:
    """Where the run keeps its files, how it starts dvsearch, and what it has measured so far."""

    work: Path
    systems: list[str]
    cwd: Path  # the snapshot's folder: child processes start there
    env: dict[str, str]  # puts the snapshot first on sys.path
    results: Results
    dvsearch: Dvsearch
    cold_runs: int
    skip_build: bool
    durability_runs: int

    def index_path(self, size: str, system: str) -> Path:
        folder = self.work / "indexes" / size.replace(",", "")
        return folder / "fts5.sqlite" if system == "fts5" else folder / system

    def run(self, command: list[str]) -> Measured:
        return run_measured(command, self.cwd, self.env)

    def build(self, corpus: Corpus, size: str, system: str) -> None:
        """A full build from scratch, unless ``--skip-build`` and the index is there."""
        target = self.index_path(size, system)
        if self.skip_build and target.exists():
            log(f"{system}: reusing the index in {target} (--skip-build)")
            return
        if system == "dvsearch":
            _remove(target)  # --rebuild would keep the old generation until it switches
            command = _dvsearch("index", "--seeds", str(corpus.folder), "--index", str(target))
            command.append("--rebuild")
        else:
            command = _worker("build", system, str(corpus.folder), str(target))
        done = self.run(command)
        said = done.stdout.strip().splitlines()[-1] if system == "dvsearch" else ""
        build = Build(
            system,
            size,
            corpus.articles,
            corpus.text_mb,
            done.seconds,
            done.peak_rss_mb,
            disk_size(target) / 1e6,
            said,
        )
        self.results.builds.append(build)
        log(f"{system} built {size} articles in {done.seconds:.1f} s, {build.index_mb:.0f} MB")

    def warm_queries(self, size: str, system: str) -> None:
        """Every query of the set, timed in one process that keeps the index open."""
        queries = self.work / "queries.json"
        texts = {qid: text for qid, (_, text) in self.results.queries.items()}
        queries.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        index = self.index_path(size, system)
        rounds = str(self.results.rounds)
        done = self.run(_worker("query", system, str(index), str(queries), rounds))
        found = json.loads(done.stdout)
        latency = Latency(
            system, size, found["seconds"], found["hits"], found["open_seconds"], done.peak_rss_mb
        )
        self.results.latencies.append(latency)
        log(
            f"{system} on {size}: warm p50 {latency.quantile(0.5) * 1e3:.1f} ms,"
            f" p95 {latency.quantile(0.95) * 1e3:.1f} ms"
        )

    def incremental(self, corpus: Corpus, held_back: Documents) -> None:
        """``dvsearch index`` after adding 1, then 100, held-back articles, and after removing them.

        The corpus folder is left as it was found, even when a step fails.
        """
        size = f"{corpus.articles:,}"
        self.results.update_size = size
        index = self.index_path(size, "dvsearch")
        one = dict(list(held_back.items())[:1])
        try:
            self._update("no change", corpus, index)
            for docs in (one, held_back):
                _write(corpus.folder, docs)
                self._update(f"add {len(docs)}", corpus, index)
                _delete(corpus.folder, docs)
                self._update(f"remove {len(docs)}", corpus, index)
        finally:
            _delete(corpus.folder, held_back)

    def _update(self, label: str, corpus: Corpus, index: Path) -> None:
        done = self.run(_dvsearch("index", "--seeds", str(corpus.folder), "--index", str(index)))
        said = done.stdout.strip().splitlines()[-1]
        self.results.updates.append(Step(label, done.seconds, done.peak_rss_mb, said))
        log(f"dvsearch update, {label}: {done.seconds:.2f} s ({said})")

    def durability(self, corpus: Corpus, held_back: Documents) -> None:
        """A rebuild of dvsearch's index and an update adding a few held-back articles, each
        with fsync on and with ``DVSEARCH_FSYNC=0``; then its checksum record and verification.

        It works on a copy of the built index, so the later steps find the index as built, and
        the corpus folder is left as it was found, even when a step fails.
        """
        size = f"{corpus.articles:,}"
        built = self.index_path(size, "dvsearch")
        index = built.with_name("dvsearch-durability")
        _remove(index)
        shutil.copytree(built, index)
        update = _dvsearch("index", "--seeds", str(corpus.folder), "--index", str(index))
        rebuild = [*update, "--rebuild"]
        self._on_and_off(size, "rebuild", rebuild, lambda env: self._seconds(rebuild, env))
        self._checksums(size, index)  # a generation as built, before updates add segments
        added = dict(list(held_back.items())[:DURABLE_ADD])
        try:
            add = f"add {len(added)}"
            self._on_and_off(size, add, update, lambda env: self._add(corpus, added, update, env))
        finally:
            _delete(corpus.folder, added)

    def _on_and_off(
        self, size: str, change: str, command: list[str], timed: Callable[[dict[str, str]], float]
    ) -> None:
        """Medians of ``timed`` with fsync on and off, the two back to back in each round and
        in turn first, so a load that comes and goes during the run falls on both alike."""
        on_env, off_env = {**self.env, FSYNC_VARIABLE: "1"}, {**self.env, FSYNC_VARIABLE: "0"}
        on: list[float] = []
        off: list[float] = []
        for round_number in range(self.durability_runs):
            pairs = [(on, on_env), (off, off_env)]
            for times, env in pairs if round_number % 2 == 0 else pairs[::-1]:
                times.append(timed(env))
        step = Durability(size, change, tuple(on), tuple(off), _shell(command))
        self.results.durability.append(step)
        log(
            f"dvsearch {change} on {size}: fsync on {step.on_seconds:.2f} s,"
            f" off {step.off_seconds:.2f} s ({step.ratio:.2f}×)"
        )

    def _seconds(self, command: list[str], env: dict[str, str]) -> float:
        return run_measured(command, self.cwd, env).seconds

    def _add(
        self, corpus: Corpus, docs: Documents, update: list[str], env: dict[str, str]
    ) -> float:
        """The time of an update that adds ``docs``; the one removing them again is not timed."""
        _write(corpus.folder, docs)
        done = run_measured(update, self.cwd, env)
        _delete(corpus.folder, docs)
        if not done.stdout.strip().splitlines()[-1].startswith(f"{len(docs)} added, 0 updated"):
            raise MeasureError(f"the update did not add {len(docs)} articles: {done.stdout}")
        run_measured(update, self.cwd, env)
        return done.seconds

    def _checksums(self, size: str, index: Path) -> None:
        """``record_checksums`` and ``verify`` on the live generation, in one process."""
        command = _worker("checksums", "dvsearch", str(index), str(CHECKSUM_RUNS))
        found = json.loads(self.run(command).stdout)
        step = Checksums(
            size,
            found["files"],
            found["bytes"] / 1e6,
            found["record_seconds"],
            found["verify_seconds"],
            CHECKSUM_RUNS,
        )
        self.results.checksums.append(step)
        log(
            f"dvsearch checksums on {size}, {step.generation_mb:.1f} MB: record"
            f" {step.record_seconds * 1e3:.0f} ms, verify {step.verify_seconds * 1e3:.0f} ms"
        )

    def cold_starts(self, where: str, articles: Path) -> None:
        """Median wall time of a fresh process: python alone, then one query of each system."""
        if where == "seeds":
            self._build_seeds(articles)
        python = [sys.executable, "-c", "pass"]
        steps = [Step("python -c pass", self._median(python), said=_shell(python))]
        for system in self.systems:
            label, command = self.cold_command(system, where, articles)
            steps.append(Step(label, self._median(command), said=_shell(command)))
        self.results.cold[where] = steps
        log(f"cold on {where}: " + ", ".join(f"{s.label} {s.seconds * 1e3:.0f} ms" for s in steps))

    def cold_command(self, system: str, where: str, articles: Path) -> tuple[str, list[str]]:
        """The label and command line of one query of ``system`` in a fresh process."""
        index = self.index_path(where, system)
        if system == "dvsearch":
            query = [*_cli(), "query", COLD_QUERY, "--index", str(index), "--seeds", str(articles)]
            return "dvsearch query", query
        if system == "fts5":
            return _sqlite_command(index)
        if system == "recoll":
            return "recollq", speed_recoll.query_command(index, COLD_QUERY)
        script = HERE / f"speed_{system}.py"  # whoosh, tantivy: one query, passages included
        return f"python speed_{system}.py", [sys.executable, str(script), str(index), COLD_QUERY]

    def _median(self, command: list[str]) -> float:
        return median_seconds(command, self.cold_runs, self.cwd, self.env)

    def _build_seeds(self, seeds: Path) -> None:
        """The seeds' indexes for the cold starts; cheap, so always rebuilt and not reported."""
        for system in self.systems:
            target = self.index_path("seeds", system)
            _remove(target)
            if system == "dvsearch":
                self.run(_dvsearch("index", "--seeds", str(seeds), "--index", str(target)))
            else:
                self.run(_worker("build", system, str(seeds), str(target)))

    def notes(self) -> list[str]:
        """How each system ran, for the report."""
        notes = self.dvsearch.notes()
        notes.append(f"dvsearch builds and updates: `{sys.executable} -m dvsearch index …`")
        notes.append(f"cold `dvsearch query`: {_cli_note()}; {self._imports_snapshot()}")
        notes += [
            f"whoosh-reloaded {importlib.metadata.version('whoosh-reloaded')}: RegexTokenizer |"
            " LowercaseFilter | CharsetFilter(accent_map), body stored, one process, limitmb"
            " 256; queries through QueryParser with OrGroup, `highlights()` (3 fragments) for"
            " each hit",
            f"SQLite {sqlite3.sqlite_version} FTS5, `unicode61 remove_diacritics 2`, body stored;"
            " words quoted and ORed, phrases and codes as FTS5 phrases, ranked by bm25, one"
            " `snippet()` for each hit",
            *([speed_tantivy.note()] if "tantivy" in self.systems else []),
            *([speed_recoll.note()] if "recoll" in self.systems else []),
            "peak RSS: `ru_maxrss` of each command alone, read with `os.wait4` by a small"
            " helper process that starts it (a direct child of the harness would report the"
            " harness's own peak, which Linux carries over fork and exec)",
        ]
        return notes

    def _imports_snapshot(self) -> str:
        """Whether a fresh interpreter with the run's environment imports the snapshot."""
        check = [sys.executable, "-c", "import dvsearch; print(dvsearch.__file__)"]
        imported = run_measured(check, self.work, self.env).stdout.strip()
        where = "the snapshot" if imported.startswith(str(self.cwd)) else f"{imported} (!)"
        return f"it imports {where}"


def available_systems(systems: list[str]) -> tuple[list[str], list[str]]:
    """The systems that can run here, and a one-line note for each optional one left out."""
    reasons = {name: OPTIONAL[name]() for name in systems if name in OPTIONAL}
    kept = [name for name in systems if not reasons.get(name)]
    return kept, [f"{name}: {reason}" for name, reason in reasons.items() if reason]


def _dvsearch(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "dvsearch", *arguments]


def _worker(*arguments: str) -> list[str]:
    return [sys.executable, str(WORKER), *arguments]


def _cli() -> list[str]:
    """The active environment's ``dvsearch`` console script, as a user types it."""
    script = Path(sys.executable).parent / "dvsearch"
    return [str(script)] if script.exists() else _dvsearch()


def _cli_note() -> str:
    command = _cli()
    if len(command) == 1:
        return f"the console script `{command[0]}`"
    return f"`{shlex.join(command)}` (no console script beside the interpreter)"


def _sqlite_command(database: Path) -> tuple[str, list[str]]:
    """The sqlite3 shell on the FTS5 table, or Python's sqlite3 module when there is no shell."""
    match = fts5_match(COLD_QUERY).replace("'", "''")
    sql = FTS5_SQL.replace("?", f"'{match}'", 1).replace("?", str(LIMIT), 1)
    shell = shutil.which("sqlite3")
    if shell:
        return "sqlite3", [shell, str(database), sql]
    script = (
        "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall())"
    )
    return "python -c sqlite3 (no sqlite3 shell)", [
        sys.executable,
        "-c",
        script,
        str(database),
        sql,
    ]


def _shell(command: list[str]) -> str:
    """The command as one would type it in a POSIX shell, double quotes where needed.

    ``shlex.join`` is as exact but turns the SQL's mix of quotes into ``'"'"'`` soup.
    """
    return " ".join(_quote(arg) for arg in command)


def _quote(arg: str) -> str:
    return arg if _SAFE.fullmatch(arg) else '"' + _ESCAPE.sub(r"\\\g<0>", arg) + '"'


_SAFE = re.compile(r"[\w@%+=:,./-]+")
_ESCAPE = re.compile(r'["\\$`]')


def _write(folder: Path, docs: Documents) -> None:
    for docid, text in docs.items():
        (folder / f"{docid}.txt").write_text(text, encoding="utf-8")


def _delete(folder: Path, docs: Documents) -> None:
    for docid in docs:
        (folder / f"{docid}.txt").unlink(missing_ok=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
