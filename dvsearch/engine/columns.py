"""Per-article columns: one value of a field for every article, read without stored fields.

A facet counts the dates, bylines and sources of thousands of matches. Read from the stored
fields, each match would be unpickled whole, body included; whoosh keeps sortable fields in
a column file as well (``sortable`` in the field registry), one value per article, which is
read here in one pass. No numpy: the small archives searched by whoosh's matchers use it too.
"""

from __future__ import annotations

from typing import Any


def column_values(searcher: Any, field: str) -> list[str]:
    """Every article's value of a column field, by article number across segments (deleted
    articles included: the match sets that index it never hold them); ``""`` where an article
    has none."""
    if field not in searcher.schema or searcher.schema[field].column_type is None:
        raise KeyError(f"{field!r} is not kept as a column")
    values: list[str] = []
    for leaf, _ in searcher.reader().leaf_readers():
        count = leaf.doc_count_all()
        # A segment where no article has a value has no column file at all.
        found = list(leaf.column_reader(field, translate=True)) if leaf.has_column(field) else []
        values.extend(value if isinstance(value, str) else "" for value in found[:count])
        values.extend("" for _ in range(count - len(found)))
    return values
