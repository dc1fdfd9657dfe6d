"""Per-article columns: a field's value for chosen articles, read without stored fields.

A facet counts the dates, bylines and sources of thousands of matches. Read from the stored
fields, each match would be unpickled whole, body included; whoosh keeps sortable fields in
a column file as well (``sortable`` in the field registry), one value per article, looked up
here for the matches alone (at 10,000 articles a lookup of every other article took 6 ms a
column, reading the whole column through whoosh's iterator 15 to 31 ms). No numpy: the small
archives searched by whoosh's matchers use it too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any


def column_values(searcher: Any, field: str, docnums: Sequence[int]) -> list[str]:
    """The values of a column field for the articles numbered ``docnums`` (ascending, across
    segments), in that order; ``""`` where an article has none."""
    if field not in searcher.schema or searcher.schema[field].column_type is None:
        raise KeyError(f"{field!r} is not kept as a column")
    values: list[str] = []
    for leaf, base in searcher.reader().leaf_readers():
        count = leaf.doc_count_all()
        inside = docnums[bisect_left(docnums, base) : bisect_left(docnums, base + count)]
        if not inside:
            continue
        # A segment where no article has a value has no column file at all.
        if not leaf.has_column(field):
            values.extend("" for _ in inside)
            continue
        column = leaf.column_reader(field, translate=True)
        stored = len(column)
        found = (column[d - base] if d - base < stored else "" for d in inside)
        values.extend(value if isinstance(value, str) else "" for value in found)
    return values
