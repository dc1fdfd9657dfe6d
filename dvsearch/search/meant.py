"""What the user meant: the query rewritten for ranking, and the suggestion shown for it.

Both need the index's vocabulary (megabytes of JSON on a large archive), so each asks for it
only when the query calls for it: a word no article holds, raw keystrokes, a query without
accents, or one that finds little.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dvsearch.search.ranking import QueryBuilder
from dvsearch.vietnamese.syllables import syllables
from dvsearch.vietnamese.text import has_diacritics

if TYPE_CHECKING:
    from dvsearch.search.vocabulary import Vocabulary

FEW_HITS = 3  # fewer hits than this for an accented query: offer a correction
Loader = Callable[[], "Vocabulary | None"]


def read_as_meant(
    query_text: str, builder: QueryBuilder, vocabulary: Loader, share: Callable[[str], float]
) -> str | None:
    """The query with its raw Telex or VNI keystrokes decoded and typos repaired, ranked as
    if typed so (``vocabulary.read_as_meant``); None when there is nothing to read otherwise.
    The vocabulary is loaded only for a word the articles lack, or keystrokes."""
    from dvsearch.vietnamese.keystrokes import holds_keystrokes

    unknown = any(share(s.folded) == 0 for s in syllables(query_text))
    if not (unknown or holds_keystrokes(query_text)):
        return None
    loaded = vocabulary()
    if loaded is None:
        return None
    from dvsearch.search.vocabulary import read_as_meant as rewrite

    kept = [(s.start, s.end) for s in builder.abbreviated(query_text)]
    return rewrite(loaded, query_text, kept)


def suggestion(
    query_text: str, total: int, builder: QueryBuilder, vocabulary: Loader
) -> str | None:
    """Offered when the query has no accents at all or finds little; abbreviations (a user's
    ``DVK`` too) stay as typed."""
    if has_diacritics(query_text) and total >= FEW_HITS:
        return None
    loaded = vocabulary()
    if loaded is None:
        return None
    from dvsearch.search.vocabulary import suggest  # most queries are never repaired

    pieces, cursor, changed = [], 0, False
    kept = [(s.start, s.end) for s in builder.abbreviated(query_text)]
    for start, end in [*kept, (len(query_text), len(query_text))]:
        piece = query_text[cursor:start]
        better = suggest(loaded, piece) if piece.strip() else None
        pieces += [better or piece, query_text[start:end]]
        changed = changed or better is not None
        cursor = end
    return "".join(pieces) if changed else None
