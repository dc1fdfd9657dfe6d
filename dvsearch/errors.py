"""dvsearch's own exceptions; each message is written for the person at the terminal."""

from __future__ import annotations


class DvsearchError(Exception):
    """Base of every error dvsearch raises on purpose; the CLI shows its message, no traceback."""


class SeedsFolderError(DvsearchError):
    """The folder of articles to index is missing or is not a folder."""


class UnreadableArticleError(DvsearchError):
    """An article file cannot be read or decoded; indexing skips it with a warning."""


class LegacyEncodingError(DvsearchError):
    """Text holds a character the legacy Vietnamese encoding (TCVN3, VNI) cannot write."""


class IndexMissingError(DvsearchError):
    """There is no index where one was expected."""


class NotAnIndexError(DvsearchError):
    """The index folder exists but holds something that is not a dvsearch index."""


class IndexVersionError(DvsearchError):
    """The index was written by another version of dvsearch's analyzer or schema."""


class IndexDamagedError(DvsearchError):
    """The index folder is ours but its manifest or live generation cannot be read."""

    def __init__(self, message: str, what: str | None = None) -> None:
        super().__init__(message)
        self.what = what  # what is damaged, for a caller that says it in its own words


class IndexWriteError(DvsearchError):
    """An index run could not write (disk full, read-only folder, no permission); the index is
    left as it was before the run."""


class QuerySyntaxError(DvsearchError):
    """The query text cannot be parsed (unbalanced quotes or parentheses, nothing to search)."""


class ArticleNotFoundError(DvsearchError):
    """No indexed article has the id or file name the user asked for."""


class BatchFormatError(DvsearchError):
    """A line of a batch query file is not ``qid<TAB>query``."""


class AbbreviationFileError(DvsearchError):
    """A file of abbreviations cannot be read or has a malformed line."""


class ArticleFolderError(DvsearchError):
    """An articles folder cannot be added to, updated in or dropped from the index."""


class ConfigFileError(DvsearchError):
    """A ``dvsearch.toml`` cannot be read or does not say where the index is."""


class EmptyArticleError(DvsearchError):
    """An article has no words to work with (``dvsearch similar`` on an empty text)."""
