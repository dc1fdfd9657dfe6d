"""The field registry: every fact about the index's fields, in one place.

The schema, the query language's prefixes, ranking's boosts and twins, the vocabulary and the
mapping of stored fields back to records all read from here, so a new searchable field is one
entry, not edits in four modules that fail at query time when one is missed.

No whoosh here: the query lexer imports this module, and a query's start-up must not pay for
whoosh before it needs it. ``build.make_schema`` turns the entries into whoosh fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

# How a field is indexed: one term per value (``keyword``), not at all (``stored``), or as text
# through dvsearch's folded, exact (accented) or compound-word analyzer.
Kind = Literal["keyword", "stored", "folded", "exact", "compounds"]


class FieldSpec(NamedTuple):
    """One index field and what each stage does with it."""

    name: str
    kind: Kind
    stored: bool = False
    positional: bool = False  # positions kept, so phrases can match
    boost: float = 0.0  # weight of a match in ranking; 0 for fields query words never reach
    default: bool = False  # searched by query words written without a prefix
    prefix: bool = False  # a user may restrict words to it: ``title:giao thông``
    exact: str | None = None  # its accented twin, which rewards the accents a user typed
    shown: bool = False  # its stored value reaches the user through a record
    unique: bool = False  # one document per value (updates replace by it)
    sortable: bool = False  # kept as a column, for sorting by it or counting its values


def _searched(
    name: str, boost: float, stored: bool = False, sortable: bool = False
) -> tuple[FieldSpec, FieldSpec]:
    """A field query words search, folded, and its exact twin with the accents as written."""
    folded = FieldSpec(
        name,
        "folded",
        stored=stored,
        positional=True,
        boost=boost,
        default=True,
        prefix=True,
        exact=f"{name}_exact",
        shown=stored,
        sortable=sortable,
    )
    # No positions of its own: its folded twin's stand for them, and what accents each bears
    # is a column of the exact field (``engine/exact_pairs.py``), a seventh of their bytes.
    return folded, FieldSpec(f"{name}_exact", "exact")


REGISTRY: tuple[FieldSpec, ...] = (
    FieldSpec("path", "keyword", stored=True, unique=True, shown=True),
    # The article's path under its articles folder, after the folder's label for folders
    # added to the index later (``folders.py``): unique even when two folders hold a 1.txt.
    FieldSpec("id", "keyword", stored=True, shown=True),
    FieldSpec("stem", "keyword"),  # the file name without extension, NFC, for ``show NAME``
    FieldSpec("digest", "stored", stored=True),  # what was indexed, so updates see changes
    # The title as shown, even when made from the lead sentence and so not searched as one.
    FieldSpec("headline", "stored", stored=True, shown=True),
    # Titles are short: a word there is worth half one in the body, which says it again.
    *_searched("title", 0.5),
    *_searched("body", 1.0, stored=True),
    FieldSpec("words", "compounds"),  # pyvi's compound words, scored beside adjacent syllables
    # The byline and the source are columns too: facets count them over thousands of matches
    # without unpickling each match's stored fields, body and all (``search/facets.py``).
    *_searched("author", 1.0, stored=True, sortable=True),
    FieldSpec("published", "keyword", stored=True, sortable=True, shown=True),
    FieldSpec("page_date", "stored", stored=True, shown=True),
    FieldSpec("source", "keyword", stored=True, shown=True, sortable=True),
    FieldSpec("title_derived", "stored", stored=True, shown=True),
    FieldSpec("word_count", "stored", stored=True, shown=True),
)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in REGISTRY}
FOLDED_TWINS = {spec.exact: spec.name for spec in REGISTRY if spec.exact is not None}
DEFAULT_FIELDS = tuple(spec.name for spec in REGISTRY if spec.default)
PREFIXES = tuple(spec.name for spec in REGISTRY if spec.prefix)
FIELD_BOOSTS = {spec.name: spec.boost for spec in REGISTRY if spec.default or spec.prefix}
EXACT_TWINS = {spec.name: spec.exact for spec in REGISTRY if spec.exact is not None}
EXACT_FIELDS = tuple(EXACT_TWINS.values())  # the accented syllables the vocabulary counts
COMPOUND_FIELD = next(spec.name for spec in REGISTRY if spec.kind == "compounds")
COLUMNS = tuple(spec.name for spec in REGISTRY if spec.sortable)  # one value per article


class StoredArticle(NamedTuple):
    """An indexed article as its stored fields give it back: what ``Hit``, ``Article`` and
    ``ArticleSummary`` are made from (a tuple: listing builds one per indexed article)."""

    id: str
    path: str
    title: str
    title_derived: bool
    published: str | None
    page_date: str | None
    author: str | None
    source: str | None
    body: str
    word_count: int

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's paragraphs, as the article was parsed into them."""
        return tuple(self.body.split("\n\n")) if self.body else ()


def stored_article(stored: Mapping[str, Any]) -> StoredArticle:
    """Read whoosh's stored-field dict; absent or empty optional values become None, as they
    were before indexing (the index stores an empty string for a missing date or author)."""
    return StoredArticle(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("headline", ""),
        title_derived=bool(stored.get("title_derived")),
        published=stored.get("published") or None,
        page_date=stored.get("page_date"),
        author=stored.get("author") or None,
        source=stored.get("source"),
        body=stored.get("body", ""),
        word_count=int(stored.get("word_count", 0)),
    )
