"""Every private part of whoosh the engine relies on, in one place, for the canary test.

whoosh-reloaded may rename or drop any of them in a release without notice. The canary
(``tests/test_engine_canary.py``) checks each against the installed whoosh and names the
missing ones, instead of a query failing deep inside the engine, or worse, an override of a
renamed method silently never being called. Add a name here whenever the engine starts to
rely on one (``grep -rn "\\._[a-z]" dvsearch/engine`` finds them).
"""

from __future__ import annotations

# Importable names, ``module:attribute.path``: functions and constants the engine imports, and
# methods it calls or overrides.
IMPORTED_NAMES = (
    "whoosh.codec.whoosh3:_lenfield",
    "whoosh.codec.whoosh3:W3LeafMatcher._goto",
    "whoosh.codec.whoosh3:W3LeafMatcher._read_header",
    "whoosh.codec.whoosh3:W3LeafMatcher._next_block",
    "whoosh.codec.whoosh3:W3LeafMatcher._read_ids",
    "whoosh.codec.whoosh3:W3LeafMatcher._read_weights",
    "whoosh.codec.whoosh3:W3LeafMatcher._read_values",
    "whoosh.codec.whoosh3:W3PerDocReader._cached_reader",
    "whoosh.codec.whoosh3:W3FieldWriter.start_term",
    "whoosh.codec.whoosh3:W3FieldCursor.term_info",
    "whoosh.codec.whoosh3:W3TermsReader.cursor",
    "whoosh.codec.whoosh3:W3TermsReader.items",
    "whoosh.codec.whoosh3:W3TermsReader.items_from",
    "whoosh.codec.whoosh3:W3TermsReader.term_info",
    "whoosh.codec.whoosh3:W3TermsReader.frequency",
    "whoosh.codec.whoosh3:W3TermsReader.doc_frequency",
    "whoosh.codec.whoosh3:W3TermInfo.to_bytes",
    "whoosh.codec.whoosh3:W3TermInfo.from_bytes",
    "whoosh.codec.whoosh3:W3PostingsWriter._write_block",
    "whoosh.codec.whoosh3:W3PostingsWriter._new_block",
    "whoosh.util.numeric:_length_byte_cache",
    "whoosh.writing:SegmentWriter._finalize_segment",
    "whoosh.writing:SegmentWriter._close_segment",
    "whoosh.writing:SegmentWriter._commit_toc",
    "whoosh.writing:SegmentWriter._finish",
    "whoosh.matching:AndMaybeMatcher.skip_to",
    "whoosh.matching:AndNotMatcher._find_first",
    "whoosh.matching:AndNotMatcher._find_next",
    "whoosh.query.compound:Or._matcher",
    "whoosh.query.compound:Or.AUTO_MATCHER",
    "whoosh.query.compound:Or.TOO_MANY_CLAUSES",
    "whoosh.query.compound:Or.matcher_type",
    "whoosh.query.compound:PreloadedOr._matcher",
)

# Attributes whoosh sets on its objects as they are made, by the object they are read from.
OBJECT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "codec": ("_blocklimit", "_compression", "_inlinelimit"),
    "postings writer": (
        "_postfile",
        "_blockcount",
        "_terminfo",
        "_format",
        "_compression",
        "_ids",
        "_weights",
        "_values",
        "_maxweight",
        "_minlength",
        "_maxlength",
    ),
    "leaf reader": ("_perdoc", "_terms"),
    "terms reader": ("_tindex", "_keycoder", "_keydecoder"),
    "field cursor": ("_tindex", "_pos", "_datapos", "_datalen"),
    "term info": (
        "_weight",
        "_df",
        "_minlength",
        "_maxlength",
        "_maxweight",
        "_minid",
        "_maxid",
        "_offset",
        "_length",
    ),
    "field writer": ("_postwriter", "_btext", "_fieldobj"),
    "leaf matcher": (
        "_postfile",
        "_startoffset",
        "_length",
        "_baseoffset",
        "_nextoffset",
        "_dataoffset",
    ),
    "length column": ("_count", "_dbfile", "_basepos"),
    "AndMaybe matcher": ("a", "b"),
    "collector": ("replace",),  # how often it swaps matchers; matchers.py sets it to never
}
