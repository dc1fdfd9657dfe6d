"""dvsearch: Vietnamese-aware full-text search over a folder of news articles."""

# Written here rather than read through importlib.metadata, which costs 40 ms on every query;
# pyproject.toml takes the package version from this line.
__version__ = "0.1.0"
