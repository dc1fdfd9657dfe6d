"""Where a dvsearch index's bytes go: every file of the live generation, split by part and field.

Run by hand (issue 17: "index <= 1.5x the raw text"); it prints a markdown table of bytes, share
and x the raw text for each part:

    python benchmarks/index_size.py --size 4000            # writes the corpus, builds, accounts
    python benchmarks/index_size.py --index path/to/index  # accounts an index that exists

It reads whoosh's files directly, not through ``dvsearch/engine/`` (a benchmark may), but for
the term infos and block heads (``dvsearch/engine/terms.py`` and ``heads.py`` decode them):
the term dictionary (``.trm``, an ordered hash file of one entry per field and term), the
postings (``.pst``, dvsearch's blocks from ``dvsearch/engine/postings.py``: a head, ids and
weights, then positions), the per-article columns (``_stored``, whoosh's zlib-compressed
pickle of the stored fields, the one-byte field lengths, the sortable fields and the exact
fields' accents), and dvsearch's JSON side tables. A term whose postings whoosh inlines in the
dictionary (dvsearch's codec never does) is counted under the dictionary.
"""

from __future__ import annotations

import argparse
import os
import pickle
import struct
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dvsearch.engine.terms import TermInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

TERM_INFO = struct.Struct("!BfIBBfII")  # whoosh's W3TermInfo, before its inlined postings

Sizes = Counter[str]


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    index = options.index or ROOT / "benchmarks" / "work" / "index-size" / str(options.size)
    if options.size and not options.index:
        build(options.size, options.shared, index)
    generation = live_generation(index)
    text = text_bytes(index)
    sizes = account(generation)
    print(f"index: {generation} ({total_files(generation):,} bytes), text: {text:,} bytes\n")
    print(table(sizes, text))
    print()
    print(field_table(sizes, text))
    if options.stored_codecs:
        print()
        print(codec_table(generation, text))
    if options.designs:
        print()
        print(design_table(generation, text))
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=0, help="articles of the speed corpus")
    parser.add_argument("--index", type=Path, help="account this index folder, build nothing")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="shared data")
    parser.add_argument(
        "--stored-codecs", action="store_true", help="also size the stored fields other ways"
    )
    parser.add_argument(
        "--designs", action="store_true", help="also size side tables other designs would write"
    )
    options = parser.parse_args(argv)
    if not options.size and not options.index:
        parser.error("give --size N (build) or --index PATH (account)")
    return options


def build(size: int, shared: Path, index: Path) -> None:
    """The speed harness's first ``size`` articles as files, indexed by ``dvsearch index``
    (reused when both exist: delete the index folder to build again)."""
    from speed_corpus import corpus_documents, ordered_articles, prepare_corpus

    folder = ROOT / "benchmarks" / "work" / "index-size" / "articles" / str(size)
    docs = corpus_documents(ordered_articles(shared / "data"), size)
    corpus = prepare_corpus(str(size), folder, docs)
    if corpus.reused and (index / "dvsearch.json").is_file():
        return
    command = [sys.executable, "-m", "dvsearch", "index", "--seeds", str(folder)]
    environment = {**os.environ, "DVSEARCH_FSYNC": "0"}  # a throwaway index
    subprocess.run([*command, "--index", str(index)], check=True, env=environment)


def live_generation(index: Path) -> Path:
    import json

    manifest = json.loads((index / "dvsearch.json").read_text(encoding="utf-8"))
    return index / manifest["generation"]


def text_bytes(index: Path) -> int:
    """The bytes of every article file in the index's folders: the raw text it indexes."""
    import json

    manifest = json.loads((index / "dvsearch.json").read_text(encoding="utf-8"))
    folders = [Path(entry["path"]) for entry in manifest["folders"]]
    return sum(path.stat().st_size for f in folders for path in f.rglob("*") if path.is_file())


def total_files(generation: Path) -> int:
    return sum(path.stat().st_size for path in generation.iterdir() if path.is_file())


