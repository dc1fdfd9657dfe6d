"""dvsearch: Vietnamese-aware full-text search over a folder of news articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dvsearch")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