def account(generation: Path) -> Sizes:
    """Bytes per part; the parts add up to every file of the generation."""
    sizes: Sizes = Counter()
    for path in sorted(generation.iterdir()):
        size = path.stat().st_size
        if path.suffix == ".trm":
            sizes.update(term_dictionary(path))
        elif path.suffix == ".pst":
            sizes.update(postings(path.with_suffix(".trm"), path))
        elif path.name.endswith("._stored.col"):
            sizes.update(stored_fields(path))
        elif path.name.endswith("_len.col"):
            sizes["columns: field lengths (1 byte an article)"] += size
        elif path.suffix == ".col":
            sizes[column_part(path)] += size
        elif path.name.startswith("terms-"):
            sizes["json: terms-<segment>.json (term counts)"] += size
        elif path.suffix == ".json":
            sizes[f"json: {path.name}"] += size
        elif path.name.startswith("signatures-") and path.suffix == ".bin":
            sizes["tables: signatures-<n>.bin (copies' MinHash layers)"] += size
        elif path.suffix == ".bin":
            sizes[f"tables: {path.name}"] += size
        else:
            sizes["other (toc, locks)"] += size
    return sizes


def term_entries(trm: Path) -> Iterator[tuple[str, bytes, bytes]]:
    """Every (field, term, value) of a segment's term dictionary."""
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.filedb.structfile import StructFile

    with trm.open("rb") as handle:
        table = OrderedHashReader(StructFile(handle), trm.stat().st_size)
        names = {number: name for name, number in table.extras["fieldmap"].items()}
        for key, value in table.items():
            field = names[struct.unpack("!H", key[:2])[0]]
            yield field, key[2:], value


def term_dictionary(trm: Path) -> Sizes:
    """Each field's share of the dictionary: its keys and term infos, postings whoosh inlined
    for one-article terms, and the hash file's own overhead shared out by entry count."""
    sizes: Sizes = Counter()
    entries: Counter[str] = Counter()
    for field, term, value in term_entries(trm):
        entries[field] += 1
        if value[0] == 1:  # whoosh's own entry, postings inlined
            sizes[f"terms: {field}: keys + term infos"] += 2 + len(term) + TERM_INFO.size
            sizes[f"terms: {field}: inlined postings"] += len(value) - TERM_INFO.size
        else:
            sizes[f"terms: {field}: keys + term infos"] += 2 + len(term) + len(value)
    overhead = trm.stat().st_size - sum(sizes.values())
    count = sum(entries.values())
    shares = {field: overhead * number // count for field, number in entries.items()}
    shares[max(entries, key=entries.__getitem__)] += overhead - sum(shares.values())
    for field, share in shares.items():
        sizes[f"terms: {field}: hash file overhead"] += share
    return sizes


def postings(trm: Path, pst: Path) -> Sizes:
    """Each field's postings: ids and weights, positions, and per-block navigation."""
    sizes: Sizes = Counter()
    data = pst.read_bytes()
    for field, _term, value in term_entries(trm):
        if value[0] == 1:
            continue
        info = TermInfo.from_bytes(value)
        offset, length = info.extent()
        for part, size in blocks(data, offset, offset + length, info.doc_frequency()):
            sizes[f"postings: {field}: {part}"] += size
    sizes["postings: file header"] += len(data) - sum(sizes.values())
    return sizes


def blocks(data: bytes, offset: int, end: int, postings_count: int) -> Iterator[tuple[str, int]]:
    """The parts of one term's blocks, which run from ``offset`` to ``end``: ``(part, bytes)``
    for each block. A term's only block takes its count from the term info."""
    from dvsearch.engine.heads import REACH, decode_head

    term: TermInfo | None = TermInfo(df=postings_count)
    position = offset
    while position < end:
        head, size = decode_head(data[position : position + REACH], term)
        term = None
        first = head.first_size()
        stop = end if head.second < 0 else position + size + first + head.second
        yield "block headers", size
        yield "ids + weights", first
        yield "positions or values", stop - (position + size + first)
        position = stop


def stored_documents(col: Path) -> Iterator[dict[str, Any]]:
    """Every article's stored-field dict in the segment of a ``<segment>._stored.col``."""
    from whoosh import index as whoosh_index

    import dvsearch.engine  # noqa: F401  (whoosh loaded as dvsearch loads it)

    segment_id = col.name.split(".")[0]
    with whoosh_index.open_dir(str(col.parent)).reader() as reader:
        for leaf, _base in reader.leaf_readers():
            if leaf.segment().segment_id() == segment_id:
                for number in range(leaf.doc_count_all()):
                    yield leaf.stored_fields(number)


def stored_fields(col: Path) -> Sizes:
    """The stored column: the body's share of each article's compressed pickle, the other
    fields', and the column's own index."""
    sizes: Sizes = Counter()
    for stored in stored_documents(col):
        whole = len(zlib.compress(pickle.dumps(stored, 2), 3))
        rest = len(zlib.compress(pickle.dumps({**stored, "body": ""}, 2), 3))
        sizes["stored: body"] += whole - rest
        sizes["stored: other fields"] += rest
    sizes["stored: column index"] += col.stat().st_size - sum(sizes.values())
    return sizes


def table(sizes: Sizes, text: int) -> str:
    """The parts, largest first, then totals by kind."""
    total = sum(sizes.values())
    lines = ["| part | bytes | share | x text |", "| --- | ---: | ---: | ---: |"]
    for part, size in sizes.most_common():
        lines.append(f"| {part} | {size:,} | {size / total:.1%} | {size / text:.3f} |")
    kinds: Counter[str] = Counter()
    for part, size in sizes.items():
        kinds[kind_of(part)] += size
    for kind, size in kinds.most_common():
        lines.append(f"| **{kind}** | {size:,} | {size / total:.1%} | {size / text:.3f} |")
    lines.append(f"| **total** | {total:,} | 100% | {total / text:.3f} |")
    return "\n".join(lines)


def column_part(path: Path) -> str:
    """A column file's part: a sortable field's values, or an exact field's accents (one byte
    a position, ``dvsearch/engine/accents.py``)."""
    field = path.name.split(".")[1]
    return f"columns: {field} ({'accents' if field.endswith('_exact') else 'sortable'})"


def field_table(sizes: Sizes, text: int) -> str:
    """Each field's terms and postings together: what indexing the field costs."""
    fields: Counter[str] = Counter()
    for part, size in sizes.items():
        head, *rest = part.split(": ")
        if head in ("terms", "postings") and len(rest) == 2:
            fields[rest[0]] += size
    total = sum(sizes.values())
    lines = [
        "| field (terms + postings) | bytes | share | x text |",
        "| --- | ---: | ---: | ---: |",
    ]
    for field, size in fields.most_common():
        lines.append(f"| {field} | {size:,} | {size / total:.1%} | {size / text:.3f} |")
    return "\n".join(lines)


def kind_of(part: str) -> str:
    """A part's group in the totals: postings by what they hold, terms, stored, json..."""
    head = part.split(":")[0]
    if head == "postings":
        return f"all postings: {part.rsplit(': ', 1)[-1]}"
    if head == "terms":
        return "all terms: " + part.rsplit(": ", 1)[-1]
    return f"all {head}"


def codec_table(generation: Path, text: int) -> str:
    """The stored fields written other ways: each article alone at other zlib levels and with
    lzma, and articles compressed together in runs (as a block-compressed store would)."""
    documents = [d for col in generation.glob("*._stored.col") for d in stored_documents(col)]
    pickles = [pickle.dumps(d, 2) for d in documents]
    import lzma

    ways = {
        "zlib 3, each article (whoosh's)": sum(len(zlib.compress(p, 3)) for p in pickles),
        "zlib 9, each article": sum(len(zlib.compress(p, 9)) for p in pickles),
        "lzma, each article": sum(len(lzma.compress(p)) for p in pickles),
    }
    for run in (16, 64):
        runs = [b"".join(pickles[i : i + run]) for i in range(0, len(pickles), run)]
        ways[f"zlib 9, runs of {run} articles"] = sum(len(zlib.compress(r, 9)) for r in runs)
        ways[f"lzma, runs of {run} articles"] = sum(len(lzma.compress(r)) for r in runs)
    lines = ["| stored fields as | bytes | x text |", "| --- | ---: | ---: |"]
    lines += [f"| {way} | {size:,} | {size / text:.3f} |" for way, size in ways.items()]
    return "\n".join(lines)


def design_table(generation: Path, text: int) -> str:
    """What other layouts would write, measured on this index's own articles:

    - the exact-accent view as a side array instead of positions: for each position of the
      folded body and title, which of its folded syllable's accented forms stands there (a
      rank, most frequent first; one byte, 255 for the rare rest), each article's array
      zlib-compressed on its own so a phrase check reads only its candidates;
    - the JSON side tables zlib-compressed.
    """
    documents = [d for col in generation.glob("*._stored.col") for d in stored_documents(col)]
    streams = [exact_syllables(d) for d in documents]
    ranks = accent_ranks(streams)
    arrays = [bytes(min(ranks[syllable], 255) for syllable in stream) for stream in streams]
    lines = ["| design | bytes | x text |", "| --- | ---: | ---: |"]
    positions = sum(len(array) for array in arrays)
    packed = sum(len(zlib.compress(array, 9)) for array in arrays)
    lines.append(
        f"| exact side array, raw ({positions:,} positions) | {positions:,} | "
        f"{positions / text:.3f} |"
    )
    lines.append(f"| exact side array, zlib per article | {packed:,} | {packed / text:.3f} |")
    for kind, (terms, postings) in sorted(compound_kinds(generation).items()):
        lines.append(f"| words field, {kind}: {terms:,} terms, {postings:,} postings | | |")
    for path in sorted(generation.glob("*.json")):
        size = len(zlib.compress(path.read_bytes(), 6))
        lines.append(f"| {path.name}, zlib 6 | {size:,} | {size / text:.3f} |")
    return "\n".join(lines)


def compound_kinds(generation: Path) -> dict[str, tuple[int, int]]:
    """The compound-words field's terms by kind, with their postings (document frequency):
    pyvi's words of one syllable, and compounds folded or with their accents."""
    found: dict[str, list[int]] = {}
    for trm in generation.glob("*.trm"):
        for field, term, value in term_entries(trm):
            if field != "words":
                continue
            text = term.decode("utf-8")
            kind = "one syllable" if "_" not in text else "compound, folded"
            kind = "compound, accented" if kind != "one syllable" and not text.isascii() else kind
            counts = found.setdefault(kind, [0, 0])
            counts[0] += 1
            counts[1] += TermInfo.from_bytes(value).doc_frequency()
    return {kind: (terms, postings) for kind, (terms, postings) in found.items()}


def exact_syllables(stored: dict[str, Any]) -> list[str]:
    """An article's searched title and body as the exact analyzer gives them, in order."""
    from dvsearch.analysis import EXACT

    title = "" if stored.get("title_derived") else stored.get("headline", "")
    return [t.text for part in (title, stored.get("body", "")) for t in EXACT(part)]


def accent_ranks(streams: list[list[str]]) -> dict[str, int]:
    """Each accented syllable's rank among those folding to the same syllable, by count."""
    from dvsearch.analysis import folded_syllable

    counts = Counter(syllable for stream in streams for syllable in stream)
    by_fold: dict[str, list[str]] = {}
    for syllable, _ in counts.most_common():
        by_fold.setdefault(folded_syllable(syllable), []).append(syllable)
    return {syllable: rank for forms in by_fold.values() for rank, syllable in enumerate(forms)}


if __name__ == "__main__":
    raise SystemExit(main())
